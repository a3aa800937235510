"""What the oracle suites share: a torch module holding our parameter values, and one
forward-and-backward comparison of a layer with its torch twin."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


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
