"""Tests for dlnotes.losses: closed forms, gradients, properties, extremes, bad input."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from strict import strict_fp

from dlnotes import activations as A
from dlnotes.losses import BCEWithLogitsLoss, CrossEntropyLoss, Loss, MSELoss

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "losses.BCEWithLogitsLoss",
    "losses.CrossEntropyLoss",
    "losses.Loss",
    "losses.MSELoss",
)

LN2, LN3 = math.log(2.0), math.log(3.0)


def logits_and_targets(rng, n, k, scale=2.0):
    return rng.normal(scale=scale, size=(n, k)), rng.integers(0, k, size=n)


# --------------------------------------------------------------------------------------------
# 1. Closed-form values
# --------------------------------------------------------------------------------------------


def test_mse_by_hand():
    loss = MSELoss()
    pred = np.array([[1.0, 2.0], [3.0, -1.0]])
    target = np.array([[0.0, 2.0], [1.0, 1.0]])
    # squared errors 1, 0, 4, 4: mean 9/4
    assert loss(pred, target) == 2.25
    np.testing.assert_array_equal(loss.backward(), [[0.5, 0.0], [1.0, -1.0]])  # 2 (p - t) / 4


def test_mse_of_equal_arrays_is_zero(rng):
    x = rng.normal(size=(3, 4))
    loss = MSELoss()
    assert loss(x, x.copy()) == 0.0
    np.testing.assert_array_equal(loss.backward(), 0.0)


@pytest.mark.parametrize("k", [1, 2, 3, 10, 1000])
def test_cross_entropy_of_uniform_logits_is_ln_k(k, rng):
    """Equal scores: p = 1/K for every class, so the loss is ln K whatever the targets."""
    logits = np.full((5, k), rng.normal())
    loss = CrossEntropyLoss()
    assert loss(logits, rng.integers(0, k, size=5)) == pytest.approx(math.log(k), rel=1e-14, abs=0)


def test_cross_entropy_by_hand():
    """softmax([0, ln 2, ln 3]) = [1, 2, 3]/6: the losses are ln 6, ln 3 and ln 2."""
    row = [0.0, LN2, LN3]
    logits = np.array([row, row, row])
    loss = CrossEntropyLoss()
    value = loss(logits, np.array([0, 1, 2]))
    assert value == pytest.approx((math.log(6) + LN3 + LN2) / 3, rel=1e-14)
    p = np.array([1.0, 2.0, 3.0]) / 6
    expected = (np.tile(p, (3, 1)) - np.eye(3)) / 3
    np.testing.assert_allclose(loss.backward(), expected, rtol=1e-14)


def test_cross_entropy_of_a_confident_right_answer_is_small():
    loss = CrossEntropyLoss()
    assert loss(np.array([[20.0, 0.0, 0.0]]), np.array([0])) == pytest.approx(
        math.log(1 + 2 * math.exp(-20)), rel=1e-12
    )
    assert loss(np.array([[20.0, 0.0, 0.0]]), np.array([1])) == pytest.approx(20.0, rel=1e-8)


@pytest.mark.parametrize("t", [0.0, 0.25, 0.5, 1.0])
def test_bce_at_zero_logit_is_ln_2(t):
    """sigma(0) = 1/2, so -[t ln 1/2 + (1 - t) ln 1/2] = ln 2 for every target."""
    loss = BCEWithLogitsLoss()
    assert loss(np.zeros((2, 3)), np.full((2, 3), t)) == pytest.approx(LN2, rel=1e-15)
    np.testing.assert_allclose(loss.backward(), (0.5 - t) / 6, rtol=1e-15)


def test_bce_by_hand():
    """z = ln 3: p = 3/4. t = 1 gives -ln 3/4; t = 0 gives -ln 1/4."""
    loss = BCEWithLogitsLoss()
    value = loss(np.array([LN3, LN3]), np.array([1.0, 0.0]))
    assert value == pytest.approx((-math.log(0.75) - math.log(0.25)) / 2, rel=1e-14)
    np.testing.assert_allclose(loss.backward(), [(0.75 - 1) / 2, 0.75 / 2], rtol=1e-14)


def test_bce_equals_the_textbook_formula(rng):
    """max(z, 0) - z t + log1p(exp(-|z|)) = -[t ln sigma(z) + (1 - t) ln(1 - sigma(z))]."""
    z = rng.normal(scale=3.0, size=(4, 5))
    t = rng.uniform(size=(4, 5))
    p = 1 / (1 + np.exp(-z))
    textbook = -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))
    assert BCEWithLogitsLoss()(z, t) == pytest.approx(textbook, rel=1e-12)


def test_losses_return_python_floats_and_gradients_shaped_like_pred(rng):
    cases = [
        (MSELoss(), rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 4))),
        (CrossEntropyLoss(), *logits_and_targets(rng, 6, 4)),
        (BCEWithLogitsLoss(), rng.normal(size=(5,)), rng.uniform(size=(5,))),
    ]
    for loss, pred, target in cases:
        value = loss(pred, target)
        assert type(value) is float
        assert value == loss.forward(pred, target)
        grad = loss.backward()
        assert grad.shape == pred.shape and grad.dtype == np.float64
        np.testing.assert_array_equal(loss.backward(), grad)  # backward can be repeated
        assert isinstance(loss, Loss)
        assert repr(loss) == f"{type(loss).__name__}()"


def test_losses_accept_lists_and_integer_predictions():
    assert MSELoss()([1, 2], [0, 0]) == 2.5
    assert CrossEntropyLoss()([[0, 0]], [1]) == pytest.approx(LN2, rel=1e-15)
    assert BCEWithLogitsLoss()([0, 0], [0, 1]) == pytest.approx(LN2, rel=1e-15)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8])
def test_cross_entropy_accepts_any_integer_target_dtype(dtype, rng):
    logits, target = logits_and_targets(rng, 4, 3)
    expected = CrossEntropyLoss()(logits, target)
    assert CrossEntropyLoss()(logits, target.astype(dtype)) == expected


# --------------------------------------------------------------------------------------------
# 2. Gradients (against central differences: tests/gradcheck_cases.py)
# --------------------------------------------------------------------------------------------


def test_cross_entropy_with_one_class_is_zero_and_has_zero_gradient(rng):
    """One class: the loss is 0 whatever the logit, and so is its gradient."""
    logits = rng.normal(scale=3.0, size=(3, 1))
    loss = CrossEntropyLoss()
    assert loss(logits, np.zeros(3, dtype=int)) == 0.0
    np.testing.assert_array_equal(loss.backward(), 0.0)


# --------------------------------------------------------------------------------------------
# 3. Hypothesis properties
# --------------------------------------------------------------------------------------------


@st.composite
def classification_batches(draw, bound=1e3):
    n = draw(st.integers(1, 6))
    k = draw(st.integers(1, 6))
    logits = draw(hnp.arrays(np.float64, (n, k), elements=st.floats(-bound, bound)))
    target = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, k - 1)))
    return logits, target


@settings(max_examples=60)
@given(classification_batches())
def test_cross_entropy_properties(batch):
    """Non-negative; gradient rows sum to 0 and lie in [-1/N, 1/N]; at least the loss of the
    best possible guess."""
    logits, target = batch
    n = len(target)
    loss = CrossEntropyLoss()
    value = loss(logits, target)
    assert value >= 0.0
    grad = loss.backward()
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-15)
    assert np.all(np.abs(grad) <= 1.0 / n + 1e-15)
    # the target column carries the only negative entries
    assert np.all(grad[np.arange(n), target] <= 0.0)


@settings(max_examples=60)
@given(classification_batches(), st.floats(-1e3, 1e3))
def test_cross_entropy_ignores_a_constant_added_to_a_row(batch, c):
    logits, target = batch
    loss = CrossEntropyLoss()
    a = loss(logits, target)
    ga = loss.backward()
    b = loss(logits + c, target)
    assert b == pytest.approx(a, rel=1e-9, abs=1e-9)
    np.testing.assert_allclose(loss.backward(), ga, rtol=1e-6, atol=1e-12)


@settings(max_examples=60)
@given(
    hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-1e3, 1e3)),
    st.data(),
)
def test_bce_is_two_class_cross_entropy(z, data):
    """With hard labels, BCE on logit z equals cross-entropy on the two logits [0, z]."""
    t = data.draw(hnp.arrays(np.int64, z.shape, elements=st.integers(0, 1)))
    bce, ce = BCEWithLogitsLoss(), CrossEntropyLoss()
    two = np.stack([np.zeros_like(z), z], axis=1)
    # CE takes log(1 + e^-|z|) where BCE takes log1p(e^-|z|): equal up to rounding of 1 + tiny
    assert bce(z, t.astype(float)) == pytest.approx(ce(two, t), rel=1e-12, abs=1e-15)
    # the gradient of CE with respect to z is its second column
    np.testing.assert_allclose(bce.backward(), ce.backward()[:, 1], rtol=1e-12, atol=1e-300)


@settings(max_examples=60)
@given(st.data())
def test_bce_is_at_least_the_entropy_of_the_target(data):
    """For a fixed soft target t the loss is minimal, equal to the entropy H(t), at
    sigma(z) = t; so it is >= H(t) >= 0 everywhere."""
    shape = data.draw(hnp.array_shapes(max_dims=2, max_side=5))
    z = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-50, 50)))
    t = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(0.01, 0.99)))
    entropy = np.mean(-(t * np.log(t) + (1 - t) * np.log(1 - t)))
    loss = BCEWithLogitsLoss()
    assert loss(z, t) >= entropy - 1e-12
    at_minimum = loss(np.log(t / (1 - t)), t)
    assert at_minimum == pytest.approx(entropy, rel=1e-12)
    np.testing.assert_allclose(loss.backward(), 0.0, atol=1e-15)


@settings(max_examples=60)
@given(st.data())
def test_mse_properties(data):
    """Non-negative, symmetric, zero at pred = target (only there), gradient 2 (p - t) / n."""
    shape = data.draw(hnp.array_shapes(max_dims=3, max_side=4))
    p = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-1e3, 1e3)))
    t = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-1e3, 1e3)))
    loss = MSELoss()
    value = loss(p, t)
    assert value >= 0.0
    if np.array_equal(p, t):
        assert value == 0.0
    elif np.max(np.abs(p - t)) > 1e-150:  # smaller differences underflow when squared
        assert value > 0.0
    np.testing.assert_array_equal(loss.backward(), 2.0 * (p - t) / p.size)
    assert loss(t, p) == value


# --------------------------------------------------------------------------------------------
# 4. Extreme inputs: no warning, no inf, no NaN
# --------------------------------------------------------------------------------------------


def test_cross_entropy_with_huge_logits():
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4], [1e4, 1e4, 1e4]])
    loss = CrossEntropyLoss()
    with strict_fp():
        right = loss(logits, np.array([0, 1, 2]))
        grad_right = loss.backward()
        wrong = loss(logits, np.array([1, 0, 0]))
        grad_wrong = loss.backward()
    # right: 0, ln 2 (two equal top scores), ln 3; wrong: 2e4, 2e4 + ln 2, ln 3
    assert right == pytest.approx((LN2 + LN3) / 3, rel=1e-14)
    assert wrong == pytest.approx((2e4 + 2e4 + LN2 + LN3) / 3, rel=1e-14)
    for grad in (grad_right, grad_wrong):
        assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad_wrong[0], [1 / 3, -1 / 3, 0.0], atol=1e-300)


@pytest.mark.parametrize("big", [1e4, 1e300])
def test_bce_with_huge_logits(big):
    z = np.array([big, -big, big, -big])
    t = np.array([1.0, 0.0, 0.0, 1.0])
    loss = BCEWithLogitsLoss()
    with strict_fp():
        value = loss(z, t)
        grad = loss.backward()
    assert value == pytest.approx(2 * big / 4, rel=1e-15)  # right answers cost 0, wrong ones |z|
    np.testing.assert_array_equal(grad, [0.0, 0.0, 0.25, -0.25])


@settings(max_examples=60)
@given(classification_batches(bound=1e4))
def test_cross_entropy_is_finite_for_logits_up_to_1e4(batch):
    logits, target = batch
    loss = CrossEntropyLoss()
    with strict_fp():
        value = loss(logits, target)
        grad = loss.backward()
    assert np.isfinite(value) and np.all(np.isfinite(grad))


@settings(max_examples=60)
@given(st.data())
def test_bce_is_finite_for_logits_up_to_1e4(data):
    shape = data.draw(hnp.array_shapes(max_dims=2, max_side=5))
    z = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-1e4, 1e4)))
    t = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(0.0, 1.0)))
    loss = BCEWithLogitsLoss()
    with strict_fp():
        value = loss(z, t)
        grad = loss.backward()
    assert np.isfinite(value) and value >= 0.0 and np.all(np.isfinite(grad))


# --------------------------------------------------------------------------------------------
# 5. Bad input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [MSELoss, BCEWithLogitsLoss])
def test_elementwise_losses_reject_shape_mismatch(cls):
    for pred, target in [((3,), (3, 1)), ((2, 3), (3, 2)), ((4,), (5,))]:
        with pytest.raises(ValueError, match=rf"{re.escape(str(pred))}.*{re.escape(str(target))}"):
            cls()(np.zeros(pred), np.zeros(target))


@pytest.mark.parametrize("cls", [MSELoss, BCEWithLogitsLoss])
def test_elementwise_losses_reject_empty_input(cls):
    with pytest.raises(ValueError, match=r"empty.*\(0, 3\)"):
        cls()(np.zeros((0, 3)), np.zeros((0, 3)))


@pytest.mark.parametrize("cls", [MSELoss, BCEWithLogitsLoss, CrossEntropyLoss])
def test_losses_reject_non_numeric_pred(cls):
    with pytest.raises(TypeError, match="pred"):
        cls()("abc", np.zeros(3))
    with pytest.raises(TypeError, match="pred"):
        cls()(np.array([[True, False]]), np.zeros(2))


@pytest.mark.parametrize("cls", [MSELoss, BCEWithLogitsLoss])
def test_elementwise_losses_reject_non_numeric_target(cls):
    with pytest.raises(TypeError, match="target"):
        cls()(np.zeros(2), ["a", "b"])


@pytest.mark.parametrize("bad", [[-0.1, 0.5], [0.5, 1.5], [np.nan, 0.0], [np.inf, 0.0]])
def test_bce_rejects_targets_outside_0_1(bad):
    with pytest.raises(ValueError, match=r"target must lie in \[0, 1\]"):
        BCEWithLogitsLoss()(np.zeros(2), np.array(bad))


@pytest.mark.parametrize("shape", [(4,), (2, 3, 4), (), (0, 3), (3, 0)])
def test_cross_entropy_rejects_logits_that_are_not_n_by_k(shape):
    with pytest.raises(ValueError, match=rf"\(N, K\).*{re.escape(str(shape))}"):
        CrossEntropyLoss()(np.zeros(shape), np.zeros(3, dtype=int))


@pytest.mark.parametrize("target_shape", [(3,), (4, 1), (1, 4), ()])
def test_cross_entropy_rejects_target_shape_mismatch(target_shape):
    with pytest.raises(ValueError, match=rf"\(4,\).*\(4, 3\).*{re.escape(str(target_shape))}"):
        CrossEntropyLoss()(np.zeros((4, 3)), np.zeros(target_shape, dtype=int))


@pytest.mark.parametrize(
    "target", [np.array([0.0, 1.0]), np.array([0.5, 1.0]), np.array([True, False]), ["0", "1"]]
)
def test_cross_entropy_rejects_non_integer_targets(target):
    """Class indices must have an integer dtype: even 0.0 and 1.0 are refused."""
    with pytest.raises(TypeError, match="target must hold integer class indices"):
        CrossEntropyLoss()(np.zeros((2, 3)), target)


@pytest.mark.parametrize("target", [[0, 3], [-1, 0], [5, 2]])
def test_cross_entropy_rejects_targets_out_of_range(target):
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        CrossEntropyLoss()(np.zeros((2, 3)), np.array(target))


@pytest.mark.parametrize("cls", [MSELoss, BCEWithLogitsLoss, CrossEntropyLoss])
def test_backward_before_forward_raises(cls):
    with pytest.raises(RuntimeError, match=rf"{cls.__name__}.backward called before forward"):
        cls().backward()


def test_base_loss_is_abstract():
    with pytest.raises(NotImplementedError):
        Loss()(np.zeros(2), np.zeros(2))
    with pytest.raises(NotImplementedError):
        Loss().backward()


def test_a_failed_forward_keeps_nothing_half_done(rng):
    """After a rejected call, backward still refers to the last valid forward pass."""
    loss = CrossEntropyLoss()
    logits, target = logits_and_targets(rng, 3, 4)
    loss(logits, target)
    grad = loss.backward()
    with pytest.raises(ValueError):
        loss(logits, np.array([0, 1, 4]))
    np.testing.assert_array_equal(loss.backward(), grad)


def test_softmax_used_by_cross_entropy_is_the_activation(rng):
    """backward = (softmax - one-hot) / N, with dlnotes.activations.softmax."""
    logits, target = logits_and_targets(rng, 5, 4)
    loss = CrossEntropyLoss()
    loss(logits, target)
    expected = (A.softmax(logits) - np.eye(4)[target]) / 5
    np.testing.assert_allclose(loss.backward(), expected, rtol=1e-15, atol=1e-17)
