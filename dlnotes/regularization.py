"""Regularisation: penalties on the weights, and stopping before the model overfits (chapter 6).

- :func:`l1_penalty` and :func:`l2_penalty` give the value of the penalty term
  :math:`\\lambda\\lVert w\\rVert_1` or :math:`\\frac{\\lambda}{2}\\lVert w\\rVert_2^2` added to the
  loss; :func:`add_l1_grad` and :func:`add_l2_grad` add its gradient to the ``.grad`` of the
  parameters after the backward pass, before the optimiser's step. They work with any model:
  they only see a list of :class:`~dlnotes.layers.Parameter`.
- :class:`EarlyStopping` is a :func:`dlnotes.train.fit` callback that stops training when the
  validation loss stops improving, and puts the best weights back.

Dropout is a layer, :class:`dlnotes.layers.Dropout`; data augmentation has its own module,
:mod:`dlnotes.augment` (:func:`~dlnotes.augment.augment_images`).

Which parameters to penalise
----------------------------
The penalty is meant to keep the *weights* small: a large weight makes the output
sensitive to small changes of one input. Biases only shift a unit's output, do not
multiply any input, and are few, so they are usually left out. Pass only the weights::

    weights = [p for p in net.parameters() if p.name.endswith("weight")]

Examples
--------
One training step of a linear model on the loss plus :math:`\\frac{\\lambda}{2}\\lVert W\\rVert^2`:

>>> import numpy as np
>>> from dlnotes.layers import Linear
>>> from dlnotes.losses import MSELoss
>>> from dlnotes.optim import SGD
>>> rng = np.random.default_rng(0)
>>> layer, loss_fn = Linear(3, 1, rng=rng), MSELoss()
>>> X, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 1))
>>> weights, lam = [layer.weight], 0.1
>>> opt = SGD(layer.parameters(), lr=0.1)
>>> opt.zero_grad()
>>> total = loss_fn(layer(X), y) + l2_penalty(weights, lam)    # what is minimised
>>> dx = layer.backward(loss_fn.backward())                      # gradient of the data loss
>>> add_l2_grad(weights, lam)                                    # + gradient of the penalty
>>> opt.step()
>>> round(total, 4), round(loss_fn(layer(X), y) + l2_penalty(weights, lam), 4)   # before, after
(1.1138, 0.6148)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dlnotes._core import Layer, Parameter, parameter_list
from dlnotes._validation import (
    check_bool,
    check_nonnegative_real,
    check_positive_int,
)
from dlnotes.train import Callback, History

__all__ = ["EarlyStopping", "add_l1_grad", "add_l2_grad", "l1_penalty", "l2_penalty"]


# --------------------------------------------------------------------------------------------
# Penalties on the weights
# --------------------------------------------------------------------------------------------


def l1_penalty(params: Iterable[Parameter], lam: float) -> float:
    """L1 penalty :math:`\\lambda\\lVert w\\rVert_1 = \\lambda \\sum_i |w_i|` over all `params`.

    Added to the loss, it pulls every weight towards 0 with the same force
    :math:`\\lambda` whatever the weight's size, so small weights reach exactly 0: the
    weights of useless inputs vanish (feature selection, a *sparse* model).

    Parameters
    ----------
    params : iterable of Parameter
        The parameters to penalise, usually only the weights (see the module docstring).
    lam : float
        Strength :math:`\\lambda \\ge 0`: the same pull on every weight, whatever its size.

    Returns
    -------
    float
        :math:`\\lambda \\sum_p \\sum_i |p_i|`, summed over every element of every parameter.

    See Also
    --------
    add_l1_grad : its (sub)gradient.

    Examples
    --------
    >>> from dlnotes.layers import Parameter
    >>> w = Parameter([[1.0, -2.0], [0.0, 3.0]], name="weight")
    >>> l1_penalty([w], lam=0.5)            # 0.5 * (1 + 2 + 0 + 3)
    3.0
    """
    params = parameter_list(params)
    lam = check_nonnegative_real(lam, "lam")
    return lam * float(sum(np.abs(p.value).sum() for p in params))


def l2_penalty(params: Iterable[Parameter], lam: float) -> float:
    """L2 penalty :math:`\\frac{\\lambda}{2}\\lVert w\\rVert_2^2`, half the sum of squares times λ.

    Added to the loss, it pulls every weight towards 0 with a force
    :math:`\\lambda w_i` proportional to its size: large weights shrink fast, small ones
    hardly at all, so weights become small but rarely exactly 0. The factor
    :math:`\\frac{1}{2}` makes the gradient :math:`\\lambda w`, which is why gradient descent on
    this penalty is *weight decay* (:func:`add_l2_grad`).

    Parameters
    ----------
    params : iterable of Parameter
        The parameters to penalise, usually only the weights (see the module docstring).
    lam : float
        Strength :math:`\\lambda \\ge 0`: the pull on a weight is :math:`\\lambda` times the weight.

    Returns
    -------
    float
        :math:`\\frac{\\lambda}{2} \\sum_p \\sum_i p_i^2`.

    See Also
    --------
    add_l2_grad : its gradient.

    Examples
    --------
    Only the weight is penalised, not the bias:

    >>> from dlnotes.layers import Linear
    >>> layer = Linear(2, 1, rng=np.random.default_rng(0))
    >>> layer.weight.value = np.array([[3.0, -4.0]])
    >>> weights = [p for p in layer.parameters() if p.name.endswith("weight")]
    >>> weights
    [Parameter(name='weight', shape=(1, 2))]
    >>> l2_penalty(weights, lam=0.1)         # 0.1 / 2 * (9 + 16)
    1.25
    """
    params = parameter_list(params)
    lam = check_nonnegative_real(lam, "lam")
    return 0.5 * lam * float(sum(np.sum(p.value * p.value) for p in params))


def _check_grad_shapes(params: list[Parameter]) -> None:
    for p in params:
        if p.grad.shape != p.value.shape:
            raise ValueError(
                f"gradient of parameter {p.name!r} has shape {p.grad.shape}, "
                f"but its value has shape {p.value.shape}"
            )


def add_l1_grad(params: Iterable[Parameter], lam: float) -> None:
    """Add the gradient of :func:`l1_penalty` to every ``p.grad``, in place.

    .. math:: \\frac{\\partial}{\\partial w_i}\\,\\lambda\\lVert w\\rVert_1
              = \\lambda\\,\\operatorname{sign}(w_i)

    :math:`|w|` has no derivative at :math:`w = 0`; every value in :math:`[-\\lambda, \\lambda]`
    is a *subgradient* there, and this function uses 0 (``numpy.sign(0) == 0``), as
    PyTorch's autograd does for ``abs``. Call it after the backward pass (which overwrites
    ``.grad``) and before ``optimizer.step()``.

    Parameters
    ----------
    params : iterable of Parameter
        The same parameters as in :func:`l1_penalty`.
    lam : float
        Strength :math:`\\lambda \\ge 0`.

    Examples
    --------
    >>> from dlnotes.layers import Parameter
    >>> w = Parameter([2.0, 0.0, -0.5])
    >>> w.grad = np.array([0.1, 0.1, 0.1])   # from the backward pass
    >>> add_l1_grad([w], lam=0.3)
    >>> w.grad                              # 0.1 + 0.3 * sign(w)
    array([ 0.4,  0.1, -0.2])
    """
    params = parameter_list(params)
    lam = check_nonnegative_real(lam, "lam")
    _check_grad_shapes(params)
    for p in params:
        p.grad += lam * np.sign(p.value)


def add_l2_grad(params: Iterable[Parameter], lam: float) -> None:
    """Add the gradient of :func:`l2_penalty`, :math:`\\lambda w`, to every ``p.grad``, in place.

    One step of gradient descent on the loss :math:`L` plus the penalty is

    .. math:: w \\leftarrow w - \\eta\\,(\\nabla L + \\lambda w)
              = (1 - \\eta\\lambda)\\,w - \\eta\\,\\nabla L:

    before following the loss's gradient, every weight is multiplied by
    :math:`1 - \\eta\\lambda < 1` — it *decays*. This is exactly what
    ``SGD(params, lr, weight_decay=lam)`` does (and ``torch.optim.SGD``, also with momentum),
    so for plain SGD the two are interchangeable, step for step. For adaptive optimisers
    such as Adam they are not: there the penalty's gradient is rescaled with the rest,
    which is why AdamW decays the weights separately.

    Parameters
    ----------
    params : iterable of Parameter
        The same parameters as in :func:`l2_penalty`.
    lam : float
        Strength :math:`\\lambda \\ge 0`.

    Examples
    --------
    Ten steps of SGD on a loss plus :math:`\\frac{\\lambda}{2}\\lVert w\\rVert^2` land exactly where
    ``SGD(weight_decay=λ)`` on the loss alone does:

    >>> from dlnotes.layers import Parameter
    >>> from dlnotes.optim import SGD
    >>> def loss_grad(w):                   # gradient of the loss ||w - 1||^2
    ...     return 2 * (w - 1.0)
    >>> a, b = Parameter([3.0, -2.0]), Parameter([3.0, -2.0])
    >>> penalised, decayed = SGD([a], lr=0.1), SGD([b], lr=0.1, weight_decay=0.5)
    >>> for _ in range(10):
    ...     a.grad = loss_grad(a.value)
    ...     add_l2_grad([a], lam=0.5)
    ...     penalised.step()
    ...     b.grad = loss_grad(b.value)
    ...     decayed.step()
    >>> bool(np.array_equal(a.value, b.value)), a.value.round(4)
    (True, array([0.9239, 0.6423]))

    Both approach :math:`2/(2 + \\lambda) = 0.8` instead of the loss's minimum 1: the penalty
    shrinks the weights.
    """
    params = parameter_list(params)
    lam = check_nonnegative_real(lam, "lam")
    _check_grad_shapes(params)
    for p in params:
        p.grad += lam * p.value


# --------------------------------------------------------------------------------------------
# Early stopping
# --------------------------------------------------------------------------------------------


class EarlyStopping(Callback):
    """Stop training when a monitored quantity has not improved for `patience` epochs.

    A callback for :func:`dlnotes.train.fit`. Training longer first lowers both the
    training and the validation loss; once the model starts fitting the noise of the
    training set, the validation loss turns up again while the training loss keeps
    falling. Early stopping watches the validation loss after every epoch, remembers the
    best epoch's weights, stops once `patience` epochs in a row failed to improve on the
    best, and puts the best weights back.

    Epoch :math:`t` improves on the best value :math:`b` so far when
    :math:`v_t < b - \\delta` for a loss (:math:`v_t > b + \\delta` for an accuracy), with
    :math:`\\delta` = `min_delta`. Training stops after epoch :math:`t^* + \\text{patience}`,
    where :math:`t^*` is the last improving epoch.

    Parameters
    ----------
    monitor : {"val_loss", "val_accuracy", "train_loss", "train_accuracy"}, default "val_loss"
        A list of :class:`~dlnotes.train.History`; losses must decrease, accuracies increase.
        ``val_*`` needs ``validation_data`` in :func:`~dlnotes.train.fit`.
    patience : int, default 5
        Epochs without improvement tolerated before stopping, >= 1.
    min_delta : float, default 0.0
        Smallest change that counts as an improvement, >= 0: smaller changes are noise.
    restore_best_weights : bool, default True
        When training ends (stopped or not), copy the parameters of the best epoch back
        into the model's parameters, in place. With False the model keeps the last weights.

    Attributes
    ----------
    best_ : float or None
        Best value of `monitor` seen so far.
    best_epoch_ : int or None
        The epoch that reached it (counted from 1).
    stopped_epoch_ : int or None
        The epoch after which this callback stopped training; None if it did not.

    Examples
    --------
    A scripted validation loss, best at epoch 3, fed as :func:`~dlnotes.train.fit` would:

    >>> from dlnotes.layers import Sequential
    >>> from dlnotes.train import History
    >>> stopper, history, model = EarlyStopping(patience=2), History(), Sequential()
    >>> stopper.on_train_begin(model)
    >>> for epoch, loss in enumerate([0.9, 0.6, 0.5, 0.55, 0.7, 0.4], start=1):
    ...     history.val_loss.append(loss)
    ...     if stopper.on_epoch_end(epoch, history, model):
    ...         break
    >>> stopper.best_, stopper.best_epoch_, stopper.stopped_epoch_
    (0.5, 3, 5)

    In a training run:

    >>> from dlnotes.data import make_moons
    >>> from dlnotes.layers import Linear, ReLU
    >>> from dlnotes.losses import CrossEntropyLoss
    >>> from dlnotes.optim import SGD
    >>> from dlnotes.train import fit
    >>> rng = np.random.default_rng(0)
    >>> X, y = make_moons(200, noise=0.3, rng=rng)
    >>> X_val, y_val = make_moons(200, noise=0.3, rng=rng)
    >>> net = Sequential(Linear(2, 64, rng=rng), ReLU(), Linear(64, 2, rng=rng))
    >>> stopper = EarlyStopping(patience=10)
    >>> history = fit(net, CrossEntropyLoss(), SGD(net.parameters(), lr=0.5), X, y, epochs=1000,
    ...               batch_size=16, rng=rng, validation_data=(X_val, y_val), callbacks=[stopper])
    >>> history.stopped_epoch < 1000, history.stopped_epoch - stopper.best_epoch_
    (True, 10)
    """

    _MONITORS = ("val_loss", "val_accuracy", "train_loss", "train_accuracy")

    def __init__(
        self,
        monitor: str = "val_loss",
        patience: int = 5,
        *,
        min_delta: float = 0.0,
        restore_best_weights: bool = True,
    ) -> None:
        if monitor not in self._MONITORS:
            raise ValueError(f"monitor must be one of {self._MONITORS}, got {monitor!r}")
        self.monitor = monitor
        self.patience = check_positive_int(patience, "patience")
        self.min_delta = check_nonnegative_real(min_delta, "min_delta")
        self.restore_best_weights = check_bool(restore_best_weights, "restore_best_weights")
        self._sign = 1.0 if monitor.endswith("loss") else -1.0  # minimise sign * value
        self._reset()

    def __repr__(self) -> str:
        return (
            f"EarlyStopping(monitor={self.monitor!r}, patience={self.patience}, "
            f"min_delta={self.min_delta}, restore_best_weights={self.restore_best_weights})"
        )

    def _reset(self) -> None:
        self.best_: float | None = None
        self.best_epoch_: int | None = None
        self.stopped_epoch_: int | None = None
        self._best_values: list[NDArray[Any]] = []

    def on_train_begin(self, model: Layer) -> None:
        self._reset()

    def on_epoch_end(self, epoch: int, history: History, model: Layer) -> bool:
        values = getattr(history, self.monitor)
        if not values:
            raise ValueError(
                f"EarlyStopping monitors {self.monitor!r}, which fit did not record: "
                "val_* needs validation_data, *_accuracy a classification loss"
            )
        current = values[-1]
        if (
            self.best_ is None  # the first epoch: nothing recorded yet
            or self.best_epoch_ is None
            or self._sign * (self.best_ - current) > self.min_delta
        ):
            self.best_, self.best_epoch_ = current, epoch
            if self.restore_best_weights:
                self._best_values = [p.value.copy() for p in model.parameters()]
        stop = epoch - self.best_epoch_ >= self.patience
        if stop:
            self.stopped_epoch_ = epoch
        return stop

    def on_train_end(self, model: Layer) -> None:
        if not self.restore_best_weights or self.best_epoch_ is None:
            return
        params = model.parameters()
        if len(params) != len(self._best_values):
            raise ValueError(
                f"EarlyStopping saved {len(self._best_values)} parameters, but the model now "
                f"has {len(params)}: restore into the model that was trained"
            )
        for p, value in zip(params, self._best_values, strict=True):
            p.value[...] = value  # in place: optimisers keep referring to the same arrays
