"""Tests for dlnotes.conv and the image layers: Conv2d, MaxPool2d, AvgPool2d, Flatten."""

import math
import re
import warnings

import numpy as np
import pytest
from gradcheck_cases import small_cnn
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import dlnotes
from dlnotes import conv
from dlnotes.layers import (
    AvgPool2d,
    Conv2d,
    Flatten,
    MaxPool2d,
)

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "conv.avg_pool2d",
    "conv.avg_pool2d_backward",
    "conv.col2im",
    "conv.conv2d",
    "conv.conv2d_backward",
    "conv.conv2d_reference",
    "conv.conv_output_size",
    "conv.im2col",
    "conv.max_pool2d",
    "conv.max_pool2d_backward",
    "conv.pool2d_reference",
    "layers.Conv2d",
    "layers.MaxPool2d",
    "layers.AvgPool2d",
    "layers.Flatten",
)

# The grid and the kernel of the hand-computed example (a 3x3 "X" on a 5x5 grid).
GRID = np.array(
    [
        [1, 0, 2, 1, 0],
        [0, 1, 1, 0, 2],
        [2, 1, 0, 1, 1],
        [1, 0, 1, 2, 0],
        [0, 2, 1, 0, 1],
    ],
    dtype=float,
)
X_KERNEL = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], dtype=float)


# --------------------------------------------------------------------------------------------
# conv_output_size
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((5, 3), 3),  # (5 - 3)/1 + 1
        ((7, 3, 2), 3),  # (7 - 3)/2 + 1
        ((6, 3, 2), 2),  # floor((6 - 3)/2) + 1 = floor(1.5) + 1: the last column is unused
        ((5, 3, 1, 1), 5),  # T = (F - 1)/2 keeps the size
        ((28, 5, 1, 2), 28),
        ((8, 7, 1, 3), 8),
        ((32, 1), 32),  # 1x1 kernels keep the size
        ((32, 1, 1, 0), 32),
        ((3, 3), 1),  # the kernel covers the whole input
        ((1, 3, 1, 1), 1),  # ... the whole padded input
        ((227, 11, 4), 55),  # AlexNet's first layer
        ((32, 5, 1, 0), 28),  # LeNet-5
    ],
)
def test_conv_output_size_worked_examples(args, expected):
    assert conv.conv_output_size(*args) == expected
    assert type(conv.conv_output_size(*args)) is int


def test_conv_output_size_is_exported_at_the_top_level():
    assert dlnotes.conv_output_size is conv.conv_output_size
    assert dlnotes.conv_output_size(P=5, F=3, S=1, T=0) == 3


@pytest.mark.parametrize("f", [1, 3, 5, 7, 9])
@pytest.mark.parametrize("p", [7, 8, 28])
def test_same_padding_keeps_the_size(f, p):
    assert conv.conv_output_size(p, f, 1, (f - 1) // 2) == p


@given(p=st.integers(1, 60), f=st.integers(1, 12), s=st.integers(1, 6), t=st.integers(0, 6))
def test_conv_output_size_counts_the_kernel_positions(p, f, s, t):
    """M is the number of start positions 0, S, 2S, ... with the kernel inside the padded input."""
    assume(f <= p + 2 * t)
    assert conv.conv_output_size(p, f, s, t) == len(range(0, p + 2 * t - f + 1, s))


@pytest.mark.parametrize(
    ("args", "error", "name"),
    [
        ((0, 3), ValueError, "P"),
        ((-5, 3), ValueError, "P"),
        ((5, 0), ValueError, "F"),
        ((5, 3, 0), ValueError, "S"),
        ((5, 3, -1), ValueError, "S"),
        ((5, 3, 1, -1), ValueError, "T"),
        ((5.0, 3), TypeError, "P"),
        ((5, 2.5), TypeError, "F"),
        ((5, 3, "1"), TypeError, "S"),
        ((5, 3, 1, None), TypeError, "T"),
        ((5, 3, True), TypeError, "S"),
    ],
)
def test_conv_output_size_rejects_bad_arguments(args, error, name):
    with pytest.raises(error, match=rf"\b{name}\b"):
        conv.conv_output_size(*args)


def test_conv_output_size_kernel_must_fit():
    with pytest.raises(ValueError, match=r"F=6.*P \+ 2T = 5"):
        conv.conv_output_size(5, 6)
    with pytest.raises(ValueError, match=r"F=8.*P \+ 2T = 7"):
        conv.conv_output_size(5, 8, 1, 1)
    assert conv.conv_output_size(5, 7, 1, 1) == 1


# --------------------------------------------------------------------------------------------
# Convolution: values by hand
# --------------------------------------------------------------------------------------------


def test_single_kernel_by_hand():
    """Output (i, j) = x[i, j] + x[i, j+2] + x[i+1, j+1] + x[i+2, j] + x[i+2, j+2]; e.g.
    (0, 0): 1 + 2 + 1 + 2 + 0 = 6 and (2, 2): 0 + 1 + 2 + 1 + 1 = 5."""
    x, w = GRID[None, None], X_KERNEL[None, None]
    expected = [[6, 4, 3], [4, 3, 5], [3, 5, 5]]
    for f in (conv.conv2d, conv.conv2d_reference):
        np.testing.assert_array_equal(f(x, w)[0, 0], expected)
        np.testing.assert_array_equal(f(x, w, bias=[0.5])[0, 0], np.add(expected, 0.5))
        # stride 2 keeps the positions (0, 0), (0, 2), (2, 0), (2, 2)
        np.testing.assert_array_equal(f(x, w, stride=2)[0, 0], [[6, 3], [3, 5]])
        # padding 1: at the corner only x[0, 0] and x[1, 1] are under the kernel
        y = f(x, w, padding=1)[0, 0]
        assert y.shape == (5, 5)
        assert y[0, 0] == 1 + 1 and y[1, 1] == 6 and y[4, 4] == 1 + 2
        np.testing.assert_array_equal(y[1:4, 1:4], expected)


def test_several_channels_are_summed_and_several_kernels_give_several_maps():
    x = np.stack([GRID, 2 * GRID, -GRID])[None]  # (1, 3, 5, 5)
    w = np.stack([np.stack([X_KERNEL] * 3), np.stack([X_KERNEL, 0 * X_KERNEL, 0 * X_KERNEL])])
    y = conv.conv2d(x, w, bias=[1.0, -1.0])
    single = conv.conv2d(GRID[None, None], X_KERNEL[None, None])[0, 0]
    assert y.shape == (1, 2, 3, 3)
    np.testing.assert_array_equal(y[0, 0], (1 + 2 - 1) * single + 1.0)
    np.testing.assert_array_equal(y[0, 1], single - 1.0)


def test_one_by_one_kernel_mixes_channels_only(rng):
    """A 1x1 convolution is a Linear layer applied to the channels of every pixel."""
    x = rng.normal(size=(2, 4, 5, 6))
    w = rng.normal(size=(3, 4, 1, 1))
    b = rng.normal(size=3)
    expected = np.einsum("oc,nchw->nohw", w[:, :, 0, 0], x) + b[:, None, None]
    np.testing.assert_allclose(conv.conv2d(x, w, b), expected, rtol=1e-12)


def test_convolution_is_shift_equivariant(rng):
    """Shifting the image shifts the feature map (away from the borders)."""
    x = np.zeros((1, 1, 12, 12))
    x[0, 0, 3:6, 2:5] = rng.normal(size=(3, 3))
    w = rng.normal(size=(2, 1, 3, 3))
    shifted = np.roll(x, (2, 3), axis=(2, 3))
    np.testing.assert_allclose(
        conv.conv2d(shifted, w), np.roll(conv.conv2d(x, w), (2, 3), axis=(2, 3)), atol=1e-14
    )


def test_im2col_and_col2im_by_hand():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    cols = conv.im2col(x, 3, stride=1)
    assert cols.shape == (1, 9, 4)  # (N, C·kh·kw, OH·OW)
    np.testing.assert_array_equal(cols[0, :, 0], [0, 1, 2, 4, 5, 6, 8, 9, 10])
    np.testing.assert_array_equal(cols[0, :, 3], [5, 6, 7, 9, 10, 11, 13, 14, 15])
    # how many windows contain each pixel
    counts = conv.col2im(np.ones_like(cols), x.shape, 3)[0, 0]
    np.testing.assert_array_equal(counts, [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]])
    padded = conv.im2col(x, 2, stride=2, padding=1)
    assert padded.shape == (1, 4, 9)
    np.testing.assert_array_equal(padded[0, :, 0], [0, 0, 0, 0])  # the corner window: x[0, 0]
    np.testing.assert_array_equal(padded[0, :, 4], [5, 6, 9, 10])


def test_im2col_has_one_matrix_per_image_with_channels_in_kernel_order():
    """Matrix n holds image n's windows; rows go (c, a, b), as weight[k] flattens."""
    x = np.arange(2 * 2 * 3 * 3, dtype=float).reshape(2, 2, 3, 3)
    cols = conv.im2col(x, 2)
    assert cols.shape == (2, 2 * 2 * 2, 2 * 2)
    for n in range(2):
        for i in range(2):
            for j in range(2):
                window = x[n, :, i : i + 2, j : j + 2]  # (C, kh, kw)
                np.testing.assert_array_equal(cols[n, :, i * 2 + j], window.ravel())
    w = np.arange(3 * 2 * 2 * 2, dtype=float).reshape(3, 2, 2, 2)
    y = (w.reshape(3, -1) @ cols).reshape(2, 3, 2, 2)  # already (N, C_out, OH, OW)
    np.testing.assert_allclose(y, conv.conv2d_reference(x, w), rtol=1e-15)


# --------------------------------------------------------------------------------------------
# Vectorised against the loops (properties)
# --------------------------------------------------------------------------------------------

sizes = st.integers(1, 3)
pairs = st.tuples(st.integers(1, 3), st.integers(1, 3))


@settings(max_examples=120)
@given(
    n=sizes,
    c_in=sizes,
    c_out=sizes,
    hw=st.tuples(st.integers(1, 9), st.integers(1, 9)),
    kernel=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    stride=pairs,
    padding=st.tuples(st.integers(0, 2), st.integers(0, 2)),
    with_bias=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_conv2d_equals_the_loop_reference(
    n, c_in, c_out, hw, kernel, stride, padding, with_bias, seed
):
    assume(all(k <= s + 2 * p for k, s, p in zip(kernel, hw, padding, strict=True)))
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, c_in, *hw))
    w = rng.normal(size=(c_out, c_in, *kernel))
    b = rng.normal(size=c_out) if with_bias else None
    y = conv.conv2d(x, w, b, stride, padding)
    expected_hw = tuple(
        conv.conv_output_size(*args) for args in zip(hw, kernel, stride, padding, strict=True)
    )
    assert y.shape == (n, c_out, *expected_hw)
    assert y.flags.c_contiguous
    np.testing.assert_allclose(
        y, conv.conv2d_reference(x, w, b, stride, padding), rtol=1e-12, atol=1e-12
    )


@settings(max_examples=80)
@given(
    n=sizes,
    c=sizes,
    hw=st.tuples(st.integers(1, 9), st.integers(1, 9)),
    kernel=pairs,
    stride=st.one_of(st.none(), pairs),
    seed=st.integers(0, 2**32 - 1),
)
def test_pooling_equals_the_loop_reference(n, c, hw, kernel, stride, seed):
    assume(kernel[0] <= hw[0] and kernel[1] <= hw[1])
    x = np.random.default_rng(seed).normal(size=(n, c, *hw))
    for mode, f in (("max", conv.max_pool2d), ("avg", conv.avg_pool2d)):
        expected = conv.pool2d_reference(x, kernel, stride, mode)
        np.testing.assert_allclose(f(x, kernel, stride), expected, rtol=1e-13, err_msg=mode)


def window_case(n, c, hw, kernel, stride, padding, seed):
    """A random image batch and the geometry of the windows: (rng, x, kernel, stride, padding)."""
    rng = np.random.default_rng(seed)
    return rng, rng.normal(size=(n, c, *hw)), kernel, stride, padding


# the kernel always fits in the padded input
window_cases = st.builds(
    window_case,
    sizes,
    sizes,
    st.tuples(st.integers(1, 8), st.integers(1, 8)),
    pairs,
    pairs,
    st.tuples(st.integers(0, 2), st.integers(0, 2)),
    st.integers(0, 2**32 - 1),
).filter(lambda c: all(k <= s + 2 * p for k, s, p in zip(c[2], c[1].shape[2:], c[4], strict=True)))


@settings(max_examples=60)
@given(case=window_cases)
def test_col2im_is_the_adjoint_of_im2col(case):
    """<im2col(x), G> = <x, col2im(G)> for all x and G: what makes col2im the backward pass."""
    rng, x, kernel, stride, padding = case
    cols = conv.im2col(x, kernel, stride, padding)
    g = rng.normal(size=cols.shape)
    back = conv.col2im(g, x.shape, kernel, stride, padding)
    assert back.shape == x.shape
    assert np.sum(cols * g) == pytest.approx(np.sum(x * back), rel=1e-12, abs=1e-12)


@settings(max_examples=40)
@given(
    hw=st.tuples(st.integers(2, 8), st.integers(2, 8)),
    kernel=pairs,
    stride=pairs,
    seed=st.integers(0, 2**32 - 1),
)
def test_pooling_backward_is_the_adjoint_of_forward(hw, kernel, stride, seed):
    """Average pooling is linear: <avg(x), g> = <x, avg_backward(g)>. Max pooling is linear
    on the region where the winners do not change: <max(x), g> = <x, max_backward(g)>."""
    assume(kernel[0] <= hw[0] and kernel[1] <= hw[1])
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(2, 2, *hw))
    y = conv.avg_pool2d(x, kernel, stride)
    g = rng.normal(size=y.shape)
    dx = conv.avg_pool2d_backward(g, x.shape, kernel, stride)
    assert np.sum(y * g) == pytest.approx(np.sum(x * dx), rel=1e-12, abs=1e-12)
    y, idx = conv.max_pool2d(x, kernel, stride, return_indices=True)
    dx = conv.max_pool2d_backward(g, idx, x.shape)
    assert np.sum(y * g) == pytest.approx(np.sum(x * dx), rel=1e-12, abs=1e-12)


@settings(max_examples=40)
@given(case=window_cases)
def test_conv2d_with_the_matrix_of_windows_given_is_the_same(case):
    """conv2d(..., cols=im2col(x)) skips making the matrix, and changes no number."""
    rng, x, kernel, stride, padding = case
    w, b = rng.normal(size=(2, x.shape[1], *kernel)), rng.normal(size=2)
    cols = conv.im2col(x, kernel, stride, padding)
    y = conv.conv2d(x, w, b, stride, padding)
    np.testing.assert_array_equal(conv.conv2d(x, w, b, stride, padding, cols=cols), y)
    dout = rng.normal(size=y.shape)
    for with_cols, without in zip(
        conv.conv2d_backward(dout, x, w, stride, padding, cols=cols),
        conv.conv2d_backward(dout, x, w, stride, padding),
        strict=True,
    ):
        np.testing.assert_array_equal(with_cols, without)


def test_conv2d_backward_function_matches_the_layer(rng):
    layer = Conv2d(2, 3, (2, 3), stride=(2, 1), padding=(1, 0), rng=rng)
    x = rng.normal(size=(2, 2, 5, 6))
    dout = rng.normal(size=layer(x).shape)
    dx = layer.backward(dout)
    args = (dout, x, layer.weight.value, (2, 1), (1, 0))
    for cols in (None, conv.im2col(x, (2, 3), (2, 1), (1, 0))):
        dx2, dw2, db2 = conv.conv2d_backward(*args, cols=cols)
        np.testing.assert_allclose(dx2, dx, rtol=1e-14)
        np.testing.assert_allclose(dw2, layer.weight.grad, rtol=1e-14)
        np.testing.assert_allclose(db2, layer.bias.grad, rtol=1e-14)
    np.testing.assert_allclose(layer.bias.grad, dout.sum(axis=(0, 2, 3)), rtol=1e-13)


# --------------------------------------------------------------------------------------------
# Layers: shapes, parameters, initialisation, pooling behaviour
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("c_in", "c_out", "kernel", "expected"),
    [
        (1, 8, 3, 80),
        (3, 16, 3, 448),
        (16, 32, 5, 12_832),
        (3, 64, (7, 7), 9_472),
        (64, 32, 1, 2_080),
    ],
)
def test_parameter_sharing_count(c_in, c_out, kernel, expected, rng):
    """C_out (C_in kh kw + 1) parameters, whatever the size of the image."""
    layer = Conv2d(c_in, c_out, kernel, rng=rng)
    kh, kw = layer.kernel_size
    count = sum(p.value.size for p in layer.parameters())
    assert count == c_out * (c_in * kh * kw + 1) == expected
    for size in (8, 28):  # the same layer on small and large images
        assert layer(np.zeros((1, c_in, size, size))).shape[1] == c_out
    # a fully connected layer from a 28x28 image to as many outputs as this layer makes
    out_features = c_out * conv.conv_output_size(28, kh) * conv.conv_output_size(28, kw)
    assert 28 * 28 * c_in * out_features > 10 * count


def test_conv2d_init_and_attributes():
    layer = Conv2d(4, 50, (3, 5), stride=(1, 2), padding=(0, 1), rng=np.random.default_rng(0))
    assert layer.weight.shape == (50, 4, 3, 5) and layer.bias.shape == (50,)
    assert [p.name for p in layer.parameters()] == ["weight", "bias"]
    k = 1 / math.sqrt(4 * 3 * 5)
    w = layer.weight.value
    assert np.all(np.abs(w) <= k) and np.all(np.abs(layer.bias.value) <= k)
    assert w.max() > 0.98 * k and w.min() < -0.98 * k
    assert w.var() == pytest.approx(k**2 / 3, rel=0.1)  # variance of U(-k, k)
    assert (layer.kernel_size, layer.stride, layer.padding) == ((3, 5), (1, 2), (0, 1))
    assert repr(layer) == "Conv2d(4, 50, kernel_size=(3, 5), stride=(1, 2), padding=(0, 1))"
    same = Conv2d(4, 50, (3, 5), stride=(1, 2), padding=(0, 1), rng=np.random.default_rng(0))
    np.testing.assert_array_equal(same.weight.value, w)


def test_conv2d_layer_equals_the_function(rng):
    layer = Conv2d(3, 4, 3, stride=2, padding=1, rng=rng)
    x = rng.normal(size=(2, 3, 7, 7))
    expected = conv.conv2d_reference(x, layer.weight.value, layer.bias.value, 2, 1)
    np.testing.assert_allclose(layer(x), expected, rtol=1e-12)
    assert layer(x.astype(np.float32)).dtype == np.float64


def test_backward_overwrites_conv_gradients(rng):
    layer = Conv2d(1, 2, 3, rng=rng)
    x = rng.normal(size=(2, 1, 5, 5))
    dout = rng.normal(size=layer(x).shape)
    layer.backward(dout)
    first = layer.weight.grad.copy()
    layer.backward(dout)
    np.testing.assert_array_equal(layer.weight.grad, first)


def test_pool_layers_shapes_and_repr(rng):
    x = rng.normal(size=(2, 3, 7, 9))
    assert MaxPool2d(2)(x).shape == (2, 3, 3, 4)  # floor: the last row and column are dropped
    assert AvgPool2d(3, 2)(x).shape == (2, 3, 3, 4)
    assert MaxPool2d((2, 3), (1, 3))(x).shape == (2, 3, 6, 3)
    assert repr(MaxPool2d(2)) == "MaxPool2d(kernel_size=(2, 2), stride=(2, 2))"
    assert repr(AvgPool2d(3, 1)) == "AvgPool2d(kernel_size=(3, 3), stride=(1, 1))"
    assert MaxPool2d(2).parameters() == [] and AvgPool2d(2).parameters() == []
    assert repr(Flatten()) == "Flatten()"


def test_max_pool_by_hand_and_ties():
    x = np.array([[[[1.0, 3.0, 2.0, 2.0], [3.0, 0.0, 2.0, 2.0]]]])
    y, idx = conv.max_pool2d(x, 2, return_indices=True)
    np.testing.assert_array_equal(y, [[[[3.0, 2.0]]]])
    # ties: the first maximum in row-major order wins (index row * W + col), as in PyTorch
    np.testing.assert_array_equal(idx, [[[[1, 2]]]])
    pool = MaxPool2d(2)
    pool(x)
    np.testing.assert_array_equal(
        pool.backward(np.array([[[[1.0, 5.0]]]])), [[[[0.0, 1.0, 5.0, 0.0], [0, 0, 0, 0]]]]
    )


def test_max_pool_nan_propagates():
    """A NaN in a window is its maximum, at the last NaN's position (PyTorch's rule); the
    other windows are unaffected."""
    x = np.array([[[[np.nan, 1.0, 2.0, 0.0], [3.0, np.nan, 1.0, 1.0]]]])
    y, idx = conv.max_pool2d(x, 2, return_indices=True)
    np.testing.assert_array_equal(y, [[[[np.nan, 2.0]]]])
    np.testing.assert_array_equal(idx, [[[[5, 2]]]])


def test_max_pool_overlapping_windows_add_up():
    """With stride < kernel a maximum that wins two windows gets both gradients."""
    x = np.array([[[[0.0, 1.0, 0.0], [0.0, 9.0, 0.0], [0.0, 0.0, 0.0]]]])
    pool = MaxPool2d(2, stride=1)
    np.testing.assert_array_equal(pool(x), np.full((1, 1, 2, 2), 9.0))
    dx = pool.backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]))
    np.testing.assert_array_equal(dx[0, 0], [[0, 0, 0], [0, 10.0, 0], [0, 0, 0]])


def test_avg_pool_by_hand():
    x = np.array([[[[1.0, 3.0, 2.0, 2.0], [3.0, 1.0, 0.0, 4.0]]]])
    pool = AvgPool2d(2)
    np.testing.assert_array_equal(pool(x), [[[[2.0, 2.0]]]])
    np.testing.assert_array_equal(
        pool.backward(np.array([[[[4.0, -8.0]]]])), [[[[1, 1, -2, -2], [1, 1, -2, -2]]]]
    )


def test_max_pool_small_shift_invariance():
    """A bright pixel moving inside its 2x2 pooling window leaves the pooled map unchanged;
    the convolution's feature map moves with it, and max pooling absorbs the move."""
    image = np.zeros((1, 1, 8, 8))
    image[0, 0, 2, 2] = 1.0
    pool = MaxPool2d(2)
    before = pool(image)
    for shift in [(0, 1), (1, 0), (1, 1)]:
        moved = np.roll(image, shift, axis=(2, 3))  # now at (2 + dy, 2 + dx), same window
        assert not np.array_equal(moved, image)
        np.testing.assert_array_equal(pool(moved), before)
    # a move into the next window moves the pooled map by one cell: small change only
    far = pool(np.roll(image, (2, 0), axis=(2, 3)))
    np.testing.assert_array_equal(far, np.roll(before, (1, 0), axis=(2, 3)))
    # a feature map: conv then max-pool on a shifted digit-like stroke
    stroke = np.zeros((1, 1, 8, 8))
    stroke[0, 0, 2:6, 2] = 1.0
    kernel = np.ones((1, 1, 3, 1))
    a = pool(conv.conv2d(stroke, kernel, padding=(1, 0)))
    b = pool(conv.conv2d(np.roll(stroke, (0, 1), axis=(2, 3)), kernel, padding=(1, 0)))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(
        conv.conv2d(stroke, kernel), conv.conv2d(np.roll(stroke, 1, 3), kernel)
    )


def test_flatten_shapes(rng):
    flat = Flatten()
    x = rng.normal(size=(3, 2, 4, 5))
    y = flat(x)
    assert y.shape == (3, 40)
    np.testing.assert_array_equal(y[1], x[1].ravel())  # channel, then row, then column
    assert flat.backward(np.ones((3, 40))).shape == x.shape
    assert flat(np.ones((4, 6))).shape == (4, 6)


def test_small_cnn_forward_and_backward_shapes(rng):
    net = small_cnn(rng)
    x = rng.normal(size=(4, 2, 8, 8))
    assert net(x).shape == (4, 5)
    assert net(x, training=False).shape == (4, 5)
    assert net.backward(np.ones((4, 5))).shape == x.shape
    assert [p.name for p in net.parameters()] == [
        "0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias",
    ]  # fmt: skip


def test_extreme_inputs_give_no_nan_or_warning(rng):
    x = rng.normal(size=(2, 1, 6, 6)) * 1e150
    layers = [Conv2d(1, 2, 3, padding=1, rng=rng), MaxPool2d(2), AvgPool2d(3, 1), Flatten()]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for layer in layers:
            y = layer(x)
            dx = layer.backward(np.ones_like(y))
            assert np.all(np.isfinite(y)) and np.all(np.isfinite(dx))


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "layer", [Conv2d(1, 2, 3, rng=np.random.default_rng(0)), MaxPool2d(2), AvgPool2d(2)]
)
@pytest.mark.parametrize("shape", [(5, 5), (1, 5, 5), (1, 1, 1, 5, 5), ()])
def test_non_4d_input_names_the_shape(layer, shape):
    with pytest.raises(ValueError, match=r"\(N, .*H, W\).*" + re.escape(str(shape))):
        layer(np.ones(shape))


def test_channel_mismatch_names_the_shapes(rng):
    layer = Conv2d(3, 8, 3, rng=rng)
    with pytest.raises(ValueError, match=r"\(N, 3, H, W\).*\(2, 1, 8, 8\)"):
        layer(np.ones((2, 1, 8, 8)))
    with pytest.raises(ValueError, match=r"\(2, 1, 8, 8\).*1 channels.*\(8, 3, 3, 3\)"):
        conv.conv2d(np.ones((2, 1, 8, 8)), np.ones((8, 3, 3, 3)))


def test_kernel_larger_than_padded_input_names_the_shapes(rng):
    with pytest.raises(ValueError, match=r"kernel \(5, 5\).*padded input \(3, 3\).*\(1, 1, 3, 3\)"):
        Conv2d(1, 1, 5, rng=rng)(np.ones((1, 1, 3, 3)))
    assert Conv2d(1, 1, 5, padding=1, rng=rng)(np.ones((1, 1, 3, 3))).shape == (1, 1, 1, 1)
    with pytest.raises(ValueError, match=r"kernel \(3, 3\).*\(2, 4\).*\(1, 2, 2, 4\)"):
        MaxPool2d(3)(np.ones((1, 2, 2, 4)))
    with pytest.raises(ValueError, match=r"kernel \(1, 5\)"):
        AvgPool2d((1, 5))(np.ones((1, 2, 2, 4)))
    with pytest.raises(ValueError, match="kernel"):
        conv.conv2d_reference(np.ones((1, 1, 3, 3)), np.ones((1, 1, 4, 4)))


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"stride": 0}, ValueError, "stride"),
        ({"stride": -1}, ValueError, "stride"),
        ({"stride": (1, 0)}, ValueError, r"stride\[1\]"),
        ({"padding": -1}, ValueError, "padding"),
        ({"padding": (0, -2)}, ValueError, r"padding\[1\]"),
        ({"kernel_size": 0}, ValueError, "kernel_size"),
        ({"kernel_size": (3, 3, 3)}, ValueError, "kernel_size"),
        ({"kernel_size": 2.5}, TypeError, "kernel_size"),
        ({"stride": 1.0}, TypeError, "stride"),
        ({"padding": "same"}, TypeError, "padding"),
        ({"in_channels": 0}, ValueError, "in_channels"),
        ({"out_channels": 1.5}, TypeError, "out_channels"),
    ],
)
def test_conv2d_rejects_bad_arguments(kwargs, error, name, rng):
    args = {"in_channels": 1, "out_channels": 2, "kernel_size": 3, **kwargs}
    with pytest.raises(error, match=name):
        Conv2d(**args, rng=rng)


@pytest.mark.parametrize("cls", [MaxPool2d, AvgPool2d])
@pytest.mark.parametrize(
    ("args", "error", "name"),
    [
        ((0,), ValueError, "kernel_size"),
        ((2, 0), ValueError, "stride"),
        ((2, -1), ValueError, "stride"),
        ((2.0,), TypeError, "kernel_size"),
    ],
)
def test_pool_rejects_bad_arguments(cls, args, error, name):
    with pytest.raises(error, match=name):
        cls(*args)


def test_functional_stride_and_padding_are_checked():
    x, w = np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3))
    for f in (conv.conv2d, conv.conv2d_reference):
        with pytest.raises(ValueError, match="stride"):
            f(x, w, stride=0)
        with pytest.raises(ValueError, match="padding"):
            f(x, w, padding=-1)
    with pytest.raises(ValueError, match=r"weight.*\(3, 3\)"):
        conv.conv2d(x, np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"bias.*\(1,\).*\(2,\)"):
        conv.conv2d(x, w, bias=np.ones(2))
    with pytest.raises(ValueError, match=r"dout.*\(1, 1, 3, 3\).*\(1, 1, 5, 5\)"):
        conv.conv2d_backward(np.ones((1, 1, 5, 5)), x, w)
    with pytest.raises(ValueError, match=r"cols.*\(1, 9, 9\).*\(9, 4\)"):
        conv.col2im(np.ones((9, 4)), (1, 1, 5, 5), 3)
    with pytest.raises(ValueError, match=r"cols.*\(1, 9, 9\).*\(1, 9, 4\)"):
        conv.conv2d(x, w, cols=np.ones((1, 9, 4)))
    with pytest.raises(ValueError, match=r"cols.*\(1, 9, 9\).*\(1, 4, 16\)"):
        conv.conv2d_backward(np.ones((1, 1, 3, 3)), x, w, cols=conv.im2col(x, 2))
    with pytest.raises(ValueError, match="mode"):
        conv.pool2d_reference(x, 2, mode="median")
    with pytest.raises(ValueError, match=r"dout.*\(1, 1, 2, 2\).*\(1, 1, 3, 3\)"):
        conv.avg_pool2d_backward(np.ones((1, 1, 3, 3)), x.shape, 2)
    with pytest.raises(ValueError, match="indices"):
        conv.max_pool2d_backward(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 3, 3), int), x.shape)
    with pytest.raises(TypeError, match=r"\bx\b"):
        conv.conv2d("image", w)


@pytest.mark.parametrize(
    "layer",
    [
        Conv2d(1, 2, 3, padding=1, rng=np.random.default_rng(0)),
        MaxPool2d(2),
        AvgPool2d(2),
        Flatten(),
    ],
)
def test_layer_protocol_errors(layer, rng):
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.ones((2, 2, 2, 2)))
    y = layer(rng.normal(size=(2, 1, 4, 4)))
    with pytest.raises(ValueError, match=r"dout.*" + re.escape(str(y.shape))):
        layer.backward(np.ones((3, *y.shape[1:])))
    with pytest.raises(TypeError, match="dout"):
        layer.backward("abc")
    with pytest.raises(TypeError, match=r"\bx\b"):
        layer("abc")


def test_flatten_needs_a_batch_dimension():
    with pytest.raises(ValueError, match=r"\(5,\)"):
        Flatten()(np.ones(5))
