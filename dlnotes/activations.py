"""Activation functions and their derivatives (chapter 4).

Every function is elementwise except :func:`softmax` and :func:`log_softmax`,
accepts any array-like of real numbers, keeps the shape of its input and is
numerically stable: inputs as large as ``|x| = 1e4`` give no overflow, no
warning and no NaN. Integer input is computed in float64.

The ``*_grad`` functions return the elementwise derivative ``f'(x)`` evaluated
at the *input* ``x`` (not at the output), so that ``dL/dx = dL/dy * f_grad(x)``.

Examples
--------
>>> import numpy as np
>>> from dlnotes.activations import sigmoid, sigmoid_grad
>>> x = np.array([-2.0, 0.0, 2.0])
>>> sigmoid(x).round(4)
array([0.1192, 0.5   , 0.8808])
>>> sigmoid_grad(x).round(4)
array([0.105, 0.25 , 0.105])
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes._validation import as_float_array, check_axis, check_real

__all__ = [
    "leaky_relu",
    "leaky_relu_grad",
    "log_softmax",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "softplus",
    "softplus_grad",
    "softsign",
    "softsign_grad",
    "tanh",
    "tanh_grad",
]

Array = NDArray[np.floating]


def sigmoid(x: ArrayLike) -> Array:
    r"""Logistic sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`, range :math:`(0, 1)`.

    Computed as :math:`1/(1+e^{-|x|})` for :math:`x \ge 0` and
    :math:`e^{-|x|}/(1+e^{-|x|})` otherwise, so the exponential never overflows.

    Parameters
    ----------
    x : array_like
        Real input of any shape.

    Returns
    -------
    ndarray
        :math:`\sigma(x)`, same shape as `x`.

    Examples
    --------
    >>> sigmoid([0.0, 1e4, -1e4])
    array([0.5, 1. , 0. ])
    """
    x = as_float_array(x)
    z = np.exp(-np.abs(x))  # in (0, 1]: cannot overflow
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def sigmoid_grad(x: ArrayLike) -> Array:
    r"""Derivative :math:`\sigma'(x) = \sigma(x)\,(1 - \sigma(x))`, at most 1/4 (at x = 0).

    Examples
    --------
    >>> sigmoid_grad([0.0, 10.0])
    array([2.50000000e-01, 4.53958077e-05])
    """
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x: ArrayLike) -> Array:
    r"""Hyperbolic tangent :math:`\tanh x = (e^x - e^{-x})/(e^x + e^{-x}) = 2\sigma(2x) - 1`.

    Range :math:`(-1, 1)`, zero-centred.

    Examples
    --------
    >>> tanh([0.0, 1.0]).round(6)
    array([0.      , 0.761594])
    """
    return np.tanh(as_float_array(x))


def tanh_grad(x: ArrayLike) -> Array:
    r"""Derivative :math:`\tanh'(x) = 1 - \tanh^2 x`, at most 1 (at x = 0).

    Examples
    --------
    >>> tanh_grad([0.0, 1.0]).round(6)
    array([1.      , 0.419974])
    """
    t = tanh(x)
    return 1.0 - t * t


def softsign(x: ArrayLike) -> Array:
    r"""Softsign :math:`x / (1 + |x|)`, range :math:`(-1, 1)`.

    Like tanh but with polynomial rather than exponential tails, so it
    saturates more slowly.

    Examples
    --------
    >>> softsign([-3.0, 0.0, 1.0])
    array([-0.75,  0.  ,  0.5 ])
    """
    x = as_float_array(x)
    big = np.finfo(x.dtype).max  # softsign(+-inf) = +-1 is the limit, already reached at +-big
    finite = np.clip(x, -big, big)  # so inf/inf never gives NaN
    return finite / (1.0 + np.abs(finite))


def softsign_grad(x: ArrayLike) -> Array:
    r"""Derivative :math:`1 / (1 + |x|)^2`.

    Examples
    --------
    >>> softsign_grad([0.0, 1.0, -3.0])
    array([1.    , 0.25  , 0.0625])
    """
    r = 1.0 / (1.0 + np.abs(as_float_array(x)))  # square the ratio: (1 + |x|)^2 may overflow
    return r * r


def relu(x: ArrayLike) -> Array:
    r"""Rectified linear unit :math:`\max(0, x)`, range :math:`[0, \infty)`.

    Examples
    --------
    >>> relu([-2.0, 0.0, 3.0])
    array([0., 0., 3.])
    """
    x = as_float_array(x)
    return np.maximum(x, 0.0)


def relu_grad(x: ArrayLike) -> Array:
    r"""Derivative of ReLU: 1 where :math:`x > 0`, else 0 (``relu_grad(0) = 0`` as in PyTorch).

    Examples
    --------
    >>> relu_grad([-2.0, 0.0, 3.0])
    array([0., 0., 1.])
    """
    x = as_float_array(x)
    return (x > 0).astype(x.dtype)


def leaky_relu(x: ArrayLike, alpha: float = 0.01) -> Array:
    r"""Leaky ReLU: :math:`x` for :math:`x > 0`, :math:`\alpha x` otherwise.

    It is non-linear exactly because :math:`\alpha \ne 1` (with
    :math:`\alpha = 1` it would be the identity).

    Parameters
    ----------
    x : array_like
        Real input of any shape.
    alpha : float, default 0.01
        Slope for negative inputs (PyTorch's ``negative_slope``).

    Examples
    --------
    >>> leaky_relu([-100.0, 0.0, 2.0], alpha=0.1)
    array([-10.,   0.,   2.])
    """
    x = as_float_array(x)
    alpha = check_real(alpha, "alpha")
    return np.where(x > 0, x, alpha * x)


def leaky_relu_grad(x: ArrayLike, alpha: float = 0.01) -> Array:
    r"""Derivative of leaky ReLU: 1 where :math:`x > 0`, else :math:`\alpha`.

    Examples
    --------
    >>> leaky_relu_grad([-1.0, 0.0, 1.0], alpha=0.1)
    array([0.1, 0.1, 1. ])
    """
    x = as_float_array(x)
    alpha = check_real(alpha, "alpha")
    return np.where(x > 0, 1.0, alpha).astype(x.dtype)


def softplus(x: ArrayLike) -> Array:
    r"""Softplus :math:`\ln(1 + e^x)`, a smooth ReLU with range :math:`(0, \infty)`.

    Computed as :math:`\max(x, 0) + \ln(1 + e^{-|x|})`, which never overflows.

    Examples
    --------
    >>> softplus([0.0, 1e4, -1e4])
    array([6.93147181e-01, 1.00000000e+04, 0.00000000e+00])
    """
    x = as_float_array(x)
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def softplus_grad(x: ArrayLike) -> Array:
    r"""Derivative of softplus, which is the sigmoid: :math:`\sigma(x)`.

    Examples
    --------
    >>> softplus_grad([0.0])
    array([0.5])
    """
    return sigmoid(x)


def softmax(x: ArrayLike, axis: int = -1) -> Array:
    r"""Softmax along `axis`: :math:`p_i = e^{x_i} / \sum_j e^{x_j}`.

    The outputs lie in :math:`(0, 1)` — in floating point, a score far below the
    largest one may underflow to exactly 0 — and sum to 1 along `axis`.
    Adding a constant to all scores does not change the result; the
    implementation subtracts the maximum first so no exponential overflows.

    Parameters
    ----------
    x : array_like
        Real scores (logits) of any shape with at least one dimension.
    axis : int, default -1
        Axis along which the probabilities sum to 1.

    Returns
    -------
    ndarray
        Probabilities, same shape as `x`.

    Raises
    ------
    numpy.exceptions.AxisError
        If `axis` does not exist in `x` (a subclass of `ValueError`).

    Examples
    --------
    >>> softmax([1.0, 2.0, 3.0]).round(4)
    array([0.09  , 0.2447, 0.6652])
    >>> softmax([1001.0, 1002.0, 1003.0]).round(4)
    array([0.09  , 0.2447, 0.6652])
    """
    x = as_float_array(x)
    axis = check_axis(axis, x.ndim)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x: ArrayLike, axis: int = -1) -> Array:
    r"""Logarithm of the softmax, :math:`x_i - \ln \sum_j e^{x_j}`, computed stably.

    Use it instead of ``np.log(softmax(x))``, which gives ``-inf`` once a
    probability underflows.

    Examples
    --------
    >>> log_softmax([0.0, 0.0]).round(6)
    array([-0.693147, -0.693147])
    >>> log_softmax([0.0, 1000.0])
    array([-1000.,     0.])
    """
    x = as_float_array(x)
    axis = check_axis(axis, x.ndim)
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
