"""Classification metrics that stay honest on imbalanced data (chapter 7).

On a test set with 95 % negatives, a model that always answers "negative" has 95 %
accuracy and is useless. The metrics here look at each class separately, through the
*confusion matrix* :math:`C`, where :math:`C_{ij}` counts the samples of true class
:math:`i` predicted as class :math:`j`. For one class taken as "positive":

- true positives :math:`TP` (the diagonal entry), false positives :math:`FP` (the rest of its
  column), false negatives :math:`FN` (the rest of its row);
- :func:`precision` :math:`= TP / (TP + FP)`: of the samples called positive, how many are;
- :func:`recall` :math:`= TP / (TP + FN)`: of the positive samples, how many were found;
- :func:`f1_score` :math:`= 2PR / (P + R)`, the harmonic mean of the two, high only when both are;
- :func:`balanced_accuracy`: the recall of every class, averaged, so that each class counts
  the same however rare it is.

A ratio 0/0 (no sample predicted positive, say) is taken as 0, as scikit-learn does with
``zero_division=0``. The numbers are scikit-learn's.

Examples
--------
>>> import numpy as np
>>> y_true = np.array([0] * 95 + [1] * 5)
>>> y_pred = np.zeros(100, dtype=int)            # always "negative"
>>> float(np.mean(y_true == y_pred)), recall(y_true, y_pred), balanced_accuracy(y_true, y_pred)
(0.95, 0.0, 0.5)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes._validation import as_class_indices, check_n_samples, check_positive_int

__all__ = ["balanced_accuracy", "confusion_matrix", "f1_score", "precision", "recall"]

_AVERAGES = ("binary", "macro", None)


def _labels(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[NDArray[Any], NDArray[Any]]:
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    check_n_samples(y_true, y_pred, "y_true", "y_pred")
    if y_true.ndim != 1 or y_pred.ndim != 1:
        raise ValueError(
            "y_true and y_pred must be 1-D arrays of class labels, "
            f"got shapes {y_true.shape} and {y_pred.shape}"
        )
    return y_true, y_pred


def confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, n_classes: int | None = None
) -> NDArray[np.int64]:
    """Counts :math:`C_{ij}` of samples of true class :math:`i` predicted as class :math:`j`.

    Rows are the true classes, columns the predicted ones (scikit-learn's layout): the
    diagonal holds the correct predictions, row sums are the class sizes.

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (n,)
        Class indices in ``[0, n_classes)``.
    n_classes : int, optional
        Number of classes :math:`K`; by default one more than the largest label seen.

    Returns
    -------
    ndarray of int64, shape (K, K)

    Examples
    --------
    >>> confusion_matrix([0, 0, 1, 1, 2], [0, 1, 1, 1, 0])
    array([[1, 1, 0],
           [0, 2, 0],
           [1, 0, 0]])
    """
    y_true, y_pred = _labels(y_true, y_pred)
    if n_classes is None:
        for name, y in (("y_true", y_true), ("y_pred", y_pred)):
            if y.dtype.kind not in "iu":
                raise TypeError(
                    f"{name} must hold integer class indices, got dtype {y.dtype} (shape {y.shape})"
                )
        n_classes = int(max(y_true.max(), y_pred.max())) + 1
    k = check_positive_int(n_classes, "n_classes")
    t = as_class_indices(y_true, k, "y_true")
    p = as_class_indices(y_pred, k, "y_pred")
    return np.bincount(t * k + p, minlength=k * k).reshape(k, k).astype(np.int64)


def _ratio(num: NDArray[Any], den: NDArray[Any]) -> NDArray[np.float64]:
    """num / den elementwise, 0 where den == 0."""
    num, den = np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64)
    return np.divide(num, den, out=np.zeros_like(num), where=den != 0)


def _counts(
    y_true: ArrayLike, y_pred: ArrayLike, average: str | None, pos_label: object
) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
    """TP, FP, FN for the positive class (binary) or for each label present (otherwise)."""
    if average not in _AVERAGES:
        raise ValueError(f"average must be one of {_AVERAGES}, got {average!r}")
    y_true, y_pred = _labels(y_true, y_pred)
    present = np.unique(np.concatenate([y_true, y_pred]))
    if average == "binary":
        if len(present) > 2:
            raise ValueError(
                f"average='binary' needs at most two classes, but the labels are "
                f"{present.tolist()}: use average='macro' (or None for one value per class)"
            )
        if len(present) == 2 and pos_label not in present:
            raise ValueError(f"pos_label={pos_label!r} is not one of the labels {present.tolist()}")
        labels = np.array([pos_label])
    else:
        labels = present
    true_is = y_true[:, None] == labels  # (n, L): one column per label
    pred_is = y_pred[:, None] == labels
    tp = np.sum(true_is & pred_is, axis=0)
    fp = np.sum(~true_is & pred_is, axis=0)
    fn = np.sum(true_is & ~pred_is, axis=0)
    return tp, fp, fn


def _average(per_class: NDArray[Any], average: str | None) -> float | NDArray[np.float64]:
    if average is None:
        return per_class
    return float(np.mean(per_class))


def precision(
    y_true: ArrayLike, y_pred: ArrayLike, *, average: str | None = "binary", pos_label: object = 1
) -> float | NDArray[np.float64]:
    """Precision :math:`TP / (TP + FP)`: the fraction of predicted positives that are positive.

    Parameters
    ----------
    y_true, y_pred : array_like, shape (n,)
        True and predicted class labels.
    average : {"binary", "macro", None}, default "binary"
        ``"binary"``: the precision of class `pos_label` (at most two classes).
        ``"macro"``: the unweighted mean over every label present in `y_true` or `y_pred`,
        so that a rare class weighs as much as a frequent one. None: one value per label,
        in sorted order.
    pos_label : default 1
        The positive class for ``average="binary"``.

    Returns
    -------
    float, or ndarray of float for ``average=None``
        0 where nothing was predicted as the class.

    Examples
    --------
    >>> y_true, y_pred = [0, 0, 0, 1, 1], [0, 1, 1, 1, 0]
    >>> precision(y_true, y_pred)                  # of 3 predicted 1s, 1 is right
    0.3333333333333333
    >>> precision(y_true, y_pred, average=None)    # class 0: 1 of 2
    array([0.5       , 0.33333333])
    >>> precision(y_true, y_pred, average="macro")
    0.41666666666666663
    """
    tp, fp, _ = _counts(y_true, y_pred, average, pos_label)
    return _average(_ratio(tp, tp + fp), average)


def recall(
    y_true: ArrayLike, y_pred: ArrayLike, *, average: str | None = "binary", pos_label: object = 1
) -> float | NDArray[np.float64]:
    """Recall :math:`TP / (TP + FN)`: the fraction of the positives that were found.

    Also called sensitivity or true positive rate. Parameters as in :func:`precision`.

    Returns
    -------
    float, or ndarray of float for ``average=None``
        0 for a class with no sample in `y_true`.

    Examples
    --------
    >>> y_true, y_pred = [0, 0, 0, 1, 1], [0, 1, 1, 1, 0]
    >>> recall(y_true, y_pred)                     # 1 of the 2 positives found
    0.5
    >>> recall(y_true, y_pred, average=None)
    array([0.33333333, 0.5       ])
    """
    tp, _, fn = _counts(y_true, y_pred, average, pos_label)
    return _average(_ratio(tp, tp + fn), average)


def f1_score(
    y_true: ArrayLike, y_pred: ArrayLike, *, average: str | None = "binary", pos_label: object = 1
) -> float | NDArray[np.float64]:
    """F1 score :math:`2PR/(P + R) = 2TP / (2TP + FP + FN)`, the harmonic mean of P and R.

    The harmonic mean is dominated by the smaller of the two: a model cannot score well by
    calling everything positive (recall 1, precision low) or almost nothing (the reverse).
    With ``average="macro"`` it is the mean of the per-class F1 scores (not the F1 of
    the mean precision and recall), as in scikit-learn. Parameters as in :func:`precision`.

    Returns
    -------
    float, or ndarray of float for ``average=None``

    Examples
    --------
    >>> y_true, y_pred = [0, 0, 0, 1, 1], [0, 1, 1, 1, 0]
    >>> f1_score(y_true, y_pred)                   # 2 * (1/3) * (1/2) / (1/3 + 1/2)
    0.4
    >>> f1_score([0, 1, 2, 2], [0, 2, 2, 2], average="macro")   # (1 + 0 + 0.8) / 3
    0.6
    """
    tp, fp, fn = _counts(y_true, y_pred, average, pos_label)
    return _average(_ratio(2 * tp, 2 * tp + fp + fn), average)


def balanced_accuracy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """The recall of each class, averaged over the classes of `y_true`.

    .. math:: \\frac{1}{K} \\sum_{k=1}^{K} \\frac{TP_k}{n_k}

    where :math:`n_k` is the number of samples of class :math:`k`. Always guessing the
    majority class scores :math:`1/K` (0.5 for two classes), however skewed the data;
    on balanced data it equals the accuracy. Predicted labels that never occur in
    `y_true` only count as errors.

    Parameters
    ----------
    y_true, y_pred : array_like, shape (n,)
        True and predicted class labels.

    Returns
    -------
    float
        The mean recall over the classes, in [0, 1].

    Examples
    --------
    >>> balanced_accuracy([0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 0, 1])   # (4/4 + 1/2) / 2
    0.75
    """
    y_true, y_pred = _labels(y_true, y_pred)
    classes = np.unique(y_true)
    true_is = y_true[:, None] == classes
    hits = np.sum(true_is & (y_pred[:, None] == classes), axis=0)
    return float(np.mean(hits / true_is.sum(axis=0)))
