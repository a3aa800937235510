"""The verification page's table: the evidence behind every public component of dlnotes.

Repository tooling, not package code. The page ``docs/appendix/verification.md`` shows the
table with the directive ``{verification-report}``; ``tests/test_verification_page.py``
checks it. For every public component (the names in each module's ``__all__``) it gathers

- its gradient checks: the cases of ``tests/gradcheck_cases.py``, run at every build (the
  table ``tests/test_gradients.py`` runs);
- for a component without a gradient of its own, its line of :data:`EVIDENCE`;
- the tests that check it: every test marked ``@pytest.mark.covers("module.name")``, as
  pytest collects them from ``tests/`` and ``tests/oracle/`` (in a subprocess: nothing runs).

:meth:`Report.problems` lists what the page must not publish, each with what to add where;
the directive logs each one as a warning, so that a build with ``-W`` fails.
"""

from __future__ import annotations

import html
import inspect
import json
import subprocess
import sys
import tempfile
import types
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import dlnotes

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
sys.path.insert(0, str(TESTS))
import gradcheck_cases  # noqa: E402  (tests/: the one table of gradient checks)

THRESHOLD = gradcheck_cases.THRESHOLD
# The order of the package's own overview (dlnotes/__init__.py); a module missing here
# still appears, at the end.
MODULE_ORDER = (
    "activations", "layers", "conv", "recurrent", "init", "losses", "optim", "schedules",
    "data", "train", "regularization", "augment", "resample", "metrics", "perceptron",
    "diagnostics", "gradcheck",
)  # fmt: skip

# --------------------------------------------------------------------------------------------
# Inventory
# --------------------------------------------------------------------------------------------


def modules() -> list[str]:
    """The public submodules of dlnotes, in :data:`MODULE_ORDER`, then any others."""
    names = [n for n in dlnotes.__all__ if isinstance(getattr(dlnotes, n), types.ModuleType)]
    return sorted(names, key=lambda n: (MODULE_ORDER.index(n) if n in MODULE_ORDER else 99, n))


def inventory() -> dict[str, object]:
    """``{"module.name": object}`` for every name in every public module's ``__all__``.

    An object exported by two modules is listed once, under the first.
    """
    found: dict[str, object] = {}
    seen: set[int] = set()
    for mod in modules():
        module = getattr(dlnotes, mod)
        for name in sorted(module.__all__, key=str.lower):
            obj = getattr(module, name)
            if id(obj) not in seen:
                seen.add(id(obj))
                found[f"{mod}.{name}"] = obj
    return found


def differentiable(key: str, inventory: dict[str, object]) -> bool:
    """A derivative or backward function (``*_grad``, ``*_backward``), or a class with a
    backward pass that is not the base class of another component (``Layer``, ``Loss``)."""
    obj = inventory[key]
    if inspect.isfunction(obj):
        return key.endswith(("_grad", "_backward"))
    if inspect.isclass(obj) and hasattr(obj, "backward"):
        others = [o for o in inventory.values() if inspect.isclass(o) and o is not obj]
        return not any(issubclass(o, obj) for o in others)
    return False


# --------------------------------------------------------------------------------------------
# Evidence for the components without a gradient of their own
# --------------------------------------------------------------------------------------------

_FORWARD = "gradient checked as {}"
EVIDENCE: dict[str, str] = {
    **{
        f"activations.{n}": f"values vs closed form; {_FORWARD.format(n + '_grad')}"
        for n in ("sigmoid", "tanh", "softsign", "relu", "leaky_relu", "softplus")
    },
    "activations.softmax": "values vs closed form (rows sum to 1); its gradient is the "
    "CrossEntropyLoss check",
    "activations.log_softmax": "values vs closed form; its gradient is the CrossEntropyLoss check",
    "layers.Parameter": "container (value, grad, name); no computation",
    "layers.Layer": "base class: the forward/backward protocol of every layer above",
    "layers.merge_linear": "no gradient: the merged layer's output equals the chain's",
    "layers.mlp": "builder: the same layers and random draws as the Sequential written out",
    "conv.conv2d": f"values vs conv2d_reference; {_FORWARD.format('conv2d_backward')}",
    "conv.conv2d_reference": "loops, one output at a time: hand-computed values",
    "conv.im2col": f"values by hand; {_FORWARD.format('col2im (its adjoint)')}",
    "conv.max_pool2d": f"values vs pool2d_reference; {_FORWARD.format('max_pool2d_backward')}",
    "conv.avg_pool2d": f"values vs pool2d_reference; {_FORWARD.format('avg_pool2d_backward')}",
    "conv.pool2d_reference": "loops, one window at a time: hand-computed values",
    "conv.conv_output_size": "no gradient: formula vs hand cases, errors when the kernel "
    "does not fit",
    "recurrent.rnn_forward": f"values vs the RNN layer; {_FORWARD.format('rnn_backward')}",
    "recurrent.lstm_forward": f"values vs the LSTM layer; {_FORWARD.format('lstm_backward')}",
    "losses.Loss": "base class: forward(pred, target) and backward() of the losses above",
    "regularization.l1_penalty": f"values vs closed form; {_FORWARD.format('add_l1_grad')}",
    "regularization.l2_penalty": f"values vs closed form; {_FORWARD.format('add_l2_grad')}",
    "regularization.EarlyStopping": "no gradient: stopping epoch and restored weights",
    "optim.Optimizer": "base class: parameter handling, zero_grad, weight decay",
    "optim.clip_grad_norm": "no gradient: total norm and rescaling vs closed form",
    "optim.trajectory": "no gradient: the points visited vs the optimiser's own steps",
    "optim.tune_learning_rate": "no gradient: the chosen rate and path vs trajectory() per rate",
    "schedules.LRSchedule": "base class: the epoch count of the schedules above",
    "perceptron.Perceptron": "no gradient (perceptron rule): steps by hand, converges on "
    "separable data, never on XOR",
    "perceptron.augment": "no gradient: values by hand",
    "perceptron.sign_update": "no gradient (perceptron rule, ±1 labels): steps by hand, the "
    "boundary case, the same weights as Perceptron.fit away from the boundary",
    "train.Callback": "base class of the training callbacks",
    "train.History": "no gradient: recorded lengths and values",
    "train.TrainingDiverged": "no gradient: raised before the diverging update (digits at "
    "lr 1e4, a NaN gradient, an epoch's measurement); message, history and parameters",
    "train.accuracy": "no gradient: values by hand",
    "train.evaluate": "no gradient: loss and accuracy in evaluation mode",
    "train.fit": "no gradient: one BGD epoch = one gradient step; learns moons and digits",
    "gradcheck.numerical_gradient": "the method itself: exact on quadratics, second-order "
    "truncation error",
    "gradcheck.relative_error": "the method itself: hand values, symmetric, scale-invariant",
    "gradcheck.check_layer": "the method itself: flags planted errors in a layer",
    "gradcheck.check_loss": "the method itself: flags a planted error in a loss",
}
# One line for several components; each is named, so that a new component gets no line by
# default and the page asks for one.
_SHARED = {
    "no gradient: updates vs hand-computed steps": (
        "optim.SGD", "optim.Momentum", "optim.Adagrad", "optim.RMSprop", "optim.Adadelta",
        "optim.Adam",
    ),
    "no gradient: learning rate per epoch vs closed form": (
        "schedules.StepLR", "schedules.ExponentialLR", "schedules.CosineAnnealingLR",
    ),
    "no gradient: values by hand": ("init.fans", "init.gain"),
    "no gradient: bounds and standard deviations vs closed form, reproducible": (
        "init.xavier_uniform_", "init.xavier_normal_", "init.kaiming_uniform_",
        "init.kaiming_normal_", "init.normal_", "init.zeros_", "init.default_uniform",
    ),
    "no gradient: shapes, geometry, reproducibility with a fixed seed": (
        "data.make_xor", "data.make_moons", "data.make_circles", "data.make_spirals",
        "data.make_linearly_separable", "data.minibatches", "data.train_test_split",
    ),
    "no gradient: values by hand, statistics": (
        "data.Standardizer", "data.one_hot", "augment.translate", "augment.rotate",
        "augment.shift_images", "augment.rotate_images", "augment.add_noise",
        "augment.augment_images",
    ),
    "no gradient: shapes, labels and value range of the bundled digits": (
        "data.load_digits", "data.digits_split",
    ),
    "no gradient: class counts by hand and vs imbalanced-learn": (
        "resample.random_undersample", "resample.random_oversample", "resample.smote",
    ),
    "no gradient: the k closest other points, vs distances computed directly": (
        "resample.nearest_neighbours",
    ),
    "no gradient: values by hand and vs scikit-learn": (
        "metrics.confusion_matrix", "metrics.precision", "metrics.recall", "metrics.f1_score",
        "metrics.balanced_accuracy",
    ),
    "no gradient: measurements on small networks": (
        "diagnostics.dead_units", "diagnostics.pre_activations",
        "diagnostics.layer_gradient_norms",
    ),
}  # fmt: skip
for _text, _keys in _SHARED.items():
    EVIDENCE.update(dict.fromkeys(_keys, _text))

# --------------------------------------------------------------------------------------------
# Gradient checks and the tests' covers marks
# --------------------------------------------------------------------------------------------


def run_gradient_checks() -> dict[str, list[float]]:
    """Run every case of the table: ``{component: [relative error of each comparison]}``."""
    errors: dict[str, list[float]] = {}
    for case in gradcheck_cases.CASES:
        errors.setdefault(case.component, []).extend(float(e) for e in case.run().values())
    return errors


@dataclass(frozen=True)
class TestRef:
    """A test function: its file, its name and how many cases pytest collects of it."""

    file: str
    name: str
    cases: int
    oracle: bool

    def label(self) -> str:
        return self.name if self.cases == 1 else f"{self.name} ({self.cases})"


# Run in a fresh interpreter: collect (never run) the tests and write, for each test, its
# file, its function's name and the arguments of its covers marks.
_COLLECT = """
import json, sys
import pytest

class Marks:
    def pytest_collection_finish(self, session):
        self.found = [
            [str(item.path), getattr(item, "originalname", item.name),
             [c for mark in item.iter_markers("covers") for c in mark.args]]
            for item in session.items
        ]

marks = Marks()
code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", *sys.argv[2:]],
                   plugins=[marks])
if code == 0:
    with open(sys.argv[1], "w") as out:
        json.dump(marks.found, out)
sys.exit(code)
"""


def marked_tests() -> list[tuple[TestRef, list[str]]]:
    """Every test of tests/ and tests/oracle/ with the components its covers marks name."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "marks.json"
        done = subprocess.run(
            [sys.executable, "-c", _COLLECT, str(out), "tests", "tests/oracle"],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"pytest could not collect the tests:\n{done.stdout[-3000:]}")
        found = json.loads(out.read_text())
    cases = Counter((path, name) for path, name, _ in found)
    covered: dict[tuple[str, str], list[str]] = {}  # a function's cases may differ in marks
    for path, name, covers in found:
        marks = covered.setdefault((path, name), [])
        marks += [c for c in covers if c not in marks]
    return [
        (TestRef(Path(path).name, name, cases[path, name], Path(path).parent.name == "oracle"), c)
        for (path, name), c in covered.items()
    ]


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------


def compact(value: float) -> str:
    """``2.3e-10`` rather than ``2.3e-10`` with a padded exponent such as ``1.0e-09``."""
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


@dataclass
class Row:
    """One component and its evidence."""

    key: str
    errors: list[float] = field(default_factory=list)
    evidence: str = ""
    oracle: list[TestRef] = field(default_factory=list)
    unit: list[str] = field(default_factory=list)

    @property
    def module(self) -> str:
        return self.key.split(".")[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]

    @property
    def passed(self) -> bool:
        return bool(self.errors) and max(self.errors) < THRESHOLD

    def result(self) -> str:
        """The error column: ``2.3e-10 ✓``, or the evidence line when there is no gradient."""
        if not self.errors:
            return self.evidence or "NO EVIDENCE RECORDED"
        return f"{compact(max(self.errors))} {'✓' if self.passed else '✗ FAIL'}"

    def oracle_text(self) -> str:
        return ", ".join(t.label() for t in self.oracle) or "none"

    def unit_text(self) -> str:
        return ", ".join(self.unit) or "none"


_STYLE = """
.dlnotes-verification .summary { margin-bottom: 0.5rem; }
.dlnotes-verification .wrap { overflow-x: auto; }
.dlnotes-verification table { border-collapse: collapse; font-size: 0.8rem; width: 100%; }
.dlnotes-verification th, .dlnotes-verification td {
  border-bottom: 1px solid var(--pst-color-border, #ccc); padding: 0.2rem 0.35rem;
  text-align: left; vertical-align: top; }
.dlnotes-verification td.num { white-space: nowrap; text-align: right; }
.dlnotes-verification td.evidence { font-style: italic; color: var(--pst-color-text-muted, #555);
  min-width: 10rem; }
.dlnotes-verification tr.module th { background: var(--pst-color-surface, #f3f4f5);
  font-family: var(--pst-font-family-monospace, monospace); }
.dlnotes-verification .none { color: var(--pst-color-warning, #b35900); }
.dlnotes-verification .fail { color: var(--pst-color-danger, #c00); font-weight: bold; }
@media (max-width: 700px) {
  .dlnotes-verification table, .dlnotes-verification tbody, .dlnotes-verification tr,
  .dlnotes-verification td, .dlnotes-verification th { display: block; width: auto; }
  .dlnotes-verification thead { display: none; }
  .dlnotes-verification tr { border-bottom: 1px solid var(--pst-color-border, #ccc);
    padding: 0.3rem 0; }
  .dlnotes-verification td { border: none; padding: 0.05rem 0.35rem; text-align: left; }
  .dlnotes-verification td.num { text-align: left; }
  .dlnotes-verification td[data-label]::before { content: attr(data-label) ": ";
    font-style: normal; font-weight: 600; color: var(--pst-color-text-base, #222); }
}
"""
HEADERS = ("component", "max rel. error (< 1e-7)", "checks", "PyTorch oracle tests", "unit tests")


def _cell(cls: str, label: str, text: str, colspan: int = 1) -> str:
    """A table cell; `label` names the column on a phone, where each row becomes a card.

    Long test names may break after an underscore.
    """
    body = html.escape(text).replace("_", "_<wbr>")
    attrs = f' class="{cls}"' + (f' data-label="{html.escape(label)}"' if label else "")
    attrs += f' colspan="{colspan}"' if colspan > 1 else ""
    return f"<td{attrs}>{body}</td>"


@dataclass
class Report:
    """The verification table: :meth:`to_html` for the page, ``repr`` as plain text."""

    rows: list[Row]
    strays: list[str] = field(default_factory=list)  # names that are no public component

    @property
    def checks(self) -> int:
        return sum(len(r.errors) for r in self.rows)

    @property
    def checked(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def uncovered(self) -> list[Row]:
        """The components that no oracle test is marked as checking."""
        return [r for r in self.rows if not r.oracle]

    def summary(self) -> str:
        failed = [r.key for r in self.checked if not r.passed]
        verdict = "all below 1e-7" if not failed else f"FAILED: {', '.join(failed)}"
        largest = max((e for r in self.rows for e in r.errors), default=0.0)
        return (
            f"dlnotes {dlnotes.__version__}, NumPy {np.__version__}: {len(self.rows)} components; "
            f"{len(self.checked)} gradient-checked in {self.checks} checks, largest relative "
            f"error {compact(largest)} ({verdict}); {len(self.rows) - len(self.uncovered)}"
            f" checked by PyTorch oracle tests, {len(self.uncovered)} by none."
        )

    def problems(self) -> list[str]:
        """What the page must not publish, each with what to add where."""
        components = inventory()
        out = list(self.strays)
        for row in self.rows:
            key = row.key
            if not row.errors and differentiable(key, components):
                out.append(
                    f"{key} has a backward pass or is a derivative, but no gradient check: add "
                    f'cases for it to tests/gradcheck_cases.py (@gradient_check("{key}", ...))'
                )
            elif not row.errors and not row.evidence:
                out.append(
                    f"{key} has neither a gradient check nor a line of evidence: add a line "
                    f'"{key}": "<how its tests check it>" to EVIDENCE in '
                    "docs/_ext/verification.py (or, if it has a gradient, cases to "
                    "tests/gradcheck_cases.py)"
                )
            if row.errors and row.evidence:
                out.append(
                    f"{key} has a gradient check and a line of evidence: remove its line "
                    "from EVIDENCE in docs/_ext/verification.py"
                )
            if row.errors and not row.passed:
                out.append(
                    f"{key}: a gradient check gives a relative error of "
                    f"{compact(max(row.errors))}, not below 1e-7 (see "
                    f'pytest tests/test_gradients.py -k "{key}")'
                )
            if not row.unit:
                module = key.split(".")[0]
                out.append(
                    f'{key}: no unit test is marked as checking it: add "{key}" to '
                    f"pytestmark = pytest.mark.covers(...) at the top of the tests/test_*.py "
                    f"file that tests it (tests/test_{module}.py?), or mark its tests "
                    f'@pytest.mark.covers("{key}")'
                )
        return out

    def to_html(self) -> str:
        e = html.escape
        out = [
            f'<div class="dlnotes-verification"><style>{_STYLE}</style>',
            f'<p class="summary">{e(self.summary())}</p><div class="wrap"><table>',
            "<thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in HEADERS) + "</tr></thead><tbody>",
        ]
        module = None
        for row in self.rows:
            if row.module != module:
                module = row.module
                out.append(f'<tr class="module"><th colspan="5">dlnotes.{e(module)}</th></tr>')
            cells = [f"<td><code>{e(row.name)}</code></td>"]
            if row.errors:
                cls = "num" if row.passed else "num fail"
                cells.append(_cell(cls, HEADERS[1], row.result()))
                cells.append(_cell("num", HEADERS[2], str(len(row.errors))))
            else:
                cls = "evidence" if row.evidence else "evidence fail"
                cells.append(_cell(cls, "", row.result(), colspan=2))
            for header, text in zip(HEADERS[3:], (row.oracle_text(), row.unit_text()), strict=True):
                cells.append(_cell("tests none" if text == "none" else "tests", header, text))
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</tbody></table></div></div>")
        return "\n".join(out)

    def __repr__(self) -> str:
        lines = [self.summary(), "", " | ".join(HEADERS)]
        for row in self.rows:
            checks = str(len(row.errors)) if row.errors else "-"
            lines.append(
                f"{row.key} | {row.result()} | {checks} | {row.oracle_text()} | {row.unit_text()}"
            )
        return "\n".join(lines)


def report(
    errors: dict[str, list[float]] | None = None,
    tests: list[tuple[TestRef, list[str]]] | None = None,
) -> Report:
    """The page's table: the gradient checks run and the tests' covers marks collected.

    `errors` and `tests` default to :func:`run_gradient_checks` and :func:`marked_tests`.
    """
    components = inventory()
    errors = run_gradient_checks() if errors is None else errors
    tests = marked_tests() if tests is None else tests
    oracle: dict[str, list[TestRef]] = {key: [] for key in components}
    unit: dict[str, list[str]] = {key: [] for key in components}
    strays = [
        f"tests/gradcheck_cases.py checks {key!r}, which is no public component of dlnotes"
        for key in errors
        if key not in components
    ]
    strays += [
        f"EVIDENCE in docs/_ext/verification.py names {key!r}, which is no public component "
        "of dlnotes: remove its line"
        for key in EVIDENCE
        if key not in components
    ]
    for test, covers in tests:
        for key in covers:
            if key not in components:
                strays.append(
                    f"{test.file}::{test.name} is marked covers({key!r}), which is no public "
                    "component of dlnotes (write 'module.name' as in the module's __all__)"
                )
            elif test.oracle:
                oracle[key].append(test)
            elif test.file not in unit[key]:
                unit[key].append(test.file)
    rows = [
        Row(key, errors.get(key, []), EVIDENCE.get(key, ""), oracle[key], sorted(unit[key]))
        for key in components
    ]
    return Report(rows, sorted(set(strays)))


# --------------------------------------------------------------------------------------------
# The directive
# --------------------------------------------------------------------------------------------


def setup(app):
    from docutils import nodes
    from sphinx.util import logging
    from sphinx.util.docutils import SphinxDirective

    logger = logging.getLogger(__name__)

    class VerificationReport(SphinxDirective):
        """The table, measured now; a warning for every problem (an error under ``-W``)."""

        def run(self) -> list[nodes.Node]:
            table = report()
            for problem in table.problems():
                logger.warning(
                    f"verification page: {problem}", location=self.get_location(), type="dlnotes"
                )
            return [nodes.raw("", table.to_html(), format="html")]

    app.add_directive("verification-report", VerificationReport)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
