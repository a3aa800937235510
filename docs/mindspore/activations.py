"""Chapter 4 in MindSpore: the activation functions and their derivatives.

Shown in docs/chapters/04-activations.md (section "在 MindSpore 中"); run and compared
with dlnotes.activations by tests/mindspore/test_activations_ms.py
(``nox -s mindspore``).
"""

from __future__ import annotations

import mindspore as ms
import numpy as np
from mindspore import nn, ops

ms.set_device("CPU")


def activations(x: np.ndarray) -> dict[str, ms.Tensor]:
    """Every activation of chapter 4 at the points x (float64 in, float64 out)."""
    t = ms.Tensor(x)
    return {
        "sigmoid": ops.sigmoid(t),
        "tanh": ops.tanh(t),
        "softsign": ops.softsign(t),
        "relu": ops.relu(t),
        "leaky_relu": nn.LeakyReLU(alpha=0.01)(t),  # MindSpore's default alpha is 0.2
        "softplus": ops.softplus(t),
        "softmax": ops.softmax(t, axis=-1),
    }


def derivatives(x: np.ndarray) -> dict[str, ms.Tensor]:
    """d f / d x at the points x, by automatic differentiation (ms.grad)."""
    t = ms.Tensor(x)
    functions = {
        "sigmoid": ops.sigmoid,
        "tanh": ops.tanh,
        "softsign": ops.softsign,
        "relu": ops.relu,
        "leaky_relu": nn.LeakyReLU(alpha=0.01),
        "softplus": ops.softplus,
    }
    # each function acts element by element, so the gradient of its sum is its
    # derivative
    return {
        name: ms.grad(lambda u, f=f: f(u).sum())(t) for name, f in functions.items()
    }
