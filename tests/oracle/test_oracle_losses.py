"""dlnotes.losses against torch.nn: the mean loss and its gradient with respect to pred."""

import numpy as np
import pytest

from dlnotes.losses import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss

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
