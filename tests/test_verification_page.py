"""The verification page (docs/appendix/verification.md) is complete and its checks pass.

Its table comes from docs/_ext/verification.py; these tests run the same code without a
Sphinx build: every public component of dlnotes has a row, every differentiable one a
gradient check below 1e-7, every other one a line of evidence, and the reading of the
oracle tests' sources gives the answers one finds by reading them by hand.
"""

from __future__ import annotations

import html
import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

import pytest

import dlnotes

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

import verification  # noqa: E402

PAGE = ROOT / "docs" / "appendix" / "verification.md"


def public_objects() -> dict[str, object]:
    """Every name in the ``__all__`` of every public module of the package, found on disk."""
    found = {}
    for info in pkgutil.iter_modules(dlnotes.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"dlnotes.{info.name}")
        assert hasattr(module, "__all__"), f"dlnotes.{info.name} has no __all__"
        for name in module.__all__:
            found[f"{info.name}.{name}"] = getattr(module, name)
    return found


def differentiable(key: str, obj: object, inventory: dict[str, object]) -> bool:
    """A gradient function (``*_grad``, ``*_backward``) or a class with a backward pass
    that is not the base class of another component (``Layer``, ``Loss``)."""
    name = key.split(".", 1)[1]
    if inspect.isfunction(obj):
        return name.endswith(("_grad", "_backward"))
    if inspect.isclass(obj) and hasattr(obj, "backward"):
        others = [o for o in inventory.values() if inspect.isclass(o) and o is not obj]
        return not any(issubclass(o, obj) for o in others)
    return False


@pytest.fixture(scope="module")
def report() -> verification.Report:
    return verification.report()


def test_every_public_component_is_on_the_page(report):
    listed = {id(verification.inventory()[row.key]) for row in report.rows}
    missing = [key for key, obj in public_objects().items() if id(obj) not in listed]
    assert not missing, f"public components missing from the verification page: {missing}"


def test_every_component_has_a_gradient_check_or_evidence(report):
    inventory = verification.inventory()
    unchecked = [
        row.key
        for row in report.rows
        if not row.errors and differentiable(row.key, inventory[row.key], inventory)
    ]
    assert not unchecked, f"differentiable components without a gradient check: {unchecked}"
    silent = [row.key for row in report.rows if not row.errors and not row.evidence]
    assert not silent, f"components with neither a gradient check nor evidence: {silent}"


@pytest.mark.parametrize("key", sorted(verification.GRADIENT_CHECKS))
def test_gradient_check_is_below_the_threshold(key):
    errors = verification.GRADIENT_CHECKS[key]()
    assert len(errors) >= 2, f"{key}: fewer than two checks"
    assert max(errors) < verification.THRESHOLD, f"{key}: relative errors {errors}"


def test_the_page_shows_the_report():
    text = PAGE.read_text(encoding="utf-8")
    assert "(verification)=" in text and "\n# 验证\n" in text
    assert ":tags: [remove-input]" in text and "verification.report()" in text
    assert "execution_mode: force" in text  # never a cached table


def test_the_report_lists_every_row_in_html_and_text(report):
    page, text = report._repr_html_(), repr(report)
    for header in verification.HEADERS:
        assert html.escape(header) in page
    for row in report.rows:
        assert f"<code>{row.name}</code>" in page
        assert f"\n{row.key} | " in text
    assert "NO EVIDENCE" not in page and "FAIL" not in page


def oracle_tests(key: str) -> set[str]:
    return {t.name for t in verification.oracle_coverage()[key]}


def test_oracle_coverage_reads_direct_references():
    assert "test_linear" in oracle_tests("layers.Linear")
    assert "test_conv2d_functions" in oracle_tests("conv.conv2d_backward")
    assert "test_functions" in oracle_tests("recurrent.lstm_backward")


def test_oracle_coverage_follows_names_chosen_by_parametrize():
    """getattr(A, f"{name}_grad") with name in ["sigmoid", ...] names sigmoid_grad."""
    assert "test_elementwise_function" in oracle_tests("activations.sigmoid_grad")
    assert "test_xavier_scale" in oracle_tests("init.xavier_normal_")


def test_oracle_coverage_does_not_lend_a_helpers_other_branches():
    """The shared helper has a branch for leaky_relu; only test_leaky_relu takes it."""
    assert oracle_tests("activations.leaky_relu_grad") == {"test_leaky_relu"}
    assert "test_optimiser_training_end_to_end" not in oracle_tests("optim.SGD")


def test_type_tests_and_internal_use_are_not_coverage():
    assert "test_rnn" not in oracle_tests("layers.LSTM")  # isinstance(layer, LSTM) in a helper
    assert oracle_tests("conv.col2im") == set()  # used inside conv2d_backward only
    assert oracle_tests("resample.smote") == set()


def test_unit_coverage_names_the_files():
    coverage = verification.unit_coverage()
    assert "test_layers.py" in coverage["layers.Linear"]
    assert "test_resample.py" in coverage["resample.smote"]
    assert all("test_verification_page.py" not in files for files in coverage.values())


def test_compact_numbers():
    assert verification.compact(2.3e-10) == "2.3e-10"
    assert verification.compact(1.04e-9) == "1.0e-9"
    assert verification.compact(0.0) == "0"


def test_no_check_or_evidence_for_a_component_that_is_gone():
    inventory = verification.inventory()
    stale = [
        k for k in [*verification.GRADIENT_CHECKS, *verification.EVIDENCE] if k not in inventory
    ]
    assert not stale, f"checks or evidence for components that no longer exist: {stale}"
    both = set(verification.GRADIENT_CHECKS) & set(verification.EVIDENCE)
    assert not both, f"components with both a gradient check and an evidence line: {both}"
