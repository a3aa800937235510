"""Chapter 9's snippets (docs/mindspore/cnn.py) against dlnotes.layers and the training."""

from __future__ import annotations

import numpy as np
import pytest

from dlnotes import layers
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import Momentum
from dlnotes.train import fit


@pytest.fixture(scope="module")
def snippets():
    import cnn

    return cnn


def as_float32(a: np.ndarray) -> np.ndarray:
    """The numbers MindSpore receives in float32, back in float64: dlnotes computes on the same."""
    return np.asarray(a, np.float32).astype(np.float64)


# (N, C_in, C_out, H, W, kernel_size, stride, padding)
CONV_CASES = [
    (2, 1, 8, 8, 8, 3, 1, 1),  # the chapter's "same" convolution
    (3, 3, 4, 9, 7, 3, 2, 0),  # stride 2, sizes that do not divide
    (2, 2, 5, 10, 10, 5, 1, 2),
    (1, 4, 3, 11, 8, (3, 2), (2, 1), 1),  # rectangular kernel and stride
    (2, 6, 2, 7, 7, 1, 1, 0),  # 1 x 1 kernel: only the channels mix
    (4, 16, 32, 8, 8, 3, 1, 1),  # the digits CNN's second layer
]


@pytest.mark.parametrize(("seed", "case"), list(enumerate(CONV_CASES)))
def test_conv2d_forward_and_backward(snippets, compare, seed, case):
    n, c_in, c_out, h, w, kernel_size, stride, padding = case
    rng = np.random.default_rng(seed)
    ours = layers.Conv2d(c_in, c_out, kernel_size, stride, padding, rng=rng)
    ours.weight.value = as_float32(ours.weight.value)
    ours.bias.value = as_float32(ours.bias.value)
    x = as_float32(rng.normal(size=(n, c_in, h, w)))
    y = ours(x)
    dout = as_float32(rng.normal(size=y.shape))
    dx = ours.backward(dout)

    cell = snippets.conv2d(ours.weight.value, ours.bias.value, stride, padding)
    y_ms, dx_ms, (dw_ms, db_ms) = snippets.forward_backward(
        cell, x, dout, dtype=snippets.ms.float32
    )
    for name, a, b in [
        ("forward", y, y_ms),
        ("backward dx", dx, dx_ms),
        ("backward d weight", ours.weight.grad, dw_ms),
        ("backward d bias", ours.bias.grad, db_ms),
    ]:
        # Every entry is a float32 sum of products (C_in kh kw of them forward, up to N OH OW
        # for d weight): its rounding error scales with the largest entries, and an entry that
        # cancels to near 0 has a large error relative to itself (measured: 1.5e-3 at 0.006
        # beside entries of 27). So each array is compared relative to its largest entry.
        scale = np.abs(a).max()
        compare(f"nn.Conv2d {name}", a / scale, b.asnumpy() / scale, dtype="float32")


# (N, C, H, W, kernel_size, stride)
POOL_CASES = [
    (2, 3, 8, 8, 2, 2),  # the usual 2 x 2 window, stride 2
    (1, 2, 7, 9, 3, 2),  # overlapping windows, sizes that do not divide
    (3, 1, 6, 6, 2, 1),  # stride 1: what nn.MaxPool2d(2) does by default
    (2, 4, 9, 6, (3, 2), (3, 2)),  # rectangular window and stride
]


@pytest.mark.parametrize(("seed", "case"), list(enumerate(POOL_CASES)))
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pooling_forward_and_backward(snippets, compare, seed, case, kind):
    n, c, h, w, kernel_size, stride = case
    rng = np.random.default_rng([seed, kind == "max"])
    x = rng.normal(size=(n, c, h, w))  # continuous values: no ties for the maximum
    if kind == "max":
        ours, cell = layers.MaxPool2d(kernel_size, stride), snippets.max_pool2d(kernel_size, stride)
    else:
        ours, cell = layers.AvgPool2d(kernel_size, stride), snippets.avg_pool2d(kernel_size, stride)
    y = ours(x)
    dout = rng.normal(size=y.shape)
    y_ms, dx_ms, dparams = snippets.forward_backward(cell, x, dout)
    assert y_ms.asnumpy().dtype == dx_ms.asnumpy().dtype == np.float64 and dparams == ()
    name = f"nn.{'Max' if kind == 'max' else 'Avg'}Pool2d"
    # Both kernels take and return float64 but compute in float32 (see
    # test_pooling_computes_in_float32): the maximum is exact, since it only selects an entry;
    # the mean and both gradients are float32 numbers.
    compare(f"{name} forward", y, y_ms, dtype="float64" if kind == "max" else "float32")
    compare(f"{name} backward dx", ours.backward(dout), dx_ms, dtype="float32")


@pytest.mark.parametrize("shape", [(2, 3, 4, 4), (5, 32, 4, 4), (3, 7)])
def test_flatten_forward_and_backward(snippets, compare, shape):
    from mindspore import nn

    rng = np.random.default_rng(len(shape) * 100 + shape[1])
    x = rng.normal(size=shape)
    ours = layers.Flatten()
    y = ours(x)
    dout = rng.normal(size=y.shape)
    y_ms, dx_ms, _ = snippets.forward_backward(nn.Flatten(), x, dout)
    compare("nn.Flatten forward", y, y_ms)
    compare("nn.Flatten backward dx", ours.backward(dout), dx_ms)


# --------------------------------------------------------------------------------------------
# What the chapter says in words about MindSpore's defaults
# --------------------------------------------------------------------------------------------


def test_conv2d_default_pads_to_same_size_and_has_no_bias(ms):
    """nn.Conv2d(1, 6, 5) keeps 32 x 32 (LeNet's first layer should give 28 x 28), no bias."""
    from mindspore import nn

    cell = nn.Conv2d(1, 6, 5)
    assert cell(ms.Tensor(np.zeros((1, 1, 32, 32)), ms.float32)).shape == (1, 6, 32, 32)
    assert cell.bias is None
    assert [p.name for p in cell.trainable_params()] == ["weight"]
    explicit = nn.Conv2d(1, 6, 5, pad_mode="pad", padding=0, has_bias=True)
    assert explicit(ms.Tensor(np.zeros((1, 1, 32, 32)), ms.float32)).shape == (1, 6, 28, 28)
    assert len(explicit.trainable_params()) == 2


def test_conv2d_padding_needs_pad_mode_pad(ms):
    from mindspore import nn

    with pytest.raises(ValueError, match="pad_mode"):
        nn.Conv2d(1, 6, 5, padding=2)  # pad_mode='same' by default: padding must be 0


def test_conv2d_default_weights_are_pytorchs_uniform(ms):
    """weight_init=None is HeUniform(sqrt(5)): U(-1/sqrt(fan_in), 1/sqrt(fan_in))."""
    from mindspore import nn

    ms.set_seed(0)
    w = nn.Conv2d(16, 32, 3).weight.asnumpy()
    bound = 1 / np.sqrt(16 * 3 * 3)
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound
    assert abs(w.std() - bound / np.sqrt(3)) < 0.05 * bound / np.sqrt(3)  # std of U(-a, a)


def test_conv2d_refuses_float64_on_the_cpu(ms):
    from mindspore import nn

    with pytest.raises(TypeError, match="Float64"):
        nn.Conv2d(1, 2, 3, dtype=ms.float64)(ms.Tensor(np.zeros((1, 1, 5, 5))))


@pytest.mark.parametrize("pool", ["MaxPool2d", "AvgPool2d"])
def test_pooling_default_stride_is_one(ms, pool):
    """nn.MaxPool2d(2) slides by 1: a 4 x 4 input gives 3 x 3, not 2 x 2 as in dlnotes."""
    from mindspore import nn

    x = np.arange(16.0).reshape(1, 1, 4, 4)
    assert getattr(nn, pool)(2)(ms.Tensor(x)).shape == (1, 1, 3, 3)
    assert getattr(nn, pool)(2, stride=2)(ms.Tensor(x)).shape == (1, 1, 2, 2)
    assert getattr(layers, pool)(2)(x).shape == (1, 1, 2, 2)


def test_the_digits_cnn_with_the_default_stride_does_not_fit_its_dense_layer(ms):
    """With nn.MaxPool2d(2), the 8 x 8 maps become 7 x 7: 32 * 7 * 7 features, not 512."""
    from mindspore import nn

    maps = ms.Tensor(np.zeros((1, 32, 8, 8)), ms.float32)
    features = nn.Flatten()(nn.MaxPool2d(2)(maps))
    assert features.shape == (1, 32 * 7 * 7)
    with pytest.raises((ValueError, RuntimeError)):
        nn.Dense(512, 10)(features)


def test_pooling_computes_in_float32(ms):
    """The chapter: the pooling layers accept float64, but on the CPU they compute in float32."""
    from mindspore import nn

    third = ms.Tensor(np.full((1, 1, 2, 2), 1 / 3))
    weights = ms.Tensor(np.full((1, 1, 1, 1), 1 / 3))
    as32 = float(np.float32(1 / 3))
    mean = nn.AvgPool2d(2, stride=2)(third)
    assert mean.dtype == ms.float64 and mean.asnumpy().item() == as32 != 1 / 3
    assert nn.MaxPool2d(2, stride=2)(third).asnumpy().item() == 1 / 3  # selects: exact
    grad = ms.grad(lambda u: (nn.MaxPool2d(2, stride=2)(u) * weights).sum())(third)
    assert grad.dtype == ms.float64 and grad.asnumpy()[0, 0, 0, 0] == as32


# --------------------------------------------------------------------------------------------
# The digits CNN: the same start and the same updates
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def digits(snippets):
    return snippets.digits_images()


def test_the_two_networks_start_from_the_same_point(snippets, compare, ms, digits):
    X_test = digits[1]
    net = snippets.make_cnn(np.random.default_rng(0))
    cell = snippets.ms_cnn(net)
    # dlnotes on the float32 weights MindSpore holds, so that only the arithmetic differs
    for p in net.parameters():
        p.value = as_float32(p.value)
    compare("digits CNN scores", net(X_test), cell(ms.Tensor(X_test, ms.float32)), dtype="float32")


def test_the_training_steps_are_the_same(snippets, compare, ms, digits):
    """Three momentum steps on one batch: every parameter as dlnotes.train.fit leaves it."""
    X_train, _, y_train, _ = digits
    x, y = X_train[:32], y_train[:32]
    net = snippets.make_cnn(np.random.default_rng(1))
    cell = snippets.ms_cnn(net)
    for p in net.parameters():
        p.value = as_float32(p.value)
    opt = Momentum(net.parameters(), lr=snippets.LR, momentum=snippets.MOMENTUM)
    fit(net, CrossEntropyLoss(), opt, x, y, epochs=3, batch_size=32, rng=None, shuffle=False)

    step = snippets.train_step(cell)
    for _ in range(3):
        step(ms.Tensor(x, ms.float32), ms.Tensor(y, ms.int32))
    for ours, theirs in zip(net.parameters(), cell.trainable_params(), strict=True):
        compare("digits CNN, 3 momentum steps", ours.value, theirs, dtype="float32")


def test_dlnotes_training_is_the_chapters(snippets):
    """dlnotes_digits_cnn(0) is seed 0 of the chapter's loop, which the chapter puts above 98 %."""
    assert snippets.dlnotes_digits_cnn(0, epochs=10) > 0.97
