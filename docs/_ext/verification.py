"""The evidence behind every component of dlnotes, for the verification page.

Repository tooling, not package code: the page ``docs/appendix/verification.md`` and the test
``tests/test_verification_page.py`` call it. Three sources of evidence are gathered here:

- :func:`inventory`: every public component (the names in each module's ``__all__``);
- :data:`GRADIENT_CHECKS`: the gradient checks run on every build, with
  :mod:`dlnotes.gradcheck` (central differences in float64, inputs kept off kinks, fixed
  seeds, at least two shapes per component), and :data:`EVIDENCE` for the components that
  have no gradient;
- :func:`oracle_coverage` and :func:`unit_coverage`: which tests name a component, read from
  the sources of ``tests/oracle/*.py`` and ``tests/test_*.py`` with :mod:`ast`, so the
  table cannot drift from the tests.

:func:`report` puts them together as one table (HTML, with a plain-text fallback).
"""

from __future__ import annotations

import ast
import html
import math
import types
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import dlnotes
from dlnotes import activations as A
from dlnotes import conv, recurrent
from dlnotes import layers as L
from dlnotes.gradcheck import check_layer, check_loss, numerical_gradient, relative_error
from dlnotes.losses import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss
from dlnotes.regularization import add_l1_grad, add_l2_grad, l1_penalty, l2_penalty

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
THRESHOLD = 1e-7
# The order of the package's own overview (dlnotes/__init__.py); a module missing here
# still appears, at the end.
MODULE_ORDER = (
    "activations", "layers", "conv", "recurrent", "init", "losses", "optim", "schedules",
    "data", "train", "regularization", "augment", "resample", "metrics", "perceptron",
    "diagnostics", "gradcheck",
)  # fmt: skip
# This page's own test is not evidence for the components.
NOT_EVIDENCE = ("test_verification_page.py",)

Array = np.ndarray

# --------------------------------------------------------------------------------------------
# Inventory
# --------------------------------------------------------------------------------------------


def modules() -> list[str]:
    """The public submodules of dlnotes, in :data:`MODULE_ORDER`, then any others."""
    names = [n for n in dlnotes.__all__ if isinstance(getattr(dlnotes, n), types.ModuleType)]
    return sorted(names, key=lambda n: (MODULE_ORDER.index(n) if n in MODULE_ORDER else 99, n))


def inventory() -> dict[str, object]:
    """``{"module.name": object}`` for every name in every public module's ``__all__``.

    An object exported by two modules is listed once, under the first.
    """
    found: dict[str, object] = {}
    seen: set[int] = set()
    for mod in modules():
        module = getattr(dlnotes, mod)
        for name in sorted(module.__all__, key=str.lower):
            obj = getattr(module, name)
            if id(obj) not in seen:
                seen.add(id(obj))
                found[f"{mod}.{name}"] = obj
    return found


# --------------------------------------------------------------------------------------------
# Gradient checks
# --------------------------------------------------------------------------------------------

Check = Callable[[], list[float]]
GRADIENT_CHECKS: dict[str, Check] = {}


def _registers(*keys: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        for key in keys:
            GRADIENT_CHECKS[key] = check
        return check

    return register


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def off_kinks(rng: np.random.Generator, shape: tuple[int, ...], gap: float = 0.1) -> Array:
    """Values with ``gap <= |x| <= 3``: no central difference straddles the kink at 0."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(gap, 3.0, size=shape)


def distinct(rng: np.random.Generator, shape: tuple[int, ...]) -> Array:
    """Values at least 0.05 apart, so a step of 1e-5 never changes which entry is largest."""
    n = math.prod(shape)
    return ((rng.permutation(n) + rng.uniform(0.0, 0.5, size=n)) * 0.1).reshape(shape)


def _layer(layer: L.Layer, x: Array, seed: int) -> list[float]:
    return list(check_layer(layer, x, rng=_rng(seed)).values())


def _function(f: Callable[..., Array], inputs: list[Array], grads: Iterable[Array], r: Array):
    """Relative error of each analytic gradient of ``sum(r * f(*inputs))``, input by input."""
    errors = []
    for i, grad in enumerate(grads):

        def loss(v: Array, i: int = i) -> float:
            return float(np.sum(r * f(*inputs[:i], v, *inputs[i + 1 :])))

        errors.append(relative_error(grad, numerical_gradient(loss, inputs[i])))
    return errors


_ELEMENTWISE = {
    "sigmoid": (A.sigmoid, A.sigmoid_grad),
    "tanh": (A.tanh, A.tanh_grad),
    "softsign": (A.softsign, A.softsign_grad),
    "relu": (A.relu, A.relu_grad),
    "softplus": (A.softplus, A.softplus_grad),
}


def _derivative(name: str) -> Check:
    f, df = _ELEMENTWISE[name]

    def check() -> list[float]:
        errors = []
        for seed, shape in enumerate([(7,), (3, 4)]):
            x = off_kinks(_rng(seed), shape)
            errors.append(relative_error(df(x), numerical_gradient(lambda v: f(v).sum(), x)))
        return errors

    return check


for _name in _ELEMENTWISE:
    GRADIENT_CHECKS[f"activations.{_name}_grad"] = _derivative(_name)


@_registers("activations.leaky_relu_grad")
def _leaky_relu_grad() -> list[float]:
    errors = []
    for seed, (alpha, shape) in enumerate([(0.01, (7,)), (0.2, (3, 4))]):
        x = off_kinks(_rng(seed), shape)
        numeric = numerical_gradient(lambda v, a=alpha: A.leaky_relu(v, a).sum(), x)
        errors.append(relative_error(A.leaky_relu_grad(x, alpha), numeric))
    return errors


@_registers("layers.Linear")
def _linear() -> list[float]:
    return _layer(L.Linear(3, 2, rng=_rng(0)), _rng(1).normal(size=(4, 3)), 2) + _layer(
        L.Linear(3, 4, rng=_rng(3)), _rng(4).normal(size=(2, 5, 3)), 5
    )


def _activation_layer(make: Callable[[], L.Layer]) -> Check:
    def check() -> list[float]:
        shapes = [(3, 4), (2, 3, 5)]
        return [
            e
            for s, shape in enumerate(shapes)
            for e in _layer(make(), off_kinks(_rng(s), shape), s)
        ]

    return check


for _cls in (L.ReLU, L.Sigmoid, L.Tanh, L.Softsign, L.Softplus):
    GRADIENT_CHECKS[f"layers.{_cls.__name__}"] = _activation_layer(_cls)


@_registers("layers.LeakyReLU")
def _leaky_relu_layer() -> list[float]:
    return _layer(L.LeakyReLU(0.01), off_kinks(_rng(0), (3, 4)), 0) + _layer(
        L.LeakyReLU(0.2), off_kinks(_rng(1), (2, 3, 5)), 1
    )


class FixedMask(L.Layer):
    """A Dropout whose generator is reseeded before every forward pass: the same mask each time.

    Central differences call forward many times; with a new mask each time they would
    differentiate a different function at every step.
    """

    def __init__(self, p: float, seed: int) -> None:
        self.seed = seed
        self.dropout = L.Dropout(p, rng=_rng(seed))

    def forward(self, x: Array, training: bool = True) -> Array:
        self.dropout.rng = _rng(self.seed)
        return self.dropout.forward(x, training=training)

    def backward(self, dout: Array) -> Array:
        return self.dropout.backward(dout)


@_registers("layers.Dropout")
def _dropout() -> list[float]:
    return _layer(FixedMask(0.5, 0), _rng(1).normal(size=(4, 5)), 2) + _layer(
        FixedMask(0.2, 3), _rng(4).normal(size=(2, 3, 4)), 5
    )


@_registers("layers.Flatten")
def _flatten() -> list[float]:
    return _layer(L.Flatten(), _rng(0).normal(size=(2, 3, 4, 4)), 0) + _layer(
        L.Flatten(), _rng(1).normal(size=(3, 5, 2)), 1
    )


@_registers("layers.Conv2d")
def _conv2d_layer() -> list[float]:
    first = L.Conv2d(2, 3, 3, padding=1, rng=_rng(0))
    second = L.Conv2d(3, 2, (2, 3), stride=2, padding=(1, 0), rng=_rng(1))
    return _layer(first, _rng(2).normal(size=(2, 2, 5, 5)), 3) + _layer(
        second, _rng(4).normal(size=(1, 3, 6, 7)), 5
    )


@_registers("layers.MaxPool2d")
def _max_pool_layer() -> list[float]:
    return _layer(L.MaxPool2d(2), distinct(_rng(0), (2, 2, 4, 4)), 0) + _layer(
        L.MaxPool2d(3, stride=2), distinct(_rng(1), (1, 2, 7, 7)), 1
    )


@_registers("layers.AvgPool2d")
def _avg_pool_layer() -> list[float]:
    return _layer(L.AvgPool2d(2), _rng(0).normal(size=(2, 2, 4, 4)), 0) + _layer(
        L.AvgPool2d((2, 3), stride=(1, 2)), _rng(1).normal(size=(1, 2, 5, 7)), 1
    )


def _recurrent_layer(cls: type[L.Layer]) -> Check:
    def check() -> list[float]:
        return _layer(cls(3, 4, rng=_rng(0)), _rng(1).normal(size=(2, 5, 3)), 2) + _layer(
            cls(2, 3, rng=_rng(3)), _rng(4).normal(size=(3, 4, 2)), 5
        )

    return check


GRADIENT_CHECKS["layers.RNN"] = _recurrent_layer(L.RNN)
GRADIENT_CHECKS["layers.LSTM"] = _recurrent_layer(L.LSTM)


@_registers("layers.LastStep")
def _last_step() -> list[float]:
    return _layer(L.LastStep(), _rng(0).normal(size=(2, 5, 3)), 0) + _layer(
        L.LastStep(), _rng(1).normal(size=(3, 1, 4)), 1
    )


@_registers("layers.Sequential")
def _sequential() -> list[float]:
    rng = _rng(0)
    mlp = L.Sequential(L.Linear(3, 5, rng=rng), L.Tanh(), L.Linear(5, 2, rng=rng))
    cnn = L.Sequential(
        L.Conv2d(1, 2, 3, padding=1, rng=rng), L.Tanh(), L.AvgPool2d(2), L.Flatten(),
        L.Linear(8, 3, rng=rng),
    )  # fmt: skip
    many_to_one = L.Sequential(L.LSTM(2, 3, rng=rng), L.LastStep(), L.Linear(3, 2, rng=rng))
    return (
        _layer(mlp, rng.normal(size=(4, 3)), 1)
        + _layer(cnn, rng.normal(size=(2, 1, 4, 4)), 2)
        + _layer(many_to_one, rng.normal(size=(2, 4, 2)), 3)
    )


@_registers("losses.MSELoss")
def _mse() -> list[float]:
    rng = _rng(0)
    return [
        check_loss(MSELoss(), rng.normal(size=shape), rng.normal(size=shape))
        for shape in [(5,), (4, 3)]
    ]


@_registers("losses.CrossEntropyLoss")
def _cross_entropy() -> list[float]:
    rng = _rng(0)
    return [
        check_loss(CrossEntropyLoss(), rng.normal(scale=2.0, size=(n, k)), rng.integers(0, k, n))
        for n, k in [(4, 3), (6, 5)]
    ]


@_registers("losses.BCEWithLogitsLoss")
def _bce() -> list[float]:
    rng = _rng(0)
    soft = check_loss(BCEWithLogitsLoss(), rng.normal(size=5), rng.uniform(size=5))
    hard = check_loss(BCEWithLogitsLoss(), rng.normal(size=(3, 4)), rng.integers(0, 2, (3, 4)))
    return [soft, hard]


def _penalty(penalty: Callable, add_grad: Callable) -> Check:
    """add_*_grad against central differences of the penalty, parameter by parameter."""

    def check() -> list[float]:
        errors = []
        for seed, (lam, shapes) in enumerate([(0.3, [(3, 4), (5,)]), (2.0, [(2, 3, 2)])]):
            rng = _rng(seed)
            params = [L.Parameter(off_kinks(rng, shape)) for shape in shapes]  # |w| >= 0.1
            for p in params:
                p.grad = np.zeros_like(p.value)
            add_grad(params, lam)
            for p in params:
                original = p.value

                def value(v: Array, p: L.Parameter = p, original: Array = original) -> float:
                    p.value = v
                    try:
                        return penalty(params, lam)  # noqa: B023 (used at once)
                    finally:
                        p.value = original

                errors.append(relative_error(p.grad, numerical_gradient(value, p.value)))
        return errors

    return check


GRADIENT_CHECKS["regularization.add_l1_grad"] = _penalty(l1_penalty, add_l1_grad)
GRADIENT_CHECKS["regularization.add_l2_grad"] = _penalty(l2_penalty, add_l2_grad)

_CONV_CASES = [  # (x shape, weight shape, stride, padding)
    ((2, 2, 5, 5), (3, 2, 3, 3), 1, 1),
    ((1, 3, 6, 7), (2, 3, 2, 3), (2, 1), (1, 0)),
]


@_registers("conv.conv2d_backward")
def _conv2d_backward() -> list[float]:
    errors = []
    for seed, (x_shape, w_shape, stride, padding) in enumerate(_CONV_CASES):
        rng = _rng(seed)
        x, w, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[0])
        r = rng.normal(size=conv.conv2d(x, w, b, stride, padding).shape)

        def f(x: Array, w: Array, b: Array, stride=stride, padding=padding) -> Array:
            return conv.conv2d(x, w, b, stride, padding)

        grads = conv.conv2d_backward(r, x, w, stride, padding)
        errors += _function(f, [x, w, b], grads, r)
    return errors


@_registers("conv.col2im")
def _col2im() -> list[float]:
    """col2im is the adjoint of im2col: the gradient of sum(r * im2col(x)) is col2im(r)."""
    errors = []
    for seed, (x_shape, w_shape, stride, padding) in enumerate(_CONV_CASES):
        rng = _rng(seed)
        x, kernel = rng.normal(size=x_shape), w_shape[2:]
        r = rng.normal(size=conv.im2col(x, kernel, stride, padding).shape)
        dx = conv.col2im(r, x_shape, kernel, stride, padding)

        def f(v: Array, k=kernel, s=stride, p=padding) -> Array:
            return conv.im2col(v, k, s, p)

        errors += _function(f, [x], [dx], r)
    return errors


_POOL_CASES = [((2, 2, 4, 4), 2, None), ((1, 2, 7, 7), 3, 2)]  # overlapping windows


@_registers("conv.max_pool2d_backward")
def _max_pool2d_backward() -> list[float]:
    errors = []
    for seed, (shape, kernel, stride) in enumerate(_POOL_CASES):
        rng = _rng(seed)
        x = distinct(rng, shape)
        y, indices = conv.max_pool2d(x, kernel, stride, return_indices=True)
        r = rng.normal(size=y.shape)
        dx = conv.max_pool2d_backward(r, indices, shape)

        def f(v: Array, k=kernel, s=stride) -> Array:
            return conv.max_pool2d(v, k, s)

        errors += _function(f, [x], [dx], r)
    return errors


@_registers("conv.avg_pool2d_backward")
def _avg_pool2d_backward() -> list[float]:
    errors = []
    for seed, (shape, kernel, stride) in enumerate(_POOL_CASES):
        rng = _rng(seed)
        x = rng.normal(size=shape)
        r = rng.normal(size=conv.avg_pool2d(x, kernel, stride).shape)
        dx = conv.avg_pool2d_backward(r, shape, kernel, stride)

        def f(v: Array, k=kernel, s=stride) -> Array:
            return conv.avg_pool2d(v, k, s)

        errors += _function(f, [x], [dx], r)
    return errors


def _recurrent_inputs(rng: np.random.Generator, n: int, t: int, d: int, h: int, gates: int):
    return [
        rng.normal(size=(n, t, d)),
        rng.normal(scale=0.5, size=(gates * h, d)),
        rng.normal(scale=0.5, size=(gates * h, h)),
        rng.normal(scale=0.5, size=gates * h),
        rng.normal(scale=0.5, size=gates * h),
        *rng.normal(size=(1 if gates == 1 else 2, n, h)),
    ]


_SEQUENCE_CASES = [(2, 5, 3, 4), (3, 4, 2, 3)]  # (N, T, D, H)


@_registers("recurrent.rnn_backward")
def _rnn_backward() -> list[float]:
    """dx, dweight_ih, dweight_hh, dbias_ih, dbias_hh and dh0 against rnn_forward."""
    errors = []
    for seed, sizes in enumerate(_SEQUENCE_CASES):
        rng = _rng(seed)
        x, w_ih, w_hh, _, _, h0 = inputs = _recurrent_inputs(rng, *sizes, gates=1)
        hs = recurrent.rnn_forward(*inputs)
        r = rng.normal(size=hs.shape)
        grads = recurrent.rnn_backward(r, x, hs, w_ih, w_hh, h0)
        errors += _function(recurrent.rnn_forward, inputs, grads, r)
    return errors


@_registers("recurrent.lstm_backward")
def _lstm_backward() -> list[float]:
    """dx, the four weight and bias gradients, dh0 and dc0 against lstm_forward."""
    errors = []
    for seed, sizes in enumerate(_SEQUENCE_CASES):
        rng = _rng(seed)
        x, w_ih, w_hh, _, _, h0, c0 = inputs = _recurrent_inputs(rng, *sizes, gates=4)
        hs, cs, gates = recurrent.lstm_forward(*inputs)
        r = rng.normal(size=hs.shape)
        grads = recurrent.lstm_backward(r, x, hs, cs, gates, w_ih, w_hh, h0, c0)
        errors += _function(lambda *a: recurrent.lstm_forward(*a)[0], inputs, grads, r)
    return errors


def run_gradient_checks() -> dict[str, list[float]]:
    """Run every gradient check: ``{component: [relative error of each comparison]}``."""
    return {key: [float(e) for e in check()] for key, check in GRADIENT_CHECKS.items()}


# --------------------------------------------------------------------------------------------
# Evidence for the components without a gradient of their own
# --------------------------------------------------------------------------------------------

_FORWARD = "gradient checked as {}"
EVIDENCE: dict[str, str] = {
    **{
        f"activations.{n}": f"values vs closed form; {_FORWARD.format(n + '_grad')}"
        for n in ("sigmoid", "tanh", "softsign", "relu", "leaky_relu", "softplus")
    },
    "activations.softmax": "values vs closed form (rows sum to 1); its gradient is the "
    "CrossEntropyLoss check",
    "activations.log_softmax": "values vs closed form; its gradient is the CrossEntropyLoss check",
    "layers.Parameter": "container (value, grad, name); no computation",
    "layers.Layer": "base class: the forward/backward protocol of every layer above",
    "layers.merge_linear": "no gradient: the merged layer's output equals the chain's",
    "conv.conv2d": f"values vs conv2d_reference; {_FORWARD.format('conv2d_backward')}",
    "conv.conv2d_reference": "loops, one output at a time: hand-computed values",
    "conv.im2col": f"values by hand; {_FORWARD.format('col2im (its adjoint)')}",
    "conv.max_pool2d": f"values vs pool2d_reference; {_FORWARD.format('max_pool2d_backward')}",
    "conv.avg_pool2d": f"values vs pool2d_reference; {_FORWARD.format('avg_pool2d_backward')}",
    "conv.pool2d_reference": "loops, one window at a time: hand-computed values",
    "conv.conv_output_size": "no gradient: formula vs hand cases, errors when the kernel "
    "does not fit",
    "recurrent.rnn_forward": f"values vs the RNN layer; {_FORWARD.format('rnn_backward')}",
    "recurrent.lstm_forward": f"values vs the LSTM layer; {_FORWARD.format('lstm_backward')}",
    "losses.Loss": "base class: forward(pred, target) and backward() of the losses above",
    "regularization.l1_penalty": f"values vs closed form; {_FORWARD.format('add_l1_grad')}",
    "regularization.l2_penalty": f"values vs closed form; {_FORWARD.format('add_l2_grad')}",
    "regularization.EarlyStopping": "no gradient: stopping epoch and restored weights",
    "optim.Optimizer": "base class: parameter handling, zero_grad, weight decay",
    "optim.clip_grad_norm": "no gradient: total norm and rescaling vs closed form",
    "optim.trajectory": "no gradient: the points visited vs the optimiser's own steps",
    "schedules.LRSchedule": "base class: the epoch count of the schedules above",
    "perceptron.Perceptron": "no gradient (perceptron rule): steps by hand, converges on "
    "separable data, never on XOR",
    "perceptron.augment": "no gradient: values by hand",
    "train.Callback": "base class of the training callbacks",
    "train.History": "no gradient: recorded lengths and values",
    "train.accuracy": "no gradient: values by hand",
    "train.evaluate": "no gradient: loss and accuracy in evaluation mode",
    "train.fit": "no gradient: one BGD epoch = one gradient step; learns moons and digits",
    "gradcheck.numerical_gradient": "the method itself: exact on quadratics, second-order "
    "truncation error",
    "gradcheck.relative_error": "the method itself: hand values, symmetric, scale-invariant",
    "gradcheck.check_layer": "the method itself: flags planted errors in a layer",
    "gradcheck.check_loss": "the method itself: flags a planted error in a loss",
}
# One line for several components; each is named, so that a new component gets no line by
# default and the page's test asks for one.
_SHARED = {
    "no gradient: updates vs hand-computed steps": (
        "optim.SGD", "optim.Momentum", "optim.Adagrad", "optim.RMSprop", "optim.Adam",
    ),
    "no gradient: learning rate per epoch vs closed form": (
        "schedules.StepLR", "schedules.ExponentialLR", "schedules.CosineAnnealingLR",
    ),
    "no gradient: values by hand": ("init.fans", "init.gain"),
    "no gradient: bounds and standard deviations vs closed form, reproducible": (
        "init.xavier_uniform_", "init.xavier_normal_", "init.kaiming_uniform_",
        "init.kaiming_normal_", "init.normal_", "init.zeros_", "init.default_uniform",
    ),
    "no gradient: shapes, geometry, reproducibility with a fixed seed": (
        "data.make_xor", "data.make_moons", "data.make_circles", "data.make_spirals",
        "data.make_linearly_separable", "data.minibatches", "data.train_test_split",
    ),
    "no gradient: values by hand, statistics": (
        "data.Standardizer", "data.one_hot", "augment.translate", "augment.rotate",
        "augment.shift_images", "augment.rotate_images", "augment.add_noise",
        "augment.augment_images",
    ),
    "no gradient: shapes, labels and value range of the bundled digits": (
        "data.load_digits", "data.digits_split",
    ),
    "no gradient: class counts by hand and vs imbalanced-learn": (
        "resample.random_undersample", "resample.random_oversample", "resample.smote",
    ),
    "no gradient: the k closest other points, vs distances computed directly": (
        "resample.nearest_neighbours",
    ),
    "no gradient: values by hand and vs scikit-learn": (
        "metrics.confusion_matrix", "metrics.precision", "metrics.recall", "metrics.f1_score",
        "metrics.balanced_accuracy",
    ),
    "no gradient: measurements on small networks": (
        "diagnostics.dead_units", "diagnostics.pre_activations",
        "diagnostics.layer_gradient_norms",
    ),
}  # fmt: skip
for _text, _keys in _SHARED.items():
    EVIDENCE.update(dict.fromkeys(_keys, _text))


# --------------------------------------------------------------------------------------------
# Which tests name which component: read from the test sources with ast
# --------------------------------------------------------------------------------------------

_SAFE_BUILTINS = {
    f.__name__: f
    for f in (list, tuple, range, sorted, len, str, int, float, dict, set, zip, enumerate, abs)
}


@dataclass(frozen=True)
class TestRef:
    """A test function: file, name and number of parametrized cases (None if unknown)."""

    file: str
    name: str
    cases: int | None

    def label(self) -> str:
        return self.name if self.cases in (None, 1) else f"{self.name} ({self.cases})"


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of attributes on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


class _Resolver:
    """Maps dotted names of one test file to components of the inventory."""

    def __init__(self, tree: ast.Module, components: dict[str, object]) -> None:
        self.by_id = {id(obj): key for key, obj in components.items()}
        self.aliases: dict[str, str] = {}  # local name -> dotted path in dlnotes
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] == "dlnotes":
                        local = a.asname or a.name.split(".")[0]
                        self.aliases[local] = a.name if a.asname else "dlnotes"
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dlnotes"):
                for a in node.names:
                    self.aliases[a.asname or a.name] = f"{node.module}.{a.name}"

    def target(self, dotted: str) -> object | None:
        """The Python object a dotted name of the file stands for, or None."""
        root, *rest = dotted.split(".")
        if root not in self.aliases:
            return None
        path = self.aliases[root].split(".")[1:] + rest
        obj: object = dlnotes
        for part in path:
            try:
                obj = getattr(obj, part)
            except AttributeError:
                return None
        return obj

    def component(self, dotted: str) -> str | None:
        """The component a dotted name refers to (``A.sigmoid.__name__`` -> sigmoid)."""
        parts = dotted.split(".")
        for end in range(len(parts), 0, -1):
            key = self.by_id.get(id(self.target(".".join(parts[:end]))))
            if key is not None:
                return key
        return None

    def module(self, node: ast.expr) -> types.ModuleType | None:
        dotted = _dotted(node)
        obj = self.target(dotted) if dotted else None
        return obj if isinstance(obj, types.ModuleType) else None


def _getattr_pattern(node: ast.expr) -> tuple[str, str] | None:
    """(prefix, suffix) of a name computed as ``name``, ``f"{name}_grad"`` and so on."""
    if isinstance(node, ast.Name):
        return "", ""
    if isinstance(node, ast.JoinedStr):
        values = node.values
        if sum(isinstance(v, ast.FormattedValue) for v in values) == 1:
            i = next(i for i, v in enumerate(values) if isinstance(v, ast.FormattedValue))
            text = [v.value if isinstance(v, ast.Constant) else "" for v in values]
            return "".join(text[:i]), "".join(text[i + 1 :])
    return None


def _string_constants(node: ast.AST) -> set[str]:
    """The string literals in `node`, except the pieces of f-strings."""
    skip = {id(c) for j in ast.walk(node) if isinstance(j, ast.JoinedStr) for c in ast.walk(j)}
    return {
        n.value
        for n in ast.walk(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip
    }


def _strings(value: object) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list | tuple | set | frozenset | range):
        return set().union(*(_strings(v) for v in value)) if len(value) else set()
    return set()


class _TestFile:
    """One test module: its functions, constants and imported dlnotes names."""

    def __init__(self, path: Path, components: dict[str, object]) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.resolver = _Resolver(self.tree, components)
        self.functions: dict[str, ast.FunctionDef | ast.ClassDef] = {}
        self.constants: dict[str, ast.expr] = {}
        for node in self.tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                self.functions[node.name] = node
            elif isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        self.constants[t.id] = node.value
        self.namespace = {"__builtins__": _SAFE_BUILTINS}
        for name, expr in self.constants.items():  # literals; dicts of anything by their keys
            try:
                self.namespace[name] = eval(
                    compile(ast.Expression(expr), "", "eval"), self.namespace
                )
            except Exception:
                if isinstance(expr, ast.Dict):
                    keys = [k.value for k in expr.keys if isinstance(k, ast.Constant)]
                    self.namespace[name] = dict.fromkeys(keys)

    def evaluate(self, expr: ast.expr) -> object:
        """A parametrize argument's value, from the file's literal constants; None if not."""
        try:
            return eval(compile(ast.Expression(expr), "", "eval"), dict(self.namespace))
        except Exception:
            return None

    def tests(self) -> Iterator[ast.FunctionDef]:
        for name, node in self.functions.items():
            if name.startswith("test_") and isinstance(node, ast.FunctionDef):
                yield node

    def parametrized(self, test: ast.FunctionDef) -> tuple[set[str], int | None]:
        """The string values a test is parametrized with, and its number of cases."""
        strings: set[str] = set()
        cases: int | None = 1
        for deco in test.decorator_list:
            if isinstance(deco, ast.Call) and (_dotted(deco.func) or "").endswith("parametrize"):
                if len(deco.args) < 2:
                    continue
                value = self.evaluate(deco.args[1])
                if value is None:
                    strings |= _string_constants(deco.args[1])
                    cases = None
                else:
                    strings |= _strings(value)
                    cases = None if cases is None else cases * len(value)
        return strings, cases

    def references(self, test: ast.FunctionDef) -> set[str]:
        """The components a test names, itself or through the helpers and constants it uses.

        A branch ``if name == "X":`` is followed, and a table ``{"X": ...}`` read, only for
        the names the test uses (its parametrize values, its string literals, the lists it
        draws from), so that a helper shared by several tests does not lend each of them
        the components of the others.
        """
        strings, _ = self.parametrized(test)
        for statement in test.body:
            strings |= _string_constants(statement)
        # the helpers, fixtures and constants the test reaches, and the lists of names in them
        reached: dict[str, ast.AST] = {}
        queue: list[ast.AST] = [test]
        queue += [self.functions[a.arg] for a in test.args.args if a.arg in self.functions]
        while queue:
            for n in ast.walk(queue.pop()):
                if not isinstance(n, ast.Name) or n.id in reached:
                    continue
                if n.id in self.functions:
                    reached[n.id] = self.functions[n.id]
                elif n.id in self.constants:
                    reached[n.id] = self.constants[n.id]
                    strings |= _strings(self.namespace.get(n.id))
                else:
                    continue
                queue.append(reached[n.id])
        bodies = [test, *(self.functions[a.arg] for a in test.args.args if a.arg in self.functions)]
        bodies += list(reached.values())
        found: set[str] = set()
        for body in bodies:
            self._collect(body, strings, found)
        return found

    def _collect(self, node: ast.AST, strings: set[str], found: set[str]) -> None:
        """Add the components named in `node` to `found` (see :meth:`references`)."""
        if isinstance(node, ast.arg | ast.AnnAssign):  # annotations name types, not uses
            if isinstance(node, ast.AnnAssign) and node.value is not None:
                self._collect(node.value, strings, found)
            return
        if isinstance(node, ast.FunctionDef):
            for child in [*node.body, *node.decorator_list, *node.args.defaults]:
                self._collect(child, strings, found)
            return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "isinstance" and len(node.args) == 2:  # a type test is no use
                self._collect(node.args[0], strings, found)
                return
            if node.func.id == "getattr" and len(node.args) >= 2:
                module = self.resolver.module(node.args[0])
                pattern = _getattr_pattern(node.args[1])
                if module is not None and pattern is not None:
                    for s in strings:
                        key = self.resolver.by_id.get(
                            id(getattr(module, pattern[0] + s + pattern[1], None))
                        )
                        if key:
                            found.add(key)
        if isinstance(node, ast.If) and isinstance(node.test, ast.Compare):
            test = node.test
            if (
                isinstance(test.left, ast.Name)
                and len(test.ops) == 1
                and isinstance(test.ops[0], ast.Eq)
                and isinstance(test.comparators[0], ast.Constant)
                and isinstance(test.comparators[0].value, str)
                and test.comparators[0].value not in strings
            ):
                for child in node.orelse:
                    self._collect(child, strings, found)
                return
        if isinstance(node, ast.Dict):
            keys = [k.value if isinstance(k, ast.Constant) else None for k in node.keys]
            if strings & set(keys):  # a table looked up by the names the test uses
                for key, value in zip(keys, node.values, strict=True):
                    if key in strings:
                        self._collect(value, strings, found)
                return
        if isinstance(node, ast.Attribute | ast.Name):
            dotted = _dotted(node)
            if dotted is not None:
                key = self.resolver.component(dotted)
                if key is not None:
                    found.add(key)
                    return
        for child in ast.iter_child_nodes(node):
            self._collect(child, strings, found)


def oracle_coverage(
    components: dict[str, object] | None = None, directory: Path = TESTS / "oracle"
) -> dict[str, list[TestRef]]:
    """``{component: [oracle tests that name it]}``, from the sources of tests/oracle/test_*.py."""
    components = inventory() if components is None else components
    coverage: dict[str, list[TestRef]] = {key: [] for key in components}
    for path in sorted(directory.glob("test_*.py")):
        source = _TestFile(path, components)
        for test in source.tests():
            _, cases = source.parametrized(test)
            for key in sorted(source.references(test)):
                coverage[key].append(TestRef(path.name, test.name, cases))
    return coverage


def unit_coverage(
    components: dict[str, object] | None = None, directory: Path = TESTS
) -> dict[str, list[str]]:
    """``{component: [unit-test files that name it]}``, from tests/test_*.py (whole files)."""
    components = inventory() if components is None else components
    coverage: dict[str, list[str]] = {key: [] for key in components}
    for path in sorted(directory.glob("test_*.py")):
        if path.name in NOT_EVIDENCE:
            continue
        source = _TestFile(path, components)
        strings = _string_constants(source.tree)
        found: set[str] = set()
        for node in source.tree.body:
            if not isinstance(node, ast.Import | ast.ImportFrom):
                source._collect(node, strings | set(source.constants), found)
        for key in found:
            coverage[key].append(path.name)
    return coverage


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------


def compact(value: float) -> str:
    """``2.3e-10`` rather than ``2.3e-10`` with a padded exponent such as ``1.0e-09``."""
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


@dataclass
class Row:
    """One component and its evidence."""

    key: str
    errors: list[float] = field(default_factory=list)
    evidence: str = ""
    oracle: list[TestRef] = field(default_factory=list)
    unit: list[str] = field(default_factory=list)

    @property
    def module(self) -> str:
        return self.key.split(".")[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]

    @property
    def max_error(self) -> float | None:
        return max(self.errors) if self.errors else None

    @property
    def passed(self) -> bool:
        return bool(self.errors) and max(self.errors) < THRESHOLD

    def result(self) -> str:
        """The error column: ``2.3e-10 ✓``, or the evidence line when there is no gradient."""
        if not self.errors:
            return self.evidence or "NO EVIDENCE RECORDED"
        return f"{compact(max(self.errors))} {'✓' if self.passed else '✗ FAIL'}"

    def oracle_text(self) -> str:
        return ", ".join(t.label() for t in self.oracle) or "none"

    def unit_text(self) -> str:
        return ", ".join(self.unit) or "none"


_STYLE = """
.dlnotes-verification .summary { margin-bottom: 0.5rem; }
.dlnotes-verification .wrap { overflow-x: auto; }
.dlnotes-verification table { border-collapse: collapse; font-size: 0.8rem; width: 100%; }
.dlnotes-verification th, .dlnotes-verification td {
  border-bottom: 1px solid var(--pst-color-border, #ccc); padding: 0.2rem 0.35rem;
  text-align: left; vertical-align: top; }
.dlnotes-verification td.num { white-space: nowrap; text-align: right; }
.dlnotes-verification td.evidence { font-style: italic; color: var(--pst-color-text-muted, #555);
  min-width: 10rem; }
.dlnotes-verification tr.module th { background: var(--pst-color-surface, #f3f4f5);
  font-family: var(--pst-font-family-monospace, monospace); }
.dlnotes-verification .none { color: var(--pst-color-warning, #b35900); }
.dlnotes-verification .fail { color: var(--pst-color-danger, #c00); font-weight: bold; }
@media (max-width: 700px) {
  .dlnotes-verification table, .dlnotes-verification tbody, .dlnotes-verification tr,
  .dlnotes-verification td, .dlnotes-verification th { display: block; width: auto; }
  .dlnotes-verification thead { display: none; }
  .dlnotes-verification tr { border-bottom: 1px solid var(--pst-color-border, #ccc);
    padding: 0.3rem 0; }
  .dlnotes-verification td { border: none; padding: 0.05rem 0.35rem; text-align: left; }
  .dlnotes-verification td.num { text-align: left; }
  .dlnotes-verification td[data-label]::before { content: attr(data-label) ": ";
    font-style: normal; font-weight: 600; color: var(--pst-color-text-base, #222); }
}
"""
HEADERS = ("component", "max rel. error (< 1e-7)", "checks", "PyTorch oracle tests", "unit tests")


def _cell(cls: str, label: str, text: str, colspan: int = 1) -> str:
    """A table cell; `label` names the column on a phone, where each row becomes a card.

    Long test names may break after an underscore.
    """
    body = html.escape(text).replace("_", "_<wbr>")
    attrs = f' class="{cls}"' + (f' data-label="{html.escape(label)}"' if label else "")
    attrs += f' colspan="{colspan}"' if colspan > 1 else ""
    return f"<td{attrs}>{body}</td>"


@dataclass
class Report:
    """The verification table: :meth:`_repr_html_` for the page, ``repr`` as plain text."""

    rows: list[Row]

    @property
    def checks(self) -> int:
        return sum(len(r.errors) for r in self.rows)

    @property
    def checked(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def max_error(self) -> float:
        return max(e for r in self.rows for e in r.errors)

    @property
    def uncovered(self) -> list[Row]:
        """The components that no oracle test names."""
        return [r for r in self.rows if not r.oracle]

    def summary(self) -> str:
        failed = [r.key for r in self.checked if not r.passed]
        verdict = "all below 1e-7" if not failed else f"FAILED: {', '.join(failed)}"
        return (
            f"dlnotes {dlnotes.__version__}, NumPy {np.__version__}: {len(self.rows)} components; "
            f"{len(self.checked)} gradient-checked in {self.checks} checks, largest relative "
            f"error {compact(self.max_error)} ({verdict}); {len(self.rows) - len(self.uncovered)}"
            f" named by PyTorch oracle tests, {len(self.uncovered)} by none."
        )

    def _repr_html_(self) -> str:
        e = html.escape
        out = [
            f'<div class="dlnotes-verification"><style>{_STYLE}</style>',
            f'<p class="summary">{e(self.summary())}</p><div class="wrap"><table>',
            "<thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in HEADERS) + "</tr></thead><tbody>",
        ]
        module = None
        for row in self.rows:
            if row.module != module:
                module = row.module
                out.append(f'<tr class="module"><th colspan="5">dlnotes.{e(module)}</th></tr>')
            cells = [f"<td><code>{e(row.name)}</code></td>"]
            if row.errors:
                cls = "num" if row.passed else "num fail"
                cells.append(_cell(cls, HEADERS[1], row.result()))
                cells.append(_cell("num", HEADERS[2], str(len(row.errors))))
            else:
                cls = "evidence" if row.evidence else "evidence fail"
                cells.append(_cell(cls, "", row.result(), colspan=2))
            for header, text in zip(HEADERS[3:], (row.oracle_text(), row.unit_text()), strict=True):
                cells.append(_cell("tests none" if text == "none" else "tests", header, text))
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</tbody></table></div></div>")
        return "\n".join(out)

    def __repr__(self) -> str:
        lines = [self.summary(), "", " | ".join(HEADERS)]
        for row in self.rows:
            checks = str(len(row.errors)) if row.errors else "-"
            lines.append(
                f"{row.key} | {row.result()} | {checks} | {row.oracle_text()} | {row.unit_text()}"
            )
        return "\n".join(lines)


def report() -> Report:
    """Run every gradient check and read every test source: the page's table."""
    components = inventory()
    errors = run_gradient_checks()
    oracle, unit = oracle_coverage(components), unit_coverage(components)
    return Report(
        [
            Row(key, errors.get(key, []), EVIDENCE.get(key, ""), oracle[key], unit[key])
            for key in components
        ]
    )
