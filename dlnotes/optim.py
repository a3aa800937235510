"""Optimisers: update parameters from their gradients (chapters 3, 5 and 8).

Every optimiser holds a list of :class:`~dlnotes.layers.Parameter` and follows
the loop of ``torch.optim``:

``zero_grad()``
    Set every ``.grad`` to zeros.
``step()``
    Update every ``.value`` *in place* from its ``.grad``.

Weight decay :math:`\\lambda` (``weight_decay``) adds :math:`\\lambda w` to each
gradient before the update, which is gradient descent on the loss plus the L2
penalty :math:`\\frac{\\lambda}{2}\\lVert w\\rVert^2` (chapter 6). The numbers are
those of ``torch.optim`` with the same arguments.

Examples
--------
>>> import numpy as np
>>> from dlnotes.layers import Parameter
>>> w = Parameter([1.0, -2.0])
>>> opt = SGD([w], lr=0.1)
>>> w.grad = np.array([0.5, 1.0])
>>> opt.step()
>>> w.value
array([ 0.95, -2.1 ])
>>> opt.zero_grad()
>>> w.grad
array([0., 0.])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dlnotes._validation import check_nonnegative_real, check_positive_real
from dlnotes.layers import Layer, Parameter

__all__ = ["SGD", "Optimizer", "clip_grad_norm"]

Array = NDArray[np.floating]


def _parameter_list(params: Iterable[Parameter]) -> list[Parameter]:
    """`params` as a non-empty list of distinct Parameters, or a `TypeError`/`ValueError`."""
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


class Optimizer:
    """Base class: holds the parameters, the learning rate and the weight decay.

    Parameters
    ----------
    params : iterable of Parameter
        The parameters to update, such as ``net.parameters()``; at least one.
    lr : float
        Learning rate :math:`\\eta > 0`.
    weight_decay : float, default 0.0
        L2 coefficient :math:`\\lambda \\ge 0`: the gradient used is
        :math:`g + \\lambda w`.

    Notes
    -----
    A subclass implements ``_update(param, grad, state)``, which changes
    ``param.value`` in place given the (weight-decayed) gradient; ``state`` is
    a dict owned by that parameter (for velocities, running averages, ...).
    """

    def __init__(self, params: Iterable[Parameter], lr: float, *, weight_decay: float = 0.0):
        self.params = _parameter_list(params)
        self.lr = check_positive_real(lr, "lr")
        self.weight_decay = check_nonnegative_real(weight_decay, "weight_decay")
        self.state: list[dict[str, Any]] = [{} for _ in self.params]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr}, weight_decay={self.weight_decay})"

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to zeros."""
        for p in self.params:
            p.grad = np.zeros_like(p.value)

    def step(self) -> None:
        """Update every parameter in place from its current gradient."""
        for p, state in zip(self.params, self.state, strict=True):
            if p.grad.shape != p.value.shape:
                raise ValueError(
                    f"gradient of parameter {p.name!r} has shape {p.grad.shape}, "
                    f"but its value has shape {p.value.shape}"
                )
            grad = p.grad + self.weight_decay * p.value if self.weight_decay else p.grad
            self._update(p, grad, state)

    def _update(self, param: Parameter, grad: Array, state: dict[str, Any]) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Plain gradient descent :math:`w \\leftarrow w - \\eta\\,(g + \\lambda w)`.

    Whether this is batch, mini-batch or stochastic gradient descent depends only
    on how many samples the gradient :math:`g` was averaged over (chapter 3).
    Same numbers as ``torch.optim.SGD(params, lr, weight_decay=...)``.

    Parameters
    ----------
    params : iterable of Parameter
        The parameters to update.
    lr : float
        Learning rate :math:`\\eta > 0`.
    weight_decay : float, default 0.0
        L2 coefficient :math:`\\lambda \\ge 0`.

    Examples
    --------
    One step on :math:`f(w) = w^2` from :math:`w = 3` (gradient 6) with
    :math:`\\eta = 0.25` lands on :math:`3 - 1.5 = 1.5`:

    >>> from dlnotes.layers import Parameter
    >>> w = Parameter([3.0])
    >>> opt = SGD([w], lr=0.25)
    >>> w.grad = 2 * w.value
    >>> opt.step()
    >>> w.value
    array([1.5])

    With weight decay 0.5 the gradient becomes :math:`6 + 0.5 \\cdot 3 = 7.5`:

    >>> w = Parameter([3.0])
    >>> w.grad = np.array([6.0])
    >>> SGD([w], lr=0.25, weight_decay=0.5).step()
    >>> w.value
    array([1.125])
    """

    def _update(self, param: Parameter, grad: Array, state: dict[str, Any]) -> None:
        param.value -= self.lr * grad


def clip_grad_norm(params: Iterable[Parameter], max_norm: float) -> float:
    """Rescale the gradients so that their total L2 norm is at most `max_norm`.

    The total norm is that of all gradients stacked into one vector,
    :math:`\\lVert g\\rVert = \\sqrt{\\sum_p \\lVert g_p\\rVert^2}`. If
    :math:`c = \\text{max\\_norm} / (\\lVert g\\rVert + 10^{-6}) < 1`, every gradient is
    multiplied by :math:`c` in place: the direction of the update is kept, only its
    length is capped (chapter 5: a remedy for exploding gradients). Exactly
    ``torch.nn.utils.clip_grad_norm_(params, max_norm)``, including the
    :math:`10^{-6}` that guards against division by zero.

    Parameters
    ----------
    params : iterable of Parameter
        Parameters whose ``.grad`` is clipped.
    max_norm : float
        Largest allowed total norm, > 0.

    Returns
    -------
    float
        The total norm *before* clipping (useful to monitor training).

    Examples
    --------
    >>> from dlnotes.layers import Parameter
    >>> a, b = Parameter([0.0, 0.0]), Parameter([0.0])
    >>> a.grad, b.grad = np.array([3.0, 0.0]), np.array([4.0])   # total norm 5
    >>> clip_grad_norm([a, b], max_norm=1.0)
    5.0
    >>> a.grad.round(6), b.grad.round(6)
    (array([0.6, 0. ]), array([0.8]))
    """
    params = _parameter_list(params)
    max_norm = check_positive_real(max_norm, "max_norm")
    total = float(np.linalg.norm([np.linalg.norm(p.grad) for p in params]))
    coef = max_norm / (total + 1e-6)
    if coef < 1.0:
        for p in params:
            p.grad *= coef
    return total
