"""Chapter 4's MindSpore snippets (docs/mindspore/activations.py) against dlnotes.activations."""

from __future__ import annotations

import numpy as np
import pytest

import dlnotes.activations as act

FUNCTIONS = ("sigmoid", "tanh", "softsign", "relu", "softplus")


@pytest.fixture(scope="module")
def snippets():
    import activations

    return activations


@pytest.mark.parametrize("seed", range(3))
def test_each_activation_and_its_derivative(snippets, compare, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 3.0, size=(4, 7))
    x[np.abs(x) < 0.1] = 0.5  # off the kink of ReLU and LeakyReLU at 0
    values, grads = snippets.activations(x), snippets.derivatives(x)
    for name in FUNCTIONS:
        # MindSpore's CPU Softplus kernel rounds like float32 even on float64 input (absolute
        # errors up to about 2e-6, measured): it gets float32's tolerance with that atol.
        loose = {"rtol": 1e-5, "atol": 1e-5} if name == "softplus" else {}
        compare(f"ops.{name}", getattr(act, name)(x), values[name], **loose)
        compare(f"ops.{name} derivative", getattr(act, f"{name}_grad")(x), grads[name], **loose)
    # nn.LeakyReLU keeps alpha as a float32 number (0.01 is stored as 0.0099999998), so the
    # negative side differs from float64 arithmetic by about 2e-8 (relative).
    leaky = act.leaky_relu(x, alpha=0.01)
    compare("nn.LeakyReLU(alpha=0.01)", leaky, values["leaky_relu"], rtol=1e-7)
    compare(
        "nn.LeakyReLU derivative",
        act.leaky_relu_grad(x, alpha=0.01),
        grads["leaky_relu"],
        rtol=1e-7,
    )
    compare("ops.softmax", act.softmax(x, axis=-1), values["softmax"])


def test_the_snippets_stay_in_float64(snippets):
    x = np.linspace(-3.0, 3.0, 7)
    for value in [*snippets.activations(x).values(), *snippets.derivatives(x).values()]:
        assert value.asnumpy().dtype == np.float64


def test_leaky_relu_default_slope_is_not_the_books(ms):
    """The chapter warns that nn.LeakyReLU() uses 0.2, twenty times dlnotes' and PyTorch's 0.01."""
    from mindspore import nn

    x = ms.Tensor(np.array([-1.0, 2.0]))
    assert nn.LeakyReLU()(x).asnumpy() == pytest.approx([-0.2, 2.0], rel=1e-7)  # float32 alpha
    assert act.leaky_relu(np.array([-1.0, 2.0])).tolist() == [-0.01, 2.0]


def test_relu_derivative_at_zero_is_zero_as_in_dlnotes(ms, snippets):
    grads = snippets.derivatives(np.array([0.0]))
    assert grads["relu"].asnumpy().tolist() == act.relu_grad(np.array([0.0])).tolist() == [0.0]
