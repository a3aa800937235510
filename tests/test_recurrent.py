"""Tests for the recurrent layers (RNN, LSTM, LastStep) and dlnotes.recurrent."""

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes import recurrent
from dlnotes.gradcheck import check_layer
from dlnotes.layers import LSTM, RNN, LastStep, Linear, Sequential, Tanh
from dlnotes.optim import SGD, clip_grad_norm

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "layers.RNN",
    "layers.LSTM",
    "layers.LastStep",
    "recurrent.lstm_backward",
    "recurrent.lstm_forward",
    "recurrent.rnn_backward",
    "recurrent.rnn_forward",
)

RECURRENT = {"RNN": (RNN, 1), "LSTM": (LSTM, 4)}


def random_states(kind: str, n: int, h: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Initial states for a layer of this kind, by name: h0 (and c0 for the LSTM)."""
    names = ("h0", "c0") if kind == "LSTM" else ("h0",)
    return {name: rng.normal(size=(n, h)) for name in names}


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + np.exp(-z))


# --------------------------------------------------------------------------------------------
# Construction
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", RECURRENT)
def test_parameter_shapes_names_and_count(kind, rng):
    cls, g = RECURRENT[kind]
    d, h = 3, 5
    layer = cls(d, h, rng=rng)
    assert [(p.name, p.shape) for p in layer.parameters()] == [
        ("weight_ih", (g * h, d)),
        ("weight_hh", (g * h, h)),
        ("bias_ih", (g * h,)),
        ("bias_hh", (g * h,)),
    ]
    assert sum(p.value.size for p in layer.parameters()) == g * h * (d + h + 2)
    assert repr(layer) == f"{kind}(3, 5)"


@pytest.mark.parametrize("kind", RECURRENT)
def test_init_is_uniform_in_plus_minus_one_over_sqrt_h(kind):
    cls, _ = RECURRENT[kind]
    layer = cls(20, 64, rng=np.random.default_rng(0))
    k = 1 / np.sqrt(64)
    for p in layer.parameters():
        assert np.all(np.abs(p.value) <= k)
        assert np.abs(p.value).max() > 0.95 * k  # the whole range is used
        assert abs(p.value.std() - k / np.sqrt(3)) < 0.1 * k  # the variance of U(-k, k)


@pytest.mark.parametrize("kind", RECURRENT)
def test_init_is_deterministic_given_the_seed(kind):
    cls, _ = RECURRENT[kind]
    a, b = cls(3, 4, rng=np.random.default_rng(7)), cls(3, 4, rng=np.random.default_rng(7))
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(p.value, q.value)
    x = np.random.default_rng(1).normal(size=(2, 6, 3))
    np.testing.assert_array_equal(a(x), b(x))
    np.testing.assert_array_equal(a(x), a(x))  # a second pass gives the same numbers


@pytest.mark.parametrize("kind", RECURRENT)
@pytest.mark.parametrize(
    ("sizes", "error", "name"),
    [
        ((0, 3), ValueError, "input_size"),
        ((3, 0), ValueError, "hidden_size"),
        ((2.5, 3), TypeError, "input_size"),
        ((3, True), TypeError, "hidden_size"),
    ],
)
def test_bad_sizes_raise(kind, sizes, error, name, rng):
    with pytest.raises(error, match=name):
        RECURRENT[kind][0](*sizes, rng=rng)


@pytest.mark.parametrize("kind", RECURRENT)
def test_rng_is_required_and_keyword_only(kind):
    cls, _ = RECURRENT[kind]
    with pytest.raises(TypeError, match="rng"):
        cls(3, 4, rng=0)
    with pytest.raises(TypeError):
        cls(3, 4, np.random.default_rng(0))


# --------------------------------------------------------------------------------------------
# Forward values
# --------------------------------------------------------------------------------------------


def test_rnn_single_step_by_hand(rng):
    """T = 1, D = 2, H = 2 with chosen weights: every number worked out on paper."""
    rnn = RNN(2, 2, rng=rng)
    rnn.weight_ih.value = np.array([[1.0, -1.0], [0.5, 2.0]])
    rnn.weight_hh.value = np.array([[0.2, 0.0], [-0.3, 0.1]])
    rnn.bias_ih.value = np.array([0.1, -0.2])
    rnn.bias_hh.value = np.array([0.0, 0.05])
    x = np.array([[[0.5, 0.25]]])
    h0 = np.array([[1.0, -2.0]])
    # unit 0: 0.5 - 0.25 + 0.1 + 0.2 = 0.55; unit 1: 0.25 + 0.5 - 0.2 - 0.3 - 0.2 + 0.05 = 0.1
    expected = np.tanh([0.55, 0.1])
    out = rnn(x, h0=h0)
    np.testing.assert_allclose(out[0, 0], expected, rtol=1e-15)
    np.testing.assert_array_equal(rnn.h_n, out[:, -1])


def test_rnn_two_steps_by_hand(rng):
    rnn = RNN(1, 1, rng=rng)
    rnn.weight_ih.value[:] = 1.0
    rnn.weight_hh.value[:] = 0.5
    rnn.bias_ih.value[:] = rnn.bias_hh.value[:] = 0.0
    out = rnn(np.array([[[1.0], [0.0]]]))
    np.testing.assert_allclose(out.ravel(), [np.tanh(1.0), np.tanh(0.5 * np.tanh(1.0))])


def test_lstm_single_step_by_hand(rng):
    """T = 1, D = 1, H = 1: each gate's pre-activation chosen, then the formulas by hand."""
    lstm = LSTM(1, 1, rng=rng)
    lstm.weight_ih.value = np.array([[1.0], [-1.0], [2.0], [0.5]])  # i, f, g, o
    lstm.weight_hh.value = np.array([[0.5], [1.0], [-1.0], [0.0]])
    lstm.bias_ih.value = np.array([0.0, 1.0, 0.0, 0.25])
    lstm.bias_hh.value = np.array([0.1, 0.0, -0.5, 0.0])
    x, h0, c0 = 0.3, 0.4, -0.6
    i = sigmoid(1.0 * x + 0.5 * h0 + 0.1)  # sigma(0.6)
    f = sigmoid(-1.0 * x + 1.0 * h0 + 1.0)  # sigma(1.1)
    g = np.tanh(2.0 * x - 1.0 * h0 - 0.5)  # tanh(-0.3)
    o = sigmoid(0.5 * x + 0.25)  # sigma(0.4)
    c1 = f * c0 + i * g
    h1 = o * np.tanh(c1)
    out = lstm(np.array([[[x]]]), h0=np.array([[h0]]), c0=np.array([[c0]]))
    np.testing.assert_allclose(out.ravel(), [h1], rtol=1e-14)
    np.testing.assert_allclose(lstm.c_n.ravel(), [c1], rtol=1e-14)
    for name, value in zip("ifgo", (i, f, g, o), strict=True):
        np.testing.assert_allclose(lstm.gates[name].ravel(), [value], rtol=1e-14)


def test_lstm_gates_and_cell_states_satisfy_the_equations(rng):
    lstm = LSTM(3, 4, rng=rng)
    x = rng.normal(size=(5, 7, 3))
    c0 = rng.normal(size=(5, 4))
    out = lstm(x, c0=c0)
    i, f, g, o = (lstm.gates[k] for k in "ifgo")
    c = lstm.cell_states
    c_prev = np.concatenate([c0[:, None], c[:, :-1]], axis=1)
    np.testing.assert_allclose(c, f * c_prev + i * g, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(out, o * np.tanh(c), rtol=1e-13, atol=1e-15)
    for gate in (i, f, o):
        assert np.all((gate > 0) & (gate < 1))
    assert np.all(np.abs(g) < 1)
    np.testing.assert_array_equal(lstm.c_n, c[:, -1])
    np.testing.assert_array_equal(lstm.h_n, out[:, -1])


@pytest.mark.parametrize("kind", RECURRENT)
def test_zero_initial_state_equals_omitted(kind, rng):
    cls, _ = RECURRENT[kind]
    layer = cls(3, 4, rng=rng)
    x = rng.normal(size=(2, 5, 3))
    zeros = {name: np.zeros((2, 4)) for name in random_states(kind, 2, 4, rng)}
    np.testing.assert_array_equal(layer(x), layer(x, **zeros))


@pytest.mark.parametrize("kind", RECURRENT)
@given(split=st.integers(1, 7), seed=st.integers(0, 2**32 - 1))
def test_a_sequence_can_be_continued_from_its_final_state(kind, split, seed):
    """Running x[:, :k] and then x[:, k:] from (h_n, c_n) is running x in one go."""
    rng = np.random.default_rng(seed)
    cls, _ = RECURRENT[kind]
    layer = cls(2, 3, rng=rng)
    x = rng.normal(size=(4, 8, 2))
    whole = layer(x)
    first = layer(x[:, :split])
    states = {"h0": layer.h_n, "c0": layer.c_n} if kind == "LSTM" else {"h0": layer.h_n}
    second = layer(x[:, split:], **states)
    np.testing.assert_allclose(
        np.concatenate([first, second], axis=1), whole, rtol=1e-13, atol=1e-15
    )


@pytest.mark.parametrize("kind", RECURRENT)
def test_sequences_in_a_batch_are_independent(kind, rng):
    cls, _ = RECURRENT[kind]
    layer = cls(3, 4, rng=rng)
    x = rng.normal(size=(3, 6, 3))
    batch = layer(x)
    for n in range(3):
        np.testing.assert_allclose(layer(x[n : n + 1])[0], batch[n], rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("kind", RECURRENT)
def test_layers_equal_the_functions(kind, rng):
    cls, _ = RECURRENT[kind]
    layer = cls(3, 4, rng=rng)
    x, h0 = rng.normal(size=(2, 5, 3)), rng.normal(size=(2, 4))
    weights = [p.value for p in layer.parameters()]
    if kind == "RNN":
        np.testing.assert_array_equal(layer(x, h0=h0), recurrent.rnn_forward(x, *weights, h0))
    else:
        hs, cs, gates = recurrent.lstm_forward(x, *weights, h0)
        np.testing.assert_array_equal(layer(x, h0=h0), hs)
        np.testing.assert_array_equal(layer.cell_states, cs)
        np.testing.assert_array_equal(layer.gates["o"], gates[..., 12:])


@pytest.mark.parametrize("kind", RECURRENT)
def test_forward_and_backward_leave_the_inputs_alone(kind, rng):
    cls, _ = RECURRENT[kind]
    layer = cls(3, 4, rng=rng)
    x, h0 = rng.normal(size=(2, 5, 3)), rng.normal(size=(2, 4))
    dout = rng.normal(size=(2, 5, 4))
    copies = x.copy(), h0.copy(), dout.copy()
    layer(x, h0=h0)
    layer.backward(dout)
    for arr, copy in zip((x, h0, dout), copies, strict=True):
        np.testing.assert_array_equal(arr, copy)


@pytest.mark.parametrize("kind", RECURRENT)
def test_extreme_inputs_give_finite_values_and_no_warning(kind, rng):
    """|x| up to 1e4 saturates every gate; no overflow, NaN or inf (warnings are errors)."""
    cls, _ = RECURRENT[kind]
    layer = cls(3, 4, rng=rng)
    x = rng.choice([-1e4, 1e4], size=(2, 6, 3))
    out = layer(x)
    dx = layer.backward(np.ones_like(out))
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(dx))
    assert all(np.all(np.isfinite(p.grad)) for p in layer.parameters())


def test_float32_input_is_accepted(rng):
    lstm = LSTM(3, 2, rng=rng)
    x = rng.normal(size=(2, 4, 3))
    np.testing.assert_allclose(lstm(x.astype(np.float32)), lstm(x), rtol=1e-6, atol=1e-7)


# --------------------------------------------------------------------------------------------
# Gradients (BPTT against central differences: tests/gradcheck_cases.py)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", RECURRENT)
def test_gradient_flows_only_backwards_in_time(kind, rng):
    """An output at step t depends on x_1..x_t only: dx is zero after the last used step."""
    layer = RECURRENT[kind][0](2, 3, rng=rng)
    x = rng.normal(size=(2, 6, 2))
    layer(x)
    dout = np.zeros((2, 6, 3))
    dout[:, 2] = 1.0
    dx = layer.backward(dout)
    assert np.all(dx[:, 3:] == 0)
    assert np.all(np.abs(dx[:, :3]).sum(axis=(0, 2)) > 0)


def test_backward_overwrites_gradients(rng):
    lstm = LSTM(2, 3, rng=rng)
    x = rng.normal(size=(2, 4, 2))
    dout = rng.normal(size=(2, 4, 3))
    lstm(x)
    lstm.backward(dout)
    first = [p.grad.copy() for p in lstm.parameters()]
    lstm(x)
    lstm.backward(dout)
    for p, g in zip(lstm.parameters(), first, strict=True):
        np.testing.assert_array_equal(p.grad, g)


def test_both_bias_gradients_are_equal(rng):
    for cls, _ in RECURRENT.values():
        layer = cls(2, 3, rng=rng)
        layer(rng.normal(size=(2, 4, 2)))
        layer.backward(rng.normal(size=(2, 4, 3)))
        np.testing.assert_array_equal(layer.bias_ih.grad, layer.bias_hh.grad)
        assert layer.bias_ih.grad is not layer.bias_hh.grad


def test_rnn_gradient_vanishes_over_time_and_lstm_keeps_it_with_open_forget_gate():
    """dL/dh0 for a loss on the last output only, as T grows: small recurrent weights
    make an RNN's gradient shrink geometrically; an LSTM whose forget gate is pinned open
    (and whose input gate is shut) passes it through its cell state undiminished."""
    rng = np.random.default_rng(0)
    rnn = RNN(1, 4, rng=rng)
    rnn.weight_hh.value *= 0.5
    lstm = LSTM(1, 4, rng=rng)
    lstm.weight_ih.value[:] = lstm.weight_hh.value[:] = 0.0  # gates set by the biases alone
    lstm.bias_ih.value[:4], lstm.bias_ih.value[4:8] = -30.0, 30.0  # i = 0, f = 1
    norms = {"RNN": [], "LSTM": []}
    for t in (5, 20, 40):
        x = rng.normal(size=(1, t, 1))
        dout = np.zeros((1, t, 4))
        dout[0, -1] = 1.0
        rnn(x)
        rnn.backward(dout)
        norms["RNN"].append(np.linalg.norm(rnn.dh0))
        lstm(x, c0=np.ones((1, 4)))
        lstm.backward(dout)
        norms["LSTM"].append(np.linalg.norm(lstm.dc0))
    assert norms["RNN"][2] < 1e-6 * norms["RNN"][0]
    np.testing.assert_allclose(norms["LSTM"], norms["LSTM"][0], rtol=1e-10)


# --------------------------------------------------------------------------------------------
# Heads: LastStep, Linear on sequences, Sequential, clipping
# --------------------------------------------------------------------------------------------


def test_last_step_forward_and_backward(rng):
    last = LastStep()
    x = rng.normal(size=(3, 5, 4))
    np.testing.assert_array_equal(last(x), x[:, -1])
    dout = rng.normal(size=(3, 4))
    dx = last.backward(dout)
    assert dx.shape == x.shape
    np.testing.assert_array_equal(dx[:, -1], dout)
    assert np.all(dx[:, :-1] == 0)
    assert max(check_layer(last, x, rng=rng).values()) < 1e-9
    assert last.parameters() == []


@pytest.mark.parametrize("bad", [np.zeros((3, 4)), np.zeros((2, 0, 3)), np.zeros((1, 2, 3, 4))])
def test_last_step_rejects_non_sequences(bad):
    with pytest.raises(ValueError, match=re.escape(str(bad.shape))):
        LastStep()(bad)


def test_last_step_checks_dout(rng):
    last = LastStep()
    with pytest.raises(RuntimeError, match="before forward"):
        last.backward(np.zeros((2, 3)))
    last(np.zeros((2, 5, 3)))
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        last.backward(np.zeros((2, 5, 3)))


@pytest.mark.parametrize("kind", RECURRENT)
def test_many_to_one_network_parameters_and_shape(kind, rng):
    net = Sequential(RECURRENT[kind][0](3, 4, rng=rng), LastStep(), Linear(4, 2, rng=rng))
    assert [p.name for p in net.parameters()] == [
        "0.weight_ih",
        "0.weight_hh",
        "0.bias_ih",
        "0.bias_hh",
        "2.weight",
        "2.bias",
    ]
    assert net(rng.normal(size=(3, 5, 3))).shape == (3, 2)


@pytest.mark.parametrize("kind", RECURRENT)
def test_many_to_many_network_shape(kind, rng):
    """Linear acts on the last axis: one prediction per step, (N, T, H) -> (N, T, K)."""
    net = Sequential(
        RECURRENT[kind][0](2, 4, rng=rng), Tanh(), RECURRENT[kind][0](4, 3, rng=rng),
        Linear(3, 2, rng=rng),
    )  # fmt: skip
    assert net(rng.normal(size=(2, 6, 2))).shape == (2, 6, 2)


def test_clip_grad_norm_and_a_training_step(rng):
    """The training loop of the chapters: BPTT, clip the global norm, step; loss falls."""
    lstm, head = LSTM(1, 8, rng=rng), Linear(8, 1, rng=rng)
    net = Sequential(lstm, head)
    x = rng.normal(size=(16, 10, 1))
    y = np.cumsum(x, axis=1) * 0.1  # a running sum: needs memory
    opt = SGD(net.parameters(), lr=0.5)
    losses = []
    for _ in range(60):
        pred = net(x)
        losses.append(float(np.mean((pred - y) ** 2)))
        net.backward(2 * (pred - y) / pred.size)
        total = clip_grad_norm(net.parameters(), max_norm=1.0)
        assert total >= 0
        assert np.sqrt(sum(np.sum(p.grad**2) for p in net.parameters())) <= 1.0 + 1e-9
        opt.step()
    assert losses[-1] < 0.5 * losses[0]


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", RECURRENT)
@pytest.mark.parametrize("shape", [(2, 5, 4), (2, 5), (5, 3), (2, 5, 3, 1), (3,), (0, 5, 3)])
def test_bad_input_shape_names_the_shapes(kind, shape, rng):
    layer = RECURRENT[kind][0](3, 4, rng=rng)
    with pytest.raises(ValueError, match=re.escape(f"{kind}(3, 4)")) as info:
        layer(np.zeros(shape))
    assert str(shape) in str(info.value)
    assert "(N, T, 3)" in str(info.value)


@pytest.mark.parametrize("kind", RECURRENT)
@pytest.mark.parametrize("state_shape", [(3, 4), (2, 5), (4,), (1, 2, 4)])
def test_mismatched_initial_state_names_the_shapes(kind, state_shape, rng):
    layer = RECURRENT[kind][0](3, 4, rng=rng)
    x = np.zeros((2, 5, 3))
    with pytest.raises(ValueError, match="h0") as info:
        layer(x, h0=np.zeros(state_shape))
    assert str(state_shape) in str(info.value) and "(2, 4)" in str(info.value)
    if kind == "LSTM":
        with pytest.raises(ValueError, match="c0") as info:
            layer(x, c0=np.zeros(state_shape))
        assert str(state_shape) in str(info.value)


@pytest.mark.parametrize("kind", RECURRENT)
def test_non_numeric_input_raises_type_error(kind, rng):
    layer = RECURRENT[kind][0](1, 2, rng=rng)
    with pytest.raises(TypeError, match="x"):
        layer(np.array([[["a"]]]))
    with pytest.raises(TypeError, match="h0 must be a real numeric array"):
        layer(np.zeros((1, 1, 1)), h0=np.array([[True, False]]))


@pytest.mark.parametrize("kind", RECURRENT)
def test_a_state_passed_by_position_is_refused_with_a_hint(kind, rng):
    """forward(x, training=True, *, h0, c0): the protocol of every layer, states by name."""
    layer = RECURRENT[kind][0](1, 2, rng=rng)
    x, h0 = np.zeros((1, 3, 1)), np.ones((1, 2))
    with pytest.raises(TypeError, match=r"training must be True or False.*h0=") as info:
        layer(x, h0)
    assert f"{kind}(1, 2)" in str(info.value)
    with pytest.raises(TypeError, match="training"):
        layer.forward(x, h0)
    np.testing.assert_array_equal(layer(x, False, h0=h0), layer.forward(x, training=True, h0=h0))


@pytest.mark.parametrize("kind", RECURRENT)
def test_backward_checks(kind, rng):
    layer = RECURRENT[kind][0](3, 4, rng=rng)
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.zeros((2, 5, 4)))
    layer(np.zeros((2, 5, 3)))
    with pytest.raises(ValueError, match=r"\(2, 5, 4\)"):
        layer.backward(np.zeros((2, 4, 4)))


def test_functions_check_their_arguments(rng):
    x = rng.normal(size=(2, 3, 4))
    w_ih, w_hh, b = np.zeros((5, 4)), np.zeros((5, 5)), np.zeros(5)
    with pytest.raises(ValueError, match=r"rnn_forward .*\(N, T, 4\).*\(2, 4\)"):
        recurrent.rnn_forward(x[:, 0], w_ih, w_hh, b, b)
    with pytest.raises(ValueError, match=r"weight_hh must have shape \(4·H, H\)"):
        recurrent.lstm_forward(x, w_ih, w_hh, b, b)
    with pytest.raises(ValueError, match=r"weight_ih must have shape \(5, D\)"):
        recurrent.rnn_forward(x, np.zeros((4, 4)), w_hh, b, b)
    with pytest.raises(ValueError, match=r"bias_hh must have shape \(5,\)"):
        recurrent.rnn_forward(x, w_ih, w_hh, b, np.zeros(4))
    hs = recurrent.rnn_forward(x, w_ih, w_hh, b, b)
    with pytest.raises(ValueError, match="dout"):
        recurrent.rnn_backward(np.zeros((2, 3, 4)), x, hs, w_ih, w_hh)
    with pytest.raises(ValueError, match="hs"):
        recurrent.rnn_backward(hs, x, hs[:, :2], w_ih, w_hh)
    w4 = np.zeros((20, 5)), np.zeros((20, 5))
    w_ih4 = np.zeros((20, 4))
    hs, cs, gates = recurrent.lstm_forward(x, w_ih4, w4[1], np.zeros(20), np.zeros(20))
    with pytest.raises(ValueError, match="gates"):
        recurrent.lstm_backward(hs, x, hs, cs, gates[..., :5], w_ih4, w4[1])
    with pytest.raises(ValueError, match="c0"):
        recurrent.lstm_backward(hs, x, hs, cs, gates, w_ih4, w4[1], c0=np.zeros((2, 4)))


@pytest.mark.parametrize("kind", RECURRENT)
def test_functions_return_batch_first_and_take_any_array_back(kind, rng):
    """The forward functions return (N, T, ...) arrays whose [:, t] is step t (views of
    steps-first storage); the backward functions take those or any copy of them alike."""
    cls, _ = RECURRENT[kind]
    layer = cls(3, 4, rng=rng)
    x, dout = rng.normal(size=(2, 5, 3)), rng.normal(size=(2, 5, 4))
    w_ih, w_hh, b_ih, b_hh = (p.value for p in layer.parameters())
    if kind == "RNN":
        saved = [recurrent.rnn_forward(x, w_ih, w_hh, b_ih, b_hh)]
        backward = recurrent.rnn_backward
    else:
        saved = list(recurrent.lstm_forward(x, w_ih, w_hh, b_ih, b_hh))
        backward = recurrent.lstm_backward
    assert all(a.shape[:2] == (2, 5) for a in saved)
    after_step_0 = dict(zip(("h0", "c0"), (a[:, 0] for a in saved), strict=False))
    np.testing.assert_array_equal(saved[0][:, 1], layer(x[:, 1:2], **after_step_0)[:, 0])
    from_views = backward(dout, x, *saved, w_ih, w_hh)
    from_copies = backward(dout.tolist(), x, *(np.array(a, order="F") for a in saved), w_ih, w_hh)
    for a, b in zip(from_views, from_copies, strict=True):
        np.testing.assert_array_equal(a, b)


def test_functions_backward_equals_layers(rng):
    lstm = LSTM(3, 2, rng=rng)
    x, h0, c0 = rng.normal(size=(2, 4, 3)), *rng.normal(size=(2, 2, 2))
    dout = rng.normal(size=(2, 4, 2))
    weights = [p.value for p in lstm.parameters()]
    hs, cs, gates = recurrent.lstm_forward(x, *weights, h0, c0)
    grads = recurrent.lstm_backward(dout, x, hs, cs, gates, weights[0], weights[1], h0, c0)
    lstm(x, h0=h0, c0=c0)
    dx = lstm.backward(dout)
    ours = [dx, *(p.grad for p in lstm.parameters()), lstm.dh0, lstm.dc0]
    for a, b in zip(grads, ours, strict=True):
        np.testing.assert_array_equal(a, b)
