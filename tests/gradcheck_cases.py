"""Every gradient check of dlnotes, in one table: :data:`CASES`.

Each :class:`Case` compares the analytic gradients of one public component with central
differences (:mod:`dlnotes.gradcheck`, float64) at inputs drawn from a fixed seed and kept off
kinks and ties, and returns the relative error of each gradient it compared.
``tests/test_gradients.py`` asserts that every error is below :data:`THRESHOLD`; the
verification page (``docs/_ext/verification.py``) runs the same cases at every build and shows
the largest error of each component.

A check is a function ``check(rng, *args) -> {gradient: relative error}`` registered with
:func:`gradient_check`, which adds one case per tuple of arguments, like
``pytest.mark.parametrize``. A component with a backward pass or a derivative gets at least
two cases here.

This module imports only NumPy and dlnotes: the documentation build runs it without pytest.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from dlnotes import activations as A
from dlnotes import conv, recurrent
from dlnotes import layers as L
from dlnotes.gradcheck import check_layer, check_loss, numerical_gradient, relative_error
from dlnotes.losses import (
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    ExponentialLoss,
    HingeLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
)
from dlnotes.regularization import add_l1_grad, add_l2_grad, l1_penalty, l2_penalty

THRESHOLD = 1e-7  # float64: a correct gradient gives about 1e-10, a wrong one 1e-3 or more

Array = np.ndarray
Errors = dict[str, float]  # the relative error of each gradient compared: "x", "weight", ...
Check = Callable[..., Errors]


@dataclass(frozen=True)
class Case:
    """One gradient check of one component."""

    component: str  # "module.name" as in the module's __all__: a row of the verification page
    label: str  # what is checked, e.g. "Conv2d(2, 3, 3, stride=1, padding=1) on (2, 2, 4, 5)"
    run: Callable[[], Errors]

    @property
    def id(self) -> str:
        return f"{self.component}: {self.label}"


CASES: list[Case] = []


def gradient_check(
    component: str, label: str, params: Iterable[Sequence] = ((),)
) -> Callable[[Check], Check]:
    """Register ``check(rng, *args)`` once for every ``args`` in `params`.

    `component` and `label` are formatted with the arguments (``"layers.{0}"``); the case
    with index ``i`` in `params` draws from ``numpy.random.default_rng(i)``.
    """

    def register(check: Check) -> Check:
        for seed, args in enumerate(params):
            run = functools.partial(_seeded, check, seed, tuple(args))
            CASES.append(Case(component.format(*args), label.format(*args), run))
        return check

    return register


def _seeded(check: Check, seed: int, args: tuple) -> Errors:
    return check(np.random.default_rng(seed), *args)


# --------------------------------------------------------------------------------------------
# Inputs off kinks and ties
# --------------------------------------------------------------------------------------------


def off_kinks(rng: np.random.Generator, shape: tuple[int, ...], gap: float = 0.1) -> Array:
    """Values with ``gap <= |x| <= 3``: no central difference straddles the kink at 0.

    >>> x = off_kinks(np.random.default_rng(0), (100,))
    >>> bool(np.all((np.abs(x) >= 0.1) & (np.abs(x) <= 3.0)))
    True
    """
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(gap, 3.0, size=shape)


def no_ties(rng: np.random.Generator, shape: tuple[int, ...], gap: float = 0.1) -> Array:
    """Distinct values `gap` apart, shuffled: a step of 1e-5 never changes which entry of a
    pooling window is the largest.

    >>> sorted(no_ties(np.random.default_rng(0), (2, 2)).ravel().tolist())
    [-0.2, -0.1, 0.0, 0.1]
    """
    size = math.prod(shape)
    return (rng.permutation(size) - size / 2).reshape(shape) * gap


def _function(rng, f: Callable[..., Array], inputs: list[Array], grads, names: Sequence[str]):
    """Relative errors of the gradients of ``sum(r * f(*inputs))``, input by input.

    ``r`` is drawn from `rng`; ``grads(r)`` returns the analytic gradients, in the order of
    `inputs`, which `names` name.
    """
    r = rng.normal(size=f(*inputs).shape)
    errors = {}
    for i, grad in enumerate(grads(r)):

        def loss(v: Array, i: int = i) -> float:
            return float(np.sum(r * f(*inputs[:i], v, *inputs[i + 1 :])))

        errors[names[i]] = relative_error(grad, numerical_gradient(loss, inputs[i]))
    return errors


# --------------------------------------------------------------------------------------------
# activations: each derivative against the function it differentiates
# --------------------------------------------------------------------------------------------

DERIVATIVES = ["sigmoid", "tanh", "softsign", "relu", "leaky_relu", "softplus"]


def _derivative(name: str, alpha: float | None) -> tuple[Callable, Callable]:
    f, df = getattr(A, name), getattr(A, f"{name}_grad")
    if alpha is None:
        return f, df
    return functools.partial(f, alpha=alpha), functools.partial(df, alpha=alpha)


ARRAYS = {  # label: input
    "U(-5, 5) on (4, 6), |x| >= 0.05": lambda rng: _away_from_zero(rng.uniform(-5, 5, (4, 6))),
    "0.1 <= |x| <= 3 on (3, 4)": lambda rng: off_kinks(rng, (3, 4)),
}


def _away_from_zero(x: Array, margin: float = 0.05) -> Array:
    return np.where(np.abs(x) < margin, np.copysign(margin, x), x)


@gradient_check("activations.{0}_grad", "{1}", [(n, a) for n in DERIVATIVES for a in ARRAYS])
def _derivative_on_arrays(rng, name, inputs, alpha=None):
    f, df = _derivative(name, alpha)
    x = ARRAYS[inputs](rng)
    return {"x": relative_error(df(x), numerical_gradient(lambda v: f(v).sum(), x))}


@gradient_check("activations.leaky_relu_grad", "alpha=0.2, {0}", [(a,) for a in ARRAYS])
def _leaky_relu_grad_with_alpha(rng, inputs):
    return _derivative_on_arrays(rng, "leaky_relu", inputs, alpha=0.2)


POINTS = (-3.5, -1.5, -0.7, 0.3, 1.9, 3.0)


@gradient_check(
    "activations.{0}_grad", f"at x = {', '.join(map(str, POINTS))}", [(n,) for n in DERIVATIVES]
)
def _derivative_at_points(rng, name):
    """One comparison per point, where f' is not so small that rounding dominates."""
    f, df = _derivative(name, None)
    errors = {}
    for point in POINTS:
        x = np.array([point])
        errors[f"x={point}"] = relative_error(df(x), numerical_gradient(lambda v: f(v).sum(), x))
    return errors


# --------------------------------------------------------------------------------------------
# layers: check_layer (dx and every parameter's gradient)
# --------------------------------------------------------------------------------------------


@gradient_check("layers.Linear", "Linear(3, 5) on {0}", [((4, 3),), ((2, 3, 3),), ((3,),)])
def _linear(rng, shape):
    return check_layer(L.Linear(3, 5, rng=rng), rng.normal(size=shape), rng=rng)


@gradient_check(
    "layers.{0}",
    "0.1 <= |x| <= 3 on {1}",
    [
        (name, shape)
        for name in ("ReLU", "Sigmoid", "Tanh", "Softsign", "Softplus")
        for shape in ((4, 5), (2, 3, 5))
    ],
)
def _activation_layer(rng, name, shape):
    return check_layer(getattr(L, name)(), off_kinks(rng, shape), rng=rng)


@gradient_check(
    "layers.LeakyReLU",
    "LeakyReLU({0}), 0.1 <= |x| <= 3 on {1}",
    [(0.01, (4, 5)), (0.2, (2, 3, 5)), (0.3, (3, 4))],
)
def _leaky_relu_layer(rng, alpha, shape):
    return check_layer(L.LeakyReLU(alpha), off_kinks(rng, shape), rng=rng)


class FixedMask(L.Layer):
    """A Dropout whose generator is reseeded before every forward pass: the same mask each time.

    Central differences call forward many times; with a new mask each time they would
    differentiate a different function at every step.
    """

    def __init__(self, p: float, seed: int) -> None:
        self.seed = seed
        self.dropout = L.Dropout(p, rng=np.random.default_rng(seed))

    def forward(self, x: Array, training: bool = True) -> Array:
        self.dropout.rng = np.random.default_rng(self.seed)
        return self.dropout.forward(x, training=training)

    def backward(self, dout: Array) -> Array:
        return self.dropout.backward(dout)


@gradient_check(
    "layers.Dropout",
    "Dropout({0}), the same mask at every pass, on {1}",
    [(0.2, (4, 6)), (0.5, (4, 6)), (0.5, (2, 3, 4))],
)
def _dropout(rng, p, shape):
    mask = FixedMask(p, seed=int(rng.integers(2**31)))
    return check_layer(mask, rng.normal(size=shape), rng=rng)


@gradient_check("layers.Dropout", "Linear-ReLU-Dropout(0.5)-Linear, the same mask at every pass")
def _dropout_in_a_network(rng):
    net = L.Sequential(
        L.Linear(3, 8, rng=rng), L.ReLU(), FixedMask(0.5, seed=7), L.Linear(8, 2, rng=rng)
    )
    x = rng.normal(size=(5, 3))
    assert np.min(np.abs(net[0](x))) > 1e-3, "a pre-activation of the ReLU is on its kink"
    return check_layer(net, x, rng=rng)


@gradient_check("layers.Flatten", "on {0}", [((3, 2, 4, 5),), ((3, 5, 2),)])
def _flatten(rng, shape):
    return check_layer(L.Flatten(), rng.normal(size=shape), rng=rng)


@gradient_check(
    "layers.Conv2d",
    "Conv2d({0}, {1}, {2}, stride={3}, padding={4}) on {5}",
    [
        (1, 2, 3, 1, 0, (2, 1, 5, 5)),
        (2, 3, 3, 1, 1, (2, 2, 4, 5)),
        (3, 2, 3, 2, 1, (1, 3, 7, 6)),
        (2, 2, (2, 3), (2, 1), (1, 2), (2, 2, 5, 4)),
        (2, 3, 1, 1, 0, (2, 2, 3, 3)),  # 1x1
        (1, 2, 2, 3, 0, (2, 1, 7, 8)),  # stride larger than the kernel: some pixels unused
        (1, 1, 4, 1, 2, (1, 1, 2, 3)),  # kernel larger than the input, padding makes it fit
    ],
)
def _conv2d(rng, c_in, c_out, kernel, stride, padding, shape):
    layer = L.Conv2d(c_in, c_out, kernel, stride, padding, rng=rng)
    return check_layer(layer, rng.normal(size=shape), rng=rng)


POOLS = [(2, None), (3, 2), ((2, 3), (1, 2)), (3, 1), (1, None)]  # kernel, stride


@gradient_check("layers.MaxPool2d", "MaxPool2d({0}, stride={1}) on (2, 2, 6, 7), no ties", POOLS)
def _max_pool(rng, kernel, stride):
    return check_layer(L.MaxPool2d(kernel, stride), no_ties(rng, (2, 2, 6, 7)), rng=rng)


@gradient_check("layers.AvgPool2d", "AvgPool2d({0}, stride={1}) on (2, 2, 6, 7)", POOLS)
def _avg_pool(rng, kernel, stride):
    return check_layer(L.AvgPool2d(kernel, stride), rng.normal(size=(2, 2, 6, 7)), rng=rng)


SEQUENCES = [(1, 1, 1, 1), (2, 3, 2, 3), (3, 5, 4, 2), (2, 8, 3, 4)]  # N, T, D, H


@gradient_check(
    "layers.{0}",
    "{0}({3}, {4}) on ({1}, {2}, {3}) from zero states",
    [(kind, *sizes) for kind in ("RNN", "LSTM") for sizes in SEQUENCES],
)
def _recurrent(rng, kind, n, t, d, h):
    return check_layer(getattr(L, kind)(d, h, rng=rng), rng.normal(size=(n, t, d)), rng=rng)


class WithState(L.Layer):
    """A recurrent layer run from fixed initial states, so that check_layer sees x -> y."""

    def __init__(self, layer: L.Layer, **states: Array) -> None:
        self.layer, self.states = layer, states

    def forward(self, x: Array, training: bool = True) -> Array:
        return self.layer.forward(x, training, **self.states)

    def backward(self, dout: Array) -> Array:
        return self.layer.backward(dout)

    def parameters(self) -> list[L.Parameter]:
        return self.layer.parameters()


@gradient_check(
    "layers.{0}",
    "{0}({3}, {4}) on ({1}, {2}, {3}) from given states, and the states' gradients",
    [(kind, *sizes) for kind in ("RNN", "LSTM") for sizes in SEQUENCES],
)
def _recurrent_from_states(rng, kind, n, t, d, h):
    """dx and the parameters' gradients, then dh0 (and dc0) of the layer."""
    layer = getattr(L, kind)(d, h, rng=rng)
    names = ["h0", "c0"][: 2 if kind == "LSTM" else 1]
    states = {name: rng.normal(size=(n, h)) for name in names}
    x = rng.normal(size=(n, t, d))
    errors = check_layer(WithState(layer, **states), x, rng=rng)
    r = rng.normal(size=(n, t, h))
    layer(x, **states)
    layer.backward(r)
    for name in names:

        def loss(s: Array, name: str = name) -> float:
            return float(np.sum(r * layer.forward(x, **{**states, name: s})))

        errors[f"d{name}"] = relative_error(
            getattr(layer, f"d{name}"), numerical_gradient(loss, states[name])
        )
    return errors


@gradient_check(
    "layers.{0}", "{0}(2, 3), weights times 3 (saturating), on (2, 6, 2)", [("RNN",), ("LSTM",)]
)
def _recurrent_saturated(rng, kind):
    layer = getattr(L, kind)(2, 3, rng=rng)
    for p in layer.parameters():
        p.value *= 3.0
    return check_layer(layer, rng.normal(size=(2, 6, 2)), rng=rng)


@gradient_check("layers.LastStep", "on {0}", [((2, 5, 3),), ((3, 1, 4),)])
def _last_step(rng, shape):
    return check_layer(L.LastStep(), rng.normal(size=shape), rng=rng)


def small_cnn(rng: np.random.Generator) -> L.Sequential:
    """conv 3x3x4 (padding 1) - ReLU - maxpool 2 - conv 3x3x3 - Tanh - avgpool - flatten - FC."""
    return L.Sequential(
        L.Conv2d(2, 4, 3, padding=1, rng=rng), L.ReLU(), L.MaxPool2d(2),
        L.Conv2d(4, 3, 3, padding=1, rng=rng), L.Tanh(), L.AvgPool2d(2),
        L.Flatten(), L.Linear(3 * 2 * 2, 5, rng=rng),
    )  # fmt: skip


@gradient_check("layers.Sequential", "Conv2d-ReLU-MaxPool2d-Conv2d-Tanh-AvgPool2d-Flatten-Linear")
def _cnn(rng):
    net, x = small_cnn(rng), no_ties(rng, (2, 2, 8, 8), gap=0.05)
    assert np.all(np.abs(net[0](x)) > 1e-4), "a pre-activation of the ReLU is on its kink"
    return check_layer(net, x, rng=rng)


@gradient_check("layers.Sequential", "Linear-Tanh-Linear-Sigmoid-Linear-Softsign-Linear-Softplus")
def _smooth_mlp(rng):
    net = L.Sequential(
        L.Linear(4, 6, rng=rng), L.Tanh(), L.Linear(6, 5, rng=rng), L.Sigmoid(),
        L.Linear(5, 5, rng=rng), L.Softsign(), L.Linear(5, 3, rng=rng), L.Softplus(),
    )  # fmt: skip
    return check_layer(net, rng.normal(size=(3, 4)), rng=rng)


@gradient_check("layers.Sequential", "Linear-ReLU-Linear-LeakyReLU on sequences (2, 3, 3)")
def _relu_mlp_on_sequences(rng):
    """Pre-activations off the kink, some of them negative (the kink matters)."""
    net = L.Sequential(L.Linear(3, 8, rng=rng), L.ReLU(), L.Linear(8, 4, rng=rng), L.LeakyReLU(0.1))
    x = rng.normal(size=(2, 3, 3))
    hidden = net[0](x)
    assert np.all(np.abs(hidden) > 1e-3) and np.any(hidden < 0), "draw another input"
    assert np.all(np.abs(net[2](net[1](hidden))) > 1e-3), "draw another input"
    return check_layer(net, x, rng=rng)


@gradient_check("layers.Sequential", "a Sequential inside a Sequential")
def _nested(rng):
    block = L.Sequential(L.Linear(3, 4, rng=rng), L.Tanh(), L.Linear(4, 4, rng=rng))
    net = L.Sequential(block, L.Sigmoid(), L.Linear(4, 2, rng=rng))
    return check_layer(net, rng.normal(size=(5, 3)), rng=rng)


@gradient_check("layers.Sequential", "many to one: {0}-LastStep-Linear", [("RNN",), ("LSTM",)])
def _many_to_one(rng, kind):
    net = L.Sequential(getattr(L, kind)(3, 4, rng=rng), L.LastStep(), L.Linear(4, 2, rng=rng))
    return check_layer(net, rng.normal(size=(3, 5, 3)), rng=rng)


@gradient_check("layers.Sequential", "many to many: {0}-Tanh-{0}-Linear", [("RNN",), ("LSTM",)])
def _many_to_many(rng, kind):
    cls = getattr(L, kind)
    net = L.Sequential(cls(2, 4, rng=rng), L.Tanh(), cls(4, 3, rng=rng), L.Linear(3, 2, rng=rng))
    return check_layer(net, rng.normal(size=(2, 6, 2)), rng=rng)


# --------------------------------------------------------------------------------------------
# losses: check_loss (d loss / d pred)
# --------------------------------------------------------------------------------------------


@gradient_check("losses.MSELoss", "on {0}", [((1,),), ((7,),), ((3, 4),), ((2, 3, 2),)])
def _mse(rng, shape):
    return {"pred": check_loss(MSELoss(), rng.normal(size=shape), rng.normal(size=shape))}


@gradient_check("losses.CrossEntropyLoss", "{0} samples, {1} classes", [(1, 2), (4, 3), (8, 10)])
def _cross_entropy(rng, n, k):
    logits, target = rng.normal(scale=3.0, size=(n, k)), rng.integers(0, k, size=n)
    return {"pred": check_loss(CrossEntropyLoss(), logits, target)}


@gradient_check(
    "losses.BCEWithLogitsLoss",
    "soft targets and a hard one on {0}",
    [((1,),), ((6,),), ((3, 4),), ((2, 2, 3),)],
)
def _bce(rng, shape):
    logits, target = rng.normal(scale=3.0, size=shape), rng.uniform(size=shape)
    target.flat[0] = 1.0
    return {"pred": check_loss(BCEWithLogitsLoss(), logits, target)}


LOSS_SHAPES = [((1,),), ((7,),), ((3, 4),), ((2, 3, 2),)]


def _alternate(shape: tuple[int, ...]) -> Array:
    """True, False, True, ... over the elements in order: both sides of a kink appear."""
    return np.arange(math.prod(shape)).reshape(shape) % 2 == 0


@gradient_check("losses.L1Loss", "|pred - target| >= 0.1 on {0}", LOSS_SHAPES)
def _l1(rng, shape):
    """Errors kept off the kink of |r| at 0."""
    target = rng.normal(size=shape)
    return {"pred": check_loss(L1Loss(), target + off_kinks(rng, shape), target)}


@gradient_check(
    "losses.HuberLoss",
    "delta={1}, |error| at least 0.1 from delta, both pieces, on {0}",
    [((2, 3), 0.5), ((7,), 1.0), ((2, 3, 2), 2.0), ((2,), 3.0), ((4,), 0.2)],
)
def _huber(rng, shape, delta):
    """Errors inside [0, delta - 0.1] or beyond delta + 0.1 (alternately, so that both pieces
    appear), off |r| = delta, where the second derivative jumps from 1 to 0."""
    inside = rng.uniform(0.0, max(delta - 0.1, 0.0), size=shape)
    outside = rng.uniform(delta + 0.1, delta + 3.0, size=shape)
    size = np.where(_alternate(shape), outside, inside)
    target = rng.normal(size=shape)
    pred = target + rng.choice([-1.0, 1.0], size=shape) * size
    return {"pred": check_loss(HuberLoss(delta), pred, target)}


@gradient_check("losses.HingeLoss", "margins y s with |y s - 1| >= 0.1 on {0}", LOSS_SHAPES)
def _hinge(rng, shape):
    """Margins off the kink at 1, alternately below (in [-2, 0.9], a gradient of -y / n)
    and above it (in [1.1, 4], no gradient)."""
    labels = rng.choice([-1.0, 1.0], size=shape)
    margins = 1.0 + np.where(_alternate(shape), -1.0, 1.0) * rng.uniform(0.1, 3.0, size=shape)
    return {"pred": check_loss(HingeLoss(), labels * margins, labels)}


@gradient_check("losses.ExponentialLoss", "scores of scale 2 on {0}", LOSS_SHAPES)
def _exponential(rng, shape):
    labels = rng.choice([-1, 1], size=shape)
    return {"pred": check_loss(ExponentialLoss(), rng.normal(scale=2.0, size=shape), labels)}


def _perturbed(p: L.Parameter, f: Callable[[], float]) -> Array:
    """Central differences of ``f()`` in the value of `p` (restored after each step)."""
    original = p.value

    def at(v: Array) -> float:
        p.value = v
        try:
            return f()
        finally:
            p.value = original

    return numerical_gradient(at, original)


@gradient_check("losses.CrossEntropyLoss", "through Linear-Tanh-Linear: every parameter")
def _loss_through_a_network(rng):
    """The loss's backward starts back-propagation: the network's gradients are exact."""
    net = L.Sequential(L.Linear(3, 5, rng=rng), L.Tanh(), L.Linear(5, 4, rng=rng))
    x, y = rng.normal(size=(6, 3)), rng.integers(0, 4, size=6)
    loss = CrossEntropyLoss()
    loss(net(x), y)
    net.backward(loss.backward())
    return {
        p.name: relative_error(p.grad, _perturbed(p, lambda: CrossEntropyLoss()(net(x), y)))
        for p in net.parameters()
    }


# --------------------------------------------------------------------------------------------
# regularization: add_*_grad against central differences of the penalty
# --------------------------------------------------------------------------------------------

PENALTIES = {"l1": (l1_penalty, add_l1_grad), "l2": (l2_penalty, add_l2_grad)}
_SHAPES = [(3, 4), (4,), (2, 3, 2)]


@gradient_check(
    "regularization.add_{0}_grad",
    "lambda={1}, |w| >= 0.1 (seed {2})",
    [(kind, lam, seed) for kind in PENALTIES for lam in (1e-3, 0.1, 2.5) for seed in range(10)],
)
def _penalty(rng, kind, lam, seed):
    """From zero gradients, parameter by parameter; |w| >= 0.1 keeps L1 off its kink."""
    penalty, add_grad = PENALTIES[kind]
    params = [L.Parameter(off_kinks(rng, s), name=f"p{i}") for i, s in enumerate(_SHAPES)]
    for p in params:
        p.grad = np.zeros_like(p.value)
    add_grad(params, lam)
    return {
        p.name: relative_error(p.grad, _perturbed(p, lambda: penalty(params, lam))) for p in params
    }


@gradient_check(
    "regularization.add_{0}_grad",
    "after the backward pass of Linear-Tanh-Linear, on its weights",
    [("l1",), ("l2",)],
)
def _penalty_after_backward(rng, kind):
    """Loss + penalty of a network: add_*_grad after its backward pass gives the gradient."""
    penalty, add_grad = PENALTIES[kind]
    net = L.Sequential(L.Linear(3, 5, rng=rng), L.Tanh(), L.Linear(5, 2, rng=rng))
    X, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    weights = [p for p in net.parameters() if p.name.endswith("weight")]
    loss = MSELoss()

    def total() -> float:
        return loss(net(X), y) + penalty(weights, 0.3)

    total()
    net.backward(loss.backward())
    add_grad(weights, 0.3)
    analytic = {p.name: p.grad.copy() for p in net.parameters()}
    return {
        p.name: relative_error(analytic[p.name], _perturbed(p, total)) for p in net.parameters()
    }


# --------------------------------------------------------------------------------------------
# conv and recurrent: the functions the layers call, against the forward functions
# --------------------------------------------------------------------------------------------

CONV_FUNCTIONS = [  # x shape, weight shape, stride, padding
    ((2, 2, 5, 5), (3, 2, 3, 3), 1, 1),
    ((1, 3, 6, 7), (2, 3, 2, 3), (2, 1), (1, 0)),
]


@gradient_check(
    "conv.conv2d_backward", "x {0}, weight {1}, stride={2}, padding={3}", CONV_FUNCTIONS
)
def _conv2d_backward(rng, x_shape, w_shape, stride, padding):
    x, w, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[0])
    return _function(
        rng,
        lambda x, w, b: conv.conv2d(x, w, b, stride, padding),
        [x, w, b],
        lambda r: conv.conv2d_backward(r, x, w, stride, padding),
        ["x", "weight", "bias"],
    )


@gradient_check("conv.col2im", "the adjoint of im2col: x {0}, kernel of weight {1}, stride={2}, "
                "padding={3}", CONV_FUNCTIONS)  # fmt: skip
def _col2im(rng, x_shape, w_shape, stride, padding):
    """The gradient of sum(r * im2col(x)) is col2im(r)."""
    kernel = w_shape[2:]
    return _function(
        rng,
        lambda x: conv.im2col(x, kernel, stride, padding),
        [rng.normal(size=x_shape)],
        lambda r: [conv.col2im(r, x_shape, kernel, stride, padding)],
        ["x"],
    )


POOL_FUNCTIONS = [((2, 2, 4, 4), 2, None), ((1, 2, 7, 7), 3, 2)]  # the second overlaps


@gradient_check("conv.max_pool2d_backward", "kernel {1}, stride={2} on {0}", POOL_FUNCTIONS)
def _max_pool2d_backward(rng, shape, kernel, stride):
    x = no_ties(rng, shape)
    _, indices = conv.max_pool2d(x, kernel, stride, return_indices=True)
    return _function(
        rng,
        lambda x: conv.max_pool2d(x, kernel, stride),
        [x],
        lambda r: [conv.max_pool2d_backward(r, indices, shape)],
        ["x"],
    )


@gradient_check("conv.avg_pool2d_backward", "kernel {1}, stride={2} on {0}", POOL_FUNCTIONS)
def _avg_pool2d_backward(rng, shape, kernel, stride):
    return _function(
        rng,
        lambda x: conv.avg_pool2d(x, kernel, stride),
        [rng.normal(size=shape)],
        lambda r: [conv.avg_pool2d_backward(r, shape, kernel, stride)],
        ["x"],
    )


def _recurrent_inputs(rng: np.random.Generator, n: int, t: int, d: int, h: int, gates: int):
    """x, weight_ih, weight_hh, bias_ih, bias_hh and h0 (and c0 when there are four gates)."""
    return [
        rng.normal(size=(n, t, d)),
        rng.normal(scale=0.5, size=(gates * h, d)),
        rng.normal(scale=0.5, size=(gates * h, h)),
        rng.normal(scale=0.5, size=gates * h),
        rng.normal(scale=0.5, size=gates * h),
        *rng.normal(size=(1 if gates == 1 else 2, n, h)),
    ]


RECURRENT_INPUTS = ["x", "weight_ih", "weight_hh", "bias_ih", "bias_hh", "h0", "c0"]
RECURRENT_FUNCTIONS = [(2, 5, 3, 4), (3, 4, 2, 3)]  # N, T, D, H


@gradient_check("recurrent.rnn_backward", "N={0}, T={1}, D={2}, H={3}", RECURRENT_FUNCTIONS)
def _rnn_backward(rng, n, t, d, h):
    """dx, dweight_ih, dweight_hh, dbias_ih, dbias_hh and dh0 against rnn_forward."""
    x, w_ih, w_hh, _, _, h0 = inputs = _recurrent_inputs(rng, n, t, d, h, gates=1)
    hs = recurrent.rnn_forward(*inputs)
    return _function(
        rng,
        recurrent.rnn_forward,
        inputs,
        lambda r: recurrent.rnn_backward(r, x, hs, w_ih, w_hh, h0),
        RECURRENT_INPUTS,
    )


@gradient_check("recurrent.lstm_backward", "N={0}, T={1}, D={2}, H={3}", RECURRENT_FUNCTIONS)
def _lstm_backward(rng, n, t, d, h):
    """dx, the four weight and bias gradients, dh0 and dc0 against lstm_forward."""
    x, w_ih, w_hh, _, _, h0, c0 = inputs = _recurrent_inputs(rng, n, t, d, h, gates=4)
    hs, cs, gates = recurrent.lstm_forward(*inputs)
    return _function(
        rng,
        lambda *a: recurrent.lstm_forward(*a)[0],
        inputs,
        lambda r: recurrent.lstm_backward(r, x, hs, cs, gates, w_ih, w_hh, h0, c0),
        RECURRENT_INPUTS,
    )
