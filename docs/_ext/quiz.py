"""Self-test questions in the chapters, a mock exam and an answers appendix.

Repository tooling, not package code. Why our own: the maintained quiz extensions we found
(jupyterquiz, sphinx-exercise, sphinx-quiz, quizdown) either keep the question text in JSON or
code-cell output, where gettext cannot translate it, or do not check an answer at all, or build a
separate quiz site; none computes numbers at build time or sends the answers to a book appendix.
This one is the smallest thing that does: a ``{quiz}`` directive whose text is ordinary
translatable MyST, plus about 200 lines of JavaScript (``_static/quiz.js``).

- ``{quiz}`` (syntax in ``quizbank.py``) runs the question's ``values`` with dlnotes; ``{v}``
  writes a computed value into its text, after translation, so both languages show the same
  numbers. Each question is numbered ``chapter.k`` in its chapter.
- On the website a question is a small form: choose (or type a number), press the button, see
  right or wrong and the explanation, with a link to the section that teaches it.
- In the PDF and EPUB the question stays in its chapter, without JavaScript, and its answer and
  explanation go to the appendix page that holds ``{quiz-answers}``.
- ``{mock-exam}`` (website only) holds every question of the book and draws an exam from them,
  so many per chapter (its ``weights``); ``_static/quiz.js`` scores it.
- ``{exam-note}`` is a boxed note where the exam's wording traps a candidate (考点提示).
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath
from typing import Any, ClassVar

import quizbank
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

logger = logging.getLogger(__name__)

INTERACTIVE = ("html", "dirhtml", "singlehtml")  # the builders that get the JavaScript
ANSWERS_ID = "answer-"

STRINGS = {
    "zh_CN": {
        "single": "单选", "multiple": "多选", "truefalse": "判断", "numeric": "计算",
        "selftest": "自测", "true": "对", "false": "错", "check": "检查答案",
        "correct": "正确。", "wrong": "不对。正确答案：", "unanswered": "请先作答。",
        "number": "你的答案", "tolerance": "允许误差 ±{tol}", "review": "复习：",
        "options": "选项", "answer": "答案：", "see_answer": "答案见附录：",
        "exam_note": "考点提示",
        "draw": "重新抽题", "submit": "交卷", "score": "得分：{right} / {total}",
        "chapter": "章", "result": "答对", "revise": "需要复习的小节", "none": "全部答对",
        "unanswered_count": "（{n} 题未答）", "question_of": "第 {k} 题",
    },
    "en": {
        "single": "single choice", "multiple": "multiple choice", "truefalse": "true or false",
        "numeric": "calculation", "selftest": "Self-test", "true": "True", "false": "False",
        "check": "Check answer", "correct": "Correct.", "wrong": "Not quite. The answer: ",
        "unanswered": "Answer first.", "number": "Your answer", "tolerance": "tolerance ±{tol}",
        "review": "Revise: ", "options": "Options", "answer": "Answer: ",
        "see_answer": "Answer in the appendix: ", "exam_note": "Exam note",
        "draw": "Draw again", "submit": "Hand in", "score": "Score: {right} / {total}",
        "chapter": "Chapter", "result": "Right", "revise": "Sections to revise",
        "none": "all right", "unanswered_count": " ({n} not answered)",
        "question_of": "Question {k}",
    },
}  # fmt: skip


def _strings(env_or_app: Any) -> dict[str, str]:
    lang = env_or_app.config.language
    return STRINGS.get(lang, STRINGS["en"])


# --------------------------------------------------------------------------------------------
# Nodes
# --------------------------------------------------------------------------------------------


class quiz(nodes.General, nodes.Element):
    """One question; attributes: qid, qtype, answer, answer_text, tolerance, section, docname,
    chapter, number (set after reading)."""


class quiz_explanation(nodes.General, nodes.Element):
    """Why the answer is right; hidden on the website until the reader answers."""


class quiz_value(nodes.Inline, nodes.TextElement):
    """A ``{v}`` role: a computed value, written in after translation."""


class quiz_choices(nodes.General, nodes.Element):
    """The choices of a question on the website (a fieldset)."""


class quiz_choice(nodes.General, nodes.TextElement):
    """One choice: an input and its label; attributes: letter, value, input_type, name."""


class quiz_form(nodes.General, nodes.Element):
    """The numeric input (if any), the check button and the feedback line."""


class quiz_answers(nodes.General, nodes.Element):
    """Where ``{quiz-answers}`` puts every answer of the book."""


class mock_exam(nodes.General, nodes.Element):
    """Where ``{mock-exam}`` puts the question bank and the exam's controls."""


# --------------------------------------------------------------------------------------------
# Reading: directives and the role
# --------------------------------------------------------------------------------------------


class QuizDirective(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec: ClassVar = {
        "type": directives.unchanged_required,
        "answer": directives.unchanged_required,
        "section": directives.unchanged_required,
        "values": directives.unchanged,
        "tolerance": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        options = dict(self.options)
        try:
            question = quizbank.Question(
                id=self.arguments[0],
                chapter=self.env.docname,
                type=options.get("type", "").strip(),
                answer=options.get("answer", "").strip(),
                section=options.get("section", "").strip(),
                values=options.get("values", "") or "",
                tolerance=float(options.get("tolerance", 0) or 0),
                body="\n".join(self.content),
            )
            quizbank.check_options(question, options)
            ns = self.env.temp_data.setdefault("quiz_namespace", quizbank.namespace())
            quizbank.run_values(question, ns)
            shown = {
                (m["name"].strip(), m["spec"] or ""): quizbank.format_value(
                    quizbank.lookup(m["name"].strip(), ns, question.id), m["spec"]
                )
                for m in quizbank._ROLE.finditer(question.body)
            }
            if question.type == "numeric":
                answer = quizbank.numeric_answer(question, ns)
                answer_text = quizbank.format_value(answer)
                data_answer = repr(answer)
            elif question.type == "truefalse":
                data_answer = question.answer.strip().lower()
                answer_text = data_answer
            else:
                data_answer = ",".join(quizbank.correct_letters(question.answer))
                joiner = "、" if self.env.config.language == "zh_CN" else ", "
                answer_text = joiner.join(quizbank.correct_letters(question.answer))
        except (quizbank.QuizError, ValueError) as exc:
            raise self.error(str(exc)) from exc
        node = quiz(
            qid=question.id, qtype=question.type, answer=data_answer, answer_text=answer_text,
            tolerance=question.tolerance, section=question.section, docname=self.env.docname,
            shown=shown, ids=[f"quiz-{question.id}"],
        )  # fmt: skip
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class ExplanationDirective(SphinxDirective):
    has_content = True

    def run(self) -> list[nodes.Node]:
        node = quiz_explanation()
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class ExamNoteDirective(SphinxDirective):
    """A boxed note, titled 考点提示 / Exam note in the page's language."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        note = nodes.admonition(classes=["exam-note", "tip"])
        note += nodes.title(text=_strings(self.env)["exam_note"], translatable=False)
        self.state.nested_parse(self.content, self.content_offset, note)
        return [note]


class AnswersDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        return [quiz_answers()]


class MockExamDirective(SphinxDirective):
    """``:size:`` questions (default 50) drawn in proportion to ``:weights:``
    (chapter number ``:`` weight, separated by spaces)."""

    option_spec: ClassVar = {
        "size": directives.positive_int,
        "weights": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        weights = {}
        for part in self.options["weights"].split():
            chapter, _, weight = part.partition(":")
            weights[int(chapter)] = float(weight)
        return [mock_exam(size=self.options.get("size", 50), weights=weights)]


class ValueRole(SphinxRole):
    """``{v}`name``` or ``{v}`name:.3f```: a value the question computed."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        name, _, spec = self.text.partition(":")
        return [quiz_value(self.rawtext, "", name=name.strip(), spec=spec)], []


# --------------------------------------------------------------------------------------------
# After reading (and translating): values written in, questions numbered and recorded
# --------------------------------------------------------------------------------------------


def _chapter(docname: str) -> int:
    m = re.match(r"(\d+)-", PurePosixPath(docname).name)
    return int(m.group(1)) if m else 0


def _fill_and_record(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.docname
    records = env.dlnotes_quizzes = getattr(env, "dlnotes_quizzes", {})  # type: ignore[attr-defined]
    records.pop(docname, None)
    found = list(doctree.findall(quiz))
    for k, node in enumerate(found, start=1):
        node["chapter"] = _chapter(docname)
        node["number"] = f"{node['chapter']}.{k}"
        for value in list(node.findall(quiz_value)):
            key = (value["name"], value["spec"])
            if key not in node["shown"]:  # a translation that names a value its source does not
                logger.warning(
                    "quiz %s: %s is not a value of this question", node["qid"], value.rawsource,
                    location=value,
                )  # fmt: skip
                text = value.rawsource
            else:
                text = node["shown"][key]
            value.replace_self(nodes.Text(text))
        lists = [child for child in node.children if isinstance(child, nodes.bullet_list)]
        wanted = node["qtype"] in ("single", "multiple")
        if wanted and not lists:
            logger.warning("quiz %s: its options are missing", node["qid"], location=node)
        explanations = list(node.findall(quiz_explanation))
        if len(explanations) != 1:
            logger.warning("quiz %s: it needs one {explanation}", node["qid"], location=node)
    if found:
        records[docname] = [node.deepcopy() for node in found]
    pages = env.dlnotes_quiz_pages = getattr(env, "dlnotes_quiz_pages", {})  # type: ignore[attr-defined]
    pages.pop(docname, None)
    if any(doctree.findall(quiz_answers)):
        pages[docname] = "answers"
    elif any(doctree.findall(mock_exam)):
        pages[docname] = "mock"


def _purge(app: Sphinx, env: Any, docname: str) -> None:
    getattr(env, "dlnotes_quizzes", {}).pop(docname, None)
    getattr(env, "dlnotes_quiz_pages", {}).pop(docname, None)


def _merge(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    env.dlnotes_quizzes = getattr(env, "dlnotes_quizzes", {})
    env.dlnotes_quizzes.update(getattr(other, "dlnotes_quizzes", {}))
    env.dlnotes_quiz_pages = getattr(env, "dlnotes_quiz_pages", {})
    env.dlnotes_quiz_pages.update(getattr(other, "dlnotes_quiz_pages", {}))


def _outdated(app: Sphinx, env: Any, added: set, changed: set, removed: set) -> list[str]:
    """The answers and mock-exam pages copy every chapter's questions: reread them with any."""
    if added | changed | removed:
        return sorted(getattr(env, "dlnotes_quiz_pages", {}))
    return []


def _check_sections(app: Sphinx, env: Any) -> None:
    labels = env.get_domain("std").labels
    for docname, found in getattr(env, "dlnotes_quizzes", {}).items():
        for node in found:
            if node["section"] not in labels:
                logger.warning(
                    "quiz %s: section label %r does not exist", node["qid"], node["section"],
                    location=(docname, node.line),
                )  # fmt: skip


# --------------------------------------------------------------------------------------------
# Writing: the website's forms, or the books' static questions and the answers appendix
# --------------------------------------------------------------------------------------------


def _review_link(app: Sphinx, node: quiz, fromdocname: str) -> nodes.paragraph:
    """复习：<the section that teaches the question>."""
    label = app.env.get_domain("std").labels.get(node["section"])
    para = nodes.paragraph(classes=["quiz-review"])
    para += nodes.Text(_strings(app)["review"])
    if label:
        todoc, anchor, title = label
        uri = app.builder.get_relative_uri(fromdocname, todoc) + "#" + anchor
        para += nodes.reference("", title, refuri=uri, internal=True)
    return para


def _plain(fragment: nodes.Element) -> nodes.Element:
    """A copy of a question for another page: unresolved cross-references become their text."""
    fragment = fragment.deepcopy()
    for xref in list(fragment.findall(lambda n: n.tagname == "pending_xref")):
        xref.replace_self(nodes.inline("", "", *xref.children))
    return fragment


def _answer_words(app: Sphinx, node: quiz) -> str:
    s = _strings(app)
    if node["qtype"] == "truefalse":
        return s[node["answer"]]
    return node["answer_text"]


def _aside(app: Sphinx, text: str) -> str:
    """Text in parentheses, as the page's language writes them."""
    return f"（{text}）" if app.config.language == "zh_CN" else f" ({text})"


def _tolerance_text(app: Sphinx, node: quiz) -> str:
    return _strings(app)["tolerance"].format(tol=f"{node['tolerance']:g}")


def _interactive(app: Sphinx, node: quiz, fromdocname: str) -> None:
    """Turn a read question into the website's form, in place."""
    s = _strings(app)
    head = nodes.paragraph(classes=["quiz-head"])
    head += nodes.inline(text=f"{s['selftest']} {node['number']}", classes=["quiz-number"])
    head += nodes.inline(text=s[node["qtype"]], classes=["quiz-type"])
    node.insert(0, head)
    name = f"q-{node['qid']}"
    options = next((c for c in node.children if isinstance(c, nodes.bullet_list)), None)
    if node["qtype"] in ("single", "multiple") and options is not None:
        choices = quiz_choices(legend=s["options"])
        kind = "radio" if node["qtype"] == "single" else "checkbox"
        for letter, item in zip(quizbank.LETTERS, options.children, strict=False):
            inline = [
                child
                for para in item.children
                for child in (para.children if isinstance(para, nodes.paragraph) else [para])
            ]
            choices += quiz_choice("", "", *inline, letter=letter, value=letter, input_type=kind,
                                   name=name)  # fmt: skip
        options.replace_self(choices)
    elif node["qtype"] == "truefalse":
        choices = quiz_choices(legend=s["options"])
        for value in ("true", "false"):
            choices += quiz_choice("", s[value], letter="", value=value, input_type="radio",
                                   name=name)  # fmt: skip
        explanation = next(node.findall(quiz_explanation))
        node.insert(node.index(explanation), choices)
    explanation = next(node.findall(quiz_explanation))
    explanation += _review_link(app, node, fromdocname)
    node.insert(node.index(explanation), quiz_form(qtype=node["qtype"], name=name))


def _static(app: Sphinx, node: quiz, fromdocname: str) -> nodes.Element:
    """The question as the books print it: no form, the answer in the appendix."""
    s = _strings(app)
    box = nodes.container(classes=["quiz-static"], ids=list(node["ids"]))
    head = nodes.paragraph()
    head += nodes.strong(text=f"{s['selftest']} {node['number']}")
    head += nodes.Text(_aside(app, s[node["qtype"]]))
    box += head
    for child in node.children:
        if isinstance(child, quiz_explanation):
            continue
        if isinstance(child, nodes.bullet_list):
            listed = nodes.enumerated_list(enumtype="upperalpha", prefix="", suffix=".")
            listed.extend(child.children)
            box += listed
        else:
            box += child.deepcopy()
    tail = nodes.paragraph(classes=["quiz-see-answer"])
    if node["qtype"] == "numeric" and node["tolerance"]:
        tail += nodes.Text(_aside(app, _tolerance_text(app, node)).strip() + " ")
    tail += nodes.Text(s["see_answer"])
    uri = (
        app.builder.get_relative_uri(fromdocname, _answers_page(app))
        + f"#{ANSWERS_ID}{node['qid']}"
    )
    tail += nodes.reference("", node["number"], refuri=uri, internal=True)
    box += tail
    return box


def _answers_page(app: Sphinx) -> str:
    pages = getattr(app.env, "dlnotes_quiz_pages", {})
    found = [docname for docname, kind in pages.items() if kind == "answers"]
    return found[0] if found else app.config.root_doc


def _all_questions(app: Sphinx) -> list[quiz]:
    records = getattr(app.env, "dlnotes_quizzes", {})
    return [node for docname in sorted(records, key=_chapter) for node in records[docname]]


def _fill_answers(app: Sphinx, placeholder: quiz_answers, fromdocname: str) -> None:
    s = _strings(app)
    gap = "\u3000" if app.config.language == "zh_CN" else " "  # an ideographic space in Chinese
    out: list[nodes.Node] = []
    chapter = None
    for node in _all_questions(app):
        if node["docname"] != chapter:
            chapter = node["docname"]
            title = app.env.titles[chapter].astext()
            out.append(nodes.rubric(text=f"{node['chapter']}{gap}{title}"))
        anchor = f"{ANSWERS_ID}{node['qid']}"
        out.append(nodes.target("", "", refid=anchor))
        para = nodes.paragraph(ids=[anchor], classes=["quiz-answer"])
        back = app.builder.get_relative_uri(fromdocname, node["docname"]) + f"#quiz-{node['qid']}"
        para += nodes.reference("", node["number"], refuri=back, internal=True)
        para += nodes.Text(gap + s["answer"])
        para += nodes.strong(text=_answer_words(app, node))
        if node["qtype"] == "numeric" and node["tolerance"]:
            para += nodes.Text(_aside(app, _tolerance_text(app, node)))
        explanation = _plain(next(node.findall(quiz_explanation)))
        review = _review_link(app, node, fromdocname)
        paragraphs = list(explanation.children)
        if paragraphs and isinstance(paragraphs[0], nodes.paragraph):  # one paragraph per answer
            para += nodes.Text("。" if app.config.language == "zh_CN" else ". ")
            para.extend(paragraphs.pop(0).children)
        out.append(para)
        out.extend(paragraphs)
        last = out[-1]
        if isinstance(last, nodes.paragraph):
            last += nodes.Text(" ")
            last.extend(review.children)
        else:
            out.append(review)
    placeholder.replace_self(out)


def _quota(weights: dict[int, float], sizes: dict[int, int], size: int) -> dict[int, int]:
    """Questions per chapter: ``size`` split in proportion to the weights (largest remainder),
    never more than a chapter has."""
    chapters = [c for c in sizes if weights.get(c, 0) > 0]
    total = sum(weights[c] for c in chapters)
    exact = {c: size * weights[c] / total for c in chapters}
    quota = {c: min(int(exact[c]), sizes[c]) for c in chapters}
    for c in sorted(chapters, key=lambda c: exact[c] - int(exact[c]), reverse=True):
        if sum(quota.values()) >= size:
            break
        if quota[c] < sizes[c]:
            quota[c] += 1
    return quota


def _fill_mock_exam(app: Sphinx, placeholder: mock_exam, fromdocname: str) -> None:
    questions = [_plain(node) for node in _all_questions(app)]
    sizes: dict[int, int] = {}
    for node in questions:
        sizes[node["chapter"]] = sizes.get(node["chapter"], 0) + 1
    quota = _quota(placeholder["weights"], sizes, placeholder["size"])
    bank = nodes.container(classes=["mock-bank"])
    for node in questions:
        _interactive(app, node, fromdocname)
        node["chapter_title"] = app.env.titles[node["docname"]].astext()
        node["quota"] = quota.get(node["chapter"], 0)
        bank += node
    placeholder["quota"] = quota
    placeholder += bank


def _render(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.name in ("gettext", "doctest", "linkcheck"):
        return
    interactive = app.builder.name in INTERACTIVE
    for node in list(doctree.findall(quiz)):
        if interactive:
            _interactive(app, node, docname)
        else:  # the target gives the LaTeX writer a label for the link back from the answer
            anchor = nodes.target("", "", refid=node["ids"][0])
            node.replace_self([anchor, _static(app, node, docname)])
    for placeholder in list(doctree.findall(quiz_answers)):
        _fill_answers(app, placeholder, docname)
    for placeholder in list(doctree.findall(mock_exam)):
        if interactive:
            _fill_mock_exam(app, placeholder, docname)
        else:
            placeholder.replace_self([])


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------


def _visit_quiz(self: Any, node: quiz) -> None:
    attrs = {
        "data-type": node["qtype"], "data-answer": node["answer"],
        "data-answer-text": _answer_text_html(self, node), "data-chapter": str(node["chapter"]),
    }  # fmt: skip
    if node["qtype"] == "numeric":
        attrs["data-tolerance"] = repr(float(node["tolerance"]))
    if "chapter_title" in node:
        attrs["data-chapter-title"] = node["chapter_title"]
        attrs["data-quota"] = str(node["quota"])
    self.body.append(self.starttag(node, "div", CLASS="quiz", **attrs))


def _answer_text_html(self: Any, node: quiz) -> str:
    strings = STRINGS.get(self.config.language, STRINGS["en"])
    return strings[node["answer"]] if node["qtype"] == "truefalse" else node["answer_text"]


def _depart_div(self: Any, node: nodes.Element) -> None:
    self.body.append("</div>\n")


def _visit_explanation(self: Any, node: quiz_explanation) -> None:
    self.body.append(self.starttag(node, "div", CLASS="quiz-explanation", hidden="hidden"))


def _visit_choices(self: Any, node: quiz_choices) -> None:
    self.body.append(self.starttag(node, "fieldset", CLASS="quiz-choices"))
    self.body.append(f'<legend class="quiz-sr">{self.encode(node["legend"])}</legend>\n')


def _depart_choices(self: Any, node: quiz_choices) -> None:
    self.body.append("</fieldset>\n")


def _visit_choice(self: Any, node: quiz_choice) -> None:
    self.body.append(
        f'<label class="quiz-choice"><input type="{node["input_type"]}" '
        f'name="{node["name"]}" value="{node["value"]}">'
    )
    if node["letter"]:
        self.body.append(f'<span class="quiz-letter">{node["letter"]}</span>')
    self.body.append('<span class="quiz-choice-text">')


def _depart_choice(self: Any, node: quiz_choice) -> None:
    self.body.append("</span></label>\n")


def _visit_form(self: Any, node: quiz_form) -> None:
    s = STRINGS.get(self.config.language, STRINGS["en"])
    quiz_node = node.parent
    html = ['<div class="quiz-form">']
    if node["qtype"] == "numeric":
        tol = f"{quiz_node['tolerance']:g}"
        html.append(
            f'<label class="quiz-number-label">{s["number"]} '
            f'<input type="text" class="quiz-input" inputmode="decimal" autocomplete="off" '
            f'name="{node["name"]}"></label>'
        )
        if quiz_node["tolerance"]:
            html.append(f'<span class="quiz-tolerance">{s["tolerance"].format(tol=tol)}</span>')
    html.append(
        f'<button type="button" class="quiz-check">{s["check"]}</button>'
        '<span class="quiz-feedback" role="status" aria-live="polite"></span></div>\n'
    )
    self.body.append("".join(html))
    raise nodes.SkipNode


def _visit_mock(self: Any, node: mock_exam) -> None:
    quota = json.dumps({str(c): n for c, n in node["quota"].items()})
    self.body.append(self.starttag(node, "div", CLASS="mock-exam", **{"data-quota": quota}))


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def _assets(app: Sphinx) -> None:
    if app.builder.name not in INTERACTIVE:
        return
    app.add_css_file("quiz.css")
    strings = json.dumps(_strings(app), ensure_ascii=False)
    app.add_js_file(None, body=f"window.DLNOTES_QUIZ = {strings};")
    app.add_js_file("quiz.js", loading_method="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    html = {"html": (_visit_quiz, _depart_div)}
    app.add_node(quiz, **html)
    app.add_node(quiz_explanation, html=(_visit_explanation, _depart_div))
    app.add_node(quiz_choices, html=(_visit_choices, _depart_choices))
    app.add_node(quiz_choice, html=(_visit_choice, _depart_choice))
    app.add_node(quiz_form, html=(_visit_form, None))
    app.add_node(mock_exam, html=(_visit_mock, _depart_div))
    app.add_node(quiz_value, html=(_skip, None))
    app.add_node(quiz_answers, html=(_skip, None))
    app.add_directive("quiz", QuizDirective)
    app.add_directive("explanation", ExplanationDirective)
    app.add_directive("exam-note", ExamNoteDirective)
    app.add_directive("quiz-answers", AnswersDirective)
    app.add_directive("mock-exam", MockExamDirective)
    app.add_role("v", ValueRole())
    app.connect("builder-inited", _assets)
    app.connect("doctree-read", _fill_and_record)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-check-consistency", _check_sections)
    app.connect("doctree-resolved", _render)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
