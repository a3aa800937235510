"""The built self-test, answers and mock-exam pages show what dlnotes computes today.

docs/_ext/quiz.py writes every question's answer into its page; these tests recompute the whole
bank from the chapter sources (tests/test_quizbank.py checks the bank itself) and fail when a
page shows another answer, in either language.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from html.parser import HTMLParser

import pytest
from artifacts import LANGUAGES, ROOT

sys.path.insert(0, str(ROOT / "docs" / "_ext"))

import quizbank

EXAM_SIZE = 50


class _Quizzes(HTMLParser):
    """The data-* attributes of every <div class="quiz">, and the mock exam's quota."""

    def __init__(self) -> None:
        super().__init__()
        self.quizzes: list[dict[str, str]] = []
        self.quota: dict[str, int] | None = None
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        classes = (a.get("class") or "").split()
        if tag == "div" and "quiz" in classes:
            self.quizzes.append(a)
        if tag == "div" and "mock-exam" in classes:
            self.quota = json.loads(a["data-quota"])


def _read(html_root, lang: str, page: str) -> _Quizzes:
    parser = _Quizzes()
    parser.feed((html_root / lang / page).read_text("utf-8"))
    return parser


@pytest.fixture(scope="module")
def bank() -> list[quizbank.Question]:
    return quizbank.read_all()


@pytest.fixture(scope="module")
def expected(bank) -> dict[str, object]:
    """data-answer as the pages must write it, recomputed here with dlnotes."""
    out: dict[str, object] = {}
    results = quizbank.evaluate(bank)
    for q in bank:
        answer = results[q.id]["answer"]
        if q.type == "numeric":
            out[q.id] = answer
        elif q.type == "truefalse":
            out[q.id] = "true" if answer else "false"
        else:
            out[q.id] = ",".join(answer)
    return out


def _check(found: list[dict[str, str]], expected: dict, where: str) -> None:
    for quiz in found:
        qid = quiz["id"].removeprefix("quiz-")
        want = expected[qid]
        got = quiz["data-answer"]
        if isinstance(want, float):
            assert float(got) == pytest.approx(want, rel=1e-12, abs=1e-12), f"{where} {qid}"
        else:
            assert got == want, f"{where}: {qid} shows {got!r}, dlnotes gives {want!r}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_chapter_shows_its_questions_with_the_computed_answers(lang, html_root, bank,
                                                                     expected):  # fmt: skip
    chapters = sorted({q.chapter for q in bank})
    for chapter in chapters:
        page = _read(html_root, lang, f"{chapter}.html")
        ids = [quiz["id"].removeprefix("quiz-") for quiz in page.quizzes]
        assert ids == [q.id for q in bank if q.chapter == chapter], f"{lang} {chapter}"
        _check(page.quizzes, expected, f"{lang} {chapter}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_answers_page_answers_every_question(lang, html_root, bank):
    page = _read(html_root, lang, "appendix/answers.html")
    missing = [q.id for q in bank if f"answer-{q.id}" not in page.ids]
    assert not missing, f"{lang}: answers missing for {missing}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_mock_exam_holds_the_bank_and_draws_fifty(lang, html_root, bank, expected):
    page = _read(html_root, lang, "mock-exam.html")
    assert sorted(quiz["id"].removeprefix("quiz-") for quiz in page.quizzes) == sorted(expected)
    _check(page.quizzes, expected, f"{lang} mock exam")
    assert page.quota is not None and sum(page.quota.values()) == EXAM_SIZE
    sizes = Counter(str(q.number) for q in bank)
    assert all(0 < page.quota[c] <= sizes[c] for c in page.quota), page.quota
    assert set(page.quota) == set(sizes), "every chapter is in the exam"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_computed_value_is_left_unwritten(lang, html_root, bank):
    """A {v} role the build could not resolve would show as its source text."""
    for chapter in sorted({q.chapter for q in bank}):
        text = (html_root / lang / f"{chapter}.html").read_text("utf-8")
        assert not re.search(r"\{v\}`", text), f"{lang} {chapter}"
