"""dlnotes.losses against torch.nn: the mean loss and its gradient with respect to pred.

PyTorch has no loss named like HingeLoss or ExponentialLoss: the hinge loss is compared with
``margin_ranking_loss(s, 0, y, margin=1)``, which is max(0, 1 - y s) by another route, and
the exponential loss with ``exp(-y s).mean()`` written in torch, its gradient from autograd."""

import numpy as np
import pytest

from dlnotes.losses import (
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    ExponentialLoss,
    HingeLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
)

SEEDS = range(32)
SCALES = [0.1, 1.0, 5.0, 30.0, 1e3, 1e4]  # logits up to 1e4: both must stay finite


def random_shape(rng) -> tuple[int, ...]:
    return tuple(int(s) for s in rng.integers(1, 7, size=rng.integers(1, 4)))


def run_both(torch, compare, component, ours, theirs, pred, target, torch_target):
    t = torch.tensor(pred, requires_grad=True)
    value = theirs(t, torch_target)
    value.backward()
    compare(f"{component} value", ours(pred, target), value)
    compare(f"{component} dpred", ours.backward(), t.grad)


@pytest.mark.covers("losses.MSELoss")
@pytest.mark.parametrize("seed", SEEDS)
def test_mse(torch, compare, seed):
    rng = np.random.default_rng(seed)
    shape = random_shape(rng)
    pred = rng.normal(scale=rng.choice([0.1, 1.0, 100.0]), size=shape)
    target = rng.normal(size=shape)
    run_both(
        torch, compare, "losses.MSELoss", MSELoss(), torch.nn.MSELoss(), pred, target,
        torch.from_numpy(target),
    )  # fmt: skip


@pytest.mark.covers("losses.CrossEntropyLoss")
@pytest.mark.parametrize("seed", SEEDS)
def test_cross_entropy(torch, compare, seed):
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(1, 17)), int(rng.integers(1, 11))
    logits = rng.normal(scale=SCALES[seed % len(SCALES)], size=(n, k))
    target = rng.integers(0, k, size=n)
    run_both(
        torch, compare, "losses.CrossEntropyLoss", CrossEntropyLoss(),
        torch.nn.CrossEntropyLoss(), logits, target, torch.from_numpy(target),
    )  # fmt: skip


@pytest.mark.covers("losses.BCEWithLogitsLoss")
@pytest.mark.parametrize("seed", SEEDS)
def test_bce_with_logits(torch, compare, seed):
    """Soft targets for even seeds, hard {0, 1} targets for odd ones."""
    rng = np.random.default_rng(seed)
    shape = random_shape(rng)
    logits = rng.normal(scale=SCALES[seed % len(SCALES)], size=shape)
    target = rng.uniform(size=shape) if seed % 2 == 0 else rng.integers(0, 2, size=shape) * 1.0
    run_both(
        torch, compare, "losses.BCEWithLogitsLoss", BCEWithLogitsLoss(),
        torch.nn.BCEWithLogitsLoss(), logits, target, torch.from_numpy(target),
    )  # fmt: skip


def regression_pair(rng):
    """pred and target of a random shape and scale; some errors exactly 0 (the kink of |r|)."""
    shape = random_shape(rng)
    pred = rng.normal(scale=rng.choice([0.1, 1.0, 100.0]), size=shape)
    target = rng.normal(size=shape)
    ties = rng.random(shape) < 0.2
    target[ties] = pred[ties]
    return pred, target


@pytest.mark.covers("losses.L1Loss")
@pytest.mark.parametrize("seed", SEEDS)
def test_l1(torch, compare, seed):
    """Including errors of exactly 0, where both take the gradient 0."""
    rng = np.random.default_rng(seed)
    pred, target = regression_pair(rng)
    run_both(
        torch, compare, "losses.L1Loss", L1Loss(), torch.nn.L1Loss(), pred, target,
        torch.from_numpy(target),
    )  # fmt: skip


DELTAS = [1e-3, 0.1, 0.5, 1.0, 2.0, 10.0, 1e3]


@pytest.mark.covers("losses.HuberLoss")
@pytest.mark.parametrize("delta", DELTAS)
@pytest.mark.parametrize("seed", range(12))
def test_huber(torch, compare, seed, delta):
    """Every delta against errors of scales 0.1 to 100 (both pieces, or only one), some errors
    0 and some of size delta, where the pieces meet."""
    rng = np.random.default_rng(100 + seed)
    pred, target = regression_pair(rng)
    at_delta = rng.random(pred.shape) < 0.2
    target[at_delta] = pred[at_delta] - rng.choice([-delta, delta], size=int(at_delta.sum()))
    run_both(
        torch, compare, "losses.HuberLoss", HuberLoss(delta), torch.nn.HuberLoss(delta=delta),
        pred, target, torch.from_numpy(target),
    )  # fmt: skip


def scores_and_labels(rng, seed):
    shape = random_shape(rng)
    scores = rng.normal(scale=SCALES[seed % len(SCALES)], size=shape)
    return scores, rng.choice([-1.0, 1.0], size=shape)


@pytest.mark.covers("losses.HingeLoss")
@pytest.mark.parametrize("seed", SEEDS)
def test_hinge(torch, compare, seed):
    """Random margins never fall on the kink at 1, where torch's clamp passes the gradient
    on and dlnotes takes the subgradient 0."""
    rng = np.random.default_rng(200 + seed)
    scores, labels = scores_and_labels(rng, seed)
    assert np.all(labels * scores != 1.0)

    def hinge(s, y):
        return torch.nn.functional.margin_ranking_loss(s, torch.zeros_like(s), y, margin=1.0)

    run_both(
        torch, compare, "losses.HingeLoss", HingeLoss(), hinge, scores, labels,
        torch.from_numpy(labels),
    )  # fmt: skip


@pytest.mark.covers("losses.ExponentialLoss")
@pytest.mark.parametrize("seed", SEEDS)
def test_exponential(torch, compare, seed):
    """Scores up to scale 30: e^-m stays finite on both sides (the inf beyond a margin of
    -709.78 is a unit test's)."""
    rng = np.random.default_rng(300 + seed)
    shape = random_shape(rng)
    scores = rng.normal(scale=[0.1, 1.0, 5.0, 30.0][seed % 4], size=shape)
    labels = rng.choice([-1.0, 1.0], size=shape)

    def exponential(s, y):
        return torch.exp(-y * s).mean()

    run_both(
        torch, compare, "losses.ExponentialLoss", ExponentialLoss(), exponential, scores,
        labels, torch.from_numpy(labels),
    )  # fmt: skip
