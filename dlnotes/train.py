"""A training loop: mini-batches, validation, a history of the losses, and callbacks.

One call of :func:`fit` runs mini-batch gradient descent for a number of epochs. In every
epoch, for every mini-batch:

1. ``optimizer.zero_grad()``;
2. ``out = model.forward(X_batch, training=True)``, ``loss = loss_fn.forward(out, y_batch)``;
3. ``model.backward(loss_fn.backward())`` writes every parameter's ``.grad``;
4. the loss and every gradient are checked: if one is not finite (NaN or infinity), training
   has diverged, and :class:`TrainingDiverged` is raised before this batch changes anything;
5. ``optimizer.step()`` updates the parameters.

After each epoch :func:`evaluate` measures the loss (and, for a classification loss, the
accuracy) on the whole training set and on the validation set, in evaluation mode
(``training=False``); then the callbacks run, and any of them can stop training, such as
:class:`dlnotes.regularization.EarlyStopping` (chapter 6).

A learning rate that is too large makes the loss grow from one step to the next until it
overflows (chapter 3; chapter 5 on exploding gradients). NumPy would only warn about the
overflow, and the loss would go on as NaN; :func:`fit` stops instead, with a
:class:`TrainingDiverged` error that says where it happened and what to try.

Examples
--------
>>> import numpy as np
>>> from dlnotes.data import make_moons
>>> from dlnotes.layers import Linear, ReLU, Sequential
>>> from dlnotes.losses import CrossEntropyLoss
>>> from dlnotes.optim import SGD
>>> rng = np.random.default_rng(0)
>>> X, y = make_moons(200, noise=0.1, rng=rng)
>>> net = Sequential(Linear(2, 16, rng=rng), ReLU(), Linear(16, 2, rng=rng))
>>> history = fit(net, CrossEntropyLoss(), SGD(net.parameters(), lr=0.5), X, y,
...               epochs=100, batch_size=32, rng=rng)
>>> len(history.train_loss), len(history.batch_loss)   # 100 epochs of 7 batches
(100, 700)
>>> history.train_accuracy[-1] > 0.95
True
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes._core import Layer
from dlnotes._validation import (
    as_float_array,
    check_finite,
    check_n_samples,
    check_positive_int,
    check_rng,
    describe_non_finite,
)
from dlnotes.data import minibatches
from dlnotes.losses import BCEWithLogitsLoss, CrossEntropyLoss, Loss
from dlnotes.optim import Optimizer

__all__ = ["Callback", "History", "TrainingDiverged", "accuracy", "evaluate", "fit"]


def accuracy(scores: ArrayLike, y: ArrayLike, *, threshold: float = 0.0) -> float:
    """Fraction of samples whose predicted class is the target class.

    Parameters
    ----------
    scores : array_like, shape (N, K), (N,) or (N, 1)
        With ``K >= 2`` columns, one score per class (logits or probabilities): the prediction
        is the column of the largest score. With one score per sample, a binary prediction:
        class 1 where ``score > threshold``, else 0.
    y : array_like, shape (N,) or (N, 1)
        Target classes (integers, or 0.0/1.0 as for :class:`~dlnotes.losses.BCEWithLogitsLoss`).
    threshold : float, default 0.0
        For binary scores only: 0.0 for logits, 0.5 for probabilities.

    Returns
    -------
    float
        The fraction of samples whose class is predicted correctly, in [0, 1].

    Examples
    --------
    >>> accuracy(np.array([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]]), np.array([0, 1, 1]))
    0.6666666666666666
    >>> accuracy(np.array([-1.5, 0.3, 2.0]), np.array([0, 1, 0]))           # logits
    0.6666666666666666
    >>> accuracy(np.array([0.2, 0.6]), np.array([0, 1]), threshold=0.5)     # probabilities
    1.0
    """
    scores = as_float_array(scores, "scores")
    y = np.asarray(y)
    if scores.ndim == 2 and scores.shape[1] > 1:
        pred = scores.argmax(axis=1)
    elif scores.ndim == 1 or (scores.ndim == 2 and scores.shape[1] == 1):
        pred = (scores.reshape(-1) > threshold).astype(np.int64)
    else:
        raise ValueError(f"scores must have shape (N, K), (N,) or (N, 1), got {scores.shape}")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.reshape(-1)
    check_n_samples(scores, y, "scores", "y")
    if y.ndim != 1:
        raise ValueError(f"y must have shape (N,) or (N, 1), got {y.shape}")
    return float(np.mean(pred == y))


def evaluate(model: Layer, loss_fn: Loss, X: ArrayLike, y: ArrayLike) -> tuple[float, float | None]:
    """Loss and accuracy of `model` on a whole data set, in evaluation mode.

    Parameters
    ----------
    model : Layer
        Called as ``model.forward(X, training=False)``.
    loss_fn : Loss
    X, y : array_like
        Inputs and targets, as `loss_fn` expects them.

    Returns
    -------
    loss : float
    accuracy : float or None
        :func:`accuracy` for :class:`~dlnotes.losses.CrossEntropyLoss` (argmax) and
        :class:`~dlnotes.losses.BCEWithLogitsLoss` (logit > 0, element by element);
        None for other losses.

    Examples
    --------
    >>> from dlnotes.layers import Linear
    >>> from dlnotes.losses import CrossEntropyLoss, MSELoss
    >>> layer = Linear(2, 2, rng=np.random.default_rng(0))
    >>> layer.weight.value, layer.bias.value = np.eye(2), np.zeros(2)   # logits = x
    >>> X, y = np.array([[2.0, 0.0], [0.0, 1.0]]), np.array([0, 0])
    >>> loss, acc = evaluate(layer, CrossEntropyLoss(), X, y)
    >>> round(loss, 4), acc
    (0.7201, 0.5)
    >>> evaluate(layer, MSELoss(), X, X)
    (0.0, None)
    """
    out = model.forward(as_float_array(X, "X"), training=False)
    return loss_fn.forward(out, y), _accuracy_for(loss_fn, out, y)


def _accuracy_for(loss_fn: Loss, out: NDArray[np.floating], y: ArrayLike) -> float | None:
    """The accuracy of the outputs `out` when `loss_fn` is a classification loss, else None."""
    if isinstance(loss_fn, CrossEntropyLoss):
        return accuracy(out, y)
    if isinstance(loss_fn, BCEWithLogitsLoss):
        return accuracy(out.reshape(-1), np.asarray(y).reshape(-1))
    return None


@dataclass
class History:
    """What :func:`fit` measured: one entry per epoch, and one per update in `batch_loss`.

    Attributes
    ----------
    epoch : list of int
        Epoch numbers 1, 2, ...; the other per-epoch lists are aligned with it.
    train_loss, val_loss : list of float
        Loss on the whole training / validation set after each epoch (``training=False``);
        `val_loss` stays empty without validation data.
    train_accuracy, val_accuracy : list of float
        Likewise, only for classification losses.
    batch_loss : list of float
        Loss of every mini-batch, before its update: ``ceil(n / batch_size)`` per epoch, one
        per update made.
    stopped_epoch : int or None
        The epoch after which a callback stopped training; None if all epochs ran.

    Examples
    --------
    >>> history = History()
    >>> history.train_loss, history.stopped_epoch
    ([], None)
    """

    epoch: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    batch_loss: list[float] = field(default_factory=list)
    stopped_epoch: int | None = None


class Callback:
    """Hooks into :func:`fit`; subclass and override what you need.

    ``on_epoch_end`` returns True to stop training after this epoch.

    Examples
    --------
    >>> class StopBelow(Callback):
    ...     def on_epoch_end(self, epoch, history, model):
    ...         return history.train_loss[-1] < 0.1
    """

    def on_train_begin(self, model: Layer) -> None:
        """Called once before the first epoch."""

    def on_epoch_end(self, epoch: int, history: History, model: Layer) -> bool | None:
        """Called after epoch `epoch` (counted from 1) has been measured into `history`."""
        return None

    def on_train_end(self, model: Layer) -> None:
        """Called once after the last epoch, whether or not training was stopped.

        Not called when training diverges (:class:`~dlnotes.train.TrainingDiverged`): the
        error leaves the parameters as the last finite step made them.
        """


class TrainingDiverged(FloatingPointError):
    """Training diverged: a loss or a gradient is no longer finite (NaN or infinity).

    Raised by :func:`fit` before the update of the batch whose loss or gradients are not
    finite, so that the parameters stay as the last finite step left them: nothing is
    half-updated, and they can be inspected (or training resumed with other settings).
    The message names the epoch and batch, the last finite loss, the optimiser and its
    learning rate, what went non-finite, and what to try. A subclass of the built-in
    `FloatingPointError`, which ``np.errstate(all="raise")`` raises as well.

    Attributes
    ----------
    history : History
        What :func:`fit` measured up to the last update it made. The per-epoch lists hold
        the epochs that were completed; the epoch that diverged is not recorded there, but
        the losses of its batches that were updated are in ``batch_loss``, which keeps one
        entry per update made.
    epoch : int
        The epoch that diverged, counted from 1.
    batch : int or None
        The batch, counted from 1 within the epoch, whose loss or gradient was not finite;
        its update was not made. None when every batch of the epoch was finite but the
        loss measured after it, on the training set or the validation data, was not.
    last_loss : float or None
        The last finite batch loss, ``history.batch_loss[-1]``: the loss of the batch whose
        update was the last one made; None if no update was made.

    Examples
    --------
    A linear model with a learning rate 100 times too large: its error grows about
    twentyfold at every step, until the squared error overflows in epoch 8.

    >>> from dlnotes.layers import Linear
    >>> from dlnotes.losses import MSELoss
    >>> from dlnotes.optim import SGD
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(64, 3))
    >>> y = X @ np.array([[1.0], [-2.0], [0.5]])
    >>> layer = Linear(3, 1, rng=rng)
    >>> fit(layer, MSELoss(), SGD(layer.parameters(), lr=10.0), X, y,
    ...     epochs=20, batch_size=4, rng=rng)   # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    dlnotes.train.TrainingDiverged: Training diverged at epoch 8, batch 8 of 16.
    Not finite: the loss (inf).
    Last finite loss: 7.517e+306, at epoch 8, batch 7.
    The parameters are as its update left them; error.history has the losses.
    Optimiser: SGD(lr=10). What to try:
      - a smaller learning rate, such as 10x smaller: SGD(lr=1);
      - gradient clipping: optim.clip_grad_norm between backward() and step();
      - another initialisation: mlp(..., weight_init=init.kaiming_normal_).
    See the handbook, chapter 3, section "When the learning rate is too large"
    (学习率太大时), and chapter 5, section "Exploding gradients" (梯度爆炸).

    What :func:`fit` measured is kept in the error:

    >>> layer = Linear(3, 1, rng=np.random.default_rng(0))
    >>> try:
    ...     fit(layer, MSELoss(), SGD(layer.parameters(), lr=10.0), X, y,
    ...         epochs=20, batch_size=4, rng=np.random.default_rng(1))
    ... except TrainingDiverged as error:
    ...     diverged = error
    >>> diverged.epoch, diverged.batch, diverged.history.epoch
    (8, 8, [1, 2, 3, 4, 5, 6, 7])
    >>> len(diverged.history.batch_loss), diverged.last_loss == diverged.history.batch_loss[-1]
    (119, True)
    >>> bool(np.all(np.isfinite(layer.weight.value)))   # as after the 119th update
    True
    """

    def __init__(
        self,
        message: str,
        *,
        history: History,
        epoch: int,
        batch: int | None,
        last_loss: float | None,
    ) -> None:
        super().__init__(message)
        self.history = history
        self.epoch = epoch
        self.batch = batch
        self.last_loss = last_loss


def fit(
    model: Layer,
    loss_fn: Loss,
    optimizer: Optimizer,
    X: ArrayLike,
    y: ArrayLike,
    *,
    epochs: int,
    batch_size: int,
    rng: np.random.Generator | None,
    validation_data: tuple[ArrayLike, ArrayLike] | None = None,
    callbacks: Sequence[Callback] = (),
    shuffle: bool = True,
) -> History:
    """Train `model` by mini-batch gradient descent; see the module docstring for the loop.

    Parameters
    ----------
    model : Layer
        A network such as :class:`~dlnotes.layers.Sequential`, trained in place.
    loss_fn : Loss
        Its ``forward(out, y_batch)`` is the quantity minimised.
    optimizer : Optimizer
        Built on ``model.parameters()``.
    X : array_like, shape (n, ...)
    y : array_like, shape (n, ...)
        Training inputs and targets.
    epochs : int
        Number of passes over the training set (fewer if a callback stops training).
    batch_size : int
        See :func:`dlnotes.data.minibatches`: ``n`` is BGD, 1 is SGD.
    rng : numpy.random.Generator or None
        Shuffles the training set every epoch; may be None only when `shuffle` is false.
    validation_data : (X_val, y_val), optional
        Measured after every epoch into ``val_loss`` (and ``val_accuracy``).
    callbacks : sequence of Callback, default ()
    shuffle : bool, default True

    Returns
    -------
    History

    Raises
    ------
    TrainingDiverged
        When the loss of a batch, or the gradient of a parameter, is not finite (NaN or
        infinity), typically because the learning rate is too large: raised before that
        batch's update, so the parameters are as the last finite step left them, and its
        ``history`` is what was measured up to there. Also when the loss measured after an
        epoch is not finite. The callbacks' ``on_train_end`` is not called. Gradient
        clipping (:func:`dlnotes.optim.clip_grad_norm`) goes between ``backward`` and
        ``step``, in a loop of your own written as in the module docstring.
    ValueError
        When `X`, `y` or the validation data hold NaN or infinity, before any training;
        also for the shapes and values checked below.

    Examples
    --------
    >>> from dlnotes.layers import Linear
    >>> from dlnotes.losses import MSELoss
    >>> from dlnotes.optim import SGD
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(64, 3))
    >>> y = X @ np.array([[1.0], [-2.0], [0.5]]) + 3.0           # a linear target
    >>> layer = Linear(3, 1, rng=rng)
    >>> history = fit(layer, MSELoss(), SGD(layer.parameters(), lr=0.1), X, y,
    ...               epochs=200, batch_size=16, rng=rng)
    >>> layer.weight.value.round(3), layer.bias.value.round(3)
    (array([[ 1. , -2. ,  0.5]]), array([3.]))
    >>> history.train_accuracy   # not a classification loss
    []

    The same with a learning rate 100 times larger diverges (see :class:`TrainingDiverged`
    for the whole message):

    >>> layer = Linear(3, 1, rng=rng)
    >>> fit(layer, MSELoss(), SGD(layer.parameters(), lr=10.0), X, y,
    ...     epochs=200, batch_size=16, rng=rng)   # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    dlnotes.train.TrainingDiverged: Training diverged at epoch ..., batch ... of 4.
    ...
    """
    X = as_float_array(X, "X")
    y = np.asarray(y)
    check_n_samples(X, y)
    check_finite(X, "X")
    check_finite(y, "y")
    epochs = check_positive_int(epochs, "epochs")
    minibatches(X, y, batch_size, shuffle=False)  # checks batch_size before any training
    if shuffle:
        check_rng(rng)
    if validation_data is not None:
        if not isinstance(validation_data, tuple | list) or len(validation_data) != 2:
            raise TypeError("validation_data must be a pair (X_val, y_val)")
        X_val, y_val = as_float_array(validation_data[0], "X_val"), np.asarray(validation_data[1])
        check_n_samples(X_val, y_val, "X_val", "y_val")
        check_finite(X_val, "X_val")
        check_finite(y_val, "y_val")
    callbacks = list(callbacks)
    for i, callback in enumerate(callbacks):
        if not isinstance(callback, Callback):
            raise TypeError(
                f"callbacks[{i}] must be a dlnotes.train.Callback, got {type(callback).__name__}"
            )

    history = History()
    n_batches = math.ceil(len(X) / batch_size)
    for callback in callbacks:
        callback.on_train_begin(model)
    for epoch in range(1, epochs + 1):
        batches = minibatches(X, y, batch_size, shuffle=shuffle, rng=rng)
        for batch, (X_batch, y_batch) in enumerate(batches, start=1):
            optimizer.zero_grad()
            loss, problem = _loss_and_gradients(model, loss_fn, optimizer, X_batch, y_batch)
            if problem is not None:  # diverged: stop before this batch changes anything
                raise _diverged(problem, history, optimizer, epoch, batch, n_batches)
            optimizer.step()
            history.batch_loss.append(loss)

        measured = {"train": _measure(model, loss_fn, X, y, "the training set")}
        if validation_data is not None:
            measured["val"] = _measure(model, loss_fn, X_val, y_val, "the validation data")
        for _, _, problem in measured.values():
            if problem is not None:
                raise _diverged(problem, history, optimizer, epoch, None, n_batches)
        history.epoch.append(epoch)
        for prefix, (loss, acc, _) in measured.items():
            _record(history, prefix, loss, acc)
        # every callback sees every epoch, even when an earlier one asks to stop
        stop = [bool(callback.on_epoch_end(epoch, history, model)) for callback in callbacks]
        if any(stop):
            history.stopped_epoch = epoch
            break
    for callback in callbacks:
        callback.on_train_end(model)
    return history


def _loss_and_gradients(
    model: Layer, loss_fn: Loss, optimizer: Optimizer, X_batch: ArrayLike, y_batch: ArrayLike
) -> tuple[float, str | None]:
    """Forward and backward on one batch: its loss, and what is not finite (None if nothing).

    A diverging network overflows on the way (huge weights times huge activations):
    NumPy's warnings about it are silenced here because the checks report it instead.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out = model.forward(X_batch, training=True)
        overflow = describe_non_finite(out, "the network's output")
        if overflow is not None:
            return math.nan, overflow  # and so the loss
        loss = loss_fn.forward(out, y_batch)
        if not math.isfinite(loss):
            return loss, f"the loss ({loss})"
        model.backward(loss_fn.backward())
    return loss, _non_finite_gradient(optimizer)


def _non_finite_gradient(optimizer: Optimizer) -> str | None:
    """Which parameter's gradient is not finite (the first, and how many more), or None."""
    problems = [
        describe_non_finite(p.grad, f"the gradient of parameter {p.name or f'params[{i}]'!r}")
        for i, p in enumerate(optimizer.params)
    ]
    found = [problem for problem in problems if problem is not None]
    if not found:
        return None
    more = len(found) - 1
    if more == 1:
        return f"{found[0]}; 1 more parameter's gradient is not finite either"
    if more > 1:
        return f"{found[0]}; {more} more parameters' gradients are not finite either"
    return found[0]


def _measure(
    model: Layer, loss_fn: Loss, X: NDArray[np.floating], y: ArrayLike, name: str
) -> tuple[float, float | None, str | None]:
    """:func:`evaluate` after an epoch, and what is not finite in it (None if nothing)."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # as in training
        out = model.forward(X, training=False)
        overflow = describe_non_finite(out, "the network's output")
        if overflow is not None:
            return math.nan, None, f"{overflow}, measured on {name}"
        loss = loss_fn.forward(out, y)
    if not math.isfinite(loss):
        return loss, None, f"the loss on {name} ({loss})"
    return loss, _accuracy_for(loss_fn, out, y), None


def _number(value: float) -> str:
    """`value` as short as it reads back exactly: 10000 for 1e4, 0.001, 3.3e-05, 1.2345678."""
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


def _diverged(
    problem: str,
    history: History,
    optimizer: Optimizer,
    epoch: int,
    batch: int | None,
    n_batches: int,
) -> TrainingDiverged:
    """The error for a divergence found at `epoch` and `batch` (None: after the epoch)."""
    if batch is None:
        where = f"at the end of epoch {epoch}, after its {n_batches} batches"
    else:
        where = f"at epoch {epoch}, batch {batch} of {n_batches}"
    last_loss = history.batch_loss[-1] if history.batch_loss else None
    if last_loss is None:
        last = ["Last finite loss: none; no update was made, the parameters are as given."]
    else:
        done = len(history.batch_loss) - 1  # updates made before the last one
        last = [
            f"Last finite loss: {last_loss:.4g}, at epoch {done // n_batches + 1}, "
            f"batch {done % n_batches + 1}.",
            "The parameters are as its update left them; error.history has the losses.",
        ]
    name, lr = type(optimizer).__name__, optimizer.lr
    lines = [
        f"Training diverged {where}.",
        f"Not finite: {problem}.",
        *last,
        f"Optimiser: {name}(lr={_number(lr)}). What to try:",
        f"- a smaller learning rate, such as 10x smaller: {name}(lr={lr / 10:g});",
        "- gradient clipping: optim.clip_grad_norm between backward() and step();",
        "- another initialisation: mlp(..., weight_init=init.kaiming_normal_).",
        'See the handbook, chapter 3, section "When the learning rate is too large" '
        '(学习率太大时), and chapter 5, section "Exploding gradients" (梯度爆炸).',
    ]
    # at most 79 columns a line, as a terminal, a notebook and the printed book show it
    message = "\n".join(
        textwrap.fill(line, 79, initial_indent="  " * line.startswith("-"),
                      subsequent_indent="    " if line.startswith("-") else "",
                      break_on_hyphens=False)
        for line in lines
    )  # fmt: skip
    return TrainingDiverged(message, history=history, epoch=epoch, batch=batch, last_loss=last_loss)


def _record(history: History, prefix: str, loss: float, acc: float | None) -> None:
    getattr(history, f"{prefix}_loss").append(loss)
    if acc is not None:
        getattr(history, f"{prefix}_accuracy").append(acc)
