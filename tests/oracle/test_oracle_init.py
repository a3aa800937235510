"""dlnotes.init against torch.nn.init: gains, fans, and the scale of every initialiser.

The random numbers of NumPy and torch differ, so the scales are compared instead: the
bound ``a`` of ``U(-a, a)`` and the ``std`` of ``N(0, std^2)`` that each library passes to its
random-number generator, recorded on both sides.
"""

import math

import numpy as np
import pytest

from dlnotes import init
from dlnotes.layers import Parameter

SEEDS = range(32)
ALPHAS = [0.0, 0.01, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, -0.1]


@pytest.mark.covers("init.gain")
@pytest.mark.parametrize("name", ["linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu"])
def test_gain(torch, compare, name):
    compare("init.gain", init.gain(name), torch.nn.init.calculate_gain(name), rtol=1e-15)


@pytest.mark.covers("init.gain")
@pytest.mark.parametrize("alpha", ALPHAS)
def test_gain_of_leaky_relu(torch, compare, alpha):
    theirs = torch.nn.init.calculate_gain("leaky_relu", alpha)
    compare("init.gain", init.gain("leaky_relu", alpha), theirs, rtol=1e-15)


def random_shape(seed: int) -> tuple[int, ...]:
    """Linear shapes (out, in) for even seeds, conv shapes (C_out, C_in, kh, kw) or 3-D for odd."""
    rng = np.random.default_rng(seed)
    ndim = 2 if seed % 2 == 0 else int(rng.integers(3, 5))
    return tuple(int(s) for s in rng.integers(1, 9, size=ndim))


@pytest.mark.covers("init.fans")
@pytest.mark.parametrize("seed", SEEDS)
def test_fans(torch, compare, seed):
    shape = random_shape(seed)
    theirs = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    compare("init.fans", init.fans(shape), theirs, rtol=0, atol=0)  # exactly


class RecordingGenerator(np.random.Generator):
    """A NumPy generator that remembers the scale of the last uniform or normal draw."""

    scale: float | None = None

    def uniform(self, low=0.0, high=1.0, size=None):
        assert low == -high
        self.scale = high
        return super().uniform(low, high, size)

    def normal(self, loc=0.0, scale=1.0, size=None):
        assert loc == 0
        self.scale = scale
        return super().normal(loc, scale, size)


@pytest.fixture
def torch_scale(torch, monkeypatch):
    """Patch torch's uniform_ and normal_ so that the last bound/std passed is recorded."""
    seen = {}
    uniform, normal = torch.Tensor.uniform_, torch.Tensor.normal_

    def record_uniform(self, a=0.0, b=1.0, **kwargs):
        assert a == -b
        seen["scale"] = b
        return uniform(self, a, b, **kwargs)

    def record_normal(self, mean=0.0, std=1.0, **kwargs):
        assert mean == 0
        seen["scale"] = std
        return normal(self, mean, std, **kwargs)

    monkeypatch.setattr(torch.Tensor, "uniform_", record_uniform)
    monkeypatch.setattr(torch.Tensor, "normal_", record_normal)
    return seen


@pytest.mark.covers("init.xavier_normal_", "init.xavier_uniform_")
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", ["xavier_uniform_", "xavier_normal_"])
def test_xavier_scale(torch, compare, torch_scale, name, seed):
    shape = random_shape(seed)
    g = [1.0, 5.0 / 3.0, math.sqrt(2.0), 0.5][seed % 4]
    rng = RecordingGenerator(np.random.PCG64(seed))
    getattr(init, name)(Parameter(np.zeros(shape)), rng=rng, gain=g)
    getattr(torch.nn.init, name)(torch.empty(shape), gain=g)
    compare(f"init.{name} (scale)", rng.scale, torch_scale["scale"], rtol=1e-14)


@pytest.mark.covers("init.gain", "init.kaiming_normal_", "init.kaiming_uniform_")
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", ["kaiming_uniform_", "kaiming_normal_"])
def test_kaiming_scale(torch, compare, torch_scale, name, seed):
    """Our gain against torch's (a, nonlinearity) arguments, fan-in mode."""
    shape = random_shape(seed)
    nonlinearity, a = [("relu", 0.0), ("leaky_relu", 0.2), ("leaky_relu", 0.01), ("tanh", 0)][
        seed % 4
    ]
    rng = RecordingGenerator(np.random.PCG64(seed))
    g = init.gain(nonlinearity, a)
    getattr(init, name)(Parameter(np.zeros(shape)), rng=rng, gain=g)
    getattr(torch.nn.init, name)(torch.empty(shape), a=a, nonlinearity=nonlinearity)
    compare(f"init.{name} (scale)", rng.scale, torch_scale["scale"], rtol=1e-14)


@pytest.mark.covers("init.kaiming_normal_", "init.kaiming_uniform_")
@pytest.mark.parametrize("name", ["kaiming_uniform_", "kaiming_normal_"])
def test_kaiming_default_gain_is_torch_default(torch, compare, torch_scale, name):
    """Called without arguments, both use the ReLU gain sqrt(2)."""
    rng = RecordingGenerator(np.random.PCG64(0))
    getattr(init, name)(Parameter(np.zeros((7, 5))), rng=rng)
    getattr(torch.nn.init, name)(torch.empty(7, 5))
    compare(f"init.{name} (scale)", rng.scale, torch_scale["scale"], rtol=1e-14)


@pytest.mark.covers("init.kaiming_normal_", "init.xavier_normal_", "init.xavier_uniform_")
@pytest.mark.parametrize("name", ["xavier_uniform_", "xavier_normal_", "kaiming_normal_"])
def test_distributions_agree(torch, compare, name):
    """Large draws from both libraries: the same spread (a statistical check, 1 %)."""
    shape = (500, 400)
    ours = getattr(init, name)(Parameter(np.zeros(shape)), rng=np.random.default_rng(0)).value
    theirs = getattr(torch.nn.init, name)(torch.empty(shape)).numpy()
    assert ours.std() == pytest.approx(theirs.std(), rel=0.01)
    assert np.abs(ours).max() == pytest.approx(np.abs(theirs).max(), rel=0.2)
