"""Tests for dlnotes.metrics: by hand on small cases, and against scikit-learn."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.metrics import balanced_accuracy, confusion_matrix, f1_score, precision, recall

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "metrics.balanced_accuracy",
    "metrics.confusion_matrix",
    "metrics.f1_score",
    "metrics.precision",
    "metrics.recall",
)

# y_true: 0 0 0 0 1 1 1 2 2 2
# y_pred: 0 0 1 2 1 1 0 2 2 0
Y_TRUE = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2, 2])
Y_PRED = np.array([0, 0, 1, 2, 1, 1, 0, 2, 2, 0])


def test_confusion_matrix_by_hand():
    expected = np.array([[2, 1, 1], [1, 2, 0], [1, 0, 2]])
    np.testing.assert_array_equal(confusion_matrix(Y_TRUE, Y_PRED), expected)
    assert confusion_matrix(Y_TRUE, Y_PRED).dtype == np.int64
    padded = confusion_matrix(Y_TRUE, Y_PRED, n_classes=5)
    assert padded.shape == (5, 5) and padded[:3, :3].tolist() == expected.tolist()
    assert padded[3:].sum() == padded[:, 3:].sum() == 0


def test_per_class_metrics_by_hand():
    # class 0: TP 2, FP 2 (rows 1 and 2 of column 0), FN 2
    # class 1: TP 2, FP 1, FN 1;   class 2: TP 2, FP 1, FN 1
    np.testing.assert_allclose(precision(Y_TRUE, Y_PRED, average=None), [2 / 4, 2 / 3, 2 / 3])
    np.testing.assert_allclose(recall(Y_TRUE, Y_PRED, average=None), [2 / 4, 2 / 3, 2 / 3])
    np.testing.assert_allclose(f1_score(Y_TRUE, Y_PRED, average=None), [0.5, 2 / 3, 2 / 3])
    assert precision(Y_TRUE, Y_PRED, average="macro") == pytest.approx((0.5 + 4 / 3) / 3)
    assert balanced_accuracy(Y_TRUE, Y_PRED) == pytest.approx((0.5 + 2 / 3 + 2 / 3) / 3)


def test_binary_metrics_by_hand():
    y_true = np.array([1, 1, 1, 0, 0, 0, 0, 0])
    y_pred = np.array([1, 0, 0, 1, 0, 0, 0, 0])  # TP 1, FN 2, FP 1, TN 4
    assert precision(y_true, y_pred) == 0.5
    assert recall(y_true, y_pred) == pytest.approx(1 / 3)
    assert f1_score(y_true, y_pred) == pytest.approx(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))
    assert recall(y_true, y_pred, pos_label=0) == 0.8
    assert balanced_accuracy(y_true, y_pred) == pytest.approx((1 / 3 + 4 / 5) / 2)
    for metric in (precision, recall, f1_score):
        assert isinstance(metric(y_true, y_pred), float)


def test_zero_division_gives_zero():
    y_true, y_pred = np.array([0, 0, 1, 1]), np.zeros(4, dtype=int)
    assert precision(y_true, y_pred) == 0.0  # nothing predicted positive
    assert f1_score(y_true, y_pred) == 0.0
    assert recall(np.zeros(4, dtype=int), np.zeros(4, dtype=int)) == 0.0  # no positives at all


def test_accuracy_paradox():
    """On 99 % negatives, always answering "negative" has 99 % accuracy, yet recall 0, F1 0
    and balanced accuracy 0.5."""
    y_true = np.array([0] * 990 + [1] * 10)
    y_pred = np.zeros(1000, dtype=int)
    assert np.mean(y_true == y_pred) == 0.99
    assert recall(y_true, y_pred) == f1_score(y_true, y_pred) == 0.0
    assert balanced_accuracy(y_true, y_pred) == 0.5


def test_any_label_values():
    y_true = np.array(["cat", "dog", "dog", "cat"])
    y_pred = np.array(["cat", "cat", "dog", "cat"])
    assert precision(y_true, y_pred, pos_label="dog") == 1.0
    assert recall(y_true, y_pred, pos_label="dog") == 0.5
    assert balanced_accuracy(y_true, y_pred) == 0.75


# --------------------------------------------------------------------------------------------
# Against scikit-learn
# --------------------------------------------------------------------------------------------


@st.composite
def predictions(draw, max_classes=5):
    n_classes = draw(st.integers(1, max_classes))
    n = draw(st.integers(1, 40))
    labels = st.integers(0, n_classes - 1)
    y_true = np.array(draw(st.lists(labels, min_size=n, max_size=n)))
    y_pred = np.array(draw(st.lists(labels, min_size=n, max_size=n)))
    return y_true, y_pred


def quietly(function, *args, **kwargs):
    """Call a scikit-learn metric without its UserWarnings (a single label in y_true and y_pred;
    classes in y_pred missing from y_true, which balanced accuracy counts as errors)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return function(*args, **kwargs)


@given(predictions())
def test_multiclass_metrics_agree_with_scikit_learn(data):
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    y_true, y_pred = data
    k = int(max(y_true.max(), y_pred.max())) + 1
    np.testing.assert_array_equal(
        confusion_matrix(y_true, y_pred, k),
        quietly(sklearn_metrics.confusion_matrix, y_true, y_pred, labels=np.arange(k)),
    )
    for ours, theirs in (
        (precision, sklearn_metrics.precision_score),
        (recall, sklearn_metrics.recall_score),
        (f1_score, sklearn_metrics.f1_score),
    ):
        for average in ("macro", None):
            np.testing.assert_allclose(
                ours(y_true, y_pred, average=average),
                quietly(theirs, y_true, y_pred, average=average, zero_division=0),
                rtol=1e-14,
                err_msg=f"{ours.__name__}, average={average}",
            )
    expected = quietly(sklearn_metrics.balanced_accuracy_score, y_true, y_pred)
    assert balanced_accuracy(y_true, y_pred) == pytest.approx(expected, rel=1e-14)


@given(predictions(max_classes=2), st.sampled_from([0, 1]))
def test_binary_metrics_agree_with_scikit_learn(data, pos_label):
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    y_true, y_pred = data
    for ours, theirs in (
        (precision, sklearn_metrics.precision_score),
        (recall, sklearn_metrics.recall_score),
        (f1_score, sklearn_metrics.f1_score),
    ):
        expected = quietly(theirs, y_true, y_pred, pos_label=pos_label, zero_division=0)
        assert ours(y_true, y_pred, pos_label=pos_label) == pytest.approx(expected, rel=1e-14)


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


def test_errors():
    with pytest.raises(ValueError, match=r"y_true and y_pred .* \(3,\) .* \(2,\)"):
        precision([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match=r"1-D arrays .* \(2, 1\)"):
        recall(np.zeros((2, 1), dtype=int), np.zeros((2, 1), dtype=int))
    with pytest.raises(
        ValueError, match=r"average='binary' needs at most two classes.*\[0, 1, 2\]"
    ):
        f1_score([0, 1, 2], [0, 1, 1])
    with pytest.raises(ValueError, match="average must be one of"):
        precision([0, 1], [0, 1], average="micro")
    with pytest.raises(ValueError, match=r"pos_label=1 is not one of the labels \[0, 2\]"):
        recall([0, 2], [2, 0])
    with pytest.raises(ValueError, match=r"y_pred must hold class indices in \[0, 2\)"):
        confusion_matrix([0, 1], [0, 2], n_classes=2)
    with pytest.raises(TypeError, match="y_true must hold integer class indices"):
        confusion_matrix([0.0, 1.0], [0, 1])
    with pytest.raises(ValueError, match="n_classes must be a positive integer"):
        confusion_matrix([0, 1], [0, 1], n_classes=0)
    with pytest.raises(ValueError, match="at least one sample"):
        balanced_accuracy([], [])
