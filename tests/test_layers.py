"""Tests for dlnotes.layers: Parameter, Linear, activation layers, Sequential, merge_linear, mlp."""

import itertools
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlnotes import activations as A
from dlnotes.layers import (
    Layer,
    LeakyReLU,
    Linear,
    Parameter,
    ReLU,
    Sequential,
    Sigmoid,
    Softplus,
    Softsign,
    Tanh,
    merge_linear,
    mlp,
)

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "layers.Parameter",
    "layers.Layer",
    "layers.Linear",
    "layers.ReLU",
    "layers.LeakyReLU",
    "layers.Sigmoid",
    "layers.Tanh",
    "layers.Softsign",
    "layers.Softplus",
    "layers.Sequential",
    "layers.merge_linear",
    "layers.mlp",
)

ACTIVATION_LAYERS = {
    "ReLU": (ReLU, A.relu, A.relu_grad),
    "LeakyReLU": (LeakyReLU, A.leaky_relu, A.leaky_relu_grad),
    "Sigmoid": (Sigmoid, A.sigmoid, A.sigmoid_grad),
    "Tanh": (Tanh, A.tanh, A.tanh_grad),
    "Softsign": (Softsign, A.softsign, A.softsign_grad),
    "Softplus": (Softplus, A.softplus, A.softplus_grad),
}


def off_kink(x: np.ndarray, margin: float = 0.05) -> np.ndarray:
    """Move entries closer than `margin` to 0 out to +-margin (keeping their sign)."""
    return np.where(np.abs(x) < margin, np.where(x < 0, -margin, margin), x)


# One factory per layer kind, for tests of the common protocol; each maps (N, 3) to (N, 3).
LAYER_FACTORIES = {
    "Linear": lambda rng: Linear(3, 3, rng=rng),
    **{name: lambda rng, cls=cls: cls() for name, (cls, _, _) in ACTIVATION_LAYERS.items()},
    "LeakyReLU(0.2)": lambda rng: LeakyReLU(0.2),
    "Sequential": lambda rng: Sequential(Linear(3, 4, rng=rng), Tanh(), Linear(4, 3, rng=rng)),
}


def all_layers(rng: np.random.Generator) -> list[Layer]:
    return [make(rng) for make in LAYER_FACTORIES.values()]


# --------------------------------------------------------------------------------------------
# Parameter
# --------------------------------------------------------------------------------------------


def test_parameter_basics():
    source = np.array([[1, 2, 3], [4, 5, 6]])
    p = Parameter(source, name="weight")
    assert p.value.dtype == np.float64
    np.testing.assert_array_equal(p.value, source)
    assert p.grad.shape == p.shape == (2, 3)
    np.testing.assert_array_equal(p.grad, 0.0)
    assert p.name == "weight"
    assert repr(p) == "Parameter(name='weight', shape=(2, 3))"


def test_parameter_owns_a_copy_of_its_value():
    """Updating the parameter must not write into the caller's array, nor the reverse."""
    source = np.ones(3)
    p = Parameter(source)
    p.value -= 1.0
    np.testing.assert_array_equal(source, 1.0)
    source[0] = 5.0
    np.testing.assert_array_equal(p.value, 0.0)
    assert p.name == ""


def test_parameter_float32_is_stored_as_float64():
    assert Parameter(np.ones(2, dtype=np.float32)).value.dtype == np.float64


@pytest.mark.parametrize("bad", ["abc", None, [1j], np.array([True])])
def test_parameter_rejects_non_real_values(bad):
    with pytest.raises(TypeError, match="value"):
        Parameter(bad)


# --------------------------------------------------------------------------------------------
# Linear: values, shapes, initialisation
# --------------------------------------------------------------------------------------------


def test_linear_forward_by_hand(rng):
    layer = Linear(2, 3, rng=rng)
    layer.weight.value = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    layer.bias.value = np.array([0.5, -1.0, 0.0])
    x = np.array([[1.0, 1.0], [0.0, 2.0]])
    # x W^T = [[3, 7, 11], [4, 8, 12]]
    np.testing.assert_array_equal(layer(x), [[3.5, 6.0, 11.0], [4.5, 7.0, 12.0]])


def test_linear_backward_by_hand(rng):
    layer = Linear(2, 3, rng=rng)
    layer.weight.value = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    x = np.array([[1.0, 1.0], [0.0, 2.0]])
    layer(x)
    dout = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    np.testing.assert_array_equal(layer.backward(dout), [[1.0, 2.0], [5.0, 6.0]])  # dout W
    np.testing.assert_array_equal(layer.weight.grad, [[1.0, 1.0], [0.0, 0.0], [0.0, 2.0]])
    np.testing.assert_array_equal(layer.bias.grad, [1.0, 0.0, 1.0])


@pytest.mark.parametrize("lead", [(), (5,), (4, 7), (2, 3, 2)])
def test_linear_shapes(lead, rng):
    """(..., in) -> (..., out); dx has the shape of x, the gradients the shapes of the values."""
    layer = Linear(3, 2, rng=rng)
    x = rng.normal(size=(*lead, 3))
    y = layer(x)
    assert y.shape == (*lead, 2)
    dx = layer.backward(np.ones_like(y))
    assert dx.shape == x.shape
    assert layer.weight.shape == layer.weight.grad.shape == (2, 3)
    assert layer.bias.shape == layer.bias.grad.shape == (2,)


def test_linear_sequence_input_equals_flattened_batch(rng):
    """For (N, T, in) input every time step is transformed independently, and the parameter
    gradients are summed over both N and T."""
    layer = Linear(4, 3, rng=rng)
    x = rng.normal(size=(2, 5, 4))
    dout = rng.normal(size=(2, 5, 3))
    y = layer(x)
    dx = layer.backward(dout)
    dw, db = layer.weight.grad.copy(), layer.bias.grad.copy()
    y_flat = layer(x.reshape(10, 4))
    dx_flat = layer.backward(dout.reshape(10, 3))
    np.testing.assert_allclose(y.reshape(10, 3), y_flat, rtol=1e-14)
    np.testing.assert_allclose(dx.reshape(10, 4), dx_flat, rtol=1e-14)
    np.testing.assert_allclose(dw, layer.weight.grad, rtol=1e-13)
    np.testing.assert_allclose(db, dout.sum(axis=(0, 1)), rtol=1e-13)


def test_linear_init_bounds_and_spread():
    """W, b ~ U(-k, k), k = 1/sqrt(in_features), as in PyTorch."""
    layer = Linear(64, 200, rng=np.random.default_rng(3))
    k = 1.0 / math.sqrt(64)
    w, b = layer.weight.value, layer.bias.value
    assert w.shape == (200, 64) and b.shape == (200,)
    assert np.all(np.abs(w) <= k) and np.all(np.abs(b) <= k)
    # the whole interval is used: not a narrower or a normal distribution
    assert w.max() > 0.99 * k and w.min() < -0.99 * k
    assert abs(w.mean()) < 0.02 * k
    assert w.var() == pytest.approx(k**2 / 3, rel=0.05)  # variance of U(-k, k)
    np.testing.assert_array_equal(layer.weight.grad, 0.0)


def test_linear_init_is_deterministic_given_the_seed():
    a = Linear(5, 4, rng=np.random.default_rng(42))
    b = Linear(5, 4, rng=np.random.default_rng(42))
    c = Linear(5, 4, rng=np.random.default_rng(43))
    np.testing.assert_array_equal(a.weight.value, b.weight.value)
    np.testing.assert_array_equal(a.bias.value, b.bias.value)
    assert not np.array_equal(a.weight.value, c.weight.value)


def test_linear_draws_from_the_given_generator_only():
    """Two layers from one generator differ; the global NumPy state is not used."""
    rng = np.random.default_rng(0)
    a, b = Linear(3, 3, rng=rng), Linear(3, 3, rng=rng)
    assert not np.array_equal(a.weight.value, b.weight.value)
    _, keys, pos, *_ = np.random.get_state()  # noqa: NPY002 (the legacy global state)
    Linear(3, 3, rng=np.random.default_rng(0))
    _, keys_after, pos_after, *_ = np.random.get_state()  # noqa: NPY002
    np.testing.assert_array_equal(keys_after, keys)
    assert pos_after == pos


def test_linear_parameters_and_names(rng):
    layer = Linear(3, 2, rng=rng)
    params = layer.parameters()
    assert params == [layer.weight, layer.bias]
    assert [p.name for p in params] == ["weight", "bias"]
    assert repr(layer) == "Linear(3, 2)"


# --------------------------------------------------------------------------------------------
# Backward passes (against central differences: tests/gradcheck_cases.py)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ACTIVATION_LAYERS)
def test_activation_layer_matches_function(name, rng):
    """forward is f(x) and backward is dout * f'(x)."""
    cls, f, df = ACTIVATION_LAYERS[name]
    x = rng.normal(scale=3.0, size=(3, 4))
    dout = rng.normal(size=(3, 4))
    layer = cls()
    np.testing.assert_array_equal(layer(x), f(x))
    np.testing.assert_array_equal(layer.backward(dout), dout * df(x))
    assert layer.parameters() == []


def test_leaky_relu_layer_uses_its_alpha(rng):
    layer = LeakyReLU(0.3)
    np.testing.assert_allclose(layer(np.array([-2.0, 4.0])), [-0.6, 4.0], rtol=1e-15)
    np.testing.assert_allclose(layer.backward(np.ones(2)), [0.3, 1.0], rtol=1e-15)
    assert repr(layer) == "LeakyReLU(alpha=0.3)"


def test_backward_overwrites_parameter_gradients(rng):
    """Two backward passes give the same gradient, not twice the gradient."""
    layer = Linear(3, 2, rng=rng)
    x, dout = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    layer(x)
    layer.backward(dout)
    first = layer.weight.grad.copy()
    layer.backward(dout)
    np.testing.assert_array_equal(layer.weight.grad, first)


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", LAYER_FACTORIES)
def test_backward_before_forward_raises(kind, rng):
    layer = LAYER_FACTORIES[kind](rng)
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.ones((2, 3)))


def test_linear_wrong_input_size_names_both_shapes(rng):
    layer = Linear(3, 2, rng=rng)
    with pytest.raises(ValueError, match=r"\b3\b.*\(4, 5\)"):
        layer(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"\(\)"):
        layer(1.0)


@pytest.mark.parametrize("kind", LAYER_FACTORIES)
def test_wrong_dout_shape_raises(kind, rng):
    """dout must have the shape of the last output, (2, 3); the message names both shapes."""
    layer = LAYER_FACTORIES[kind](rng)
    assert layer(rng.normal(size=(2, 3))).shape == (2, 3)
    for bad in [(3, 2), (2, 4), (2, 3, 1), (6,)]:
        with pytest.raises(ValueError, match=rf"dout.*\(2, 3\).*{re.escape(str(bad))}"):
            layer.backward(np.ones(bad))
    with pytest.raises(TypeError, match="dout"):
        layer.backward("abc")


@pytest.mark.parametrize("bad", ["abc", None, np.array([True, False, True])])
def test_layers_reject_non_numeric_input(bad, rng):
    for layer in all_layers(rng):
        with pytest.raises(TypeError, match=r"\bx\b"):
            layer(bad)


@pytest.mark.parametrize("rng_arg", [None, 0, np.random.RandomState(0), np.random])
def test_linear_requires_a_generator(rng_arg):
    with pytest.raises(TypeError, match="rng"):
        Linear(3, 2, rng=rng_arg)


def test_linear_rng_is_keyword_only():
    with pytest.raises(TypeError):
        Linear(3, 2, np.random.default_rng(0))  # type: ignore[misc]


@pytest.mark.parametrize(
    ("in_features", "out_features", "error", "name"),
    [
        (0, 2, ValueError, "in_features"),
        (-1, 2, ValueError, "in_features"),
        (3, 0, ValueError, "out_features"),
        (3, -5, ValueError, "out_features"),
        (2.5, 2, TypeError, "in_features"),
        (3.0, 2, TypeError, "in_features"),
        ("3", 2, TypeError, "in_features"),
        (3, None, TypeError, "out_features"),
        (True, 2, TypeError, "in_features"),
    ],
)
def test_linear_rejects_bad_sizes(in_features, out_features, error, name, rng):
    with pytest.raises(error, match=name):
        Linear(in_features, out_features, rng=rng)


def test_linear_accepts_numpy_integer_sizes(rng):
    layer = Linear(np.int64(3), np.int32(2), rng=rng)
    assert layer.weight.shape == (2, 3)
    assert type(layer.in_features) is int


@pytest.mark.parametrize("alpha", ["0.1", None, [0.1]])
def test_leaky_relu_layer_rejects_non_numeric_alpha(alpha):
    with pytest.raises(TypeError, match="alpha"):
        LeakyReLU(alpha)


def test_leaky_relu_layer_rejects_nan_alpha():
    with pytest.raises(ValueError, match="alpha"):
        LeakyReLU(math.nan)


# --------------------------------------------------------------------------------------------
# Sequential
# --------------------------------------------------------------------------------------------


def test_sequential_forward_is_the_composition(rng):
    a, b, c = Linear(3, 4, rng=rng), Tanh(), Linear(4, 2, rng=rng)
    net = Sequential(a, b, c)
    x = rng.normal(size=(5, 3))
    np.testing.assert_array_equal(net(x), c(b(a(x))))


def test_sequential_parameter_names_follow_pytorch(rng):
    net = Sequential(Linear(2, 3, rng=rng), ReLU(), Linear(3, 1, rng=rng))
    params = net.parameters()
    assert [p.name for p in params] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert params[0] is net[0].weight and params[3] is net[2].bias


def test_nested_sequential_parameter_names_are_unique(rng):
    """Names of nested containers get one index per level, as in PyTorch ("0.2.weight")."""
    inner = Sequential(Linear(2, 3, rng=rng), Tanh(), Linear(3, 3, rng=rng))
    net = Sequential(inner, ReLU(), Linear(3, 1, rng=rng))
    assert [p.name for p in net.parameters()] == [
        "0.0.weight",
        "0.0.bias",
        "0.2.weight",
        "0.2.bias",
        "2.weight",
        "2.bias",
    ]


def test_rewrapping_a_layer_does_not_stack_prefixes(rng):
    """Putting the same layer into a second container renames it, without "1.0.weight"."""
    layer = Linear(2, 2, rng=rng)
    Sequential(layer)
    Sequential(ReLU(), layer)
    assert [p.name for p in layer.parameters()] == ["1.weight", "1.bias"]


def test_sequential_container_protocol(rng):
    layers = [Linear(2, 3, rng=rng), ReLU(), Linear(3, 1, rng=rng)]
    net = Sequential(*layers)
    assert len(net) == 3
    assert list(net) == layers
    assert net[0] is layers[0] and net[-1] is layers[2]
    assert "Linear(2, 3)" in repr(net) and "ReLU()" in repr(net)
    with pytest.raises(IndexError):
        net[3]


def test_empty_sequential_is_the_identity(rng):
    net = Sequential()
    x = rng.normal(size=(2, 3))
    np.testing.assert_array_equal(net(x), x)
    np.testing.assert_array_equal(net.backward(x), x)
    assert len(net) == 0 and net.parameters() == []


@pytest.mark.parametrize("bad", ["relu", None, A.relu, ReLU, 3])
def test_sequential_rejects_non_layers(bad, rng):
    with pytest.raises(TypeError, match="layer 1"):
        Sequential(Linear(2, 2, rng=rng), bad)


@pytest.mark.parametrize("kind", LAYER_FACTORIES)
def test_training_flag_is_accepted(kind, rng):
    """These layers behave the same in training and evaluation mode."""
    layer = LAYER_FACTORIES[kind](rng)
    x = rng.normal(size=(2, 3))
    np.testing.assert_array_equal(layer(x, training=False), layer.forward(x, training=True))


# --------------------------------------------------------------------------------------------
# merge_linear
# --------------------------------------------------------------------------------------------


@settings(max_examples=40)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=6),
    seed=st.integers(0, 2**32 - 1),
    batch=st.integers(1, 4),
)
def test_merge_linear_equals_the_composition(sizes, seed, batch):
    rng = np.random.default_rng(seed)
    layers = [Linear(i, o, rng=rng) for i, o in itertools.pairwise(sizes)]
    x = rng.normal(size=(batch, sizes[0]))
    expected = x
    for layer in layers:
        expected = layer(expected)
    merged = merge_linear(*layers)
    assert isinstance(merged, Linear)
    assert merged.weight.shape == (sizes[-1], sizes[0])
    assert (merged.in_features, merged.out_features) == (sizes[0], sizes[-1])
    np.testing.assert_allclose(merged(x), expected, rtol=1e-12, atol=1e-12)


def test_merge_linear_by_hand(rng):
    """W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2)."""
    a, b = Linear(2, 2, rng=rng), Linear(2, 1, rng=rng)
    a.weight.value, a.bias.value = np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([1.0, -1.0])
    b.weight.value, b.bias.value = np.array([[3.0, -1.0]]), np.array([0.5])
    merged = merge_linear(a, b)
    np.testing.assert_array_equal(merged.weight.value, [[3.0, 5.0]])
    np.testing.assert_array_equal(merged.bias.value, [4.5])


def test_merge_linear_returns_an_independent_layer(rng):
    a = Linear(3, 2, rng=rng)
    merged = merge_linear(a)
    np.testing.assert_array_equal(merged.weight.value, a.weight.value)
    merged.weight.value += 1.0
    merged.bias.value += 1.0
    assert not np.array_equal(merged.weight.value, a.weight.value)
    assert not np.array_equal(merged.bias.value, a.bias.value)


def test_merge_linear_rejects_size_mismatch(rng):
    with pytest.raises(ValueError, match=r"Linear\(3, 5\).*Linear\(4, 2\)"):
        merge_linear(Linear(3, 5, rng=rng), Linear(4, 2, rng=rng))


@pytest.mark.parametrize("bad", [ReLU(), None, "linear"])
def test_merge_linear_rejects_non_linear(bad, rng):
    with pytest.raises(TypeError, match="layer 1"):
        merge_linear(Linear(3, 3, rng=rng), bad)


def test_merge_linear_needs_a_layer():
    with pytest.raises(ValueError, match="at least one"):
        merge_linear()


# --------------------------------------------------------------------------------------------
# mlp
# --------------------------------------------------------------------------------------------


def test_mlp_equals_the_layers_written_out():
    net = mlp([3, 5, 4, 2], Tanh, rng=np.random.default_rng(7))
    rng = np.random.default_rng(7)
    same = Sequential(
        Linear(3, 5, rng=rng), Tanh(), Linear(5, 4, rng=rng), Tanh(), Linear(4, 2, rng=rng)
    )
    assert [type(layer) for layer in net] == [Linear, Tanh, Linear, Tanh, Linear]
    assert [p.name for p in net.parameters()] == [p.name for p in same.parameters()]
    for p, q in zip(net.parameters(), same.parameters(), strict=True):
        np.testing.assert_array_equal(p.value, q.value)


def test_mlp_default_activation_and_fresh_layers(rng):
    net = mlp([2, 4, 4, 1], rng=rng)
    assert [type(layer) for layer in net] == [Linear, ReLU, Linear, ReLU, Linear]
    assert net[1] is not net[3]
    assert mlp([6, 3], rng=rng)[0].weight.shape == (3, 6)  # one layer, no activation


def test_mlp_weight_init_redraws_each_weight_as_it_is_made():
    """He init of layer 1 is drawn before layer 2's default init: the order a loop writes."""

    def he(param, *, rng):
        param.value[...] = rng.normal(scale=np.sqrt(2.0 / param.value.shape[1]), size=param.shape)

    net = mlp([4, 8, 3], LeakyReLU, rng=np.random.default_rng(1), weight_init=he)
    rng = np.random.default_rng(1)
    first = Linear(4, 8, rng=rng)
    he(first.weight, rng=rng)
    second = Linear(8, 3, rng=rng)
    he(second.weight, rng=rng)
    np.testing.assert_array_equal(net[0].weight.value, first.weight.value)
    np.testing.assert_array_equal(net[2].weight.value, second.weight.value)
    assert not net[0].bias.value.any() and not net[2].bias.value.any()
    assert isinstance(net[1], LeakyReLU)


@pytest.mark.parametrize(
    ("sizes", "error", "match"),
    [
        ([4], ValueError, "at least"),
        ([], ValueError, "at least"),
        ([4, 0, 2], ValueError, "sizes"),
        ([4, 2.5], TypeError, "sizes"),
    ],
)
def test_mlp_rejects_bad_sizes(sizes, error, match, rng):
    with pytest.raises(error, match=match):
        mlp(sizes, rng=rng)
