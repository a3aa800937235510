"""Tests for dlnotes.layers.Dropout: inverted dropout in training, identity in evaluation."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.layers import Dropout, Linear, ReLU, Sequential

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers("layers.Dropout")


@pytest.mark.parametrize("p", [0.0, 0.1, 0.5, 0.9])
def test_forward_is_mask_times_input_over_keep_probability(p, rng):
    drop = Dropout(p, rng=rng)
    x = rng.normal(size=(7, 5, 3))
    out = drop(x)
    assert drop.mask.shape == x.shape and drop.mask.dtype == bool
    np.testing.assert_array_equal(out[~drop.mask], 0.0)
    np.testing.assert_allclose(out[drop.mask], x[drop.mask] / (1 - p), rtol=1e-15)


def test_p_zero_keeps_everything(rng):
    x = rng.normal(size=(4, 6))
    drop = Dropout(0.0, rng=rng)
    np.testing.assert_array_equal(drop(x), x)
    assert drop.mask.all()


@pytest.mark.parametrize("p", [0.1, 0.3, 0.5, 0.8])
def test_fraction_dropped_is_p(p, rng):
    drop = Dropout(p, rng=rng)
    drop(np.ones((200, 500)))
    n = drop.mask.size
    # 5 standard deviations of a binomial proportion
    assert abs(np.mean(~drop.mask) - p) < 5 * np.sqrt(p * (1 - p) / n)


@pytest.mark.parametrize("p", [0.2, 0.5, 0.7])
def test_expectation_is_preserved(p, rng):
    """The mean of many training-mode outputs approaches the input (inverted scaling)."""
    x = rng.normal(size=(3, 4))
    drop = Dropout(p, rng=rng)
    runs = 20_000
    mean = np.mean([drop(x) for _ in range(runs)], axis=0)
    std_of_mean = np.abs(x) * np.sqrt(p / (1 - p) / runs)  # Var(y) = x^2 p / (1 - p)
    assert np.all(np.abs(mean - x) < 5 * std_of_mean)


def test_evaluation_mode_is_the_identity(rng):
    drop = Dropout(0.5, rng=rng)
    x = rng.normal(size=(5, 3))
    state = rng.bit_generator.state
    out = drop(x, training=False)
    np.testing.assert_array_equal(out, x)
    assert drop.mask is None
    assert rng.bit_generator.state == state  # no random numbers drawn
    dout = rng.normal(size=(5, 3))
    np.testing.assert_array_equal(drop.backward(dout), dout)


def test_backward_uses_the_mask_of_forward(rng):
    drop = Dropout(0.4, rng=rng)
    x = rng.normal(size=(6, 8))
    drop(x)
    mask = drop.mask.copy()
    dout = rng.normal(size=(6, 8))
    dx = drop.backward(dout)
    np.testing.assert_array_equal(dx[~mask], 0.0)
    np.testing.assert_allclose(dx[mask], dout[mask] / 0.6, rtol=1e-15)
    np.testing.assert_array_equal(drop.backward(dout), dx)  # backward draws nothing new


def test_train_then_eval_then_backward_is_the_identity(rng):
    drop = Dropout(0.5, rng=rng)
    drop(np.ones((2, 2)))
    drop(np.ones((2, 2)), training=False)
    np.testing.assert_array_equal(drop.backward(np.full((2, 2), 3.0)), 3.0)


def test_dropped_units_do_not_update_their_weights(rng):
    """With one sample, a dropped hidden unit passes no gradient: the row of the first layer's
    weight (and bias) feeding it and the column of the next layer's weight reading it get
    exactly zero gradient, so SGD leaves them unchanged this step."""
    net = Sequential(Linear(4, 10, rng=rng), ReLU(), Dropout(0.5, rng=rng), Linear(10, 3, rng=rng))
    x = rng.normal(size=(1, 4))
    net(x)
    net.backward(rng.normal(size=(1, 3)))
    dropped = ~net[2].mask[0]
    assert dropped.any() and (~dropped).any()
    np.testing.assert_array_equal(net[0].weight.grad[dropped], 0.0)
    np.testing.assert_array_equal(net[0].bias.grad[dropped], 0.0)
    np.testing.assert_array_equal(net[3].weight.grad[:, dropped], 0.0)


def test_masks_are_reproducible_and_fresh(rng):
    x = np.ones((3, 50))
    a, b = Dropout(0.5, rng=np.random.default_rng(1)), Dropout(0.5, rng=np.random.default_rng(1))
    first = a(x)
    np.testing.assert_array_equal(first, b(x))
    assert not np.array_equal(first, a(x))  # a new mask at every training forward pass


@given(p=st.floats(0.0, 0.95), seed=st.integers(0, 2**32 - 1))
def test_extreme_inputs_give_no_nan(p, seed):
    rng = np.random.default_rng(seed)
    x = rng.choice([-1e300, -1.0, 0.0, 1e-300, 1e300], size=(4, 5))
    drop = Dropout(p, rng=rng)
    with np.errstate(all="raise"):
        out = drop(x * (1 - p))  # no overflow after the scaling by 1 / (1 - p)
        dx = drop.backward(np.ones_like(x))
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(dx))


def test_errors_and_repr(rng):
    for p in (1.0, -0.1, 1.5):
        with pytest.raises(ValueError, match=rf"p must be in \[0, 1\), got {p}"):
            Dropout(p, rng=rng)
    with pytest.raises(TypeError, match="p must be a real number"):
        Dropout("0.5", rng=rng)
    with pytest.raises(TypeError, match=r"rng must be a numpy\.random\.Generator"):
        Dropout(0.5, rng=0)
    with pytest.raises(TypeError):
        Dropout(0.5)  # rng is required
    drop = Dropout(0.25, rng=rng)
    assert repr(drop) == "Dropout(p=0.25)"
    assert drop.parameters() == []
    with pytest.raises(RuntimeError, match=r"Dropout\.backward called before forward"):
        drop.backward(np.ones(3))
    drop(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"dout of shape \(2, 3\).*got \(3, 2\)"):
        drop.backward(np.ones((3, 2)))
