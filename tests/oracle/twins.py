"""What the oracle suites share: a torch module holding our parameter values, and one
forward-and-backward comparison of a layer with its torch twin."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlnotes.layers import Tanh, mlp


def copy_parameters(torch, layer, module):
    """Copy ``layer.parameters()`` into ``module.parameters()``, in order; return the module."""
    ours, theirs = layer.parameters(), list(module.parameters())
    assert len(ours) == len(theirs), (layer, module)
    with torch.no_grad():
        for p, t in zip(ours, theirs, strict=True):
            t.copy_(torch.from_numpy(p.value))
    return module


def run_both(
    torch, compare: Callable[..., None], component: str, ours, theirs, x, rng: np.random.Generator
) -> None:
    """Forward and backward through both; compare y, dx and every parameter gradient."""
    t = torch.tensor(x, requires_grad=True)
    y_theirs = theirs(t)
    y_ours = ours(x)
    compare(f"{component} forward", y_ours, y_theirs)
    dout = rng.normal(size=y_ours.shape)
    y_theirs.backward(torch.from_numpy(dout))
    compare(f"{component} dx", ours.backward(dout), t.grad)
    theirs_params = dict(theirs.named_parameters())
    assert [p.name for p in ours.parameters()] == list(theirs_params)
    for p in ours.parameters():
        compare(f"{component} d{p.name.split('.')[-1]}", p.grad, theirs_params[p.name].grad)


class NoisyQuadratics:
    """One convex quadratic :math:`\\tfrac12 w^\\top A w - c^\\top w` per parameter, drawn from rng.

    `set_grads` gives each side the gradient at its own current value plus the same noise
    (times `scale`), so that a difference between two optimisers' updates compounds.
    """

    def __init__(self, torch, params, rng: np.random.Generator, scale: float = 1.0) -> None:
        self.torch, self.rng, self.scale, self.problems = torch, rng, scale, []
        for p in params:
            m = rng.normal(size=(p.value.size, p.value.size))
            a = m @ m.T / p.value.size + np.eye(p.value.size)
            self.problems.append((a, rng.normal(size=p.value.size)))

    @staticmethod
    def gradient(a: np.ndarray, c: np.ndarray, value: np.ndarray) -> np.ndarray:
        """Gradient of 1/2 w^T A w - c^T w at w (flattened), reshaped like the value."""
        return (a @ value.reshape(-1) - c).reshape(value.shape)

    def set_grads(self, ours, theirs) -> None:
        for p, t, (a, c) in zip(ours, theirs, self.problems, strict=True):
            noise = self.rng.normal(scale=0.1, size=p.value.shape)
            p.grad = self.scale * (self.gradient(a, c, p.value) + noise)
            t.grad = self.torch.from_numpy(
                self.scale * (self.gradient(a, c, t.detach().numpy()) + noise)
            )

    def descend(self, ours, theirs, optimisers, steps: int, add_grad=None) -> None:
        """`steps` steps of each optimiser on its own side; ``add_grad(ours)`` (a penalty's
        gradient, say) runs after the quadratic's and before our step."""
        opt, torch_opt = optimisers
        for _ in range(steps):
            opt.zero_grad()
            torch_opt.zero_grad()
            self.set_grads(ours, theirs)
            if add_grad is not None:
                add_grad(ours)
            opt.step()
            torch_opt.step()


def tanh_mlp_twins(torch, rng: np.random.Generator):
    """A 4-8-3 Tanh MLP, its torch twin holding the same values, and 32 inputs with labels."""
    net = mlp([4, 8, 3], Tanh, rng=rng)
    module = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
    copy_parameters(torch, net, module)
    x, y = rng.normal(size=(32, 4)), rng.integers(0, 3, size=32)
    return net, module, x, y
