"""dlnotes.layers against torch.nn: Linear, every activation layer and Sequential MLPs.

Each case copies our parameters into the torch module, runs both forward passes on the same
input, back-propagates the same random dout, and compares the output, dx and the gradient of
every parameter (matched by name: our Sequential names its parameters as PyTorch does).
"""

import numpy as np
import pytest
from twins import copy_parameters, run_both

from dlnotes import layers
from dlnotes.layers import Linear, Sequential, Softplus, Tanh

SEEDS = range(32)
ACTIVATIONS = ["ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softsign", "Softplus"]
ALPHAS = [0.01, 0.1, 0.2, 0.5, 1.0, 2.0, -0.3]
MLP = ("layers.Linear", "layers.Sequential", *(f"layers.{name}" for name in ACTIVATIONS))


def make_activation(torch, name: str, alpha: float = 0.01):
    """(our layer, the torch module of the same name)."""
    args = (alpha,) if name == "LeakyReLU" else ()
    return getattr(layers, name)(*args), getattr(torch.nn, name)(*args)


def torch_linear(torch, layer: Linear):
    return copy_parameters(torch, layer, torch.nn.Linear(layer.in_features, layer.out_features))


@pytest.mark.covers("layers.Linear")
@pytest.mark.parametrize("seed", SEEDS)
def test_linear(torch, compare, seed):
    """(N, in) inputs for even seeds, (N, T, in) for odd ones."""
    rng = np.random.default_rng(seed)
    d_in, d_out, n = (int(v) for v in rng.integers(1, 12, size=3))
    lead = (n,) if seed % 2 == 0 else (n, int(rng.integers(1, 6)))
    layer = Linear(d_in, d_out, rng=rng)
    x = rng.normal(scale=rng.choice([0.1, 1.0, 10.0]), size=(*lead, d_in))
    run_both(torch, compare, "layers.Linear", layer, torch_linear(torch, layer), x, rng)


@pytest.mark.covers(
    "layers.LeakyReLU",
    "layers.ReLU",
    "layers.Sigmoid",
    "layers.Softplus",
    "layers.Softsign",
    "layers.Tanh",
)
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_layer(torch, compare, name, seed):
    rng = np.random.default_rng(seed)
    alpha = ALPHAS[seed % len(ALPHAS)]
    ours, theirs = make_activation(torch, name, alpha)
    shape = tuple(rng.integers(1, 6, size=rng.integers(1, 5)))
    x = rng.normal(scale=3.0, size=shape)
    x.flat[0] = 0.0  # the kink: relu'(0) = 0, leaky_relu'(0) = alpha, softsign'(0) = 1
    if name == "Softplus":
        x = np.clip(x, -14.9, 14.9)  # torch's Softplus is the identity above 20
    run_both(torch, compare, f"layers.{name}", ours, theirs, x, rng)


def random_mlp(torch, rng):
    """A Sequential of 1 to 4 Linear layers with random widths and activations between."""
    depth = int(rng.integers(1, 5))
    widths = [int(w) for w in rng.integers(1, 10, size=depth + 1)]
    ours, theirs = [], []
    for i in range(depth):
        linear = Linear(widths[i], widths[i + 1], rng=rng)
        ours.append(linear)
        theirs.append(torch_linear(torch, linear))
        if i < depth - 1 or rng.random() < 0.5:
            name = str(rng.choice(ACTIVATIONS))
            act, module = make_activation(torch, name, float(rng.choice(ALPHAS)))
            ours.append(act)
            theirs.append(module)
    return Sequential(*ours), torch.nn.Sequential(*theirs), widths[0]


@pytest.mark.covers(*MLP)
@pytest.mark.parametrize("seed", SEEDS)
def test_sequential_mlp(torch, compare, seed):
    rng = np.random.default_rng(seed)
    net, module, d_in = random_mlp(torch, rng)
    lead = (int(rng.integers(1, 9)),) if seed % 2 == 0 else tuple(rng.integers(1, 5, size=2))
    x = rng.normal(size=(*lead, d_in))
    hidden = x
    for layer in net:  # every Softplus input must stay below torch's threshold
        if isinstance(layer, Softplus):
            assert np.all(np.abs(hidden) < 15)
        hidden = layer(hidden)
    run_both(torch, compare, "layers.Sequential", net, module, x, rng)


@pytest.mark.covers(*MLP)
@pytest.mark.parametrize("seed", range(4))
def test_nested_sequential(torch, compare, seed):
    """A Sequential inside a Sequential: names such as "0.2.weight" match torch's."""
    rng = np.random.default_rng(seed)
    inner, inner_module, d_in = random_mlp(torch, rng)
    d_mid = inner.parameters()[-2].shape[0]
    last = Linear(d_mid, 3, rng=rng)
    net = Sequential(inner, Tanh(), last)
    module = torch.nn.Sequential(inner_module, torch.nn.Tanh(), torch_linear(torch, last))
    run_both(torch, compare, "layers.Sequential", net, module, rng.normal(size=(5, d_in)), rng)
