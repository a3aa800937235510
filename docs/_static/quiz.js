/* The self-test questions and the mock exam (docs/_ext/quiz.py writes their HTML).
 *
 * A question is <div class="quiz" data-type data-answer data-answer-text [data-tolerance]>,
 * with radio buttons or check boxes (.quiz-choices) or a text field (.quiz-input), a button
 * (.quiz-check), a feedback line (.quiz-feedback) and a hidden explanation (.quiz-explanation).
 * Nothing is sent anywhere: the page holds the answers. The strings of the page's language are
 * in window.DLNOTES_QUIZ.
 */
(function () {
  "use strict";
  const S = window.DLNOTES_QUIZ || {};

  /** The reader's answer: a string for a choice ("A,C", "true"), a number, or null. */
  function given(quiz) {
    if (quiz.dataset.type === "numeric") {
      const text = quiz.querySelector(".quiz-input").value.trim()
        .replace(/\u2212/g, "-").replace(/,/g, ".");
      if (text === "") return null;
      const value = Number(text);
      return Number.isFinite(value) ? value : NaN;
    }
    const chosen = Array.from(quiz.querySelectorAll(".quiz-choices input:checked"))
      .map((input) => input.value).sort();
    return chosen.length ? chosen.join(",") : null;
  }

  /** true, false, or null (not answered). */
  function verdict(quiz) {
    const answer = given(quiz);
    if (answer === null) return null;
    if (quiz.dataset.type === "numeric") {
      const right = Number(quiz.dataset.answer);
      const tolerance = Number(quiz.dataset.tolerance || 0);
      return Math.abs(answer - right) <= tolerance + 1e-9 * Math.max(1, Math.abs(right));
    }
    return answer === quiz.dataset.answer;
  }

  /** Show right or wrong, and the explanation. */
  function show(quiz, result) {
    const feedback = quiz.querySelector(".quiz-feedback");
    quiz.classList.remove("quiz-right", "quiz-wrong");
    if (result === null) {
      feedback.textContent = S.unanswered;
      return;
    }
    quiz.classList.add(result ? "quiz-right" : "quiz-wrong");
    feedback.textContent = result ? S.correct : S.wrong + quiz.dataset.answerText;
    quiz.querySelector(".quiz-explanation").hidden = false;
  }

  function reset(quiz) {
    quiz.classList.remove("quiz-right", "quiz-wrong");
    quiz.querySelectorAll("input").forEach((input) => {
      if (input.type === "text") input.value = "";
      else input.checked = false;
    });
    quiz.querySelector(".quiz-feedback").textContent = "";
    quiz.querySelector(".quiz-explanation").hidden = true;
  }

  function wire(quiz) {
    quiz.querySelector(".quiz-check").addEventListener("click", () => show(quiz, verdict(quiz)));
    const input = quiz.querySelector(".quiz-input");
    if (input) {
      input.addEventListener("keydown", (event) => {
        if (event.key !== "Enter") return;
        event.preventDefault();
        // In the mock exam nothing is shown before the whole exam is handed in.
        if (!quiz.closest(".mock-exam")) show(quiz, verdict(quiz));
      });
    }
  }

  /* ---------------------------------------------------------------- the mock exam */

  function shuffled(items) {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** Draw the exam: data-quota questions from each chapter, in chapter order. */
  function draw(exam) {
    const bank = Array.from(exam.querySelectorAll(".mock-bank > .quiz"));
    const byChapter = new Map();
    bank.forEach((quiz) => {
      reset(quiz);
      quiz.hidden = true;
      const chapter = Number(quiz.dataset.chapter);
      if (!byChapter.has(chapter)) byChapter.set(chapter, []);
      byChapter.get(chapter).push(quiz);
    });
    const quota = JSON.parse(exam.dataset.quota);
    let k = 0;
    Array.from(byChapter.keys()).sort((a, b) => a - b).forEach((chapter) => {
      const picked = new Set(shuffled(byChapter.get(chapter)).slice(0, quota[chapter] || 0));
      byChapter.get(chapter).forEach((quiz) => {
        if (!picked.has(quiz)) return;
        quiz.hidden = false;
        k += 1;
        quiz.querySelector(".quiz-number").textContent = S.question_of.replace("{k}", k);
      });
    });
    exam.querySelector(".mock-result").hidden = true;
    exam.querySelector(".mock-submit").disabled = false;
  }

  function cell(row, tag, content) {
    const element = document.createElement(tag);
    if (typeof content === "string") element.textContent = content;
    else element.append(...content);
    row.append(element);
  }

  /** Score the drawn questions; a table of chapters with the sections to revise. */
  function submit(exam) {
    const drawn = Array.from(exam.querySelectorAll(".mock-bank > .quiz:not([hidden])"));
    const chapters = new Map();
    let right = 0;
    let unanswered = 0;
    drawn.forEach((quiz) => {
      const result = verdict(quiz);
      show(quiz, result === null ? false : result);
      if (result === null) unanswered += 1;
      if (result) right += 1;
      const key = Number(quiz.dataset.chapter);
      if (!chapters.has(key)) {
        chapters.set(key, { title: quiz.dataset.chapterTitle, right: 0, total: 0, revise: new Map() });
      }
      const entry = chapters.get(key);
      entry.total += 1;
      if (result) entry.right += 1;
      else {
        const link = quiz.querySelector(".quiz-review a");
        if (link) entry.revise.set(link.getAttribute("href"), link.textContent);
      }
    });
    const result = exam.querySelector(".mock-result");
    result.replaceChildren();
    const score = document.createElement("p");
    score.className = "mock-score";
    score.textContent = S.score.replace("{right}", right).replace("{total}", drawn.length) +
      (unanswered ? S.unanswered_count.replace("{n}", unanswered) : "");
    result.append(score);
    const table = document.createElement("table");
    table.className = "mock-table table";
    const head = document.createElement("tr");
    [S.chapter, S.result, S.revise].forEach((text) => cell(head, "th", text));
    table.createTHead().append(head);
    const body = table.createTBody();
    Array.from(chapters.keys()).sort((a, b) => a - b).forEach((key) => {
      const entry = chapters.get(key);
      const row = document.createElement("tr");
      cell(row, "td", `${key} ${entry.title}`);
      cell(row, "td", `${entry.right} / ${entry.total}`);
      const links = [];
      entry.revise.forEach((title, href) => {
        const a = document.createElement("a");
        a.href = href;
        a.textContent = title;
        if (links.length) links.push(document.createTextNode(" · "));
        links.push(a);
      });
      cell(row, "td", links.length ? links : S.none);
      body.append(row);
    });
    result.append(table);
    result.hidden = false;
    exam.querySelector(".mock-submit").disabled = true;
    score.setAttribute("tabindex", "-1");
    score.focus();
  }

  /** A paragraph of class mock-controls holding one button; returns [paragraph, button]. */
  function control(className, text) {
    const paragraph = document.createElement("p");
    paragraph.className = "mock-controls";
    const button = document.createElement("button");
    button.type = "button";
    button.className = className;
    button.textContent = text;
    paragraph.append(button);
    return [paragraph, button];
  }

  function mockExam(exam) {
    const [top, again] = control("mock-draw", S.draw);
    const [bottom, hand] = control("mock-submit", S.submit);
    const result = document.createElement("div");
    result.className = "mock-result";
    result.setAttribute("aria-live", "polite");
    result.hidden = true;
    exam.prepend(top);
    exam.append(bottom, result);
    again.addEventListener("click", () => {
      draw(exam);
      exam.scrollIntoView();
    });
    hand.addEventListener("click", () => submit(exam));
    draw(exam);
  }

  function start() {
    document.querySelectorAll(".quiz").forEach(wire);
    document.querySelectorAll(".mock-exam").forEach(mockExam);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
