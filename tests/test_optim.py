"""Tests for dlnotes.optim: SGD, Momentum, Adagrad, RMSprop, Adadelta, Adam, weight decay, the
optimiser protocol and clip_grad_norm."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlnotes import optim
from dlnotes.layers import Linear, Parameter, ReLU, Sequential
from dlnotes.losses import MSELoss
from dlnotes.optim import (
    SGD,
    Adadelta,
    Adagrad,
    Adam,
    Momentum,
    Optimizer,
    RMSprop,
    clip_grad_norm,
)

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "optim.SGD",
    "optim.Adadelta",
    "optim.Adagrad",
    "optim.Adam",
    "optim.Momentum",
    "optim.Optimizer",
    "optim.RMSprop",
    "optim.clip_grad_norm",
    "optim.trajectory",
    "optim.tune_learning_rate",
)


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


# --------------------------------------------------------------------------------------------
# Momentum, Adagrad, RMSprop, Adadelta, Adam
# --------------------------------------------------------------------------------------------

# A factory per optimiser, with a learning rate that converges on the quadratic below.
OPTIMISERS = {
    "SGD": lambda params, **kw: SGD(params, lr=0.09, **kw),
    "Momentum": lambda params, **kw: Momentum(params, lr=0.05, momentum=0.5, **kw),
    "Adagrad": lambda params, **kw: Adagrad(params, lr=0.5, **kw),
    "RMSprop": lambda params, **kw: RMSprop(params, lr=0.01, **kw),
    "Adadelta": lambda params, **kw: Adadelta(params, lr=1.0, **kw),
    "Adam": lambda params, **kw: Adam(params, lr=0.05, **kw),
}
ADAPTIVE = [Momentum, Adagrad, RMSprop, Adadelta, Adam]


def ill_conditioned_gradient(value):
    """Gradient of f(w) = 1/2 (w - w*)^T diag(1, 10) (w - w*), with w* = (1, -2)."""
    return np.array([1.0, 10.0]) * (value - np.array([1.0, -2.0]))


@pytest.mark.parametrize("name", OPTIMISERS)
def test_each_optimiser_reaches_the_minimum_of_an_ill_conditioned_quadratic(name):
    """From (-4, 3), condition number 10: every optimiser ends within 1e-3 of w* = (1, -2)
    (RMSprop and Adam oscillate at a scale of lr around it, hence their smaller lr below)."""
    w = Parameter([-4.0, 3.0])
    opt = OPTIMISERS[name]([w])
    for _ in range(3000):
        opt.zero_grad()
        w.grad = ill_conditioned_gradient(w.value)
        opt.step()
    np.testing.assert_allclose(w.value, [1.0, -2.0], atol=1e-3)


@pytest.mark.parametrize("cls", [Adam, RMSprop])
def test_adaptive_optimisers_get_as_close_as_their_decayed_learning_rate(cls):
    """Lowering the learning rate step by step brings RMSprop and Adam much closer."""
    w = Parameter([-4.0, 3.0])
    opt = cls([w], lr=0.05)
    for step in range(4000):
        opt.lr = 0.05 * 0.998**step
        w.grad = ill_conditioned_gradient(w.value)
        opt.step()
    np.testing.assert_allclose(w.value, [1.0, -2.0], atol=1e-5)


def test_momentum_first_steps_by_hand():
    """v1 = g1 (as torch), then v2 = mu v1 + g2."""
    w = Parameter([1.0, -1.0])
    opt = Momentum([w], lr=0.1, momentum=0.9)
    w.grad = np.array([2.0, 4.0])
    opt.step()
    np.testing.assert_allclose(w.value, [0.8, -1.4], rtol=1e-15)
    np.testing.assert_array_equal(opt.state[0]["momentum_buffer"], [2.0, 4.0])
    w.grad = np.array([1.0, -4.0])
    opt.step()
    v2 = np.array([0.9 * 2.0 + 1.0, 0.9 * 4.0 - 4.0])
    np.testing.assert_allclose(opt.state[0]["momentum_buffer"], v2, rtol=1e-15)
    np.testing.assert_allclose(w.value, np.array([0.8, -1.4]) - 0.1 * v2, rtol=1e-15)


def test_momentum_along_a_constant_gradient_approaches_one_over_one_minus_mu():
    """With a constant gradient g the velocity tends to g / (1 - mu): 10 g for mu = 0.9."""
    w = Parameter([0.0])
    opt = Momentum([w], lr=1e-3, momentum=0.9)
    for _ in range(400):
        w.grad = np.array([1.0])
        opt.step()
    assert opt.state[0]["momentum_buffer"][0] == pytest.approx(10.0, rel=1e-12)


def test_momentum_zero_is_sgd(rng):
    p1, p2 = random_params(rng, [(3, 2), (3, 2)])
    p2.value = p1.value.copy()
    opt1, opt2 = Momentum([p1], lr=0.1, momentum=0.0), SGD([p2], lr=0.1)
    for _ in range(5):
        p1.grad = rng.normal(size=(3, 2))
        p2.grad = p1.grad.copy()
        opt1.step()
        opt2.step()
    np.testing.assert_array_equal(p1.value, p2.value)


def test_adagrad_first_step_by_hand():
    """lr g / (|g| + eps): about lr in every coordinate, whatever the gradient's scale."""
    g = np.array([1e-4, -3.0, 250.0])
    w = Parameter(np.zeros(3))
    w.grad = g.copy()
    Adagrad([w], lr=0.2, eps=1e-10).step()
    np.testing.assert_allclose(w.value, -0.2 * g / (np.abs(g) + 1e-10), rtol=1e-15)
    np.testing.assert_allclose(w.value, -0.2 * np.sign(g), rtol=1e-6)


def test_adagrad_effective_step_dies_out_like_one_over_sqrt_t():
    """With the same gradient g every step, r_t = t g^2 and the step is
    lr g / (sqrt(t) g + eps), about lr / sqrt(t)."""
    w = Parameter([0.0])
    opt = Adagrad([w], lr=1.0)
    for t in range(1, 101):
        before = w.value[0]
        w.grad = np.array([3.0])
        opt.step()
        assert before - w.value[0] == pytest.approx(3 / (3 * math.sqrt(t) + 1e-10), rel=1e-13)
        assert before - w.value[0] == pytest.approx(1 / math.sqrt(t), rel=1e-10)
    np.testing.assert_allclose(opt.state[0]["sum"], [900.0], rtol=1e-15)


def test_rmsprop_steps_by_hand():
    """r1 = (1 - alpha) g1^2, r2 = alpha r1 + (1 - alpha) g2^2."""
    w = Parameter([0.0])
    opt = RMSprop([w], lr=0.1, alpha=0.9, eps=1e-8)
    w.grad = np.array([2.0])
    opt.step()
    r1 = 0.1 * 4.0
    np.testing.assert_allclose(w.value, [-0.1 * 2.0 / (math.sqrt(r1) + 1e-8)], rtol=1e-15)
    w.grad = np.array([-1.0])
    opt.step()
    r2 = 0.9 * r1 + 0.1 * 1.0
    np.testing.assert_allclose(opt.state[0]["square_avg"], [r2], rtol=1e-15)
    expected = -0.1 * 2.0 / (math.sqrt(r1) + 1e-8) + 0.1 / (math.sqrt(r2) + 1e-8)
    np.testing.assert_allclose(w.value, [expected], rtol=1e-14)


def test_rmsprop_effective_step_does_not_die_out():
    """Unlike Adagrad's, RMSprop's step for a constant gradient tends to lr, not to 0."""
    w = Parameter([0.0])
    opt = RMSprop([w], lr=0.01, alpha=0.9)
    for _ in range(500):
        before = w.value[0]
        w.grad = np.array([3.0])
        opt.step()
    assert before - w.value[0] == pytest.approx(0.01, rel=1e-8)


def test_adadelta_first_step_closed_form(rng):
    """r1 = (1 - rho) g^2 and s0 = 0: Delta1 = sqrt(eps) g / sqrt((1 - rho) g^2 + eps),
    about sqrt(eps / (1 - rho)) sign(g) once |g| >> sqrt(eps), whatever lr does not scale."""
    sign = rng.choice([-1.0, 1.0], size=(4, 3))
    g = sign * rng.uniform(0.5, 2.0, size=(4, 3)) * 10.0 ** rng.integers(0, 4, size=(4, 3))
    for lr, rho, eps in [(1.0, 0.9, 1e-6), (0.5, 0.0, 1e-6), (2.0, 0.99, 1e-6)]:
        w = Parameter(np.zeros((4, 3)))
        w.grad = g.copy()
        opt = Adadelta([w], lr=lr, rho=rho, eps=eps)
        opt.step()
        delta = math.sqrt(eps) * g / np.sqrt((1 - rho) * g**2 + eps)
        np.testing.assert_allclose(w.value, -lr * delta, rtol=1e-14)
        approx = -lr * math.sqrt(eps / (1 - rho)) * sign  # off by eps / (2 (1 - rho) g^2)
        np.testing.assert_allclose(w.value, approx, rtol=1e-3)
        np.testing.assert_allclose(opt.state[0]["square_avg"], (1 - rho) * g**2, rtol=1e-15)
        np.testing.assert_allclose(opt.state[0]["acc_delta"], (1 - rho) * delta**2, rtol=1e-13)


def test_adadelta_second_step_by_hand():
    """rho = 0.5, eps = 1, g = 4 then -2: r1 = 8, Delta1 = 1/3 * 4, s1 = 8/9;
    r2 = 4 + 2 = 6, Delta2 = sqrt(17/9) / sqrt(7) * -2, s2 = 4/9 + Delta2^2 / 2."""
    w = Parameter([1.0])
    opt = Adadelta([w], lr=0.75, rho=0.5, eps=1.0)
    for g in (4.0, -2.0):
        w.grad = np.array([g])
        opt.step()
    delta1, delta2 = 4 / 3, math.sqrt(17 / 9) / math.sqrt(7) * -2
    np.testing.assert_allclose(w.value, [1.0 - 0.75 * (delta1 + delta2)], rtol=1e-15)
    np.testing.assert_allclose(opt.state[0]["square_avg"], [6.0], rtol=1e-15)
    np.testing.assert_allclose(opt.state[0]["acc_delta"], [4 / 9 + delta2**2 / 2], rtol=1e-15)


def test_adadelta_with_rho_zero_follows_its_recursion():
    """rho = 0 keeps only the last values: r_t = g_t^2 and s_t = Delta_t^2, so
    s_t = (s_(t-1) + eps) g_t^2 / (g_t^2 + eps), about t eps for |g| >> sqrt(eps)."""
    eps = 1e-6
    w = Parameter([0.0])
    opt = Adadelta([w], rho=0.0, eps=eps)
    s = 0.0
    for t in range(1, 21):
        g = 3.0 * (-1) ** t
        w.grad = np.array([g])
        opt.step()
        s = (s + eps) * g**2 / (g**2 + eps)
        np.testing.assert_allclose(opt.state[0]["acc_delta"], [s], rtol=1e-13)
        np.testing.assert_array_equal(opt.state[0]["square_avg"], [g**2])
    assert s == pytest.approx(20 * eps, rel=1e-5)


def test_adadelta_steps_do_not_depend_on_the_gradients_scale(rng):
    """Delta has the units of w (Zeiler): multiplying every gradient by 1000 leaves the
    path nearly the same, as long as |g| >> sqrt(eps) (no learning rate to retune)."""
    grads = rng.normal(size=(30, 5))
    paths = []
    for scale in (1.0, 1e3):
        w = Parameter(np.zeros(5))
        opt = Adadelta([w])
        for g in grads:
            w.grad = scale * g
            opt.step()
        paths.append(w.value.copy())
    np.testing.assert_allclose(paths[1], paths[0], rtol=1e-3)
    assert np.max(np.abs(paths[0])) > 1e-2  # it did move


def test_adadelta_steps_grow_along_a_constant_slope():
    """With the same gradient every step, r_t settles at g^2 and then s_t, the mean square
    of the steps, grows by (1 - rho) eps per step (Delta_t^2 is about s_(t-1) + eps): each step
    is larger than the one before, growing like sqrt(t) (Adadelta speeds up on a slope)."""
    w = Parameter([0.0])
    opt = Adadelta([w], rho=0.9, eps=1e-6)
    steps = []
    for _ in range(2000):
        before = w.value[0]
        w.grad = np.array([2.0])
        opt.step()
        steps.append(before - w.value[0])
    assert steps[0] > 0 and np.all(np.diff(steps) > 0)
    growth = (steps[1999] ** 2 - steps[999] ** 2) / 1000
    assert growth == pytest.approx(0.1 * 1e-6, rel=1e-3)
    assert steps[-1] > 4 * steps[0]


def test_adam_first_step_moves_each_weight_by_lr_times_sign_of_gradient(rng):
    g = rng.normal(size=(4, 3)) * 10.0 ** rng.integers(-3, 4, size=(4, 3))
    w = Parameter(rng.normal(size=(4, 3)))
    start = w.value.copy()
    w.grad = g.copy()
    Adam([w], lr=0.01).step()
    np.testing.assert_allclose(w.value - start, -0.01 * g / (np.abs(g) + 1e-8), rtol=1e-12)
    np.testing.assert_allclose(w.value - start, -0.01 * np.sign(g), rtol=1e-4)


def test_adam_bias_correction_makes_the_first_moment_estimate_the_gradient():
    """m1 = (1 - beta1) g1 and v1 = (1 - beta2) g1^2, so m1_hat = g1 and v1_hat = g1^2."""
    g = np.array([0.5, -2.0])
    w = Parameter([0.0, 0.0])
    w.grad = g.copy()
    opt = Adam([w], lr=0.1, betas=(0.8, 0.99))
    opt.step()
    state = opt.state[0]
    assert state["step"] == 1
    np.testing.assert_allclose(state["exp_avg"] / (1 - 0.8), g, rtol=1e-15)
    np.testing.assert_allclose(state["exp_avg_sq"] / (1 - 0.99), g**2, rtol=1e-14)


def test_adam_second_step_by_hand():
    b1, b2, lr, eps = 0.9, 0.999, 0.1, 1e-8
    g1, g2 = 2.0, -1.0
    w = Parameter([1.0])
    opt = Adam([w], lr=lr, betas=(b1, b2), eps=eps)
    for g in (g1, g2):
        w.grad = np.array([g])
        opt.step()
    m = b1 * (1 - b1) * g1 + (1 - b1) * g2
    v = b2 * (1 - b2) * g1**2 + (1 - b2) * g2**2
    m_hat, v_hat = m / (1 - b1**2), v / (1 - b2**2)
    first = lr * g1 / (abs(g1) + eps)
    np.testing.assert_allclose(w.value, [1.0 - first - lr * m_hat / (math.sqrt(v_hat) + eps)])


def test_adam_without_bias_correction_uses_the_raw_moments():
    """Then the first step is lr (1 - beta1) g / (sqrt(1 - beta2) |g| + eps): 0.1/sqrt(0.001)
    = 3.16 times lr for the default betas. The correction's effect fades as beta^t -> 0."""
    w = Parameter([0.0])
    w.grad = np.array([4.0])
    opt = Adam([w], lr=0.01, bias_correction=False)
    opt.step()
    expected = -0.01 * 0.1 * 4.0 / (math.sqrt(0.001 * 16.0) + 1e-8)
    np.testing.assert_allclose(w.value, [expected], rtol=1e-14)
    assert abs(w.value[0]) == pytest.approx(0.01 * 0.1 / math.sqrt(0.001), rel=1e-6)
    assert repr(opt).endswith("bias_correction=False)")


def test_adam_bias_correction_fades():
    """After many steps with and without correction the updates nearly coincide."""
    w1, w2 = Parameter([0.0]), Parameter([0.0])
    opt1 = Adam([w1], lr=1e-3, betas=(0.5, 0.9))
    opt2 = Adam([w2], lr=1e-3, betas=(0.5, 0.9), bias_correction=False)
    last_step = {}
    for _ in range(400):
        for w, opt in ((w1, opt1), (w2, opt2)):
            before = w.value[0]
            w.grad = np.array([1.0])
            opt.step()
            last_step[opt] = before - w.value[0]
    assert last_step[opt1] == pytest.approx(last_step[opt2], rel=1e-12)


@pytest.mark.parametrize("name", OPTIMISERS)
def test_weight_decay_equals_adding_lambda_w_to_the_gradient(name, rng):
    """weight_decay=lam gives exactly the iterates of weight_decay=0 with g + lam w."""
    lam = 0.05
    a, c = spd_matrix(rng, 4), rng.normal(size=4)
    p1, p2 = random_params(rng, [(4,), (4,)])
    p2.value = p1.value.copy()
    opt1 = OPTIMISERS[name]([p1], weight_decay=lam)
    opt2 = OPTIMISERS[name]([p2])
    for _ in range(30):
        p1.grad = a @ p1.value - c
        p2.grad = a @ p2.value - c + lam * p2.value
        opt1.step()
        opt2.step()
    np.testing.assert_array_equal(p1.value, p2.value)


@pytest.mark.parametrize("name", OPTIMISERS)
def test_state_is_per_parameter(name, rng):
    """Stepping two parameters together gives the same result as two optimisers, one each:
    the running averages of one parameter never see the gradients of another."""
    together = random_params(rng, [(3, 2), (4,)])
    apart = [Parameter(p.value.copy(), name=p.name) for p in together]
    opt = OPTIMISERS[name](together)
    opts = [OPTIMISERS[name]([p]) for p in apart]
    for _ in range(10):
        for p, q in zip(together, apart, strict=True):
            p.grad = rng.normal(size=p.shape)
            q.grad = p.grad.copy()
        opt.step()
        for o in opts:
            o.step()
    for p, q in zip(together, apart, strict=True):
        np.testing.assert_array_equal(p.value, q.value)
    assert len(opt.state) == 2
    for state, p in zip(opt.state, together, strict=True):
        for value in state.values():
            if isinstance(value, np.ndarray):
                assert value.shape == p.shape


@pytest.mark.parametrize("name", OPTIMISERS)
def test_zero_grad_and_a_zero_gradient(name, rng):
    """zero_grad zeroes every gradient. With no history a zero gradient moves nothing
    (for the adaptive ones 0 / (0 + eps) = 0)."""
    params = random_params(rng)
    before = [p.value.copy() for p in params]
    opt = OPTIMISERS[name](params)
    opt.zero_grad()
    for p in params:
        np.testing.assert_array_equal(p.grad, 0.0)
    opt.step()
    for p, v in zip(params, before, strict=True):
        np.testing.assert_array_equal(p.value, v)


@pytest.mark.parametrize("name", OPTIMISERS)
def test_optimisers_update_in_place_and_leave_gradients_alone(name, rng):
    params = random_params(rng)
    arrays = [p.value for p in params]
    grads = [p.grad.copy() for p in params]
    OPTIMISERS[name](params, weight_decay=0.1).step()
    for p, a, g in zip(params, arrays, grads, strict=True):
        assert p.value is a
        np.testing.assert_array_equal(p.grad, g)


@pytest.mark.parametrize("cls", [Adagrad, RMSprop, Adadelta, Adam])
def test_adaptive_steps_stay_finite_for_huge_and_tiny_gradients(cls, rng):
    """Gradients of 1e150 (squares near the float64 limit), 1e-150 and 0: no overflow,
    no NaN, no warning, and no step larger than 10 lr (RMSprop's first step is
    lr / sqrt(1 - alpha)). Adadelta's square of a step of 1e-300 underflows to 0, which
    is its value in float64, and raises nothing."""
    (p,) = random_params(rng, [(5,)])
    opt = cls([p], lr=1e-3)
    with np.errstate(all="raise"):
        for scale in (1e150, 1e-150, 0.0, 1e150, 1e-150):
            before = p.value.copy()
            p.grad = scale * rng.normal(size=5)
            opt.step()
            assert np.all(np.isfinite(p.value))
            assert np.max(np.abs(p.value - before)) <= 1e-2 * (1 + 1e-12)


def test_repr_shows_the_hyperparameters(rng):
    params = random_params(rng)
    assert repr(Momentum(params, lr=0.1)) == "Momentum(lr=0.1, momentum=0.9, weight_decay=0.0)"
    assert repr(Adagrad(params, lr=0.1)) == "Adagrad(lr=0.1, eps=1e-10, weight_decay=0.0)"
    assert repr(RMSprop(params, lr=0.1)) == (
        "RMSprop(lr=0.1, alpha=0.99, eps=1e-08, weight_decay=0.0)"
    )
    assert repr(Adadelta(params)) == "Adadelta(lr=1.0, rho=0.9, eps=1e-06, weight_decay=0.0)"
    assert repr(Adam(params)) == (
        "Adam(lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0, bias_correction=True)"
    )


@pytest.mark.parametrize("cls", ADAPTIVE)
@pytest.mark.parametrize("lr", [0.0, -1e-3])
def test_every_optimiser_requires_a_positive_lr(cls, lr, rng):
    with pytest.raises(ValueError, match="lr must be > 0"):
        cls(random_params(rng), lr=lr)


@pytest.mark.parametrize("cls", ADAPTIVE)
def test_every_optimiser_rejects_an_empty_parameter_list(cls):
    with pytest.raises(ValueError, match="params must contain at least one Parameter"):
        cls([], lr=0.1)


@pytest.mark.parametrize("cls", ADAPTIVE)
def test_every_optimiser_rejects_negative_weight_decay(cls, rng):
    with pytest.raises(ValueError, match="weight_decay must be >= 0"):
        cls(random_params(rng), lr=0.1, weight_decay=-0.1)


@pytest.mark.parametrize("momentum", [-0.1, 1.0, 1.5])
def test_momentum_must_be_in_unit_interval(momentum, rng):
    with pytest.raises(ValueError, match=re.escape(f"momentum must be in [0, 1), got {momentum}")):
        Momentum(random_params(rng), lr=0.1, momentum=momentum)


@pytest.mark.parametrize("alpha", [-0.1, 1.0])
def test_rmsprop_alpha_must_be_in_unit_interval(alpha, rng):
    with pytest.raises(ValueError, match=re.escape("alpha must be in [0, 1)")):
        RMSprop(random_params(rng), lr=0.1, alpha=alpha)


@pytest.mark.parametrize("rho", [-0.1, 1.0, 1.5])
def test_adadelta_rho_must_be_in_unit_interval(rho, rng):
    with pytest.raises(ValueError, match=re.escape(f"rho must be in [0, 1), got {rho}")):
        Adadelta(random_params(rng), rho=rho)


@pytest.mark.parametrize(
    ("betas", "name"),
    [((1.0, 0.999), "betas[0]"), ((0.9, 1.0), "betas[1]"), ((-0.1, 0.9), "betas[0]")],
)
def test_adam_betas_must_be_in_unit_interval(betas, name, rng):
    with pytest.raises(ValueError, match=re.escape(f"{name} must be in [0, 1)")):
        Adam(random_params(rng), betas=betas)


@pytest.mark.parametrize("betas", [(0.9,), (0.9, 0.99, 0.999)])
def test_adam_betas_must_be_a_pair(betas, rng):
    with pytest.raises(ValueError, match="betas must be a pair"):
        Adam(random_params(rng), betas=betas)


@pytest.mark.parametrize("betas", [0.9, "ab", None])
def test_adam_betas_must_be_a_sequence(betas, rng):
    with pytest.raises(TypeError, match="betas must be a pair"):
        Adam(random_params(rng), betas=betas)


@pytest.mark.parametrize(
    "make",
    [
        lambda p, eps: Adagrad(p, lr=0.1, eps=eps),
        lambda p, eps: RMSprop(p, lr=0.1, eps=eps),
        lambda p, eps: Adadelta(p, eps=eps),
        lambda p, eps: Adam(p, eps=eps),
    ],
)
@pytest.mark.parametrize("eps", [0.0, -1e-8])
def test_eps_must_be_positive(make, eps, rng):
    with pytest.raises(ValueError, match="eps must be > 0"):
        make(random_params(rng), eps)


def test_adam_bias_correction_must_be_a_bool(rng):
    with pytest.raises(TypeError, match="bias_correction must be True or False, got 0"):
        Adam(random_params(rng), bias_correction=0)


def test_hyperparameters_are_typed(rng):
    with pytest.raises(TypeError, match="momentum must be a real number"):
        Momentum(random_params(rng), lr=0.1, momentum="0.9")
    with pytest.raises(TypeError, match=re.escape("betas[1] must be a real number")):
        Adam(random_params(rng), betas=(0.9, None))
    with pytest.raises(TypeError, match="rho must be a real number"):
        Adadelta(random_params(rng), rho=None)


def test_weight_decay_and_eps_are_keyword_only_where_torch_has_them_later(rng):
    with pytest.raises(TypeError):
        Momentum(random_params(rng), 0.1, 0.9, 0.01)  # type: ignore[misc]
    with pytest.raises(TypeError):
        Adagrad(random_params(rng), 0.1, 1e-10)  # type: ignore[misc]
    with pytest.raises(TypeError):
        Adadelta(random_params(rng), 1.0, 0.9, 1e-6, 0.01)  # type: ignore[misc]


def test_trajectory_matches_a_hand_written_loop():
    """trajectory() is the loop the optimiser chapter draws: set grad, step, record."""
    grad = lambda w: np.array([1.0, 10.0]) * w  # noqa: E731
    path = optim.trajectory(lambda p: optim.Adam(p, lr=0.1), grad, [-2.0, 1.0], steps=25)
    w = Parameter([-2.0, 1.0])
    opt = optim.Adam([w], lr=0.1)
    expected = [w.value.copy()]
    for _ in range(25):
        w.grad = grad(w.value)
        opt.step()
        expected.append(w.value.copy())
    assert path.shape == (26, 2)
    np.testing.assert_array_equal(path, np.array(expected))


def test_trajectory_reports_divergence_and_checks_steps():
    grad = lambda w: 2 * w  # noqa: E731
    assert optim.trajectory(lambda p: optim.SGD(p, lr=2.0), grad, [1.0], 20, bound=1e3) is None
    with pytest.raises(ValueError, match="steps"):
        optim.trajectory(lambda p: optim.SGD(p, lr=0.1), grad, [1.0], 0)


def test_tune_learning_rate_picks_the_lowest_ending_run():
    """On f(w) = 1/2 (w1^2 + 10 w2^2) from (-2, 1): each rate's path is trajectory()'s, the
    divergent rate is left out and the winner has the smallest max f over the last points."""
    curv = np.array([1.0, 10.0])
    grad = lambda w: curv * w  # noqa: E731
    f = lambda w: 0.5 * (curv * w**2).sum(axis=-1)  # noqa: E731
    grid = [0.01, 0.1, 0.15, 0.3]  # 0.3 > 2/10: diverges along w2
    lr, path = optim.tune_learning_rate(
        optim.SGD, grad, f, [-2.0, 1.0], 40, grid, last=5, bound=1e3
    )
    finals = {
        rate: f(
            optim.trajectory(lambda p, rate=rate: optim.SGD(p, rate), grad, [-2.0, 1.0], 40)[-5:]
        ).max()
        for rate in grid[:3]
    }
    assert lr == min(finals, key=finals.get) == 0.15
    np.testing.assert_array_equal(
        path, optim.trajectory(lambda p: optim.SGD(p, 0.15), grad, [-2.0, 1.0], 40)
    )


def test_tune_learning_rate_ties_go_to_the_first_rate_and_errors():
    grad = lambda w: 2 * w  # noqa: E731
    f = lambda w: (w**2).sum(axis=-1)  # noqa: E731
    # from 0 every rate stays at the minimum: a tie, won by the first rate listed
    lr, _ = optim.tune_learning_rate(optim.SGD, grad, f, [0.0], 3, [0.3, 0.1, 0.2])
    assert lr == 0.3
    with pytest.raises(ValueError, match="diverged"):
        optim.tune_learning_rate(optim.SGD, grad, f, [1.0], 20, [2.0, 3.0], bound=1e3)
    with pytest.raises(ValueError, match="diverged"):
        optim.tune_learning_rate(optim.SGD, grad, f, [1.0], 20, [])
    with pytest.raises(ValueError, match="last"):
        optim.tune_learning_rate(optim.SGD, grad, f, [1.0], 20, [0.1], last=0)
