"""Chapter 6's MindSpore snippets (docs/mindspore/regularisation.py) against dlnotes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlnotes.layers import Dropout, Linear
from dlnotes.losses import MSELoss
from dlnotes.optim import SGD
from dlnotes.regularization import add_l2_grad, l2_penalty

# nn.Dropout keeps its keep probability as a float32 number, so a kept unit is multiplied by the
# float32 number nearest 1/(1 - p): exactly 2 for p = 0.5 and 1.25 for p = 0.2, but 1.11111116
# for p = 0.1 where float64 has 1.1111111111111112 (4.8e-8 relative). Hence 1e-7.
DROPOUT_RTOL = 1e-7


@pytest.fixture(scope="module")
def snippets():
    import regularisation

    return regularisation


class _GivenMask:
    """Stands in for dlnotes' generator: ``random(shape) >= p`` reproduces a given mask."""

    def __init__(self, kept: np.ndarray) -> None:
        self.kept = kept

    def random(self, shape: tuple[int, ...]) -> np.ndarray:
        assert shape == self.kept.shape
        return np.where(self.kept, 1.0, 0.0)  # 1 >= p keeps, 0 >= p drops (0 < p < 1)


@pytest.mark.parametrize(("seed", "p"), [(0, 0.5), (1, 0.2), (2, 0.1), (3, 0.7)])
def test_dropout_is_dlnotes_dropout_given_the_same_mask(ms, snippets, compare, seed, p):
    rng = np.random.default_rng(seed)
    shape = (
        rng.integers(6, 10),
        rng.integers(10, 14),
        *rng.integers(1, 4, size=rng.integers(0, 2)),
    )
    x = rng.normal(size=shape)
    x[x == 0] = 1.0  # a zero output then means a dropped unit
    dout = rng.normal(size=shape)
    ms.set_seed(seed)
    y, dx = snippets.dropout_train(x, p, dout)
    assert y.dtype == dx.dtype == ms.float64
    kept = y.asnumpy() != 0
    assert 0 < kept.sum() < kept.size
    ours = Dropout(p, rng=np.random.default_rng(seed))
    ours.rng = _GivenMask(kept)  # the masks differ: dlnotes is given MindSpore's
    compare("nn.Dropout forward", ours.forward(x, training=True), y, rtol=DROPOUT_RTOL)
    assert np.array_equal(ours.mask, kept)
    compare("nn.Dropout backward", ours.backward(dout), dx, rtol=DROPOUT_RTOL)


@pytest.mark.parametrize("p", [0.5, 0.2, 0.1, 0.7])
def test_every_kept_unit_is_scaled_by_one_number(ms, snippets, p):
    x = np.ones((200, 500))
    ms.set_seed(4)
    y, dx = snippets.dropout_train(x, p, 3 * x)
    y, dx = y.asnumpy(), dx.asnumpy()
    scale = np.unique(y[y != 0])
    assert scale.tolist() == [float(np.float32(1 / (1 - p)))]
    if p in (0.5, 0.2):  # 2 and 1.25 are float32 numbers: exactly 1/(1 - p)
        assert scale[0] == 1 / (1 - p)
    np.testing.assert_array_equal(dx, (y != 0) * 3 * scale[0])  # gradient = mask * scale * dout


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_the_dropped_fraction_is_close_to_p(ms, snippets, p):
    x = np.ones((400, 500))
    ms.set_seed(5)
    theirs = float(np.mean(snippets.dropout_train(x, p, x)[0].asnumpy() == 0))
    ours = float(np.mean(Dropout(p, rng=np.random.default_rng(5))(x) == 0))
    standard_error = math.sqrt(p * (1 - p) / x.size)  # 0.0007 at p = 0.5
    assert abs(theirs - p) < 5 * standard_error
    assert abs(ours - p) < 5 * standard_error


def test_evaluation_mode_is_the_identity(snippets, compare):
    x = np.random.default_rng(6).normal(size=(3, 4, 5))
    theirs = snippets.dropout_eval(x, 0.5)
    assert np.array_equal(theirs.asnumpy(), x)
    compare(
        "nn.Dropout evaluation",
        Dropout(0.5, rng=np.random.default_rng(6))(x, training=False),
        theirs,
    )


def test_a_new_cell_is_in_evaluation_mode(ms):
    """The chapter warns: without set_train(), nn.Dropout does nothing (torch starts training)."""
    from mindspore import nn

    drop = nn.Dropout(p=0.5)
    assert drop.training is False
    x = np.ones((50, 50))
    assert np.array_equal(drop(ms.Tensor(x)).asnumpy(), x)
    drop.set_train()
    assert drop.training is True
    assert (drop(ms.Tensor(x)).asnumpy() == 0).any()


def test_a_positional_argument_is_keep_prob(ms):
    """The table: nn.Dropout(0.2) keeps 20 % and multiplies by 5, where PyTorch's drops 20 %."""
    from mindspore import nn

    assert "keep_prob (float): Deprecated." in nn.Dropout.__doc__
    drop = nn.Dropout(0.2)
    assert (drop.keep_prob, drop.p) == (0.2, None)
    drop.set_train()
    ms.set_seed(7)
    y = drop(ms.Tensor(np.ones((400, 500)))).asnumpy()
    assert np.unique(y).tolist() == [0.0, 5.0]
    assert abs(np.mean(y == 0) - 0.8) < 5 * math.sqrt(0.8 * 0.2 / y.size)


# --------------------------------------------------------------------------------------------
# Weight decay and the L2 penalty
# --------------------------------------------------------------------------------------------


def _problem(seed: int):
    """A linear layer and data, all float32 numbers so that float32 MindSpore starts equal."""
    rng = np.random.default_rng(seed)
    n_in, n_out, batch = rng.integers(2, 7, size=3)

    def f32(a):
        return np.asarray(a, dtype=np.float32).astype(np.float64)

    layer = Linear(n_in, n_out, rng=rng)
    layer.weight.value[...] = f32(rng.normal(size=(n_out, n_in)))
    layer.bias.value[...] = f32(rng.normal(size=n_out))
    x, y = f32(rng.normal(size=(batch, n_in))), f32(rng.normal(size=(batch, n_out)))
    return layer, x, y


def _gradients(layer: Linear, x: np.ndarray, y: np.ndarray) -> float:
    loss = MSELoss()
    value = loss(layer(x), y)
    layer.backward(loss.backward())
    return value


@pytest.mark.parametrize(("seed", "lam"), [(0, 0.5), (1, 0.01), (2, 0.25)])
def test_l2_penalty_by_hand_gives_dlnotes_gradients(snippets, compare, seed, lam):
    layer, x, y = _problem(seed)
    weight, bias = layer.weight.value.copy(), layer.bias.value.copy()
    value = _gradients(layer, x, y) + l2_penalty([layer.weight], lam=lam)
    add_l2_grad([layer.weight], lam=lam)
    their_loss, grads = snippets.l2_penalty_gradients(weight, bias, x, y, lam)
    compare("MSE + L2 penalty (by hand)", value, their_loss)
    compare("L2 penalty by hand: weight gradient", layer.weight.grad, grads[0])
    compare("L2 penalty by hand: bias gradient", layer.bias.grad, grads[1])
    # nn.SGD's weight_decay adds weight_decay * w to the same gradient; the optimiser keeps
    # weight_decay as a float32 number (0.01 becomes 0.0099999998), exact only for 0.5 and 0.25
    rtol = None if lam in (0.5, 0.25) else 1e-7
    decayed = snippets.weight_decay_gradients(weight, bias, x, y, lam)
    compare("nn.SGD weight_decay gradient", layer.weight.grad, decayed[0], rtol=rtol)
    compare("nn.SGD weight_decay gradient", layer.bias.grad, decayed[1])


@pytest.mark.parametrize("seed", range(3))
def test_ten_steps_of_sgd_with_weight_decay(snippets, compare, seed):
    """The chapter's comparison: decay the weight only, 10 steps, against dlnotes' SGD."""
    layer, x, y = _problem(seed)
    weight, bias = layer.weight.value.copy(), layer.bias.value.copy()
    decayed = SGD([layer.weight], lr=0.1, weight_decay=0.5)
    plain = SGD([layer.bias], lr=0.1)
    for _ in range(10):
        decayed.zero_grad(), plain.zero_grad()
        _gradients(layer, x, y)
        decayed.step(), plain.step()
    w, b = snippets.sgd_with_weight_decay(weight, bias, x, y, 0.1, 0.5, 10)
    assert w.dtype == np.float32  # nn.SGD's CPU kernel refuses float64
    compare("nn.SGD(weight_decay=0.5), 10 steps", layer.weight.value, w, dtype="float32")
    compare("nn.SGD(weight_decay=0.5), 10 steps", layer.bias.value, b, dtype="float32")
    # the L2 penalty in the loss with plain SGD lands on the same weights
    w_l2, b_l2 = snippets.sgd_with_l2_penalty(weight, bias, x, y, 0.1, 0.5, 10)
    compare("nn.SGD on MSE + L2 penalty, 10 steps", layer.weight.value, w_l2, dtype="float32")
    compare("nn.SGD on MSE + L2 penalty, 10 steps", layer.bias.value, b_l2, dtype="float32")
    np.testing.assert_allclose(w_l2, w, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(b_l2, b, rtol=1e-6, atol=1e-7)


def test_weight_decay_without_groups_decays_the_bias_too(ms):
    """The chapter's remark: every parameter without "beta" or "gamma" in its name is decayed."""
    from mindspore import nn

    net = nn.Dense(3, 2)
    optimizer = nn.SGD(net.trainable_params(), learning_rate=0.1, weight_decay=0.5)
    assert [p.name for p in optimizer.parameters] == ["weight", "bias"]
    assert optimizer.decay_flags == (True, True)
    norm = nn.BatchNorm1d(2)
    optimizer = nn.SGD(norm.trainable_params(), weight_decay=0.5)
    assert optimizer.decay_flags == (False, False)  # gamma, beta
    assert float(optimizer.learning_rate.asnumpy()) == pytest.approx(0.1)  # the default


def test_a_python_float_beside_a_tensor_is_float32(ms):
    """Why l2_penalised_loss makes lam / 2 a float64 Tensor: 0.01 * t rounds 0.01 to float32."""
    t = ms.Tensor(np.array([1.0]))
    assert (0.01 * t).asnumpy()[0] == float(np.float32(0.01)) != 0.01
    assert (ms.Tensor(0.01, ms.float64) * t).asnumpy()[0] == 0.01


def test_the_mask_follows_ms_set_seed(ms, snippets):
    x = np.ones((20, 30))
    masks = []
    for _ in range(2):
        ms.set_seed(9)
        masks.append(snippets.dropout_train(x, 0.5, x)[0].asnumpy())
    assert np.array_equal(masks[0], masks[1])
