"""Regularisation against PyTorch: Dropout, the L1/L2 penalties and weight decay.

Dropout draws its mask from its own generator on each side, so the masks cannot be the same
draw. The comparison is made given our mask: torch's forward is written out as
``x * mask / (1 - p)`` (differentiated by autograd), and torch's own dropout backward kernel
(``aten.native_dropout_backward``) is given the same mask. Torch's ``F.dropout`` itself is
checked for what does not depend on the draw: the value of a kept unit (1 / (1 - p): inverted
dropout), and the identity in evaluation mode.
"""

import numpy as np
import pytest
from twins import NoisyQuadratics, tanh_mlp_twins

from dlnotes.layers import Dropout, Parameter
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import SGD
from dlnotes.regularization import add_l1_grad, add_l2_grad, l1_penalty, l2_penalty

SEEDS = range(24)
PS = [0.0, 0.1, 0.25, 0.5, 0.75, 0.9]
STEPS = 50
NETWORK = ("layers.Linear", "layers.Tanh", "layers.Sequential", "losses.CrossEntropyLoss")


def random_shape(rng: np.random.Generator) -> tuple[int, ...]:
    return tuple(int(s) for s in rng.integers(1, 7, size=rng.integers(1, 5)))


@pytest.mark.covers("layers.Dropout")
@pytest.mark.parametrize("seed", SEEDS)
def test_dropout_given_the_same_mask(torch, compare, seed):
    rng = np.random.default_rng(seed)
    p = PS[seed % len(PS)]
    x = rng.normal(size=random_shape(rng))
    drop = Dropout(p, rng=rng)
    out = drop(x)
    mask = torch.from_numpy(drop.mask)
    t = torch.tensor(x, requires_grad=True)
    out_t = t * mask / (1 - p)
    compare("layers.Dropout forward (same mask)", out, out_t)
    dout = rng.normal(size=x.shape)
    out_t.backward(torch.from_numpy(dout))
    dx = drop.backward(dout)
    compare("layers.Dropout backward (same mask, autograd)", dx, t.grad)
    kernel = torch.ops.aten.native_dropout_backward(torch.from_numpy(dout), mask, 1 / (1 - p))
    compare("layers.Dropout backward (same mask, aten kernel)", dx, kernel)


@pytest.mark.covers("layers.Dropout")
@pytest.mark.parametrize("p", PS)
def test_dropout_scaling_and_evaluation_mode(torch, compare, p):
    """torch.nn.Dropout's own draw: kept units of an all-ones input are 1 / (1 - p), dropped
    ones 0, as ours; in evaluation mode both are the identity."""
    rng = np.random.default_rng(int(p * 100))
    ones = np.ones((64, 64))
    module = torch.nn.Dropout(p)
    torch.manual_seed(0)
    theirs = module(torch.from_numpy(ones)).numpy()
    ours = Dropout(p, rng=rng)(ones)
    kept_theirs, kept_ours = theirs[theirs != 0], ours[ours != 0]
    compare("layers.Dropout kept value", kept_ours[:1], kept_theirs[:1])
    assert set(np.unique(theirs)) <= {0.0, kept_theirs[0]}
    assert set(np.unique(ours)) <= {0.0, kept_ours[0]}
    x = rng.normal(size=(5, 7))
    module.eval()
    compare("layers.Dropout evaluation mode", Dropout(p, rng=rng)(x, training=False),
            module(torch.from_numpy(x)))  # fmt: skip


@pytest.mark.covers(
    "regularization.add_l1_grad",
    "regularization.add_l2_grad",
    "regularization.l1_penalty",
    "regularization.l2_penalty",
)
@pytest.mark.parametrize("seed", SEEDS)
def test_penalties_and_their_gradients_against_autograd(torch, compare, seed):
    rng = np.random.default_rng(seed)
    lam = [1e-4, 0.01, 0.3, 2.0][seed % 4]
    ours = [Parameter(rng.normal(size=random_shape(rng))) for _ in range(int(rng.integers(1, 4)))]
    if seed % 3 == 0:  # exact zeros: the subgradient 0, as torch's abs
        ours[0].value.reshape(-1)[::2] = 0.0
    theirs = [torch.tensor(p.value.copy(), requires_grad=True) for p in ours]
    l1_t = lam * sum(t.abs().sum() for t in theirs)
    l2_t = lam / 2 * sum(t.pow(2).sum() for t in theirs)
    compare("regularization.l1_penalty", l1_penalty(ours, lam), l1_t)
    compare("regularization.l2_penalty", l2_penalty(ours, lam), l2_t)
    for penalty_t, add_grad, name in ((l1_t, add_l1_grad, "l1"), (l2_t, add_l2_grad, "l2")):
        for p, t in zip(ours, theirs, strict=True):
            p.grad = np.zeros_like(p.value)
            t.grad = None
        penalty_t.backward()
        add_grad(ours, lam)
        for p, t in zip(ours, theirs, strict=True):
            compare(f"regularization.add_{name}_grad", p.grad, t.grad)


@pytest.mark.covers("optim.SGD", "regularization.add_l2_grad")
@pytest.mark.parametrize("seed", SEEDS)
def test_l2_penalty_is_torch_weight_decay_over_50_steps(torch, compare, seed):
    """Ours: the gradient of the loss, plus add_l2_grad, then SGD without weight decay.
    Torch: the gradient of the loss, then torch.optim.SGD(weight_decay=lam). Each side's
    gradient comes from its own current value, so a difference would compound."""
    rng = np.random.default_rng(seed)
    lr = [0.01, 0.1, 0.3][seed % 3]
    lam = [1e-3, 0.1, 0.5, 1.0][(seed // 3) % 4]
    ours = [Parameter(rng.normal(size=random_shape(rng))) for _ in range(2)]
    theirs = [torch.tensor(p.value.copy(), requires_grad=True) for p in ours]
    problems = NoisyQuadratics(torch, ours, rng)
    opt = SGD(ours, lr=lr)
    torch_opt = torch.optim.SGD(theirs, lr=lr, weight_decay=lam)
    problems.descend(ours, theirs, (opt, torch_opt), STEPS, lambda ps: add_l2_grad(ps, lam))
    for p, t in zip(ours, theirs, strict=True):
        compare("regularization L2 + SGD vs torch weight_decay (50 steps)", p.value, t,
                rtol=1e-12, atol=1e-14)  # fmt: skip


@pytest.mark.covers(
    *NETWORK,
    "optim.SGD",
    "regularization.add_l1_grad",
    "regularization.add_l2_grad",
    "regularization.l1_penalty",
    "regularization.l2_penalty",
)
@pytest.mark.parametrize("seed", range(8))
def test_penalised_training_end_to_end(torch, compare, seed):
    """A Tanh MLP trained for 50 full-batch SGD steps on cross-entropy plus a penalty on the
    weights only (L2 for even seeds, L1 for odd ones); torch differentiates the penalised
    loss with autograd. The penalised losses and the final weights agree."""
    rng = np.random.default_rng(seed)
    lam, use_l1 = 0.05, bool(seed % 2)
    net, module, x, y = tanh_mlp_twins(torch, rng)
    weights = [p for p in net.parameters() if p.name.endswith("weight")]
    torch_weights = [t for name, t in module.named_parameters() if name.endswith("weight")]
    penalty, add_grad = (l1_penalty, add_l1_grad) if use_l1 else (l2_penalty, add_l2_grad)
    name = "L1" if use_l1 else "L2"
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    loss, torch_loss = CrossEntropyLoss(), torch.nn.CrossEntropyLoss()
    opt = SGD(net.parameters(), lr=0.3)
    torch_opt = torch.optim.SGD(module.parameters(), lr=0.3)
    for _ in range(STEPS):
        opt.zero_grad()
        value = loss(net(x), y) + penalty(weights, lam)
        net.backward(loss.backward())
        add_grad(weights, lam)
        opt.step()
        torch_opt.zero_grad()
        if use_l1:
            torch_penalty = lam * sum(t.abs().sum() for t in torch_weights)
        else:
            torch_penalty = lam / 2 * sum(t.pow(2).sum() for t in torch_weights)
        torch_value = torch_loss(module(tx), ty) + torch_penalty
        torch_value.backward()
        torch_opt.step()
        compare(f"regularization {name} training (loss per step)", value, torch_value)
    for p, (_, t) in zip(net.parameters(), module.named_parameters(), strict=True):
        compare(f"regularization {name} training (final weights)", p.value, t)
