"""Chapter 11 in MindSpore: the LSTM as nn.LSTM beside dlnotes.layers.LSTM, and the
chapter's LSTM example (remember the symbol at step 0) trained again in MindSpore.

Shown in docs/chapters/11-lstm.md (section "在 MindSpore 中"); run and compared with
dlnotes.layers.LSTM by tests/mindspore/test_lstm_ms.py, and the training by
docs/mindspore/trainings.py (``nox -s mindspore``).

Precision: the comparisons are float64, with ``seq_length`` given (see `forward`). The
training is float32, MindSpore's default: nn.Adam's CPU kernel refuses float64
parameters.
"""

from __future__ import annotations

import mindspore as ms
import numpy as np
from mindspore import nn, ops

from dlnotes import layers
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import Adam, clip_grad_norm
from dlnotes.train import accuracy

ms.set_device("CPU")


def ms_lstm(lstm: layers.LSTM, dtype: ms.Type = ms.float64) -> nn.LSTM:
    """An nn.LSTM holding the weights of a dlnotes LSTM, batch-first (N, T, D)."""
    four_h, input_size = lstm.weight_ih.value.shape
    cell = nn.LSTM(
        input_size,
        four_h // 4,
        batch_first=True,  # default False: x is read as (T, N, D), time first
        dtype=dtype,  # default float32
    )  # has_bias=True (b_ih and b_hh) and num_layers=1 by default
    params = dict(cell.parameters_and_names())  # weight_ih_l0, ...: "_l0" for layer 0
    # the gates' rows in the same order i, f, g, o on both sides
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        params[f"{name}_l0"].set_data(ms.Tensor(getattr(lstm, name).value, dtype))
    return cell


def parameter_shapes(input_size: int, hidden_size: int) -> dict[str, tuple[int, ...]]:
    """The names and shapes of an nn.LSTM's parameters."""
    cell = nn.LSTM(input_size, hidden_size, batch_first=True)
    return {p.name: p.shape for p in cell.trainable_params()}


def full_lengths(x: np.ndarray) -> ms.Tensor:
    """seq_length for a batch (N, T, D) whose N sequences all have T steps."""
    n, steps, _ = x.shape
    return ms.Tensor(np.full(n, steps), ms.int32)


def forward(
    cell: nn.LSTM, x: np.ndarray
) -> tuple[ms.Tensor, tuple[ms.Tensor, ms.Tensor]]:
    """All hidden states (N, T, H), and the final states h_n and c_n (1, N, H),
    in float64.

    seq_length changes no number here, only how they are computed: with it MindSpore
    steps through time with ordinary ops, exact in float64; without it the CPU runs one
    fused LSTM kernel, which computes in float32 and whose float64 gradients are wrong
    (zeros or NaN).
    """
    return cell(ms.Tensor(x), seq_length=full_lengths(x))


def gradients(
    cell: nn.LSTM, x: np.ndarray, dout: np.ndarray
) -> tuple[ms.Tensor, tuple[ms.Tensor, ...]]:
    """dx and the parameter gradients, for dL/d(hidden states) = dout (N, T, H).

    The gradient of sum(output * dout) is what dlnotes' ``backward(dout)`` computes by
    BPTT: dx (N, T, D), then d weight_ih, d weight_hh, d bias_ih, d bias_hh (the last
    two equal).
    """
    d, lengths = ms.Tensor(dout), full_lengths(x)

    def weighted_sum(u: ms.Tensor) -> ms.Tensor:
        output, _ = cell(u, seq_length=lengths)  # the float64 path, as in forward
        return (output * d).sum()

    return ms.grad(weighted_sum, grad_position=0, weights=cell.trainable_params())(
        ms.Tensor(x)
    )


# --------------------------------------------------------------------------------------
# The LSTM example of chapter 11, in dlnotes and in MindSpore: the experiment
# "记住第一个符号" (gallery/lstm/plot_long_range.py) at the gap T = 20, where the
# chapter's LSTM answers every test sequence and its RNN half of them
# --------------------------------------------------------------------------------------

# K symbols, H hidden units, T steps (the symbol, then noise), batch, updates,
# Adam's rate, the gradient's largest norm
K, H, T, BATCH, STEPS, LR, MAX_NORM = 4, 16, 20, 32, 600, 0.01, 1.0
TEST_SEED = 100 + T  # the gallery's test set: 500 new sequences


def make_batch(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Symbol at t = 0 (one-hot), then T - 1 steps of noise; label = the symbol."""
    y = rng.integers(0, K, size=n)
    x = 0.5 * rng.normal(size=(n, T, K))
    x[:, 0] = np.eye(K)[y]
    return x, y


def make_lstm_net(rng: np.random.Generator) -> layers.Sequential:
    """The chapter's network in dlnotes: LSTM, its last hidden state, a linear layer."""
    lstm = layers.LSTM(K, H, rng=rng)
    lstm.bias_ih.value[H : 2 * H] = 3.0  # forget gate: start with f = sigmoid(3) = 0.95
    lstm.bias_hh.value[H : 2 * H] = 0.0
    return layers.Sequential(lstm, layers.LastStep(), layers.Linear(H, K, rng=rng))


class LastStepClassifier(nn.Cell):
    """The same network in MindSpore (float32),
    starting from the weights of the dlnotes one."""

    def __init__(self, net: layers.Sequential) -> None:
        super().__init__()
        lstm, _, linear = net
        # float32: nn.Adam refuses float64 parameters
        self.lstm = ms_lstm(lstm, ms.float32)
        self.dense = nn.Dense(H, K)  # weight (out, in) as in dlnotes
        self.dense.weight.set_data(ms.Tensor(linear.weight.value, ms.float32))
        self.dense.bias.set_data(ms.Tensor(linear.bias.value, ms.float32))

    def construct(self, x: ms.Tensor) -> ms.Tensor:
        output, _ = self.lstm(x)  # (N, T, H); float32 runs the fused CPU kernel
        return self.dense(output[:, -1])  # many-to-one: classify from h_T


def clip_grad_norm_ms(
    grads: tuple[ms.Tensor, ...], max_norm: float
) -> tuple[ms.Tensor, ...]:
    """dlnotes.optim.clip_grad_norm on MindSpore's gradients:
    one global L2 norm, capped."""
    norm = ops.sqrt(sum((g * g).sum() for g in grads))
    # 1e-6 as in dlnotes and PyTorch
    scale = ops.clamp(max_norm / (norm + 1e-6), max=1.0)
    return tuple(g * scale for g in grads)


def train_lstm_example(seed: int = 0, steps: int = STEPS) -> float:
    """Train the chapter's LSTM in MindSpore; returns its test accuracy.

    Same start as dlnotes_lstm_example(seed): the weights of a dlnotes network built
    with this seed, then the batches drawn from the same generator, and the same test
    set.
    """
    rng = np.random.default_rng(seed)
    cell = LastStepClassifier(make_lstm_net(rng))
    loss_fn = nn.CrossEntropyLoss()  # mean over the batch; labels int32
    # betas 0.9, 0.999; eps 1e-8
    opt = nn.Adam(cell.trainable_params(), learning_rate=LR)

    def loss_of(x: ms.Tensor, y: ms.Tensor) -> ms.Tensor:
        return loss_fn(cell(x), y)

    value_and_grad = ms.value_and_grad(
        loss_of, grad_position=None, weights=opt.parameters
    )

    @ms.jit  # compiled into one graph: a few times faster than running op by op
    def step(x: ms.Tensor, y: ms.Tensor) -> ms.Tensor:
        loss, grads = value_and_grad(x, y)
        opt(clip_grad_norm_ms(grads, MAX_NORM))
        return loss

    for _ in range(steps):
        x, y = make_batch(BATCH, rng)
        step(ms.Tensor(x, ms.float32), ms.Tensor(y, ms.int32))
    x, y = make_batch(500, np.random.default_rng(TEST_SEED))
    scores = cell(ms.Tensor(x, ms.float32))
    return float((scores.argmax(axis=1).asnumpy() == y).mean())


def dlnotes_lstm_example(seed: int = 0, steps: int = STEPS) -> float:
    """The chapter's training in dlnotes (gallery/lstm/plot_long_range.py);
    its test accuracy."""
    rng = np.random.default_rng(seed)
    net = make_lstm_net(rng)
    loss_fn, opt = CrossEntropyLoss(), Adam(net.parameters(), lr=LR)
    for _ in range(steps):
        x, y = make_batch(BATCH, rng)
        loss_fn.forward(net.forward(x), y)
        net.backward(loss_fn.backward())
        clip_grad_norm(net.parameters(), MAX_NORM)
        opt.step()
    x, y = make_batch(500, np.random.default_rng(TEST_SEED))
    return accuracy(net.forward(x, training=False), y)
