"""Tests for dlnotes.regularization: L1/L2 penalties and their gradients, weight decay, early
stopping."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.data import make_moons
from dlnotes.layers import Layer, Linear, Parameter, ReLU, Sequential, Tanh
from dlnotes.losses import CrossEntropyLoss, MSELoss
from dlnotes.optim import SGD
from dlnotes.regularization import (
    EarlyStopping,
    add_l1_grad,
    add_l2_grad,
    l1_penalty,
    l2_penalty,
)
from dlnotes.train import Callback, History, fit

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "regularization.EarlyStopping",
    "regularization.add_l1_grad",
    "regularization.add_l2_grad",
    "regularization.l1_penalty",
    "regularization.l2_penalty",
)


def random_params(rng: np.random.Generator, shapes=((3, 4), (4,), (2, 3, 2))) -> list[Parameter]:
    return [Parameter(rng.normal(size=s), name=f"p{i}") for i, s in enumerate(shapes)]


def values(model: Layer) -> list[np.ndarray]:
    return [p.value.copy() for p in model.parameters()]


# --------------------------------------------------------------------------------------------
# Penalties: values
# --------------------------------------------------------------------------------------------


def test_penalty_values_by_hand():
    w = Parameter([[1.0, -2.0], [0.5, 0.0]], name="weight")
    b = Parameter([-3.0], name="bias")
    assert l1_penalty([w], 0.1) == pytest.approx(0.1 * 3.5)
    assert l1_penalty([w, b], 0.1) == pytest.approx(0.1 * 6.5)
    assert l2_penalty([w], 0.1) == pytest.approx(0.05 * 5.25)
    assert l2_penalty([w, b], 0.1) == pytest.approx(0.05 * 14.25)
    assert l1_penalty([w], 0.0) == l2_penalty([w], 0.0) == 0.0
    assert isinstance(l1_penalty([w], 1.0), float) and isinstance(l2_penalty([w], 1), float)


@given(seed=st.integers(0, 2**32 - 1), lam=st.floats(0.0, 10.0))
def test_penalties_are_the_norms(seed, lam):
    params = random_params(np.random.default_rng(seed))
    flat = np.concatenate([p.value.ravel() for p in params])
    assert l1_penalty(params, lam) == pytest.approx(lam * np.linalg.norm(flat, 1), rel=1e-12)
    assert l2_penalty(params, lam) == pytest.approx(lam / 2 * np.dot(flat, flat), rel=1e-12)


def test_penalties_do_not_touch_values_or_grads(rng):
    params = random_params(rng)
    before = [(p.value.copy(), p.grad.copy()) for p in params]
    l1_penalty(params, 0.3)
    l2_penalty(params, 0.3)
    for p, (value, grad) in zip(params, before, strict=True):
        np.testing.assert_array_equal(p.value, value)
        np.testing.assert_array_equal(p.grad, grad)


def test_only_weights_of_a_model(rng):
    """The documented idiom: penalise the weights of every layer, leave the biases alone."""
    net = Sequential(Linear(3, 4, rng=rng), Tanh(), Linear(4, 2, rng=rng))
    weights = [p for p in net.parameters() if p.name.endswith("weight")]
    assert [p.name for p in weights] == ["0.weight", "2.weight"]
    expected = 0.5 * 0.2 * sum(np.sum(layer.weight.value**2) for layer in (net[0], net[2]))
    assert l2_penalty(weights, 0.2) == pytest.approx(expected, rel=1e-14)


# --------------------------------------------------------------------------------------------
# Penalties: gradients (against central differences: tests/gradcheck_cases.py)
# --------------------------------------------------------------------------------------------


def test_l1_subgradient_is_zero_at_zero():
    w = Parameter([0.0, -0.0, 1e-300, -2.0])
    w.grad = np.array([1.0, 1.0, 1.0, 1.0])
    add_l1_grad([w], 0.5)
    np.testing.assert_array_equal(w.grad, [1.0, 1.0, 1.5, 0.5])


def test_penalty_errors():
    w = Parameter([1.0, 2.0])
    with pytest.raises(ValueError, match=r"lam must be >= 0, got -0\.1"):
        l2_penalty([w], -0.1)
    with pytest.raises(TypeError, match="lam must be a real number"):
        add_l1_grad([w], "0.1")
    with pytest.raises(ValueError, match="lam must be finite"):
        l1_penalty([w], float("nan"))
    with pytest.raises(TypeError, match=r"did you mean \.parameters\(\)"):
        l2_penalty(Linear(2, 2, rng=np.random.default_rng(0)), 0.1)
    with pytest.raises(TypeError, match=r"params\[1\] must be a Parameter"):
        l1_penalty([w, np.ones(2)], 0.1)
    with pytest.raises(ValueError, match="at least one Parameter"):
        add_l2_grad([], 0.1)
    w.grad = np.zeros(3)
    with pytest.raises(ValueError, match=r"gradient of parameter .* shape \(3,\).*\(2,\)"):
        add_l2_grad([w], 0.1)


# --------------------------------------------------------------------------------------------
# The L2 penalty is weight decay for plain SGD
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_l2_penalty_equals_weight_decay_step_for_step(seed):
    """Two copies of a network trained by SGD on the same batches: one minimises
    loss + (lam/2)||theta||^2 through add_l2_grad, the other the loss with
    SGD(weight_decay=lam). Every step gives bit-for-bit the same parameters."""
    rng = np.random.default_rng(seed)
    lam, lr = [0.0, 1e-3, 0.05, 0.5, 1.0][seed], 0.2
    nets = []
    for _ in range(2):
        init = np.random.default_rng(seed + 100)
        nets.append(Sequential(Linear(4, 8, rng=init), Tanh(), Linear(8, 3, rng=init)))
    penalised, decayed = nets
    opt_penalised = SGD(penalised.parameters(), lr=lr)
    opt_decayed = SGD(decayed.parameters(), lr=lr, weight_decay=lam)
    loss_fn = CrossEntropyLoss()
    for _ in range(30):
        X, y = rng.normal(size=(16, 4)), rng.integers(0, 3, size=16)
        opt_penalised.zero_grad()
        loss_fn(penalised(X), y)
        penalised.backward(loss_fn.backward())
        add_l2_grad(penalised.parameters(), lam)
        opt_penalised.step()
        opt_decayed.zero_grad()
        loss_fn(decayed(X), y)
        decayed.backward(loss_fn.backward())
        opt_decayed.step()
        for a, b in zip(values(penalised), values(decayed), strict=True):
            np.testing.assert_array_equal(a, b)


def test_l1_drives_weights_to_zero_and_l2_shrinks_them(rng):
    """Least squares where only 2 of 10 features matter: the L1 (subgradient) solution has
    exactly-zero-ish weights for the useless features, the L2 one only small ones."""
    X = rng.normal(size=(200, 10))
    y = X[:, :2] @ np.array([[3.0], [-2.0]]) + 0.1 * rng.normal(size=(200, 1))
    results = {}
    for name, add_grad in (("l1", add_l1_grad), ("l2", add_l2_grad)):
        layer = Linear(10, 1, rng=np.random.default_rng(0))
        opt, loss_fn = SGD(layer.parameters(), lr=0.01), MSELoss()
        for _ in range(3000):
            opt.zero_grad()
            loss_fn(layer(X), y)
            layer.backward(loss_fn.backward())
            add_grad([layer.weight], 0.5)
            opt.step()
        results[name] = layer.weight.value[0]
    l1, l2 = np.abs(results["l1"]), np.abs(results["l2"])
    assert np.all(l1[2:] < 0.01)  # sits at 0 up to one step's jitter, lr * lam = 0.005
    assert np.all(l1[:2] > 1.0) and np.all(l2[:2] > 1.0)
    assert np.all(l2[2:] > 1e-4)  # small, not zero
    assert np.abs(results["l2"][0]) < 3.0  # shrunk below the true 3


# --------------------------------------------------------------------------------------------
# EarlyStopping
# --------------------------------------------------------------------------------------------


class Scripted(Layer):
    """One parameter whose value is set to the epoch number after every epoch, so that the
    restored weights tell which epoch they came from."""

    def __init__(self):
        self.w = Parameter([0.0], name="w")

    def parameters(self):
        return [self.w]


def feed(stopper: EarlyStopping, sequence, monitor="val_loss", model=None):
    """Run the callback as fit does on a scripted sequence; return the epoch it stops after.

    Before on_epoch_end of epoch t the model's parameter holds t."""
    model = model if model is not None else Scripted()
    history = History()
    stopper.on_train_begin(model)
    stop = None
    for epoch, value in enumerate(sequence, start=1):
        model.w.value[...] = epoch
        getattr(history, monitor).append(value)
        if stopper.on_epoch_end(epoch, history, model):
            stop = epoch
            break
    stopper.on_train_end(model)
    return stop


def test_early_stopping_counts_epochs_without_improvement():
    stopper = EarlyStopping(patience=3)
    # best 0.4 at epoch 5; epochs 6, 7, 8 are no better
    model = Scripted()
    assert feed(stopper, [1.0, 0.5, 0.6, 0.7, 0.4, 0.45, 0.5, 0.55, 0.3], model=model) == 8
    assert stopper.best_ == 0.4 and stopper.best_epoch_ == 5 and stopper.stopped_epoch_ == 8
    assert model.w.value[0] == 5  # the weights of epoch 5 are back
    assert feed(stopper, [1.0, 0.9, 0.8, 0.7], model=model) is None  # reset by on_train_begin
    assert stopper.best_epoch_ == 4 and stopper.stopped_epoch_ is None
    assert model.w.value[0] == 4


@pytest.mark.parametrize(
    ("patience", "expected_stop", "expected_best"),
    [(1, 4, 3), (2, 5, 3), (3, 6, 3), (4, None, 7)],
)
def test_early_stopping_patience(patience, expected_stop, expected_best):
    sequence = [0.9, 0.5, 0.4, 0.6, 0.45, 0.41, 0.3]
    stopper = EarlyStopping(patience=patience)
    model = Scripted()
    assert feed(stopper, sequence, model=model) == expected_stop
    assert stopper.best_epoch_ == expected_best == model.w.value[0]
    assert stopper.best_ == sequence[expected_best - 1]


def test_early_stopping_min_delta():
    sequence = [1.0, 0.97, 0.96, 0.5, 0.45, 0.41]
    stopper = EarlyStopping(patience=2, min_delta=0.05)
    assert feed(stopper, sequence) == 3  # 0.03 and 0.04 are not improvements
    assert stopper.best_epoch_ == 1
    stopper = EarlyStopping(patience=2, min_delta=0.0)
    assert feed(stopper, sequence) is None  # every step is an improvement
    stopper = EarlyStopping(patience=3, min_delta=0.05)
    model = Scripted()
    # 0.5 improves on 1.0; 0.46 is only 0.04 below 0.5, but 0.4 is 0.1 below: improves
    assert feed(stopper, [1.0, 0.97, 0.96, 0.5, 0.46, 0.4], model=model) is None
    assert stopper.best_epoch_ == 6 and model.w.value[0] == 6


def test_early_stopping_equal_value_is_not_an_improvement():
    stopper = EarlyStopping(patience=2)
    assert feed(stopper, [0.5, 0.5, 0.5]) == 3
    assert stopper.best_epoch_ == 1


def test_early_stopping_on_accuracy_maximises():
    stopper = EarlyStopping(monitor="val_accuracy", patience=2)
    assert feed(stopper, [0.5, 0.7, 0.9, 0.8, 0.9], monitor="val_accuracy") == 5
    assert stopper.best_ == 0.9 and stopper.best_epoch_ == 3


def test_early_stopping_without_restoring_keeps_the_last_weights():
    stopper = EarlyStopping(patience=2, restore_best_weights=False)
    model = Scripted()
    assert feed(stopper, [0.5, 0.6, 0.7], model=model) == 3
    assert stopper.best_epoch_ == 1 and model.w.value[0] == 3


class Recorder(Callback):
    """Records the parameters after every epoch."""

    def __init__(self):
        self.params = []

    def on_epoch_end(self, epoch, history, model):
        self.params.append(values(model))


def test_early_stopping_in_fit_restores_the_best_weights(rng):
    X, y = make_moons(100, noise=0.3, rng=rng)
    X_val, y_val = make_moons(100, noise=0.3, rng=rng)
    net = Sequential(Linear(2, 32, rng=rng), ReLU(), Linear(32, 2, rng=rng))
    optimizer = SGD(net.parameters(), lr=1.0)
    arrays = [p.value for p in net.parameters()]
    recorder, stopper = Recorder(), EarlyStopping(patience=5)
    history = fit(
        net,
        CrossEntropyLoss(),
        optimizer,
        X,
        y,
        epochs=500,
        batch_size=10,
        rng=rng,
        validation_data=(X_val, y_val),
        callbacks=[recorder, stopper],
    )
    best = stopper.best_epoch_
    assert history.stopped_epoch == stopper.stopped_epoch_ == best + 5 < 500
    assert stopper.best_ == min(history.val_loss) == history.val_loss[best - 1]
    for now, then in zip(values(net), recorder.params[best - 1], strict=True):
        np.testing.assert_array_equal(now, then)
    assert not np.array_equal(values(net)[0], recorder.params[-1][0])
    # restored in place: the optimiser still updates the model's own arrays
    assert all(p.value is a for p, a in zip(net.parameters(), arrays, strict=True))


def test_early_stopping_errors(rng):
    with pytest.raises(ValueError, match="monitor"):
        EarlyStopping("loss")
    with pytest.raises(ValueError, match="patience"):
        EarlyStopping(patience=0)
    with pytest.raises(ValueError, match="min_delta"):
        EarlyStopping(min_delta=-0.1)
    with pytest.raises(TypeError, match="restore_best_weights"):
        EarlyStopping(restore_best_weights="yes")
    X, y = rng.normal(size=(10, 2)), rng.integers(0, 2, size=10)
    net = Sequential(Linear(2, 4, rng=rng), ReLU(), Linear(4, 2, rng=rng))
    with pytest.raises(ValueError, match="validation_data"):
        fit(
            net,
            CrossEntropyLoss(),
            SGD(net.parameters(), lr=0.1),
            X,
            y,
            epochs=3,
            batch_size=5,
            rng=rng,
            callbacks=[EarlyStopping()],
        )
    stopper = EarlyStopping(patience=1)
    stopper.on_train_begin(Scripted())
    stopper.on_epoch_end(1, History(val_loss=[1.0]), Scripted())
    with pytest.raises(ValueError, match="saved 1 parameters, but the model now has 4"):
        stopper.on_train_end(net)


def test_early_stopping_repr():
    assert repr(EarlyStopping()) == (
        "EarlyStopping(monitor='val_loss', patience=5, min_delta=0.0, restore_best_weights=True)"
    )
