"""Tests for dlnotes.diagnostics.dead_units."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlnotes.diagnostics import dead_units
from dlnotes.layers import Linear, ReLU, Sequential


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
