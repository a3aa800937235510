"""The chapters' self-test questions (docs/_ext/quizbank.py), checked without a Sphinx build.

Every chapter has enough questions of every kind, every question links to a section that
exists, every answer is computed with dlnotes (a typed number is refused), and the English
catalogs keep every computed value of the Chinese source. ``tests/site/test_quiz_pages.py``
checks that the built pages show the same answers.
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

import quizbank  # noqa: E402

DOCS = ROOT / "docs"
CATALOGS = DOCS / "locale" / "en" / "LC_MESSAGES"
LABEL = re.compile(r"^\(([A-Za-z0-9_-]+)\)=\s*$", re.M)
MIN_TOTAL = 140


@pytest.fixture(scope="module")
def bank() -> list[quizbank.Question]:
    return quizbank.read_all()


@pytest.fixture(scope="module")
def results(bank) -> dict:
    return quizbank.evaluate(bank)


def test_every_chapter_has_its_questions(bank):
    per_chapter = Counter(q.chapter for q in bank)
    chapters = sorted(f"chapters/{p.stem}" for p in (DOCS / "chapters").glob("[0-9][0-9]-*.md"))
    short = {c: per_chapter[c] for c in chapters if per_chapter[c] < quizbank.MIN_PER_CHAPTER}
    assert not short, f"chapters with fewer than {quizbank.MIN_PER_CHAPTER} questions: {short}"
    assert len(bank) >= MIN_TOTAL


def test_every_kind_of_question_is_asked(bank):
    assert set(Counter(q.type for q in bank)) == set(quizbank.TYPES)
    for chapter in sorted({q.chapter for q in bank}):
        kinds = {q.type for q in bank if q.chapter == chapter}
        assert len(kinds) >= 3, f"{chapter} asks only {sorted(kinds)}"


def test_every_question_links_to_a_section_that_exists(bank):
    labels = {m for path in DOCS.rglob("*.md") for m in LABEL.findall(path.read_text("utf-8"))}
    missing = [(q.id, q.section) for q in bank if q.section not in labels]
    assert not missing, f"questions linking to a missing label: {missing}"


def test_every_answer_is_computed(bank, results):
    for q in bank:
        answer = results[q.id]["answer"]
        if q.type == "numeric":
            assert math.isfinite(answer), q.id
        elif q.type == "truefalse":
            assert isinstance(answer, bool)
        else:
            assert answer == sorted(answer) and len(answer) >= (q.type == "multiple") + 1, q.id


def test_computed_options_are_distinct(bank, results):
    """A choice question whose options are computed values must not show two equal ones."""
    for q in bank:
        shown = results[q.id]["values"]
        options = [o for o in q.options() if re.fullmatch(r"\{v\}`[^`]+`", o.strip())]
        texts = [shown[o.strip()] for o in options]
        assert len(texts) == len(set(texts)), f"{q.id}: two options show the same value {texts}"


def test_a_chapter_computes_its_values_in_order():
    q1 = _question("a", values="x = conv_output_size(224, 7, 2, 3)", answer="x")
    q2 = _question("b", values="y = x // 2", answer="y")
    got = quizbank.evaluate([q1, q2])
    assert got["a"]["answer"] == 112.0
    assert got["b"]["answer"] == 56.0


def test_values_are_written_as_the_text_shows_them():
    softmax = np.asarray(quizbank.namespace()["activations"].softmax(np.array([1.0, 2.0, 3.0])))
    assert quizbank.format_value(softmax, ".3f") == "(0.090, 0.245, 0.665)"
    assert quizbank.format_value(112.0) == "112"
    assert quizbank.format_value(np.int64(7)) == "7"
    assert quizbank.format_value(np.asarray(0.25), ".3f") == "0.250"  # a 0-d array
    assert quizbank.format_value(-0.5) == "\u22120.5"
    assert quizbank.format_value(1 / 3) == "0.3333"


# --------------------------------------------------------------------------------------------
# What the bank refuses
# --------------------------------------------------------------------------------------------


def _question(qid: str = "x-quiz", **fields) -> quizbank.Question:
    base = {"type": "numeric", "answer": "n", "section": "cnn-output-size", "values": "n = 1"}
    base.update(fields)
    return quizbank.Question(id=qid, chapter="chapters/09-cnn", **base)


def _options(q: quizbank.Question) -> dict:
    return {"type": q.type, "answer": q.answer, "section": q.section}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"answer": "112"}, "computed from the values"),
        ({"answer": "n +"}, "not a Python expression"),
        ({"type": "essay"}, "type must be one of"),
        ({"section": ""}, "needs :section:"),
        ({"type": "truefalse", "answer": "yes"}, "'true' or 'false'"),
        ({"type": "single", "answer": "A, B", "body": "- a\n- b\n- c"}, "one letter"),
        ({"type": "multiple", "answer": "A", "body": "- a\n- b\n- c"}, "two or more"),
        ({"type": "single", "answer": "D", "body": "- a\n- b\n- c"}, "among A–C"),
        ({"type": "single", "answer": "A", "body": "only a stem"}, "2 to 8 options"),
        ({"tolerance": -1.0}, "tolerance must be >= 0"),
    ],
)
def test_a_malformed_question_is_refused(fields, message):
    q = _question(**fields)
    with pytest.raises(quizbank.QuizError, match=message):
        quizbank.check_options(q, _options(q))


def test_an_id_is_a_lowercase_ascii_slug():
    q = _question("Bad_ID")
    with pytest.raises(quizbank.QuizError, match="lowercase ASCII"):
        quizbank.check_options(q, _options(q))


def test_failing_values_name_the_question():
    with pytest.raises(quizbank.QuizError, match="'x-quiz': its values fail"):
        quizbank.evaluate([_question(values="n = conv_output_size(3, 7)")])


def test_a_value_the_question_does_not_compute_is_refused():
    q = _question(body="the answer is {v}`m`")
    with pytest.raises(quizbank.QuizError, match="cannot be computed"):
        quizbank.evaluate([q])


def test_ids_are_unique_across_the_book(tmp_path):
    block = "::::{quiz} same-id\n:type: truefalse\n:answer: true\n:section: s\n\nstem\n::::\n"
    (tmp_path / "01-a.md").write_text(block, "utf-8")
    (tmp_path / "02-b.md").write_text(block, "utf-8")
    with pytest.raises(quizbank.QuizError, match="used twice"):
        quizbank.read_all(tmp_path)


# --------------------------------------------------------------------------------------------
# The translation
# --------------------------------------------------------------------------------------------

ROLE = re.compile(r"\{v\}`[^`]+`")


def test_the_translation_keeps_every_computed_value():
    """A msgstr must carry the {v} roles of its msgid, or the English shows other numbers."""
    problems = []
    for path in sorted((CATALOGS / "chapters").glob("*.po")):
        for entry in polib.pofile(str(path)):
            if entry.msgstr and Counter(ROLE.findall(entry.msgid)) != Counter(
                ROLE.findall(entry.msgstr)
            ):
                problems.append(f"{path.name}: {entry.msgid[:60]!r}")
    assert not problems, "\n".join(problems)
