"""Chapter 5 in MindSpore: gradient clipping by the global norm
and the He/Xavier initialisers.

Shown in docs/chapters/05-vanishing-exploding.md (section "在 MindSpore 中"); run and
compared with dlnotes.optim.clip_grad_norm and dlnotes.init by
tests/mindspore/test_gradients_ms.py (``nox -s mindspore``).
"""

from __future__ import annotations

import mindspore as ms
import numpy as np
from mindspore import nn, ops
from mindspore.common.initializer import HeNormal, HeUniform, XavierUniform

ms.set_device("CPU")


def clip_gradients(grads: list[np.ndarray], max_norm: float) -> tuple[ms.Tensor, ...]:
    """Rescale the gradients together
    so that their global L2 norm is at most max_norm."""
    tensors = tuple(ms.Tensor(g) for g in grads)
    # clip_norm defaults to 1.0; the clipped gradients are returned,
    # the inputs are left as they are
    return ops.clip_by_global_norm(tensors, clip_norm=max_norm)


def dense(weight: np.ndarray, bias: np.ndarray) -> nn.Dense:
    """A linear layer holding a copy of dlnotes' weights, in float64."""
    out_features, in_features = weight.shape
    # nn.Dense computes in float32 unless told otherwise; float64 here, like dlnotes
    net = nn.Dense(in_features, out_features, dtype=ms.float64)
    net.weight.set_data(ms.Tensor(weight))  # (out, in), as dlnotes.layers.Linear
    net.bias.set_data(ms.Tensor(bias))
    return net


def mse(pred: ms.Tensor, target: ms.Tensor) -> ms.Tensor:
    """Mean squared error over all elements, as dlnotes.losses.MSELoss."""
    # written out: nn.MSELoss casts to float32 before averaging, even on float64 input
    return ((pred - target) ** 2).mean()


def clipped_gradients(
    weight: np.ndarray, bias: np.ndarray, x: np.ndarray, y: np.ndarray, max_norm: float
) -> tuple[ms.Tensor, tuple[ms.Tensor, ...]]:
    """The loss and the clipped gradients (weight, bias):
    after backward, before the update."""
    net = dense(weight, bias)

    def loss_of(inputs: ms.Tensor, targets: ms.Tensor) -> ms.Tensor:
        return mse(net(inputs), targets)

    grad_fn = ms.value_and_grad(
        loss_of, grad_position=None, weights=net.trainable_params()
    )
    loss, grads = grad_fn(ms.Tensor(x), ms.Tensor(y))
    return loss, ops.clip_by_global_norm(grads, clip_norm=max_norm)


def train_with_clipping(
    weight: np.ndarray,
    bias: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    max_norm: float,
    lr: float,
    steps: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Steps of SGD with the gradients clipped before each update;
    the final weight and bias."""
    # float32: the CPU kernel of nn.SGD refuses float64 parameters
    net = nn.Dense(weight.shape[1], weight.shape[0])  # dtype=ms.float32 by default
    net.weight.set_data(ms.Tensor(weight, ms.float32))
    net.bias.set_data(ms.Tensor(bias, ms.float32))
    loss_fn = nn.MSELoss()
    # learning_rate defaults to 0.1
    optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)

    def loss_of(inputs: ms.Tensor, targets: ms.Tensor) -> ms.Tensor:
        return loss_fn(net(inputs), targets)

    grad_fn = ms.value_and_grad(
        loss_of, grad_position=None, weights=optimizer.parameters
    )
    inputs, targets = ms.Tensor(x, ms.float32), ms.Tensor(y, ms.float32)
    for _ in range(steps):
        _, grads = grad_fn(inputs, targets)
        # use what it returns
        grads = ops.clip_by_global_norm(grads, clip_norm=max_norm)
        optimizer(grads)
    return net.weight.asnumpy(), net.bias.asnumpy()


def initial_weights(in_features: int, out_features: int) -> dict[str, np.ndarray]:
    """The starting weight of nn.Dense under each initialiser
    (the defaults of each shown)."""
    initialisers = {
        "default": None,  # weight_init=None: U(-1/sqrt(n_in), 1/sqrt(n_in)), as PyTorch
        # negative_slope=0, mode='fan_in', nonlinearity='leaky_relu'
        "he_normal": HeNormal(),
        "he_uniform": HeUniform(),  # the same defaults
        "xavier_uniform": XavierUniform(),  # gain=1
    }
    weights = {}
    for name, weight_init in initialisers.items():
        net = nn.Dense(
            in_features, out_features, weight_init=weight_init, dtype=ms.float64
        )
        weights[name] = net.weight.asnumpy()
    return weights


def default_bias(in_features: int, out_features: int) -> np.ndarray:
    """The starting bias of nn.Dense (bias_init=None)."""
    return nn.Dense(in_features, out_features, dtype=ms.float64).bias.asnumpy()
