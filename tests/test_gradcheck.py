"""Tests for dlnotes.gradcheck: the tool that checks every other backward pass."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlnotes import activations as A
from dlnotes.gradcheck import check_layer, check_loss, numerical_gradient, relative_error
from dlnotes.layers import Linear, Sequential, Sigmoid, Tanh
from dlnotes.losses import BCEWithLogitsLoss, CrossEntropyLoss, Loss, MSELoss

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "gradcheck.check_layer",
    "gradcheck.check_loss",
    "gradcheck.numerical_gradient",
    "gradcheck.relative_error",
)

# --------------------------------------------------------------------------------------------
# numerical_gradient
# --------------------------------------------------------------------------------------------


def test_numerical_gradient_of_a_quadratic(rng):
    """f(x) = x^T A x + b^T x has gradient (A + A^T) x + b; central differences are exact
    for quadratics up to rounding."""
    a = rng.normal(size=(4, 4))
    b = rng.normal(size=4)
    x = rng.normal(size=4)
    grad = numerical_gradient(lambda v: v @ a @ v + b @ v, x)
    np.testing.assert_allclose(grad, (a + a.T) @ x + b, rtol=1e-9, atol=1e-10)


def test_numerical_gradient_of_sin(rng):
    """d/dx sum(sin x) = cos x, for a 2-D x."""
    x = rng.uniform(-3.0, 3.0, size=(3, 5))
    grad = numerical_gradient(lambda v: np.sin(v).sum(), x)
    assert grad.shape == x.shape
    np.testing.assert_allclose(grad, np.cos(x), rtol=0, atol=1e-9)
    assert relative_error(grad, np.cos(x)) < 1e-9


def test_numerical_gradient_truncation_error_is_second_order():
    """For exp at 0 the error is about h^2/6: halving h quarters it."""
    errors = [
        abs(numerical_gradient(lambda v: np.exp(v).sum(), [0.0], h=h)[0] - 1.0)
        for h in (1e-2, 5e-3)
    ]
    assert errors[0] == pytest.approx(1e-4 / 6, rel=1e-3)
    assert errors[0] / errors[1] == pytest.approx(4.0, rel=1e-2)


def test_numerical_gradient_of_a_scalar_input():
    grad = numerical_gradient(lambda v: v**3, 2.0)
    assert grad.shape == ()
    assert float(grad) == pytest.approx(12.0, rel=1e-9)


def test_numerical_gradient_accepts_lists_and_integers():
    grad = numerical_gradient(lambda v: (v**2).sum(), [1, 2, 3])
    assert grad.dtype == np.float64
    np.testing.assert_allclose(grad, [2.0, 4.0, 6.0], rtol=1e-9)


def test_numerical_gradient_leaves_the_input_unchanged(rng):
    x = rng.normal(size=(2, 3))
    x_before = x.copy()
    numerical_gradient(lambda v: np.sum(v**2), x)
    np.testing.assert_array_equal(x, x_before)


def test_numerical_gradient_works_on_non_contiguous_input(rng):
    x = rng.normal(size=(4, 3)).T  # a transposed (Fortran-ordered) view
    grad = numerical_gradient(lambda v: np.sum(v**2 * np.arange(4.0)), x)
    np.testing.assert_allclose(grad, 2 * x * np.arange(4.0), rtol=1e-8, atol=1e-10)


def test_numerical_gradient_rejects_non_numeric_input():
    with pytest.raises(TypeError, match=r"\bx\b"):
        numerical_gradient(np.sum, "abc")


@pytest.mark.parametrize(
    ("bad", "count"),
    [([np.nan], "1 non-finite entry"), ([np.inf, -np.inf], "2 non-finite entries")],
)
def test_numerical_gradient_rejects_non_finite_input(bad, count):
    calls = []
    x = np.zeros((2, 3))
    x.flat[: len(bad)] = bad
    with pytest.raises(ValueError) as err:
        numerical_gradient(lambda v: calls.append(1) or float(np.sum(v)), x)
    assert str(err.value) == f"x has {count} (NaN or infinity) of 6"
    assert calls == []  # refused before f is called


# --------------------------------------------------------------------------------------------
# relative_error
# --------------------------------------------------------------------------------------------

vectors = hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-1e6, 1e6, allow_nan=False))


def test_relative_error_hand_values():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert relative_error([3.0, 4.0], [0.0, 0.0]) == 1.0  # compared with nothing
    assert relative_error([1.0, 2.0], [-1.0, -2.0]) == 1.0  # opposite directions
    assert relative_error([1.0], [1.1]) == pytest.approx(0.1 / 2.1, rel=1e-12)
    assert isinstance(relative_error([1.0], [2.0]), float)


@settings(max_examples=60)
@given(vectors)
def test_relative_error_of_equal_arrays_is_zero(a):
    assert relative_error(a, a.copy()) == 0.0


@settings(max_examples=60)
@given(st.data())
def test_relative_error_is_symmetric_and_bounded(data):
    a = data.draw(vectors, label="a")
    b = data.draw(
        hnp.arrays(np.float64, a.shape, elements=st.floats(-1e6, 1e6, allow_nan=False)), label="b"
    )
    err = relative_error(a, b)
    assert err == relative_error(b, a)
    assert 0.0 <= err <= 1.0 + 1e-15  # triangle inequality


@settings(max_examples=60)
@given(vectors, st.floats(1e-3, 1e3))
def test_relative_error_is_scale_invariant(a, scale):
    b = a + 0.5
    np.testing.assert_allclose(
        relative_error(scale * a, scale * b), relative_error(a, b), rtol=1e-9, atol=1e-15
    )


def test_relative_error_is_not_dominated_by_one_tiny_entry():
    """A wrong entry that is tiny compared with the whole gradient gives a tiny error."""
    a = np.array([1.0, 1.0, 1e-12])
    b = np.array([1.0, 1.0, 2e-12])
    assert relative_error(a, b) < 1e-12


@pytest.mark.parametrize(("sa", "sb"), [((3,), (4,)), ((3,), (1, 3)), ((2, 3), (3, 2))])
def test_relative_error_shape_mismatch(sa, sb):
    with pytest.raises(ValueError, match=re.escape(str(sa)) + ".*" + re.escape(str(sb))):
        relative_error(np.ones(sa), np.ones(sb))


@pytest.mark.parametrize(("a", "b", "name"), [("x", [1.0], "a"), ([1.0], None, "b")])
def test_relative_error_rejects_non_numeric(a, b, name):
    with pytest.raises(TypeError, match=rf"\b{name}\b"):
        relative_error(a, b)


# --------------------------------------------------------------------------------------------
# check_layer
# --------------------------------------------------------------------------------------------


class WrongSigmoid(Sigmoid):
    """A sigmoid whose backward forgets the factor (1 - s): d sigma/dx taken as sigma(x)."""

    _df = staticmethod(A.sigmoid)


class LinearWithWrongBias(Linear):
    """A Linear layer whose bias gradient is twice the right one; dx and dW are right."""

    def backward(self, dout):
        dx = super().backward(dout)
        self.bias.grad = 2.0 * self.bias.grad
        return dx


class LinearWithWrongInputGradient(Linear):
    """A Linear layer whose dx uses W with its columns reversed; dW and db are right."""

    def backward(self, dout):
        super().backward(dout)
        return dout @ self.weight.value[:, ::-1]


def test_check_layer_passes_a_correct_layer(rng):
    errors = check_layer(Sigmoid(), rng.normal(size=(3, 4)), rng=rng)
    assert errors["x"] < 1e-9


def test_check_layer_flags_a_wrong_activation_derivative(rng):
    errors = check_layer(WrongSigmoid(), rng.normal(size=(3, 4)), rng=rng)
    assert errors["x"] > 1e-2


def test_check_layer_flags_a_wrong_parameter_gradient(rng):
    errors = check_layer(LinearWithWrongBias(3, 2, rng=rng), rng.normal(size=(4, 3)), rng=rng)
    assert errors["x"] < 1e-7 and errors["weight"] < 1e-7
    assert errors["bias"] == pytest.approx(1 / 3, rel=1e-6)  # |2g - g| / (|2g| + |g|)


def test_check_layer_flags_a_wrong_input_gradient(rng):
    layer = LinearWithWrongInputGradient(4, 3, rng=rng)
    errors = check_layer(layer, rng.normal(size=(5, 4)), rng=rng)
    assert errors["x"] > 1e-2
    assert errors["weight"] < 1e-7 and errors["bias"] < 1e-7


def test_check_layer_finds_a_wrong_layer_inside_a_network(rng):
    net = Sequential(Linear(3, 4, rng=rng), WrongSigmoid(), Linear(4, 2, rng=rng))
    errors = check_layer(net, rng.normal(size=(5, 3)), rng=rng)
    assert errors["2.weight"] < 1e-7 and errors["2.bias"] < 1e-7  # after the bad layer
    assert errors["x"] > 1e-2 and errors["0.weight"] > 1e-2 and errors["0.bias"] > 1e-2


def test_check_layer_restores_parameters(rng):
    layer = Linear(3, 2, rng=rng)
    before = [p.value.copy() for p in layer.parameters()]
    x = rng.normal(size=(4, 3))
    x_before = x.copy()
    check_layer(layer, x, rng=rng)
    for p, value in zip(layer.parameters(), before, strict=True):
        np.testing.assert_array_equal(p.value, value)
    np.testing.assert_array_equal(x, x_before)


def test_check_layer_handles_non_contiguous_parameters(rng):
    """A weight assigned as a transposed view is perturbed in place like any other."""
    layer = Linear(3, 2, rng=rng)
    layer.weight.value = rng.normal(size=(3, 2)).T
    assert not layer.weight.value.flags.c_contiguous
    errors = check_layer(layer, rng.normal(size=(4, 3)), rng=rng)
    assert max(errors.values()) < 1e-7, errors


def test_check_layer_works_for_a_deep_network(rng):
    net = Sequential(
        Linear(2, 5, rng=rng), Tanh(), Linear(5, 5, rng=rng), Tanh(), Linear(5, 1, rng=rng)
    )
    errors = check_layer(net, rng.normal(size=(6, 2)), rng=rng)
    assert sorted(errors) == sorted(
        ["x", "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]
    )
    assert max(errors.values()) < 1e-7


# --------------------------------------------------------------------------------------------
# check_loss
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("loss", [MSELoss(), BCEWithLogitsLoss()])
def test_check_loss_passes_correct_losses(rng, loss):
    pred = rng.normal(size=(5, 3))
    assert check_loss(loss, pred, rng.uniform(size=(5, 3))) < 1e-9


def test_check_loss_keeps_integer_targets(rng):
    assert check_loss(CrossEntropyLoss(), rng.normal(size=(6, 4)), rng.integers(0, 4, 6)) < 1e-9


def test_check_loss_flags_a_wrong_gradient(rng):
    class Doubled(MSELoss):
        def backward(self):
            return 2.0 * super().backward()

    err = check_loss(Doubled(), rng.normal(size=(4, 2)), rng.normal(size=(4, 2)))
    assert err == pytest.approx(1 / 3, rel=1e-6)  # |2g - g| / (|2g| + |g|)


class UncheckedSquares(Loss):
    """Sum of squared differences that checks nothing: NaN in, NaN out."""

    def forward(self, pred, target):
        self._diff = np.asarray(pred, dtype=float) - np.asarray(target, dtype=float)
        return float(np.sum(self._diff**2))

    def backward(self):
        return 2.0 * self._diff


@pytest.mark.parametrize("argument", ["pred", "target"])
@pytest.mark.parametrize(
    ("bad", "count"), [([np.nan], "1 non-finite entry"), ([np.inf, np.nan], "2 non-finite entries")]
)
def test_check_loss_rejects_non_finite_input(argument, bad, count, rng):
    """Refused by check_loss itself, even for a loss that would take NaN without a word."""
    arrays = {"pred": rng.normal(size=(4, 2)), "target": rng.normal(size=(4, 2))}
    arrays[argument].flat[: len(bad)] = bad
    with pytest.raises(ValueError) as err:
        check_loss(UncheckedSquares(), arrays["pred"], arrays["target"])
    assert str(err.value) == f"{argument} has {count} (NaN or infinity) of 8"


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_check_layer_rejects_non_finite_input(bad, rng):
    """A sigmoid would pass NaN through silently (and give NaN errors): refused first."""
    x = rng.normal(size=(3, 4))
    x[1, 2] = bad
    with pytest.raises(ValueError) as err:
        check_layer(Sigmoid(), x, rng=rng)
    assert str(err.value) == "x has 1 non-finite entry (NaN or infinity) of 12"


def test_check_loss_leaves_the_prediction_unchanged(rng):
    pred = rng.normal(size=(3, 3))
    before = pred.copy()
    check_loss(CrossEntropyLoss(), pred, np.array([0, 1, 2]))
    np.testing.assert_array_equal(pred, before)
