"""Chapter 2: nn.Dense and an nn.SequentialCell MLP against dlnotes' Linear, Sequential and mlp.

The snippets are docs/mindspore/mlp.py; everything runs in float64 (nn.Dense accepts
``dtype=ms.float64``), so forward values and gradients agree to rtol 1e-10.
"""

from __future__ import annotations

import math

import mindspore as ms
import numpy as np
import pytest
from mindspore import nn
from mlp import copy_parameters, dense, forward_backward, mlp_cell

from dlnotes.layers import Linear, ReLU, Sequential, Sigmoid, Tanh, mlp

SHAPES = [(1, 1, 1), (4, 3, 2), (7, 5, 3), (16, 64, 10)]  # (N, in, out)


def test_dense_weight_is_out_by_in_like_linear():
    layer, linear = dense(3, 5), Linear(3, 5, rng=np.random.default_rng(0))
    assert layer.weight.shape == linear.weight.value.shape == (5, 3)
    assert layer.bias.shape == linear.bias.value.shape == (5,)
    assert [p.name for p in layer.trainable_params()] == ["weight", "bias"]
    assert layer.weight.dtype == layer.bias.dtype == ms.float64


def test_dense_defaults_to_float32_and_refuses_float64_input():
    """Without dtype=, nn.Dense holds float32 parameters (dlnotes: float64), and a float64
    array, NumPy's default, does not pass through it: MatMul refuses the mixed types."""
    layer = nn.Dense(3, 5)
    assert layer.weight.dtype == layer.bias.dtype == ms.float32
    assert layer.has_bias
    with pytest.raises(TypeError, match="MatMul"):
        layer(ms.Tensor(np.ones((2, 3)))).asnumpy()  # .asnumpy(): the error shows when read
    assert layer(ms.Tensor(np.ones((2, 3), np.float32))).dtype == ms.float32


def test_dense_has_bias_not_bias():
    """PyTorch's bias= is has_bias= here; the PyTorch spelling is a TypeError."""
    assert nn.Dense(3, 5, has_bias=False).bias is None
    with pytest.raises(TypeError, match="bias"):
        nn.Dense(3, 5, bias=False)


def test_dense_default_init_is_linear_s():
    """weight_init=None is HeUniform(sqrt(5)) and bias_init=None is Uniform(1/sqrt(in)):
    both U(-1/sqrt(in), 1/sqrt(in)), the initialisation of layers.Linear and PyTorch."""
    n_in, n_out = 400, 500
    ms.set_seed(0)
    layer = nn.Dense(n_in, n_out, dtype=ms.float64)
    linear = Linear(n_in, n_out, rng=np.random.default_rng(0))
    bound = 1 / math.sqrt(n_in)
    for ours, theirs, tol in [
        (linear.weight.value, layer.weight.asnumpy(), 0.01),  # 200 000 draws
        (linear.bias.value, layer.bias.asnumpy(), 0.1),  # 500 draws
    ]:
        for values in (ours, theirs):
            assert np.abs(values).max() <= bound
            assert abs(values.std() - bound / math.sqrt(3)) <= tol * bound / math.sqrt(3)
            assert abs(values.mean()) <= 5 * bound / math.sqrt(3 * values.size)


@pytest.mark.parametrize("n, n_in, n_out", SHAPES)
def test_dense_forward_and_gradients(compare, n, n_in, n_out):
    rng = np.random.default_rng(100 * n + n_in)
    linear = Linear(n_in, n_out, rng=rng)
    layer = copy_parameters(dense(n_in, n_out), linear.parameters())
    x, dout = rng.normal(size=(n, n_in)), rng.normal(size=(n, n_out))

    y, dx, grads = forward_backward(layer, x, dout)
    compare("nn.Dense forward", linear.forward(x), y)
    compare("nn.Dense d input", linear.backward(dout), dx)
    compare("nn.Dense d weight", linear.weight.grad, grads["weight"])
    compare("nn.Dense d bias", linear.bias.grad, grads["bias"])


def test_dense_takes_leading_dimensions(compare):
    """(..., in) -> (..., out), as layers.Linear: the gradients sum over all leading axes."""
    rng = np.random.default_rng(7)
    linear = Linear(3, 2, rng=rng)
    layer = copy_parameters(dense(3, 2), linear.parameters())
    x, dout = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4, 2))
    y, dx, grads = forward_backward(layer, x, dout)
    compare("nn.Dense forward", linear.forward(x), y)
    compare("nn.Dense d input", linear.backward(dout), dx)
    compare("nn.Dense d weight", linear.weight.grad, grads["weight"])
    compare("nn.Dense d bias", linear.bias.grad, grads["bias"])


ACTIVATIONS = [(ReLU, nn.ReLU), (Sigmoid, nn.Sigmoid), (Tanh, nn.Tanh)]


@pytest.mark.parametrize("ours, theirs", ACTIVATIONS, ids=lambda a: a.__name__)
@pytest.mark.parametrize("sizes", [[2, 2, 1], [3, 8, 2], [64, 32, 10], [4, 6, 5, 3]])
def test_mlp_forward_and_gradients(compare, ours, theirs, sizes):
    rng = np.random.default_rng(sum(sizes))
    net = mlp(sizes, ours, rng=rng)
    cell = copy_parameters(mlp_cell(sizes, theirs), net.parameters())
    x, dout = rng.normal(size=(9, sizes[0])), rng.normal(size=(9, sizes[-1]))

    y, dx, grads = forward_backward(cell, x, dout)
    compare(f"MLP ({theirs.__name__}) forward", net.forward(x), y)
    compare(f"MLP ({theirs.__name__}) d input", net.backward(dout), dx)
    assert sorted(grads) == sorted(p.name for p in net.parameters())
    for p in net.parameters():
        compare(f"MLP ({theirs.__name__}) d parameters", p.grad, grads[p.name])


def test_sequential_cell_is_sequential(compare):
    """A Sequential written out layer by layer, and its SequentialCell twin with the same names."""
    rng = np.random.default_rng(3)
    net = Sequential(Linear(4, 5, rng=rng), Sigmoid(), Linear(5, 3, rng=rng))
    cell = nn.SequentialCell(
        [nn.Dense(4, 5, dtype=ms.float64), nn.Sigmoid(), nn.Dense(5, 3, dtype=ms.float64)]
    )
    assert list(cell.parameters_dict()) == [p.name for p in net.parameters()]
    copy_parameters(cell, net.parameters())
    x, dout = rng.normal(size=(6, 4)), rng.normal(size=(6, 3))
    y, dx, grads = forward_backward(cell, x, dout)
    compare("MLP (Sigmoid) forward", net.forward(x), y)
    compare("MLP (Sigmoid) d input", net.backward(dout), dx)
    for p in net.parameters():
        compare("MLP (Sigmoid) d parameters", p.grad, grads[p.name])


def test_copy_parameters_refuses_a_transposed_weight():
    linear = Linear(3, 5, rng=np.random.default_rng(0))
    linear.weight.value = linear.weight.value.T.copy()
    with pytest.raises(ValueError, match="weight"):
        copy_parameters(dense(3, 5), [linear.weight])
