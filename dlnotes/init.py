"""Weight initialisation (chapter 5): how large the random starting weights should be.

A layer with :math:`n_\\text{in}` inputs sums :math:`n_\\text{in}` products
:math:`w_j x_j`; with independent zero-mean weights of variance :math:`\\sigma^2`
the output variance is :math:`n_\\text{in}\\,\\sigma^2\\,\\mathbb{E}[x^2]`. Too small
a :math:`\\sigma` and the signal (and the gradient) shrinks layer after layer;
too large and it explodes. The standard choices keep it constant:

- Xavier/Glorot: :math:`\\sigma^2 = \\text{gain}^2 \\cdot 2/(n_\\text{in} + n_\\text{out})`,
  a compromise between the forward and the backward pass (sigmoid, tanh, linear);
- Kaiming/He: :math:`\\sigma^2 = \\text{gain}^2 / n_\\text{in}` with gain
  :math:`\\sqrt 2`, which makes up for ReLU zeroing half of its inputs.

The uniform variants draw from :math:`U(-a, a)` with :math:`a = \\sqrt 3\\,\\sigma`
(the same variance). :func:`gain` gives the factor recommended for each activation.
Every initialiser writes into ``param.value`` in place, draws from the given
``rng`` only, and returns the parameter. The formulas are those of
``torch.nn.init``.

Examples
--------
>>> import numpy as np
>>> from dlnotes.layers import Linear
>>> rng = np.random.default_rng(0)
>>> layer = Linear(256, 128, rng=rng)
>>> w = kaiming_normal_(layer.weight, rng=rng)
>>> w is layer.weight
True
>>> round(float(layer.weight.value.std() * np.sqrt(256)), 1)   # sqrt(2) = 1.41...
1.4
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from dlnotes._core import Parameter
from dlnotes._validation import (
    check_nonnegative_real,
    check_positive_int,
    check_positive_real,
    check_real,
    check_rng,
)

__all__ = [
    "default_uniform",
    "fans",
    "gain",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]

_GAINS = {
    "linear": 1.0,
    "conv2d": 1.0,
    "sigmoid": 1.0,
    "tanh": 5.0 / 3.0,
    "relu": math.sqrt(2.0),
}


def gain(nonlinearity: str, alpha: float = 0.01) -> float:
    """Recommended scale factor of the weights for an activation function.

    Equal to ``torch.nn.init.calculate_gain(nonlinearity, alpha)``.

    Parameters
    ----------
    nonlinearity : {"linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu"}
        The activation that follows the layer (``"linear"``/``"conv2d"``: none).
    alpha : float, default 0.01
        Negative slope, used for ``"leaky_relu"`` only:
        :math:`\\sqrt{2/(1 + \\alpha^2)}`.

    Returns
    -------
    float
        1 for linear and sigmoid, 5/3 for tanh, :math:`\\sqrt 2` for ReLU.

    Examples
    --------
    >>> gain("tanh")
    1.6666666666666667
    >>> gain("relu") == math.sqrt(2.0)
    True
    >>> gain("leaky_relu", alpha=1.0)    # slope 1 is the identity: gain 1
    1.0
    """
    if not isinstance(nonlinearity, str):
        raise TypeError(f"nonlinearity must be a string, got {type(nonlinearity).__name__}")
    if nonlinearity == "leaky_relu":
        alpha = check_real(alpha, "alpha")
        return math.sqrt(2.0 / (1 + alpha**2))
    if nonlinearity not in _GAINS:
        names = ", ".join(repr(name) for name in [*_GAINS, "leaky_relu"])
        raise ValueError(f"nonlinearity must be one of {names}; got {nonlinearity!r}")
    return _GAINS[nonlinearity]


def fans(shape: Sequence[int]) -> tuple[int, int]:
    """Fan-in and fan-out of a weight of the given shape.

    For a Linear weight ``(out, in)`` they are ``in`` and ``out``; for a
    convolution weight ``(C_out, C_in, kh, kw)`` every input channel brings a
    whole receptive field: ``C_in*kh*kw`` and ``C_out*kh*kw``.

    Parameters
    ----------
    shape : sequence of int
        At least two positive sizes, output dimension first.

    Returns
    -------
    (fan_in, fan_out) : tuple of int

    Examples
    --------
    >>> fans((128, 256))
    (256, 128)
    >>> fans((8, 3, 5, 5))
    (75, 200)
    """
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError(f"shape must have at least 2 dimensions (out, in, ...), got {shape}")
    shape = tuple(check_positive_int(size, f"shape[{i}]") for i, size in enumerate(shape))
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def default_uniform(
    shape: int | tuple[int, ...], fan_in: int, *, rng: np.random.Generator
) -> NDArray[np.float64]:
    """The values a new layer starts from: :math:`U(-k, k)` with :math:`k = 1/\\sqrt{n_\\text{in}}`.

    PyTorch's default for the weights and the biases of ``Linear`` (:math:`n_\\text{in}` the
    number of inputs), ``Conv2d`` (:math:`C_\\text{in} k_h k_w`), ``RNN`` and ``LSTM`` (the
    hidden size :math:`H`). For a weight it is :func:`kaiming_uniform_` with the gain of a
    leaky ReLU of slope :math:`\\sqrt 5`, :math:`\\sqrt{1/3}`: a variance of
    :math:`1/(3 n_\\text{in})`, a sixth of Kaiming's :math:`2/n_\\text{in}` for ReLU.

    Parameters
    ----------
    shape : int or tuple of int
        Shape of the array.
    fan_in : int
        :math:`n_\\text{in}` > 0, which sets the bound :math:`k`.
    rng : numpy.random.Generator
        Source of the random numbers.

    Returns
    -------
    ndarray of float64, shape `shape`

    Examples
    --------
    >>> w = default_uniform((128, 64), 64, rng=np.random.default_rng(0))
    >>> bool(np.all(np.abs(w) <= 1 / 8)), round(float(w.var() * 3 * 64), 1)
    (True, 1.0)
    >>> from dlnotes.layers import Linear
    >>> layer = Linear(64, 128, rng=np.random.default_rng(0))        # weight first, then bias
    >>> bool(np.array_equal(layer.weight.value, w))
    True
    """
    k = 1.0 / math.sqrt(check_positive_int(fan_in, "fan_in"))
    return check_rng(rng).uniform(-k, k, size=shape)


def _check_param(param: object) -> Parameter:
    if not isinstance(param, Parameter):
        raise TypeError(f"param must be a Parameter, got {type(param).__name__}")
    return param


def _uniform_(param: Parameter, bound: float, rng: np.random.Generator) -> Parameter:
    param.value[...] = check_rng(rng).uniform(-bound, bound, size=param.shape)
    return param


def _normal_(param: Parameter, std: float, rng: np.random.Generator) -> Parameter:
    param.value[...] = check_rng(rng).normal(0.0, std, size=param.shape)
    return param


def xavier_uniform_(param: Parameter, *, rng: np.random.Generator, gain: float = 1.0) -> Parameter:
    """Glorot/Xavier uniform initialisation, in place.

    Draws from :math:`U(-a, a)` with
    :math:`a = \\text{gain}\\sqrt{6/(n_\\text{in} + n_\\text{out})}`.

    Parameters
    ----------
    param : Parameter
        Weight of shape ``(fan_out, fan_in, ...)``; overwritten in place.
    rng : numpy.random.Generator
        Source of the random numbers.
    gain : float, default 1.0
        Scale factor > 0, see :func:`gain`.

    Returns
    -------
    Parameter
        `param` itself.

    Examples
    --------
    >>> w = xavier_uniform_(Parameter(np.zeros((3, 5))), rng=np.random.default_rng(0))
    >>> bool(np.all(np.abs(w.value) <= np.sqrt(6 / (5 + 3))))
    True
    """
    fan_in, fan_out = fans(_check_param(param).shape)
    std = check_positive_real(gain, "gain") * math.sqrt(2.0 / (fan_in + fan_out))
    return _uniform_(param, math.sqrt(3.0) * std, rng)


def xavier_normal_(param: Parameter, *, rng: np.random.Generator, gain: float = 1.0) -> Parameter:
    """Glorot/Xavier normal initialisation, in place.

    Draws from :math:`N(0, \\sigma^2)` with
    :math:`\\sigma = \\text{gain}\\sqrt{2/(n_\\text{in} + n_\\text{out})}`.

    Parameters and return value as in :func:`xavier_uniform_`.

    Examples
    --------
    >>> w = xavier_normal_(Parameter(np.zeros((400, 600))), rng=np.random.default_rng(0))
    >>> round(float(w.value.std() / np.sqrt(2 / (600 + 400))), 2)
    1.0
    """
    fan_in, fan_out = fans(_check_param(param).shape)
    std = check_positive_real(gain, "gain") * math.sqrt(2.0 / (fan_in + fan_out))
    return _normal_(param, std, rng)


def kaiming_uniform_(
    param: Parameter, *, rng: np.random.Generator, gain: float = math.sqrt(2.0)
) -> Parameter:
    """Kaiming/He uniform initialisation (fan-in mode), in place.

    Draws from :math:`U(-a, a)` with :math:`a = \\text{gain}\\sqrt{3/n_\\text{in}}`.

    The default gain :math:`\\sqrt 2` is the one for ReLU, as in PyTorch.
    Parameters and return value as in :func:`xavier_uniform_`.

    Examples
    --------
    >>> w = kaiming_uniform_(Parameter(np.zeros((4, 6))), rng=np.random.default_rng(0))
    >>> bool(np.all(np.abs(w.value) <= 1.0))     # sqrt(2) * sqrt(3 / 6) = 1
    True
    """
    fan_in, _ = fans(_check_param(param).shape)
    std = check_positive_real(gain, "gain") / math.sqrt(fan_in)
    return _uniform_(param, math.sqrt(3.0) * std, rng)


def kaiming_normal_(
    param: Parameter, *, rng: np.random.Generator, gain: float = math.sqrt(2.0)
) -> Parameter:
    """Kaiming/He normal initialisation (fan-in mode), in place.

    Draws from :math:`N(0, \\sigma^2)` with :math:`\\sigma = \\text{gain}/\\sqrt{n_\\text{in}}`.

    Parameters and return value as in :func:`xavier_uniform_`.

    Examples
    --------
    >>> w = kaiming_normal_(Parameter(np.zeros((500, 200))), rng=np.random.default_rng(0))
    >>> round(float(w.value.std() / np.sqrt(2 / 200)), 2)
    1.0
    """
    fan_in, _ = fans(_check_param(param).shape)
    std = check_positive_real(gain, "gain") / math.sqrt(fan_in)
    return _normal_(param, std, rng)


def normal_(param: Parameter, std: float, *, rng: np.random.Generator) -> Parameter:
    """Draw every entry from :math:`N(0, \\text{std}^2)`, whatever the layer's size.

    A fixed small `std` such as 0.01 is the classic choice that makes deep
    networks' signals vanish; ``std=0`` sets every weight to 0.

    Parameters
    ----------
    param : Parameter
        Any shape; overwritten in place.
    std : float
        Standard deviation >= 0.
    rng : numpy.random.Generator
        Source of the random numbers.

    Returns
    -------
    Parameter
        `param` itself, filled with draws from :math:`N(0, \\text{std}^2)`.

    Examples
    --------
    >>> w = normal_(Parameter(np.zeros((300, 300))), 0.01, rng=np.random.default_rng(0))
    >>> round(float(w.value.std()), 4)
    0.01
    """
    std = check_nonnegative_real(std, "std")
    return _normal_(_check_param(param), std, rng)


def zeros_(param: Parameter) -> Parameter:
    """Set every entry to 0 in place (the usual start for biases).

    Examples
    --------
    >>> zeros_(Parameter([1.0, 2.0])).value
    array([0., 0.])
    """
    _check_param(param).value[...] = 0.0
    return param
