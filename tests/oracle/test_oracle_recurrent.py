"""dlnotes RNN and LSTM against torch.nn.RNN / torch.nn.LSTM (batch_first=True, float64).

Each case draws random sizes (N, T, D, H), copies our parameters into the torch module,
runs both forward passes on the same input (half the cases from a random initial state),
back-propagates the same random dout through all hidden states, and compares the output,
the final states, dx, every weight and bias gradient and the gradients of the initial
states (rtol 1e-10). The functions of dlnotes.recurrent are checked the same way.
"""

import numpy as np
import pytest

from dlnotes import recurrent
from dlnotes.layers import LSTM, RNN, LastStep, Linear, Sequential

SEEDS = range(40)


def random_case(rng):
    n, t, d, h = (int(v) for v in rng.integers(1, [9, 13, 9, 9], endpoint=True))
    scale = float(rng.choice([0.1, 1.0, 3.0]))
    return n, t, d, h, scale


def torch_module(torch, layer):
    cls = torch.nn.LSTM if isinstance(layer, LSTM) else torch.nn.RNN
    module = cls(layer.input_size, layer.hidden_size, batch_first=True)
    with torch.no_grad():
        for p in layer.parameters():  # ours: weight_ih (or 0.weight_ih); torch: weight_ih_l0
            getattr(module, f"{p.name.split('.')[-1]}_l0").copy_(torch.from_numpy(p.value))
    return module


def run_both(torch, compare, layer, x, states, rng):
    """Forward and BPTT through both; compare everything that comes out."""
    name = type(layer).__name__
    module = torch_module(torch, layer)
    xt = torch.tensor(x, requires_grad=True)
    st = [torch.tensor(s[None], requires_grad=True) for s in states]  # (1, N, H)
    if isinstance(layer, LSTM):
        out_t, (h_n, c_n) = module(xt, tuple(st) if st else None)
    else:
        out_t, h_n = module(xt, st[0] if st else None)
    out = layer(x, **dict(zip(("h0", "c0"), states, strict=False)))
    compare(f"{name} forward", out, out_t)
    compare(f"{name} h_n", layer.h_n, h_n[0])
    if isinstance(layer, LSTM):
        compare(f"{name} c_n", layer.c_n, c_n[0])
    dout = rng.normal(size=out.shape)
    out_t.backward(torch.from_numpy(dout))
    compare(f"{name} dx", layer.backward(dout), xt.grad)
    for p in layer.parameters():
        compare(f"{name} d{p.name}", p.grad, getattr(module, f"{p.name}_l0").grad)
    for label, s in zip(("dh0", "dc0"), st, strict=False):
        compare(f"{name} {label}", getattr(layer, label), s.grad[0])


@pytest.mark.covers("layers.RNN")
@pytest.mark.parametrize("with_state", [False, True], ids=["zero-state", "initial-state"])
@pytest.mark.parametrize("seed", SEEDS)
def test_rnn(torch, compare, seed, with_state):
    rng = np.random.default_rng(seed)
    n, t, d, h, scale = random_case(rng)
    layer = RNN(d, h, rng=rng)
    x = rng.normal(scale=scale, size=(n, t, d))
    states = [rng.normal(size=(n, h))] if with_state else []
    run_both(torch, compare, layer, x, states, rng)


@pytest.mark.covers("layers.LSTM")
@pytest.mark.parametrize("with_state", [False, True], ids=["zero-state", "initial-state"])
@pytest.mark.parametrize("seed", SEEDS)
def test_lstm(torch, compare, seed, with_state):
    rng = np.random.default_rng(1000 + seed)
    n, t, d, h, scale = random_case(rng)
    layer = LSTM(d, h, rng=rng)
    x = rng.normal(scale=scale, size=(n, t, d))
    states = [rng.normal(size=(n, h)), rng.normal(size=(n, h))] if with_state else []
    run_both(torch, compare, layer, x, states, rng)


@pytest.mark.covers("layers.LSTM")
@pytest.mark.parametrize("seed", range(12))
def test_lstm_with_large_weights(torch, compare, seed):
    """Weights well beyond the default init: saturated gates, large cell states."""
    rng = np.random.default_rng(2000 + seed)
    n, t, d, h, _ = random_case(rng)
    layer = LSTM(d, h, rng=rng)
    for p in layer.parameters():
        p.value *= 4.0
    x = rng.normal(scale=2.0, size=(n, t, d))
    run_both(torch, compare, layer, x, [rng.normal(size=(n, h))] * 2, rng)


@pytest.mark.covers(
    "recurrent.lstm_backward",
    "recurrent.lstm_forward",
    "recurrent.rnn_backward",
    "recurrent.rnn_forward",
)
@pytest.mark.parametrize("seed", range(12))
def test_functions(torch, compare, seed):
    """recurrent.rnn_forward/backward and lstm_forward/backward against torch's layers."""
    rng = np.random.default_rng(3000 + seed)
    n, t, d, h, _ = random_case(rng)
    x = rng.normal(size=(n, t, d))
    h0, c0 = rng.normal(size=(2, n, h))
    for gates, cls in ((1, torch.nn.RNN), (4, torch.nn.LSTM)):
        module = cls(d, h, batch_first=True)
        w_ih, w_hh = (getattr(module, f"weight_{k}_l0").detach().numpy() for k in ("ih", "hh"))
        b_ih, b_hh = (getattr(module, f"bias_{k}_l0").detach().numpy() for k in ("ih", "hh"))
        xt = torch.tensor(x, requires_grad=True)
        h0t = torch.tensor(h0[None], requires_grad=True)
        dout = rng.normal(size=(n, t, h))
        if gates == 1:
            out_t, _ = module(xt, h0t)
            hs = recurrent.rnn_forward(x, w_ih, w_hh, b_ih, b_hh, h0)
            compare("recurrent.rnn_forward", hs, out_t)
            grads = recurrent.rnn_backward(dout, x, hs, w_ih, w_hh, h0)
        else:
            c0t = torch.tensor(c0[None], requires_grad=True)
            out_t, _ = module(xt, (h0t, c0t))
            hs, cs, g = recurrent.lstm_forward(x, w_ih, w_hh, b_ih, b_hh, h0, c0)
            compare("recurrent.lstm_forward", hs, out_t)
            grads = recurrent.lstm_backward(dout, x, hs, cs, g, w_ih, w_hh, h0, c0)
        out_t.backward(torch.from_numpy(dout))
        name = "recurrent.rnn_backward" if gates == 1 else "recurrent.lstm_backward"
        theirs = [
            xt.grad,
            *(
                getattr(module, f"{k}_l0").grad
                for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
            ),
            h0t.grad[0],
        ]
        if gates == 4:
            theirs.append(c0t.grad[0])
        labels = ["dx", "dweight_ih", "dweight_hh", "dbias_ih", "dbias_hh", "dh0", "dc0"]
        for label, ours, ref in zip(labels, grads, theirs, strict=False):
            compare(f"{name} {label}", ours, ref)


@pytest.mark.covers("layers.LastStep", "layers.Linear", "layers.LSTM", "layers.Sequential")
@pytest.mark.parametrize("seed", range(12))
def test_many_to_one_classifier(torch, compare, seed):
    """Sequential(LSTM, LastStep, Linear) and cross-entropy, against torch end to end."""
    rng = np.random.default_rng(4000 + seed)
    n, t, d, h, _ = random_case(rng)
    k = int(rng.integers(2, 6))
    net = Sequential(LSTM(d, h, rng=rng), LastStep(), Linear(h, k, rng=rng))
    lstm_t = torch_module(torch, net[0])
    head = torch.nn.Linear(h, k)
    with torch.no_grad():
        head.weight.copy_(torch.from_numpy(net[2].weight.value))
        head.bias.copy_(torch.from_numpy(net[2].bias.value))
    x = rng.normal(size=(n, t, d))
    xt = torch.tensor(x, requires_grad=True)
    logits_t = head(lstm_t(xt)[0][:, -1])
    logits = net(x)
    compare("LSTM-LastStep-Linear logits", logits, logits_t)
    dout = rng.normal(size=logits.shape)
    logits_t.backward(torch.from_numpy(dout))
    compare("LSTM-LastStep-Linear dx", net.backward(dout), xt.grad)
    compare("LSTM-LastStep-Linear d0.weight_hh", net[0].weight_hh.grad, lstm_t.weight_hh_l0.grad)
    compare("LSTM-LastStep-Linear d2.weight", net[2].weight.grad, head.weight.grad)
