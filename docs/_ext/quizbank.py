"""The self-test questions of the chapters, read from their source without Sphinx.

Repository tooling, not package code. A question is a ``{quiz}`` block in a chapter
(``docs/chapters/NN-slug.md``); ``docs/_ext/quiz.py`` renders it, and this module is what
that extension, the tests (``tests/test_quizbank.py``) and an author share:

- :func:`read_chapter` finds the blocks of one chapter and their options;
- :func:`evaluate` runs every question's ``values`` with ``dlnotes``, in document order, in one
  namespace per chapter, and computes each answer;
- :func:`format_value` writes a computed number as the text shows it.

The syntax (MyST colon fences; ``:values:`` may also be a YAML block with ``|``)::

    ::::{quiz} cnn-quiz-stride
    :type: numeric
    :answer: out
    :tolerance: 0
    :section: cnn-output-size
    :values: out = conv_output_size(224, 7, 2, 3)

    Question text, with computed numbers written {v}`out` (or {v}`p:.3f`).

    - option A (single and multiple choice only: the first bullet list)
    - option B

    :::{explanation}
    One to three sentences.
    :::
    ::::

``type`` is ``single`` (``answer: B``), ``multiple`` (``answer: A, C``: two or more),
``truefalse`` (``answer: true`` or ``false``) or ``numeric`` (``answer`` is a Python expression
over the values, never a literal number; ``tolerance`` is absolute, default 0).

Run ``python docs/_ext/quizbank.py docs/chapters/09-cnn.md`` to check a chapter's questions
and see their computed answers.
"""

from __future__ import annotations

import ast
import math
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = ROOT / "docs" / "chapters"
TYPES = ("single", "multiple", "truefalse", "numeric")
LETTERS = "ABCDEFGH"
MIN_PER_CHAPTER = 12

_BLOCK = re.compile(r"^::::\{quiz\}[ \t]+(?P<id>\S+)[ \t]*\n(?P<body>.*?)^::::[ \t]*$", re.M | re.S)
_OPTION = re.compile(r"^:(?P<key>[a-z]+):[ \t]*(?P<value>.*)$")
_ROLE = re.compile(r"\{v\}`(?P<name>[^`:]+)(?::(?P<spec>[^`]*))?`")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class QuizError(ValueError):
    """A question that cannot be built: the message names the question and what is wrong."""


@dataclass
class Question:
    """One ``{quiz}`` block as written in its chapter."""

    id: str
    chapter: str  # the docname, e.g. "chapters/09-cnn"
    type: str
    answer: str  # as written: a letter list, true/false or an expression
    section: str
    values: str = ""
    tolerance: float = 0.0
    body: str = ""  # the Markdown inside the block
    value_names: list[str] = field(default_factory=list)  # names its {v} roles use

    @property
    def number(self) -> int:
        """The chapter's number, from its file name (``09-cnn`` is 9)."""
        return int(Path(self.chapter).name.split("-", 1)[0])

    def options(self) -> list[str]:
        """The first bullet list of the body: the choices, in order (A, B, …)."""
        found: list[str] = []
        for line in self.body.splitlines():
            if line.startswith("- "):
                found.append(line[2:].strip())
            elif found and line.startswith("  ") and line.strip():
                found[-1] += " " + line.strip()
            elif found and not line.strip():
                continue
            elif found:
                break
        return found


def correct_letters(answer: str) -> list[str]:
    """``"A, C"`` → ``["A", "C"]``."""
    return [part.strip().upper() for part in re.split(r"[,\s]+", answer) if part.strip()]


def check_options(q: Question, options: dict[str, Any]) -> None:
    """Raise :class:`QuizError` when a question's options do not fit its type."""
    where = f"question {q.id!r} ({q.chapter})"
    if not _ID.match(q.id):
        raise QuizError(f"{where}: the id must be lowercase ASCII words joined by hyphens")
    if q.type not in TYPES:
        raise QuizError(f"{where}: type must be one of {', '.join(TYPES)}, not {q.type!r}")
    if not q.section:
        raise QuizError(f"{where}: it needs :section: (the label of the section that teaches it)")
    unknown = set(options) - {"type", "answer", "section", "values", "tolerance"}
    if unknown:
        raise QuizError(f"{where}: unknown option(s) {', '.join(sorted(unknown))}")
    if q.type in ("single", "multiple"):
        n = len(q.options())
        if not 2 <= n <= len(LETTERS):
            raise QuizError(f"{where}: a choice question needs 2 to 8 options, found {n}")
        letters = correct_letters(q.answer)
        if any(c not in LETTERS[:n] for c in letters) or len(set(letters)) != len(letters):
            last = LETTERS[n - 1]
            raise QuizError(f"{where}: answer {q.answer!r} must name options among A–{last}")
        if q.type == "single" and len(letters) != 1:
            raise QuizError(f"{where}: a single-choice answer is one letter, not {q.answer!r}")
        if q.type == "multiple" and len(letters) < 2:
            raise QuizError(f"{where}: a multiple-choice question has two or more right options")
    elif q.type == "truefalse":
        if q.answer.strip().lower() not in ("true", "false"):
            raise QuizError(f"{where}: a true/false answer is 'true' or 'false', not {q.answer!r}")
    else:
        try:
            tree = ast.parse(q.answer, mode="eval")
        except SyntaxError as exc:
            raise QuizError(f"{where}: answer {q.answer!r} is not a Python expression") from exc
        if not any(isinstance(node, ast.Name) for node in ast.walk(tree)):
            raise QuizError(
                f"{where}: a numeric answer is computed from the values (with dlnotes), "
                f"not typed: {q.answer!r}"
            )
        if q.tolerance < 0:
            raise QuizError(f"{where}: tolerance must be >= 0, not {q.tolerance}")


def _options_and_body(block: str) -> tuple[dict[str, Any], str]:
    lines = block.splitlines()
    options: dict[str, Any] = {}
    i = 0
    if lines and lines[0].strip() == "---":  # a YAML block
        end = lines.index("---", 1)
        import yaml  # only when a chapter uses the block form (PyYAML comes with myst-parser)

        options = dict(yaml.safe_load("\n".join(lines[1:end])) or {})
        i = end + 1
    else:
        while i < len(lines) and (m := _OPTION.match(lines[i])):
            options[m["key"]] = m["value"].strip()
            i += 1
    return options, "\n".join(lines[i:]).strip("\n")


def read_chapter(path: Path) -> list[Question]:
    """The questions of one chapter source, in order, their options checked."""
    text = path.read_text(encoding="utf-8")
    chapter = f"chapters/{path.stem}"
    questions = []
    for m in _BLOCK.finditer(text):
        options, body = _options_and_body(m["body"])
        try:
            tolerance = float(options.get("tolerance", 0) or 0)
        except ValueError as exc:
            raise QuizError(f"question {m['id']!r}: tolerance must be a number") from exc
        q = Question(
            id=m["id"],
            chapter=chapter,
            type=str(options.get("type", "")).strip(),
            answer=str(options.get("answer", "")).strip(),
            section=str(options.get("section", "")).strip(),
            values=str(options.get("values", "") or ""),
            tolerance=tolerance,
            body=body,
            value_names=[r["name"].strip() for r in _ROLE.finditer(body)],
        )
        check_options(q, options)
        questions.append(q)
    return questions


def read_all(chapters: Path = CHAPTERS) -> list[Question]:
    """Every chapter's questions, chapter by chapter; ids are unique across the book."""
    questions = [q for path in sorted(chapters.glob("[0-9][0-9]-*.md")) for q in read_chapter(path)]
    seen: set[str] = set()
    for q in questions:
        if q.id in seen:
            raise QuizError(f"question id {q.id!r} is used twice")
        seen.add(q.id)
    return questions


def namespace() -> dict[str, Any]:
    """What a question's ``values`` can use: NumPy as ``np``, ``math``, ``dlnotes`` and its
    public modules by name (``activations``, ``layers``, ``losses``, ``optim``, …), and
    ``conv_output_size``."""
    import dlnotes

    ns: dict[str, Any] = {"np": np, "math": math, "dlnotes": dlnotes}
    for name in dlnotes.__all__:
        ns[name] = getattr(dlnotes, name)
    return ns


def run_values(q: Question, ns: dict[str, Any]) -> None:
    """Run one question's ``values`` in the chapter's namespace ``ns``."""
    if not q.values.strip():
        return
    try:
        exec(compile(q.values, f"<values of {q.id}>", "exec"), ns)
    except Exception as exc:
        raise QuizError(f"question {q.id!r}: its values fail: {exc!r}") from exc


def numeric_answer(q: Question, ns: dict[str, Any]) -> float:
    """The computed answer of a numeric question, as a float."""
    try:
        value = eval(compile(q.answer, f"<answer of {q.id}>", "eval"), ns)
        return float(np.asarray(value, dtype=float).item())
    except Exception as exc:
        raise QuizError(f"question {q.id!r}: its answer {q.answer!r} fails: {exc!r}") from exc


def lookup(name: str, ns: dict[str, Any], qid: str) -> Any:
    """The value a ``{v}`` role names (a name or a short expression over the values)."""
    try:
        return eval(compile(name, f"<{{v}} in {qid}>", "eval"), ns)
    except Exception as exc:
        raise QuizError(
            f"question {qid!r}: {{v}}`{name}` cannot be computed (a slice needs a named value: "
            f"the colon starts the format): {exc!r}"
        ) from exc


def format_value(value: Any, spec: str | None = None) -> str:
    """A computed value as the text shows it.

    Integers (and floats equal to one) print as integers; other floats with ``spec``
    (default ``.4g``); arrays element by element, in parentheses, separated by commas; a
    minus sign is the typographic one.
    """
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return "(" + ", ".join(format_value(v, spec) for v in value.ravel()) + ")"
    if isinstance(value, np.ndarray | np.generic):  # a NumPy scalar or 0-d array
        value = value.item()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float) and spec:
        text = format(value, spec)
    elif isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        text = str(int(value))
    elif isinstance(value, float):
        text = format(value, ".4g")
    else:
        text = str(value)
    return text.replace("-", "\u2212") if re.fullmatch(r"-[\d.e+\-]+", text) else text


def evaluate(questions: Iterable[Question]) -> dict[str, dict[str, Any]]:
    """``{id: {"answer": …, "values": {role text: shown text}}}`` for every question.

    Runs each chapter's values in order in one fresh namespace per chapter.
    """
    results: dict[str, dict[str, Any]] = {}
    spaces: dict[str, dict[str, Any]] = {}
    for q in questions:
        ns = spaces.setdefault(q.chapter, namespace())
        run_values(q, ns)
        shown = {}
        for m in _ROLE.finditer(q.body):
            shown[m[0]] = format_value(lookup(m["name"].strip(), ns, q.id), m["spec"])
        if q.type == "numeric":
            answer: Any = numeric_answer(q, ns)
        elif q.type == "truefalse":
            answer = q.answer.strip().lower() == "true"
        else:
            answer = correct_letters(q.answer)
        results[q.id] = {"answer": answer, "values": shown}
    return results


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(CHAPTERS.glob("[0-9][0-9]-*.md"))
    total = 0
    for path in paths:
        questions = read_chapter(path)
        results = evaluate(questions)
        counts = {t: sum(q.type == t for q in questions) for t in TYPES}
        print(f"{path.name}: {len(questions)} questions {counts}")
        for q in questions:
            r = results[q.id]
            answer = r["answer"]
            if q.type == "numeric":
                answer = f"{format_value(answer)} (± {q.tolerance:g})"
            print(f"  {q.id} [{q.type}] → {answer}  §{q.section}")
            for role, text in r["values"].items():
                print(f"      {role} = {text}")
        total += len(questions)
    print(f"{total} questions")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
