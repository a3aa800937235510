"""Tests for dlnotes.schedules: StepLR, ExponentialLR and CosineAnnealingLR by closed form."""

import itertools
import math
import re

import numpy as np
import pytest

from dlnotes.layers import Parameter
from dlnotes.optim import SGD, Adam
from dlnotes.schedules import CosineAnnealingLR, ExponentialLR, LRSchedule, StepLR

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "schedules.CosineAnnealingLR",
    "schedules.ExponentialLR",
    "schedules.LRSchedule",
    "schedules.StepLR",
)

EPOCHS = 30


def make_optimizer(lr=0.1):
    return SGD([Parameter([1.0, -1.0])], lr=lr)


def run(schedule, epochs=EPOCHS):
    """The optimiser's lr during each epoch 0 .. epochs-1 (step() at the end of each)."""
    lrs = []
    for _ in range(epochs):
        lrs.append(schedule.optimizer.lr)
        assert schedule.get_last_lr() == schedule.lr == schedule.optimizer.lr
        schedule.step()
    return lrs


@pytest.mark.parametrize(("step_size", "gamma"), [(1, 0.5), (4, 0.1), (7, 0.9), (10, 2.0)])
def test_step_lr_is_a_staircase(step_size, gamma):
    schedule = StepLR(make_optimizer(0.1), step_size=step_size, gamma=gamma)
    expected = [0.1 * gamma ** (e // step_size) for e in range(EPOCHS)]
    np.testing.assert_allclose(run(schedule), expected, rtol=1e-15)


def test_step_lr_by_hand():
    schedule = StepLR(make_optimizer(1.0), step_size=3, gamma=0.5)
    assert run(schedule, 9) == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]
    assert schedule.last_epoch == 9


@pytest.mark.parametrize("gamma", [0.5, 0.9, 0.99, 1.0])
def test_exponential_lr(gamma):
    schedule = ExponentialLR(make_optimizer(0.3), gamma=gamma)
    expected = [0.3 * gamma**e for e in range(EPOCHS)]
    np.testing.assert_allclose(run(schedule), expected, rtol=1e-15)


@pytest.mark.parametrize(("t_max", "eta_min"), [(30, 0.0), (10, 0.0), (7, 1e-3), (29, 0.05)])
def test_cosine_annealing_lr(t_max, eta_min):
    """Closed form; past T_max the cosine goes on and the rate rises again, as in torch."""
    schedule = CosineAnnealingLR(make_optimizer(0.1), T_max=t_max, eta_min=eta_min)
    expected = [
        eta_min + (0.1 - eta_min) * (1 + math.cos(math.pi * e / t_max)) / 2 for e in range(EPOCHS)
    ]
    np.testing.assert_allclose(run(schedule), expected, rtol=1e-14, atol=1e-17)


def test_cosine_annealing_landmarks():
    """eta_0 at 0, the midpoint at T_max/2, eta_min at T_max, and monotone in between."""
    schedule = CosineAnnealingLR(make_optimizer(0.5), T_max=20, eta_min=0.1)
    lrs = run(schedule, 21)
    assert lrs[0] == 0.5
    assert lrs[10] == pytest.approx(0.3, rel=1e-15)
    assert lrs[20] == pytest.approx(0.1, rel=1e-15)
    assert all(a > b for a, b in itertools.pairwise(lrs))


def test_cosine_annealing_to_zero_reaches_exactly_zero():
    schedule = CosineAnnealingLR(make_optimizer(0.1), T_max=5)
    for _ in range(5):
        schedule.step()
    assert schedule.optimizer.lr == 0.0


def test_the_schedule_sets_the_optimizer_lr_used_by_step():
    w = Parameter([0.0])
    opt = SGD([w], lr=1.0)
    schedule = StepLR(opt, step_size=1, gamma=0.5)
    for _ in range(3):
        w.grad = np.array([1.0])
        opt.step()
        schedule.step()
    assert w.value[0] == -(1.0 + 0.5 + 0.25)


def test_schedules_work_with_any_optimizer():
    opt = Adam([Parameter([0.0])], lr=0.01)
    schedule = ExponentialLR(opt, gamma=0.5)
    schedule.step()
    assert opt.lr == 0.005
    assert schedule.base_lr == 0.01


@pytest.mark.parametrize("lr", [0.2, 3e-4])
def test_creating_a_schedule_leaves_the_lr_alone(lr):
    """Before the first step() the rate is exactly eta_0, even where the closed form at 0
    would round (eta_min above eta_0 is allowed, as in torch)."""
    opt = make_optimizer(lr)
    for schedule in (
        StepLR(opt, 2),
        ExponentialLR(opt, 0.5),
        CosineAnnealingLR(opt, 10),
        CosineAnnealingLR(opt, 10, eta_min=0.01),
    ):
        assert opt.lr == lr
        assert schedule.last_epoch == 0
        assert schedule.lr == schedule.get_last_lr() == lr


def test_base_schedule_has_no_rule():
    with pytest.raises(NotImplementedError):
        LRSchedule(make_optimizer()).step()


def test_optimizer_must_be_an_optimizer():
    with pytest.raises(
        TypeError, match=re.escape("optimizer must be a dlnotes.optim.Optimizer, got list")
    ):
        StepLR([Parameter([0.0])], step_size=1)


@pytest.mark.parametrize("step_size", [0, -1])
def test_step_size_must_be_positive(step_size):
    with pytest.raises(ValueError, match="step_size must be a positive integer"):
        StepLR(make_optimizer(), step_size=step_size)


@pytest.mark.parametrize("step_size", [1.5, "2", True])
def test_step_size_must_be_an_integer(step_size):
    with pytest.raises(TypeError, match="step_size must be a positive integer"):
        StepLR(make_optimizer(), step_size=step_size)


@pytest.mark.parametrize("gamma", [0.0, -0.5])
def test_gamma_must_be_positive(gamma):
    with pytest.raises(ValueError, match="gamma must be > 0"):
        StepLR(make_optimizer(), step_size=1, gamma=gamma)
    with pytest.raises(ValueError, match="gamma must be > 0"):
        ExponentialLR(make_optimizer(), gamma=gamma)


def test_cosine_arguments_are_checked():
    with pytest.raises(ValueError, match="T_max must be a positive integer"):
        CosineAnnealingLR(make_optimizer(), T_max=0)
    with pytest.raises(ValueError, match="eta_min must be >= 0"):
        CosineAnnealingLR(make_optimizer(), T_max=10, eta_min=-1e-3)
