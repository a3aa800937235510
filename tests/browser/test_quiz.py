"""The self-test and the mock exam as a reader uses them: answer, see right or wrong, hand in.

In every chapter of both languages one question is answered right with the mouse and another
wrong with the keyboard alone; the mock exam is drawn, answered, scored and drawn again.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright.sync_api")

# The reader's input for a question, right or wrong, from what the page says is right.
ANSWER = """([quiz, right]) => {
  const type = quiz.dataset.type, answer = quiz.dataset.answer;
  if (type === "numeric") {
    const tolerance = Number(quiz.dataset.tolerance || 0);
    return String(right ? Number(answer) : Number(answer) + 10 * tolerance + 1);
  }
  const values = Array.from(quiz.querySelectorAll(".quiz-choices input")).map((i) => i.value);
  if (right) return answer;
  return values.find((v) => !answer.split(",").includes(v) && v !== answer);
}"""


def _answer(page, quiz, right: bool, keyboard: bool, check: bool = True) -> None:
    """Fill in one question like a reader: click, or Tab/Space/Enter only; then press its
    button (the mock exam has none: one button hands in the whole exam)."""
    given = page.evaluate(ANSWER, [quiz.element_handle(), right])
    if quiz.get_attribute("data-type") == "numeric":
        field = quiz.locator(".quiz-input")
        if keyboard:
            field.focus()
            page.keyboard.type(given)
            page.keyboard.press("Enter")
        else:
            field.fill(given)
            if check:
                quiz.locator(".quiz-check").click()
        return
    for value in given.split(","):
        choice = quiz.locator(f".quiz-choices input[value='{value}']")
        if keyboard:
            choice.focus()
            page.keyboard.press("Space")
        else:
            choice.click()
    if not check:
        return
    if keyboard:
        quiz.locator(".quiz-check").focus()
        page.keyboard.press("Enter")
    else:
        quiz.locator(".quiz-check").click()


def test_every_chapter_self_test_answers(chapter_path, desktop, visit):
    tab = visit(desktop, chapter_path, math=False)
    page = tab.page
    quizzes = page.locator(".quiz")
    assert quizzes.count() >= 12, f"{chapter_path}: {quizzes.count()} questions"
    for index, right, keyboard in ((0, True, False), (1, False, True)):
        quiz = quizzes.nth(index)
        quiz.scroll_into_view_if_needed()
        explanation = quiz.locator(".quiz-explanation")
        assert explanation.is_hidden(), f"{chapter_path}: the explanation shows before answering"
        _answer(page, quiz, right, keyboard)
        verdict = "quiz-right" if right else "quiz-wrong"
        assert verdict in (quiz.get_attribute("class") or ""), (
            f"{chapter_path} question {index + 1}: expected {verdict}, "
            f"feedback {quiz.locator('.quiz-feedback').inner_text()!r}"
        )
        assert explanation.is_visible()
        assert explanation.locator(".quiz-review a").count() == 1
        if not right:  # the feedback names the right answer
            feedback = quiz.locator(".quiz-feedback").inner_text()
            assert quiz.get_attribute("data-answer-text") in feedback
    assert not tab.problems(), "\n".join(tab.problems())


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_mock_exam_scores_and_draws_again(lang, desktop, visit):
    tab = visit(desktop, f"{lang}/mock-exam.html", math=False)
    page = tab.page
    drawn = page.locator(".mock-bank > .quiz:not([hidden])")
    assert drawn.count() == 50
    first = [drawn.nth(i).get_attribute("id") for i in range(50)]
    right = 0
    for i in range(0, 50, 2):  # every other question right, the rest left unanswered
        _answer(page, drawn.nth(i), right=True, keyboard=False, check=False)
        right += 1
    page.locator(".mock-submit").click()
    score = page.locator(".mock-score").inner_text()
    numbers = [int(n) for n in re.findall(r"\d+", score)]
    assert numbers[:2] == [right, 50] and numbers[2:] == [50 - right], score
    rows = page.locator(".mock-result tbody tr")
    assert rows.count() == 11, "one row per chapter"
    assert page.locator(".mock-result tbody a").count() > 0, "sections to revise are linked"
    assert page.locator(".mock-bank .quiz-explanation:visible").count() == 50
    page.locator(".mock-draw").click()
    assert page.locator(".mock-result").is_hidden()
    assert drawn.count() == 50
    again = [drawn.nth(i).get_attribute("id") for i in range(50)]
    assert again != first, "a new draw gives another exam"
    assert page.locator(".mock-bank .quiz-explanation:visible").count() == 0
    assert not tab.problems(), "\n".join(tab.problems())
