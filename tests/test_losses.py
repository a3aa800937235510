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
from dlnotes.losses import (
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    ExponentialLoss,
    HingeLoss,
    HuberLoss,
    L1Loss,
    Loss,
    MSELoss,
)

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "losses.BCEWithLogitsLoss",
    "losses.CrossEntropyLoss",
    "losses.ExponentialLoss",
    "losses.HingeLoss",
    "losses.HuberLoss",
    "losses.L1Loss",
    "losses.Loss",
    "losses.MSELoss",
)

ELEMENTWISE = [MSELoss, L1Loss, HuberLoss, BCEWithLogitsLoss, HingeLoss, ExponentialLoss]
MARGIN_LOSSES = [HingeLoss, ExponentialLoss]  # scores and labels in {-1, +1}

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
        (L1Loss(), rng.normal(size=(3, 2)), rng.normal(size=(3, 2))),
        (HingeLoss(), rng.normal(size=(7,)), rng.choice([-1.0, 1.0], size=7)),
        (ExponentialLoss(), rng.normal(size=(2, 4)), rng.choice([-1, 1], size=(2, 4))),
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
    assert L1Loss()([1, 2], [0, 0]) == 1.5
    assert HuberLoss()([1, 3], [0, 0]) == 1.5  # (0.5 + 2.5) / 2
    assert HingeLoss()([0, 2], [1, -1]) == 2.0  # (1 + 3) / 2
    assert ExponentialLoss()([0, 0], [1, -1]) == 1.0


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


@pytest.mark.parametrize("cls", ELEMENTWISE)
def test_elementwise_losses_reject_shape_mismatch(cls):
    for pred, target in [((3,), (3, 1)), ((2, 3), (3, 2)), ((4,), (5,))]:
        with pytest.raises(ValueError, match=rf"{re.escape(str(pred))}.*{re.escape(str(target))}"):
            cls()(np.zeros(pred), np.zeros(target))


@pytest.mark.parametrize("cls", ELEMENTWISE)
def test_elementwise_losses_reject_empty_input(cls):
    with pytest.raises(ValueError, match=r"empty.*\(0, 3\)"):
        cls()(np.zeros((0, 3)), np.zeros((0, 3)))


@pytest.mark.parametrize("cls", [*ELEMENTWISE, CrossEntropyLoss])
def test_losses_reject_non_numeric_pred(cls):
    with pytest.raises(TypeError, match="pred"):
        cls()("abc", np.zeros(3))
    with pytest.raises(TypeError, match="pred"):
        cls()(np.array([[True, False]]), np.zeros(2))


@pytest.mark.parametrize("cls", ELEMENTWISE)
def test_elementwise_losses_reject_non_numeric_target(cls):
    with pytest.raises(TypeError, match="target"):
        cls()(np.zeros(2), ["a", "b"])


@pytest.mark.parametrize("bad", [[-0.1, 0.5], [0.5, 1.5], [-1e300, 1.0]])
def test_bce_rejects_targets_outside_0_1(bad):
    with pytest.raises(ValueError, match=r"target must lie in \[0, 1\]"):
        BCEWithLogitsLoss()(np.zeros(2), np.array(bad))


def valid_pair(cls, rng) -> tuple[np.ndarray, np.ndarray]:
    """Finite predictions (12 of them) and targets that `cls` accepts, both float arrays."""
    pred = rng.normal(size=(3, 4))
    if cls is CrossEntropyLoss:
        return pred, rng.integers(0, 4, size=3).astype(float)  # refused as floats anyway
    if cls is BCEWithLogitsLoss:
        return pred, rng.random((3, 4))
    if cls in MARGIN_LOSSES:
        return pred, signed_labels(rng, (3, 4))
    return pred, rng.normal(size=(3, 4))


@pytest.mark.parametrize("cls", [*ELEMENTWISE, CrossEntropyLoss])
@pytest.mark.parametrize("argument", ["pred", "target"])
@pytest.mark.parametrize(
    ("bad", "count"),
    [([np.nan], "1 non-finite entry"), ([np.inf, -np.inf, np.nan], "3 non-finite entries")],
)
def test_losses_reject_non_finite_input(cls, argument, bad, count, rng):
    """NaN or +-inf in either argument: a ValueError naming it and counting the entries,
    raised before anything is computed (backward still refers to the last valid pass)."""
    loss = cls()
    pred, target = valid_pair(cls, rng)
    if cls is CrossEntropyLoss:
        loss(pred, target.astype(int))
    else:
        loss(pred, target)
    grad = loss.backward()
    arrays = {"pred": pred.copy(), "target": target.copy()}
    arrays[argument].flat[: len(bad)] = bad
    size = arrays[argument].size
    with pytest.raises(ValueError) as err:
        loss(arrays["pred"], arrays["target"])
    assert str(err.value) == f"{argument} has {count} (NaN or infinity) of {size}"
    np.testing.assert_array_equal(loss.backward(), grad)


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


@pytest.mark.parametrize("cls", [*ELEMENTWISE, CrossEntropyLoss])
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


# --------------------------------------------------------------------------------------------
# L1Loss, HuberLoss, HingeLoss, ExponentialLoss
# --------------------------------------------------------------------------------------------


def signed_labels(rng, shape):
    return rng.choice([-1.0, 1.0], size=shape)


def test_l1_by_hand():
    loss = L1Loss()
    pred = np.array([[1.0, 2.0], [3.0, -1.0]])
    target = np.array([[0.0, 2.0], [1.0, 1.0]])
    assert loss(pred, target) == 1.25  # absolute errors 1, 0, 2, 2: mean 5/4
    # sign(p - t) / 4, and 0 where p = t (the kink), as PyTorch
    np.testing.assert_array_equal(loss.backward(), [[0.25, 0.0], [0.25, -0.25]])


def test_l1_of_equal_arrays_is_zero_with_zero_gradient(rng):
    x = rng.normal(size=(3, 4))
    loss = L1Loss()
    assert loss(x, x.copy()) == 0.0
    np.testing.assert_array_equal(loss.backward(), 0.0)


def test_huber_by_hand():
    """delta = 2, errors 1, -3, 2, 0.5: 1/2, 2 (3 - 1) = 4, 2 (either piece), 1/8."""
    loss = HuberLoss(delta=2.0)
    value = loss(np.array([1.0, -3.0, 2.0, 0.5]), np.zeros(4))
    assert value == (0.5 + 4.0 + 2.0 + 0.125) / 4
    np.testing.assert_array_equal(loss.backward(), [0.25, -0.5, 0.5, 0.125])  # clip(r, -2, 2) / 4


@pytest.mark.parametrize("delta", [0.1, 1.0, 3.0])
def test_huber_pieces_meet_at_delta_with_the_same_value_and_slope(delta):
    """At |r| = delta both pieces give delta^2 / 2 and slope delta."""
    loss = HuberLoss(delta)
    for r in (delta, -delta):
        assert loss(np.array([r]), np.zeros(1)) == pytest.approx(delta**2 / 2, rel=1e-15)
        np.testing.assert_array_equal(loss.backward(), [r])
        for side in (1 - 1e-9, 1 + 1e-9):  # just inside and just outside
            value = loss(np.array([r * side]), np.zeros(1))
            assert value == pytest.approx(delta**2 / 2, rel=1e-8)
            np.testing.assert_allclose(loss.backward(), [r], rtol=1e-8)


def test_huber_takes_its_delta():
    assert HuberLoss().delta == 1.0
    loss = HuberLoss(2)
    assert loss.delta == 2.0 and isinstance(loss.delta, float)
    assert repr(loss) == "HuberLoss(delta=2.0)"
    assert isinstance(loss, Loss)


def test_hinge_by_hand():
    """Margins y s = 2, 1, 0.5, 0, -1 cost 0, 0, 0.5, 1, 2; the gradient -y / 5 where the
    margin is below 1, and 0 at the kink (margin exactly 1)."""
    loss = HingeLoss()
    scores = np.array([2.0, 1.0, 0.5, 0.0, -1.0])
    labels = np.array([1, 1, 1, -1, 1])
    assert loss(scores, labels) == pytest.approx(3.5 / 5, rel=1e-15)
    np.testing.assert_array_equal(loss.backward(), [0.0, 0.0, -0.2, 0.2, -0.2])


def test_hinge_is_zero_once_every_margin_reaches_one(rng):
    labels = signed_labels(rng, (4, 3))
    scores = labels * rng.uniform(1.0, 5.0, size=(4, 3))
    loss = HingeLoss()
    assert loss(scores, labels) == 0.0
    np.testing.assert_array_equal(loss.backward(), 0.0)


def test_exponential_by_hand():
    """Margins ln 2, -ln 2, 0: e^-m = 1/2, 2, 1; the gradient -y e^-m / 3."""
    loss = ExponentialLoss()
    value = loss(np.array([LN2, -LN2, 0.0]), np.array([1, 1, -1]))
    assert value == pytest.approx(3.5 / 3, rel=1e-15)
    np.testing.assert_allclose(loss.backward(), [-0.5 / 3, -2.0 / 3, 1.0 / 3], rtol=1e-15)


@pytest.mark.parametrize("cls", MARGIN_LOSSES)
def test_margin_losses_accept_integer_and_float_labels(cls, rng):
    scores = rng.normal(size=6)
    labels = rng.choice([-1, 1], size=6)
    loss = cls()
    value = loss(scores, labels)
    grad = loss.backward()
    assert loss(scores, labels.astype(float)) == value
    assert loss(scores, labels.astype(np.int8)) == value
    np.testing.assert_array_equal(loss.backward(), grad)


# Hypothesis properties


@st.composite
def regression_pairs(draw, bound=1e3):
    shape = draw(hnp.array_shapes(max_dims=3, max_side=4))
    p = draw(hnp.arrays(np.float64, shape, elements=st.floats(-bound, bound)))
    t = draw(hnp.arrays(np.float64, shape, elements=st.floats(-bound, bound)))
    return p, t


@st.composite
def scores_and_labels(draw, bound=1e3):
    shape = draw(hnp.array_shapes(max_dims=2, max_side=6))
    s = draw(hnp.arrays(np.float64, shape, elements=st.floats(-bound, bound)))
    y = draw(hnp.arrays(np.int64, shape, elements=st.sampled_from([-1, 1])))
    return s, y


@settings(max_examples=60)
@given(regression_pairs())
def test_l1_properties(pair):
    """Non-negative, symmetric, zero at pred = target, at most sqrt(MSE) (Cauchy-Schwarz),
    gradient sign(p - t) / n."""
    p, t = pair
    loss = L1Loss()
    value = loss(p, t)
    assert value >= 0.0
    if np.array_equal(p, t):
        assert value == 0.0
    elif np.max(np.abs(p - t)) > 1e-300:  # a subnormal error divided by n may round to 0
        assert value > 0.0
    np.testing.assert_array_equal(loss.backward(), np.sign(p - t) / p.size)
    assert loss(t, p) == value
    # squares of errors below 1e-154 underflow, hence the absolute slack
    assert value <= math.sqrt(MSELoss()(p, t)) * (1 + 1e-12) + 1e-150


@settings(max_examples=60)
@given(regression_pairs(), st.floats(1e-3, 1e3))
def test_huber_lies_between_its_l1_and_mse_bounds(pair, delta):
    """Elementwise max(0, delta |r| - delta^2 / 2) <= huber <= min(r^2 / 2, delta |r|), so
    the mean lies between delta L1 - delta^2 / 2 and min(MSE / 2, delta L1); the gradient
    is clip(r, -delta, delta) / n, never larger than delta / n."""
    p, t = pair
    loss = HuberLoss(delta)
    value = loss(p, t)
    grad = loss.backward()
    l1, mse = L1Loss()(p, t), MSELoss()(p, t)
    tol = 1e-12 * (1 + mse)
    assert 0.0 <= value <= min(mse / 2, delta * l1) + tol
    assert value >= delta * l1 - delta**2 / 2 - tol
    np.testing.assert_array_equal(grad, np.clip(p - t, -delta, delta) / p.size)
    assert np.all(np.abs(grad) <= delta / p.size)
    assert loss(t, p) == value


@settings(max_examples=60)
@given(regression_pairs())
def test_huber_is_half_the_mse_when_delta_exceeds_every_error(pair):
    p, t = pair
    delta = 2.0 * float(np.max(np.abs(p - t))) + 1.0
    huber, mse = HuberLoss(delta), MSELoss()
    # equal but for the rounding of subnormal numbers
    assert huber(p, t) == pytest.approx(mse(p, t) / 2, rel=1e-15, abs=1e-300)
    np.testing.assert_allclose(huber.backward(), mse.backward() / 2, rtol=1e-15, atol=1e-300)


@settings(max_examples=60)
@given(regression_pairs(), st.floats(1e-6, 1e-2))
def test_huber_over_delta_tends_to_l1_as_delta_shrinks(pair, delta):
    """huber / delta lies within delta / 2 of L1: the MAE as delta -> 0."""
    p, t = pair
    l1 = L1Loss()(p, t)
    assert HuberLoss(delta)(p, t) / delta == pytest.approx(l1, rel=0, abs=delta / 2 + 1e-12 * l1)


@settings(max_examples=60)
@given(scores_and_labels())
def test_exponential_above_hinge_above_error_rate(batch):
    """e^-m >= max(0, 1 - m) >= [m <= 0] for every margin m: both losses bound the error
    rate (a zero score counts as an error) from above; hinge >= 1 - mean margin."""
    s, y = batch
    margins = y * s
    error_rate = float(np.mean(margins <= 0))
    hinge = HingeLoss()(s, y)
    exponential = ExponentialLoss()(s, y)  # inf for a margin below -709.78: still a bound
    assert exponential >= hinge * (1 - 1e-12) >= error_rate * (1 - 1e-12)
    assert hinge >= float(np.mean(1 - margins)) - 1e-12 * (1 + float(np.max(np.abs(margins))))


@settings(max_examples=60)
@given(scores_and_labels(bound=700.0))
@pytest.mark.parametrize("cls", MARGIN_LOSSES)
def test_margin_losses_depend_on_the_margin_only(cls, batch):
    """loss(s, y) = loss(-s, -y) and the gradient flips sign; each gradient entry is 0 or
    has the sign of -y; the hinge gradient is 0 or -y / n."""
    s, y = batch
    loss = cls()
    value = loss(s, y)
    grad = loss.backward()
    assert loss(-s, -y) == value
    np.testing.assert_array_equal(loss.backward(), -grad)
    assert np.all(grad * y <= 0.0)
    if cls is HingeLoss:
        np.testing.assert_array_equal(grad, np.where(y * s < 1, -y / s.size, 0.0))


# Extreme inputs


@pytest.mark.parametrize("big", [1e4, 1e300])
def test_l1_and_huber_with_huge_errors(big):
    """The linear pieces never square an error: finite for errors up to 1e300."""
    p = np.array([big, -big, 0.5])
    t = np.zeros(3)
    l1, huber = L1Loss(), HuberLoss(1.0)
    with strict_fp():
        assert l1(p, t) == pytest.approx((2 * big + 0.5) / 3, rel=1e-15)
        np.testing.assert_allclose(l1.backward(), [1 / 3, -1 / 3, 1 / 3], rtol=1e-15)
        assert huber(p, t) == pytest.approx((2 * (big - 0.5) + 0.125) / 3, rel=1e-15)
        np.testing.assert_allclose(huber.backward(), [1 / 3, -1 / 3, 0.5 / 3], rtol=1e-15)


@pytest.mark.parametrize("big", [1e4, 1e300])
def test_hinge_with_huge_scores(big):
    s = np.array([big, -big, big, -big])
    y = np.array([1, -1, -1, 1])
    loss = HingeLoss()
    with strict_fp():
        value = loss(s, y)
        grad = loss.backward()
    assert value == pytest.approx(2 * (1 + big) / 4, rel=1e-15)  # right answers cost 0
    np.testing.assert_array_equal(grad, [0.0, 0.0, 0.25, -0.25])


def test_exponential_with_huge_right_scores_is_zero_without_warning():
    """e^-10000 underflows to 0: the loss and gradient are 0, and nothing is raised."""
    loss = ExponentialLoss()
    with strict_fp(), np.errstate(under="raise"):
        assert loss(np.array([1e4, -1e4, 800.0]), np.array([1, -1, 1])) == 0.0
        np.testing.assert_array_equal(loss.backward(), 0.0)


def test_exponential_overflows_to_inf_only_past_its_domain():
    """Finite while every margin is at least -709.78 (e^709.78 < 1.8e308); beyond that the
    loss is inf, as rounded to float64, with no warning and no NaN in the gradient."""
    loss = ExponentialLoss()
    with strict_fp():
        inside = loss(np.array([-709.78, 0.0]), np.array([1, 1]))
        assert inside == pytest.approx((math.exp(709.78) + 1) / 2, rel=1e-12)
        assert np.all(np.isfinite(loss.backward()))
        outside = loss(np.array([-1e4, 1e4, 2.0]), np.array([1, -1, 1]))
        grad = loss.backward()
    assert outside == math.inf
    assert not np.any(np.isnan(grad))
    assert grad[0] == -math.inf and grad[1] == math.inf
    assert grad[2] == pytest.approx(-math.exp(-2.0) / 3, rel=1e-15)


@settings(max_examples=60)
@given(scores_and_labels(bound=1e4))
def test_margin_losses_without_warning_for_scores_up_to_1e4(batch):
    """No warning whatever the scores; the hinge loss is always finite, the exponential loss
    while every margin is at least -709.78 and inf once one is below -709.79, where e^-m
    passes the largest float64 (ln of it is 709.7827); its gradient is never NaN."""
    s, y = batch
    with strict_fp():
        hinge = HingeLoss()(s, y)
        loss = ExponentialLoss()
        exponential = loss(s, y)
        grad = loss.backward()
    assert math.isfinite(hinge)
    margins = y * s
    if np.all(margins >= -709.78):
        assert math.isfinite(exponential)
    if np.any(margins < -709.79):
        assert exponential == math.inf
    assert not np.any(np.isnan(grad))


# Bad input


@pytest.mark.parametrize("delta", [0, 0.0, -1.0])
def test_huber_delta_must_be_positive(delta):
    with pytest.raises(ValueError, match="delta must be > 0"):
        HuberLoss(delta)


@pytest.mark.parametrize("delta", [math.nan, math.inf])
def test_huber_delta_must_be_finite(delta):
    with pytest.raises(ValueError, match="delta must be finite"):
        HuberLoss(delta)


@pytest.mark.parametrize("delta", ["1", None, True, [1.0]])
def test_huber_delta_must_be_a_number(delta):
    with pytest.raises(TypeError, match="delta must be a real number"):
        HuberLoss(delta)


@pytest.mark.parametrize("cls", MARGIN_LOSSES)
def test_margin_losses_reject_zero_one_labels_with_a_hint(cls):
    with pytest.raises(
        ValueError,
        match=r"target must hold the labels -1 and \+1 only, got \[0\.0\] in target of shape "
        r"\(3,\) \(labels 0 and 1\? use 2 \* target - 1\)",
    ):
        cls()(np.zeros(3), np.array([0, 1, 1]))


@pytest.mark.parametrize("cls", MARGIN_LOSSES)
@pytest.mark.parametrize("bad", [[0.5, 1.0], [2.0, -1.0], [1e300, 1.0]])
def test_margin_losses_reject_other_labels(cls, bad):
    with pytest.raises(ValueError, match=r"target must hold the labels -1 and \+1 only") as err:
        cls()(np.zeros(2), np.array(bad))
    assert "(2,)" in str(err.value) and "use 2 * target - 1" not in str(err.value)


@pytest.mark.parametrize("cls", MARGIN_LOSSES)
def test_margin_losses_reject_boolean_labels(cls):
    with pytest.raises(TypeError, match="target"):
        cls()(np.zeros(2), np.array([True, False]))


@pytest.mark.parametrize("cls", MARGIN_LOSSES)
def test_a_failed_margin_loss_forward_keeps_the_last_pass(cls, rng):
    loss = cls()
    s, y = rng.normal(size=4), signed_labels(rng, 4)
    loss(s, y)
    grad = loss.backward()
    with pytest.raises(ValueError):
        loss(s, np.array([1.0, 0.0, 1.0, -1.0]))
    np.testing.assert_array_equal(loss.backward(), grad)
