"""Numerical gradients by central differences, to check analytic backward passes.

For a scalar function :math:`f` the central difference

.. math:: \\frac{\\partial f}{\\partial x_i} \\approx \\frac{f(x + h e_i) - f(x - h e_i)}{2h}

has truncation error :math:`O(h^2)` and rounding error :math:`O(\\epsilon/h)`;
with :math:`h = 10^{-5}` in float64 both are around :math:`10^{-10}`, so an
analytic gradient that is right agrees to a relative error far below
:math:`10^{-7}`, and one that is wrong disagrees by far more.

Examples
--------
>>> import numpy as np
>>> from dlnotes.activations import sigmoid, sigmoid_grad
>>> x = np.array([-1.0, 0.5, 2.0])
>>> numeric = numerical_gradient(lambda v: sigmoid(v).sum(), x)
>>> bool(relative_error(numeric, sigmoid_grad(x)) < 1e-9)
True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes._core import Layer
from dlnotes._validation import as_float_array, check_finite
from dlnotes.losses import Loss

__all__ = ["check_layer", "check_loss", "numerical_gradient", "relative_error"]

Array = NDArray[np.floating]


def numerical_gradient(f: Callable[[Array], float], x: ArrayLike, h: float = 1e-5) -> Array:
    """Gradient of the scalar function `f` at `x` by central differences.

    Parameters
    ----------
    f : callable
        Maps an array shaped like `x` to a float.
    x : array_like
        Point at which to differentiate (converted to float64); finite.
    h : float, default 1e-5
        Step size.

    Returns
    -------
    ndarray
        :math:`\\partial f/\\partial x`, same shape as `x`.

    Raises
    ------
    ValueError
        If `x` holds NaN or infinity, where no difference quotient means anything.

    Examples
    --------
    >>> numerical_gradient(lambda v: float(np.sum(v**2)), [1.0, -2.0]).round(6)   # 2 x
    array([ 2., -4.])
    >>> numerical_gradient(lambda v: float(np.sum(v**2)), [1.0, np.inf])
    Traceback (most recent call last):
      ...
    ValueError: x has 1 non-finite entry (NaN or infinity) of 2
    """
    x = np.array(as_float_array(x), dtype=np.float64)
    check_finite(x, "x")
    return _central_differences(lambda: f(x), x, h)


def _central_differences(f: Callable[[], float], arr: Array, h: float) -> Array:
    """Differentiate ``f()`` with respect to `arr`, perturbing `arr` in place."""
    grad = np.zeros_like(arr)
    # index arr itself: reshape(-1) would silently copy a non-C-contiguous array
    for i in np.ndindex(arr.shape):
        old = arr[i]
        arr[i] = old + h
        f_plus = float(f())
        arr[i] = old - h
        f_minus = float(f())
        arr[i] = old
        grad[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def relative_error(a: ArrayLike, b: ArrayLike) -> float:
    """Relative error :math:`\\lVert a-b\\rVert / (\\lVert a\\rVert + \\lVert b\\rVert)`.

    Euclidean norms over all elements, so a tiny entry cannot dominate; 0 when
    both arrays are exactly 0.

    Examples
    --------
    >>> relative_error([1.0, 2.0], [1.0, 2.0])
    0.0
    >>> round(relative_error([1.0], [1.1]), 4)
    0.0476
    """
    a, b = as_float_array(a, "a"), as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def check_layer(
    layer: Layer, x: ArrayLike, *, rng: np.random.Generator, h: float = 1e-5
) -> dict[str, float]:
    """Compare a layer's backward pass with central differences.

    Uses the scalar loss :math:`L = \\sum_j r_j\\,y_j` with a fixed random
    :math:`r`, so that every output element contributes with its own weight.

    Parameters
    ----------
    layer : Layer
        Anything with ``forward(x, training=...)``, ``backward(dout)`` and
        ``parameters()``. Layers that draw random numbers in forward must be
        checked in a deterministic mode.
    x : array_like
        Input at which to check, finite; keep it away from kinks (such as 0 for ReLU).
    rng : numpy.random.Generator
        Draws the weights :math:`r`.
    h : float, default 1e-5
        Step of the central differences.

    Returns
    -------
    dict
        ``{"x": err, "<param name>": err, ...}``: the relative error of every
        analytic gradient.

    Raises
    ------
    ValueError
        If `x` holds NaN or infinity.

    Examples
    --------
    >>> from dlnotes.layers import Linear
    >>> rng = np.random.default_rng(0)
    >>> errors = check_layer(Linear(3, 2, rng=rng), rng.normal(size=(4, 3)), rng=rng)
    >>> sorted(errors), max(errors.values()) < 1e-7
    (['bias', 'weight', 'x'], True)
    """
    x = np.array(as_float_array(x), dtype=np.float64)
    check_finite(x, "x")
    r = rng.normal(size=layer.forward(x).shape)

    def loss() -> float:
        return float(np.sum(r * layer.forward(x)))

    layer.forward(x)
    dx = layer.backward(r)
    analytic = {p.name: p.grad.copy() for p in layer.parameters()}
    errors = {"x": relative_error(dx, _central_differences(loss, x, h))}
    for p in layer.parameters():  # p.value is perturbed in place, then restored
        errors[p.name] = relative_error(analytic[p.name], _central_differences(loss, p.value, h))
    return errors


def check_loss(loss: Loss, pred: ArrayLike, target: ArrayLike, *, h: float = 1e-5) -> float:
    """Compare a loss's backward pass with central differences of its value.

    The loss is a scalar already, so no random weighting is needed: the analytic
    :math:`\\partial L/\\partial \\text{pred}` from ``loss.backward()`` is compared with the
    central differences of ``loss.forward(pred, target)`` with respect to `pred`.

    Parameters
    ----------
    loss : Loss
        Anything with ``forward(pred, target) -> float`` and ``backward() -> dpred``.
    pred : array_like
        Predictions (logits, scores) at which to check, finite; `target` stays fixed.
    target : array_like
        Passed to ``forward`` unchanged (class indices stay integers); finite.
    h : float, default 1e-5
        Step of the central differences.

    Returns
    -------
    float
        The relative error of ``loss.backward()``.

    Raises
    ------
    ValueError
        If `pred` or `target` holds NaN or infinity.

    Examples
    --------
    >>> from dlnotes.losses import CrossEntropyLoss
    >>> rng = np.random.default_rng(0)
    >>> logits, labels = rng.normal(size=(4, 3)), np.array([0, 2, 1, 2])
    >>> bool(check_loss(CrossEntropyLoss(), logits, labels) < 1e-7)
    True
    """
    pred = np.array(as_float_array(pred, "pred"), dtype=np.float64)
    check_finite(pred, "pred")
    check_finite(as_float_array(target, "target"), "target")
    loss.forward(pred, target)
    analytic = np.asarray(loss.backward(), dtype=np.float64).copy()
    numeric = _central_differences(lambda: loss.forward(pred, target), pred, h)
    return relative_error(analytic, numeric)
