"""MindSpore beside dlnotes: every snippet the chapters show is run here and compared.

A plain ``pytest`` never collects this directory (see tests/conftest.py); ``nox -s mindspore``
names it with ``DLNOTES_REQUIRE_MINDSPORE=1``, so that a missing MindSpore is an error there, not
a skip. Everything here is marked ``mindspore``.

The snippets live in docs/mindspore/ (the chapters include them with ``literalinclude``); the
tests import them from there. Every comparison goes through the `compare` fixture:
``|dlnotes - mindspore| <= atol + rtol |mindspore|`` element by element, with ``rtol=1e-10`` in
float64 and ``1e-5`` in float32 (where MindSpore's CPU kernel refuses float64); a test that
needs a looser tolerance passes it and says why. The session ends with the largest relative
difference per component and the dtype it was measured in.
"""

from __future__ import annotations

import ast
import inspect
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SNIPPETS = ROOT / "docs" / "mindspore"
sys.path.insert(0, str(SNIPPETS))

RTOL = {"float64": 1e-10, "float32": 1e-5}
ATOL = {"float64": 1e-12, "float32": 1e-6}
REL_FLOOR = 1e-2  # below it the absolute tolerance binds (as in tests/oracle)

# component -> [dtype, comparisons, elements, largest relative difference]
_RECORD: dict[str, list] = {}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this directory ``mindspore`` (before ``-m`` deselects anything)."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.mindspore)


@pytest.fixture(scope="session", autouse=True)
def ms():
    """The mindspore module on the CPU; skipped if missing unless DLNOTES_REQUIRE_MINDSPORE."""
    if os.environ.get("DLNOTES_REQUIRE_MINDSPORE"):
        import mindspore as module
    else:
        module = pytest.importorskip("mindspore")
    # MindSpore 2.10's extension is built against NumPy 1.x; under NumPy 2 the first operation
    # with a Python number raises SystemError. The mindspore extra pins NumPy 1.x.
    assert int(np.__version__.split(".")[0]) < 2, f"NumPy {np.__version__}: MindSpore needs 1.x"
    module.set_device("CPU")
    return module


@pytest.fixture
def compare() -> Callable[..., None]:
    """``compare(component, ours, theirs, dtype="float64", rtol=None, atol=None)``: assert and
    record (a tolerance passed explicitly replaces the dtype's)."""

    def check(
        component: str,
        ours,
        theirs,
        *,
        dtype: str = "float64",
        rtol: float | None = None,
        atol: float | None = None,
    ):
        a = np.asarray(ours, dtype=np.float64)
        b = np.asarray(theirs.asnumpy() if hasattr(theirs, "asnumpy") else theirs, np.float64)
        assert a.shape == b.shape, f"{component}: shapes {a.shape} (dlnotes), {b.shape} (MindSpore)"
        diff = np.abs(a - b)
        big = np.abs(b) >= REL_FLOOR
        rel = float(np.max(diff[big] / np.abs(b[big]), initial=0.0))
        stats = _RECORD.setdefault(component, [dtype, 0, 0, 0.0])
        stats[1] += 1
        stats[2] += a.size
        stats[3] = max(stats[3], rel)
        rtol = RTOL[dtype] if rtol is None else rtol
        atol = ATOL[dtype] if atol is None else atol
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=component)

    return check


def pytest_terminal_summary(terminalreporter) -> None:
    if not _RECORD:
        return
    tr = terminalreporter
    width = max(len(name) for name in _RECORD)
    tr.section("dlnotes vs MindSpore: largest relative difference per component")
    tr.write_line(
        f"{'component':<{width}}  {'dtype':>7}  {'compared':>8}  {'elements':>9}  {'max rel.':>9}"
    )
    for name in sorted(_RECORD):
        dtype, count, elements, rel = _RECORD[name]
        tr.write_line(f"{name:<{width}}  {dtype:>7}  {count:>8}  {elements:>9}  {rel:>9.1e}")
    tr.write_line(f"relative difference over the entries with |MindSpore| >= {REL_FLOOR:g}")


# --------------------------------------------------------------------------------------------
# Defaults: what a signature says, for the tables of the chapters
# --------------------------------------------------------------------------------------------


def signature(obj) -> inspect.Signature:
    """The real signature of a MindSpore class or function.

    MindSpore wraps the constructors of its optimisers in a decorator and its recurrent layers
    take ``*args``: unwrap the decorator's closure, and read a ``*args`` constructor from the
    base class it passes them to.
    """
    target = obj.__init__ if inspect.isclass(obj) else obj
    for _ in range(5):  # a decorator keeps the original function in its closure
        inner = [
            c.cell_contents for c in target.__closure__ or () if inspect.isfunction(c.cell_contents)
        ]
        if not inner:
            break
        target = inner[0]
    found = inspect.signature(target)
    if inspect.isclass(obj) and any(p.kind is p.VAR_POSITIONAL for p in found.parameters.values()):
        for base in obj.__mro__[1:]:
            base_sig = inspect.signature(base.__init__)
            if not any(p.kind is p.VAR_POSITIONAL for p in base_sig.parameters.values()):
                return base_sig
    return found


def stated_defaults(call: str) -> tuple[str, dict[str, object]]:
    """``"nn.Conv2d(..., pad_mode='same', has_bias=False)"`` → ``("nn.Conv2d", {...})``.

    The keyword values are Python literals, or dotted names (``mindspore.float32``) returned
    as their text for the caller to resolve.
    """
    tree = ast.parse(call.replace("...", "None"), mode="eval").body
    assert isinstance(tree, ast.Call), call
    values: dict[str, object] = {}
    for keyword in tree.keywords:
        try:
            values[keyword.arg] = ast.literal_eval(keyword.value)
        except ValueError:
            values[keyword.arg] = ast.unparse(keyword.value)
    return ast.unparse(tree.func), values
