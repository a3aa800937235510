"""dlnotes.activations against torch.nn.functional: values, and derivatives via autograd."""

import numpy as np
import pytest

from dlnotes import activations as A

SEEDS = range(32)
SPECIAL = np.array([0.0, -0.0, 1e-3, -1e-3, 20.0, -20.0, 40.0, -40.0, 1e4, -1e4])
SOFTPLUS_SPECIAL = np.array([0.0, 1e-3, -1e-3, 14.9, -14.9])  # torch: identity above 20


def sample(seed: int, special: np.ndarray = SPECIAL, bound: float | None = None) -> np.ndarray:
    """A random array of 1 to 4 dimensions, with a few special values planted in it."""
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(1, 7, size=rng.integers(1, 5)))
    x = rng.normal(scale=rng.choice([0.5, 3.0, 10.0]), size=shape)
    if bound is not None:
        x = np.clip(x, -bound, bound)
    flat = x.reshape(-1)
    where = rng.choice(flat.size, size=min(flat.size, rng.integers(0, 4)), replace=False)
    flat[where] = rng.choice(special, size=where.size)
    return x


def elementwise(torch, name: str, alpha: float | None = None):
    """(dlnotes f, dlnotes f', torch f) for one elementwise activation."""
    F = torch.nn.functional
    if name == "leaky_relu":
        return (
            lambda x: A.leaky_relu(x, alpha),
            lambda x: A.leaky_relu_grad(x, alpha),
            lambda t: F.leaky_relu(t, alpha),
        )
    torch_f = {
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "softsign": F.softsign,
        "relu": torch.relu,
        "softplus": F.softplus,
    }[name]
    return getattr(A, name), getattr(A, f"{name}_grad"), torch_f


def check_function(torch, compare, name, x, alpha=None):
    ours, ours_grad, theirs = elementwise(torch, name, alpha)
    t = torch.tensor(x, requires_grad=True)
    y = theirs(t)
    y.backward(torch.ones_like(y))  # sum of f: the gradient is f'(x) elementwise
    compare(f"activations.{name}", ours(x), y)
    compare(f"activations.{name}_grad", ours_grad(x), t.grad)


@pytest.mark.covers(
    "activations.relu",
    "activations.relu_grad",
    "activations.sigmoid",
    "activations.sigmoid_grad",
    "activations.softsign",
    "activations.softsign_grad",
    "activations.tanh",
    "activations.tanh_grad",
)
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softsign", "relu"])
def test_elementwise_function(torch, compare, name, seed):
    check_function(torch, compare, name, sample(seed))


@pytest.mark.covers("activations.softplus", "activations.softplus_grad")
@pytest.mark.parametrize("seed", SEEDS)
def test_softplus(torch, compare, seed):
    x = sample(seed, SOFTPLUS_SPECIAL, bound=14.9)
    assert np.all(np.abs(x) < 15)
    check_function(torch, compare, "softplus", x)


@pytest.mark.covers("activations.softplus", "activations.softplus_grad")
@pytest.mark.parametrize("x", [40.0, -40.0, 1e4, -1e4])
def test_softplus_far_from_the_threshold(torch, compare, x):
    """Past torch's threshold (20) its identity and our formula agree to the last bit once
    e^-|x| is below the rounding of x."""
    check_function(torch, compare, "softplus", np.array([x]))


@pytest.mark.covers("activations.leaky_relu", "activations.leaky_relu_grad")
@pytest.mark.parametrize("seed", SEEDS)
def test_leaky_relu(torch, compare, seed):
    """Slopes 0, 0.01, 0.1, 0.2, 0.5, 1, 2.5 and -0.3, four seeds each."""
    alpha = [0.0, 0.01, 0.1, 0.2, 0.5, 1.0, 2.5, -0.3][seed % 8]
    check_function(torch, compare, "leaky_relu", sample(seed), alpha)


@pytest.mark.covers("activations.log_softmax", "activations.softmax")
@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_and_log_softmax(torch, compare, seed):
    x = sample(seed)
    x *= np.random.default_rng(seed).choice([1.0, 100.0])  # scores up to 1e6
    for axis in range(-x.ndim, x.ndim):
        t = torch.tensor(x)
        compare("activations.softmax", A.softmax(x, axis=axis), torch.softmax(t, dim=axis))
        compare(
            "activations.log_softmax",
            A.log_softmax(x, axis=axis),
            torch.log_softmax(t, dim=axis),
        )
