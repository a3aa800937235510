"""Chapter 11: nn.LSTM against dlnotes.layers.LSTM with the same weights, forward and BPTT;
the gate order of its rows; its float64 traps on the CPU; the chapter's LSTM example."""

from __future__ import annotations

import itertools

import lstm
import mindspore as ms
import numpy as np
import pytest
from mindspore import nn

from dlnotes.layers import LSTM, Parameter
from dlnotes.optim import clip_grad_norm

# (N, T, D, H): one step, one sequence, a wide input, a long sequence
SHAPES = [(1, 1, 1, 1), (1, 6, 2, 3), (4, 5, 3, 4), (3, 7, 5, 2), (2, 30, 2, 6)]


def _case(seed: int) -> tuple[LSTM, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n, steps, d, h = SHAPES[seed]
    net = LSTM(d, h, rng=rng)
    x = rng.normal(size=(n, steps, d))
    dout = rng.normal(size=(n, steps, h))
    return net, x, dout


def test_parameter_names_and_shapes():
    """weight_ih_l0 (4H, D), weight_hh_l0 (4H, H), bias_ih_l0 and bias_hh_l0 (4H,)."""
    d, h = 3, 4
    shapes = lstm.parameter_shapes(d, h)
    assert shapes == {
        "weight_ih_l0": (4 * h, d),
        "weight_hh_l0": (4 * h, h),
        "bias_ih_l0": (4 * h,),
        "bias_hh_l0": (4 * h,),
    }
    ours = LSTM(d, h, rng=np.random.default_rng(0)).parameters()
    assert {f"{p.name}_l0": p.value.shape for p in ours} == shapes
    assert sum(np.prod(s) for s in shapes.values()) == 4 * h * (d + h) + 8 * h


@pytest.mark.parametrize("seed", range(len(SHAPES)))
def test_forward(compare, seed):
    net, x, _ = _case(seed)
    output, (h_n, c_n) = lstm.forward(lstm.ms_lstm(net), x)
    assert output.dtype == ms.float64
    compare("nn.LSTM forward", net(x), output)
    compare("nn.LSTM h_n", net.h_n[None], h_n)  # (num_layers, N, H) against (N, H)
    compare("nn.LSTM c_n", net.c_n[None], c_n)


@pytest.mark.parametrize("seed", range(len(SHAPES)))
def test_backward(compare, seed):
    net, x, dout = _case(seed)
    dx, dparams = lstm.gradients(lstm.ms_lstm(net), x, dout)
    net(x)
    compare("nn.LSTM d x", net.backward(dout), dx)
    for p, theirs in zip(net.parameters(), dparams, strict=True):
        compare(f"nn.LSTM d {p.name}", p.grad, theirs)


def test_gate_order_is_i_f_g_o():
    """Of the 24 orders of the four row blocks, only dlnotes' own (i, f, g, o) reproduces
    dlnotes in MindSpore: its rows are stacked as in dlnotes and PyTorch."""
    net, x, _ = _case(2)
    h = net.weight_hh.value.shape[1]
    expected = net(x)
    matches = []
    for order in itertools.permutations(range(4)):
        rows = np.concatenate([np.arange(k * h, (k + 1) * h) for k in order])
        permuted = LSTM(x.shape[2], h, rng=np.random.default_rng(0))
        for ours, theirs in zip(net.parameters(), permuted.parameters(), strict=True):
            theirs.value[...] = ours.value[rows]
        output, _ = lstm.forward(lstm.ms_lstm(permuted), x)
        if np.allclose(output.asnumpy(), expected, rtol=1e-10, atol=1e-12):
            matches.append(order)
    assert matches == [(0, 1, 2, 3)]


def test_default_is_time_first():
    """Without batch_first=True, (N, T, D) is read as T = N steps of a batch of T sequences."""
    net, x, _ = _case(3)
    time_first = nn.LSTM(x.shape[2], net.weight_hh.value.shape[1], dtype=ms.float64)
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        dict(time_first.parameters_and_names())[f"{name}_l0"].set_data(
            ms.Tensor(getattr(net, name).value)
        )
    assert not time_first.batch_first
    lengths = ms.Tensor(np.full(x.shape[1], x.shape[0]), ms.int32)  # N "steps" for T sequences
    output, _ = time_first(ms.Tensor(x), seq_length=lengths)
    assert output.shape == (*x.shape[:2], net.weight_hh.value.shape[1])
    assert not np.allclose(output.asnumpy(), net(x))
    np.testing.assert_allclose(output.asnumpy(), net(x.swapaxes(0, 1)).swapaxes(0, 1), 1e-10)


def test_float64_without_seq_length_is_float32_inside():
    """The fused CPU kernel (no seq_length) takes float64 but computes in float32: its float64
    output differs from dlnotes by float32 rounding, and from the float32 cell's by less."""
    net, x, _ = _case(4)
    expected = net(x)
    out64, _ = lstm.ms_lstm(net)(ms.Tensor(x))
    out32, _ = lstm.ms_lstm(net, ms.float32)(ms.Tensor(x, ms.float32))
    assert out64.dtype == ms.float64
    error = np.max(np.abs(out64.asnumpy() - expected))  # the states are at most 1 in size
    assert 1e-9 < error < 1e-6  # float64 arithmetic gives 1e-15 (test_forward)
    np.testing.assert_allclose(out64.asnumpy(), out32.asnumpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("seed", [1, 2, 4])
def test_float64_gradients_without_seq_length_are_wrong(seed):
    """...and its float64 gradients are not dlnotes' BPTT: zeros, NaN or unrelated numbers."""
    net, x, dout = _case(seed)
    cell, d = lstm.ms_lstm(net), ms.Tensor(dout)

    def weighted_sum(u: ms.Tensor) -> ms.Tensor:
        return (cell(u)[0] * d).sum()

    dx, _ = ms.grad(weighted_sum, grad_position=0, weights=cell.trainable_params())(ms.Tensor(x))
    net(x)
    expected, got = net.backward(dout), dx.asnumpy()
    assert np.abs(expected).max() > 1e-2
    assert not np.allclose(got, expected, rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("seed", range(len(SHAPES)))
def test_fused_float32_forward_and_backward(compare, seed):
    """The fused kernel in float32 (the training's): dlnotes' numbers to float32 precision."""
    net, x, dout = _case(seed)
    cell, d = lstm.ms_lstm(net, ms.float32), ms.Tensor(dout, ms.float32)
    t = ms.Tensor(x, ms.float32)

    def weighted_sum(u: ms.Tensor) -> ms.Tensor:
        return (cell(u)[0] * d).sum()

    dx, dparams = ms.grad(weighted_sum, grad_position=0, weights=cell.trainable_params())(t)
    compare("nn.LSTM forward (float32, fused)", net(x), cell(t)[0], dtype="float32")
    compare("nn.LSTM d x (float32, fused)", net.backward(dout), dx, dtype="float32")
    for p, theirs in zip(net.parameters(), dparams, strict=True):
        compare("nn.LSTM d weights (float32, fused)", p.grad, theirs, dtype="float32")


def test_initial_state_is_float32_only():
    """hx = (h0, c0) continues a sequence, but not in float64: nn.LSTM refuses it."""
    net, x, _ = _case(2)
    h0 = ms.Tensor(np.zeros((1, x.shape[0], net.weight_hh.value.shape[1])))
    with pytest.raises(TypeError, match="Float64"):
        lstm.ms_lstm(net)(ms.Tensor(x), (h0, h0))[0].asnumpy()


# --------------------------------------------------------------------------------------------
# The chapter's LSTM example
# --------------------------------------------------------------------------------------------


def test_classifier_starts_from_the_dlnotes_weights(compare):
    """LastStepClassifier: the dlnotes network's logits, in float32 (fused kernel, nn.Dense)."""
    net = lstm.make_lstm_net(np.random.default_rng(0))
    cell = lstm.LastStepClassifier(net)
    x, _ = lstm.make_batch(16, np.random.default_rng(5))
    scores = cell(ms.Tensor(x, ms.float32))
    compare("LSTM example, initial logits", net.forward(x, training=False), scores, dtype="float32")


@pytest.mark.parametrize("norm", [0.3, 1.0, 7.0])
def test_clipping_is_dlnotes_clip_grad_norm(compare, norm):
    rng = np.random.default_rng(int(norm * 10))
    grads = [rng.normal(size=s) for s in [(8, 3), (8,), (2,)]]
    grads = [g * norm / np.sqrt(sum((g**2).sum() for g in grads)) for g in grads]
    params = [Parameter(np.zeros_like(g)) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = g.copy()
    clip_grad_norm(params, lstm.MAX_NORM)
    clipped = lstm.clip_grad_norm_ms(tuple(ms.Tensor(g) for g in grads), lstm.MAX_NORM)
    for p, theirs in zip(params, clipped, strict=True):
        compare("clip_grad_norm_ms", p.grad, theirs)


def test_lstm_example_accuracies():
    """The chapter's number (LSTM at T = 20: 1.0), and MindSpore within 1 point."""
    ours = lstm.dlnotes_lstm_example()
    assert ours == 1.0
    assert abs(lstm.train_lstm_example() - ours) <= 0.01
