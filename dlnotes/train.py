"""A training loop: mini-batches, validation, a history of the losses, and callbacks.

One call of :func:`fit` runs mini-batch gradient descent for a number of epochs. In every
epoch, for every mini-batch:

1. ``optimizer.zero_grad()``;
2. ``out = model.forward(X_batch, training=True)``, ``loss = loss_fn.forward(out, y_batch)``;
3. ``model.backward(loss_fn.backward())`` writes every parameter's ``.grad``;
4. ``optimizer.step()`` updates the parameters.

After each epoch :func:`evaluate` measures the loss (and, for a classification loss, the
accuracy) on the whole training set and on the validation set, in evaluation mode
(``training=False``); then the callbacks run, and any of them can stop training, such as
:class:`dlnotes.regularization.EarlyStopping` (chapter 6).

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

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from dlnotes._core import Layer
from dlnotes._validation import (
    as_float_array,
    check_n_samples,
    check_positive_int,
    check_rng,
)
from dlnotes.data import minibatches
from dlnotes.losses import BCEWithLogitsLoss, CrossEntropyLoss, Loss
from dlnotes.optim import Optimizer

__all__ = ["Callback", "History", "accuracy", "evaluate", "fit"]


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
    loss = loss_fn.forward(out, y)
    if isinstance(loss_fn, CrossEntropyLoss):
        return loss, accuracy(out, y)
    if isinstance(loss_fn, BCEWithLogitsLoss):
        return loss, accuracy(out.reshape(-1), np.asarray(y).reshape(-1))
    return loss, None


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
        Loss of every mini-batch, before its update: ``ceil(n / batch_size)`` per epoch.
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
        """Called once after the last epoch, whether or not training was stopped."""


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
    """
    X = as_float_array(X, "X")
    y = np.asarray(y)
    check_n_samples(X, y)
    epochs = check_positive_int(epochs, "epochs")
    minibatches(X, y, batch_size, shuffle=False)  # checks batch_size before any training
    if shuffle:
        check_rng(rng)
    if validation_data is not None:
        if not isinstance(validation_data, tuple | list) or len(validation_data) != 2:
            raise TypeError("validation_data must be a pair (X_val, y_val)")
        X_val, y_val = as_float_array(validation_data[0], "X_val"), np.asarray(validation_data[1])
        check_n_samples(X_val, y_val, "X_val", "y_val")
    callbacks = list(callbacks)
    for i, callback in enumerate(callbacks):
        if not isinstance(callback, Callback):
            raise TypeError(
                f"callbacks[{i}] must be a dlnotes.train.Callback, got {type(callback).__name__}"
            )

    history = History()
    for callback in callbacks:
        callback.on_train_begin(model)
    for epoch in range(1, epochs + 1):
        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle=shuffle, rng=rng):
            optimizer.zero_grad()
            loss = loss_fn.forward(model.forward(X_batch, training=True), y_batch)
            model.backward(loss_fn.backward())
            optimizer.step()
            history.batch_loss.append(loss)

        history.epoch.append(epoch)
        _record(history, "train", *evaluate(model, loss_fn, X, y))
        if validation_data is not None:
            _record(history, "val", *evaluate(model, loss_fn, X_val, y_val))
        # every callback sees every epoch, even when an earlier one asks to stop
        stop = [bool(callback.on_epoch_end(epoch, history, model)) for callback in callbacks]
        if any(stop):
            history.stopped_epoch = epoch
            break
    for callback in callbacks:
        callback.on_train_end(model)
    return history


def _record(history: History, prefix: str, loss: float, acc: float | None) -> None:
    getattr(history, f"{prefix}_loss").append(loss)
    if acc is not None:
        getattr(history, f"{prefix}_accuracy").append(acc)
