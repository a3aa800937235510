"""Loss functions with their gradients (chapter 3).

A loss compares a prediction with a target and returns one number, the mean over
all samples (and all elements). Every loss follows one protocol:

``forward(pred, target) -> float``
    The mean loss; ``loss(pred, target)`` is the same. It remembers what the
    backward pass needs.
``backward() -> dpred``
    :math:`\\partial L/\\partial \\text{pred}` for the last forward pass, shaped
    like ``pred``: the ``dout`` that starts back-propagation through a network.

The classification losses take *logits* (raw scores), not probabilities, and
are stable for logits as large as ``|z| = 1e4``: no overflow, no warning, no
infinite loss.

Examples
--------
>>> import numpy as np
>>> from dlnotes.losses import CrossEntropyLoss
>>> loss = CrossEntropyLoss()
>>> logits = np.zeros((2, 4))            # uniform scores over K = 4 classes
>>> round(loss(logits, np.array([0, 3])), 6)   # ln 4
1.386294
>>> loss.backward()                      # (softmax - one-hot) / N
array([[-0.375,  0.125,  0.125,  0.125],
       [ 0.125,  0.125,  0.125, -0.375]])
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes import activations as F
from dlnotes._core import Differentiable
from dlnotes._validation import as_class_indices, as_float_array

__all__ = ["BCEWithLogitsLoss", "CrossEntropyLoss", "Loss", "MSELoss"]

Array = NDArray[np.floating]


class Loss(Differentiable):
    """Base class: ``__call__`` is ``forward``; `backward` needs a forward first."""

    def forward(self, pred: ArrayLike, target: ArrayLike) -> float:
        raise NotImplementedError

    def backward(self) -> Array:
        raise NotImplementedError

    def __call__(self, pred: ArrayLike, target: ArrayLike) -> float:
        return self.forward(pred, target)


def _same_shape(pred: ArrayLike, target: ArrayLike) -> tuple[Array, Array]:
    """Both arguments as float arrays of one non-empty shape, or a `ValueError`."""
    pred, target = as_float_array(pred, "pred"), as_float_array(target, "target")
    if pred.shape != target.shape:
        raise ValueError(
            f"pred and target must have the same shape, got {pred.shape} and {target.shape}"
        )
    if pred.size == 0:
        raise ValueError(f"pred must not be empty, got shape {pred.shape}")
    return pred, target


class MSELoss(Loss):
    """Mean squared error :math:`L = \\frac{1}{n}\\sum_i (\\hat y_i - y_i)^2`.

    The mean runs over all :math:`n` elements (PyTorch's ``reduction="mean"``).

    Notes
    -----
    Shapes: ``pred`` and ``target`` any shape, the same for both;
    ``backward() = 2 (pred - target) / n``, shaped like ``pred``.

    Examples
    --------
    >>> loss = MSELoss()
    >>> loss(np.array([1.0, 2.0, 4.0]), np.array([1.0, 0.0, 1.0]))   # (0 + 4 + 9) / 3
    4.333333333333333
    >>> loss.backward().round(4)
    array([0.    , 1.3333, 2.    ])
    """

    _diff: Array | None = None

    def forward(self, pred: ArrayLike, target: ArrayLike) -> float:
        pred, target = _same_shape(pred, target)
        self._diff = pred - target
        return float(np.mean(self._diff**2))

    def backward(self) -> Array:
        diff = self._saved("_diff")
        return 2.0 * diff / diff.size


class CrossEntropyLoss(Loss):
    """Softmax cross-entropy for multi-class classification, from logits.

    With :math:`p = \\mathrm{softmax}(z)` per row,
    :math:`L = -\\frac{1}{N}\\sum_i \\ln p_{i, y_i}`, computed as
    ``-log_softmax(z)[i, y_i]`` so that no probability underflows to a log of 0.
    Uniform logits give :math:`L = \\ln K`, the loss of guessing.

    Notes
    -----
    Shapes:

    - ``pred``: logits ``(N, K)``, any real scores;
    - ``target``: integer class indices ``(N,)`` in ``[0, K)``;
    - ``backward() = (softmax(pred) - onehot(target)) / N``, ``(N, K)``.

    Equivalent to ``torch.nn.CrossEntropyLoss()`` with class-index targets.

    Examples
    --------
    >>> loss = CrossEntropyLoss()
    >>> logits = np.array([[0.0, np.log(2.0), np.log(3.0)]])   # softmax = [1, 2, 3] / 6
    >>> round(loss(logits, np.array([2])), 6)                   # -ln(3/6) = ln 2
    0.693147
    >>> loss.backward().round(4)
    array([[ 0.1667,  0.3333, -0.5   ]])
    """

    _logits: Array | None = None
    _target: NDArray[np.intp] | None = None

    def forward(self, pred: ArrayLike, target: ArrayLike) -> float:
        logits = as_float_array(pred, "pred")
        if logits.ndim != 2 or logits.shape[0] == 0 or logits.shape[1] == 0:
            raise ValueError(
                f"pred must be logits of shape (N, K) with N, K >= 1, got shape {logits.shape}"
            )
        n, k = logits.shape
        target = as_class_indices(target, k, "target")
        if target.shape != (n,):
            raise ValueError(
                f"target must have shape (N,) = ({n},) for logits of shape {logits.shape}, "
                f"got {target.shape}"
            )
        self._logits, self._target = logits, target
        return float(-np.mean(F.log_softmax(logits)[np.arange(n), target]))

    def backward(self) -> Array:
        logits, target = self._saved("_logits"), self._saved("_target")
        n = logits.shape[0]
        grad = F.softmax(logits)
        grad[np.arange(n), target] -= 1.0
        return grad / n


class BCEWithLogitsLoss(Loss):
    """Binary cross-entropy on logits: the sigmoid and the cross-entropy in one step.

    With :math:`p = \\sigma(z)`,
    :math:`\\ell = -[t \\ln p + (1 - t) \\ln(1 - p)]`, rewritten as
    :math:`\\max(z, 0) - z t + \\ln(1 + e^{-|z|})`, which never takes the log of 0 nor
    overflows; :math:`L` is the mean over all elements. The targets :math:`t` may be
    soft labels anywhere in :math:`[0, 1]`.

    Notes
    -----
    Shapes: ``pred`` (logits) and ``target`` any shape, the same for both;
    ``backward() = (sigmoid(pred) - target) / n``, shaped like ``pred``.

    Equivalent to ``torch.nn.BCEWithLogitsLoss()``.

    Examples
    --------
    >>> loss = BCEWithLogitsLoss()
    >>> round(loss(np.zeros(3), np.array([0.0, 1.0, 0.5])), 6)   # ln 2 at z = 0
    0.693147
    >>> loss(np.array([1e4, -1e4]), np.array([1.0, 0.0]))     # confident and right
    0.0
    >>> loss.backward()
    array([0., 0.])
    """

    _logits: Array | None = None
    _target: Array | None = None

    def forward(self, pred: ArrayLike, target: ArrayLike) -> float:
        logits, target = _same_shape(pred, target)
        if not np.all((target >= 0) & (target <= 1)):  # also catches NaN
            raise ValueError(
                f"target must lie in [0, 1], got values from {target.min()} to {target.max()}"
            )
        self._logits, self._target = logits, target
        losses = np.maximum(logits, 0.0) - logits * target + np.log1p(np.exp(-np.abs(logits)))
        return float(np.mean(losses))

    def backward(self) -> Array:
        logits, target = self._saved("_logits"), self._saved("_target")
        return (F.sigmoid(logits) - target) / logits.size
