"""What layers, losses and optimisers share: the parameter, the layer protocol, their checks.

A private module of the package, below every module that trains something:

- :class:`Parameter` (an array and its gradient) and :class:`Layer` (the base class of the
  layer protocol) are published as :class:`dlnotes.layers.Parameter` and
  :class:`dlnotes.layers.Layer`, where the handbook uses them;
- :class:`Differentiable` is the base of layers and losses: what their forward pass saves
  for the backward pass, and the error when backward comes first;
- :func:`parameter_list` checks the parameters handed to an optimiser or a penalty;
- :func:`check_dout` checks the gradient handed to a backward pass.

Optimisers, penalties and initialisers import these from here rather than from
:mod:`dlnotes.layers`, which would bring in convolution and recurrence with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes._validation import as_float_array

Array = NDArray[np.floating]


class Parameter:
    """A trainable array and the gradient of the loss with respect to it.

    Parameters
    ----------
    value : array_like
        Initial value; stored as a float64 array (``.value``).
    name : str, default ""
        Name used in reports (``"weight"``, ``"0.bias"``, ...).

    Attributes
    ----------
    value : ndarray
        Current value, updated in place by optimisers.
    grad : ndarray
        :math:`\\partial L/\\partial \\text{value}`, same shape; zero until a
        backward pass writes it.

    Examples
    --------
    >>> p = Parameter([1.0, 2.0], name="bias")
    >>> p
    Parameter(name='bias', shape=(2,))
    >>> p.grad
    array([0., 0.])
    """

    def __init__(self, value: ArrayLike, name: str = "") -> None:
        self.value: Array = np.array(as_float_array(value, "value"), dtype=np.float64)
        self.grad: Array = np.zeros_like(self.value)
        self.name = name

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    def __repr__(self) -> str:
        return f"Parameter(name={self.name!r}, shape={self.shape})"


class Differentiable:
    """Base of layers and losses: a forward pass that saves what the backward pass needs.

    Examples
    --------
    >>> class Square(Differentiable):
    ...     def forward(self, x):
    ...         self._x = x
    ...         return x * x
    ...     def backward(self):
    ...         return 2 * self._saved("_x")
    >>> Square().backward()
    Traceback (most recent call last):
      ...
    RuntimeError: Square.backward called before forward
    """

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def _saved(self, attr: str) -> Any:
        """Return what forward saved in `attr`, or explain that forward must come first."""
        value = getattr(self, attr, None)
        if value is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        return value


class Layer(Differentiable):
    """Base class: stores nothing, has no parameters, ``__call__`` is ``forward``."""

    def forward(self, x: ArrayLike, training: bool = True) -> Array:
        raise NotImplementedError

    def backward(self, dout: ArrayLike) -> Array:
        raise NotImplementedError

    def parameters(self) -> list[Parameter]:
        return []

    def __call__(self, x: ArrayLike, training: bool = True) -> Array:
        return self.forward(x, training=training)


def parameter_list(params: Iterable[Parameter]) -> list[Parameter]:
    """`params` as a non-empty list of distinct Parameters, or a `TypeError`/`ValueError`.

    Examples
    --------
    >>> w, b = Parameter([1.0], name="weight"), Parameter([0.0], name="bias")
    >>> parameter_list(p for p in (w, b))
    [Parameter(name='weight', shape=(1,)), Parameter(name='bias', shape=(1,))]
    >>> parameter_list(Layer())
    Traceback (most recent call last):
      ...
    TypeError: params must be an iterable of Parameter, got Layer (did you mean .parameters()?)
    """
    if isinstance(params, Parameter | Layer) or not isinstance(params, Iterable):
        hint = " (did you mean .parameters()?)" if isinstance(params, Layer) else ""
        raise TypeError(
            f"params must be an iterable of Parameter, got {type(params).__name__}{hint}"
        )
    params = list(params)
    if not params:
        raise ValueError("params must contain at least one Parameter, got an empty list")
    for i, p in enumerate(params):
        if not isinstance(p, Parameter):
            raise TypeError(f"params[{i}] must be a Parameter, got {type(p).__name__}")
    if len({id(p) for p in params}) != len(params):
        raise ValueError("params must not contain the same Parameter twice")
    return params


def check_dout(dout: ArrayLike, shape: tuple[int, ...], owner: object) -> Array:
    """`dout` as a float array of the shape of the output it is the gradient of, or raise.

    Parameters
    ----------
    dout : array_like
        :math:`\\partial L/\\partial y` handed to a backward pass.
    shape : tuple of int
        The shape of :math:`y`, the output of the last forward pass.
    owner : Layer or str
        The layer whose ``backward`` receives `dout`, or the name of the function that
        does; the error message names it.

    Examples
    --------
    >>> check_dout([[1.0, 2.0]], (1, 2), "rnn_backward")
    array([[1., 2.]])
    >>> check_dout([1.0, 2.0], (1, 2), "rnn_backward")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    ValueError: rnn_backward expects dout of shape (1, 2) (...), got (2,)
    """
    dout = as_float_array(dout, "dout")
    if dout.shape != shape:
        caller = f"{owner!r}.backward" if isinstance(owner, Layer) else str(owner)
        raise ValueError(
            f"{caller} expects dout of shape {shape} (the output of the last forward pass), "
            f"got {dout.shape}"
        )
    return dout
