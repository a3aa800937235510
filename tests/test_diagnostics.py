"""Tests for dlnotes.diagnostics: dead_units, pre_activations, layer_gradient_norms."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlnotes.diagnostics import dead_units, layer_gradient_norms, pre_activations
from dlnotes.layers import Linear, ReLU, Sequential, Sigmoid, Tanh
from dlnotes.losses import CrossEntropyLoss

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "diagnostics.dead_units",
    "diagnostics.layer_gradient_norms",
    "diagnostics.pre_activations",
)


def test_dead_units_hand_case():
    pre = np.array(
        [
            [-1.0, 2.0, -3.0, 0.0, -1.0],
            [-0.5, -1.0, 4.0, 0.0, 1e-300],
            [-2.0, -1.0, -1.0, -0.0, -5.0],
        ]
    )
    # unit 0: always negative; unit 3: always exactly 0 (relu'(0) = 0, so dead too);
    # unit 4: positive once, by a hair, so alive
    np.testing.assert_array_equal(dead_units(pre), [True, False, False, True, False])


def test_dead_units_returns_a_bool_array_per_unit():
    out = dead_units(np.zeros((4, 7)))
    assert out.dtype == np.bool_
    assert out.shape == (7,)
    assert out.all()


def test_single_sample_and_single_unit():
    assert dead_units([[-1.0]]).tolist() == [True]
    assert dead_units([[0.5]]).tolist() == [False]
    assert dead_units([[1, -1, 0]]).tolist() == [False, True, True]  # integers accepted


@settings(max_examples=50)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2), elements=st.floats(-5, 5)))
def test_dead_means_no_gradient_reaches_the_unit(pre):
    """A unit is dead exactly when the ReLU passes no output and no gradient for any sample."""
    relu = ReLU()
    out = relu(pre)
    dpre = relu.backward(np.ones_like(pre))
    dead = dead_units(pre)
    np.testing.assert_array_equal(dead, np.all(out == 0, axis=0))
    np.testing.assert_array_equal(dead, np.all(dpre == 0, axis=0))


def test_relu_layer_killed_by_very_negative_biases(rng):
    """Pushing some biases far below zero kills exactly those units, and no weight gradient
    reaches them any more."""
    linear = Linear(4, 6, rng=rng)
    net = Sequential(linear, ReLU())
    x = rng.normal(size=(200, 4))
    assert not dead_units(linear(x)).any()  # healthy at initialisation (with this seed)

    killed = np.array([True, False, True, False, False, True])
    linear.bias.value[killed] = -1e3
    np.testing.assert_array_equal(dead_units(linear(x)), killed)

    net(x)
    net.backward(rng.normal(size=(200, 6)))
    np.testing.assert_array_equal(linear.weight.grad[killed], 0.0)
    np.testing.assert_array_equal(linear.bias.grad[killed], 0.0)
    assert np.all(np.abs(linear.weight.grad[~killed]).sum(axis=1) > 0)


def test_all_units_dead_when_every_bias_is_very_negative(rng):
    linear = Linear(3, 5, rng=rng)
    linear.bias.value[:] = -1e4
    pre = linear(rng.normal(size=(50, 3)))
    assert dead_units(pre).all()
    assert dead_units(pre).mean() == 1.0


@pytest.mark.parametrize("shape", [(5,), (), (2, 3, 4), (0, 3)])
def test_dead_units_rejects_bad_shapes(shape):
    with pytest.raises(ValueError, match=r"pre_activations.*" + re.escape(str(shape))):
        dead_units(np.zeros(shape))


@pytest.mark.parametrize("bad", ["abc", None, np.array([[True, False]]), [[1j]]])
def test_dead_units_rejects_non_numeric(bad):
    with pytest.raises(TypeError, match="pre_activations"):
        dead_units(bad)


# --------------------------------------------------------------------------------------------
# pre_activations
# --------------------------------------------------------------------------------------------


def test_pre_activations_are_the_linear_outputs(rng):
    first, second, third = Linear(3, 5, rng=rng), Linear(5, 4, rng=rng), Linear(4, 2, rng=rng)
    net = Sequential(first, ReLU(), second, Sigmoid(), third)
    x = rng.normal(size=(6, 3))
    z1 = first(x)
    z2 = second(ReLU()(z1))
    z3 = third(Sigmoid()(z2))
    out = pre_activations(net, x)
    assert len(out) == 3
    for got, expected in zip(out, (z1, z2, z3), strict=True):
        np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(out[-1], net(x))  # the last Linear is the output here


def test_pre_activations_feed_dead_units(rng):
    linear = Linear(4, 6, rng=rng)
    linear.bias.value[[1, 4]] = -1e3
    net = Sequential(linear, ReLU(), Linear(6, 1, rng=rng))
    (hidden, _) = pre_activations(net, rng.normal(size=(100, 4)))
    np.testing.assert_array_equal(np.flatnonzero(dead_units(hidden)), [1, 4])


def test_pre_activations_look_inside_nested_sequentials(rng):
    inner = Sequential(Linear(2, 3, rng=rng), Tanh(), Linear(3, 3, rng=rng))
    net = Sequential(inner, ReLU(), Linear(3, 1, rng=rng))
    out = pre_activations(net, rng.normal(size=(4, 2)))
    assert [z.shape for z in out] == [(4, 3), (4, 3), (4, 1)]
    assert pre_activations(Sequential(ReLU(), Tanh()), np.ones((2, 2))) == []


def test_pre_activations_use_evaluation_mode(rng):
    seen = []

    class Probe(ReLU):
        def forward(self, x, training=True):
            seen.append(training)
            return super().forward(x, training=training)

    pre_activations(Sequential(Linear(2, 2, rng=rng), Probe()), np.ones((3, 2)))
    assert seen == [False]


@pytest.mark.parametrize("bad", [None, "net", [1, 2]])
def test_diagnostics_need_a_sequential(bad, rng):
    with pytest.raises(TypeError, match="net"):
        pre_activations(bad, np.ones((2, 2)))
    with pytest.raises(TypeError, match="net"):
        layer_gradient_norms(bad)
    with pytest.raises(TypeError, match="net"):
        layer_gradient_norms(Linear(2, 2, rng=rng))


# --------------------------------------------------------------------------------------------
# layer_gradient_norms
# --------------------------------------------------------------------------------------------


def test_layer_gradient_norms_are_frobenius_norms(rng):
    inner = Sequential(Linear(3, 4, rng=rng), Tanh(), Linear(4, 4, rng=rng))
    net = Sequential(inner, ReLU(), Linear(4, 2, rng=rng))
    out = net(rng.normal(size=(5, 3)))
    net.backward(rng.normal(size=out.shape))
    linears = [inner[0], inner[2], net[2]]
    expected = [np.sqrt(np.sum(layer.weight.grad**2)) for layer in linears]
    norms = layer_gradient_norms(net)
    assert all(isinstance(v, float) for v in norms)
    np.testing.assert_allclose(norms, expected, rtol=1e-14)
    assert layer_gradient_norms(Sequential(ReLU())) == []


def test_gradients_vanish_towards_the_input_of_a_deep_sigmoid_net(rng):
    """sigma' <= 1/4: in an 8-layer sigmoid network with PyTorch's default initialisation each
    layer further from the loss gets a smaller weight gradient, by a large factor overall."""
    width, depth = 32, 8
    layers = []
    for _ in range(depth - 1):
        layers += [Linear(width, width, rng=rng), Sigmoid()]
    net = Sequential(*layers, Linear(width, 10, rng=rng))
    x, y = rng.normal(size=(64, width)), rng.integers(0, 10, size=64)
    loss = CrossEntropyLoss()
    loss(net(x), y)
    net.backward(loss.backward())
    norms = layer_gradient_norms(net)
    assert len(norms) == depth
    assert np.all(np.diff(norms) > 0)  # strictly growing from the input to the output
    assert norms[0] < 1e-3 * norms[-1]


def test_relu_net_gradients_do_not_vanish_like_sigmoid(rng):
    """The same depth with ReLU and He-scaled weights keeps the gradient norms comparable."""
    width, depth = 32, 8
    layers = []
    for _ in range(depth - 1):
        layer = Linear(width, width, rng=rng)
        layer.weight.value = rng.normal(scale=np.sqrt(2 / width), size=(width, width))
        layers += [layer, ReLU()]
    net = Sequential(*layers, Linear(width, 10, rng=rng))
    loss = CrossEntropyLoss()
    loss(net(rng.normal(size=(64, width))), rng.integers(0, 10, size=64))
    net.backward(loss.backward())
    norms = layer_gradient_norms(net)
    assert norms[0] > 0.05 * norms[-1]
