"""Chapter 8's MindSpore snippets (docs/mindspore/optimisers.py) against dlnotes.optim.

Every optimiser takes ten steps on a fixed sequence of gradients, from the same weights, in
MindSpore and in dlnotes, for several shapes and hyperparameters (weight decay included).

All comparisons use the float32 tolerance: nn.SGD, nn.RMSProp and nn.Adam refuse float64
parameters, and nn.Momentum, nn.Adagrad and nn.Adadelta take them but update in float32
precision (test_float64_parameters_are_updated_in_float32). dlnotes computes in float64 from
the same (float32-rounded) weights and gradients.
"""

from __future__ import annotations

import numpy as np
import pytest

from dlnotes import optim

STEPS = 10
SHAPES = [((3, 4), (5,)), ((2, 3, 2),), ((7,), (1, 6))]


@pytest.fixture(scope="module")
def snippets():
    import optimisers

    return optimisers


def problem(shapes, seed: int, scale: float = 1.0):
    """Weights, and STEPS gradients per weight, rounded to float32 so both sides start equal."""
    rng = np.random.default_rng(seed)

    def draw(shape, s=1.0):
        return (s * rng.normal(size=shape)).astype(np.float32).astype(np.float64)

    weights = [draw(s) for s in shapes]
    grads = [[draw(s, scale) for s in shapes] for _ in range(STEPS)]
    return weights, grads


def check(compare, component, ours, theirs, rtol=None):
    for a, b in zip(ours, theirs, strict=True):
        compare(component, a, b, dtype="float32", rtol=rtol)


def travelled(after, before) -> float:
    """The length of the path's straight line: |w_10 - w_0| over all weights."""
    return float(np.sqrt(sum(np.sum((a - b) ** 2) for a, b in zip(after, before, strict=True))))


# --- ten steps, MindSpore beside dlnotes ----------------------------------------------------


@pytest.mark.parametrize("seed", range(len(SHAPES)))
@pytest.mark.parametrize("lr, weight_decay", [(0.1, 0.0), (0.03, 0.01), (0.5, 0.1)])
def test_sgd(ms, snippets, compare, seed, lr, weight_decay):
    w, g = problem(SHAPES[seed], seed)
    ours = snippets.dlnotes_steps(optim.SGD, w, g, lr=lr, weight_decay=weight_decay)
    theirs = snippets.mindspore_steps(
        snippets.sgd, w, g, ms.float32, lr=lr, weight_decay=weight_decay
    )
    check(compare, "nn.SGD", ours, theirs)


@pytest.mark.parametrize("seed", range(len(SHAPES)))
@pytest.mark.parametrize(
    "lr, mu, weight_decay", [(0.1, 0.9, 0.0), (0.01, 0.5, 0.01), (0.05, 0.99, 0.1)]
)
def test_momentum(ms, snippets, compare, seed, lr, mu, weight_decay):
    w, g = problem(SHAPES[seed], seed + 10)
    hyper = {"lr": lr, "momentum": mu, "weight_decay": weight_decay}
    ours = snippets.dlnotes_steps(optim.Momentum, w, g, **hyper)
    theirs = snippets.mindspore_steps(snippets.momentum, w, g, ms.float64, **hyper)
    check(compare, "nn.Momentum", ours, theirs)
    # nn.SGD with momentum is the same rule (its first velocity is the gradient, as in PyTorch)
    sgd = snippets.mindspore_steps(
        snippets.nn.SGD, w, g, ms.float32, learning_rate=lr, momentum=mu, weight_decay=weight_decay
    )
    check(compare, "nn.SGD(momentum=...)", ours, sgd)


@pytest.mark.parametrize("seed", range(len(SHAPES)))
@pytest.mark.parametrize("lr, weight_decay", [(0.1, 0.0), (0.01, 0.01), (0.5, 0.1)])
def test_adagrad(ms, snippets, compare, seed, lr, weight_decay):
    w, g = problem(SHAPES[seed], seed + 20)
    hyper = {"lr": lr, "weight_decay": weight_decay}
    # The CPU kernel divides by sqrt(r + 1e-8): dlnotes' r started at 1e-8 is the same rule
    # (its own eps of 1e-10 beside sqrt(r) >= 1e-4 is below float32's resolution).
    ours = snippets.dlnotes_steps(optim.Adagrad, w, g, start={"sum": 1e-8}, **hyper)
    theirs = snippets.mindspore_steps(snippets.adagrad, w, g, ms.float64, **hyper)
    check(compare, "nn.Adagrad(accum=0.0)", ours, theirs)
    # The default accum=0.1: dlnotes started at r = 0.1, and the NumPy rule of ApplyAdagrad.
    default = snippets.mindspore_steps(
        snippets.nn.Adagrad, w, g, ms.float64, learning_rate=lr, weight_decay=weight_decay
    )
    started = snippets.dlnotes_steps(optim.Adagrad, w, g, start={"sum": 0.1}, **hyper)
    check(compare, "nn.Adagrad (accum=0.1)", started, default)
    rule = snippets.adagrad_rule(w, g, learning_rate=lr, weight_decay=weight_decay)
    check(compare, "nn.Adagrad (accum=0.1), NumPy rule", rule, default)
    rule = snippets.adagrad_rule(w, g, learning_rate=lr, accum=0.0, weight_decay=weight_decay)
    check(compare, "nn.Adagrad(accum=0.0), NumPy rule", rule, theirs)


@pytest.mark.parametrize("seed", range(len(SHAPES)))
@pytest.mark.parametrize(
    "lr, alpha, eps, weight_decay",
    [(0.01, 0.99, 1e-8, 0.0), (0.001, 0.9, 1e-10, 0.01), (0.05, 0.5, 1e-6, 0.1)],
)
def test_rmsprop(ms, snippets, compare, seed, lr, alpha, eps, weight_decay):
    w, g = problem(SHAPES[seed], seed + 30)
    hyper = {"lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weight_decay}
    theirs = snippets.mindspore_steps(snippets.rmsprop, w, g, ms.float32, **hyper)
    # MindSpore's r starts at 1: dlnotes from r = 1 gives the same numbers (eps under or beside
    # the root differs by eps / (2 r), below float32's resolution for r >= (1 - alpha) g^2).
    ours = snippets.dlnotes_steps(optim.RMSprop, w, g, start={"square_avg": 1.0}, **hyper)
    check(compare, "nn.RMSProp (r starts at 1)", ours, theirs)
    rule = snippets.rmsprop_rule(
        w, g, learning_rate=lr, decay=alpha, epsilon=eps, weight_decay=weight_decay
    )
    check(compare, "nn.RMSProp, NumPy rule", rule, theirs)


@pytest.mark.parametrize("seed", range(len(SHAPES)))
@pytest.mark.parametrize("lr, decay, mu", [(0.1, 0.9, 0.9), (0.01, 0.99, 0.5)])
def test_rmsprop_momentum_and_defaults(ms, snippets, compare, seed, lr, decay, mu):
    """dlnotes' RMSprop has no momentum: nn.RMSProp's against its rule written in NumPy."""
    w, g = problem(SHAPES[seed], seed + 40)
    nn = snippets.nn
    hyper = {"learning_rate": lr, "decay": decay, "momentum": mu}
    theirs = snippets.mindspore_steps(nn.RMSProp, w, g, ms.float32, **hyper)
    check(
        compare,
        "nn.RMSProp(momentum=...), NumPy rule",
        snippets.rmsprop_rule(w, g, **hyper),
        theirs,
    )
    defaults = snippets.mindspore_steps(nn.RMSProp, w, g, ms.float32)
    check(compare, "nn.RMSProp(), NumPy rule", snippets.rmsprop_rule(w, g), defaults)


@pytest.mark.parametrize("seed", range(len(SHAPES)))
@pytest.mark.parametrize(
    "lr, betas, eps, weight_decay",
    [
        (0.001, (0.9, 0.999), 1e-8, 0.0),
        (0.1, (0.5, 0.75), 1e-8, 0.01),
        (0.01, (0.8, 0.99), 1e-6, 0.1),
    ],
)
def test_adam(ms, snippets, compare, seed, lr, betas, eps, weight_decay):
    w, g = problem(SHAPES[seed], seed + 50)
    hyper = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay}
    theirs = snippets.mindspore_steps(snippets.adam, w, g, ms.float32, **hyper)
    if eps <= 1e-8:
        # With gradients of size 1, eps / sqrt(1 - beta2^t) (MindSpore) against eps (dlnotes)
        # is below float32's resolution: the same numbers. Not so with eps = 1e-6.
        ours = snippets.dlnotes_steps(optim.Adam, w, g, **hyper)
        check(compare, "nn.Adam", ours, theirs)
    rule = snippets.adam_rule(
        w, g, lr, beta1=betas[0], beta2=betas[1], eps=eps, weight_decay=weight_decay
    )
    check(compare, "nn.Adam, NumPy rule", rule, theirs)


@pytest.mark.parametrize("scale", [1e-6, 1e-8])
def test_adam_eps_with_tiny_gradients(ms, snippets, compare, scale):
    """Gradients near eps: MindSpore's rule is not dlnotes' (and PyTorch's), but its own."""
    w, g = problem(SHAPES[0], 7, scale=scale)
    theirs = snippets.mindspore_steps(snippets.adam, w, g, ms.float32, lr=0.01)
    check(compare, "nn.Adam, tiny gradients, NumPy rule", snippets.adam_rule(w, g, 0.01), theirs)
    ours = snippets.dlnotes_steps(optim.Adam, w, g, lr=0.01)
    assert travelled(theirs, w) < 0.9 * travelled(ours, w)


@pytest.mark.parametrize("seed", range(len(SHAPES)))
@pytest.mark.parametrize(
    "lr, rho, eps, weight_decay",
    [(1.0, 0.9, 1e-6, 0.0), (0.5, 0.95, 1e-4, 0.01), (2.0, 0.5, 1e-2, 0.1)],
)
def test_adadelta(ms, snippets, compare, seed, lr, rho, eps, weight_decay):
    w, g = problem(SHAPES[seed], seed + 60)
    hyper = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay}
    ours = snippets.dlnotes_steps(optim.Adadelta, w, g, **hyper)
    theirs = snippets.mindspore_steps(snippets.adadelta, w, g, ms.float64, **hyper)
    check(compare, "nn.Adadelta", ours, theirs)


# --- what the chapter says of MindSpore in words ------------------------------------------


def test_sgd_rmsprop_adam_refuse_float64_parameters(ms, snippets):
    w, g = problem(SHAPES[0], 1)
    for build in (snippets.sgd, snippets.rmsprop, snippets.adam):
        with pytest.raises(TypeError, match="Float64"):
            snippets.mindspore_steps(build, w, g[:1], ms.float64, lr=0.01)


def test_float64_parameters_are_updated_in_float32(ms, snippets):
    """nn.Momentum, nn.Adagrad and nn.Adadelta keep float64 tensors but float32 values."""
    rng = np.random.default_rng(3)
    w, g = [rng.normal(size=(4, 5))], [[rng.normal(size=(4, 5))]]
    assert not np.array_equal(w[0], w[0].astype(np.float32))
    for build in (snippets.momentum, snippets.adagrad, snippets.adadelta):
        params = [ms.Parameter(ms.Tensor(w[0]), name="w")]
        build(params, lr=0.1)((ms.Tensor(g[0][0]),))
        after = params[0].asnumpy()
        assert params[0].dtype == ms.float64 and after.dtype == np.float64
        assert np.array_equal(after, after.astype(np.float32).astype(np.float64)), build.__name__
        exact = snippets.dlnotes_steps(optim.SGD, w, g, lr=0.1)[0]  # any float64 rule differs
        assert not np.array_equal(after, exact)


def test_defaults_stated_in_the_chapter(ms):
    """The learning rates and the other defaults the chapter's table and sentences state."""
    import torch
    from conftest import signature

    nn = ms.nn

    def defaults(obj, reader=signature):
        return {k: p.default for k, p in reader(obj).parameters.items()}

    assert defaults(nn.SGD)["learning_rate"] == 0.1
    assert defaults(nn.Adagrad)["learning_rate"] == 0.001
    assert defaults(nn.RMSProp)["learning_rate"] == 0.1
    assert defaults(nn.Adam)["learning_rate"] == 0.001
    assert defaults(nn.Adadelta)["learning_rate"] == 1.0
    empty = __import__("inspect").Parameter.empty
    assert defaults(nn.Momentum)["learning_rate"] is empty
    assert defaults(nn.Momentum)["momentum"] is empty
    assert defaults(nn.Adagrad)["accum"] == 0.1
    assert list(defaults(nn.Adagrad))[:4] == ["self", "params", "accum", "learning_rate"]
    rmsprop = defaults(nn.RMSProp)
    assert (rmsprop["decay"], rmsprop["epsilon"], rmsprop["momentum"]) == (0.9, 1e-10, 0.0)
    adam = defaults(nn.Adam)
    assert (adam["beta1"], adam["beta2"], adam["eps"]) == (0.9, 0.999, 1e-8)
    assert (defaults(nn.Adadelta)["rho"], defaults(nn.Adadelta)["epsilon"]) == (0.9, 1e-6)

    def torch_defaults(name):
        return defaults(getattr(torch.optim, name), __import__("inspect").signature)

    assert torch_defaults("SGD")["lr"] == 0.001
    assert torch_defaults("Adagrad")["lr"] == 0.01
    assert (torch_defaults("RMSprop")["lr"], torch_defaults("RMSprop")["alpha"]) == (0.01, 0.99)


def test_adagrads_second_argument_is_accum(ms):
    """nn.Adagrad(params, 0.01), as a PyTorch listing writes it, sets accum, not the rate."""
    params = [ms.Parameter(ms.Tensor(np.zeros(3)), name="w")]
    opt = ms.nn.Adagrad(params, 0.01)
    assert opt.accum[0].asnumpy().tolist() == pytest.approx([0.01] * 3)
    assert float(opt.learning_rate.asnumpy()) == pytest.approx(0.001)


def test_pytorch_argument_names_are_refused(ms):
    nn = ms.nn

    def params():
        return [ms.Parameter(ms.Tensor(np.zeros(3, np.float32)), name="w")]

    for cls, extra in [
        (nn.SGD, {}),
        (nn.Momentum, {"momentum": 0.9}),
        (nn.Adagrad, {}),
        (nn.RMSProp, {}),
        (nn.Adadelta, {}),
    ]:
        # an unexpected keyword 'lr' (nn.Momentum: its required 'learning_rate' is missing)
        with pytest.raises(TypeError, match=r"'lr'|'learning_rate'"):
            cls(params(), lr=0.01, **extra)
    for keyword, value in [("lr", 0.01), ("betas", (0.9, 0.999))]:
        with pytest.raises(KeyError, match=keyword):  # nn.Adam takes **kwargs and checks them
            nn.Adam(params(), **{keyword: value})
    with pytest.raises(TypeError, match="momentum"):
        nn.Momentum(params(), learning_rate=0.1)  # no default momentum
    with pytest.raises(TypeError, match="float"):
        nn.Momentum(params(), learning_rate=0.1, momentum=1)  # an int is refused


def test_weight_decay_skips_names_with_beta_or_gamma(ms):
    """Not grouped, weight_decay leaves parameters named like BatchNorm's beta and gamma alone."""
    for name, decayed in [("w", True), ("bn.gamma", False), ("bn.beta", False)]:
        p = ms.Parameter(ms.Tensor(np.ones(3)), name=name)
        ms.nn.Momentum([p], learning_rate=0.5, momentum=0.0, weight_decay=0.5)(
            (ms.Tensor(np.zeros(3)),)
        )
        assert p.asnumpy() == pytest.approx(0.75 if decayed else 1.0), name


def test_rmsprop_mean_square_starts_at_one(ms, snippets):
    params = [ms.Parameter(ms.Tensor(np.zeros(2, np.float32)), name="w")]
    opt = snippets.rmsprop(params, lr=0.1)
    assert opt.ms[0].asnumpy().tolist() == [1.0, 1.0]
    opt((ms.Tensor(np.array([2.0, 0.01], np.float32)),))
    # first step lr g / sqrt(alpha + (1 - alpha) g^2), not dlnotes' lr / sqrt(1 - alpha) = 1
    assert (-params[0].asnumpy()).tolist() == pytest.approx(
        [0.2 / np.sqrt(0.99 + 0.04), 0.001 / np.sqrt(0.99 + 1e-6)], rel=1e-6
    )


def test_adagrad_kernel_adds_1e_8_under_the_root(ms, snippets):
    """A first gradient of 1e-4 from r = 0: a step of lr / sqrt(2), not lr; a zero one: no step."""
    params = [ms.Parameter(ms.Tensor(np.ones(3)), name="w")]
    snippets.adagrad(params, lr=0.1)((ms.Tensor(np.array([1e-4, 0.0, 1.0])),))
    step = 1.0 - params[0].asnumpy()
    assert step.tolist() == pytest.approx([0.1 / np.sqrt(2), 0.0, 0.1], rel=1e-6)


# The chapter: ten steps from the same 1000 weights, the same random gradients, lr = 0.01, every
# other argument set as in dlnotes where MindSpore has one; the distance MindSpore travels as a
# fraction of dlnotes' (|w_10 - w_0| over all weights), for gradients of standard deviation 1 and
# 0.01 (Adam: 1e-7).
STATED = {
    ("Adagrad", 1.0): 0.93,
    ("Adagrad", 0.01): 0.06,
    ("RMSprop", 1.0): 0.18,
    ("RMSprop", 0.01): 0.002,
    ("Adam", 1e-7): 0.42,
}


@pytest.mark.parametrize(("name", "scale"), list(STATED))
def test_the_distances_stated_in_the_chapter(ms, snippets, name, scale):
    w, g = problem([(1000,)], 0, scale)
    if name == "Adagrad":  # nn.Adagrad's default accum = 0.1
        theirs = snippets.mindspore_steps(snippets.nn.Adagrad, w, g, ms.float64, learning_rate=0.01)
    else:  # everything set as in dlnotes; what remains is r = 1 at the start, or eps
        build = snippets.rmsprop if name == "RMSprop" else snippets.adam
        theirs = snippets.mindspore_steps(build, w, g, ms.float32, lr=0.01)
    ours = snippets.dlnotes_steps(getattr(optim, name), w, g, lr=0.01)
    ratio = travelled(theirs, w) / travelled(ours, w)
    assert ratio == pytest.approx(STATED[name, scale], rel=0.1)
