"""dlnotes.optim and dlnotes.schedules against torch.optim, torch.optim.lr_scheduler and
torch.nn.utils: every optimiser over 50 steps and in training, the schedules over 50 epochs,
clip_grad_norm."""

import numpy as np
import pytest
from twins import NoisyQuadratics, tanh_mlp_twins

from dlnotes.layers import Parameter
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import SGD, Adadelta, Adagrad, Adam, Momentum, RMSprop, clip_grad_norm
from dlnotes.schedules import CosineAnnealingLR, ExponentialLR, StepLR

SEEDS = range(36)
STEPS = 50
NETWORK = ("layers.Linear", "layers.Tanh", "layers.Sequential", "losses.CrossEntropyLoss")


def parameter_twins(torch, rng, count: int):
    """`count` parameters of random shapes (one or two axes of 1 to 4), and torch copies."""
    shapes = [
        tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(1, 3))) for _ in range(count)
    ]
    ours = [Parameter(rng.normal(size=s), name=f"p{i}") for i, s in enumerate(shapes)]
    return ours, [torch.tensor(p.value.copy(), requires_grad=True) for p in ours]


@pytest.mark.covers("optim.SGD")
@pytest.mark.parametrize("seed", SEEDS)
def test_sgd_50_steps(torch, compare, seed):
    """The same trajectory: each side's gradient is computed from its own current value
    (a convex quadratic plus noise), so any difference in the update would compound."""
    rng = np.random.default_rng(seed)
    lr = [0.01, 0.1, 0.3][seed % 3]
    weight_decay = [0.0, 1e-3, 0.1, 1.0][(seed // 3) % 4]
    ours, theirs = parameter_twins(torch, rng, 2)
    problems = NoisyQuadratics(torch, ours, rng)
    opt = SGD(ours, lr=lr, weight_decay=weight_decay)
    torch_opt = torch.optim.SGD(theirs, lr=lr, weight_decay=weight_decay)
    problems.descend(ours, theirs, (opt, torch_opt), STEPS)
    for p, t in zip(ours, theirs, strict=True):
        compare("optim.SGD (50 steps)", p.value, t, rtol=1e-12, atol=1e-14)


def train_both(torch, compare, component, net, module, optimisers, x, y):
    """STEPS full-batch steps of cross-entropy training on each side: the same loss at every
    step and the same weights at the end."""
    opt, torch_opt = optimisers
    loss, torch_loss = CrossEntropyLoss(), torch.nn.CrossEntropyLoss()
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    for _ in range(STEPS):
        opt.zero_grad()
        value = loss(net(x), y)
        net.backward(loss.backward())
        opt.step()
        torch_opt.zero_grad()
        torch_value = torch_loss(module(tx), ty)
        torch_value.backward()
        torch_opt.step()
        compare(f"{component} training (loss per step)", value, torch_value)
    for p, (_, t) in zip(net.parameters(), module.named_parameters(), strict=True):
        compare(f"{component} training (final weights)", p.value, t)


@pytest.mark.covers(
    *NETWORK,
    "optim.SGD",
)
@pytest.mark.parametrize("seed", range(8))
def test_sgd_training_end_to_end(torch, compare, seed):
    """A Tanh MLP trained by full-batch SGD with cross-entropy for 50 steps, gradients from
    each library's own backward pass: the weights agree at the end."""
    rng = np.random.default_rng(seed)
    net, module, x, y = tanh_mlp_twins(torch, rng)
    weight_decay = 0.0 if seed % 2 else 0.01
    opt = SGD(net.parameters(), lr=0.5, weight_decay=weight_decay)
    torch_opt = torch.optim.SGD(module.parameters(), lr=0.5, weight_decay=weight_decay)
    train_both(torch, compare, "optim.SGD", net, module, (opt, torch_opt), x, y)


@pytest.mark.covers("optim.clip_grad_norm")
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


# --------------------------------------------------------------------------------------------
# Momentum, Adagrad, RMSprop, Adadelta, Adam: 50 steps, several hyper-parameter settings
# --------------------------------------------------------------------------------------------


def optimiser_pair(torch, name, seed, ours, theirs):
    """dlnotes and torch optimisers of the same kind with the seed's hyper-parameters (a grid
    walked by the seed, so that 36 seeds cover every value of every hyper-parameter)."""
    weight_decay = [0.0, 1e-3, 0.1][seed % 3]
    if name == "Momentum":
        lr, momentum = [0.01, 0.1][seed // 3 % 2], [0.0, 0.5, 0.9, 0.99][seed // 6 % 4]
        return (
            Momentum(ours, lr, momentum, weight_decay=weight_decay),
            torch.optim.SGD(theirs, lr=lr, momentum=momentum, weight_decay=weight_decay),
        )
    if name == "Adagrad":
        lr, eps = [0.01, 0.1, 1.0][seed // 3 % 3], [1e-10, 1e-6, 1e-3][seed // 9 % 3]
        return (
            Adagrad(ours, lr, eps=eps, weight_decay=weight_decay),
            torch.optim.Adagrad(theirs, lr=lr, eps=eps, weight_decay=weight_decay),
        )
    if name == "RMSprop":
        lr, alpha = [1e-3, 0.01, 0.1][seed // 3 % 3], [0.0, 0.9, 0.99][seed // 9 % 3]
        eps = [1e-8, 1e-4][seed // 27 % 2]
        return (
            RMSprop(ours, lr, alpha, eps, weight_decay=weight_decay),
            torch.optim.RMSprop(theirs, lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay),
        )
    if name == "Adadelta":
        lr, rho = [0.1, 1.0, 3.0][seed // 3 % 3], [0.9, 0.0, 0.5, 0.99][seed // 9 % 4]
        eps = [1e-6, 1e-3][seed % 2]
        return (
            Adadelta(ours, lr, rho, eps, weight_decay=weight_decay),
            torch.optim.Adadelta(theirs, lr=lr, rho=rho, eps=eps, weight_decay=weight_decay),
        )
    lr = [1e-3, 0.01, 0.1][seed // 3 % 3]
    betas = [(0.9, 0.999), (0.5, 0.9), (0.0, 0.99), (0.99, 0.9999)][seed // 9 % 4]
    eps = [1e-8, 1e-4][seed % 2]
    return (
        Adam(ours, lr, betas, eps, weight_decay=weight_decay),
        torch.optim.Adam(theirs, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay),
    )


# dlnotes state key -> torch state key (the same names, by design)
STATE_KEYS = {
    "Momentum": ["momentum_buffer"],
    "Adagrad": ["sum"],
    "RMSprop": ["square_avg"],
    "Adadelta": ["square_avg", "acc_delta"],
    "Adam": ["exp_avg", "exp_avg_sq"],
}

# The state after 50 steps is compared at rtol 1e-12, except Adadelta's: its steps are ratios
# of square roots of its two averages, so a last-bit difference (torch's addcmul may fuse its
# multiply-add, depending on the CPU) feeds back into both and grew to 1.2e-11 on one machine;
# the book's float64 standard, 1e-10, applies there.
STATE_RTOL = {("Adadelta", "acc_delta"): 1e-10, ("Adadelta", "square_avg"): 1e-10}


@pytest.mark.covers(
    "optim.Adadelta", "optim.Adagrad", "optim.Adam", "optim.Momentum", "optim.RMSprop"
)
@pytest.mark.parametrize("name", list(STATE_KEYS))
@pytest.mark.parametrize("seed", SEEDS)
def test_optimiser_50_steps(torch, compare, name, seed):
    """As for SGD: a convex quadratic plus noise, each side's gradient from its own current
    value, so a difference in the update would compound. The gradient scale (1e-3, 1, 1e3)
    puts eps in and out of play. The optimiser state is compared at the end too."""
    rng = np.random.default_rng(1000 + seed)
    scale = [1e-3, 1.0, 1e3][seed // 12 % 3]
    ours, theirs = parameter_twins(torch, rng, 3)
    problems = NoisyQuadratics(torch, ours, rng, scale)
    opt, torch_opt = optimiser_pair(torch, name, seed, ours, theirs)
    problems.descend(ours, theirs, (opt, torch_opt), STEPS)
    for p, t, state in zip(ours, theirs, opt.state, strict=True):
        compare(f"optim.{name} (50 steps)", p.value, t, rtol=1e-12, atol=1e-14)
        for key in STATE_KEYS[name]:
            if key not in torch_opt.state[t]:  # torch keeps no buffer when momentum == 0
                assert name == "Momentum" and opt.momentum == 0.0
                continue
            theirs_state = torch_opt.state[t][key]
            rtol = STATE_RTOL.get((name, key), 1e-12)
            compare(f"optim.{name} (state)", state[key], theirs_state, rtol=rtol, atol=1e-14)
        if name == "Adam":
            assert state["step"] == int(torch_opt.state[t]["step"]) == STEPS


@pytest.mark.covers(
    "optim.Adadelta", "optim.Adagrad", "optim.Adam", "optim.Momentum", "optim.RMSprop"
)
@pytest.mark.parametrize("name", list(STATE_KEYS))
@pytest.mark.parametrize("seed", range(12))
def test_optimiser_on_independent_gradients(torch, compare, name, seed):
    """Random gradients that do not depend on the weights, of scales 1e-6 .. 1e6 that change
    from step to step and include exact zeros: the moving averages see sudden jumps."""
    rng = np.random.default_rng(2000 + seed)
    ours = [Parameter(rng.normal(size=(3, 4))), Parameter(rng.normal(size=5))]
    theirs = [torch.tensor(p.value.copy(), requires_grad=True) for p in ours]
    opt, torch_opt = optimiser_pair(torch, name, seed * 3, ours, theirs)
    for _ in range(STEPS):
        for p, t in zip(ours, theirs, strict=True):
            g = rng.normal(size=p.shape) * 10.0 ** rng.integers(-6, 7, size=p.shape)
            g[rng.random(p.shape) < 0.1] = 0.0
            p.grad, t.grad = g, torch.from_numpy(g.copy())
        opt.step()
        torch_opt.step()
    for p, t in zip(ours, theirs, strict=True):
        compare(f"optim.{name} (50 steps)", p.value, t, rtol=1e-12, atol=1e-14)


@pytest.mark.covers("optim.Adadelta")
@pytest.mark.parametrize("weight_decay", [0.0, 1e-3, 0.1])
@pytest.mark.parametrize("seed", range(4))
def test_adadelta_1000_steps(torch, compare, seed, weight_decay):
    """Adadelta's steps start at sqrt(eps / (1 - rho)) and grow as its average of squared
    steps builds up: 1000 steps on the noisy quadratics with the default arguments, to
    compare the long run as well as the start, the state included."""
    rng = np.random.default_rng(4000 + seed)
    ours, theirs = parameter_twins(torch, rng, 3)
    problems = NoisyQuadratics(torch, ours, rng, scale=[1e-3, 1.0, 10.0, 1e3][seed])
    opt = Adadelta(ours, weight_decay=weight_decay)
    torch_opt = torch.optim.Adadelta(theirs, weight_decay=weight_decay)
    problems.descend(ours, theirs, (opt, torch_opt), 1000)
    for p, t, state in zip(ours, theirs, opt.state, strict=True):
        compare("optim.Adadelta (1000 steps)", p.value, t, rtol=1e-12, atol=1e-14)
        for key in STATE_KEYS["Adadelta"]:
            theirs_state = torch_opt.state[t][key]
            compare("optim.Adadelta (state)", state[key], theirs_state, rtol=1e-12, atol=1e-14)


@pytest.mark.covers("optim.Adadelta", "optim.Adagrad", "optim.Adam", "optim.RMSprop")
def test_default_arguments_are_torch_defaults(torch):
    (p,) = [Parameter(np.zeros(2))]
    ours, theirs = Adam([p]), torch.optim.Adam([torch.zeros(2, requires_grad=True)])
    defaults = theirs.defaults
    assert (ours.lr, ours.betas, ours.eps, ours.weight_decay) == (
        defaults["lr"], defaults["betas"], defaults["eps"], defaults["weight_decay"],
    )  # fmt: skip
    rms = torch.optim.RMSprop([torch.zeros(2, requires_grad=True)], lr=0.01).defaults
    assert (RMSprop([p], lr=0.01).alpha, RMSprop([p], lr=0.01).eps) == (rms["alpha"], rms["eps"])
    ada = torch.optim.Adagrad([torch.zeros(2, requires_grad=True)], lr=0.01).defaults
    assert Adagrad([p], lr=0.01).eps == ada["eps"]
    delta = torch.optim.Adadelta([torch.zeros(2, requires_grad=True)]).defaults
    ours_delta = Adadelta([p])
    assert (ours_delta.lr, ours_delta.rho, ours_delta.eps, ours_delta.weight_decay) == (
        delta["lr"], delta["rho"], delta["eps"], delta["weight_decay"],
    )  # fmt: skip


TRAINING = {
    "SGD": (lambda ps, wd: SGD(ps, 0.5, weight_decay=wd),
            lambda torch, ps, wd: torch.optim.SGD(ps, lr=0.5, weight_decay=wd)),
    "Momentum": (lambda ps, wd: Momentum(ps, 0.1, 0.9, weight_decay=wd),
                 lambda torch, ps, wd: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=wd)),
    "Adagrad": (lambda ps, wd: Adagrad(ps, 0.1, weight_decay=wd),
                lambda torch, ps, wd: torch.optim.Adagrad(ps, lr=0.1, weight_decay=wd)),
    "RMSprop": (lambda ps, wd: RMSprop(ps, 0.01, weight_decay=wd),
                lambda torch, ps, wd: torch.optim.RMSprop(ps, lr=0.01, weight_decay=wd)),
    "Adadelta": (lambda ps, wd: Adadelta(ps, 1.0, weight_decay=wd),
                 lambda torch, ps, wd: torch.optim.Adadelta(ps, lr=1.0, weight_decay=wd)),
    "Adam": (lambda ps, wd: Adam(ps, 0.01, weight_decay=wd),
             lambda torch, ps, wd: torch.optim.Adam(ps, lr=0.01, weight_decay=wd)),
}  # fmt: skip


@pytest.mark.covers(
    *NETWORK,
    "optim.Adadelta",
    "optim.Adagrad",
    "optim.Adam",
    "optim.Momentum",
    "optim.RMSprop",
)
@pytest.mark.parametrize("name", [n for n in TRAINING if n != "SGD"])
@pytest.mark.parametrize("seed", range(6))
def test_optimiser_training_end_to_end(torch, compare, name, seed):
    """A Tanh MLP trained full-batch with cross-entropy for 50 steps by each optimiser, the
    gradients from each library's own backward pass: the same losses and final weights."""
    rng = np.random.default_rng(3000 + seed)
    net, module, x, y = tanh_mlp_twins(torch, rng)
    weight_decay = 0.0 if seed % 2 else 0.01
    ours, theirs = TRAINING[name]
    opt, torch_opt = (
        ours(net.parameters(), weight_decay),
        theirs(torch, module.parameters(), weight_decay),
    )
    train_both(torch, compare, f"optim.{name}", net, module, (opt, torch_opt), x, y)


# --------------------------------------------------------------------------------------------
# Learning-rate schedules: 50 epochs
# --------------------------------------------------------------------------------------------

EPOCHS = 50


def schedule_pair(torch, name, seed, opt, torch_opt):
    if name == "StepLR":
        step_size, gamma = [1, 3, 7, 10][seed % 4], [0.1, 0.5, 0.9, 1.5][seed // 4 % 4]
        return (
            StepLR(opt, step_size, gamma),
            torch.optim.lr_scheduler.StepLR(torch_opt, step_size, gamma),
        )
    if name == "ExponentialLR":
        gamma = [0.5, 0.9, 0.95, 0.99, 1.0, 1.02][seed % 6]
        return ExponentialLR(opt, gamma), torch.optim.lr_scheduler.ExponentialLR(torch_opt, gamma)
    t_max, eta_min = [1, 5, 10, 25, 49, 50, 100][seed % 7], [0.0, 1e-4, 0.01][seed // 7 % 3]
    return (
        CosineAnnealingLR(opt, t_max, eta_min),
        torch.optim.lr_scheduler.CosineAnnealingLR(torch_opt, t_max, eta_min),
    )


@pytest.mark.covers(
    "optim.Adam",
    "optim.SGD",
    "schedules.CosineAnnealingLR",
    "schedules.ExponentialLR",
    "schedules.StepLR",
)
@pytest.mark.parametrize("name", ["StepLR", "ExponentialLR", "CosineAnnealingLR"])
@pytest.mark.parametrize("seed", range(21))
def test_schedule_50_epochs(torch, compare, name, seed):
    """The learning rate during each of 50 epochs, with an optimiser step per epoch as in
    real use; compared purely relatively (atol 0), however small the rate gets."""
    lr = [0.1, 1.0, 3e-4][seed % 3]
    w = Parameter([1.0, -2.0])
    t = torch.tensor(w.value.copy(), requires_grad=True)
    opt = SGD([w], lr=lr) if seed % 2 else Adam([w], lr=lr)
    torch_opt = torch.optim.SGD([t], lr=lr) if seed % 2 else torch.optim.Adam([t], lr=lr)
    schedule, torch_schedule = schedule_pair(torch, name, seed, opt, torch_opt)
    ours, theirs = [], []
    for _ in range(EPOCHS):
        ours.append(opt.lr)
        theirs.append(torch_opt.param_groups[0]["lr"])
        assert schedule.get_last_lr() == opt.lr
        assert torch_schedule.get_last_lr() == [torch_opt.param_groups[0]["lr"]]
        w.grad = 2 * w.value
        t.grad = 2 * t.detach().clone()
        opt.step()
        torch_opt.step()
        schedule.step()
        torch_schedule.step()
    compare(f"schedules.{name} (lr per epoch)", ours, theirs, rtol=1e-12, atol=0.0)
    compare(f"schedules.{name} (weights)", w.value, t, rtol=1e-10)
