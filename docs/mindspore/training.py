"""Chapter 3 in MindSpore: the losses with their gradients, and one step of SGD.

Shown in docs/chapters/03-training.md (section "在 MindSpore 中"); run and compared with
dlnotes.losses and dlnotes.optim.SGD by tests/mindspore/test_training.py
(``nox -s mindspore``). The network comes from mlp.py beside this file (chapter 2).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import mindspore as ms
import numpy as np
from mindspore import nn
from mlp import copy_parameters, mlp_cell

from dlnotes.layers import Parameter

ms.set_device("CPU")


def loss_and_grad(
    loss_fn: Callable[[ms.Tensor, ms.Tensor], ms.Tensor],
    pred: ms.Tensor,
    target: ms.Tensor,
) -> tuple[float, ms.Tensor]:
    """The loss and d loss / d pred:
    what forward and backward give in dlnotes.losses."""
    value, dpred = ms.value_and_grad(loss_fn, grad_position=0)(pred, target)
    return float(value), dpred


def regression_losses(
    pred: np.ndarray, target: np.ndarray, delta: float = 1.0
) -> dict[str, tuple[float, ms.Tensor]]:
    """MSE, L1 and Huber losses of float64 tensors,
    with reduction='mean' as in dlnotes."""
    # float64 in and out, but all three take their mean in float32: float32 precision
    pred, target = ms.Tensor(pred, ms.float64), ms.Tensor(target, ms.float64)
    losses = {
        "MSELoss": nn.MSELoss(),  # the mean over all elements
        "L1Loss": nn.L1Loss(),
        "HuberLoss": nn.HuberLoss(delta=delta),
    }
    return {name: loss_and_grad(fn, pred, target) for name, fn in losses.items()}


def binary_cross_entropy(
    logits: np.ndarray, target: np.ndarray
) -> tuple[float, ms.Tensor]:
    """BCEWithLogitsLoss: sigmoid and binary cross-entropy in one, from logits."""
    # float32: the CPU kernel of BCEWithLogitsLoss refuses float64
    logits, target = ms.Tensor(logits, ms.float32), ms.Tensor(target, ms.float32)
    # reduction='none' and our own mean: with reduction='mean' (the default),
    # MindSpore 2.10 (PyNative mode) keeps dividing the gradient by the size of the
    # first input of that rank
    per_element = nn.BCEWithLogitsLoss(reduction="none")
    return loss_and_grad(lambda z, t: per_element(z, t).mean(), logits, target)


def cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, ms.Tensor]:
    """CrossEntropyLoss: softmax and cross-entropy in one,
    from logits (N, K) and labels (N,)."""
    # float32 logits and int32 labels:
    # the CPU kernel refuses float64 logits and int64 labels
    logits, labels = ms.Tensor(logits, ms.float32), ms.Tensor(labels, ms.int32)
    return loss_and_grad(nn.CrossEntropyLoss(), logits, labels)


def sgd_step(
    net: nn.Cell, loss_fn: nn.Cell, x: ms.Tensor, y: ms.Tensor, lr: float
) -> tuple[float, dict[str, ms.Tensor]]:
    """One iteration on a mini-batch: forward, loss, backward, update;
    the loss and gradients."""
    # learning_rate defaults to 0.1 (dlnotes' SGD has no default): always pass it.
    # nn.SGD's kernel takes float16/float32 parameters only, so net must be float32.
    optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)

    def forward(x: ms.Tensor, y: ms.Tensor) -> ms.Tensor:
        return loss_fn(net(x), y)

    # gradients with respect to the parameters only (grad_position=None),
    # fresh at every call: nothing accumulates, so there is no zero_grad
    grad_fn = ms.value_and_grad(
        forward, grad_position=None, weights=optimizer.parameters
    )
    loss, grads = grad_fn(x, y)
    optimizer(grads)  # p <- p - lr * grad, in place
    return float(loss), {
        p.name: g for p, g in zip(optimizer.parameters, grads, strict=True)
    }


def classifier_step(
    sizes: Sequence[int],
    params: Sequence[Parameter],
    x: np.ndarray,
    y: np.ndarray,
    lr: float,
) -> tuple[nn.SequentialCell, float, dict[str, ms.Tensor]]:
    """The chapter's iteration:
    an MLP with ReLU, dlnotes' initial weights, cross-entropy, SGD."""
    # float32 network and inputs, int32 labels:
    # what nn.SGD and nn.CrossEntropyLoss accept
    net = copy_parameters(mlp_cell(sizes, nn.ReLU, dtype=ms.float32), params)
    x, y = ms.Tensor(x, ms.float32), ms.Tensor(y, ms.int32)
    loss, grads = sgd_step(net, nn.CrossEntropyLoss(), x, y, lr=lr)
    return net, loss, grads
