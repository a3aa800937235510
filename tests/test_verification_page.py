"""The verification page (docs/appendix/verification.md) would publish no missing evidence.

Its table comes from docs/_ext/verification.py, whose problems() the documentation build turns
into warnings (errors under -W); these tests read the same problems without a Sphinx build, so
that `nox -s tests` says what to add where as soon as a public component lacks evidence.
"""

from __future__ import annotations

import html
import importlib
import pkgutil
import sys
from pathlib import Path

import pytest

import dlnotes

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

import verification  # noqa: E402

PAGE = ROOT / "docs" / "appendix" / "verification.md"


@pytest.fixture(scope="module")
def tests() -> list:
    """Every collected test with its covers marks (pytest, in a subprocess: a few seconds)."""
    return verification.marked_tests()


@pytest.fixture(scope="module")
def report(tests) -> verification.Report:
    """The page's table, with each gradient check's errors stood in for by zeros.

    tests/test_gradients.py runs the checks themselves; the build runs them for the page.
    """
    errors: dict[str, list[float]] = {}
    for case in verification.gradcheck_cases.CASES:
        errors.setdefault(case.component, []).append(0.0)
    return verification.report(errors, tests)


def test_the_page_publishes_no_missing_evidence(report):
    problems = report.problems()
    assert not problems, "the verification page would publish missing evidence:\n" + "\n".join(
        problems
    )


def test_every_public_module_is_on_the_page(report):
    listed = {row.module for row in report.rows}
    public = {
        info.name for info in pkgutil.iter_modules(dlnotes.__path__) if not info.name[0] == "_"
    }
    for name in public:
        assert hasattr(importlib.import_module(f"dlnotes.{name}"), "__all__"), name
    assert not public - listed, f"modules missing from the verification page: {public - listed}"


def test_problems_say_what_to_add_where(tests):
    """A new public function with nothing behind it: the message names the files to change."""
    errors = {"layers.Linear": [1.0], "conv.conv2d_backward": [0.0]}
    problems = "\n".join(verification.report(errors, tests).problems())
    assert "layers.Linear: a gradient check gives a relative error of 1.0e0" in problems
    assert "layers.Linear has a gradient check and a line of evidence" not in problems
    assert "recurrent.lstm_backward has a backward pass" in problems
    assert "tests/gradcheck_cases.py" in problems

    untested = verification.report(errors, [])
    assert '"metrics.recall" to pytestmark = pytest.mark.covers(...)' in "\n".join(
        untested.problems()
    )


def test_a_component_without_evidence_is_published_as_such(monkeypatch):
    monkeypatch.delitem(verification.EVIDENCE, "metrics.recall")
    text = verification.report({}, []).problems()
    assert any(
        p.startswith("metrics.recall has neither a gradient check nor a line of evidence")
        and '"metrics.recall": "<how its tests check it>" to EVIDENCE in docs/_ext/verification.py'
        in p
        for p in text
    )


def test_a_mark_naming_no_component_is_a_problem(tests):
    ref = verification.TestRef("test_x.py", "test_y", 1, oracle=False)
    problems = verification.report({}, [(ref, ["layers.Linaer"])]).problems()
    assert any("test_x.py::test_y is marked covers('layers.Linaer')" in p for p in problems)


def test_the_page_shows_the_report():
    text = PAGE.read_text(encoding="utf-8")
    assert "(verification)=" in text and "\n# 验证\n" in text
    assert "```{verification-report}\n```" in text


def test_the_report_lists_every_row_in_html_and_text(report):
    page, text = report.to_html(), repr(report)
    for header in verification.HEADERS:
        assert html.escape(header) in page
    for row in report.rows:
        assert f"<code>{row.name}</code>" in page
        assert f"\n{row.key} | " in text
    assert "NO EVIDENCE" not in page and "FAIL" not in page


def oracle_tests(report, key: str) -> dict[str, int]:
    return {t.name: t.cases for t in next(r for r in report.rows if r.key == key).oracle}


def test_oracle_column_lists_the_marked_tests_with_their_collected_cases(report):
    assert oracle_tests(report, "layers.Linear")["test_linear"] == 32
    assert oracle_tests(report, "conv.conv2d_backward") == {"test_conv2d_functions": 48}
    assert oracle_tests(report, "activations.sigmoid_grad") == {"test_elementwise_function": 128}
    assert oracle_tests(report, "conv.col2im") == {}  # used inside conv2d_backward only


def test_unit_column_lists_the_files_of_the_marked_tests(report):
    unit = {row.key: row.unit for row in report.rows}
    assert unit["layers.Linear"] == ["test_gradients.py", "test_layers.py"]
    assert unit["resample.smote"] == ["test_resample.py"]
    assert all("test_verification_page.py" not in files for files in unit.values())


def test_compact_numbers():
    assert verification.compact(2.3e-10) == "2.3e-10"
    assert verification.compact(1.04e-9) == "1.0e-9"
    assert verification.compact(0.0) == "0"
