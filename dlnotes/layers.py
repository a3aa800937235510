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

:class:`Parameter` and the base class :class:`Layer` are published here; they are defined
in ``dlnotes._core``, which the optimisers import without the layers.

Shapes and parameter names follow PyTorch (``Linear.weight`` is ``(out, in)``,
``Conv2d.weight`` is ``(C_out, C_in, kh, kw)``, ``RNN``/``LSTM`` have ``weight_ih``,
``weight_hh``, ``bias_ih``, ``bias_hh``); images are ``(N, C, H, W)``, sequences
batch-first ``(N, T, D)``.

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
from collections.abc import Callable, Iterator, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes import activations as F
from dlnotes import conv, recurrent
from dlnotes._core import Layer, Parameter, check_dout
from dlnotes._validation import (
    as_float_array,
    as_int_pair,
    check_positive_int,
    check_real,
    check_rng,
    check_unit_interval,
)
from dlnotes.init import default_uniform, zeros_

__all__ = [
    "LSTM",
    "RNN",
    "AvgPool2d",
    "Conv2d",
    "Dropout",
    "Flatten",
    "LastStep",
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
    "mlp",
]

Array = NDArray[np.floating]


class Linear(Layer):
    """Affine map :math:`y = x W^\\top + b`.

    Parameters
    ----------
    in_features, out_features : int
        Sizes of the last dimension of the input and of the output.
    rng : numpy.random.Generator
        Source of the initial weights: :math:`W, b \\sim U(-k, k)` with
        :math:`k = 1/\\sqrt{\\text{in\\_features}}`, PyTorch's default
        (:func:`dlnotes.init.default_uniform`).

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
        shape = (self.out_features, self.in_features)
        self.weight = Parameter(default_uniform(shape, self.in_features, rng=rng), "weight")
        self.bias = Parameter(default_uniform(self.out_features, self.in_features, rng=rng), "bias")
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
        dout = check_dout(dout, (*x.shape[:-1], self.out_features), self)
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
        return check_dout(dout, x.shape, self) * self._df(x)


class ReLU(_Elementwise):
    """ReLU layer, :math:`\\max(0, x)`; see :func:`dlnotes.activations.relu`.

    Examples
    --------
    >>> relu = ReLU()
    >>> relu(np.array([-1.0, 2.0]))
    array([0., 2.])
    >>> relu.backward(np.array([5.0, 5.0]))          # no gradient through a negative input
    array([0., 5.])
    """

    _f = staticmethod(F.relu)
    _df = staticmethod(F.relu_grad)


class Sigmoid(_Elementwise):
    """Sigmoid layer, :math:`\\sigma(x)`; see :func:`dlnotes.activations.sigmoid`.

    Examples
    --------
    >>> sigmoid = Sigmoid()
    >>> sigmoid(np.array([0.0])), sigmoid.backward(np.array([1.0]))   # the slope at 0 is 1/4
    (array([0.5]), array([0.25]))
    """

    _f = staticmethod(F.sigmoid)
    _df = staticmethod(F.sigmoid_grad)


class Tanh(_Elementwise):
    """Tanh layer; see :func:`dlnotes.activations.tanh`.

    Examples
    --------
    >>> tanh = Tanh()
    >>> tanh(np.array([-20.0, 0.0, 20.0])).round(6)  # zero-centred, saturated at -1 and 1
    array([-1.,  0.,  1.])
    >>> tanh.backward(np.ones(3)).round(6)           # slope 1 at 0, none once saturated
    array([0., 1., 0.])
    """

    _f = staticmethod(F.tanh)
    _df = staticmethod(F.tanh_grad)


class Softsign(_Elementwise):
    """Softsign layer, :math:`x/(1+|x|)`; see :func:`dlnotes.activations.softsign`.

    Examples
    --------
    >>> Softsign()(np.array([-3.0, 1.0]))            # slower to saturate than tanh
    array([-0.75,  0.5 ])
    """

    _f = staticmethod(F.softsign)
    _df = staticmethod(F.softsign_grad)


class Softplus(_Elementwise):
    """Softplus layer, :math:`\\ln(1+e^x)`; see :func:`dlnotes.activations.softplus`.

    Examples
    --------
    >>> softplus = Softplus()
    >>> softplus(np.array([0.0])).round(4)           # ln 2
    array([0.6931])
    >>> softplus.backward(np.array([1.0]))           # its slope is the sigmoid
    array([0.5])
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
        dout = check_dout(dout, self._saved("_shape"), self)
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
        fan_in = self.in_channels * self.kernel_size[0] * self.kernel_size[1]
        self.weight = Parameter(default_uniform(shape, fan_in, rng=rng), "weight")
        self.bias = Parameter(default_uniform(self.out_channels, fan_in, rng=rng), "bias")
        self._x: Array | None = None
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
        # the matrix of windows, made once: the backward pass needs it too
        self._cols = conv.im2col(x, self.kernel_size, self.stride, self.padding)
        y = conv.conv2d(
            x, self.weight.value, self.bias.value, self.stride, self.padding, cols=self._cols
        )
        self._x, self._out_shape = x, y.shape
        return y

    def backward(self, dout: ArrayLike) -> Array:
        x = self._saved("_x")
        dout = check_dout(dout, self._out_shape, self)
        dx, self.weight.grad, self.bias.grad = conv.conv2d_backward(
            dout, x, self.weight.value, self.stride, self.padding, cols=self._cols
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
        y, self._indices = conv.max_pool2d(x, self.kernel_size, self.stride, return_indices=True)
        self._x_shape = np.shape(x)
        return y

    def backward(self, dout: ArrayLike) -> Array:
        x_shape, indices = self._saved("_x_shape"), self._saved("_indices")
        dout = check_dout(dout, indices.shape, self)
        return conv.max_pool2d_backward(dout, indices, x_shape)


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
        dout = check_dout(dout, self._out_shape, self)
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
        dout = check_dout(dout, (x_shape[0], int(np.prod(x_shape[1:]))), self)
        return dout.reshape(x_shape)


class _Recurrent(Layer):
    """Shared by RNN and LSTM: sizes, the four PyTorch-named parameters, their init."""

    _gates = 1  # G: blocks of H rows stacked in the weights

    def __init__(self, input_size: int, hidden_size: int, *, rng: np.random.Generator) -> None:
        self.input_size = check_positive_int(input_size, "input_size")
        self.hidden_size = check_positive_int(hidden_size, "hidden_size")
        check_rng(rng)
        rows, d, h = self._gates * self.hidden_size, self.input_size, self.hidden_size
        self.weight_ih = Parameter(default_uniform((rows, d), h, rng=rng), "weight_ih")
        self.weight_hh = Parameter(default_uniform((rows, h), h, rng=rng), "weight_hh")
        self.bias_ih = Parameter(default_uniform(rows, h, rng=rng), "bias_ih")
        self.bias_hh = Parameter(default_uniform(rows, h, rng=rng), "bias_hh")
        self._x: Array | None = None
        self._h0: ArrayLike | None = None
        self._hs: Array | None = None
        self.h_n: Array | None = None
        self.dh0: Array | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.input_size}, {self.hidden_size})"

    def parameters(self) -> list[Parameter]:
        return [self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh]

    def _check_input(self, x: ArrayLike, training: bool) -> Array:
        """`x` as an array ``(N, T, input_size)``, or an error naming this layer; the initial
        states are checked by the functions of :mod:`dlnotes.recurrent`."""
        if not isinstance(training, bool | np.bool_):  # e.g. an initial state passed by position
            raise TypeError(
                f"{self!r}: training must be True or False, got {type(training).__name__}; "
                f"pass initial states by name (h0=..., c0=...)"
            )
        return recurrent.check_sequence(x, self.input_size, repr(self))

    def _set_grads(self, *grads: Array) -> None:
        """Store dweight_ih, dweight_hh, dbias_ih, dbias_hh as the parameters' gradients."""
        for p, grad in zip(self.parameters(), grads, strict=True):
            p.grad = grad


class RNN(_Recurrent):
    """Elman RNN with tanh: one hidden state carried along the sequence, the same weights
    at every step.

    .. math:: h_t = \\tanh(x_t W_{ih}^\\top + b_{ih} + h_{t-1} W_{hh}^\\top + b_{hh}),
        \\qquad t = 1, \\dots, T

    Unrolled in time it is a ``T``-layer network whose layers share their weights; the
    output is every hidden state. The same numbers as
    ``torch.nn.RNN(input_size, hidden_size, batch_first=True)`` (one layer).

    Parameters
    ----------
    input_size : int
        ``D``, the number of features of each step.
    hidden_size : int
        ``H``, the size of the hidden state.
    rng : numpy.random.Generator
        Every weight and bias is drawn from :math:`U(-k, k)`, :math:`k = 1/\\sqrt H`,
        PyTorch's default.

    Attributes
    ----------
    weight_ih : Parameter, shape (H, D)
    weight_hh : Parameter, shape (H, H)
    bias_ih, bias_hh : Parameter, shape (H,)
        :math:`H(D + H + 2)` numbers in all, whatever the length of the sequences.
    h_n : ndarray, shape (N, H)
        The final hidden state :math:`h_T` of the last forward pass (``output[:, -1]``);
        pass it as ``h0`` to continue a sequence.
    dh0 : ndarray, shape (N, H)
        :math:`\\partial L/\\partial h_0` from the last backward pass.

    Notes
    -----
    Shapes: ``forward(x (N, T, D), *, h0 (N, H) = zeros) -> (N, T, H)``;
    ``backward(dout (N, T, H)) -> dx (N, T, D)``, where ``dout[:, t]`` is the gradient of
    the loss with respect to output ``t`` from the layers above (zero where unused).

    The backward pass is full back-propagation through time (see
    :func:`dlnotes.recurrent.rnn_backward` for the derivation): the gradient reaching
    :math:`h_{t-1}` is the one reaching :math:`h_t` times :math:`\\operatorname{diag}(1 -
    h_t^2)\\,W_{hh}`, so over many steps it vanishes (small :math:`W_{hh}`, saturated tanh)
    or explodes (large :math:`W_{hh}`). Against explosion, clip the gradients before the
    optimiser's step: :func:`dlnotes.optim.clip_grad_norm`.

    Patterns of use, with :class:`LastStep` and :class:`Linear` (which acts on the last
    axis, so it also maps ``(N, T, H)`` to ``(N, T, K)``):

    - many-to-one (a label per sequence): ``Sequential(RNN(D, H), LastStep(), Linear(H, K))``;
    - many-to-many, aligned (a label per step): ``Sequential(RNN(D, H), Linear(H, K))``.

    Examples
    --------
    >>> rnn = RNN(3, 4, rng=np.random.default_rng(0))
    >>> x = np.random.default_rng(1).normal(size=(2, 5, 3))      # N = 2, T = 5, D = 3
    >>> out = rnn(x)
    >>> out.shape, rnn.h_n.shape
    ((2, 5, 4), (2, 4))
    >>> bool(np.array_equal(rnn.h_n, out[:, -1]))
    True
    >>> rnn.backward(np.ones_like(out)).shape
    (2, 5, 3)
    >>> [(p.name, p.shape) for p in rnn.parameters()]
    [('weight_ih', (4, 3)), ('weight_hh', (4, 4)), ('bias_ih', (4,)), ('bias_hh', (4,))]

    One step by hand (``T = 1``, one unit): :math:`h_1 = \\tanh(2 \\cdot 0.5 + 0.1 + 0.25
    \\cdot 1 + 0.2) = \\tanh(1.55)`.

    >>> rnn = RNN(1, 1, rng=np.random.default_rng(0))
    >>> rnn.weight_ih.value[:] = 0.5
    >>> rnn.weight_hh.value[:] = 0.25
    >>> rnn.bias_ih.value[:], rnn.bias_hh.value[:] = 0.1, 0.2
    >>> bool(np.isclose(rnn(np.array([[[2.0]]]), h0=np.array([[1.0]]))[0, 0, 0], np.tanh(1.55)))
    True

    A classifier of whole sequences (many-to-one):

    >>> rng = np.random.default_rng(0)
    >>> net = Sequential(RNN(3, 8, rng=rng), LastStep(), Linear(8, 2, rng=rng))
    >>> net(x).shape
    (2, 2)
    """

    def __call__(
        self, x: ArrayLike, training: bool = True, *, h0: ArrayLike | None = None
    ) -> Array:
        return self.forward(x, training, h0=h0)

    def forward(self, x: ArrayLike, training: bool = True, *, h0: ArrayLike | None = None) -> Array:
        """All hidden states ``(N, T, H)`` for input ``(N, T, D)``, from `h0` (zeros if None).

        `training` changes nothing (there is no dropout); the initial state is passed by
        name: ``rnn(x, h0=h)``.
        """
        x = self._check_input(x, training)
        hs = recurrent.rnn_forward(
            x, self.weight_ih.value, self.weight_hh.value, self.bias_ih.value,
            self.bias_hh.value, h0,
        )  # fmt: skip
        self._x, self._h0, self._hs = x, h0, hs
        self.h_n = hs[:, -1].copy()
        return hs

    def backward(self, dout: ArrayLike) -> Array:
        """BPTT: ``dx`` ``(N, T, D)``; writes every ``.grad`` and ``dh0``."""
        x, hs = self._saved("_x"), self._saved("_hs")
        dout = check_dout(dout, hs.shape, self)
        dx, *grads, self.dh0 = recurrent.rnn_backward(
            dout, x, hs, self.weight_ih.value, self.weight_hh.value, self._h0
        )
        self._set_grads(*grads)
        return dx


class LSTM(_Recurrent):
    """Long short-term memory: a cell state :math:`c_t` that gates decide to keep, write
    and show.

    With the four gates stacked in PyTorch's order *i, f, g, o*,

    .. math::

        i_t &= \\sigma(x_t W_{ii}^\\top + b_{ii} + h_{t-1} W_{hi}^\\top + b_{hi}) \\\\
        f_t &= \\sigma(x_t W_{if}^\\top + b_{if} + h_{t-1} W_{hf}^\\top + b_{hf}) \\\\
        g_t &= \\tanh(x_t W_{ig}^\\top + b_{ig} + h_{t-1} W_{hg}^\\top + b_{hg}) \\\\
        o_t &= \\sigma(x_t W_{io}^\\top + b_{io} + h_{t-1} W_{ho}^\\top + b_{ho}) \\\\
        c_t &= f_t \\odot c_{t-1} + i_t \\odot g_t \\\\
        h_t &= o_t \\odot \\tanh(c_t)

    The input gate :math:`i_t` says how much of the candidate :math:`g_t` (:math:`\\tilde
    C_t` in the notes) to write, the forget gate :math:`f_t` how much of the old cell to
    keep, the output gate :math:`o_t` how much of the cell to show in :math:`h_t`: the
    sigmoid gates are soft selections in :math:`(0, 1)`, applied elementwise.

    :math:`W_{ii}, W_{if}, W_{ig}, W_{io}` are the row blocks ``[0:H]``, ``[H:2H]``,
    ``[2H:3H]``, ``[3H:4H]`` of ``weight_ih``; likewise for ``weight_hh`` and the biases.
    The same numbers as ``torch.nn.LSTM(input_size, hidden_size, batch_first=True)``.

    Parameters
    ----------
    input_size : int
        ``D``, the number of features of each step.
    hidden_size : int
        ``H``, the size of the hidden and of the cell state.
    rng : numpy.random.Generator
        Every weight and bias is drawn from :math:`U(-k, k)`, :math:`k = 1/\\sqrt H`,
        PyTorch's default.

    Attributes
    ----------
    weight_ih : Parameter, shape (4H, D)
    weight_hh : Parameter, shape (4H, H)
    bias_ih, bias_hh : Parameter, shape (4H,)
        :math:`4H(D + H + 2)` numbers in all: four times an RNN of the same size.
    h_n, c_n : ndarray, shape (N, H)
        Final hidden and cell states of the last forward pass.
    gates : dict of str to ndarray, shape (N, T, H)
        ``gates["i"]``, ``gates["f"]``, ``gates["g"]``, ``gates["o"]``: the activations of
        the last forward pass at every step, for plotting (:math:`i, f, o \\in (0, 1)`,
        :math:`g \\in (-1, 1)`).
    cell_states : ndarray, shape (N, T, H)
        :math:`c_1, \\dots, c_T` of the last forward pass.
    dh0, dc0 : ndarray, shape (N, H)
        :math:`\\partial L/\\partial h_0` and :math:`\\partial L/\\partial c_0` from the last
        backward pass.

    Notes
    -----
    Shapes: ``forward(x (N, T, D), *, h0 (N, H) = zeros, c0 (N, H) = zeros) -> (N, T, H)``;
    ``backward(dout (N, T, H)) -> dx (N, T, D)``.

    Backward is full BPTT (derived in :func:`dlnotes.recurrent.lstm_backward`). Along the
    cell state the gradient is only multiplied by the forget gate,
    :math:`\\partial c_t/\\partial c_{t-1} = \\operatorname{diag}(f_t)`: no weight matrix, no
    tanh derivative, so with :math:`f_t` near 1 it reaches early steps that an RNN's
    gradient no longer reaches. Gradients can still grow large: clip them with
    :func:`dlnotes.optim.clip_grad_norm`. Heads for many-to-one and many-to-many tasks as
    for :class:`RNN`, e.g. ``Sequential(LSTM(D, H), LastStep(), Linear(H, K))``.

    Examples
    --------
    >>> lstm = LSTM(3, 4, rng=np.random.default_rng(0))
    >>> x = np.random.default_rng(1).normal(size=(2, 5, 3))
    >>> out = lstm(x)
    >>> out.shape, lstm.c_n.shape, lstm.gates["f"].shape, lstm.cell_states.shape
    ((2, 5, 4), (2, 4), (2, 5, 4), (2, 5, 4))
    >>> sum(p.value.size for p in lstm.parameters())     # 4H(D + H + 2) = 16 * 9
    144
    >>> lstm.backward(np.ones_like(out)).shape
    (2, 5, 3)

    One step by hand (``T = 1``, one unit, all weights 0): the pre-activations are the bias
    sums :math:`(0, 0, 1, 0)`, so :math:`i = f = o = \\sigma(0) = 0.5`, :math:`g = \\tanh 1`,
    :math:`c_1 = 0.5 c_0 + 0.5 \\tanh 1` and :math:`h_1 = 0.5 \\tanh c_1`.

    >>> lstm = LSTM(1, 1, rng=np.random.default_rng(0))
    >>> for p in lstm.parameters():
    ...     p.value[:] = 0.0
    >>> lstm.bias_ih.value[2] = 1.0                      # the candidate's bias
    >>> h = lstm(np.array([[[3.0]]]), h0=np.array([[0.7]]), c0=np.array([[2.0]]))
    >>> c1 = 0.5 * 2.0 + 0.5 * np.tanh(1.0)
    >>> bool(np.isclose(lstm.c_n[0, 0], c1)), bool(np.isclose(h[0, 0, 0], 0.5 * np.tanh(c1)))
    (True, True)
    """

    _gates = 4

    def __init__(self, input_size: int, hidden_size: int, *, rng: np.random.Generator) -> None:
        super().__init__(input_size, hidden_size, rng=rng)
        self._c0: ArrayLike | None = None
        self._gate_values: Array | None = None
        self.c_n: Array | None = None
        self.cell_states: Array | None = None
        self.gates: dict[str, Array] = {}
        self.dc0: Array | None = None

    def __call__(
        self,
        x: ArrayLike,
        training: bool = True,
        *,
        h0: ArrayLike | None = None,
        c0: ArrayLike | None = None,
    ) -> Array:
        return self.forward(x, training, h0=h0, c0=c0)

    def forward(
        self,
        x: ArrayLike,
        training: bool = True,
        *,
        h0: ArrayLike | None = None,
        c0: ArrayLike | None = None,
    ) -> Array:
        """All hidden states ``(N, T, H)`` for input ``(N, T, D)``, from `h0`, `c0` (zeros
        if None); also sets ``h_n``, ``c_n``, ``gates``, ``cell_states``.

        `training` changes nothing; the initial states are passed by name:
        ``lstm(x, h0=h, c0=c)``.
        """
        x = self._check_input(x, training)
        hs, cs, gates = recurrent.lstm_forward(
            x, self.weight_ih.value, self.weight_hh.value, self.bias_ih.value,
            self.bias_hh.value, h0, c0,
        )  # fmt: skip
        self._x, self._h0, self._c0, self._hs = x, h0, c0, hs
        self._gate_values, self.cell_states = gates, cs
        H = self.hidden_size
        self.gates = {name: gates[..., k * H : (k + 1) * H] for k, name in enumerate("ifgo")}
        self.h_n, self.c_n = hs[:, -1].copy(), cs[:, -1].copy()
        return hs

    def backward(self, dout: ArrayLike) -> Array:
        """BPTT: ``dx`` ``(N, T, D)``; writes every ``.grad``, ``dh0`` and ``dc0``."""
        x, hs = self._saved("_x"), self._saved("_hs")
        dout = check_dout(dout, hs.shape, self)
        dx, *grads, self.dh0, self.dc0 = recurrent.lstm_backward(
            dout, x, hs, self._saved("cell_states"), self._saved("_gate_values"),
            self.weight_ih.value, self.weight_hh.value, self._h0, self._c0,
        )  # fmt: skip
        self._set_grads(*grads)
        return dx


class LastStep(Layer):
    """The last time step of a sequence: ``(N, T, H) -> (N, H)``, for many-to-one heads.

    ``Sequential(LSTM(D, H, rng=rng), LastStep(), Linear(H, K, rng=rng))`` classifies a
    whole sequence from the final hidden state :math:`h_T`. Backward puts the incoming
    gradient at step ``T`` and zeros at every other step: the loss depends on the earlier
    outputs only through the recurrence, which the recurrent layer's BPTT follows.

    Examples
    --------
    >>> last = LastStep()
    >>> x = np.arange(12.0).reshape(1, 3, 4)
    >>> last(x)
    array([[ 8.,  9., 10., 11.]])
    >>> last.backward(np.ones((1, 4)))
    array([[[0., 0., 0., 0.],
            [0., 0., 0., 0.],
            [1., 1., 1., 1.]]])
    """

    _x_shape: tuple[int, ...] | None = None

    def forward(self, x: ArrayLike, training: bool = True) -> Array:
        x = as_float_array(x)
        if x.ndim != 3 or x.shape[1] == 0:
            raise ValueError(
                f"LastStep expects a batch-first sequence of shape (N, T, H) with T >= 1, "
                f"got x of shape {x.shape}"
            )
        self._x_shape = x.shape
        return x[:, -1].copy()

    def backward(self, dout: ArrayLike) -> Array:
        n, steps, hidden = self._saved("_x_shape")
        dout = check_dout(dout, (n, hidden), self)
        dx = np.zeros((n, steps, hidden), dtype=dout.dtype)
        dx[:, -1] = dout
        return dx


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


def mlp(
    sizes: Sequence[int],
    activation: Callable[[], Layer] = ReLU,
    *,
    rng: np.random.Generator,
    weight_init: Callable[..., object] | None = None,
) -> Sequential:
    """A multilayer perceptron: ``Linear`` layers with an activation between each two.

    ``mlp([64, 256, 128, 10], ReLU, rng=rng)`` is ``Sequential(Linear(64, 256), ReLU(),
    Linear(256, 128), ReLU(), Linear(128, 10))``: no activation after the last layer, whose
    outputs are the scores (logits) a loss takes.

    Parameters
    ----------
    sizes : sequence of int
        The widths from input to output, at least two; ``len(sizes) - 1`` linear layers.
    activation : callable, default ReLU
        Called with no argument for each activation layer (a layer class such as
        :class:`Tanh`, or ``lambda: LeakyReLU(0.1)``).
    rng : numpy.random.Generator
        Draws the linear layers' weights, layer by layer from the input side.
    weight_init : callable, optional
        An initialiser such as :func:`dlnotes.init.kaiming_normal_`: each layer's weight is
        redrawn with ``weight_init(weight, rng=rng)`` as soon as the layer is made, and its
        bias set to zero. By default the layers keep :class:`Linear`'s own initialisation.

    Returns
    -------
    Sequential
        The network; the same random draws, in the same order, as writing the layers out.

    Examples
    --------
    >>> net = mlp([2, 3, 1], Tanh, rng=np.random.default_rng(0))
    >>> net
    Sequential(
      Linear(2, 3),
      Tanh(),
      Linear(3, 1)
    )
    >>> rng = np.random.default_rng(0)
    >>> same = Sequential(Linear(2, 3, rng=rng), Tanh(), Linear(3, 1, rng=rng))
    >>> all(np.array_equal(p.value, q.value) for p, q in zip(net.parameters(), same.parameters()))
    True
    """
    sizes = [check_positive_int(n, "sizes") for n in sizes]
    if len(sizes) < 2:
        raise ValueError(f"sizes needs the input and the output width at least, got {sizes}")
    layers: list[Layer] = []
    for n_in, n_out in itertools.pairwise(sizes):
        if layers:
            layers.append(activation())
        linear = Linear(n_in, n_out, rng=rng)
        if weight_init is not None:
            weight_init(linear.weight, rng=rng)
            zeros_(linear.bias)
        layers.append(linear)
    return Sequential(*layers)
