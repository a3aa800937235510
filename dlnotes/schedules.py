"""Learning-rate schedules: shrink the step size as training goes on (chapter 8).

A schedule wraps an optimiser and, once per epoch, sets its ``lr`` from the
learning rate it had when the schedule was created (:math:`\\eta_0`, ``base_lr``)
and the number of epochs done (:math:`e`, ``last_epoch``). The usage is that of
``torch.optim.lr_scheduler``: call ``schedule.step()`` once per epoch, *after*
the epoch's ``optimizer.step()`` calls.

- :class:`StepLR` — multiply by :math:`\\gamma` every ``step_size`` epochs;
- :class:`ExponentialLR` — multiply by :math:`\\gamma` every epoch;
- :class:`CosineAnnealingLR` — half a cosine from :math:`\\eta_0` down to
  :math:`\\eta_{\\min}` over ``T_max`` epochs.

The values are those of the torch schedulers with the same arguments. They are
computed from the closed forms below, whereas torch updates the current ``lr``
recursively; the two agree to rounding as long as nothing else changes
``optimizer.lr`` in between.

Examples
--------
>>> from dlnotes.layers import Parameter
>>> from dlnotes.optim import SGD
>>> opt = SGD([Parameter([0.0])], lr=1.0)
>>> schedule = StepLR(opt, step_size=2, gamma=0.5)
>>> lrs = []
>>> for epoch in range(6):
...     lrs.append(opt.lr)   # ... train one epoch with opt.step() ...
...     schedule.step()
>>> lrs
[1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
"""

from __future__ import annotations

import math

from dlnotes._validation import check_nonnegative_real, check_positive_int, check_positive_real
from dlnotes.optim import Optimizer

__all__ = ["CosineAnnealingLR", "ExponentialLR", "LRSchedule", "StepLR"]


class LRSchedule:
    """Base class: remembers the optimiser, its initial ``lr`` and the epoch count.

    Creating a schedule sets ``last_epoch = 0`` and leaves the optimiser's ``lr``
    at :math:`\\eta_0`; each ``step()`` adds one epoch and sets
    ``optimizer.lr = lr_at(last_epoch)``. A subclass implements ``lr_at(epoch)``.

    Parameters
    ----------
    optimizer : Optimizer
        The optimiser whose ``lr`` is set; its current ``lr`` is :math:`\\eta_0`.

    Attributes
    ----------
    base_lr : float
        :math:`\\eta_0`, the optimiser's ``lr`` when the schedule was created.
    last_epoch : int
        Number of ``step()`` calls so far (torch's name).
    """

    def __init__(self, optimizer: Optimizer) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"optimizer must be a dlnotes.optim.Optimizer, got {type(optimizer).__name__}"
            )
        self.optimizer = optimizer
        self.base_lr = float(optimizer.lr)
        self.last_epoch = 0
        self._last_lr = self.base_lr

    def lr_at(self, epoch: int) -> float:
        """The learning rate after `epoch` epochs (the closed form)."""
        raise NotImplementedError

    def step(self) -> None:
        """End an epoch: count it and set the optimiser's learning rate."""
        self.last_epoch += 1
        self._last_lr = self.lr_at(self.last_epoch)
        self.optimizer.lr = self._last_lr

    @property
    def lr(self) -> float:
        """The learning rate set last (:math:`\\eta_0` before the first ``step()``)."""
        return self._last_lr

    def get_last_lr(self) -> float:
        """The learning rate set last, as torch's ``get_last_lr()`` (which returns a
        list with one entry per parameter group; a dlnotes optimiser has one)."""
        return self.lr


class StepLR(LRSchedule):
    """Multiply the learning rate by :math:`\\gamma` every `step_size` epochs.

    .. math::

        \\eta_e = \\eta_0\\, \\gamma^{\\lfloor e / s \\rfloor},

    with :math:`s` = `step_size`: a staircase. Same values as
    ``torch.optim.lr_scheduler.StepLR(optimizer, step_size, gamma)``.

    Parameters
    ----------
    optimizer : Optimizer
        The optimiser whose ``lr`` is set; its current ``lr`` is :math:`\\eta_0`.
    step_size : int
        :math:`s \\ge 1`, the number of epochs between two decays.
    gamma : float, default 0.1
        :math:`\\gamma > 0`, the factor applied at each decay (< 1 to shrink).

    Examples
    --------
    >>> from dlnotes.layers import Parameter
    >>> from dlnotes.optim import SGD
    >>> opt = SGD([Parameter([0.0])], lr=0.1)
    >>> schedule = StepLR(opt, step_size=3)
    >>> [round(schedule.lr_at(e), 12) for e in range(7)]
    [0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        super().__init__(optimizer)
        self.step_size = check_positive_int(step_size, "step_size")
        self.gamma = check_positive_real(gamma, "gamma")

    def lr_at(self, epoch: int) -> float:
        return self.base_lr * self.gamma ** (epoch // self.step_size)


class ExponentialLR(LRSchedule):
    """Multiply the learning rate by :math:`\\gamma` every epoch.

    .. math::

        \\eta_e = \\eta_0\\, \\gamma^{e}.

    Same values as ``torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma)``.

    Parameters
    ----------
    optimizer : Optimizer
        The optimiser whose ``lr`` is set; its current ``lr`` is :math:`\\eta_0`.
    gamma : float
        :math:`\\gamma > 0`, the factor per epoch (< 1 to shrink; the learning rate
        halves every :math:`\\ln 2 / \\ln(1/\\gamma)` epochs).

    Examples
    --------
    >>> from dlnotes.layers import Parameter
    >>> from dlnotes.optim import SGD
    >>> opt = SGD([Parameter([0.0])], lr=1.0)
    >>> schedule = ExponentialLR(opt, gamma=0.5)
    >>> schedule.step(); schedule.step()
    >>> opt.lr, schedule.last_epoch
    (0.25, 2)
    """

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        super().__init__(optimizer)
        self.gamma = check_positive_real(gamma, "gamma")

    def lr_at(self, epoch: int) -> float:
        return self.base_lr * self.gamma**epoch


class CosineAnnealingLR(LRSchedule):
    """Lower the learning rate along half a cosine, from :math:`\\eta_0` to :math:`\\eta_{\\min}`.

    .. math::

        \\eta_e = \\eta_{\\min} + \\frac{\\eta_0 - \\eta_{\\min}}{2}
        \\left(1 + \\cos\\frac{\\pi e}{T_{\\max}}\\right).

    The decay is slow at first, fastest halfway and slow again near
    :math:`\\eta_{\\min}`, reached at epoch :math:`T_{\\max}`. Past it the cosine
    goes on, so the rate climbs back towards :math:`\\eta_0` over the next
    :math:`T_{\\max}` epochs; choose :math:`T_{\\max}` = the number of epochs.
    Same values as ``torch.optim.lr_scheduler.CosineAnnealingLR(optimizer,
    T_max, eta_min)`` (without restarts).

    Parameters
    ----------
    optimizer : Optimizer
        The optimiser whose ``lr`` is set; its current ``lr`` is :math:`\\eta_0`.
    T_max : int
        :math:`T_{\\max} \\ge 1`, the number of epochs from :math:`\\eta_0` down to
        :math:`\\eta_{\\min}`.
    eta_min : float, default 0.0
        :math:`\\eta_{\\min} \\ge 0`, the smallest learning rate. With 0 the rate at
        epoch :math:`T_{\\max}` is exactly 0 (a step that changes nothing), as in torch.

    Examples
    --------
    >>> from dlnotes.layers import Parameter
    >>> from dlnotes.optim import SGD
    >>> opt = SGD([Parameter([0.0])], lr=1.0)
    >>> schedule = CosineAnnealingLR(opt, T_max=4, eta_min=0.2)
    >>> [round(schedule.lr_at(e), 12) for e in range(5)]
    [1.0, 0.882842712475, 0.6, 0.317157287525, 0.2]
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0) -> None:
        super().__init__(optimizer)
        self.T_max = check_positive_int(T_max, "T_max")
        self.eta_min = check_nonnegative_real(eta_min, "eta_min")

    def lr_at(self, epoch: int) -> float:
        cosine = 1 + math.cos(math.pi * epoch / self.T_max)
        return self.eta_min + (self.base_lr - self.eta_min) * cosine / 2
