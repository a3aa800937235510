"""Loss functions with their gradients (chapter 3).

A loss compares a prediction with a target and returns one number, the mean over
all samples (and all elements). Every loss follows one protocol:

``forward(pred, target) -> float``
    The mean loss; ``loss(pred, target)`` is the same. It remembers what the
    backward pass needs.
``backward() -> dpred``
    :math:`\\partial L/\\partial \\text{pred}` for the last forward pass, shaped
    like ``pred``: the ``dout`` that starts back-propagation through a network.

Predictions and targets must be finite: NaN or infinity in either raises a `ValueError`
that names the argument and counts the entries, before anything is computed. (A loss of
NaN would otherwise pass quietly into the gradients; :func:`dlnotes.train.fit` reports a
network whose outputs have overflowed as a divergence.)

For regression, :class:`MSELoss`, :class:`L1Loss` and :class:`HuberLoss` compare
real predictions with real targets. For classification, :class:`CrossEntropyLoss`
and :class:`BCEWithLogitsLoss` take *logits* (raw scores), not probabilities, and
are stable for logits as large as ``|z| = 1e4``: no overflow, no warning, no
infinite loss. :class:`HingeLoss` and :class:`ExponentialLoss` take real scores
:math:`s` and labels :math:`y \\in \\{-1, +1\\}` and are functions of the margin
:math:`y s`: as the margin turns negative the hinge loss grows linearly, the
exponential loss exponentially, which makes it infinite in float64 once
the margin falls below about -709.78 (see :class:`ExponentialLoss`).

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
>>> loss(np.array([[0.0, np.nan], [np.inf, 1.0]]), np.array([0, 1]))
Traceback (most recent call last):
  ...
ValueError: pred has 2 non-finite entries (NaN or infinity) of 4
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes import activations as F
from dlnotes._core import Differentiable
from dlnotes._validation import (
    as_class_indices,
    as_float_array,
    check_finite,
    check_positive_real,
)

__all__ = [
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "ExponentialLoss",
    "HingeLoss",
    "HuberLoss",
    "L1Loss",
    "Loss",
    "MSELoss",
]

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
    """Both arguments as finite float arrays of one non-empty shape, or a `ValueError`."""
    pred, target = as_float_array(pred, "pred"), as_float_array(target, "target")
    check_finite(pred, "pred")
    check_finite(target, "target")
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


class L1Loss(Loss):
    """Mean absolute error (MAE) :math:`L = \\frac{1}{n}\\sum_i \\lvert \\hat y_i - y_i\\rvert`.

    The mean runs over all :math:`n` elements (PyTorch's ``reduction="mean"``). Each error
    counts in proportion to its size, not its square, so a few large errors (outliers)
    pull the fit less than under :class:`MSELoss`.

    Notes
    -----
    Shapes: ``pred`` and ``target`` any shape, the same for both;
    ``backward() = sign(pred - target) / n``, shaped like ``pred``. At
    ``pred == target``, where :math:`\\lvert r\\rvert` has no derivative, the gradient
    is 0, as in PyTorch.

    Equivalent to ``torch.nn.L1Loss()``.

    Examples
    --------
    >>> loss = L1Loss()
    >>> loss(np.array([1.0, 2.0, 4.0, 0.0]), np.array([1.0, 0.0, 1.0, 1.0]))   # (0 + 2 + 3 + 1) / 4
    1.5
    >>> loss.backward()
    array([ 0.  ,  0.25,  0.25, -0.25])
    """

    _diff: Array | None = None

    def forward(self, pred: ArrayLike, target: ArrayLike) -> float:
        pred, target = _same_shape(pred, target)
        self._diff = pred - target
        return float(np.mean(np.abs(self._diff)))

    def backward(self) -> Array:
        diff = self._saved("_diff")
        return np.sign(diff) / diff.size


class HuberLoss(Loss):
    """Huber loss: quadratic for small errors, linear for large ones.

    With :math:`r_i = \\hat y_i - y_i` and :math:`\\delta > 0`,

    .. math::

        \\ell_\\delta(r) = \\begin{cases}
            \\tfrac12 r^2 & \\lvert r\\rvert \\le \\delta, \\\\
            \\delta\\,(\\lvert r\\rvert - \\tfrac12 \\delta) & \\lvert r\\rvert > \\delta,
        \\end{cases}
        \\qquad L = \\frac{1}{n}\\sum_i \\ell_\\delta(r_i).

    The two pieces meet at :math:`\\lvert r\\rvert = \\delta` with the same value and slope,
    so the loss is differentiable everywhere, with derivative
    :math:`\\operatorname{clip}(r, -\\delta, \\delta)`: an error counts as in half the MSE
    while it is small and like :math:`\\delta` times the MAE (less
    :math:`\\delta^2/2`) once it is large. When every :math:`\\lvert r_i\\rvert \\le \\delta`,
    :math:`L` is half the :class:`MSELoss`.

    Parameters
    ----------
    delta : float, default 1.0
        :math:`\\delta > 0`, where the quadratic piece gives way to the linear one.

    Notes
    -----
    Shapes: ``pred`` and ``target`` any shape, the same for both;
    ``backward() = clip(pred - target, -delta, delta) / n``, shaped like ``pred``.
    Computed as :math:`q\\,(\\lvert r\\rvert - \\tfrac12 q)` with
    :math:`q = \\min(\\lvert r\\rvert, \\delta)`, which is both pieces at once and never
    squares a large error.

    Equivalent to ``torch.nn.HuberLoss(delta=delta)``.

    Examples
    --------
    Errors 0.5 and -3 with :math:`\\delta = 1`: :math:`\\tfrac12 0.5^2 = 0.125` and
    :math:`1 \\cdot (3 - 0.5) = 2.5`:

    >>> loss = HuberLoss(delta=1.0)
    >>> loss(np.array([0.5, -3.0]), np.zeros(2))   # (0.125 + 2.5) / 2
    1.3125
    >>> loss.backward()                             # clip(r, -1, 1) / 2
    array([ 0.25, -0.5 ])
    """

    _diff: Array | None = None

    def __init__(self, delta: float = 1.0) -> None:
        self.delta = check_positive_real(delta, "delta")

    def __repr__(self) -> str:
        return f"HuberLoss(delta={self.delta!r})"

    def forward(self, pred: ArrayLike, target: ArrayLike) -> float:
        pred, target = _same_shape(pred, target)
        self._diff = pred - target
        size = np.abs(self._diff)
        q = np.minimum(size, self.delta)
        return float(np.mean(q * (size - 0.5 * q)))

    def backward(self) -> Array:
        diff = self._saved("_diff")
        return np.clip(diff, -self.delta, self.delta) / diff.size


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
        check_finite(logits, "pred")
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
        if not np.all((target >= 0) & (target <= 1)):
            raise ValueError(
                f"target must lie in [0, 1], got values from {target.min()} to {target.max()}"
            )
        self._logits, self._target = logits, target
        losses = np.maximum(logits, 0.0) - logits * target + np.log1p(np.exp(-np.abs(logits)))
        return float(np.mean(losses))

    def backward(self) -> Array:
        logits, target = self._saved("_logits"), self._saved("_target")
        return (F.sigmoid(logits) - target) / logits.size


def _signed_labels(pred: ArrayLike, target: ArrayLike) -> tuple[Array, Array]:
    """Scores and labels in {-1, +1} of one non-empty shape, or a `ValueError`."""
    scores, labels = _same_shape(pred, target)
    bad = (labels != 1.0) & (labels != -1.0)
    if np.any(bad):
        found = np.unique(labels[bad])
        hint = " (labels 0 and 1? use 2 * target - 1)" if np.all(found == 0.0) else ""
        raise ValueError(
            f"target must hold the labels -1 and +1 only, got {found[:5].tolist()} "
            f"in target of shape {labels.shape}{hint}"
        )
    return scores, labels


class HingeLoss(Loss):
    """Hinge loss for two classes: :math:`L = \\frac{1}{n}\\sum_i \\max(0,\\, 1 - y_i s_i)`.

    The scores :math:`s_i` are real numbers (the class is the sign of :math:`s_i`), the
    labels :math:`y_i \\in \\{-1, +1\\}`; :math:`m_i = y_i s_i` is the *margin*, positive
    when the sign is right. A sample costs nothing once its margin reaches 1, and
    :math:`1 - m_i` below that: a right answer that is not confident enough still
    counts, a wrong one counts in proportion to how wrong it is. The loss of the
    support vector machine; it is at least the error rate, since
    :math:`\\max(0, 1 - m) \\ge 1` whenever :math:`m \\le 0`.

    Notes
    -----
    Shapes: ``pred`` (scores, typically ``(N,)``) and ``target`` (labels -1 or +1,
    integers or floats) any shape, the same for both; the mean runs over all
    :math:`n` elements. ``backward() = -target / n`` where the margin is below 1, and 0
    elsewhere, shaped like ``pred``. At the kink, margin exactly 1, the subgradient 0
    is taken.

    The same numbers as ``torch.nn.functional.margin_ranking_loss(pred, 0, target,
    margin=1.0)`` (PyTorch has no hinge loss of this name for two classes), except at
    the kink, where PyTorch's gradient is ``-target / n``; both are subgradients.

    Examples
    --------
    Margins 2, 0.5 and -1 cost 0, 0.5 and 2:

    >>> loss = HingeLoss()
    >>> loss(np.array([2.0, -0.5, -1.0]), np.array([1, -1, 1]))   # (0 + 0.5 + 2) / 3
    0.8333333333333334
    >>> loss.backward().round(4)                                   # -y / 3 where y s < 1
    array([ 0.    ,  0.3333, -0.3333])
    """

    _scores: Array | None = None
    _labels: Array | None = None

    def forward(self, pred: ArrayLike, target: ArrayLike) -> float:
        scores, labels = _signed_labels(pred, target)
        self._scores, self._labels = scores, labels
        return float(np.mean(np.maximum(0.0, 1.0 - labels * scores)))

    def backward(self) -> Array:
        scores, labels = self._saved("_scores"), self._saved("_labels")
        return np.where(labels * scores < 1.0, -labels, 0.0) / scores.size


class ExponentialLoss(Loss):
    """Exponential loss for two classes: :math:`L = \\frac{1}{n}\\sum_i e^{-y_i s_i}`.

    Scores :math:`s_i` and labels :math:`y_i \\in \\{-1, +1\\}` as for :class:`HingeLoss`;
    the loss of AdaBoost. Smooth everywhere, never exactly 0, and at least the hinge loss
    (:math:`e^{-m} \\ge 1 - m`), hence at least the error rate; but a wrong answer costs
    exponentially in its margin, so a single badly misclassified sample (an outlier or
    a wrong label) can dominate the mean.

    Notes
    -----
    Shapes: ``pred`` (scores, typically ``(N,)``) and ``target`` (labels -1 or +1) any
    shape, the same for both; ``backward() = -target * exp(-target * pred) / n``, shaped
    like ``pred``.

    Domain: :math:`e^{-m}` exceeds the largest float64 (about :math:`1.8 \\times 10^{308}`)
    once the margin :math:`m = y s` falls below :math:`-\\ln(1.8 \\times 10^{308})
    \\approx -709.78`. Such a term is returned as ``inf``, which is its value rounded to
    float64, and so are the loss and that entry of the gradient (``-y * inf``); no
    warning is raised and no NaN appears. Large positive margins underflow to a term
    and gradient entry of 0, again without a warning. For scores as large as ``1e4``
    the loss is therefore finite only if no sample is wrong by a margin beyond about
    -709.78; where wrong scores can be that large, :class:`BCEWithLogitsLoss` and
    :class:`HingeLoss` stay finite.

    PyTorch has no exponential loss; the oracle tests compare it with
    ``torch.exp(-target * pred).mean()`` and its autograd gradient.

    Examples
    --------
    >>> loss = ExponentialLoss()
    >>> loss(np.zeros(3), np.array([1, -1, 1]))      # e^0 = 1 for every sample
    1.0
    >>> loss.backward().round(4)                     # -y / 3
    array([-0.3333,  0.3333, -0.3333])
    >>> loss(np.array([1e4, -1e4]), np.array([1, -1]))   # right and confident
    0.0
    >>> loss(np.array([-1e4]), np.array([1]))            # wrong by 1e4: e^10000
    inf
    """

    _labels: Array | None = None
    _terms: Array | None = None  # e^{-y s} / n, one per element

    def forward(self, pred: ArrayLike, target: ArrayLike) -> float:
        scores, labels = _signed_labels(pred, target)
        with np.errstate(over="ignore", under="ignore"):  # inf or 0 is the rounded value
            terms = np.exp(-labels * scores) / scores.size
            value = float(np.sum(terms))
        self._labels, self._terms = labels, terms
        return value

    def backward(self) -> Array:
        labels, terms = self._saved("_labels"), self._saved("_terms")
        return -labels * terms
