"""PyTorch as the oracle: dlnotes must give the same numbers, forward and backward.

A plain ``pytest`` never collects this directory (see tests/conftest.py), so the unit tests
never import torch; ``nox -s oracle`` names it and runs it with ``DLNOTES_REQUIRE_TORCH=1``,
so that a missing torch is an error there, not a skip. Everything here is also marked
``oracle``.

Every comparison goes through the `compare` fixture, which asserts
``|dlnotes - torch| <= atol + rtol |torch|`` element by element in float64 (``rtol=1e-10``,
``atol=1e-12`` unless a test asks for tighter) and records the largest errors per component;
the session ends with a table of them. The relative error is reported where the default
relative tolerance is the one that binds, ``|torch| >= atol/rtol = 1e-2``; smaller entries,
such as a saturated derivative ``1 - tanh(x)^2``, whose relative error is dominated by the
rounding of ``tanh(x)`` near 1, are reported by their absolute error.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent

# component -> [comparisons, elements, largest relative error, largest absolute error of
# the small entries]
_RECORD: dict[str, list] = {}

# The default atol/rtol: at or above it the relative tolerance binds, below it the absolute one.
REL_FLOOR = 1e-2


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this directory ``oracle`` (before ``-m`` deselects anything)."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.oracle)


@pytest.fixture(scope="session")
def torch():
    """The torch module in float64; skipped if missing unless DLNOTES_REQUIRE_TORCH is set."""
    if os.environ.get("DLNOTES_REQUIRE_TORCH"):
        import torch as module
    else:
        module = pytest.importorskip("torch")
    module.set_default_dtype(module.float64)
    return module


def _numpy(x) -> np.ndarray:
    if hasattr(x, "detach"):  # a torch tensor
        x = x.detach().cpu().numpy()
    return np.asarray(x, dtype=np.float64)


@pytest.fixture
def compare() -> Callable[..., None]:
    """``compare(component, ours, theirs, rtol=1e-10, atol=1e-12)``: assert and record."""

    def check(component: str, ours, theirs, *, rtol: float = 1e-10, atol: float = 1e-12) -> None:
        a, b = _numpy(ours), _numpy(theirs)
        assert a.shape == b.shape, f"{component}: shapes {a.shape} (dlnotes) != {b.shape} (torch)"
        diff = np.abs(a - b)
        big = np.abs(b) >= REL_FLOOR
        rel = float(np.max(diff[big] / np.abs(b[big]), initial=0.0))
        absolute = float(np.max(diff[~big], initial=0.0))
        stats = _RECORD.setdefault(component, [0, 0, 0.0, 0.0])
        stats[0] += 1
        stats[1] += a.size
        stats[2] = max(stats[2], rel)
        stats[3] = max(stats[3], absolute)
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=component)

    return check


def pytest_terminal_summary(terminalreporter) -> None:
    if not _RECORD:
        return
    tr = terminalreporter
    width = max(len(name) for name in _RECORD)
    tr.section("dlnotes vs PyTorch (float64): largest errors per component")
    tr.write_line(
        f"{'component':<{width}}  {'compared':>8}  {'elements':>9}  "
        f"{'max rel. error':>14}  {'max abs. error (small)':>22}"
    )
    for name in sorted(_RECORD):
        count, elements, rel, absolute = _RECORD[name]
        tr.write_line(
            f"{name:<{width}}  {count:>8}  {elements:>9}  {rel:>14.1e}  {absolute:>22.1e}"
        )
    tr.write_line(
        "relative error: max |dlnotes - torch| / |torch| over the entries with |torch| >= "
        f"{REL_FLOOR:g}; absolute error: max |dlnotes - torch| over the smaller entries"
    )
