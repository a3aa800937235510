"""Chapter 10: nn.RNN against dlnotes.layers.RNN, forward and BPTT, with the same weights."""

from __future__ import annotations

import mindspore as ms
import numpy as np
import pytest
import rnn
from mindspore import nn

from dlnotes.layers import RNN

# (N, T, D, H): one step, one sequence, a wide input, a long sequence
SHAPES = [(1, 1, 1, 1), (1, 6, 2, 3), (4, 5, 3, 4), (3, 7, 5, 2), (2, 30, 2, 6)]


def _case(seed: int) -> tuple[RNN, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n, steps, d, h = SHAPES[seed]
    net = RNN(d, h, rng=rng)
    x = rng.normal(size=(n, steps, d))
    dout = rng.normal(size=(n, steps, h))
    return net, x, dout


def test_parameter_names_and_shapes():
    """weight_ih_l0 (H, D), weight_hh_l0 (H, H), bias_ih_l0 and bias_hh_l0 (H,): PyTorch's."""
    d, h = 3, 4
    shapes = rnn.parameter_shapes(d, h)
    assert shapes == {
        "weight_ih_l0": (h, d),
        "weight_hh_l0": (h, h),
        "bias_ih_l0": (h,),
        "bias_hh_l0": (h,),
    }
    ours = RNN(d, h, rng=np.random.default_rng(0)).parameters()
    assert {f"{p.name}_l0": p.value.shape for p in ours} == shapes
    assert sum(np.prod(s) for s in shapes.values()) == h * (d + h) + 2 * h  # two biases


@pytest.mark.parametrize("seed", range(len(SHAPES)))
def test_forward(compare, seed):
    net, x, _ = _case(seed)
    output, h_n = rnn.forward(rnn.ms_rnn(net), x)
    assert output.dtype == ms.float64
    compare("nn.RNN forward", net(x), output)
    compare("nn.RNN h_n", net.h_n[None], h_n)  # (num_layers, N, H) against (N, H)


@pytest.mark.parametrize("seed", range(len(SHAPES)))
def test_backward(compare, seed):
    net, x, dout = _case(seed)
    cell = rnn.ms_rnn(net)
    dx, dparams = rnn.gradients(cell, x, dout)
    net(x)
    compare("nn.RNN d x", net.backward(dout), dx)
    for p, theirs in zip(net.parameters(), dparams, strict=True):
        compare(f"nn.RNN d {p.name}", p.grad, theirs)


def test_parameter_order_is_dlnotes_order():
    """ms_rnn copies by name; trainable_params() lists them in dlnotes' order too."""
    net, _, _ = _case(2)
    cell = rnn.ms_rnn(net)
    assert [p.name for p in cell.trainable_params()] == [f"{p.name}_l0" for p in net.parameters()]


def test_default_is_time_first():
    """Without batch_first=True, (N, T, D) is read as T = N steps of a batch of T sequences:
    no error, the same shape, other numbers."""
    net, x, _ = _case(3)
    cell = rnn.ms_rnn(net)
    time_first = nn.RNN(x.shape[2], net.weight_hh.value.shape[0], dtype=ms.float64)
    for ours, theirs in zip(cell.trainable_params(), time_first.trainable_params(), strict=True):
        theirs.set_data(ours.value())
    assert not time_first.batch_first
    output, _ = time_first(ms.Tensor(x))
    assert output.shape == (*x.shape[:2], net.weight_hh.value.shape[0])
    assert not np.allclose(output.asnumpy(), net(x))
    # what it computed: the RNN run along the batch axis
    np.testing.assert_allclose(output.asnumpy(), net(x.swapaxes(0, 1)).swapaxes(0, 1), 1e-10)


def test_nonlinearity_defaults_to_tanh(compare):
    """nonlinearity='tanh' is the default (a keyword of nn.RNN only, not of nn.LSTM);
    'relu' gives h_t = relu(...)."""
    net, x, _ = _case(2)
    w_ih, w_hh, b_ih, b_hh = (p.value for p in net.parameters())
    relu = nn.RNN(x.shape[2], w_hh.shape[0], batch_first=True, nonlinearity="relu")
    tanh = nn.RNN(x.shape[2], w_hh.shape[0], batch_first=True, nonlinearity="tanh")
    for cell in (relu, tanh):
        for p, value in zip(cell.trainable_params(), (w_ih, w_hh, b_ih, b_hh), strict=True):
            p.set_data(ms.Tensor(value, ms.float32))
    compare("nn.RNN forward (float32)", net(x), tanh(ms.Tensor(x, ms.float32))[0], dtype="float32")
    h, expected = np.zeros((x.shape[0], w_hh.shape[0])), []
    for t in range(x.shape[1]):
        h = np.maximum(x[:, t] @ w_ih.T + b_ih + h @ w_hh.T + b_hh, 0.0)
        expected.append(h)
    got = relu(ms.Tensor(x, ms.float32))[0]
    compare("nn.RNN relu forward", np.stack(expected, axis=1), got, dtype="float32")


def test_initial_state_is_float32_only(compare):
    """hx (num_layers, N, H) continues a sequence, as dlnotes' h0 (N, H), but nn.RNN refuses a
    float64 hx even when its parameters are float64; in float32 it matches."""
    net, x, _ = _case(4)
    h0 = np.random.default_rng(9).normal(size=(x.shape[0], net.weight_hh.value.shape[0]))
    cell = rnn.ms_rnn(net)
    with pytest.raises(TypeError, match="Float64"):
        cell(ms.Tensor(x), ms.Tensor(h0[None])).asnumpy()
    cell32 = nn.RNN(x.shape[2], h0.shape[1], batch_first=True)
    for p, theirs in zip(net.parameters(), cell32.trainable_params(), strict=True):
        theirs.set_data(ms.Tensor(p.value, ms.float32))
    output, _ = cell32(ms.Tensor(x, ms.float32), ms.Tensor(h0[None], ms.float32))
    compare("nn.RNN forward from hx", net(x, h0=h0), output, dtype="float32")


def test_without_bias():
    """has_bias=False drops both biases: H(D + H) numbers."""
    cell = nn.RNN(3, 4, has_bias=False, batch_first=True)
    assert [p.name for p in cell.trainable_params()] == ["weight_ih_l0", "weight_hh_l0"]


def test_default_dtype_rounds_the_copied_weights():
    """Without dtype=ms.float64 the parameters are float32: set_data rounds dlnotes' float64
    weights without a word, and even a float64 input then agrees only to float32 precision."""
    net, x, _ = _case(2)
    cell = nn.RNN(x.shape[2], net.weight_hh.value.shape[0], batch_first=True)
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        param = dict(cell.parameters_and_names())[f"{name}_l0"]
        param.set_data(ms.Tensor(getattr(net, name).value))  # float64 in
        assert param.dtype == ms.float32
        np.testing.assert_array_equal(param.asnumpy(), getattr(net, name).value.astype(np.float32))
    output, _ = cell(ms.Tensor(x))
    assert output.dtype == ms.float64  # the weights are cast up to the input's type
    error = np.max(np.abs(output.asnumpy() - net(x)))
    assert 1e-10 < error < 1e-6  # float64 weights give 1e-15 (test_forward)
