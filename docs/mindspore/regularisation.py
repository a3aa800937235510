"""Chapter 6 in MindSpore: dropout, weight decay,
and the L2 penalty written into the loss.

Shown in docs/chapters/06-regularisation.md (section "在 MindSpore 中"); run and
compared with dlnotes.layers.Dropout, dlnotes.optim.SGD and dlnotes.regularization by
tests/mindspore/test_regularisation_ms.py (``nox -s mindspore``).
"""

from __future__ import annotations

import mindspore as ms
import numpy as np
from mindspore import nn, ops

ms.set_device("CPU")


def dropout_train(
    x: np.ndarray, p: float, dout: np.ndarray
) -> tuple[ms.Tensor, ms.Tensor]:
    """Dropout in training mode: the output and the gradient dL/dx for dL/dy = dout."""
    # by keyword: the first positional parameter of nn.Dropout is keep_prob, not p
    drop = nn.Dropout(p=p)
    drop.set_train()  # a Cell starts in evaluation mode, where Dropout does nothing

    def weighted_sum(inputs: ms.Tensor) -> tuple[ms.Tensor, ms.Tensor]:
        y = drop(inputs)
        return (y * ms.Tensor(dout)).sum(), y  # d(sum)/dy = dout

    (_, y), dx = ms.value_and_grad(weighted_sum, has_aux=True)(ms.Tensor(x))
    return y, dx


def dropout_eval(x: np.ndarray, p: float) -> ms.Tensor:
    """Dropout in evaluation mode: the identity."""
    drop = nn.Dropout(p=p)
    drop.set_train(False)
    return drop(ms.Tensor(x))


def dense32(weight: np.ndarray, bias: np.ndarray) -> nn.Dense:
    """A linear layer holding a copy of dlnotes' weights, in float32."""
    # float32: the CPU kernel of nn.SGD refuses float64 parameters
    net = nn.Dense(weight.shape[1], weight.shape[0])  # dtype=ms.float32 by default
    # (out, in), as dlnotes.layers.Linear
    net.weight.set_data(ms.Tensor(weight, ms.float32))
    net.bias.set_data(ms.Tensor(bias, ms.float32))
    return net


def sgd_with_weight_decay(
    weight: np.ndarray,
    bias: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    lr: float,
    weight_decay: float,
    steps: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Steps of SGD on the mean squared error, decaying the weight but not the bias."""
    net, loss_fn = dense32(weight, bias), nn.MSELoss()
    # without groups, weight_decay applies to every parameter
    # whose name lacks "beta" and "gamma"
    groups = [
        {"params": [net.weight], "weight_decay": weight_decay},
        {"params": [net.bias], "weight_decay": 0.0},
    ]
    optimizer = nn.SGD(groups, learning_rate=lr)  # learning_rate defaults to 0.1

    def loss_of(inputs: ms.Tensor, targets: ms.Tensor) -> ms.Tensor:
        return loss_fn(net(inputs), targets)

    grad_fn = ms.value_and_grad(
        loss_of, grad_position=None, weights=optimizer.parameters
    )
    inputs, targets = ms.Tensor(x, ms.float32), ms.Tensor(y, ms.float32)
    for _ in range(steps):
        _, grads = grad_fn(inputs, targets)
        optimizer(grads)
    return net.weight.asnumpy(), net.bias.asnumpy()


def l2_penalised_loss(net: nn.Dense, lam: float):
    """The mean squared error plus (lam / 2) ||W||^2, the weight only."""

    def loss_of(inputs: ms.Tensor, targets: ms.Tensor) -> ms.Tensor:
        # written out: nn.MSELoss averages in float32, even on float64 input
        mse = ops.mean((net(inputs) - targets) ** 2)
        # a Python float beside a Tensor is taken as float32 (0.01 -> 0.0099999998):
        # a Tensor
        half_lam = ms.Tensor(lam / 2, net.weight.dtype)
        return mse + half_lam * ops.sum(net.weight**2)

    return loss_of


def dense64(weight: np.ndarray, bias: np.ndarray) -> nn.Dense:
    """A linear layer holding a copy of dlnotes' weights, in float64."""
    net = nn.Dense(weight.shape[1], weight.shape[0], dtype=ms.float64)
    net.weight.set_data(ms.Tensor(weight))
    net.bias.set_data(ms.Tensor(bias))
    return net


def l2_penalty_gradients(
    weight: np.ndarray, bias: np.ndarray, x: np.ndarray, y: np.ndarray, lam: float
) -> tuple[ms.Tensor, tuple[ms.Tensor, ...]]:
    """The penalised loss and its gradients (weight, bias), in float64."""
    net = dense64(weight, bias)
    grad_fn = ms.value_and_grad(
        l2_penalised_loss(net, lam), grad_position=None, weights=net.trainable_params()
    )
    return grad_fn(ms.Tensor(x), ms.Tensor(y))


def weight_decay_gradients(
    weight: np.ndarray,
    bias: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    weight_decay: float,
) -> tuple[ms.Tensor, ...]:
    """The gradients (weight, bias) that nn.SGD uses:
    the loss's, plus weight_decay * weight."""
    net = dense64(weight, bias)
    groups = [
        {"params": [net.weight], "weight_decay": weight_decay},
        {"params": [net.bias], "weight_decay": 0.0},
    ]
    # built only for its decay_weight step
    optimizer = nn.SGD(groups, learning_rate=0.1)
    grad_fn = ms.value_and_grad(
        l2_penalised_loss(net, 0.0), grad_position=None, weights=optimizer.parameters
    )
    _, grads = grad_fn(ms.Tensor(x), ms.Tensor(y))
    return optimizer.decay_weight(grads)  # what every optimizer step does first


def sgd_with_l2_penalty(
    weight: np.ndarray,
    bias: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    lr: float,
    lam: float,
    steps: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Steps of plain SGD (no weight_decay) on the penalised loss."""
    net = dense32(weight, bias)
    optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)
    grad_fn = ms.value_and_grad(
        l2_penalised_loss(net, lam), grad_position=None, weights=optimizer.parameters
    )
    inputs, targets = ms.Tensor(x, ms.float32), ms.Tensor(y, ms.float32)
    for _ in range(steps):
        _, grads = grad_fn(inputs, targets)
        optimizer(grads)
    return net.weight.asnumpy(), net.bias.asnumpy()
