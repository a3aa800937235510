"""No floating-point warning from the public functions on finite inputs in their domains.

Every function runs under ``np.errstate(all="raise", under="ignore")``, where each overflow,
invalid operation (such as ``inf - inf``) and division by zero becomes a
``FloatingPointError``: a test passes only if NumPy has nothing to warn about. Underflow alone
stays ignored, as it is by NumPy's default: a true value below the smallest float64 (such as
``sigmoid(-1e3)``, about ``e^-1000``) rounded to 0 or a subnormal number is the correctly
rounded answer, and any product of small numbers can produce one.

The inputs are finite, of moderate to large magnitude: 0, or between 1e-3 and the bound in
absolute value, the bound being what the docstrings promise (``|x| = 1e4`` for the
activations, the softmax and the classification losses) or 1e3 where they promise nothing
(the regression losses, the layers and the optimisers; the layers keep their own initial
weights).
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlnotes import activations as A
from dlnotes.layers import (
    LSTM,
    RNN,
    AvgPool2d,
    Conv2d,
    Dropout,
    Flatten,
    LastStep,
    LeakyReLU,
    Linear,
    MaxPool2d,
    ReLU,
    Sequential,
    Sigmoid,
    Softplus,
    Softsign,
    Tanh,
    mlp,
)
from dlnotes.losses import (
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    ExponentialLoss,
    HingeLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
)
from dlnotes.optim import SGD, Adadelta, Adagrad, Adam, Momentum, RMSprop, clip_grad_norm

pytestmark = pytest.mark.covers(
    *(f"activations.{name}" for name in A.__all__),
    "losses.BCEWithLogitsLoss",
    "losses.CrossEntropyLoss",
    "losses.ExponentialLoss",
    "losses.HingeLoss",
    "losses.HuberLoss",
    "losses.L1Loss",
    "losses.MSELoss",
    "optim.SGD",
    "optim.Momentum",
    "optim.Adagrad",
    "optim.RMSprop",
    "optim.Adadelta",
    "optim.Adam",
    "optim.clip_grad_norm",
)

ACTIVATION_BOUND = 1e4  # activations, softmax, cross-entropy and BCE: "as large as |x| = 1e4"
BOUND = 1e3  # everything else


def moderate(bound: float) -> st.SearchStrategy[float]:
    """0, or a float of magnitude between 1e-3 and `bound`, of either sign."""
    magnitude = st.floats(1e-3, bound)
    return st.one_of(st.just(0.0), magnitude, magnitude.map(lambda v: -v))


def arrays(shape, bound: float = BOUND) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, shape, elements=moderate(bound))


SHAPES = hnp.array_shapes(min_dims=1, max_dims=3, max_side=5)


def raising():
    """Overflow, invalid operations and division by zero raise; underflow rounds quietly."""
    return np.errstate(all="raise", under="ignore")


# --------------------------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------------------------

ELEMENTWISE = [
    name for name in A.__all__ if name not in ("softmax", "log_softmax")
]  # the functions and their derivatives


@pytest.mark.parametrize("name", ELEMENTWISE)
@given(x=arrays(SHAPES, ACTIVATION_BOUND))
def test_elementwise_activations(name, x):
    with raising():
        out = getattr(A, name)(x)
    assert out.shape == x.shape and np.all(np.isfinite(out))


@given(x=arrays(SHAPES, ACTIVATION_BOUND), data=st.data())
def test_softmax_and_log_softmax(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1), label="axis")
    with raising():
        p = A.softmax(x, axis=axis)
        logp = A.log_softmax(x, axis=axis)
    assert np.all(np.isfinite(p)) and np.all(np.isfinite(logp))
    np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=1e-12)


# --------------------------------------------------------------------------------------------
# Losses: forward and backward
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "bound"),
    [(MSELoss, BOUND), (L1Loss, BOUND), (HuberLoss, BOUND), (BCEWithLogitsLoss, ACTIVATION_BOUND)],
)
@given(data=st.data())
def test_elementwise_losses(cls, bound, data):
    shape = data.draw(SHAPES, label="shape")
    pred = data.draw(arrays(shape, bound), label="pred")
    if cls is BCEWithLogitsLoss:
        target = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(0, 1)), label="t")
    else:
        target = data.draw(arrays(shape), label="target")
    loss = cls()
    with raising():
        value = loss(pred, target)
        grad = loss.backward()
    assert np.isfinite(value) and np.all(np.isfinite(grad))


@given(data=st.data())
def test_cross_entropy(data):
    n, k = data.draw(st.integers(1, 6), label="n"), data.draw(st.integers(1, 6), label="k")
    logits = data.draw(arrays((n, k), ACTIVATION_BOUND), label="logits")
    target = data.draw(hnp.arrays(np.int64, n, elements=st.integers(0, k - 1)), label="y")
    loss = CrossEntropyLoss()
    with raising():
        value = loss(logits, target)
        grad = loss.backward()
    assert np.isfinite(value) and np.all(np.isfinite(grad))


@pytest.mark.parametrize("cls", [HingeLoss, ExponentialLoss])
@given(data=st.data())
def test_margin_losses(cls, data):
    """Scores up to 1e4; the exponential loss is then inf past its domain, with no flag."""
    shape = data.draw(SHAPES, label="shape")
    scores = data.draw(arrays(shape, ACTIVATION_BOUND), label="scores")
    labels = data.draw(hnp.arrays(np.int64, shape, elements=st.sampled_from([-1, 1])), label="y")
    loss = cls()
    with raising():
        value = loss(scores, labels)
        grad = loss.backward()
    assert not np.isnan(value) and not np.any(np.isnan(grad))


# --------------------------------------------------------------------------------------------
# Layers: forward and backward, with their own initial weights
# --------------------------------------------------------------------------------------------

# (a layer made from a generator, the shape of its input)
LAYERS = {
    "Linear": (lambda rng: Linear(4, 3, rng=rng), (5, 4)),
    "ReLU": (lambda rng: ReLU(), (3, 4)),
    "LeakyReLU": (lambda rng: LeakyReLU(0.1), (3, 4)),
    "Sigmoid": (lambda rng: Sigmoid(), (3, 4)),
    "Tanh": (lambda rng: Tanh(), (3, 4)),
    "Softsign": (lambda rng: Softsign(), (3, 4)),
    "Softplus": (lambda rng: Softplus(), (3, 4)),
    "Dropout": (lambda rng: Dropout(0.5, rng=rng), (3, 4)),
    "mlp": (lambda rng: mlp([4, 8, 3], Sigmoid, rng=rng), (5, 4)),
    "Conv2d": (lambda rng: Conv2d(2, 3, 3, stride=1, padding=1, rng=rng), (2, 2, 5, 5)),
    "MaxPool2d": (lambda rng: MaxPool2d(2), (2, 2, 4, 4)),
    "AvgPool2d": (lambda rng: AvgPool2d(2), (2, 2, 4, 4)),
    "Flatten": (lambda rng: Flatten(), (2, 2, 3, 3)),
    "RNN": (lambda rng: RNN(3, 4, rng=rng), (2, 5, 3)),
    "LSTM": (lambda rng: Sequential(LSTM(3, 4, rng=rng), LastStep()), (2, 5, 3)),
}


@pytest.mark.parametrize("name", LAYERS)
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_layers_forward_and_backward(name, data, seed):
    make, shape = LAYERS[name]
    layer = make(np.random.default_rng(seed))
    x = data.draw(arrays(shape), label="x")
    with raising():
        out = layer(x, training=True)
    dout = data.draw(arrays(out.shape), label="dout")
    with raising():
        dx = layer.backward(dout)
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(dx))
    assert all(np.all(np.isfinite(p.grad)) for p in layer.parameters())


# --------------------------------------------------------------------------------------------
# Optimisers: a few steps, and gradient clipping
# --------------------------------------------------------------------------------------------

OPTIMISERS = {
    "SGD": lambda params: SGD(params, lr=0.1, weight_decay=0.01),
    "Momentum": lambda params: Momentum(params, lr=0.1, weight_decay=0.01),
    "Adagrad": lambda params: Adagrad(params, lr=0.1, weight_decay=0.01),
    "RMSprop": lambda params: RMSprop(params, lr=0.01, weight_decay=0.01),
    "Adadelta": lambda params: Adadelta(params, weight_decay=0.01),
    "Adam": lambda params: Adam(params, lr=0.01, weight_decay=0.01),
}


@pytest.mark.parametrize("name", OPTIMISERS)
@given(data=st.data())
def test_optimiser_steps(name, data):
    layer = Linear(3, 2, rng=np.random.default_rng(0))
    for p in layer.parameters():
        p.value = data.draw(arrays(p.shape), label=f"{p.name} value")
    optimiser = OPTIMISERS[name](layer.parameters())
    for step in range(3):
        for p in layer.parameters():
            p.grad = data.draw(arrays(p.shape), label=f"{p.name} grad {step}")
        with raising():
            optimiser.step()
    assert all(np.all(np.isfinite(p.value)) for p in layer.parameters())


@given(data=st.data(), max_norm=st.floats(1e-3, 1e3))
def test_clip_grad_norm(data, max_norm):
    layer = Linear(3, 2, rng=np.random.default_rng(0))
    for p in layer.parameters():
        p.grad = data.draw(arrays(p.shape), label=p.name)
    with raising():
        total = clip_grad_norm(layer.parameters(), max_norm)
    assert np.isfinite(total)
