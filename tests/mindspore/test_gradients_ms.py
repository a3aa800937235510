"""Chapter 5's MindSpore snippets (docs/mindspore/gradients.py) against dlnotes.optim and .init."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlnotes import init
from dlnotes.layers import Linear, Parameter
from dlnotes.losses import MSELoss
from dlnotes.optim import SGD, clip_grad_norm

# ops.clip_by_global_norm sums the squares in float64 but casts them to float32 before adding and
# taking the square root, and it has no 1e-6 in the denominator: c/max(|g|, c) where dlnotes and
# PyTorch use c/(|g| + 1e-6). Both differences are below 1e-6 relative for |g| >= 1 (measured:
# 8e-8), far above float64's 1e-10, hence this tolerance for every clipped gradient.
CLIP_RTOL = 1e-6

# The initialisers are checked on the statistics of 262,144 draws: the sample standard deviation
# has a relative standard error of 1/sqrt(2N) = 0.14 % for a normal law and 0.09 % for a uniform
# one, so a relative tolerance of 1 % is about 7 standard errors.
STAT_RTOL = 1e-2
N_IN, N_OUT = 256, 1024


@pytest.fixture(scope="module")
def snippets():
    import gradients

    return gradients


def _params_with_grads(grads: list[np.ndarray]) -> list[Parameter]:
    params = [Parameter(np.zeros_like(g)) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = g.copy()
    return params


def test_the_chapters_example(snippets, compare):
    grads = [np.array([30.0, 0.0]), np.array([40.0])]  # global norm 50
    params = _params_with_grads(grads)
    assert clip_grad_norm(params, max_norm=5.0) == 50.0
    for p, clipped in zip(params, snippets.clip_gradients(grads, 5.0), strict=True):
        compare("ops.clip_by_global_norm", p.grad, clipped, rtol=CLIP_RTOL)
    assert [t.asnumpy().tolist() for t in snippets.clip_gradients(grads, 5.0)] == [
        [3.0, 0.0],
        [4.0],
    ]


@pytest.mark.parametrize("seed", range(4))
def test_clip_by_global_norm_against_clip_grad_norm(snippets, compare, seed):
    rng = np.random.default_rng(seed)
    shapes = [tuple(rng.integers(1, 6, size=rng.integers(1, 4))) for _ in range(rng.integers(1, 5))]
    grads = [rng.normal(0.0, 10.0, size=shape) for shape in shapes]
    max_norm = float(rng.uniform(0.5, 3.0))
    params = _params_with_grads(grads)
    total = clip_grad_norm(params, max_norm=max_norm)
    assert total > max_norm  # this test is about the clipped case
    clipped = snippets.clip_gradients(grads, max_norm)
    assert len(clipped) == len(grads)
    for p, theirs in zip(params, clipped, strict=True):
        assert theirs.dtype == snippets.ms.float64
        compare("ops.clip_by_global_norm", p.grad, theirs, rtol=CLIP_RTOL)
    norm_after = math.sqrt(sum(float((t.asnumpy() ** 2).sum()) for t in clipped))
    assert norm_after == pytest.approx(max_norm, rel=CLIP_RTOL)


def test_the_formula_has_no_epsilon_and_a_float32_norm(snippets):
    """The chapter says MindSpore divides by max(|g|, c), with |g| rounded to float32."""
    rng = np.random.default_rng(7)
    grads = [rng.normal(0.0, 3.0, size=(4, 5)), rng.normal(0.0, 3.0, size=5)]
    squares = [np.float32((g**2).sum()) for g in grads]  # per tensor in float64, then float32
    norm32 = np.sqrt(np.float32(squares[0] + squares[1]))
    assert norm32 > 2.0
    for g, theirs in zip(grads, snippets.clip_gradients(grads, 2.0), strict=True):
        np.testing.assert_allclose(theirs.asnumpy(), g * 2.0 / np.float64(norm32), rtol=1e-15)


def test_small_gradients_are_left_unchanged(snippets):
    """Clipping only ever shrinks: the chapter's second example (norm 5e-7 < c = 5)."""
    grads = [np.array([3e-7, 0.0]), np.array([4e-7])]
    params = _params_with_grads(grads)
    clip_grad_norm(params, max_norm=5.0)
    for g, p, theirs in zip(grads, params, snippets.clip_gradients(grads, 5.0), strict=True):
        assert theirs.asnumpy().tolist() == p.grad.tolist() == g.tolist()


def test_clip_norm_defaults_to_one_and_the_inputs_stay(ms):
    """The table: clip_norm=1.0 where dlnotes and PyTorch require the threshold."""
    from mindspore import ops

    grads = (ms.Tensor(np.array([30.0, 0.0])), ms.Tensor(np.array([40.0])))
    clipped = ops.clip_by_global_norm(grads)
    np.testing.assert_allclose(clipped[0].asnumpy(), [0.6, 0.0], rtol=CLIP_RTOL)
    np.testing.assert_allclose(clipped[1].asnumpy(), [0.8], rtol=CLIP_RTOL)
    assert grads[0].asnumpy().tolist() == [30.0, 0.0]  # not in place: the result must be used


@pytest.mark.parametrize("seed", range(3))
def test_clipped_gradients_of_a_dense_layer(snippets, compare, seed):
    rng = np.random.default_rng(seed)
    n_in, n_out, batch = rng.integers(2, 7, size=3)
    layer = Linear(n_in, n_out, rng=rng)
    x = rng.normal(size=(batch, n_in))
    y = rng.normal(0.0, 5.0, size=(batch, n_out))
    loss = MSELoss()
    value = loss(layer(x), y)
    layer.backward(loss.backward())
    unclipped = [p.grad.copy() for p in layer.parameters()]
    # a threshold far above the norm: nothing is clipped, the gradients themselves are compared
    _, grads = snippets.clipped_gradients(layer.weight.value, layer.bias.value, x, y, 1e6)
    for name, ours, theirs in zip(("weight", "bias"), unclipped, grads, strict=True):
        compare(f"nn.Dense + MSE {name} gradient", ours, theirs)
    total = clip_grad_norm(layer.parameters(), max_norm=0.5)
    assert total > 1.0  # CLIP_RTOL holds for |g| >= 1
    their_loss, grads = snippets.clipped_gradients(layer.weight.value, layer.bias.value, x, y, 0.5)
    compare("nn.Dense + MSE loss", value, their_loss)
    for p, theirs in zip(layer.parameters(), grads, strict=True):
        compare("ops.clip_by_global_norm", p.grad, theirs, rtol=CLIP_RTOL)


@pytest.mark.parametrize("seed", range(3))
def test_ten_steps_of_sgd_with_clipping(snippets, compare, seed):
    rng = np.random.default_rng(seed)
    n_in, n_out, batch = rng.integers(2, 7, size=3)
    # float32 values, so that both start from exactly the same numbers
    weight = rng.normal(size=(n_out, n_in)).astype(np.float32).astype(np.float64)
    bias = rng.normal(size=n_out).astype(np.float32).astype(np.float64)
    x = rng.normal(size=(batch, n_in)).astype(np.float32).astype(np.float64)
    y = rng.normal(0.0, 5.0, size=(batch, n_out)).astype(np.float32).astype(np.float64)
    layer = Linear(n_in, n_out, rng=rng)
    layer.weight.value[...], layer.bias.value[...] = weight, bias
    opt, loss, clipped_steps = SGD(layer.parameters(), lr=0.1), MSELoss(), 0
    for _ in range(10):
        opt.zero_grad()
        loss(layer(x), y)
        layer.backward(loss.backward())
        clipped_steps += clip_grad_norm(layer.parameters(), max_norm=1.0) > 1.0
        opt.step()
    assert clipped_steps >= 1
    w, b = snippets.train_with_clipping(weight, bias, x, y, 1.0, 0.1, 10)
    assert w.dtype == np.float32
    compare("nn.SGD + ops.clip_by_global_norm, 10 steps", layer.weight.value, w, dtype="float32")
    compare("nn.SGD + ops.clip_by_global_norm, 10 steps", layer.bias.value, b, dtype="float32")


# --------------------------------------------------------------------------------------------
# Initialisers
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def drawn(ms, snippets):
    """MindSpore's weights of a Dense(256, 1024) under each initialiser, and dlnotes' draws."""
    ms.set_seed(0)  # the initialisers draw their seeds from NumPy's global generator
    weights = snippets.initial_weights(N_IN, N_OUT)
    rng = np.random.default_rng(0)
    shape = (N_OUT, N_IN)
    ours = {
        "default": Linear(N_IN, N_OUT, rng=rng).weight.value,
        "he_normal": init.kaiming_normal_(Parameter(np.zeros(shape)), rng=rng).value,
        "he_uniform": init.kaiming_uniform_(Parameter(np.zeros(shape)), rng=rng).value,
        "xavier_uniform": init.xavier_uniform_(Parameter(np.zeros(shape)), rng=rng).value,
    }
    return weights, ours


def _stds() -> dict[str, float]:
    """The standard deviation each initialiser aims at, from dlnotes.init's fans and gains."""
    fan_in, fan_out = init.fans((N_OUT, N_IN))
    assert (fan_in, fan_out) == (N_IN, N_OUT)
    return {
        "default": 1 / math.sqrt(3 * fan_in),  # U(-k, k), k = 1/sqrt(n_in)
        "he_normal": init.gain("relu") / math.sqrt(fan_in),
        "he_uniform": init.gain("relu") / math.sqrt(fan_in),
        "xavier_uniform": init.gain("linear") * math.sqrt(2 / (fan_in + fan_out)),
    }


@pytest.mark.parametrize("name", ["default", "he_normal", "he_uniform", "xavier_uniform"])
def test_initialisers_have_dlnotes_standard_deviation(drawn, compare, name):
    weights, ours = drawn
    theirs = weights[name]
    assert theirs.shape == (N_OUT, N_IN) and theirs.dtype == np.float64
    std = _stds()[name]
    component = {
        "default": "nn.Dense weight_init=None",
        "he_normal": "HeNormal()",
        "he_uniform": "HeUniform()",
        "xavier_uniform": "XavierUniform()",
    }[name]
    compare(f"{component} std (statistical)", std, theirs.std(), rtol=STAT_RTOL)
    compare(
        f"{component} std vs dlnotes' draw (statistical)",
        ours[name].std(),
        theirs.std(),
        rtol=STAT_RTOL,
    )
    assert abs(theirs.mean()) < 5 * std / math.sqrt(theirs.size)


@pytest.mark.parametrize("name", ["default", "he_uniform", "xavier_uniform"])
def test_uniform_initialisers_reach_their_bound(drawn, name):
    """U(-a, a) with a = sqrt(3) std: every draw within a, the largest within 0.1 % of it."""
    weights, ours = drawn
    bound = math.sqrt(3.0) * _stds()[name]
    for w in (weights[name], ours[name]):
        largest = float(np.abs(w).max())
        assert largest <= bound * (1 + 1e-7)  # MindSpore draws float32 numbers: half an ulp
        assert largest >= bound * (1 - 1e-3)


def test_he_normal_is_not_truncated(drawn):
    """Normal, not a truncated normal: about 4.55 % of the draws lie beyond two std."""
    weights, _ = drawn
    w, std = weights["he_normal"], _stds()["he_normal"]
    beyond = float(np.mean(np.abs(w) > 2 * std))
    p = math.erfc(2 / math.sqrt(2))  # 0.0455
    assert abs(beyond - p) < 5 * math.sqrt(p * (1 - p) / w.size)


def test_dense_default_bias_is_pytorchs(ms, snippets):
    ms.set_seed(1)
    bias = snippets.default_bias(N_IN, 200_000)
    k = 1 / math.sqrt(N_IN)
    assert np.abs(bias).max() <= k * (1 + 1e-7)
    assert bias.std() == pytest.approx(k / math.sqrt(3), rel=STAT_RTOL)


def test_the_he_defaults_are_relu_fan_in(ms):
    """HeNormal(): a leaky ReLU of slope 0, gain sqrt(2), on fan_in, like init.kaiming_normal_."""
    from mindspore.common import initializer as I

    ms.set_seed(2)
    shape = (8, 3, 5, 5)  # a convolution weight: fan_in = 3 * 5 * 5 = 75, as init.fans
    fan_in, _ = init.fans(shape)
    w = I.initializer(I.HeUniform(), shape, ms.float64).asnumpy()
    bound = init.gain("relu") * math.sqrt(3 / fan_in)
    assert bound * (1 - 0.05) <= np.abs(w).max() <= bound * (1 + 1e-7)
    relu = I.initializer(I.HeUniform(nonlinearity="relu"), (2000, 75), ms.float64).asnumpy()
    assert np.abs(relu).max() == pytest.approx(bound, rel=1e-3)


def test_weight_init_normal_is_std_001(ms):
    """The chapter warns that weight_init='normal' is N(0, 0.01^2): the too-small start."""
    from mindspore import nn

    ms.set_seed(3)
    w = nn.Dense(N_IN, N_OUT, weight_init="normal", dtype=ms.float64).weight.asnumpy()
    assert w.std() == pytest.approx(0.01, rel=STAT_RTOL)


def test_nn_mseloss_averages_in_float32(ms):
    """Why the snippets write the mean squared error out: nn.MSELoss is float32 inside."""
    from mindspore import nn

    rng = np.random.default_rng(8)
    pred, target = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    exact = float(np.mean((pred - target) ** 2))
    theirs = nn.MSELoss()(ms.Tensor(pred), ms.Tensor(target))
    assert theirs.dtype == ms.float64  # cast back, after a float32 mean
    assert 1e-10 < abs(float(theirs.asnumpy()) - exact) / exact < 1e-6


def test_clip_by_global_norm_is_marked_deprecated_but_works(ms):
    from mindspore import ops

    assert "deprecated" in ops.clip_by_global_norm.__doc__
    (clipped,) = ops.clip_by_global_norm((ms.Tensor(np.array([3.0, 4.0])),), 1.0)
    np.testing.assert_allclose(clipped.asnumpy(), [0.6, 0.8], rtol=CLIP_RTOL)
