"""Tests for dlnotes.init: fans, gains, and the statistics of every initialiser."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes import init
from dlnotes.layers import Linear, Parameter, ReLU, Sequential, Tanh

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "init.fans",
    "init.gain",
    "init.kaiming_normal_",
    "init.kaiming_uniform_",
    "init.normal_",
    "init.xavier_normal_",
    "init.xavier_uniform_",
    "init.zeros_",
    "init.default_uniform",
)

SQRT2, SQRT3 = math.sqrt(2.0), math.sqrt(3.0)


def zeros(*shape):
    return Parameter(np.zeros(shape))


# --------------------------------------------------------------------------------------------
# fans and gain
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ((5, 3), (3, 5)),  # Linear (out, in)
        ((1, 1), (1, 1)),
        ((8, 3, 5, 5), (75, 200)),  # Conv2d (C_out, C_in, kh, kw)
        ((16, 8, 3, 1), (24, 48)),
        ((4, 2, 3), (6, 12)),
        ([7, 2], (2, 7)),
        ((np.int64(4), np.int32(6)), (6, 4)),
    ],
)
def test_fans(shape, expected):
    fan_in, fan_out = init.fans(shape)
    assert (fan_in, fan_out) == expected
    assert type(fan_in) is int and type(fan_out) is int


@pytest.mark.parametrize("shape", [(), (5,)])
def test_fans_need_two_dimensions(shape):
    with pytest.raises(ValueError, match=rf"at least 2 dimensions.*{shape}"):
        init.fans(shape)


@pytest.mark.parametrize(("shape", "name"), [((0, 3), r"shape\[0\]"), ((3, 2, 0), r"shape\[2\]")])
def test_fans_need_positive_sizes(shape, name):
    with pytest.raises(ValueError, match=name):
        init.fans(shape)


def test_fans_need_integer_sizes():
    with pytest.raises(TypeError, match=r"shape\[1\]"):
        init.fans((3, 2.0))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("linear", 1.0),
        ("conv2d", 1.0),
        ("sigmoid", 1.0),
        ("tanh", 5.0 / 3.0),
        ("relu", SQRT2),
        ("leaky_relu", math.sqrt(2.0 / (1.0 + 0.01**2))),
    ],
)
def test_gain_values(name, value):
    assert init.gain(name) == value


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.2, 1.0, 3.0, -0.5])
def test_gain_of_leaky_relu(alpha):
    """sqrt(2 / (1 + alpha^2)): sqrt 2 at alpha = 0 (ReLU), 1 at alpha = +-1 (identity)."""
    assert init.gain("leaky_relu", alpha) == pytest.approx(math.sqrt(2 / (1 + alpha**2)), rel=1e-15)


def test_gain_limits_of_leaky_relu():
    assert init.gain("leaky_relu", 0.0) == init.gain("relu")
    assert init.gain("leaky_relu", 1.0) == init.gain("linear")


@pytest.mark.parametrize("name", ["softmax", "ReLU", "", "selu"])
def test_gain_rejects_unknown_nonlinearities(name):
    with pytest.raises(ValueError, match=r"nonlinearity must be one of 'linear'.*'leaky_relu'"):
        init.gain(name)


def test_gain_rejects_non_strings_and_bad_alpha():
    with pytest.raises(TypeError, match="nonlinearity must be a string"):
        init.gain(None)
    with pytest.raises(TypeError, match="alpha"):
        init.gain("leaky_relu", "0.1")
    with pytest.raises(ValueError, match="alpha"):
        init.gain("leaky_relu", math.nan)


# --------------------------------------------------------------------------------------------
# Statistics of the initialisers
# --------------------------------------------------------------------------------------------

FAN_OUT, FAN_IN = 400, 600  # 240 000 samples: empirical std within about 0.3 %

UNIFORM = {  # name -> (initialiser, bound for the default gain, for gain g it scales by g)
    "xavier_uniform_": (init.xavier_uniform_, math.sqrt(6.0 / (FAN_IN + FAN_OUT))),
    "kaiming_uniform_": (init.kaiming_uniform_, SQRT2 * math.sqrt(3.0 / FAN_IN)),
}
NORMAL = {  # name -> (initialiser, std for the default gain)
    "xavier_normal_": (init.xavier_normal_, math.sqrt(2.0 / (FAN_IN + FAN_OUT))),
    "kaiming_normal_": (init.kaiming_normal_, SQRT2 / math.sqrt(FAN_IN)),
}


def check_uniform(values, bound):
    """All inside [-a, a], the whole interval used, mean 0 and variance a^2/3."""
    assert np.all(np.abs(values) <= bound)
    assert values.max() > 0.999 * bound and values.min() < -0.999 * bound
    assert abs(values.mean()) < 0.01 * bound
    assert values.std() == pytest.approx(bound / SQRT3, rel=0.01)


def check_normal(values, std):
    """Mean 0, the requested std, and normal tails: about 0.27 % beyond 3 std."""
    assert abs(values.mean()) < 0.01 * std
    assert values.std() == pytest.approx(std, rel=0.01)
    beyond = np.mean(np.abs(values) > 3 * std)
    assert 0.002 < beyond < 0.0035
    assert np.abs(values).max() > 4 * std  # not a uniform or truncated distribution


@pytest.mark.parametrize("name", [*UNIFORM, *NORMAL])
@pytest.mark.parametrize("gain", [None, 0.5, 5.0 / 3.0])
def test_initialisers(name, gain, rng):
    """The bound (uniform) or std (normal) of the default gain, scaled by gain / default gain."""
    f, scale = {**UNIFORM, **NORMAL}[name]
    kwargs = {} if gain is None else {"gain": gain}
    if gain is not None:
        scale = scale * gain / (SQRT2 if name.startswith("kaiming") else 1.0)
    p = f(zeros(FAN_OUT, FAN_IN), rng=rng, **kwargs)
    (check_uniform if name in UNIFORM else check_normal)(p.value, scale)


def test_xavier_and_kaiming_agree_when_fans_are_equal(rng):
    """For a square weight, 2/(n + n) = 1/n: Xavier with gain g = Kaiming with gain g."""
    a = init.xavier_normal_(zeros(50, 50), rng=np.random.default_rng(7), gain=1.3)
    b = init.kaiming_normal_(zeros(50, 50), rng=np.random.default_rng(7), gain=1.3)
    np.testing.assert_allclose(a.value, b.value, rtol=1e-15)


def test_conv_weights_use_the_receptive_field(rng):
    """(C_out, C_in, kh, kw) = (32, 16, 5, 5): fan_in = 400, std = sqrt(2/400)."""
    p = init.kaiming_normal_(zeros(32, 16, 5, 5), rng=rng)
    assert p.shape == (32, 16, 5, 5)
    assert p.value.std() == pytest.approx(math.sqrt(2.0 / 400), rel=0.02)


@pytest.mark.parametrize("shape", [(FAN_OUT, FAN_IN), FAN_OUT * FAN_IN])
def test_default_uniform_is_kaiming_uniform_with_slope_sqrt5(shape, rng):
    """U(-k, k), k = 1/sqrt(fan_in): the bound of kaiming_uniform_ with gain("leaky_relu",
    sqrt 5), from the same random numbers."""
    values = init.default_uniform(shape, FAN_IN, rng=np.random.default_rng(3))
    assert values.shape == np.zeros(shape).shape and values.dtype == np.float64
    check_uniform(values, 1.0 / math.sqrt(FAN_IN))
    g = init.gain("leaky_relu", alpha=math.sqrt(5.0))
    same = init.kaiming_uniform_(zeros(FAN_OUT, FAN_IN), rng=np.random.default_rng(3), gain=g)
    np.testing.assert_allclose(values.reshape(FAN_OUT, FAN_IN), same.value, rtol=0, atol=1e-15)


def test_linear_starts_from_default_uniform():
    layer = Linear(5, 3, rng=np.random.default_rng(2))
    rng = np.random.default_rng(2)
    np.testing.assert_array_equal(layer.weight.value, init.default_uniform((3, 5), 5, rng=rng))
    np.testing.assert_array_equal(layer.bias.value, init.default_uniform(3, 5, rng=rng))


@pytest.mark.parametrize(
    ("fan_in", "rng_arg", "error", "match"),
    [
        (0, np.random.default_rng(0), ValueError, "fan_in must be a positive integer, got 0"),
        (2.0, np.random.default_rng(0), TypeError, "fan_in must be a positive integer"),
        (4, None, TypeError, "rng"),
    ],
)
def test_default_uniform_errors(fan_in, rng_arg, error, match):
    with pytest.raises(error, match=match):
        init.default_uniform((2, 2), fan_in, rng=rng_arg)


@pytest.mark.parametrize("std", [0.01, 1.0, 3.0])
def test_normal_(std, rng):
    check_normal(init.normal_(zeros(FAN_OUT, FAN_IN), std, rng=rng).value, std)


def test_normal_with_zero_std_and_any_shape(rng):
    np.testing.assert_array_equal(init.normal_(Parameter(np.ones(5)), 0.0, rng=rng).value, 0.0)
    assert init.normal_(Parameter(np.ones(7)), 1.0, rng=rng).value.std() > 0


def test_zeros_(rng):
    p = Parameter(rng.normal(size=(3, 4)))
    array = p.value
    assert init.zeros_(p) is p
    assert p.value is array
    np.testing.assert_array_equal(p.value, 0.0)


ALL_RANDOM = {
    "xavier_uniform_": init.xavier_uniform_,
    "xavier_normal_": init.xavier_normal_,
    "kaiming_uniform_": init.kaiming_uniform_,
    "kaiming_normal_": init.kaiming_normal_,
    "normal_": lambda p, *, rng: init.normal_(p, 0.1, rng=rng),
}


@pytest.mark.parametrize("name", ALL_RANDOM)
def test_initialisers_work_in_place_and_return_the_parameter(name, rng):
    """The layer keeps its very array; the gradient is left alone."""
    layer = Linear(6, 4, rng=rng)
    array = layer.weight.value
    before = array.copy()
    layer.weight.grad = np.ones((4, 6))
    assert ALL_RANDOM[name](layer.weight, rng=rng) is layer.weight
    assert layer.weight.value is array
    assert not np.array_equal(array, before)
    np.testing.assert_array_equal(layer.weight.grad, 1.0)


@pytest.mark.parametrize("name", ALL_RANDOM)
def test_initialisers_are_reproducible_and_use_only_the_generator(name):
    f = ALL_RANDOM[name]
    a = f(zeros(5, 4), rng=np.random.default_rng(1)).value
    b = f(zeros(5, 4), rng=np.random.default_rng(1)).value
    c = f(zeros(5, 4), rng=np.random.default_rng(2)).value
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    state = np.random.get_state()[1].copy()  # noqa: NPY002 (the legacy global state)
    f(zeros(5, 4), rng=np.random.default_rng(1))
    np.testing.assert_array_equal(np.random.get_state()[1], state)  # noqa: NPY002


# --------------------------------------------------------------------------------------------
# Why it matters: the signal through a deep ReLU network
# --------------------------------------------------------------------------------------------


def mean_square_after(depth, initialise, rng, act=ReLU):
    layers = []
    for _ in range(depth):
        linear = Linear(256, 256, rng=rng)
        initialise(linear.weight, rng=rng)
        init.zeros_(linear.bias)
        layers += [linear, act()]
    x = rng.normal(size=(200, 256))
    return float(np.mean(Sequential(*layers)(x) ** 2))


def test_kaiming_keeps_the_signal_of_a_deep_relu_network(rng):
    """With He init E[h^2] stays near E[x^2]/2 = 0.5 after 20 ReLU layers; with std 0.01 it
    shrinks by a factor (256 * 1e-4 / 2)^20 ~ 1e-38."""
    he = mean_square_after(20, init.kaiming_normal_, rng)
    assert 0.25 < he < 1.0
    small = mean_square_after(20, lambda p, rng: init.normal_(p, 0.01, rng=rng), rng)
    assert small < 1e-30


def test_xavier_with_tanh_gain_keeps_tanh_activations_alive(rng):
    """Tanh with Xavier (gain 5/3) keeps a healthy spread after 20 layers; with std 0.01 the
    activations die out."""
    xavier = mean_square_after(
        20, lambda p, rng: init.xavier_normal_(p, rng=rng, gain=init.gain("tanh")), rng, Tanh
    )
    assert xavier > 0.1
    small = mean_square_after(20, lambda p, rng: init.normal_(p, 0.01, rng=rng), rng, Tanh)
    assert small < 1e-10


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_RANDOM)
@pytest.mark.parametrize("bad", [np.zeros((3, 3)), [[0.0]], None])
def test_initialisers_need_a_parameter(name, bad, rng):
    with pytest.raises(TypeError, match="param must be a Parameter"):
        ALL_RANDOM[name](bad, rng=rng)


def test_zeros_needs_a_parameter():
    with pytest.raises(TypeError, match="param must be a Parameter, got ndarray"):
        init.zeros_(np.ones(3))


@pytest.mark.parametrize("name", ALL_RANDOM)
@pytest.mark.parametrize("rng_arg", [None, 0, np.random.RandomState(0)])
def test_initialisers_need_a_generator(name, rng_arg):
    p = zeros(3, 3)
    with pytest.raises(TypeError, match=r"rng must be a numpy\.random\.Generator"):
        ALL_RANDOM[name](p, rng=rng_arg)
    np.testing.assert_array_equal(p.value, 0.0)


@pytest.mark.parametrize("name", ["xavier_uniform_", "xavier_normal_", "kaiming_uniform_"])
def test_rng_is_keyword_only(name):
    with pytest.raises(TypeError):
        getattr(init, name)(zeros(3, 3), np.random.default_rng(0))


@pytest.mark.parametrize("name", ["xavier_uniform_", "xavier_normal_", "kaiming_uniform_"])
@pytest.mark.parametrize(
    ("gain", "error"), [(0.0, ValueError), (-1.0, ValueError), ("1", TypeError)]
)
def test_gain_must_be_positive(name, gain, error, rng):
    with pytest.raises(error, match="gain"):
        getattr(init, name)(zeros(3, 3), rng=rng, gain=gain)


@pytest.mark.parametrize("name", ["xavier_uniform_", "kaiming_normal_"])
def test_one_dimensional_parameters_have_no_fans(name, rng):
    with pytest.raises(ValueError, match=r"at least 2 dimensions.*\(4,\)"):
        getattr(init, name)(Parameter(np.zeros(4)), rng=rng)


@pytest.mark.parametrize(
    ("std", "error"), [(-0.1, ValueError), (math.inf, ValueError), (None, TypeError)]
)
def test_normal_std_must_be_a_non_negative_number(std, error, rng):
    with pytest.raises(error, match="std"):
        init.normal_(zeros(2, 2), std, rng=rng)


@given(st.integers(1, 40), st.integers(1, 40))
def test_kaiming_uniform_bound_property(fan_out, fan_in):
    """Every draw lies within gain * sqrt(3 / fan_in), for any shape."""
    p = init.kaiming_uniform_(zeros(fan_out, fan_in), rng=np.random.default_rng(fan_in))
    assert np.all(np.abs(p.value) <= SQRT2 * math.sqrt(3.0 / fan_in))
