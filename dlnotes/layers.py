"""Layers with explicit forward and backward passes.

Every layer follows one protocol:

``forward(x, training=True) -> y``
    Compute the output and remember what the backward pass needs.
    ``layer(x)`` is the same as ``layer.forward(x)``.
``backward(dout) -> dx``
    Given :math:`\\partial L/\\partial y` (same shape as ``y``) from the last
    forward pass, return :math:`\\partial L/\\partial x` and *overwrite* the
    ``.grad`` of the layer's parameters.
``parameters() -> list[Parameter]``
    The trainable arrays, in a fixed order.

Shapes and parameter names follow PyTorch (``Linear.weight`` is ``(out, in)``,
``Conv2d.weight`` is ``(C_out, C_in, kh, kw)``); images are ``(N, C, H, W)``.

Examples
--------
>>> import numpy as np
>>> from dlnotes.layers import Linear, ReLU, Sequential
>>> rng = np.random.default_rng(0)
>>> net = Sequential(Linear(2, 8, rng=rng), ReLU(), Linear(8, 1, rng=rng))
>>> x = rng.normal(size=(5, 2))
>>> net(x).shape
(5, 1)
>>> net.backward(np.ones((5, 1))).shape
(5, 2)
>>> [p.name for p in net.parameters()]
['0.weight', '0.bias', '2.weight', '2.bias']
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes import activations as F
from dlnotes import conv
from dlnotes._validation import (
    as_float_array,
    as_int_pair,
    check_positive_int,
    check_real,
    check_rng,
    check_unit_interval,
)

__all__ = [
    "AvgPool2d",
    "Conv2d",
    "Dropout",
    "Flatten",
    "Layer",
    "LeakyReLU",
    "Linear",
    "MaxPool2d",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softplus",
    "Softsign",
    "Tanh",
    "merge_linear",
]

Array = NDArray[np.floating]


class Parameter:
    """A trainable array and the gradient of the loss with respect to it.

    Parameters
    ----------
    value : array_like
        Initial value; stored as a float64 array (``.value``).
    name : str, default ""
        Name used in reports (``"weight"``, ``"0.bias"``, ...).

    Attributes
    ----------
    value : ndarray
        Current value, updated in place by optimisers.
    grad : ndarray
        :math:`\\partial L/\\partial \\text{value}`, same shape; zero until a
        backward pass writes it.

    Examples
    --------
    >>> p = Parameter([1.0, 2.0], name="bias")
    >>> p
    Parameter(name='bias', shape=(2,))
    >>> p.grad
    array([0., 0.])
    """

    def __init__(self, value: ArrayLike, name: str = "") -> None:
        self.value: Array = np.array(as_float_array(value, "value"), dtype=np.float64)
        self.grad: Array = np.zeros_like(self.value)
        self.name = name

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    def __repr__(self) -> str:
        return f"Parameter(name={self.name!r}, shape={self.shape})"


class Layer:
    """Base class: stores nothing, has no parameters, ``__call__`` is ``forward``."""

    def forward(self, x: ArrayLike, training: bool = True) -> Array:
        raise NotImplementedError

    def backward(self, dout: ArrayLike) -> Array:
        raise NotImplementedError

    def parameters(self) -> list[Parameter]:
        return []

    def __call__(self, x: ArrayLike, training: bool = True) -> Array:
        return self.forward(x, training=training)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def _saved(self, attr: str) -> Any:
        """Return what forward saved, or explain that forward must come first."""
        value = getattr(self, attr, None)
        if value is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        return value


def _check_dout(dout: ArrayLike, shape: tuple[int, ...], layer: Layer) -> Array:
    dout = as_float_array(dout, "dout")
    if dout.shape != shape:
        raise ValueError(
            f"{layer!r}.backward expects dout of shape {shape} (the output of the last "
            f"forward pass), got {dout.shape}"
        )
    return dout


class Linear(Layer):
    """Affine map :math:`y = x W^\\top + b`.

    Parameters
    ----------
    in_features, out_features : int
        Sizes of the last dimension of the input and of the output.
    rng : numpy.random.Generator
        Source of the initial weights: :math:`W, b \\sim U(-k, k)` with
        :math:`k = 1/\\sqrt{\\text{in\\_features}}`, PyTorch's default.

    Attributes
    ----------
    weight : Parameter, shape (out_features, in_features)
    bias : Parameter, shape (out_features,)

    Notes
    -----
    Shapes, for input ``x`` of shape ``(..., in)``:

    - forward: ``y = x @ W.T + b``, shape ``(..., out)``;
    - backward: ``dx = dout @ W`` ``(..., in)``;
      ``dW = dout^T x`` summed over all leading dimensions ``(out, in)``;
      ``db = dout`` summed likewise ``(out,)``.

    Examples
    --------
    >>> layer = Linear(3, 2, rng=np.random.default_rng(0))
    >>> layer.weight.value = np.array([[1.0, 0.0, -1.0], [0.5, 0.5, 0.5]])
    >>> layer.bias.value = np.array([0.0, 1.0])
    >>> layer(np.array([[1.0, 2.0, 3.0]]))
    array([[-2.,  4.]])
    """

    def __init__(self, in_features: int, out_features: int, *, rng: np.random.Generator) -> None:
        self.in_features = check_positive_int(in_features, "in_features")
        self.out_features = check_positive_int(out_features, "out_features")
        check_rng(rng)
        k = 1.0 / np.sqrt(in_features)
        self.weight = Parameter(rng.uniform(-k, k, size=(out_features, in_features)), "weight")
        self.bias = Parameter(rng.uniform(-k, k, size=out_features), "bias")
        self._x: Array | None = None

    def __repr__(self) -> str:
        return f"Linear({self.in_features}, {self.out_features})"

    def parameters(self) -> list[Parameter]:
        return [self.weight, self.bias]

    def forward(self, x: ArrayLike, training: bool = True) -> Array:
        x = as_float_array(x)
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(
                f"{self!r} expects input whose last dimension is {self.in_features}, "
                f"got x of shape {x.shape}"
            )
        self._x = x
        return x @ self.weight.value.T + self.bias.value

    def backward(self, dout: ArrayLike) -> Array:
        x = self._saved("_x")
        dout = _check_dout(dout, (*x.shape[:-1], self.out_features), self)
        d2 = dout.reshape(-1, self.out_features)
        self.weight.grad = d2.T @ x.reshape(-1, self.in_features)
        self.bias.grad = d2.sum(axis=0)
        return dout @ self.weight.value


class _Elementwise(Layer):
    """An activation layer: ``y = f(x)``, ``dx = dout * f'(x)``; no parameters."""

    _x: Array | None = None

    def _f(self, x: Array) -> Array:
        raise NotImplementedError

    def _df(self, x: Array) -> Array:
        raise NotImplementedError

    def forward(self, x: ArrayLike, training: bool = True) -> Array:
        self._x = as_float_array(x)
        return self._f(self._x)

    def backward(self, dout: ArrayLike) -> Array:
        x = self._saved("_x")
        return _check_dout(dout, x.shape, self) * self._df(x)


class ReLU(_Elementwise):
    """ReLU layer, :math:`\\max(0, x)`; see :func:`dlnotes.activations.relu`.

    Examples
    --------
    >>> ReLU()(np.array([-1.0, 2.0]))
    array([0., 2.])
    """

    _f = staticmethod(F.relu)
    _df = staticmethod(F.relu_grad)


class Sigmoid(_Elementwise):
    """Sigmoid layer, :math:`\\sigma(x)`; see :func:`dlnotes.activations.sigmoid`.

    Examples
    --------
    >>> Sigmoid()(np.array([0.0]))
    array([0.5])
    """

    _f = staticmethod(F.sigmoid)
    _df = staticmethod(F.sigmoid_grad)


class Tanh(_Elementwise):
    """Tanh layer; see :func:`dlnotes.activations.tanh`.

    Examples
    --------
    >>> Tanh()(np.array([0.0]))
    array([0.])
    """

    _f = staticmethod(F.tanh)
    _df = staticmethod(F.tanh_grad)


class Softsign(_Elementwise):
    """Softsign layer, :math:`x/(1+|x|)`; see :func:`dlnotes.activations.softsign`.

    Examples
    --------
    >>> Softsign()(np.array([1.0]))
    array([0.5])
    """

    _f = staticmethod(F.softsign)
    _df = staticmethod(F.softsign_grad)


class Softplus(_Elementwise):
    """Softplus layer, :math:`\\ln(1+e^x)`; see :func:`dlnotes.activations.softplus`.

    Examples
    --------
    >>> Softplus()(np.array([0.0])).round(4)
    array([0.6931])
    """

    _f = staticmethod(F.softplus)
    _df = staticmethod(F.softplus_grad)


class LeakyReLU(_Elementwise):
    """Leaky ReLU layer: :math:`x` for :math:`x>0`, :math:`\\alpha x` otherwise.

    Parameters
    ----------
    alpha : float, default 0.01
        Slope for negative inputs.

    Examples
    --------
    >>> LeakyReLU(0.1)(np.array([-1.0, 2.0]))
    array([-0.1,  2. ])
    """

    def __init__(self, alpha: float = 0.01) -> None:
        self.alpha = check_real(alpha, "alpha")

    def __repr__(self) -> str:
        return f"LeakyReLU(alpha={self.alpha})"

    def _f(self, x: Array) -> Array:
        return F.leaky_relu(x, self.alpha)

    def _df(self, x: Array) -> Array:
        return F.leaky_relu_grad(x, self.alpha)


class Dropout(Layer):
    """Inverted dropout: in training, each unit is dropped (set to 0) with probability `p`.

    In training mode every element of the input is kept independently with probability
    :math:`1-p`, and the kept ones are scaled by :math:`1/(1-p)`:

    .. math:: y = \\frac{m \\odot x}{1 - p}, \\qquad m_i \\sim \\text{Bernoulli}(1 - p),

    so that :math:`\\mathbb{E}[y_i] = x_i`: the next layer sees inputs of the same expected size
    in training and at test time. In evaluation mode (``training=False``) the layer is the
    identity — no mask, no scaling (this is what *inverted* means: the scaling is done while
    training, so nothing has to change at test time).

    The backward pass uses the mask of the last forward pass,
    :math:`\\partial L/\\partial x = m \\odot \\partial L/\\partial y \\,/\\, (1-p)`: a dropped unit
    passes no gradient back, so for that sample the weights into it and out of it get zero
    gradient and are not updated by it in this step. Each mini-batch trains a different
    random sub-network, and all of them share the weights: the trained network acts like
    an average over an ensemble of thinned networks.

    Parameters
    ----------
    p : float, default 0.5
        Probability of dropping a unit, :math:`0 \\le p < 1` (:math:`p = 0` keeps everything).
    rng : numpy.random.Generator
        Draws the masks.

    Attributes
    ----------
    mask : ndarray of bool or None
        Which elements the last training forward pass kept (same shape as its input);
        None after a forward pass in evaluation mode.

    Notes
    -----
    The same numbers as ``torch.nn.Dropout(p)`` given the same mask (PyTorch draws its
    masks from its own generator).

    Examples
    --------
    >>> drop = Dropout(0.5, rng=np.random.default_rng(0))
    >>> drop
    Dropout(p=0.5)
    >>> x = np.ones((2, 4))
    >>> drop(x)                                  # kept units are doubled
    array([[2., 0., 0., 0.],
           [2., 2., 2., 2.]])
    >>> drop.backward(np.full((2, 4), 3.0))      # the same mask in backward
    array([[6., 0., 0., 0.],
           [6., 6., 6., 6.]])
    >>> drop(x, training=False)                  # evaluation: the identity
    array([[1., 1., 1., 1.],
           [1., 1., 1., 1.]])

    Averaged over many masks, the output is the input:

    >>> float(np.mean([drop(np.array([1.0]))[0] for _ in range(10_000)]).round(2))
    1.0
    """

    def __init__(self, p: float = 0.5, *, rng: np.random.Generator) -> None:
        self.p = check_unit_interval(p, "p")
        self.rng = check_rng(rng)
        self.mask: NDArray[np.bool_] | None = None
        self._shape: tuple[int, ...] | None = None

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"

    def forward(self, x: ArrayLike, training: bool = True) -> Array:
        x = as_float_array(x)
        self._shape = x.shape
        if not training:
            self.mask = None
            return x
        self.mask = self.rng.random(x.shape) >= self.p  # kept with probability 1 - p
        return x * (self.mask / (1.0 - self.p))

    def backward(self, dout: ArrayLike) -> Array:
        dout = _check_dout(dout, self._saved("_shape"), self)
        if self.mask is None:  # the last forward pass was in evaluation mode
            return dout
        return dout * (self.mask / (1.0 - self.p))


class Sequential(Layer):
    """Layers applied one after another; backward runs them in reverse.

    Parameter names are prefixed with the layer's index, as in PyTorch
    (``"0.weight"``).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> net = Sequential(Linear(4, 3, rng=rng), Tanh(), Linear(3, 2, rng=rng))
    >>> len(net), net[1]
    (3, Tanh())
    """

    def __init__(self, *layers: Layer) -> None:
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"layer {i} must be a dlnotes Layer, got {type(layer).__name__}")
        self.layers = list(layers)
        for name, p in self._named_parameters():
            p.name = name

    def _named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        """Yield ``("<i>.<j>...<name>", parameter)``, one index per level of nesting."""
        for i, layer in enumerate(self.layers):
            if isinstance(layer, Sequential):
                yield from layer._named_parameters(f"{prefix}{i}.")
            else:
                for p in layer.parameters():
                    yield f"{prefix}{i}.{p.name.split('.')[-1]}", p

    def __repr__(self) -> str:
        inner = ",\n".join(f"  {layer!r}" for layer in self.layers)
        return f"Sequential(\n{inner}\n)"

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, i: int) -> Layer:
        return self.layers[i]

    def __iter__(self) -> Iterator[Layer]:
        return iter(self.layers)

    def parameters(self) -> list[Parameter]:
        return [p for layer in self.layers for p in layer.parameters()]

    def forward(self, x: ArrayLike, training: bool = True) -> Array:
        out = as_float_array(x)
        for layer in self.layers:
            out = layer.forward(out, training=training)
        return out

    def backward(self, dout: ArrayLike) -> Array:
        grad = as_float_array(dout, "dout")
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return grad


class Conv2d(Layer):
    """2-D convolution layer: ``out_channels`` kernels slid over a zero-padded image.

    .. math::

        y_{n,k,i,j} = b_k + \\sum_{c=0}^{C_\\text{in}-1} \\sum_{a=0}^{k_h-1}
            \\sum_{b=0}^{k_w-1} w_{k,c,a,b}\\; \\tilde x_{n,c,\\,iS_h+a,\\,jS_w+b}

    with :math:`\\tilde x` the input padded with zeros. Computed by
    :func:`dlnotes.conv.conv2d` (im2col and one matrix product); the loops of
    :func:`dlnotes.conv.conv2d_reference` give the same numbers.

    Parameters
    ----------
    in_channels, out_channels : int
        :math:`C_\\text{in}` (channels of the input) and :math:`C_\\text{out}` (number of
        kernels, hence of output feature maps).
    kernel_size : int or (int, int)
        ``(kh, kw)``; one int means a square kernel.
    stride : int or (int, int), default 1
        Step between neighbouring positions of the kernel, > 0.
    padding : int or (int, int), default 0
        Zeros added on each side of H and of W, >= 0. With stride 1, ``padding = (k-1)//2``
        for an odd kernel size ``k`` keeps H and W ("same" padding).
    rng : numpy.random.Generator
        Source of the initial weights: :math:`W, b \\sim U(-k, k)` with
        :math:`k = 1/\\sqrt{C_\\text{in} k_h k_w}`, PyTorch's default.

    Attributes
    ----------
    weight : Parameter, shape (C_out, C_in, kh, kw)
    bias : Parameter, shape (C_out,)

    Notes
    -----
    Shapes: input ``(N, C_in, H, W)``, output ``(N, C_out, OH, OW)`` with
    ``OH = conv_output_size(H, kh, sh, ph)`` and ``OW = conv_output_size(W, kw, sw, pw)``.
    The layer has :math:`C_\\text{out}(C_\\text{in} k_h k_w + 1)` parameters whatever H and
    W: every position uses the same kernels (parameter sharing). Backward, see
    :func:`dlnotes.conv.conv2d_backward`: each weight's gradient sums over all images and
    positions, and each pixel's over all windows that contain it.

    Examples
    --------
    Eight 3×3 kernels with "same" padding on a batch of two 8×8 grey images:

    >>> rng = np.random.default_rng(0)
    >>> layer = Conv2d(1, 8, 3, padding=1, rng=rng)
    >>> layer
    Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
    >>> y = layer(rng.normal(size=(2, 1, 8, 8)))
    >>> y.shape
    (2, 8, 8, 8)
    >>> sum(p.value.size for p in layer.parameters())       # 8 * (1*3*3 + 1)
    80
    >>> layer.backward(np.ones_like(y)).shape, layer.weight.grad.shape
    ((2, 1, 8, 8), (8, 1, 3, 3))
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        *,
        rng: np.random.Generator,
    ) -> None:
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.kernel_size = as_int_pair(kernel_size, "kernel_size")
        self.stride = as_int_pair(stride, "stride")
        self.padding = as_int_pair(padding, "padding", allow_zero=True)
        check_rng(rng)
        shape = (self.out_channels, self.in_channels, *self.kernel_size)
        k = 1.0 / np.sqrt(self.in_channels * self.kernel_size[0] * self.kernel_size[1])
        self.weight = Parameter(rng.uniform(-k, k, size=shape), "weight")
        self.bias = Parameter(rng.uniform(-k, k, size=self.out_channels), "bias")
        self._x_shape: tuple[int, ...] | None = None
        self._cols: Array | None = None
        self._out_shape: tuple[int, ...] = ()

    def __repr__(self) -> str:
        return (
            f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, padding={self.padding})"
        )

    def parameters(self) -> list[Parameter]:
        return [self.weight, self.bias]

    def forward(self, x: ArrayLike, training: bool = True) -> Array:
        x = as_float_array(x)
        if x.ndim != 4 or x.shape[1] != self.in_channels:
            raise ValueError(
                f"{self!r} expects input of shape (N, {self.in_channels}, H, W), "
                f"got x of shape {x.shape}"
            )
        args = conv._conv_args(x, self.weight.value, self.bias.value, self.stride, self.padding)
        y, self._cols = conv._conv2d_forward(*args)
        self._x_shape, self._out_shape = x.shape, y.shape
        return y

    def backward(self, dout: ArrayLike) -> Array:
        x_shape = self._saved("_x_shape")
        dout = _check_dout(dout, self._out_shape, self)
        dx, self.weight.grad, self.bias.grad = conv._conv2d_backward(
            dout, x_shape, self.weight.value, self.stride, self.padding, self._cols
        )
        return dx


class _Pool2d(Layer):
    """Shared by the pooling layers: window size and stride, no parameters."""

    def __init__(
        self, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] | None = None
    ) -> None:
        self.kernel_size = as_int_pair(kernel_size, "kernel_size")
        self.stride = self.kernel_size if stride is None else as_int_pair(stride, "stride")
        self._x_shape: tuple[int, ...] | None = None
        self._indices: NDArray[np.intp] | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kernel_size={self.kernel_size}, stride={self.stride})"


class MaxPool2d(_Pool2d):
    """Max pooling layer: the largest value of every ``kh × kw`` window of every channel.

    No parameters. A feature that moves by less than the window often stays in the
    same window and gives the same output: a small shift barely changes the result.

    Parameters
    ----------
    kernel_size : int or (int, int)
    stride : int or (int, int), optional
        Defaults to `kernel_size` (windows side by side). No padding: rows and columns
        that do not fill a last window are dropped.

    Notes
    -----
    Shapes: ``(N, C, H, W) -> (N, C, OH, OW)``,
    ``OH = conv_output_size(H, kh, sh)``. Backward: each window's gradient goes to its
    maximum only; on ties, to the first maximum in row-major order, as in PyTorch (see
    :func:`dlnotes.conv.max_pool2d`).

    Examples
    --------
    >>> pool = MaxPool2d(2)
    >>> x = np.array([[[[1.0, 2.0, 5.0, 0.0],
    ...                 [3.0, 4.0, 1.0, 1.0]]]])
    >>> pool(x)
    array([[[[4., 5.]]]])
    >>> pool.backward(np.array([[[[10.0, 20.0]]]]))
    array([[[[ 0.,  0., 20.,  0.],
             [ 0., 10.,  0.,  0.]]]])
    """

    def forward(self, x: ArrayLike, training: bool = True) -> Array:
        x, kernel, stride, out_hw = conv._pool_args(x, self.kernel_size, self.stride)
        y, self._indices = conv._max_pool2d(x, kernel, stride, out_hw)
        self._x_shape = x.shape
        return y

    def backward(self, dout: ArrayLike) -> Array:
        x_shape = self._saved("_x_shape")
        dout = _check_dout(dout, self._indices.shape, self)
        return conv.max_pool2d_backward(dout, self._indices, x_shape)


class AvgPool2d(_Pool2d):
    """Average pooling layer: the mean of every ``kh × kw`` window of every channel.

    Parameters and shapes as in :class:`MaxPool2d`. Backward: each window spreads
    ``dout / (kh·kw)`` evenly over its entries (:func:`dlnotes.conv.avg_pool2d_backward`).

    Examples
    --------
    >>> pool = AvgPool2d(2)
    >>> pool(np.arange(16.0).reshape(1, 1, 4, 4))
    array([[[[ 2.5,  4.5],
             [10.5, 12.5]]]])
    >>> pool.backward(np.ones((1, 1, 2, 2)))[0, 0, 0]
    array([0.25, 0.25, 0.25, 0.25])
    """

    _out_shape: tuple[int, ...] = ()

    def forward(self, x: ArrayLike, training: bool = True) -> Array:
        y = conv.avg_pool2d(x, self.kernel_size, self.stride)
        self._x_shape, self._out_shape = np.shape(x), y.shape
        return y

    def backward(self, dout: ArrayLike) -> Array:
        x_shape = self._saved("_x_shape")
        dout = _check_dout(dout, self._out_shape, self)
        return conv.avg_pool2d_backward(dout, x_shape, self.kernel_size, self.stride)


class Flatten(Layer):
    """Flatten every sample: ``(N, d1, d2, ...) -> (N, d1·d2·...)``; backward reshapes back.

    Sits between the convolutional part of a network and its fully connected classifier.
    The order of the features is C-order (channel, then row, then column for images),
    as in ``torch.nn.Flatten``.

    Examples
    --------
    >>> flat = Flatten()
    >>> flat(np.zeros((2, 8, 4, 4))).shape
    (2, 128)
    >>> flat.backward(np.ones((2, 128))).shape
    (2, 8, 4, 4)
    """

    _x_shape: tuple[int, ...] | None = None

    def forward(self, x: ArrayLike, training: bool = True) -> Array:
        x = as_float_array(x)
        if x.ndim < 2:
            raise ValueError(
                f"Flatten expects input of shape (N, ...) with at least 2 dimensions, "
                f"got x of shape {x.shape}"
            )
        self._x_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout: ArrayLike) -> Array:
        x_shape = self._saved("_x_shape")
        dout = _check_dout(dout, (x_shape[0], int(np.prod(x_shape[1:]))), self)
        return dout.reshape(x_shape)


def merge_linear(*layers: Linear) -> Linear:
    """Collapse a chain of `Linear` layers with nothing between them into one.

    :math:`W_2(W_1 x + b_1) + b_2 = (W_2 W_1)\\,x + (W_2 b_1 + b_2)`: without an
    activation function, any depth of linear layers is a single linear map.

    Parameters
    ----------
    *layers : Linear
        Layers in the order they are applied; each one's ``in_features`` must
        equal the previous one's ``out_features``.

    Returns
    -------
    Linear
        A new layer computing the same function.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> a, b, c = Linear(3, 5, rng=rng), Linear(5, 4, rng=rng), Linear(4, 2, rng=rng)
    >>> x = rng.normal(size=(6, 3))
    >>> one = merge_linear(a, b, c)
    >>> one.weight.shape
    (2, 3)
    >>> bool(np.allclose(one(x), c(b(a(x)))))
    True
    """
    if not layers:
        raise ValueError("merge_linear needs at least one Linear layer")
    for i, layer in enumerate(layers):
        if not isinstance(layer, Linear):
            raise TypeError(f"layer {i} must be Linear, got {type(layer).__name__}")
    weight, bias = layers[0].weight.value, layers[0].bias.value
    for prev, layer in itertools.pairwise(layers):
        if layer.in_features != prev.out_features:
            raise ValueError(f"cannot chain {prev!r} into {layer!r}: sizes differ")
        weight = layer.weight.value @ weight
        bias = layer.weight.value @ bias + layer.bias.value
    merged = Linear(layers[0].in_features, layers[-1].out_features, rng=np.random.default_rng(0))
    merged.weight.value, merged.bias.value = weight.copy(), bias.copy()
    return merged
