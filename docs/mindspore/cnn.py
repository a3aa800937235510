"""Chapter 9 in MindSpore: convolution, pooling, flattening,
and the digits CNN trained again.

Shown in docs/chapters/09-cnn.md (section "在 MindSpore 中"); run and compared with
dlnotes.layers by tests/mindspore/test_cnn_ms.py, and the training by
docs/mindspore/trainings.py (``nox -s mindspore``). copy_parameters comes from mlp.py
beside this file (chapter 2).

Precision: MindSpore's CPU Conv2D kernel refuses float64, so everything that goes
through a convolution is float32. The pooling layers and Flatten take float64 and return
float64; the pooling kernels compute in float32 all the same (the mean and the gradients
are float32 numbers).
"""

from __future__ import annotations

from collections.abc import Callable

import mindspore as ms
import numpy as np
from mindspore import nn, ops
from mlp import copy_parameters

from dlnotes import layers
from dlnotes.data import digits_split, minibatches
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import Momentum
from dlnotes.train import evaluate, fit

ms.set_device("CPU")

# The digits example of chapter 9 (section "在手写数字上训练卷积神经网络")
EPOCHS, BATCH_SIZE, LR, MOMENTUM = 10, 32, 0.05, 0.9


def conv2d(
    weight: np.ndarray,
    bias: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: int = 0,
) -> nn.Conv2d:
    """An nn.Conv2d holding the given kernels (C_out, C_in, kh, kw)
    and biases (C_out,)."""
    out_channels, in_channels, kh, kw = weight.shape
    cell = nn.Conv2d(
        in_channels,
        out_channels,
        (kh, kw),
        stride=stride,
        pad_mode="pad",  # default 'same': pads to keep H and W whatever `padding` says
        padding=padding,
        has_bias=True,  # default False: no bias
    )  # float32: the CPU Conv2D kernel rejects float64
    cell.weight.set_data(ms.Tensor(weight, ms.float32))
    cell.bias.set_data(ms.Tensor(bias, ms.float32))
    return cell


def max_pool2d(
    kernel_size: int | tuple[int, int], stride: int | tuple[int, int]
) -> nn.MaxPool2d:
    """Max pooling; the stride must be given:
    MindSpore's default is 1, not the window size."""
    # pad_mode='valid' (default): no padding
    return nn.MaxPool2d(kernel_size, stride=stride)


def avg_pool2d(
    kernel_size: int | tuple[int, int], stride: int | tuple[int, int]
) -> nn.AvgPool2d:
    """Average pooling, with the same explicit stride as max_pool2d."""
    return nn.AvgPool2d(kernel_size, stride=stride)


def forward_backward(
    cell: nn.Cell, x: np.ndarray, dout: np.ndarray, dtype: ms.Type = ms.float64
) -> tuple[ms.Tensor, ms.Tensor, tuple[ms.Tensor, ...]]:
    """y = cell(x), dx and the parameter gradients for an upstream gradient dout.

    The gradient of sum(cell(x) * dout) is what dlnotes' ``backward(dout)`` returns: dx,
    and the gradients of the cell's parameters in the order of
    ``cell.trainable_params()``. dtype: float64, or float32 for a cell that refuses
    float64 (nn.Conv2d on the CPU).
    """
    t, d = ms.Tensor(x, dtype), ms.Tensor(dout, dtype)
    params = cell.trainable_params()

    def weighted_sum(u: ms.Tensor) -> ms.Tensor:
        return (cell(u) * d).sum()

    if params:  # grad_position=0 with weights=: (dx, (d weight, d bias))
        dx, dparams = ms.grad(weighted_sum, grad_position=0, weights=params)(t)
    else:  # pooling and Flatten have no parameters
        dx, dparams = ms.grad(weighted_sum)(t), ()
    return cell(t), dx, tuple(dparams)


# --------------------------------------------------------------------------------------
# The digits CNN of chapter 9, in dlnotes and in MindSpore
# --------------------------------------------------------------------------------------


def make_cnn(rng: np.random.Generator) -> layers.Sequential:
    """The chapter's network in dlnotes:
    two 3 x 3 convolutions, max pooling, one linear layer."""
    return layers.Sequential(
        layers.Conv2d(1, 16, 3, padding=1, rng=rng),
        layers.ReLU(),
        layers.Conv2d(16, 32, 3, padding=1, rng=rng),
        layers.ReLU(),
        layers.MaxPool2d(2),
        layers.Flatten(),
        layers.Linear(32 * 4 * 4, 10, rng=rng),
    )


def ms_cnn(net: layers.Sequential) -> nn.SequentialCell:
    """The same network in MindSpore (float32),
    starting from the weights of the dlnotes one."""
    cell = nn.SequentialCell(
        nn.Conv2d(1, 16, 3, pad_mode="pad", padding=1, has_bias=True),
        nn.ReLU(),
        nn.Conv2d(16, 32, 3, pad_mode="pad", padding=1, has_bias=True),
        nn.ReLU(),
        nn.MaxPool2d(2, stride=2),  # default stride 1 would give 7 x 7 maps
        nn.Flatten(),
        nn.Dense(32 * 4 * 4, 10),  # weight (out, in) as in dlnotes
    )
    # the names match: "0.weight", "0.bias", "2.weight", ...
    # (ReLU, pooling and Flatten count)
    return copy_parameters(cell, net.parameters())


def train_step(cell: nn.Cell, lr: float = LR, momentum: float = MOMENTUM) -> Callable:
    """One update of mini-batch gradient descent with momentum:
    returns step(x, y) -> loss."""
    # mean over the batch, as dlnotes.losses.CrossEntropyLoss
    loss_fn = nn.CrossEntropyLoss()
    opt = nn.Momentum(cell.trainable_params(), learning_rate=lr, momentum=momentum)

    def loss_of(x: ms.Tensor, y: ms.Tensor) -> ms.Tensor:
        return loss_fn(cell(x), y)

    value_and_grad = ms.value_and_grad(
        loss_of, grad_position=None, weights=opt.parameters
    )

    @ms.jit  # compiled into one graph: two to three times faster than op by op
    def step(x: ms.Tensor, y: ms.Tensor) -> ms.Tensor:
        loss, grads = value_and_grad(x, y)
        opt(grads)  # v <- momentum v + g; w <- w - lr v, as dlnotes.optim.Momentum
        return loss

    return step


def digits_images() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The book's split of the digits, each image as (1, 8, 8):
    X_train, X_test, y_train, y_test."""
    X_train, X_test, y_train, y_test = digits_split()
    return X_train.reshape(-1, 1, 8, 8), X_test.reshape(-1, 1, 8, 8), y_train, y_test


def train_digits_cnn(seed: int = 0, epochs: int = EPOCHS) -> float:
    """Train the chapter's CNN in MindSpore; returns its test accuracy.

    Same start as dlnotes_digits_cnn(seed): the weights of a dlnotes network built with
    this seed, then the mini-batches that dlnotes.train.fit draws from the same
    generator.
    """
    X_train, X_test, y_train, y_test = digits_images()
    rng = np.random.default_rng(seed)
    cell = ms_cnn(make_cnn(rng))
    step = train_step(cell)
    for _ in range(epochs):
        for x, y in minibatches(X_train, y_train, BATCH_SIZE, rng=rng):
            step(ms.Tensor(x, ms.float32), ms.Tensor(y, ms.int32))
    scores = cell(ms.Tensor(X_test, ms.float32))
    return float((ops.argmax(scores, dim=1).asnumpy() == y_test).mean())


def dlnotes_digits_cnn(seed: int = 0, epochs: int = EPOCHS) -> float:
    """The chapter's training in dlnotes (one of its seeds);
    returns the test accuracy."""
    X_train, X_test, y_train, y_test = digits_images()
    rng = np.random.default_rng(seed)
    net, loss_fn = make_cnn(rng), CrossEntropyLoss()
    opt = Momentum(net.parameters(), lr=LR, momentum=MOMENTUM)
    fit(
        net,
        loss_fn,
        opt,
        X_train,
        y_train,
        epochs=epochs,
        batch_size=BATCH_SIZE,
        rng=rng,
    )
    return evaluate(net, loss_fn, X_test, y_test)[1]
