"""Tests for dlnotes.train: accuracy, evaluate, fit, History, callbacks."""

import math
import re

import numpy as np
import pytest
from artifacts import QUOTED_BY_DLNOTES, ROOT

from dlnotes.data import (
    Standardizer,
    digits_split,
    make_linearly_separable,
    make_moons,
    minibatches,
)
from dlnotes.layers import Layer, Linear, ReLU, Sequential, mlp
from dlnotes.losses import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss
from dlnotes.optim import SGD
from dlnotes.train import Callback, TrainingDiverged, accuracy, evaluate, fit

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "train.Callback",
    "train.History",
    "train.TrainingDiverged",
    "train.accuracy",
    "train.evaluate",
    "train.fit",
)


def fit_sgd(model: Layer, loss, X, y, lr: float, **options):
    """`fit` with plain SGD at learning rate `lr`, the optimiser of most tests here."""
    return fit(model, loss, SGD(model.parameters(), lr=lr), X, y, **options)


def values(model: Layer) -> list[np.ndarray]:
    return [p.value.copy() for p in model.parameters()]


class Spy(Layer):
    """An identity layer that writes every call into a shared log."""

    def __init__(self, log: list) -> None:
        self.log = log

    def forward(self, x, training=True):
        self.log.append(("forward", training, len(x)))
        return x

    def backward(self, dout):
        self.log.append(("backward",))
        return dout


class SpySGD(SGD):
    def __init__(self, params, lr, log):
        super().__init__(params, lr)
        self.log = log

    def zero_grad(self):
        self.log.append(("zero_grad",))
        super().zero_grad()

    def step(self):
        self.log.append(("step",))
        super().step()


class StopAt(Callback):
    def __init__(self, epoch):
        self.epoch = epoch

    def on_epoch_end(self, epoch, history, model):
        return epoch == self.epoch


class Recorder(Callback):
    """Records the calls it receives and the parameters after every epoch."""

    def __init__(self):
        self.calls, self.params = [], []

    def on_train_begin(self, model):
        self.calls.append("begin")

    def on_epoch_end(self, epoch, history, model):
        assert len(history.epoch) == len(history.train_loss) == epoch  # measured before
        self.calls.append(epoch)
        self.params.append(values(model))

    def on_train_end(self, model):
        self.calls.append("end")


# --------------------------------------------------------------------------------------------
# accuracy and evaluate
# --------------------------------------------------------------------------------------------


def test_accuracy_multiclass_uses_argmax():
    scores = np.array([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3], [0.2, 0.2, 0.6], [3.0, 1.0, 2.0]])
    assert accuracy(scores, np.array([1, 0, 2, 1])) == 0.75
    assert accuracy(scores, np.array([1, 0, 2, 0])) == 1.0
    assert isinstance(accuracy(scores, np.array([1, 0, 2, 0])), float)


def test_accuracy_binary_thresholds():
    logits = np.array([-2.0, -0.1, 0.0, 0.1, 3.0])
    y = np.array([0, 0, 0, 1, 1])
    assert accuracy(logits, y) == 1.0  # class 1 only where logit > 0
    assert accuracy(logits[:, None], y[:, None].astype(float)) == 1.0  # (N, 1) as for BCE
    probs = np.array([0.2, 0.49, 0.5, 0.51, 0.9])
    assert accuracy(probs, y, threshold=0.5) == 1.0
    assert accuracy(probs, y) == 0.4  # threshold 0 calls everything class 1


@pytest.mark.parametrize(
    ("scores", "y", "match"),
    [
        (np.zeros((4, 3)), np.zeros(5, dtype=int), r"scores.*y.*\(4, 3\).*\(5,\)"),
        (np.zeros((2, 3, 4)), np.zeros(2, dtype=int), r"scores.*\(2, 3, 4\)"),
        (np.zeros((4, 3)), np.zeros((4, 2), dtype=int), r"y.*\(4, 2\)"),
    ],
)
def test_accuracy_shape_errors(scores, y, match):
    with pytest.raises(ValueError, match=match):
        accuracy(scores, y)


def test_evaluate_in_evaluation_mode(rng):
    log = []
    net = Sequential(Linear(2, 3, rng=rng), Spy(log))
    X, y = rng.normal(size=(7, 2)), rng.integers(0, 3, size=7)
    loss, acc = evaluate(net, CrossEntropyLoss(), X, y)
    assert log == [("forward", False, 7)]
    logits = net(X)
    assert loss == CrossEntropyLoss()(logits, y)
    assert acc == accuracy(logits, y)


def test_evaluate_accuracy_depends_on_the_loss(rng):
    layer = Linear(2, 1, rng=rng)
    X = rng.normal(size=(20, 2))
    t = (rng.random((20, 1)) > 0.5).astype(float)
    loss, acc = evaluate(layer, BCEWithLogitsLoss(), X, t)
    assert acc == np.mean((layer(X) > 0) == t)
    assert loss == BCEWithLogitsLoss()(layer(X), t)
    assert evaluate(layer, MSELoss(), X, t)[1] is None


# --------------------------------------------------------------------------------------------
# fit: the loop
# --------------------------------------------------------------------------------------------


def test_mlp_learns_moons(rng):
    X, y = make_moons(300, noise=0.1, rng=rng)
    X_val, y_val = make_moons(300, noise=0.1, rng=rng)
    net = mlp([2, 16, 2], rng=rng)
    history = fit_sgd(
        net,
        CrossEntropyLoss(),
        X,
        y,
        lr=0.5,
        epochs=60,
        batch_size=32,
        rng=rng,
        validation_data=(X_val, y_val),
    )
    assert history.train_accuracy[-1] > 0.95
    assert history.val_accuracy[-1] > 0.95
    assert history.train_loss[-1] < 0.25 * history.train_loss[0]
    assert history.stopped_epoch is None
    assert history.epoch == list(range(1, 61))
    for name in ("train_loss", "val_loss", "train_accuracy", "val_accuracy"):
        assert len(getattr(history, name)) == 60, name
    assert len(history.batch_loss) == math.ceil(300 / 32) * 60
    # the last entries are the model as it is now, measured with evaluate
    assert evaluate(net, CrossEntropyLoss(), X_val, y_val) == (
        history.val_loss[-1],
        history.val_accuracy[-1],
    )


@pytest.mark.parametrize(("n", "batch_size"), [(10, 10), (10, 1), (10, 3), (12, 4), (7, 6)])
def test_history_lengths(n, batch_size, rng):
    X, y = rng.normal(size=(n, 2)), rng.integers(0, 2, size=n)
    net = mlp([2, 4, 2], rng=rng)
    history = fit_sgd(
        net, CrossEntropyLoss(), X, y, lr=0.1, epochs=3, batch_size=batch_size, rng=rng
    )
    assert len(history.batch_loss) == math.ceil(n / batch_size) * 3
    assert len(history.epoch) == len(history.train_loss) == len(history.train_accuracy) == 3
    assert history.val_loss == [] and history.val_accuracy == []


def test_order_of_operations_and_training_flag(rng):
    """Per batch: zero_grad, forward(training=True), backward, step; then evaluation passes
    with training=False on the training set and the validation set."""
    log = []
    net = Sequential(Linear(2, 2, rng=rng), Spy(log))
    X, y = rng.normal(size=(10, 2)), rng.integers(0, 2, size=10)
    X_val, y_val = rng.normal(size=(6, 2)), rng.integers(0, 2, size=6)
    fit(
        net,
        CrossEntropyLoss(),
        SpySGD(net.parameters(), 0.1, log),
        X,
        y,
        epochs=2,
        batch_size=4,
        rng=rng,
        validation_data=(X_val, y_val),
    )
    epoch = []
    for size in (4, 4, 2):
        epoch += [("zero_grad",), ("forward", True, size), ("backward",), ("step",)]
    epoch += [("forward", False, 10), ("forward", False, 6)]
    assert log == epoch * 2


def test_one_epoch_of_bgd_is_one_gradient_step(rng):
    """batch_size = n without shuffling: one update w <- w - lr dL/dw on the whole set; the
    recorded batch loss is the loss before that update."""
    X, y = rng.normal(size=(20, 3)), rng.normal(size=(20, 2))
    layer = Linear(3, 2, rng=rng)
    w0, b0 = layer.weight.value.copy(), layer.bias.value.copy()
    residual = X @ w0.T + b0 - y
    dout = 2 * residual / residual.size  # d mean squared error / d prediction
    history = fit_sgd(
        layer, MSELoss(), X, y, lr=0.1, epochs=1, batch_size=20, rng=None, shuffle=False
    )
    assert history.batch_loss == [pytest.approx(np.mean(residual**2), rel=1e-13)]
    np.testing.assert_allclose(layer.weight.value, w0 - 0.1 * dout.T @ X, rtol=1e-13)
    np.testing.assert_allclose(layer.bias.value, b0 - 0.1 * dout.sum(axis=0), rtol=1e-13)


def test_regression_records_no_accuracy(rng):
    X = rng.normal(size=(50, 2))
    y = X @ np.array([[2.0], [-1.0]])
    layer = Linear(2, 1, rng=rng)
    history = fit_sgd(
        layer, MSELoss(), X, y, lr=0.1, epochs=50, batch_size=10, rng=rng, validation_data=(X, y)
    )
    assert history.train_accuracy == [] and history.val_accuracy == []
    assert len(history.val_loss) == 50
    assert history.train_loss[-1] < 1e-6


def test_logistic_regression_with_bce(rng):
    X, y = make_linearly_separable(200, rng=rng)
    layer = Linear(2, 1, rng=rng)
    history = fit_sgd(
        layer,
        BCEWithLogitsLoss(),
        X,
        y[:, None].astype(float),
        lr=0.5,
        epochs=30,
        batch_size=20,
        rng=rng,
    )
    assert len(history.train_accuracy) == 30
    assert history.train_accuracy[-1] > 0.97


def test_fit_is_reproducible():
    def run():
        rng = np.random.default_rng(11)
        X, y = make_moons(100, rng=rng)
        net = mlp([2, 16, 2], rng=rng)
        history = fit_sgd(net, CrossEntropyLoss(), X, y, lr=0.3, epochs=5, batch_size=16, rng=rng)
        return history, values(net)

    (h1, p1), (h2, p2) = run(), run()
    assert h1 == h2
    for a, b in zip(p1, p2, strict=True):
        np.testing.assert_array_equal(a, b)


def test_fit_without_shuffle_needs_no_rng(rng):
    X, y = rng.normal(size=(12, 2)), rng.integers(0, 2, size=12)
    net = mlp([2, 4, 2], rng=rng)
    history = fit_sgd(
        net, CrossEntropyLoss(), X, y, lr=0.1, epochs=2, batch_size=5, rng=None, shuffle=False
    )
    assert len(history.batch_loss) == 6


# --------------------------------------------------------------------------------------------
# fit: callbacks
# --------------------------------------------------------------------------------------------


def test_callback_returning_true_stops_training(rng):
    X, y = rng.normal(size=(20, 2)), rng.integers(0, 2, size=20)
    net = mlp([2, 4, 2], rng=rng)
    recorder, later = Recorder(), Recorder()
    history = fit_sgd(
        net,
        CrossEntropyLoss(),
        X,
        y,
        lr=0.1,
        epochs=10,
        batch_size=5,
        rng=rng,
        callbacks=[recorder, StopAt(3), later],
    )
    assert history.stopped_epoch == 3
    assert history.epoch == [1, 2, 3] and len(history.train_loss) == 3
    assert len(history.batch_loss) == 3 * 4
    assert recorder.calls == later.calls == ["begin", 1, 2, 3, "end"]  # all see every epoch


def test_callback_returning_none_does_not_stop(rng):
    X, y = rng.normal(size=(8, 2)), rng.integers(0, 2, size=8)
    net = mlp([2, 4, 2], rng=rng)
    recorder = Recorder()
    history = fit_sgd(
        net,
        CrossEntropyLoss(),
        X,
        y,
        lr=0.1,
        epochs=4,
        batch_size=8,
        rng=rng,
        callbacks=(recorder, Callback()),
    )
    assert history.stopped_epoch is None
    assert recorder.calls == ["begin", 1, 2, 3, 4, "end"]


# --------------------------------------------------------------------------------------------
# fit: bad arguments are caught before any training
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"epochs": 0}, ValueError, "epochs"),
        ({"epochs": 2.0}, TypeError, "epochs"),
        ({"batch_size": 11}, ValueError, "batch_size"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"rng": None}, TypeError, "rng"),
        ({"y": np.zeros(9, dtype=int)}, ValueError, r"\(10, 2\).*\(9,\)"),
        (
            {"validation_data": (np.zeros((4, 2)), np.zeros(3, dtype=int))},
            ValueError,
            r"X_val.*y_val.*\(4, 2\).*\(3,\)",
        ),
        ({"validation_data": np.zeros((4, 2))}, TypeError, "validation_data"),
        ({"callbacks": [lambda *a: True]}, TypeError, r"callbacks\[0\]"),
        (
            {"X": np.full((10, 2), np.nan)},
            ValueError,
            r"^X has 20 non-finite entries \(NaN or infinity\) of 20$",
        ),
        ({"y": np.array([0.0] * 9 + [np.inf])}, ValueError, r"^y has 1 non-finite entry"),
        (
            {"validation_data": (np.full((4, 2), -np.inf), np.zeros(4, dtype=int))},
            ValueError,
            r"^X_val has 8 non-finite entries",
        ),
        (
            {"validation_data": (np.zeros((4, 2)), np.array([0.0, np.nan, 1.0, 0.0]))},
            ValueError,
            r"^y_val has 1 non-finite entry",
        ),
    ],
)
def test_fit_argument_errors(kwargs, error, match, rng):
    net = mlp([2, 4, 2], rng=rng)
    recorder = Recorder()
    arguments = {
        "X": rng.normal(size=(10, 2)),
        "y": rng.integers(0, 2, size=10),
        "epochs": 2,
        "batch_size": 5,
        "rng": rng,
        "callbacks": [recorder],
    }
    arguments.update(kwargs)
    before = values(net)
    with pytest.raises(error, match=match):
        fit_sgd(net, CrossEntropyLoss(), lr=0.1, **arguments)
    for a, b in zip(before, values(net), strict=True):
        np.testing.assert_array_equal(a, b)
    assert recorder.calls == []


# --------------------------------------------------------------------------------------------
# fit: divergence stops training with TrainingDiverged
# --------------------------------------------------------------------------------------------


def standardised_digits():
    X_train, X_test, y_train, y_test = digits_split()
    scaler = Standardizer().fit(X_train)
    return scaler.transform(X_train), y_train, scaler.transform(X_test), y_test


def test_a_learning_rate_far_too_large_stops_with_a_clear_error_on_digits():
    """SGD(lr=1e4) on the digits: the loss grows about 1e8-fold per step until the logits
    overflow. fit raises TrainingDiverged before that batch's update, says where, with
    what, and what to try; no NumPy warning leaks out (pytest turns warnings into errors)."""
    X, y, X_val, y_val = standardised_digits()
    rng = np.random.default_rng(0)
    net = mlp([64, 32, 10], ReLU, rng=rng)
    optimizer, recorder, steps = SGD(net.parameters(), lr=1e4), Recorder(), []
    step = optimizer.step
    optimizer.step = lambda: steps.append(step())  # counts the updates; still named SGD
    with pytest.raises(TrainingDiverged) as caught:
        fit(
            net,
            CrossEntropyLoss(),
            optimizer,
            X,
            y,
            epochs=5,
            batch_size=32,
            rng=rng,
            validation_data=(X_val, y_val),
            callbacks=[recorder],
        )
    error = caught.value
    assert isinstance(error, FloatingPointError)
    history = error.history

    # where: in the first epoch of ceil(1348 / 32) = 43 batches, after some finite ones
    assert len(X) == 1348 and error.epoch == 1
    assert 2 < error.batch <= 43 and len(history.batch_loss) == error.batch - 1
    # the History up to the last finite step: no epoch completed, every update's loss
    assert history.epoch == history.train_loss == history.val_loss == []
    assert history.train_accuracy == history.val_accuracy == []
    assert all(math.isfinite(loss) for loss in history.batch_loss)
    assert error.last_loss == history.batch_loss[-1] > 1e100  # it did diverge
    assert recorder.calls == ["begin"]  # no epoch ended, and on_train_end is not called
    assert len(steps) == len(history.batch_loss)  # no update for the diverged batch

    message = str(error)
    lines = message.splitlines()
    assert 9 <= len(lines) <= 12 and all(len(line) <= 79 for line in lines)
    assert lines[0] == f"Training diverged at epoch 1, batch {error.batch} of 43."
    assert lines[1].startswith("Not finite: the network's output has ")
    assert message.count(f"Last finite loss: {error.last_loss:.4g}, at epoch 1, batch ") == 1
    for words in [
        "SGD(lr=10000)",
        "a smaller learning rate, such as 10x smaller: SGD(lr=1000)",
        "gradient clipping: optim.clip_grad_norm",
        "another initialisation: mlp(..., weight_init=init.kaiming_normal_)",
        'chapter 3, section "When the learning rate is too large"\n(学习率太大时)',
        'chapter 5, section "Exploding gradients" (梯度爆炸)',
    ]:
        assert words in message, words

    # the parameters are those after the last finite step: the same seeds, by hand, up to
    # there (with every overflow an error: those steps are finite all the way through)
    rng = np.random.default_rng(0)
    by_hand = mlp([64, 32, 10], ReLU, rng=rng)
    optimizer, loss_fn, losses = SGD(by_hand.parameters(), lr=1e4), CrossEntropyLoss(), []
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        for X_batch, y_batch in minibatches(X, y, 32, shuffle=True, rng=rng):
            if len(losses) == len(history.batch_loss):
                break
            optimizer.zero_grad()
            losses.append(loss_fn.forward(by_hand.forward(X_batch), y_batch))
            by_hand.backward(loss_fn.backward())
            optimizer.step()
    assert losses == history.batch_loss
    for p, q in zip(net.parameters(), by_hand.parameters(), strict=True):
        assert np.array_equal(p.value, q.value), p.name
    # ... and the very next batch is the one whose output overflows
    with np.errstate(over="ignore", invalid="ignore"):
        assert not np.all(np.isfinite(by_hand.forward(X_batch)))


@pytest.mark.parametrize(
    ("chapter", "zh", "en"),
    [
        ("03-training", "学习率太大时", "When the learning rate is too large"),
        ("05-vanishing-exploding", "梯度爆炸", "Exploding gradients"),
    ],
)
def test_the_sections_the_message_names_exist_in_both_languages(chapter, zh, en):
    """The message points at two sections by their titles: a renamed section fails here."""
    source = (ROOT / "docs" / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    catalog = ROOT / "docs" / "locale" / "en" / "LC_MESSAGES" / "chapters" / f"{chapter}.po"
    assert re.search(rf"^#+ {zh}$", source, re.MULTILINE), f"no section {zh} in {chapter}"
    assert f'msgid "{zh}"\nmsgstr "{en}"\n' in catalog.read_text(encoding="utf-8")
    assert f'section "{en}" ({zh})' in any_divergence_message()
    assert f"({zh})" in QUOTED_BY_DLNOTES  # allowed on the English pages (tests/site, books)


def any_divergence_message() -> str:
    """Any divergence's message, joined as one line (the sections are in every one)."""
    net = Sequential(LinearWithNaNGradient(2, 2, rng=np.random.default_rng(0)))
    X, y = np.ones((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(TrainingDiverged) as caught:
        fit_sgd(
            net, CrossEntropyLoss(), X, y, lr=0.1, epochs=1, batch_size=4, rng=None, shuffle=False
        )
    return str(caught.value).replace("\n", " ")


def test_divergence_in_a_later_epoch_keeps_the_completed_epochs():
    """A linear model at lr = 10, 100 times too large: the squared error overflows to inf in
    epoch 8. The seven completed epochs are in the history, measured and seen by the
    callbacks; epoch 8 only has the losses of its updated batches."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3))
    y = X @ np.array([[1.0], [-2.0], [0.5]])
    layer = Linear(3, 1, rng=rng)
    recorder = Recorder()
    with pytest.raises(TrainingDiverged) as caught:
        fit_sgd(
            layer,
            MSELoss(),
            X,
            y,
            lr=10.0,
            epochs=20,
            batch_size=4,
            rng=rng,
            validation_data=(X, y),
            callbacks=[recorder],
        )
    error = caught.value
    history = error.history
    assert (error.epoch, error.batch) == (8, 8)
    assert history.epoch == list(range(1, 8)) and recorder.calls == ["begin", *range(1, 8)]
    assert len(history.train_loss) == len(history.val_loss) == 7
    assert len(history.batch_loss) == 7 * 16 + 7
    assert history.train_loss == sorted(history.train_loss)  # growing all along
    assert error.last_loss == history.batch_loss[-1]
    # epoch 8's seven updates were made, not the eighth: finite, and not epoch 7's values
    assert all(np.all(np.isfinite(v)) for v in values(layer))
    assert not np.array_equal(recorder.params[-1][0], values(layer)[0])
    lines = str(error).splitlines()
    assert lines[:5] == [
        "Training diverged at epoch 8, batch 8 of 16.",
        "Not finite: the loss (inf).",
        f"Last finite loss: {error.last_loss:.4g}, at epoch 8, batch 7.",
        "The parameters are as its update left them; error.history has the losses.",
        "Optimiser: SGD(lr=10). What to try:",
    ]
    assert "SGD(lr=1);" in lines[5]


class LinearWithNaNGradient(Linear):
    """A Linear layer whose backward writes NaN into the gradient of the named parameters."""

    def __init__(self, *args, spoil=("weight",), **kwargs):
        super().__init__(*args, **kwargs)
        self.spoil = spoil

    def backward(self, dout):
        dx = super().backward(dout)
        for name in self.spoil:
            getattr(self, name).grad.flat[0] = np.nan
        return dx


@pytest.mark.parametrize(
    ("spoil", "more"),
    [
        (("weight",), ""),
        (("weight", "bias"), "; 1 more parameter's gradient is not finite either"),
    ],
)
def test_a_nan_gradient_names_the_parameter(spoil, more, rng):
    """The loss is finite, a gradient is not: raised at the first batch, before any update."""
    net = Sequential(
        Linear(2, 3, rng=rng), ReLU(), LinearWithNaNGradient(3, 2, spoil=spoil, rng=rng)
    )
    before = values(net)
    X, y = rng.normal(size=(10, 2)), rng.integers(0, 2, size=10)
    with pytest.raises(TrainingDiverged) as caught:
        fit_sgd(net, CrossEntropyLoss(), X, y, lr=0.1, epochs=2, batch_size=4, rng=rng)
    error = caught.value
    assert (error.epoch, error.batch, error.last_loss) == (1, 1, None)
    assert error.history.batch_loss == [] and error.history.epoch == []
    text = str(error).replace("\n", " ")  # the message wraps at 79 columns
    assert text.startswith(
        "Training diverged at epoch 1, batch 1 of 3. "
        "Not finite: the gradient of parameter '2.weight' has 1 non-finite entry "
        f"(NaN or infinity) of 6{more}. "
        "Last finite loss: none; no update was made, the parameters are as given. "
    )
    for a, b in zip(before, values(net), strict=True):
        assert np.array_equal(a, b)


class OverflowsWhenMeasured(Layer):
    """The identity while training; at evaluation, infinite outputs for inputs of `n` rows."""

    def __init__(self, n):
        self.n = n

    def forward(self, x, training=True):
        return x if training or len(x) != self.n else np.full_like(x, np.inf)

    def backward(self, dout):
        return dout


@pytest.mark.parametrize(("where", "n"), [("the training set", 12), ("the validation data", 5)])
def test_divergence_found_when_measuring_after_an_epoch(where, n, rng):
    """Every batch finite, the measurement after the epoch not: batch is None, the epoch's
    updates were all made, and it has no per-epoch record (neither train nor val)."""
    net = Sequential(Linear(2, 2, rng=rng), OverflowsWhenMeasured(n))
    X, y = rng.normal(size=(12, 2)), rng.integers(0, 2, size=12)
    X_val, y_val = rng.normal(size=(5, 2)), rng.integers(0, 2, size=5)
    with pytest.raises(TrainingDiverged) as caught:
        fit_sgd(
            net,
            CrossEntropyLoss(),
            X,
            y,
            lr=0.1,
            epochs=3,
            batch_size=5,
            rng=rng,
            validation_data=(X_val, y_val),
        )
    error = caught.value
    assert (error.epoch, error.batch) == (1, None)
    assert len(error.history.batch_loss) == 3 and error.last_loss == error.history.batch_loss[-1]
    assert error.history.epoch == error.history.train_loss == error.history.val_loss == []
    text = str(error).replace("\n", " ")  # the message wraps at 79 columns
    assert text.startswith(
        "Training diverged at the end of epoch 1, after its 3 batches. "
        f"Not finite: the network's output has {2 * n} non-finite entries (NaN or infinity) "
        f"of {2 * n}, measured on {where}. "
        f"Last finite loss: {error.last_loss:.4g}, at epoch 1, batch 3. "
    )


@pytest.mark.parametrize(
    ("lr", "shown"),
    [(0.3, "SGD(lr=0.3)"), (2e-5, "SGD(lr=2e-05)"), (1.2345678, "SGD(lr=1.2345678)")],
)
def test_the_message_shows_the_learning_rate_as_it_reads_back(lr, shown, rng):
    """Short where that is exact (10000 for 1e4, as in the digits test), never rounded."""
    net = Sequential(LinearWithNaNGradient(2, 2, rng=rng))
    X, y = rng.normal(size=(4, 2)), rng.integers(0, 2, size=4)
    with pytest.raises(TrainingDiverged) as caught:
        fit_sgd(net, CrossEntropyLoss(), X, y, lr=lr, epochs=1, batch_size=4, rng=rng)
    assert f"Optimiser: {shown}. What to try:" in str(caught.value)


# --------------------------------------------------------------------------------------------
# The acceptance check: real digits
# --------------------------------------------------------------------------------------------


def test_mlp_reaches_97_percent_on_digits():
    """An MLP made only of dlnotes parts, on the split every chapter uses.

    Inputs standardised with the training statistics; 64-256-128-10 with ReLU and PyTorch's
    default initialisation; plain SGD, lr 0.1, batches of 32, 40 epochs (about 1 s).
    """
    X_train, X_test, y_train, y_test = digits_split()
    scaler = Standardizer().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    rng = np.random.default_rng(0)
    net = mlp([64, 256, 128, 10], ReLU, rng=rng)
    history = fit_sgd(
        net,
        CrossEntropyLoss(),
        X_train,
        y_train,
        lr=0.1,
        epochs=40,
        batch_size=32,
        rng=rng,
        validation_data=(X_test, y_test),
    )
    _, test_accuracy = evaluate(net, CrossEntropyLoss(), X_test, y_test)
    assert test_accuracy == history.val_accuracy[-1]
    assert test_accuracy >= 0.97
    assert history.train_accuracy[-1] == 1.0
