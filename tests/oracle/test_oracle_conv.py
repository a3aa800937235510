"""dlnotes.conv and the image layers against torch: Conv2d, MaxPool2d, AvgPool2d, a small CNN.

Each case draws a random shape, kernel, stride and padding, copies our parameters into the
torch module, runs both forward passes on the same input, back-propagates the same random
dout, and compares the output, dx and every parameter gradient (float64, rtol 1e-10).
"""

import numpy as np
import pytest
from twins import copy_parameters, run_both

from dlnotes import conv
from dlnotes.layers import AvgPool2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential
from dlnotes.losses import CrossEntropyLoss

SEEDS = range(48)


def int_or_pair(rng, low: int, high: int):
    """An int for half the draws, a pair (possibly unequal) for the others."""
    if rng.random() < 0.5:
        return int(rng.integers(low, high + 1))
    return tuple(int(v) for v in rng.integers(low, high + 1, size=2))


def pair(value) -> tuple[int, int]:
    return value if isinstance(value, tuple) else (value, value)


def random_conv_case(rng):
    """(layer arguments, input shape) with a kernel that fits the padded input."""
    while True:
        kernel, stride, padding = (
            int_or_pair(rng, 1, 5),
            int_or_pair(rng, 1, 3),
            int_or_pair(rng, 0, 2),
        )
        n, c_in, c_out = (int(v) for v in rng.integers(1, 5, size=3))
        hw = tuple(int(v) for v in rng.integers(1, 13, size=2))
        k, p = pair(kernel), pair(padding)
        if all(k[i] <= hw[i] + 2 * p[i] for i in range(2)):
            return (c_in, c_out, kernel, stride, padding), (n, c_in, *hw)


def torch_conv(torch, layer: Conv2d):
    module = torch.nn.Conv2d(
        layer.in_channels, layer.out_channels, layer.kernel_size, layer.stride, layer.padding
    )
    return copy_parameters(torch, layer, module)


@pytest.mark.covers("layers.Conv2d")
@pytest.mark.parametrize("seed", SEEDS)
def test_conv2d(torch, compare, seed):
    rng = np.random.default_rng(seed)
    args, shape = random_conv_case(rng)
    layer = Conv2d(*args, rng=rng)
    x = rng.normal(scale=rng.choice([0.1, 1.0, 10.0]), size=shape)
    run_both(torch, compare, "layers.Conv2d", layer, torch_conv(torch, layer), x, rng)


@pytest.mark.covers("conv.conv2d", "conv.conv2d_backward", "conv.conv2d_reference")
@pytest.mark.parametrize("seed", SEEDS)
def test_conv2d_functions(torch, compare, seed):
    """conv.conv2d, conv.conv2d_backward and the loop reference against F.conv2d."""
    rng = np.random.default_rng(1000 + seed)
    (c_in, c_out, kernel, stride, padding), shape = random_conv_case(rng)
    x = rng.normal(size=shape)
    w = rng.normal(size=(c_out, c_in, *pair(kernel)))
    b = rng.normal(size=c_out) if seed % 3 else None
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    bt = None if b is None else torch.tensor(b, requires_grad=True)
    y = torch.nn.functional.conv2d(xt, wt, bt, stride=stride, padding=padding)
    compare("conv.conv2d forward", conv.conv2d(x, w, b, stride, padding), y)
    compare("conv.conv2d_reference", conv.conv2d_reference(x, w, b, stride, padding), y)
    dout = rng.normal(size=tuple(y.shape))
    y.backward(torch.from_numpy(dout))
    dx, dw, db = conv.conv2d_backward(dout, x, w, stride, padding)
    compare("conv.conv2d_backward dx", dx, xt.grad)
    compare("conv.conv2d_backward dweight", dw, wt.grad)
    if bt is not None:
        compare("conv.conv2d_backward dbias", db, bt.grad)


@pytest.mark.covers("conv.conv_output_size")
def test_conv_output_size_matches_torch_shapes(torch):
    """Every (P, F, S, T) with P <= 12, F <= 6, S <= 4, T <= 3 where the kernel fits."""
    checked = 0
    for p in range(1, 13):
        for f in range(1, 7):
            for s in range(1, 5):
                for t in range(4):
                    if f > p + 2 * t:
                        with pytest.raises(ValueError):
                            conv.conv_output_size(p, f, s, t)
                        continue
                    x = torch.zeros(1, 1, p, p + 1)
                    w = torch.zeros(1, 1, f, f)
                    shape = torch.nn.functional.conv2d(x, w, stride=s, padding=t).shape
                    assert conv.conv_output_size(p, f, s, t) == shape[2], (p, f, s, t)
                    assert conv.conv_output_size(p + 1, f, s, t) == shape[3], (p + 1, f, s, t)
                    if 2 * t <= f:  # torch's pooling pads at most half the kernel
                        padded = torch.nn.functional.avg_pool2d(
                            torch.zeros(1, 1, p, p), f, s, padding=t
                        )
                        assert conv.conv_output_size(p, f, s, t) == padded.shape[2]
                    if f <= p:
                        pooled = torch.nn.functional.max_pool2d(torch.zeros(1, 1, p, p), f, s)
                        assert conv.conv_output_size(p, f, s) == pooled.shape[2]
                    checked += 1
    assert checked > 900


def random_pool_case(rng):
    kernel = int_or_pair(rng, 1, 4)
    stride = None if rng.random() < 0.3 else int_or_pair(rng, 1, 3)
    k = pair(kernel)
    n, c = (int(v) for v in rng.integers(1, 4, size=2))
    hw = tuple(int(k[i] + rng.integers(0, 9)) for i in range(2))
    return kernel, stride, (n, c, *hw)


@pytest.mark.covers("layers.MaxPool2d", "conv.max_pool2d")
@pytest.mark.parametrize("seed", SEEDS)
def test_max_pool2d(torch, compare, seed):
    """Even seeds: distinct values. Odd seeds: small integers, so windows have tied maxima;
    both must route the gradient to the same (first) entry, as the indices show."""
    rng = np.random.default_rng(seed)
    kernel, stride, shape = random_pool_case(rng)
    if seed % 2:
        x = rng.integers(-2, 3, size=shape).astype(np.float64)
    else:
        x = rng.normal(size=shape)
    module = torch.nn.MaxPool2d(kernel, stride)
    run_both(torch, compare, "layers.MaxPool2d", MaxPool2d(kernel, stride), module, x, rng)
    _, idx = conv.max_pool2d(x, kernel, stride, return_indices=True)
    _, torch_idx = torch.nn.functional.max_pool2d(
        torch.from_numpy(x), kernel, stride, return_indices=True
    )
    np.testing.assert_array_equal(idx, torch_idx.numpy())


@pytest.mark.covers("layers.AvgPool2d")
@pytest.mark.parametrize("seed", SEEDS)
def test_avg_pool2d(torch, compare, seed):
    rng = np.random.default_rng(seed)
    kernel, stride, shape = random_pool_case(rng)
    x = rng.normal(scale=rng.choice([0.1, 1.0, 10.0]), size=shape)
    module = torch.nn.AvgPool2d(kernel, stride)
    run_both(torch, compare, "layers.AvgPool2d", AvgPool2d(kernel, stride), module, x, rng)


@pytest.mark.covers(
    "layers.Conv2d",
    "layers.Flatten",
    "layers.Linear",
    "layers.MaxPool2d",
    "layers.ReLU",
    "layers.Sequential",
    "losses.CrossEntropyLoss",
)
@pytest.mark.parametrize("seed", range(12))
def test_cnn_end_to_end(torch, compare, seed):
    """The digits CNN: conv 3x3x8 (padding 1) - ReLU - maxpool 2 - flatten - linear 10, then
    the cross-entropy loss; loss, logits, dx and every parameter gradient."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 33))
    c_out = int(rng.choice([4, 8, 16]))
    net = Sequential(
        Conv2d(1, c_out, 3, padding=1, rng=rng),
        ReLU(),
        MaxPool2d(2),
        Flatten(),
        Linear(c_out * 4 * 4, 10, rng=rng),
    )
    nn = torch.nn
    module = nn.Sequential(
        torch_conv(torch, net[0]),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(c_out * 16, 10),
    )
    with torch.no_grad():
        module[4].weight.copy_(torch.from_numpy(net[4].weight.value))
        module[4].bias.copy_(torch.from_numpy(net[4].bias.value))
    x = rng.uniform(0, 16, size=(n, 1, 8, 8))  # digits pixels are 0..16
    target = rng.integers(0, 10, size=n)
    xt = torch.tensor(x, requires_grad=True)
    logits = module(xt)
    loss_t = nn.functional.cross_entropy(logits, torch.from_numpy(target))
    loss_t.backward()
    loss = CrossEntropyLoss()
    compare("CNN logits", net(x), logits)
    compare("CNN loss", loss.forward(net(x), target), loss_t)
    compare("CNN dx", net.backward(loss.backward()), xt.grad)
    theirs = dict(module.named_parameters())
    assert [p.name for p in net.parameters()] == list(theirs)
    for p in net.parameters():
        compare(f"CNN d{p.name}", p.grad, theirs[p.name].grad)


@pytest.mark.covers("conv.max_pool2d")
@pytest.mark.parametrize("seed", range(16))
def test_max_pool2d_ties_and_nan_pick_the_same_entry(torch, seed):
    """Small integers (many tied maxima) and NaNs: the same winners as torch, and NaN
    propagates to the windows that contain one."""
    rng = np.random.default_rng(seed)
    kernel, stride, shape = random_pool_case(rng)
    x = rng.integers(-2, 3, size=shape).astype(np.float64)
    x[rng.random(shape) < 0.15] = np.nan
    y, idx = conv.max_pool2d(x, kernel, stride, return_indices=True)
    y_t, idx_t = torch.nn.functional.max_pool2d(
        torch.from_numpy(x), kernel, stride, return_indices=True
    )
    np.testing.assert_array_equal(idx, idx_t.numpy())
    np.testing.assert_array_equal(y, y_t.numpy())  # NaN == NaN here
