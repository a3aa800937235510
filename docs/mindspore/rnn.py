"""Chapter 10 in MindSpore: the tanh RNN as nn.RNN, beside dlnotes.layers.RNN.

Shown in docs/chapters/10-rnn.md (section "在 MindSpore 中"); run and compared with
dlnotes.layers.RNN by tests/mindspore/test_rnn_ms.py (``nox -s mindspore``).

Precision: float64. nn.RNN steps through time with ordinary MindSpore ops (a matrix
product and tanh per step), and on the CPU these accept float64. An initial state ``hx``
is the exception: nn.RNN takes it in float32 or float16 only.
"""

from __future__ import annotations

import mindspore as ms
import numpy as np
from mindspore import nn

from dlnotes import layers

ms.set_device("CPU")


def ms_rnn(rnn: layers.RNN) -> nn.RNN:
    """An nn.RNN holding the weights of a dlnotes RNN:
    float64, batch-first (N, T, D)."""
    hidden_size, input_size = rnn.weight_ih.value.shape
    cell = nn.RNN(
        input_size,
        hidden_size,
        batch_first=True,  # default False: x is read as (T, N, D), time first
        dtype=ms.float64,  # default float32
    )  # defaults kept: nonlinearity='tanh', has_bias=True (b_ih and b_hh), num_layers=1
    params = dict(cell.parameters_and_names())  # weight_ih_l0, ...: "_l0" for layer 0
    # weight_ih (H, D), weight_hh (H, H), bias_ih and bias_hh (H,) on both sides
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        params[f"{name}_l0"].set_data(ms.Tensor(getattr(rnn, name).value))
    return cell


def parameter_shapes(input_size: int, hidden_size: int) -> dict[str, tuple[int, ...]]:
    """The names and shapes of an nn.RNN's parameters."""
    cell = nn.RNN(input_size, hidden_size, batch_first=True)
    return {p.name: p.shape for p in cell.trainable_params()}


def forward(cell: nn.RNN, x: np.ndarray) -> tuple[ms.Tensor, ms.Tensor]:
    """All hidden states (N, T, H), as dlnotes' RNN returns,
    and the final one h_n (1, N, H)."""
    output, h_n = cell(ms.Tensor(x))  # h_n: (num_layers, N, H); output[:, -1] is h_n[0]
    return output, h_n


def gradients(
    cell: nn.RNN, x: np.ndarray, dout: np.ndarray
) -> tuple[ms.Tensor, tuple[ms.Tensor, ...]]:
    """dx and the parameter gradients, for dL/d(hidden states) = dout (N, T, H).

    The gradient of sum(output * dout) is what dlnotes' ``backward(dout)`` computes by
    BPTT: dx (N, T, D), then d weight_ih, d weight_hh, d bias_ih, d bias_hh (the last
    two equal).
    """
    d = ms.Tensor(dout)

    def weighted_sum(u: ms.Tensor) -> ms.Tensor:
        output, _ = cell(u)
        return (output * d).sum()

    return ms.grad(weighted_sum, grad_position=0, weights=cell.trainable_params())(
        ms.Tensor(x)
    )
