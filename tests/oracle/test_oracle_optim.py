"""dlnotes.optim against torch.optim and torch.nn.utils: SGD over 50 steps, clip_grad_norm."""

import numpy as np
import pytest

from dlnotes.layers import Linear, Parameter, Sequential, Tanh
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import SGD, clip_grad_norm

SEEDS = range(36)
STEPS = 50


def quadratic_gradient(a: np.ndarray, c: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Gradient of 1/2 w^T A w - c^T w at w (flattened), reshaped like the value."""
    return (a @ value.reshape(-1) - c).reshape(value.shape)


@pytest.mark.parametrize("seed", SEEDS)
def test_sgd_50_steps(torch, compare, seed):
    """The same trajectory: each side's gradient is computed from its own current value
    (a convex quadratic plus noise), so any difference in the update would compound."""
    rng = np.random.default_rng(seed)
    lr = [0.01, 0.1, 0.3][seed % 3]
    weight_decay = [0.0, 1e-3, 0.1, 1.0][(seed // 3) % 4]
    shapes = [tuple(int(s) for s in rng.integers(1, 5, size=rng.integers(1, 3))) for _ in "ab"]
    ours = [Parameter(rng.normal(size=s), name=f"p{i}") for i, s in enumerate(shapes)]
    theirs = [torch.tensor(p.value.copy(), requires_grad=True) for p in ours]
    problems = []
    for p in ours:
        m = rng.normal(size=(p.value.size, p.value.size))
        problems.append(
            (m @ m.T / p.value.size + np.eye(p.value.size), rng.normal(size=p.value.size))
        )
    opt = SGD(ours, lr=lr, weight_decay=weight_decay)
    torch_opt = torch.optim.SGD(theirs, lr=lr, weight_decay=weight_decay)
    for _ in range(STEPS):
        opt.zero_grad()
        torch_opt.zero_grad()
        for p, t, (a, c) in zip(ours, theirs, problems, strict=True):
            noise = rng.normal(scale=0.1, size=p.value.shape)
            p.grad = quadratic_gradient(a, c, p.value) + noise
            t.grad = torch.from_numpy(quadratic_gradient(a, c, t.detach().numpy()) + noise)
        opt.step()
        torch_opt.step()
    for p, t in zip(ours, theirs, strict=True):
        compare("optim.SGD (50 steps)", p.value, t, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("seed", range(8))
def test_sgd_training_end_to_end(torch, compare, seed):
    """A Tanh MLP trained by full-batch SGD with cross-entropy for 50 steps, gradients from
    each library's own backward pass: the weights agree at the end."""
    rng = np.random.default_rng(seed)
    net = Sequential(Linear(4, 8, rng=rng), Tanh(), Linear(8, 3, rng=rng))
    module = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
    with torch.no_grad():
        for p, (_, t) in zip(net.parameters(), module.named_parameters(), strict=True):
            t.copy_(torch.from_numpy(p.value))
    x, y = rng.normal(size=(32, 4)), rng.integers(0, 3, size=32)
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    loss, torch_loss = CrossEntropyLoss(), torch.nn.CrossEntropyLoss()
    weight_decay = 0.0 if seed % 2 else 0.01
    opt = SGD(net.parameters(), lr=0.5, weight_decay=weight_decay)
    torch_opt = torch.optim.SGD(module.parameters(), lr=0.5, weight_decay=weight_decay)
    for _ in range(STEPS):
        opt.zero_grad()
        value = loss(net(x), y)
        net.backward(loss.backward())
        opt.step()
        torch_opt.zero_grad()
        torch_value = torch_loss(module(tx), ty)
        torch_value.backward()
        torch_opt.step()
        compare("optim.SGD training (loss per step)", value, torch_value)
    for p, (_, t) in zip(net.parameters(), module.named_parameters(), strict=True):
        compare("optim.SGD training (final weights)", p.value, t)


@pytest.mark.parametrize("seed", SEEDS)
def test_clip_grad_norm(torch, compare, seed):
    """max_norm below, near and above the total norm (including within torch's 1e-6)."""
    rng = np.random.default_rng(seed)
    shapes = [tuple(int(s) for s in rng.integers(1, 6, size=rng.integers(1, 4)))
              for _ in range(int(rng.integers(1, 5)))]  # fmt: skip
    grads = [rng.normal(scale=rng.choice([1e-3, 1.0, 1e3]), size=s) for s in shapes]
    ours = [Parameter(np.zeros(s)) for s in shapes]
    theirs = [torch.zeros(s, requires_grad=True) for s in shapes]
    for p, t, g in zip(ours, theirs, grads, strict=True):
        p.grad, t.grad = g.copy(), torch.from_numpy(g.copy())
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads)))
    factor = [0.01, 0.5, 0.999, 1.0, 1.0 + 1e-9, 2.0][seed % 6]
    max_norm = norm * factor
    total = clip_grad_norm(ours, max_norm)
    torch_total = torch.nn.utils.clip_grad_norm_(theirs, max_norm)
    compare("optim.clip_grad_norm (norm)", total, torch_total)
    for p, t in zip(ours, theirs, strict=True):
        compare("optim.clip_grad_norm (grads)", p.grad, t.grad)
