"""Convolution and pooling on images (chapter 9), forward and backward, in NumPy.

Images are ``(N, C, H, W)`` arrays (NCHW: batch, channels, height, width), as in PyTorch.
A convolution slides ``C_out`` kernels of shape ``(C_in, kh, kw)`` over the zero-padded
input; at every position each kernel gives one number, the sum of the products of its
weights with the values under it, plus its bias:

.. math::

    y_{n,k,i,j} = b_k + \\sum_{c=0}^{C_\\text{in}-1} \\sum_{a=0}^{k_h-1} \\sum_{b=0}^{k_w-1}
        w_{k,c,a,b}\\; \\tilde x_{n,c,\\,iS+a,\\,jS+b}

where :math:`\\tilde x` is the input padded with :math:`T` zeros on every side and
:math:`S` is the stride. Along each axis the output has
:math:`M = \\lfloor (P - F + 2T)/S \\rfloor + 1` positions (:func:`conv_output_size`).
The same weights are used at every position (*parameter sharing*): a layer has
:math:`C_\\text{out}(C_\\text{in} k_h k_w + 1)` parameters whatever the image size.

Two implementations compute the same numbers:

- :func:`conv2d_reference`, four nested loops that follow the formula above: slow, but
  it can be read next to it;
- :func:`conv2d`, vectorised: :func:`im2col` copies every receptive field of image ``n``
  into one column of a matrix ``X_n`` of shape ``(C_in·kh·kw, OH·OW)``, and a single
  matrix product with the kernels flattened to rows, ``Wm`` of shape ``(C_out, C_in·kh·kw)``,
  computes all the outputs of that image at once: ``Y_n = Wm X_n``. NumPy's ``@`` takes
  the whole stack ``X`` of shape ``(N, C_in·kh·kw, OH·OW)`` in one call, and the BLAS
  behind it does the work. :func:`conv2d_backward` uses the same matrices:
  ``dWm = Σ_n dY_n X_n^T``, ``db`` sums ``dY`` over images and positions, and ``dx`` is
  ``Wm^T dY_n`` put back in place by :func:`col2im`, which *adds* the contributions of
  overlapping windows.

Why this layout: ``Y`` of shape ``(N, C_out, OH·OW)`` already is the output in NCHW
order (no transposed copy), and each image's matrices are small enough to stay in the
processor's cache while BLAS multiplies them. In ``X_n`` the entries that belong to one
kernel offset ``(c, a, b)`` form a row, a shifted and strided copy of channel ``c``, so
building ``X`` copies long runs of memory, and ``col2im`` is ``kh·kw`` strided additions,
each over all images, channels and positions at once; no Python loop runs over images or
positions. In float64 on one thread this is about as fast as PyTorch's CPU convolution at
the shapes of the handbook (``nox -s bench`` prints the comparison).

Pooling (:func:`max_pool2d`, :func:`avg_pool2d`) replaces every window of every channel
by its maximum or mean; it has no parameters, and a small shift of the input changes a
max-pooled output little or not at all.

Examples
--------
A 3×3 kernel of ones sums each 3×3 neighbourhood of a 5×5 grid holding 0, 1, ..., 24:

>>> import numpy as np
>>> x = np.arange(25.0).reshape(1, 1, 5, 5)
>>> w = np.ones((1, 1, 3, 3))
>>> conv2d(x, w)[0, 0]
array([[ 54.,  63.,  72.],
       [ 99., 108., 117.],
       [144., 153., 162.]])
>>> conv_output_size(5, 3), conv_output_size(5, 3, S=2), conv_output_size(5, 3, T=1)
(3, 2, 5)
"""

from __future__ import annotations

from typing import Literal, overload

import numpy as np
from numpy.lib.stride_tricks import as_strided
from numpy.typing import ArrayLike, NDArray

from dlnotes._validation import (
    as_float_array,
    as_int_pair,
    check_nonnegative_int,
    check_positive_int,
)

__all__ = [
    "avg_pool2d",
    "avg_pool2d_backward",
    "col2im",
    "conv2d",
    "conv2d_backward",
    "conv2d_reference",
    "conv_output_size",
    "im2col",
    "max_pool2d",
    "max_pool2d_backward",
    "pool2d_reference",
]

Array = NDArray[np.floating]
Pair = tuple[int, int]
IntOrPair = int | tuple[int, int]


def conv_output_size(P: int, F: int, S: int = 1, T: int = 0) -> int:
    """Number of positions of a kernel along one axis: :math:`\\lfloor (P - F + 2T)/S \\rfloor + 1`.

    The padded input has :math:`P + 2T` entries; the kernel's first entry can sit at
    :math:`0, S, 2S, \\dots` as long as the whole kernel stays inside, that is up to
    :math:`P + 2T - F`. A last step that would run over the edge is not taken (the floor).

    Parameters
    ----------
    P : int
        Input size along the axis (height or width), > 0.
    F : int
        Kernel (filter) size along the axis, > 0.
    S : int, default 1
        Stride, > 0.
    T : int, default 0
        Zero padding added on *each* side, >= 0.

    Returns
    -------
    int
        The output size M >= 1.

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If P, F or S is not positive, T is negative, or the kernel is larger than the
        padded input (F > P + 2T).

    Examples
    --------
    >>> conv_output_size(5, 3)             # (5 - 3)/1 + 1
    3
    >>> conv_output_size(7, 3, S=2)        # (7 - 3)/2 + 1
    3
    >>> conv_output_size(6, 3, S=2)        # floor((6 - 3)/2) + 1: the last column is unused
    2
    >>> conv_output_size(28, 5, T=2)       # T = (F - 1)/2 with S = 1 keeps the size ("same")
    28
    >>> conv_output_size(32, 1)            # a 1x1 kernel keeps the size
    32
    """
    P = check_positive_int(P, "P")
    F = check_positive_int(F, "F")
    S = check_positive_int(S, "S")
    T = check_nonnegative_int(T, "T")
    if F > P + 2 * T:
        raise ValueError(
            f"the kernel does not fit: F={F} is larger than the padded input P + 2T = "
            f"{P + 2 * T} (P={P}, T={T})"
        )
    return (P - F + 2 * T) // S + 1


# --------------------------------------------------------------------------------------------
# Argument checks shared by the convolution and pooling functions
# --------------------------------------------------------------------------------------------


def _as_images(x: ArrayLike, name: str = "x") -> Array:
    x = as_float_array(x, name)
    if x.ndim != 4:
        raise ValueError(f"{name} must be a 4-D array (N, C, H, W), got shape {x.shape}")
    return x


def _as_image_shape(x_shape: tuple[int, ...]) -> tuple[int, ...]:
    """`x_shape` as a tuple (N, C, H, W), or a ValueError."""
    shape = tuple(x_shape)
    if len(shape) != 4:
        raise ValueError(f"x_shape must be (N, C, H, W), got {shape}")
    return shape


def _output_hw(
    shape: tuple[int, ...], kernel: Pair, stride: Pair, padding: Pair, name: str = "x"
) -> Pair:
    """(OH, OW) for input of `shape` (N, C, H, W), or a ValueError naming the shapes."""
    (h, w), (ph, pw) = shape[2:], padding
    if kernel[0] > h + 2 * ph or kernel[1] > w + 2 * pw:
        raise ValueError(
            f"kernel {kernel} is larger than the padded input {(h + 2 * ph, w + 2 * pw)} "
            f"({name} of shape {tuple(shape)}, padding {padding})"
        )
    return (h + 2 * ph - kernel[0]) // stride[0] + 1, (w + 2 * pw - kernel[1]) // stride[1] + 1


def _conv_args(
    x: ArrayLike, weight: ArrayLike, bias: ArrayLike | None, stride: IntOrPair, padding: IntOrPair
) -> tuple[Array, Array, Array | None, Pair, Pair, Pair]:
    """Validate the arguments of a convolution; return them as arrays, the strides, the
    paddings and the output size (OH, OW)."""
    x = _as_images(x, "x")
    weight = as_float_array(weight, "weight")
    if weight.ndim != 4:
        raise ValueError(
            f"weight must be a 4-D array (C_out, C_in, kh, kw), got shape {weight.shape}"
        )
    if x.shape[1] != weight.shape[1]:
        raise ValueError(
            f"x of shape {x.shape} has {x.shape[1]} channels, but weight of shape "
            f"{weight.shape} expects C_in = {weight.shape[1]}"
        )
    if bias is not None:
        bias = as_float_array(bias, "bias")
        if bias.shape != weight.shape[:1]:
            raise ValueError(
                f"bias must have shape (C_out,) = {weight.shape[:1]} for weight of shape "
                f"{weight.shape}, got {bias.shape}"
            )
    stride = as_int_pair(stride, "stride")
    padding = as_int_pair(padding, "padding", allow_zero=True)
    out_hw = _output_hw(x.shape, weight.shape[2:], stride, padding)
    return x, weight, bias, stride, padding, out_hw


def _pool_args(
    x: ArrayLike, kernel_size: IntOrPair, stride: IntOrPair | None
) -> tuple[Array, Pair, Pair, Pair]:
    x = _as_images(x, "x")
    kernel = as_int_pair(kernel_size, "kernel_size")
    stride = kernel if stride is None else as_int_pair(stride, "stride")
    return x, kernel, stride, _output_hw(x.shape, kernel, stride, (0, 0))


def _as_cols(cols: ArrayLike, x_shape: tuple[int, ...], kernel: Pair, out_hw: Pair) -> Array:
    """`cols` as a float array of the shape :func:`im2col` gives for `x_shape`, or a ValueError."""
    cols = as_float_array(cols, "cols")
    expected = (x_shape[0], x_shape[1] * kernel[0] * kernel[1], out_hw[0] * out_hw[1])
    if cols.shape != expected:
        raise ValueError(
            f"cols must have shape (N, C·kh·kw, OH·OW) = {expected} for x of shape "
            f"{tuple(x_shape)} and a {kernel} kernel, got {cols.shape}"
        )
    return cols


# --------------------------------------------------------------------------------------------
# Windows: every receptive field as a view, and the way back
# --------------------------------------------------------------------------------------------


def _pad(x: Array, padding: Pair) -> Array:
    """`x` with ``padding`` zeros on each side of H and W (`x` itself when there are none)."""
    ph, pw = padding
    if ph == pw == 0:
        return x
    n, c, h, w = x.shape
    padded = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=x.dtype)
    padded[:, :, ph : ph + h, pw : pw + w] = x
    return padded


def _windows(x: Array, kernel: Pair, stride: Pair) -> Array:
    """View of shape (N, C, OH, OW, kh, kw): window (i, j) is ``x[:, :, i*sh:i*sh+kh, j*sw:...]``.

    No data is copied: the view reads the same memory many times. Entry ``(i, j, a, b)`` is
    row ``i·sh + a``, column ``j·sw + b``, so a step of ``i`` moves ``sh`` rows and a step
    of ``a`` one row (likewise for ``j`` and ``b``). (``as_strided`` rather than
    ``sliding_window_view``: the same view without its microseconds of checks.)
    """
    (kh, kw), (sh, sw) = kernel, stride
    n, c, h, w = x.shape
    row, col = x.strides[2:]
    shape = (n, c, (h - kh) // sh + 1, (w - kw) // sw + 1, kh, kw)
    strides = (*x.strides[:2], row * sh, col * sw, row, col)
    return as_strided(x, shape, strides, writeable=False)


def _add_windows(windows: Array, shape: tuple[int, ...], stride: Pair) -> Array:
    """Adjoint of :func:`_windows`: sum every window (N, C, OH, OW, kh, kw) back into
    an array of `shape` (N, C, H, W), where the windows overlap too.

    One strided addition per kernel offset (kh·kw of them), each covering all
    images, channels and positions at once.
    """
    out = np.zeros(shape, dtype=windows.dtype)
    oh, ow, kh, kw = windows.shape[2:]
    sh, sw = stride
    for a in range(kh):
        for b in range(kw):
            out[:, :, a : a + sh * oh : sh, b : b + sw * ow : sw] += windows[:, :, :, :, a, b]
    return out


def im2col(
    x: ArrayLike, kernel_size: IntOrPair, stride: IntOrPair = 1, padding: IntOrPair = 0
) -> Array:
    """Copy every receptive field of the padded input into one column of a matrix per image.

    Column ``i·OW + j`` of matrix ``n`` holds the window of image ``n`` at output position
    ``(i, j)``, all channels, flattened in the order ``(c, a, b)`` — the order of a
    kernel ``weight[k]`` flattened. A convolution is then one matrix product per image:
    ``weight.reshape(C_out, -1) @ im2col(x)`` has shape ``(N, C_out, OH·OW)``, the output
    in NCHW order.

    The copy is made one kernel offset ``(c, a, b)`` at a time: row ``(c, a, b)`` is
    the input shifted by ``(a, b)`` and subsampled by the stride, which NumPy copies in
    long contiguous runs.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    kernel_size : int or (int, int)
        ``(kh, kw)``; one int means a square kernel.
    stride : int or (int, int), default 1
    padding : int or (int, int), default 0
        Zeros added on each side of H and of W.

    Returns
    -------
    ndarray, shape (N, C·kh·kw, OH·OW)
        ``OH = conv_output_size(H, kh, sh, ph)``, likewise ``OW``.

    Examples
    --------
    The four 2×2 windows of a 3×3 grid, one per column:

    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> im2col(x, 2)[0]
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.]])
    >>> im2col(x, 2)[0, :, 0]              # the top-left window, row by row
    array([0., 1., 3., 4.])
    """
    x = _as_images(x)
    kernel = as_int_pair(kernel_size, "kernel_size")
    stride = as_int_pair(stride, "stride")
    padding = as_int_pair(padding, "padding", allow_zero=True)
    _output_hw(x.shape, kernel, stride, padding)
    return _im2col(x, kernel, stride, padding)


def _im2col(x: Array, kernel: Pair, stride: Pair, padding: Pair) -> Array:
    windows = _windows(_pad(x, padding), kernel, stride)  # (N, C, OH, OW, kh, kw), a view
    n, c, oh, ow, kh, kw = windows.shape
    # (N, C, kh, kw, OH, OW): one column per output position; reshape makes the copy
    return windows.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, oh * ow)


def col2im(
    cols: ArrayLike,
    x_shape: tuple[int, int, int, int],
    kernel_size: IntOrPair,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
) -> Array:
    """Put columns shaped like :func:`im2col`'s back into an image, adding where windows overlap.

    This is the adjoint (transpose) of :func:`im2col`, not its inverse: an input pixel
    that lies in several windows receives the sum of their entries, which is exactly the
    chain rule for ``dx`` when ``cols`` holds the gradient of the loss with respect to
    the im2col matrix. Padding positions are dropped.

    Parameters
    ----------
    cols : array_like, shape (N, C·kh·kw, OH·OW)
    x_shape : (N, C, H, W)
        Shape of the image that :func:`im2col` was applied to.
    kernel_size, stride, padding
        As for :func:`im2col`.

    Returns
    -------
    ndarray, shape x_shape

    Examples
    --------
    Every pixel of a 3×3 image lies in 1, 2 or 4 of the 2×2 windows:

    >>> col2im(np.ones((1, 4, 4)), (1, 1, 3, 3), 2)[0, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    shape = _as_image_shape(x_shape)
    kernel = as_int_pair(kernel_size, "kernel_size")
    stride = as_int_pair(stride, "stride")
    padding = as_int_pair(padding, "padding", allow_zero=True)
    out_hw = _output_hw(shape, kernel, stride, padding, "x_shape")
    return _col2im(_as_cols(cols, shape, kernel, out_hw), shape, kernel, stride, padding)


def _col2im(
    cols: Array, x_shape: tuple[int, ...], kernel: Pair, stride: Pair, padding: Pair
) -> Array:
    n, c, h, w = x_shape
    (ph, pw), (kh, kw) = padding, kernel
    oh, ow = _output_hw(x_shape, kernel, stride, padding)
    windows = cols.reshape(n, c, kh, kw, oh, ow).transpose(0, 1, 4, 5, 2, 3)
    padded = _add_windows(windows, (n, c, h + 2 * ph, w + 2 * pw), stride)
    return padded[:, :, ph : ph + h, pw : pw + w]


# --------------------------------------------------------------------------------------------
# Convolution
# --------------------------------------------------------------------------------------------


def conv2d_reference(
    x: ArrayLike,
    weight: ArrayLike,
    bias: ArrayLike | None = None,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
) -> Array:
    """2-D convolution written as plain loops, one output number at a time.

    Computes, for every image ``n``, kernel ``k`` and output position ``(i, j)``,

    .. math:: y_{n,k,i,j} = b_k + \\sum_{c,a,b} w_{k,c,a,b}\\,\\tilde x_{n,c,\\,iS_h+a,\\,jS_w+b}

    (cross-correlation, as in every deep-learning library: the kernel is not flipped).
    Slow; it is here to be read, and to check :func:`conv2d`.

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W)
    weight : array_like, shape (C_out, C_in, kh, kw)
    bias : array_like, shape (C_out,), optional
    stride : int or (int, int), default 1
    padding : int or (int, int), default 0
        Zeros added on each side of H and of W.

    Returns
    -------
    ndarray, shape (N, C_out, OH, OW)

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> w = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])     # x[i, j] - x[i+1, j+1]
    >>> conv2d_reference(x, w, bias=[10.0], stride=2)
    array([[[[5., 5.],
             [5., 5.]]]])
    """
    x, weight, bias, (sh, sw), padding, (oh, ow) = _conv_args(x, weight, bias, stride, padding)
    n_images, c_out, kh, kw = x.shape[0], weight.shape[0], weight.shape[2], weight.shape[3]
    padded = _pad(x, padding)
    y = np.zeros((n_images, c_out, oh, ow))
    for n in range(n_images):
        for k in range(c_out):
            for i in range(oh):
                for j in range(ow):
                    window = padded[n, :, i * sh : i * sh + kh, j * sw : j * sw + kw]
                    y[n, k, i, j] = np.sum(window * weight[k])  # over c, a and b
                    if bias is not None:
                        y[n, k, i, j] += bias[k]
    return y


def conv2d(
    x: ArrayLike,
    weight: ArrayLike,
    bias: ArrayLike | None = None,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
    *,
    cols: ArrayLike | None = None,
) -> Array:
    """2-D convolution (cross-correlation), vectorised: :func:`im2col` and one matrix product.

    Same numbers as :func:`conv2d_reference` and ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W)
    weight : array_like, shape (C_out, C_in, kh, kw)
    bias : array_like, shape (C_out,), optional
    stride : int or (int, int), default 1
    padding : int or (int, int), default 0
        Zeros added on each side of H and of W.
    cols : array_like, shape (N, C_in·kh·kw, OH·OW), optional
        ``im2col(x, (kh, kw), stride, padding)`` when the caller already has it (a layer
        keeps it for its backward pass, see :func:`conv2d_backward`); computed otherwise.

    Returns
    -------
    ndarray, shape (N, C_out, OH, OW)
        ``OH = conv_output_size(H, kh, sh, ph)``, ``OW = conv_output_size(W, kw, sw, pw)``.

    Raises
    ------
    ValueError
        If `x` or `weight` is not 4-D, the channels differ, `bias` is not ``(C_out,)``,
        the kernel is larger than the padded input, a stride is not positive, a
        padding is negative, or `cols` does not have the shape of ``im2col(x)``.

    Examples
    --------
    Two kernels on a two-channel image: each kernel sums over both channels.

    >>> x = np.stack([np.ones((3, 3)), 2 * np.ones((3, 3))])[None]    # (1, 2, 3, 3)
    >>> w = np.ones((2, 2, 2, 2))
    >>> w[1, 1] = 0.0                      # kernel 1 ignores channel 1
    >>> conv2d(x, w, bias=[0.0, 0.5], padding=1)[0, :, 0]   # first row: corner sees 1 pixel
    array([[3. , 6. , 6. , 3. ],
           [1.5, 2.5, 2.5, 1.5]])

    The product itself, with the matrix of windows made beforehand:

    >>> cols = im2col(x, 2, padding=1)                     # (N, C_in·kh·kw, OH·OW)
    >>> cols.shape, (w.reshape(2, -1) @ cols).shape        # one (2, 16) product per image
    ((1, 8, 16), (1, 2, 16))
    >>> bool(np.array_equal(conv2d(x, w, padding=1, cols=cols), conv2d(x, w, padding=1)))
    True
    """
    x, weight, bias, stride, padding, (oh, ow) = _conv_args(x, weight, bias, stride, padding)
    c_out, _, kh, kw = weight.shape
    kernel, out_hw = (kh, kw), (oh, ow)
    if cols is None:
        cols = _im2col(x, kernel, stride, padding)
    cols = _as_cols(cols, x.shape, kernel, out_hw)
    y = weight.reshape(c_out, -1) @ cols  # (N, C_out, OH·OW): Y_n = Wm X_n for every image n
    if bias is not None:
        y += bias[:, None]
    return y.reshape(x.shape[0], c_out, oh, ow)


def conv2d_backward(
    dout: ArrayLike,
    x: ArrayLike,
    weight: ArrayLike,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
    *,
    cols: ArrayLike | None = None,
) -> tuple[Array, Array, Array]:
    """Gradients of a convolution: ``(dx, dweight, dbias)`` from ``dout`` = ∂L/∂y.

    With ``X_n`` the matrix of windows of image ``n`` (``im2col(x)[n]``, shape
    ``(C_in·kh·kw, OH·OW)``), ``Wm`` the weights as ``(C_out, C_in·kh·kw)`` and ``dY_n``
    the output gradient of image ``n`` as ``(C_out, OH·OW)`` (so that ``Y_n = Wm X_n + b``):

    - ``dweight = Σ_n dY_n X_n^T``, reshaped to ``(C_out, C_in, kh, kw)``: each weight is
      used at every position of every image, so its gradient is a sum over all of them;
    - ``dbias = dY`` summed over images and positions, shape ``(C_out,)``;
    - ``dx = col2im(Wm^T dY)``: every input pixel collects the gradient of each window it
      lies in.

    Parameters
    ----------
    dout : array_like, shape (N, C_out, OH, OW)
    x, weight, stride, padding
        The arguments of the forward pass (:func:`conv2d`).
    cols : array_like, shape (N, C_in·kh·kw, OH·OW), optional
        ``im2col(x, ...)`` if the forward pass kept it; recomputed otherwise.

    Returns
    -------
    dx : ndarray, shape (N, C_in, H, W)
    dweight : ndarray, shape (C_out, C_in, kh, kw)
    dbias : ndarray, shape (C_out,)

    Examples
    --------
    With one 2×2 kernel on a 3×3 image, ∂L/∂w[a, b] sums dout times the pixels the
    weight met; with dout all ones that is the sum of each 2×2 sub-grid's corner:

    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> dx, dw, db = conv2d_backward(np.ones((1, 1, 2, 2)), x, np.ones((1, 1, 2, 2)))
    >>> dw[0, 0], db
    (array([[ 8., 12.],
           [20., 24.]]), array([4.]))
    >>> dx[0, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    x, weight, _, stride, padding, out_hw = _conv_args(x, weight, None, stride, padding)
    (n, c_out), kernel = (x.shape[0], weight.shape[0]), (weight.shape[2], weight.shape[3])
    dout = as_float_array(dout, "dout")
    if dout.shape != (n, c_out, *out_hw):
        raise ValueError(
            f"dout must have the shape of the output (N, C_out, OH, OW) = {(n, c_out, *out_hw)} "
            f"for x of shape {x.shape} and weight of shape {weight.shape}, got {dout.shape}"
        )
    if cols is None:
        cols = _im2col(x, kernel, stride, padding)
    cols = _as_cols(cols, x.shape, kernel, out_hw)
    d = dout.reshape(n, c_out, -1)  # dY_n, (C_out, OH·OW) for every image n
    # one (C_out, OH·OW) @ (OH·OW, C_in·kh·kw) product per image, then the sum over images
    dweight = (d @ cols.transpose(0, 2, 1)).sum(axis=0).reshape(weight.shape)
    # dY with the images side by side, (C_out, N·OH·OW): the bias sums its rows, and Wm^T dY
    # is one product over all images rather than N small ones (faster for small images);
    # col2im takes that product as (N, C_in·kh·kw, OH·OW), a view
    d_side_by_side = dout.transpose(1, 0, 2, 3).reshape(c_out, -1)
    dbias = d_side_by_side.sum(axis=1)
    dcols = weight.reshape(c_out, -1).T @ d_side_by_side
    dcols = dcols.reshape(-1, n, d.shape[2]).transpose(1, 0, 2)
    return _col2im(dcols, x.shape, kernel, stride, padding), dweight, dbias


# --------------------------------------------------------------------------------------------
# Pooling
# --------------------------------------------------------------------------------------------


def pool2d_reference(
    x: ArrayLike, kernel_size: IntOrPair, stride: IntOrPair | None = None, mode: str = "max"
) -> Array:
    """Max or average pooling written as plain loops: one window at a time.

    ``y[n, c, i, j]`` is the maximum (``mode="max"``) or the mean (``mode="avg"``) of
    ``x[n, c, i*sh : i*sh+kh, j*sw : j*sw+kw]``. Each channel is pooled on its own.
    Slow; it is here to be read, and to check :func:`max_pool2d` and :func:`avg_pool2d`.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    kernel_size : int or (int, int)
    stride : int or (int, int), optional
        Defaults to `kernel_size`. No padding.
    mode : {"max", "avg"}, default "max"

    Returns
    -------
    ndarray, shape (N, C, OH, OW)
        ``OH = conv_output_size(H, kh, sh)``, likewise ``OW``.

    Examples
    --------
    >>> x = np.array([[[[1.0, 2.0, 5.0, 0.0],
    ...                 [3.0, 4.0, 1.0, 1.0]]]])
    >>> pool2d_reference(x, 2), pool2d_reference(x, 2, mode="avg")
    (array([[[[4., 5.]]]]), array([[[[2.5 , 1.75]]]]))
    """
    x, (kh, kw), (sh, sw), (oh, ow) = _pool_args(x, kernel_size, stride)
    if mode not in ("max", "avg"):
        raise ValueError(f"mode must be 'max' or 'avg', got {mode!r}")
    reduce = np.max if mode == "max" else np.mean
    n_images, channels = x.shape[:2]
    y = np.zeros((n_images, channels, oh, ow))
    for n in range(n_images):
        for c in range(channels):
            for i in range(oh):
                for j in range(ow):
                    y[n, c, i, j] = reduce(x[n, c, i * sh : i * sh + kh, j * sw : j * sw + kw])
    return y


@overload
def max_pool2d(
    x: ArrayLike,
    kernel_size: IntOrPair,
    stride: IntOrPair | None = ...,
    *,
    return_indices: Literal[False] = ...,
) -> Array: ...
@overload
def max_pool2d(
    x: ArrayLike,
    kernel_size: IntOrPair,
    stride: IntOrPair | None = ...,
    *,
    return_indices: Literal[True],
) -> tuple[Array, NDArray[np.intp]]: ...
def max_pool2d(
    x: ArrayLike,
    kernel_size: IntOrPair,
    stride: IntOrPair | None = None,
    *,
    return_indices: bool = False,
) -> Array | tuple[Array, NDArray[np.intp]]:
    """Max pooling: the largest value of every ``kh × kw`` window of every channel.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    kernel_size : int or (int, int)
    stride : int or (int, int), optional
        Defaults to `kernel_size` (windows side by side, not overlapping). No padding;
        rows and columns that do not fill a last window are ignored (the floor in
        :func:`conv_output_size`).
    return_indices : bool, default False
        Also return where each maximum was, as in ``torch.nn.functional.max_pool2d``.

    Returns
    -------
    y : ndarray, shape (N, C, OH, OW)
    indices : ndarray of int, shape (N, C, OH, OW)
        Only with ``return_indices=True``: the position of each maximum within its
        channel, flattened (``row * W + col``). When several entries of a window share the
        maximum, the first in row-major order is chosen, as PyTorch's CPU kernel does;
        :func:`max_pool2d_backward` routes the whole gradient to it. A NaN in a window
        is its maximum (NaN propagates, as in PyTorch).

    Examples
    --------
    >>> x = np.array([[[[1.0, 2.0, 5.0, 0.0],
    ...                 [3.0, 4.0, 1.0, 1.0]]]])
    >>> y, idx = max_pool2d(x, 2, return_indices=True)
    >>> y, idx
    (array([[[[4., 5.]]]]), array([[[[5, 2]]]]))
    """
    x, (kh, kw), (sh, sw), (oh, ow) = _pool_args(x, kernel_size, stride)
    windows = _windows(x, (kh, kw), (sh, sw))  # (N, C, OH, OW, kh, kw), a view
    # one copy, kernel offsets first: stacked[a·kw + b] holds entry (a, b) of every window
    stacked = windows.transpose(4, 5, 0, 1, 2, 3).reshape(kh * kw, *windows.shape[:4])
    y: Array = stacked.max(axis=0)  # a NaN in a window makes its maximum NaN
    if not return_indices:
        return y
    # entry (a, b) of window (i, j) is at (i·sh + a)·W + (j·sw + b) in its channel, flattened:
    # the window's corner plus a shift a·W + b that is the same for every window
    width = x.shape[3]
    corner = np.arange(oh)[:, None] * (sh * width) + np.arange(ow) * sw  # (OH, OW)
    shifts = [a * width + b for a in range(kh) for b in range(kw)]  # by offset a·kw + b
    best = np.zeros(y.shape, dtype=np.intp)  # the shift of each window's maximum
    for offset in range(kh * kw - 1, -1, -1):  # last to first: the first maximum stays
        np.copyto(best, shifts[offset], where=stacked[offset] == y)
    if np.isnan(y).any():  # PyTorch's rule: the last NaN of a window is its argmax
        for offset in range(kh * kw):
            np.copyto(best, shifts[offset], where=np.isnan(stacked[offset]))
    return y, corner + best


def max_pool2d_backward(
    dout: ArrayLike, indices: ArrayLike, x_shape: tuple[int, int, int, int]
) -> Array:
    """Gradient of max pooling: each window's gradient goes to its maximum, the rest get 0.

    ``y = max(window)`` depends only on the winning entry, with slope 1. Where windows
    overlap (stride < kernel size) an entry that wins several windows collects the sum.

    Parameters
    ----------
    dout : array_like, shape (N, C, OH, OW)
    indices : array_like of int, shape (N, C, OH, OW)
        From ``max_pool2d(..., return_indices=True)``.
    x_shape : (N, C, H, W)

    Returns
    -------
    ndarray, shape x_shape

    Examples
    --------
    >>> x = np.array([[[[1.0, 2.0, 5.0, 0.0],
    ...                 [3.0, 4.0, 1.0, 1.0]]]])
    >>> _, idx = max_pool2d(x, 2, return_indices=True)
    >>> max_pool2d_backward(np.array([[[[10.0, 20.0]]]]), idx, x.shape)
    array([[[[ 0.,  0., 20.,  0.],
             [ 0., 10.,  0.,  0.]]]])
    """
    dout = as_float_array(dout, "dout")
    indices = np.asarray(indices)
    n, c, h, w = x_shape
    if indices.shape != dout.shape or dout.ndim != 4 or dout.shape[:2] != (n, c):
        raise ValueError(
            f"dout and indices must have the same shape (N, C, OH, OW) with (N, C) = {(n, c)} "
            f"of x_shape {tuple(x_shape)}, got dout of shape {dout.shape} and indices of "
            f"shape {indices.shape}"
        )
    # index of each winner in x.ravel(): its channel's offset plus its place in the channel
    offsets = np.arange(n * c).reshape(n, c, 1, 1) * (h * w)
    dx = np.bincount((indices + offsets).ravel(), weights=dout.ravel(), minlength=n * c * h * w)
    return dx.reshape(x_shape).astype(np.float64, copy=False)  # float already: no copy


def avg_pool2d(x: ArrayLike, kernel_size: IntOrPair, stride: IntOrPair | None = None) -> Array:
    """Average pooling: the mean of every ``kh × kw`` window of every channel.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    kernel_size : int or (int, int)
    stride : int or (int, int), optional
        Defaults to `kernel_size`. No padding.

    Returns
    -------
    ndarray, shape (N, C, OH, OW)

    Examples
    --------
    >>> avg_pool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2)
    array([[[[ 2.5,  4.5],
             [10.5, 12.5]]]])
    """
    x, kernel, stride, _ = _pool_args(x, kernel_size, stride)
    windows = _windows(x, kernel, stride)  # (N, C, OH, OW, kh, kw), a view
    total = windows[..., 0, 0].copy()
    for a in range(kernel[0]):  # one addition per kernel offset, over all windows at once
        for b in range(kernel[1]):
            if a or b:
                total += windows[..., a, b]
    return total / (kernel[0] * kernel[1])


def avg_pool2d_backward(
    dout: ArrayLike,
    x_shape: tuple[int, int, int, int],
    kernel_size: IntOrPair,
    stride: IntOrPair | None = None,
) -> Array:
    """Gradient of average pooling: each window spreads ``dout / (kh·kw)`` evenly over itself.

    Examples
    --------
    >>> avg_pool2d_backward(np.array([[[[4.0, 8.0]]]]), (1, 1, 2, 4), 2)
    array([[[[1., 1., 2., 2.],
             [1., 1., 2., 2.]]]])
    """
    dout = as_float_array(dout, "dout")
    kernel = as_int_pair(kernel_size, "kernel_size")
    stride = kernel if stride is None else as_int_pair(stride, "stride")
    shape = _as_image_shape(x_shape)
    expected = (*shape[:2], *_output_hw(shape, kernel, stride, (0, 0), "x_shape"))
    if dout.shape != expected:
        raise ValueError(
            f"dout must have the output shape (N, C, OH, OW) = {expected} for x_shape "
            f"{shape}, got {dout.shape}"
        )
    share = dout / (kernel[0] * kernel[1])
    return _add_windows(
        np.broadcast_to(share[..., None, None], (*dout.shape, *kernel)), shape, stride
    )
