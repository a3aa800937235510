"""Conv2d forward + backward: dlnotes against PyTorch, float64, one thread.

Run by ``nox -s bench`` (or directly, with torch==2.13.0 installed). Prints one table: for
several realistic shapes, the median time of a forward and a backward pass (dx, dW, db) of
``dlnotes.layers.Conv2d`` and of ``torch.nn.functional.conv2d``, their ratio, and the
GFLOP/s each reaches, next to NumPy's own single-thread matrix-multiply rate measured in the
same run. Nothing is asserted: times depend on the machine. The target (issue 13) is a ratio
of at most 1.5 at every shape.

Not collected by pytest (tests/conftest.py ignores this directory).
"""

from __future__ import annotations

from timing import median_times, one_thread  # first: sets one thread before NumPy

# isort: split

import platform

import numpy as np
import torch

from dlnotes.layers import Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential

# name, batch N, C_in, H(=W), C_out, kernel, stride, padding; the last rows of the table time
# the whole digits CNN (conv, ReLU, max-pool, flatten, linear), forward and backward
SHAPES = [
    ("digits CNN, batch 64", 64, 1, 8, 8, 3, 1, 1),
    ("digits CNN, batch 128", 128, 1, 8, 8, 3, 1, 1),
    ("MNIST-like 1x28x28, 1->16 5x5", 64, 1, 28, 16, 5, 1, 2),
    ("CIFAR-like 3x32x32, 3->16", 32, 3, 32, 16, 3, 1, 1),
    ("CIFAR-like 16x16x16, 16->32", 32, 16, 16, 32, 3, 1, 1),
    ("CIFAR-like 16x32x32, 16->32 s2", 32, 16, 32, 32, 3, 2, 1),
]


def matmul_gflops(n: int = 512) -> float:
    a, b = np.random.default_rng(0).normal(size=(2, n, n))
    return 2 * n**3 / median_times(lambda: a @ b)[0] / 1e9


def bench_shape(n, c_in, size, c_out, k, stride, padding) -> tuple[float, float, float]:
    """(dlnotes seconds, torch seconds, FLOPs of forward + backward)."""
    rng = np.random.default_rng(0)
    layer = Conv2d(c_in, c_out, k, stride, padding, rng=rng)
    x = rng.normal(size=(n, c_in, size, size))
    dout = rng.normal(size=layer(x).shape)

    def ours() -> None:
        layer.forward(x)
        layer.backward(dout)

    xt = torch.tensor(x, requires_grad=True)
    wt = torch.tensor(layer.weight.value, requires_grad=True)
    bt = torch.tensor(layer.bias.value, requires_grad=True)
    dt = torch.tensor(dout)

    def theirs() -> None:
        xt.grad = wt.grad = bt.grad = None
        y = torch.nn.functional.conv2d(xt, wt, bt, stride=stride, padding=padding)
        y.backward(dt)

    oh, ow = dout.shape[2:]
    forward_flops = 2 * n * oh * ow * c_out * c_in * k * k  # one multiply-add per weight use
    return (*median_times(ours, theirs), 3 * forward_flops)  # forward, dW and dx


def bench_digits_net(n: int) -> tuple[float, float, float]:
    """The whole digits CNN (conv 3x3x8 padding 1 - ReLU - maxpool 2 - flatten - linear 10),
    forward and backward: what one training step of the chapter's example costs."""
    rng = np.random.default_rng(0)
    net = Sequential(
        Conv2d(1, 8, 3, padding=1, rng=rng),
        ReLU(),
        MaxPool2d(2),
        Flatten(),
        Linear(8 * 4 * 4, 10, rng=rng),
    )
    nn = torch.nn
    module = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(8 * 4 * 4, 10),
    ).double()
    x = rng.uniform(0, 16, size=(n, 1, 8, 8))
    dout = rng.normal(size=(n, 10))
    xt, dt = torch.tensor(x), torch.tensor(dout)

    def ours() -> None:
        net.forward(x)
        net.backward(dout)

    def theirs() -> None:
        module.zero_grad(set_to_none=True)
        module(xt).backward(dt)

    flops = 3 * (2 * n * 8 * 8 * 8 * 9 + 2 * n * 128 * 10)  # conv and linear, forward + backward
    return (*median_times(ours, theirs), flops)


def main() -> None:
    with one_thread():
        peak = matmul_gflops()
        rows = [(name, *bench_shape(*shape)) for name, *shape in SHAPES]
        rows += [(f"digits CNN whole net, batch {n}", *bench_digits_net(n)) for n in (64, 128)]
        peak = max(peak, matmul_gflops())  # before and after: the better of two, on a busy machine
    print(
        f"Conv2d forward + backward, float64, one thread; NumPy {np.__version__}, "
        f"torch {torch.__version__}, {platform.processor() or platform.machine()}"
    )
    print(f"NumPy matrix multiply (512x512 @ 512x512, one thread): {peak:.2f} GFLOP/s (median)")
    header = (
        f"{'shape':<32} {'dlnotes ms':>10} {'torch ms':>9} {'ratio':>6} "
        f"{'dlnotes GFLOP/s':>15} {'torch GFLOP/s':>13} {'% of matmul':>11}"
    )
    print(header)
    print("-" * len(header))
    for name, ours, theirs, flops in rows:
        print(
            f"{name:<32} {ours * 1e3:>10.3f} {theirs * 1e3:>9.3f} {ours / theirs:>6.2f} "
            f"{flops / ours / 1e9:>15.2f} {flops / theirs / 1e9:>13.2f} "
            f"{100 * flops / ours / 1e9 / peak:>10.0f}%"
        )
    print(
        "ratio = dlnotes / torch (median times); target: <= 1.5 at every shape; "
        "GFLOP/s count the multiply-adds of forward, dW and dx"
    )


if __name__ == "__main__":
    main()
