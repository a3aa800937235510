"""Chapter 2 in MindSpore: the linear layer nn.Dense
and a multilayer perceptron (SequentialCell).

Shown in docs/chapters/02-perceptron.md (section "在 MindSpore 中"); run and compared
with dlnotes.layers (Linear, Sequential, mlp) by tests/mindspore/test_mlp.py
(``nox -s mindspore``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

import mindspore as ms
import numpy as np
from mindspore import nn, ops

from dlnotes.layers import Parameter

ms.set_device("CPU")


def dense(in_features: int, out_features: int) -> nn.Dense:
    """The linear layer y = x W^T + b:
    nn.Dense, weight (out, in) as in layers.Linear."""
    # dtype defaults to ms.float32; dlnotes computes in float64, and so does this layer
    return nn.Dense(in_features, out_features, has_bias=True, dtype=ms.float64)


def mlp_cell(
    sizes: Sequence[int],
    activation: Callable[[], nn.Cell] = nn.ReLU,
    dtype: ms.Type = ms.float64,
) -> nn.SequentialCell:
    """layers.mlp(sizes, activation) in MindSpore:
    an activation between each two Dense layers."""
    cells: list[nn.Cell] = []
    for n_in, n_out in pairwise(sizes):
        if cells:
            cells.append(activation())
        cells.append(nn.Dense(n_in, n_out, dtype=dtype))
    # parameters named "0.weight", "0.bias", "2.weight", ...
    return nn.SequentialCell(cells)


def copy_parameters(cell: nn.Cell, params: Sequence[Parameter]) -> nn.Cell:
    """Give the cell dlnotes' parameter values,
    matched by name ("weight", "0.bias", ...)."""
    mine = cell.parameters_dict()
    for p in params:
        target = mine[p.name]
        if target.shape != p.value.shape:
            raise ValueError(
                f"{p.name}: dlnotes {p.value.shape}, MindSpore {target.shape}"
            )
        target.set_data(ms.Tensor(p.value, dtype=target.dtype))
    return cell


def forward_backward(
    cell: nn.Cell, x: np.ndarray, dout: np.ndarray
) -> tuple[ms.Tensor, ms.Tensor, dict[str, ms.Tensor]]:
    """The output y, and what backward(dout) gives in dlnotes:
    the gradients of sum(y * dout)."""
    params = cell.trainable_params()
    dtype = params[0].dtype
    x, dout = ms.Tensor(x, dtype), ms.Tensor(dout, dtype)

    def weighted_output(x: ms.Tensor) -> ms.Tensor:
        return ops.sum(cell(x) * dout)  # its gradient is the backward pass of dout

    dx, dparams = ms.grad(weighted_output, grad_position=0, weights=params)(x)
    return cell(x), dx, {p.name: g for p, g in zip(params, dparams, strict=True)}
