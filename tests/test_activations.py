"""Tests for dlnotes.activations: closed forms, derivatives, properties, extremes, bad input."""

import functools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from strict import strict_fp

from dlnotes import activations as A
from dlnotes.gradcheck import numerical_gradient, relative_error

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "activations.leaky_relu",
    "activations.leaky_relu_grad",
    "activations.log_softmax",
    "activations.relu",
    "activations.relu_grad",
    "activations.sigmoid",
    "activations.sigmoid_grad",
    "activations.softmax",
    "activations.softplus",
    "activations.softplus_grad",
    "activations.softsign",
    "activations.softsign_grad",
    "activations.tanh",
    "activations.tanh_grad",
)

LN2, LN3 = math.log(2.0), math.log(3.0)

# Elementwise functions with their derivatives; leaky_relu is checked with the default
# alpha and with a non-default one.
leaky_02 = functools.partial(A.leaky_relu, alpha=0.2)
leaky_02_grad = functools.partial(A.leaky_relu_grad, alpha=0.2)
PAIRS = {
    "sigmoid": (A.sigmoid, A.sigmoid_grad),
    "tanh": (A.tanh, A.tanh_grad),
    "softsign": (A.softsign, A.softsign_grad),
    "relu": (A.relu, A.relu_grad),
    "leaky_relu": (A.leaky_relu, A.leaky_relu_grad),
    "leaky_relu_0.2": (leaky_02, leaky_02_grad),
    "softplus": (A.softplus, A.softplus_grad),
}
ELEMENTWISE = {name: f for name, (f, _) in PAIRS.items()} | {
    f"{name}_grad": df for name, (_, df) in PAIRS.items()
}
ALL_FUNCTIONS = ELEMENTWISE | {"softmax": A.softmax, "log_softmax": A.log_softmax}
KINKED = {"relu", "leaky_relu", "leaky_relu_0.2", "softsign"}


def finite_arrays(bound: float = 1e4, min_dims: int = 0, min_side: int = 0):
    """Float64 arrays of up to 3 dimensions with entries in [-bound, bound]."""
    return hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=min_side, max_side=5),
        elements=st.floats(-bound, bound, allow_nan=False, allow_infinity=False),
    )


def off_kink(x: np.ndarray, margin: float = 0.05) -> np.ndarray:
    """Move entries closer than `margin` to 0 out to +-margin (keeping their sign)."""
    return np.where(np.abs(x) < margin, np.where(x < 0, -margin, margin), x)


# --------------------------------------------------------------------------------------------
# 1. Closed-form values at hand-computable points
# --------------------------------------------------------------------------------------------

CLOSED_FORMS = [
    # (function, input, exact value)
    (A.sigmoid, [0.0, LN3, -LN3], [0.5, 0.75, 0.25]),  # 1/(1+1/3) = 3/4
    (A.tanh, [0.0, LN2, -LN2], [0.0, 0.6, -0.6]),  # (2 - 1/2)/(2 + 1/2) = 3/5
    (A.softsign, [0.0, 3.0, -1.0], [0.0, 0.75, -0.5]),
    (A.relu, [-2.0, 0.0, 3.5], [0.0, 0.0, 3.5]),
    (A.leaky_relu, [-2.0, 0.0, 3.5], [-0.02, 0.0, 3.5]),
    (leaky_02, [-2.0, 0.0, 3.5], [-0.4, 0.0, 3.5]),
    (A.softplus, [0.0, LN3, -LN3], [LN2, math.log(4.0), math.log(4.0 / 3.0)]),
    (A.sigmoid_grad, [0.0, LN3, -LN3], [0.25, 0.1875, 0.1875]),  # s(1-s) = 3/4 * 1/4
    (A.tanh_grad, [0.0, LN2], [1.0, 0.64]),  # 1 - 0.6^2
    (A.softsign_grad, [0.0, 3.0, -1.0], [1.0, 1.0 / 16.0, 0.25]),
    (A.relu_grad, [-1.0, 0.0, 2.0], [0.0, 0.0, 1.0]),  # relu'(0) = 0 as in PyTorch
    (A.leaky_relu_grad, [-1.0, 0.0, 2.0], [0.01, 0.01, 1.0]),
    (leaky_02_grad, [-1.0, 0.0, 2.0], [0.2, 0.2, 1.0]),
    (A.softplus_grad, [0.0, LN3, -LN3], [0.5, 0.75, 0.25]),  # softplus' = sigmoid
]


@pytest.mark.parametrize(("f", "x", "expected"), CLOSED_FORMS)
def test_closed_form_values(f, x, expected):
    """Each function matches exact values at points where it can be computed by hand."""
    np.testing.assert_allclose(f(np.array(x)), expected, rtol=1e-14, atol=1e-15)


def test_softmax_of_equal_scores_is_uniform():
    x = np.full((3, 4), 7.25)
    np.testing.assert_allclose(A.softmax(x), np.full((3, 4), 0.25), rtol=1e-15)
    np.testing.assert_allclose(A.softmax(x, axis=0), np.full((3, 4), 1 / 3), rtol=1e-15)


def test_softmax_of_log_integers():
    """softmax([0, ln 2, ln 3]) = [1, 2, 3] / 6."""
    x = np.array([0.0, LN2, LN3])
    np.testing.assert_allclose(A.softmax(x), [1 / 6, 2 / 6, 3 / 6], rtol=1e-14)
    np.testing.assert_allclose(A.log_softmax(x), np.log([1 / 6, 2 / 6, 3 / 6]), rtol=1e-14)


def test_softmax_along_each_axis(rng):
    """The axis argument selects which slices sum to one (same as transposing)."""
    x = rng.normal(size=(3, 4, 5))
    for axis in range(3):
        p = A.softmax(x, axis=axis)
        np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=1e-14)
        moved = A.softmax(np.moveaxis(x, axis, -1))
        np.testing.assert_allclose(np.moveaxis(p, axis, -1), moved, rtol=1e-14)
        np.testing.assert_allclose(A.softmax(x, axis=axis - 3), p, rtol=0)  # negative axis


def test_log_softmax_consistent_with_softmax(rng):
    """exp(log_softmax) = softmax and log_softmax = x - logsumexp(x)."""
    x = rng.normal(scale=3.0, size=(4, 6))
    ls = A.log_softmax(x)
    np.testing.assert_allclose(np.exp(ls), A.softmax(x), rtol=1e-13)
    logsumexp = np.log(np.exp(x).sum(axis=-1, keepdims=True))
    np.testing.assert_allclose(ls, x - logsumexp, rtol=1e-13, atol=1e-14)


def test_log_softmax_stays_finite_where_log_of_softmax_underflows():
    """log(softmax) gives -inf once a probability underflows; log_softmax does not."""
    x = np.array([0.0, 1000.0])
    with np.errstate(divide="ignore"):
        assert np.isneginf(np.log(A.softmax(x))[0])
    np.testing.assert_array_equal(A.log_softmax(x), [-1000.0, 0.0])


# --------------------------------------------------------------------------------------------
# 2. Jacobians against central differences (each *_grad: tests/gradcheck_cases.py)
# --------------------------------------------------------------------------------------------


def test_softmax_jacobian_is_diag_p_minus_ppT(rng):
    """d softmax_i / d x_j = p_i (delta_ij - p_j), computed numerically row by row."""
    x = rng.normal(scale=2.0, size=6)
    p = A.softmax(x)
    numeric = np.stack([numerical_gradient(lambda v, i=i: A.softmax(v)[i], x) for i in range(6)])
    expected = np.diag(p) - np.outer(p, p)
    assert relative_error(numeric, expected) < 1e-7
    # each column sums to 0 because the outputs always sum to 1
    np.testing.assert_allclose(numeric.sum(axis=0), 0.0, atol=1e-9)


def test_log_softmax_jacobian_is_identity_minus_p(rng):
    """d log_softmax_i / d x_j = delta_ij - p_j."""
    x = rng.normal(scale=2.0, size=5)
    p = A.softmax(x)
    numeric = np.stack(
        [numerical_gradient(lambda v, i=i: A.log_softmax(v)[i], x) for i in range(5)]
    )
    expected = np.eye(5) - p[np.newaxis, :]
    assert relative_error(numeric, expected) < 1e-7


# --------------------------------------------------------------------------------------------
# 3. Hypothesis properties
# --------------------------------------------------------------------------------------------


@settings(max_examples=60)
@given(finite_arrays())
def test_sigmoid_is_symmetric(x):
    """sigma(x) + sigma(-x) = 1."""
    np.testing.assert_allclose(A.sigmoid(x) + A.sigmoid(-x), 1.0, rtol=0, atol=1e-15)


@settings(max_examples=60)
@given(finite_arrays())
def test_tanh_is_a_rescaled_sigmoid(x):
    """tanh(x) = 2 sigma(2x) - 1."""
    np.testing.assert_allclose(A.tanh(x), 2 * A.sigmoid(2 * x) - 1, rtol=1e-12, atol=1e-15)


@settings(max_examples=60)
@given(finite_arrays())
def test_softplus_difference_is_identity(x):
    """softplus(x) - softplus(-x) = x."""
    np.testing.assert_allclose(A.softplus(x) - A.softplus(-x), x, rtol=1e-12, atol=1e-12)


@settings(max_examples=60)
@given(finite_arrays())
def test_relu_difference_is_identity(x):
    """relu(x) - relu(-x) = x, exactly."""
    np.testing.assert_array_equal(A.relu(x) - A.relu(-x), x)


@settings(max_examples=60)
@given(finite_arrays())
def test_leaky_relu_special_slopes(x):
    """alpha = 1 gives the identity, alpha = 0 gives ReLU (both exactly)."""
    np.testing.assert_array_equal(A.leaky_relu(x, alpha=1.0), x)
    np.testing.assert_array_equal(A.leaky_relu_grad(x, alpha=1.0), np.ones_like(x))
    np.testing.assert_array_equal(A.leaky_relu(x, alpha=0.0), A.relu(x))
    np.testing.assert_array_equal(A.leaky_relu_grad(x, alpha=0.0), A.relu_grad(x))


@settings(max_examples=30)
@given(finite_arrays(bound=30.0))
def test_softplus_derivative_is_sigmoid(x):
    """The numerical derivative of softplus is the sigmoid (and softplus_grad returns it)."""
    h = 1e-5  # elementwise central differences: rounding error about 1e-16 * 30 / h
    numeric = (A.softplus(x + h) - A.softplus(x - h)) / (2 * h)
    np.testing.assert_allclose(numeric, A.sigmoid(x), rtol=0, atol=1e-8)
    np.testing.assert_array_equal(A.softplus_grad(x), A.sigmoid(x))


@settings(max_examples=60)
@given(finite_arrays(min_dims=1, min_side=1))
def test_softmax_rows_sum_to_one(x):
    p = A.softmax(x)
    assert p.shape == x.shape
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=0, atol=1e-12)


@settings(max_examples=60)
@given(st.data())
def test_softmax_invariant_to_a_constant_per_row(data):
    """softmax(x + c) = softmax(x) when c is constant along the softmax axis."""
    x = data.draw(finite_arrays(bound=1e3, min_dims=1, min_side=1), label="x")
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1), label="axis")
    c_shape = tuple(1 if i == axis % x.ndim else n for i, n in enumerate(x.shape))
    c = data.draw(hnp.arrays(np.float64, c_shape, elements=st.floats(-1e3, 1e3)), label="c")
    np.testing.assert_allclose(
        A.softmax(x + c, axis=axis), A.softmax(x, axis=axis), rtol=1e-9, atol=1e-15
    )
    np.testing.assert_allclose(
        A.log_softmax(x + c, axis=axis), A.log_softmax(x, axis=axis), rtol=1e-9, atol=1e-9
    )


@settings(max_examples=60)
@given(finite_arrays(min_dims=1, min_side=1))
def test_log_softmax_is_log_of_softmax(x):
    """log_softmax = log(softmax) wherever softmax has not underflowed; always finite."""
    ls = A.log_softmax(x)
    p = A.softmax(x)
    assert ls.shape == x.shape
    assert np.all(np.isfinite(ls))
    assert np.all(ls <= 0.0)
    normal = p > 1e-290  # below that, p is subnormal or 0 and log(p) loses its digits
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(ls[normal], np.log(p[normal]), rtol=1e-12, atol=1e-10)


@pytest.mark.parametrize("name", ELEMENTWISE)
@settings(max_examples=25)
@given(x=finite_arrays())
def test_elementwise_outputs_keep_shape(name, x):
    out = ELEMENTWISE[name](x)
    assert np.shape(out) == x.shape
    assert np.asarray(out).dtype == np.float64


@settings(max_examples=60)
@given(finite_arrays())
def test_outputs_lie_in_documented_ranges(x):
    """Ranges: sigma in [0, 1], tanh in [-1, 1], softsign in (-1, 1) for |x| <= 1e4, ..."""
    assert np.all((A.sigmoid(x) >= 0) & (A.sigmoid(x) <= 1))
    assert np.all(np.abs(A.tanh(x)) <= 1)
    assert np.all(np.abs(A.softsign(x)) < 1)
    assert np.all(A.relu(x) >= 0)
    # ln(1 + e^x) - max(x, 0) = ln(1 + e^-|x|) lies in (0, ln 2]
    gap = A.softplus(x) - A.relu(x)
    assert np.all((gap >= 0) & (gap <= LN2 + 1e-15))
    # derivatives
    assert np.all((A.sigmoid_grad(x) >= 0) & (A.sigmoid_grad(x) <= 0.25))
    assert np.all((A.tanh_grad(x) >= 0) & (A.tanh_grad(x) <= 1))
    assert np.all((A.softsign_grad(x) > 0) & (A.softsign_grad(x) <= 1))
    assert set(np.unique(A.relu_grad(x))) <= {0.0, 1.0}
    assert set(np.unique(A.leaky_relu_grad(x, alpha=0.3))) <= {0.3, 1.0}
    assert np.all((A.softplus_grad(x) >= 0) & (A.softplus_grad(x) <= 1))


@settings(max_examples=60)
@given(finite_arrays(min_dims=1, min_side=1))
def test_softmax_outputs_are_probabilities(x):
    p = A.softmax(x)
    assert np.all((p >= 0) & (p <= 1))
    # the largest score gets the largest probability
    np.testing.assert_array_equal(
        np.take_along_axis(p, np.argmax(x, axis=-1)[..., None], axis=-1)[..., 0], p.max(axis=-1)
    )


# --------------------------------------------------------------------------------------------
# 4. Extreme inputs: no NaN, no spurious inf, no warning
# --------------------------------------------------------------------------------------------

# Limits at -inf and +inf. Every function here has a limit at both ends, so +-inf are valid
# inputs and must give these values; relu, leaky_relu and softplus go to infinity, which is
# then the correct answer.
LIMITS = {
    "sigmoid": (0.0, 1.0),
    "tanh": (-1.0, 1.0),
    "softsign": (-1.0, 1.0),
    "relu": (0.0, np.inf),
    "leaky_relu": (-np.inf, np.inf),
    "leaky_relu_0.2": (-np.inf, np.inf),
    "softplus": (0.0, np.inf),
    "sigmoid_grad": (0.0, 0.0),
    "tanh_grad": (0.0, 0.0),
    "softsign_grad": (0.0, 0.0),
    "relu_grad": (0.0, 1.0),
    "leaky_relu_grad": (0.01, 1.0),
    "leaky_relu_0.2_grad": (0.2, 1.0),
    "softplus_grad": (0.0, 1.0),
}
assert set(LIMITS) == set(ELEMENTWISE)


def extreme_values(dtype) -> np.ndarray:
    """+-inf, +-the largest finite number, +-1e300 (float64) or 1e30 (float32), +-1e4, ..."""
    big = np.finfo(dtype).max
    large = 1e300 if dtype == np.float64 else 1e30
    pos = [1e-300 if dtype == np.float64 else 1e-30, 1.0, 40.0, 710.0, 1e4, large, big]
    return np.array([-np.inf, *(-v for v in pos[::-1]), 0.0, *pos, np.inf], dtype=dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_extreme_inputs(name, dtype):
    """Huge and infinite inputs: finite where the true value is finite, limits at +-inf."""
    x = extreme_values(dtype)
    with strict_fp():
        out = ELEMENTWISE[name](x)
    assert out.dtype == dtype
    assert not np.any(np.isnan(out))
    assert np.all(np.isfinite(out[np.isfinite(x)])), out
    lo, hi = LIMITS[name]
    np.testing.assert_array_equal(out[[0, -1]], np.array([lo, hi], dtype=dtype))


def test_saturated_values_at_1e4():
    """At |x| = 1e4 the functions return their asymptotes (or the exact linear part)."""
    x = np.array([-1e4, 1e4])
    with strict_fp():
        np.testing.assert_array_equal(A.sigmoid(x), [0.0, 1.0])
        np.testing.assert_array_equal(A.tanh(x), [-1.0, 1.0])
        np.testing.assert_array_equal(A.softplus(x), [0.0, 1e4])
        np.testing.assert_allclose(A.softsign(x), [-1e4 / 10001, 1e4 / 10001], rtol=1e-15)
        np.testing.assert_array_equal(A.sigmoid_grad(x), [0.0, 0.0])


# Rows of scores with their exact softmax and log_softmax. A -inf score is a masked entry
# (probability exactly 0, log-probability -inf, which is then the true value). +inf scores are
# deliberately not part of the contract: a row with two +inf has no limit, and PyTorch returns
# NaN for them as well.
SOFTMAX_EXTREMES = [
    ([1e4, -1e4, 0.0], [1.0, 0.0, 0.0], [0.0, -2e4, -1e4]),
    ([1e300, -1e300, 0.0], [1.0, 0.0, 0.0], [0.0, -2e300, -1e300]),
    ([-1e300, -1e300], [0.5, 0.5], [-LN2, -LN2]),
    ([1e4, 1e4 + LN3], [0.25, 0.75], [math.log(0.25), math.log(0.75)]),
    ([0.0, -np.inf, LN3], [0.25, 0.0, 0.75], [math.log(0.25), -np.inf, math.log(0.75)]),
    ([-np.inf, 5.0], [0.0, 1.0], [-np.inf, 0.0]),
]


@pytest.mark.parametrize(("x", "p", "logp"), SOFTMAX_EXTREMES)
def test_softmax_extreme_inputs(x, p, logp):
    with strict_fp():
        out_p = A.softmax(np.array(x))
        out_logp = A.log_softmax(np.array(x))
    assert not np.any(np.isnan(out_p)) and not np.any(np.isnan(out_logp))
    np.testing.assert_allclose(out_p, p, rtol=1e-10, atol=0)
    np.testing.assert_allclose(out_logp, logp, rtol=1e-10, atol=1e-10)
    assert np.all(np.isfinite(out_logp[np.isfinite(logp)]))


def test_softmax_extreme_inputs_float32():
    """Float32 scores of 1e30 (the float32 analogue of 1e300).

    Not covered: scores whose differences exceed the largest float (such as +-3e38 in one
    float32 row), where the shift by the maximum itself overflows.
    """
    x = np.array([[1e4, -1e4, 0.0], [1e30, -1e30, 0.0]], dtype=np.float32)
    with strict_fp():
        p, logp = A.softmax(x), A.log_softmax(x)
    assert p.dtype == logp.dtype == np.float32
    np.testing.assert_array_equal(p, [[1, 0, 0], [1, 0, 0]])
    assert np.all(np.isfinite(logp[0]))


# --------------------------------------------------------------------------------------------
# 5. Dtypes
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_FUNCTIONS)
def test_float32_input_keeps_float32(name):
    x = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4)
    out = ALL_FUNCTIONS[name](x)
    assert out.dtype == np.float32
    # and it is the float64 result to float32 accuracy (1 - tanh^2 cancels: absolute accuracy)
    expected = ALL_FUNCTIONS[name](x.astype(np.float64))
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", ALL_FUNCTIONS)
@pytest.mark.parametrize("x", [np.arange(-3, 4), np.arange(6, dtype=np.uint8), [-2, 0, 5]])
def test_integer_input_gives_float64(name, x):
    out = ALL_FUNCTIONS[name](x)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, ALL_FUNCTIONS[name](np.asarray(x, dtype=np.float64)))


# --------------------------------------------------------------------------------------------
# 6. Bad input
# --------------------------------------------------------------------------------------------

BAD_INPUTS = {
    "string": "1.0",
    "string array": np.array(["a", "b"]),
    "None": None,
    "complex": [1.0 + 2.0j, 0.5],
    "object array": np.array([1.0, 2.0], dtype=object),
    "bool array": np.array([True, False]),
    "bool": True,
    "ragged": [[1.0], [1.0, 2.0]],
}


@pytest.mark.parametrize("bad", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
@pytest.mark.parametrize("name", ALL_FUNCTIONS)
def test_bad_input_raises_type_error_naming_x(name, bad):
    with pytest.raises(TypeError, match=r"\bx\b"):
        ALL_FUNCTIONS[name](bad)


@pytest.mark.parametrize("f", [A.softmax, A.log_softmax])
@pytest.mark.parametrize("axis", [2, -3, 10])
def test_softmax_axis_out_of_range(f, axis):
    with pytest.raises(np.exceptions.AxisError, match=rf"axis {axis}\b") as info:
        f(np.zeros((2, 3)), axis=axis)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("f", [A.softmax, A.log_softmax])
def test_softmax_needs_at_least_one_dimension(f):
    with pytest.raises(ValueError, match="axis"):
        f(1.0)


@pytest.mark.parametrize("f", [A.softmax, A.log_softmax])
@pytest.mark.parametrize("axis", [1.0, "0", None, True, [0]])
def test_softmax_non_integer_axis(f, axis):
    with pytest.raises(TypeError, match="axis"):
        f(np.zeros((2, 3)), axis=axis)


def test_softmax_accepts_numpy_integer_axis():
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(A.softmax(x, axis=np.int64(0)), A.softmax(x, axis=0))


@pytest.mark.parametrize("f", [A.leaky_relu, A.leaky_relu_grad])
@pytest.mark.parametrize("alpha", ["0.1", None, True, 1j, [0.1]])
def test_alpha_non_numeric(f, alpha):
    with pytest.raises(TypeError, match="alpha"):
        f([1.0, -1.0], alpha=alpha)


@pytest.mark.parametrize("f", [A.leaky_relu, A.leaky_relu_grad])
@pytest.mark.parametrize("alpha", [math.nan, math.inf, -math.inf])
def test_alpha_not_finite(f, alpha):
    with pytest.raises(ValueError, match="alpha"):
        f([1.0, -1.0], alpha=alpha)


def test_alpha_accepts_numpy_scalars():
    np.testing.assert_allclose(A.leaky_relu([-1.0], alpha=np.float32(0.5)), [-0.5])
