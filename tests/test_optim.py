"""Tests for dlnotes.optim: SGD, weight decay, the optimiser protocol and clip_grad_norm."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlnotes.layers import Linear, Parameter, ReLU, Sequential
from dlnotes.losses import MSELoss
from dlnotes.optim import SGD, Optimizer, clip_grad_norm


def random_params(rng, shapes=((3, 2), (2,), (4,))):
    params = []
    for i, shape in enumerate(shapes):
        p = Parameter(rng.normal(size=shape), name=f"p{i}")
        p.grad = rng.normal(size=shape)
        params.append(p)
    return params


def spd_matrix(rng, n, low=0.5, high=4.0):
    """A random symmetric positive-definite matrix with eigenvalues in [low, high]."""
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    return q @ np.diag(np.linspace(low, high, n)) @ q.T


# --------------------------------------------------------------------------------------------
# SGD: values by hand
# --------------------------------------------------------------------------------------------


def test_sgd_step_by_hand(rng):
    w, b = random_params(rng, [(2, 2), (2,)])
    w.value, w.grad = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, -1.0], [0.5, 0.0]])
    b.value, b.grad = np.array([0.0, 1.0]), np.array([2.0, 2.0])
    SGD([w, b], lr=0.5).step()
    np.testing.assert_array_equal(w.value, [[0.5, 2.5], [2.75, 4.0]])
    np.testing.assert_array_equal(b.value, [-1.0, 0.0])


def test_sgd_weight_decay_by_hand(rng):
    """w - lr (g + lambda w) = 2 - 0.1 (1 + 0.5 * 2) = 1.8."""
    (w,) = random_params(rng, [(1,)])
    w.value, w.grad = np.array([2.0]), np.array([1.0])
    SGD([w], lr=0.1, weight_decay=0.5).step()
    np.testing.assert_allclose(w.value, [1.8], rtol=1e-15)
    np.testing.assert_array_equal(w.grad, [1.0])  # the gradient itself is not changed


def test_weight_decay_with_zero_gradient_shrinks_geometrically(rng):
    """With g = 0 every step multiplies w by (1 - lr lambda): hence the name weight decay."""
    params = random_params(rng)
    start = [p.value.copy() for p in params]
    opt = SGD(params, lr=0.1, weight_decay=0.2)
    for _ in range(10):
        opt.zero_grad()
        opt.step()
    for p, w0 in zip(params, start, strict=True):
        np.testing.assert_allclose(p.value, w0 * 0.98**10, rtol=1e-13)


def test_weight_decay_is_gradient_descent_on_the_l2_penalised_loss(rng):
    """SGD(weight_decay=lam) on f gives the same iterates as plain SGD on f + lam/2 ||w||^2."""
    a, c = spd_matrix(rng, 4), rng.normal(size=4)
    lam = 0.3
    p1, p2 = random_params(rng, [(4,), (4,)])
    p2.value = p1.value.copy()
    opt1 = SGD([p1], lr=0.05, weight_decay=lam)
    opt2 = SGD([p2], lr=0.05)
    for _ in range(20):
        p1.grad = a @ p1.value - c
        p2.grad = a @ p2.value - c + lam * p2.value
        opt1.step()
        opt2.step()
    np.testing.assert_allclose(p1.value, p2.value, rtol=1e-13)


# --------------------------------------------------------------------------------------------
# SGD: convergence
# --------------------------------------------------------------------------------------------


def test_sgd_reaches_the_minimum_of_a_convex_quadratic(rng):
    """f(w) = 1/2 (w - w*)^T A (w - w*) with A positive definite. The error follows
    e <- (I - lr A) e exactly, so with lr = 1/lambda_max it shrinks at least by
    1 - lambda_min / lambda_max = 7/8 per step."""
    a = spd_matrix(rng, 5, low=0.5, high=4.0)
    w_star = rng.normal(size=5)
    (w,) = random_params(rng, [(5,)])
    opt = SGD([w], lr=1 / 4.0)
    e0 = np.linalg.norm(w.value - w_star)
    for step in range(1, 301):
        opt.zero_grad()
        w.grad = a @ (w.value - w_star)
        before = w.value - w_star
        opt.step()
        np.testing.assert_allclose(w.value - w_star, before - 0.25 * a @ before, atol=1e-14)
        if step == 10:
            assert np.linalg.norm(w.value - w_star) <= e0 * (7 / 8) ** 10 + 1e-14
    np.testing.assert_allclose(w.value, w_star, rtol=0, atol=1e-12)


def test_sgd_diverges_when_the_learning_rate_is_too_large(rng):
    """On f(w) = 2 w^2 (curvature 4) any lr > 2/4 makes |w| grow: |1 - 4 lr| > 1."""
    (w,) = random_params(rng, [(1,)])
    w.value = np.array([1.0])
    opt = SGD([w], lr=0.6)
    for _ in range(10):
        w.grad = 4 * w.value
        opt.step()
    assert abs(w.value[0]) == pytest.approx(1.4**10, rel=1e-12)


def test_sgd_fits_a_linear_regression(rng):
    """A Linear layer trained by SGD on the MSE reaches the least-squares solution."""
    x = rng.normal(size=(50, 3))
    y = x @ np.array([[1.5], [-2.0], [0.5]]) + 0.3 + 0.1 * rng.normal(size=(50, 1))
    layer = Linear(3, 1, rng=rng)
    loss = MSELoss()
    opt = SGD(layer.parameters(), lr=0.1)
    for _ in range(500):
        opt.zero_grad()
        loss(layer(x), y)
        layer.backward(loss.backward())
        opt.step()
    design = np.hstack([x, np.ones((50, 1))])
    solution, *_ = np.linalg.lstsq(design, y, rcond=None)
    np.testing.assert_allclose(layer.weight.value.ravel(), solution[:3, 0], atol=1e-10)
    np.testing.assert_allclose(layer.bias.value, solution[3], atol=1e-10)


def test_sgd_lowers_the_loss_of_a_network(rng):
    net = Sequential(Linear(2, 16, rng=rng), ReLU(), Linear(16, 1, rng=rng))
    x = rng.uniform(-1, 1, size=(64, 2))
    y = (x[:, :1] * x[:, 1:]) * 2.0
    loss = MSELoss()
    opt = SGD(net.parameters(), lr=0.1)
    first = loss(net(x), y)
    for _ in range(300):
        opt.zero_grad()
        loss(net(x), y)
        net.backward(loss.backward())
        opt.step()
    assert loss(net(x), y) < 0.5 * first


# --------------------------------------------------------------------------------------------
# The optimiser protocol
# --------------------------------------------------------------------------------------------


def test_step_updates_values_in_place(rng):
    """The layer sees the update through the very array it holds."""
    layer = Linear(3, 2, rng=rng)
    w_array = layer.weight.value
    before = w_array.copy()
    layer(rng.normal(size=(4, 3)))
    layer.backward(rng.normal(size=(4, 2)))
    SGD(layer.parameters(), lr=0.1).step()
    assert layer.weight.value is w_array
    np.testing.assert_allclose(w_array, before - 0.1 * layer.weight.grad, rtol=1e-15)


def test_zero_grad_sets_every_gradient_to_zero(rng):
    params = random_params(rng)
    opt = SGD(params, lr=0.1)
    opt.zero_grad()
    for p in params:
        assert p.grad.shape == p.value.shape
        np.testing.assert_array_equal(p.grad, 0.0)
    before = [p.value.copy() for p in params]
    opt.step()  # a zero gradient changes nothing
    for p, v in zip(params, before, strict=True):
        np.testing.assert_array_equal(p.value, v)


def test_optimizer_accepts_any_iterable_and_keeps_a_list(rng):
    params = random_params(rng)
    opt = SGD((p for p in params), lr=0.1)
    assert opt.params == params
    assert opt.lr == 0.1 and opt.weight_decay == 0.0
    assert isinstance(opt.lr, float)
    assert repr(opt) == "SGD(lr=0.1, weight_decay=0.0)"
    assert isinstance(opt, Optimizer)


def test_optimizer_only_touches_its_own_parameters(rng):
    mine, other = random_params(rng, [(3,), (3,)])
    other_before = other.value.copy()
    SGD([mine], lr=1.0).step()
    np.testing.assert_array_equal(other.value, other_before)


def test_base_optimizer_has_no_update_rule(rng):
    with pytest.raises(NotImplementedError):
        Optimizer(random_params(rng), lr=0.1).step()


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lr", [0, 0.0, -0.1, -1])
def test_lr_must_be_positive(lr, rng):
    with pytest.raises(ValueError, match="lr must be > 0"):
        SGD(random_params(rng), lr=lr)


@pytest.mark.parametrize("lr", [math.nan, math.inf])
def test_lr_must_be_finite(lr, rng):
    with pytest.raises(ValueError, match="lr must be finite"):
        SGD(random_params(rng), lr=lr)


@pytest.mark.parametrize("lr", ["0.1", None, [0.1], True])
def test_lr_must_be_a_number(lr, rng):
    with pytest.raises(TypeError, match="lr"):
        SGD(random_params(rng), lr=lr)


@pytest.mark.parametrize("wd", [-1e-4, -1.0])
def test_weight_decay_must_not_be_negative(wd, rng):
    with pytest.raises(ValueError, match="weight_decay must be >= 0"):
        SGD(random_params(rng), lr=0.1, weight_decay=wd)


def test_weight_decay_is_keyword_only(rng):
    with pytest.raises(TypeError):
        SGD(random_params(rng), 0.1, 0.01)  # type: ignore[misc]


@pytest.mark.parametrize("empty", [[], (), iter([])])
def test_params_must_not_be_empty(empty):
    with pytest.raises(ValueError, match="params must contain at least one Parameter"):
        SGD(empty, lr=0.1)


def test_params_must_be_parameters(rng):
    params = random_params(rng)
    with pytest.raises(TypeError, match=r"params\[1\] must be a Parameter, got ndarray"):
        SGD([params[0], np.zeros(3)], lr=0.1)
    with pytest.raises(TypeError, match="params must be an iterable of Parameter"):
        SGD(params[0], lr=0.1)
    with pytest.raises(TypeError, match="params must be an iterable of Parameter, got int"):
        SGD(3, lr=0.1)


def test_passing_a_network_instead_of_its_parameters_is_explained(rng):
    net = Sequential(Linear(2, 2, rng=rng))
    with pytest.raises(TypeError, match=r"got Sequential \(did you mean \.parameters\(\)\?\)"):
        SGD(net, lr=0.1)


def test_params_must_be_distinct(rng):
    p = random_params(rng)[0]
    with pytest.raises(ValueError, match="same Parameter twice"):
        SGD([p, p], lr=0.1)


def test_step_rejects_a_gradient_of_the_wrong_shape(rng):
    params = random_params(rng)
    params[0].grad = np.ones(3)
    before = params[0].value.copy()
    with pytest.raises(ValueError, match=r"'p0' has shape \(3,\).*value has shape \(3, 2\)"):
        SGD(params, lr=0.1).step()
    np.testing.assert_array_equal(params[0].value, before)


# --------------------------------------------------------------------------------------------
# clip_grad_norm
# --------------------------------------------------------------------------------------------


def total_norm(params):
    return math.sqrt(sum(float(np.sum(p.grad**2)) for p in params))


def test_clip_grad_norm_by_hand(rng):
    a, b = random_params(rng, [(2,), (1,)])
    a.grad, b.grad = np.array([3.0, 0.0]), np.array([4.0])
    assert clip_grad_norm([a, b], max_norm=2.5) == 5.0
    scale = 2.5 / (5.0 + 1e-6)
    np.testing.assert_allclose(a.grad, [3.0 * scale, 0.0], rtol=1e-15)
    np.testing.assert_allclose(b.grad, [4.0 * scale], rtol=1e-15)
    assert total_norm([a, b]) == pytest.approx(2.5, rel=1e-6)


def test_clip_grad_norm_leaves_small_gradients_alone(rng):
    params = random_params(rng)
    norm = total_norm(params)
    before = [p.grad.copy() for p in params]
    assert clip_grad_norm(params, max_norm=norm * 1.01) == pytest.approx(norm, rel=1e-14)
    for p, g in zip(params, before, strict=True):
        np.testing.assert_array_equal(p.grad, g)


def test_clip_grad_norm_scales_in_place(rng):
    params = random_params(rng)
    arrays = [p.grad for p in params]
    clip_grad_norm(params, max_norm=1e-3)
    assert all(p.grad is g for p, g in zip(params, arrays, strict=True))


def test_clip_grad_norm_of_zero_gradients(rng):
    params = random_params(rng)
    for p in params:
        p.grad = np.zeros_like(p.value)
    assert clip_grad_norm(params, max_norm=1.0) == 0.0
    for p in params:
        np.testing.assert_array_equal(p.grad, 0.0)


@settings(max_examples=60)
@given(
    st.lists(
        hnp.arrays(
            np.float64, hnp.array_shapes(max_dims=2, max_side=4), elements=st.floats(-1e6, 1e6)
        ),
        min_size=1,
        max_size=4,
    ),
    st.floats(1e-3, 1e3),
)
def test_clip_grad_norm_properties(grads, max_norm):
    """Returns the norm before clipping; afterwards the norm is at most max_norm and every
    gradient has been multiplied by one common factor in (0, 1] (direction kept)."""
    params = []
    for g in grads:
        p = Parameter(np.zeros_like(g))
        p.grad = g.copy()
        params.append(p)
    norm = total_norm(params)
    assert clip_grad_norm(params, max_norm) == pytest.approx(norm, rel=1e-12)
    assert total_norm(params) <= max_norm * (1 + 1e-12)
    factor = min(1.0, max_norm / (norm + 1e-6))
    for p, g in zip(params, grads, strict=True):
        np.testing.assert_allclose(p.grad, g * factor, rtol=1e-14, atol=0)


@pytest.mark.parametrize("max_norm", [0.0, -1.0])
def test_clip_grad_norm_rejects_non_positive_max_norm(max_norm, rng):
    with pytest.raises(ValueError, match="max_norm must be > 0"):
        clip_grad_norm(random_params(rng), max_norm)


def test_clip_grad_norm_rejects_bad_params(rng):
    with pytest.raises(ValueError, match="at least one"):
        clip_grad_norm([], 1.0)
    with pytest.raises(TypeError, match=re.escape("params[0] must be a Parameter")):
        clip_grad_norm([np.ones(3)], 1.0)
    with pytest.raises(TypeError, match="max_norm"):
        clip_grad_norm(random_params(rng), "1")
