"""The handbook's text lint: the terms and typography the book has chosen, in both languages.

Run ``python tests/textlint.py`` (the ``lint`` session does): it prints ``file:line: rule: message``
for every hit and exits 1 if there is any. It reads

* the Chinese source: ``docs/**/*.md`` (prose lines outside code blocks) and the text blocks of the
  gallery scripts (the lines of ``gallery/**/*.py`` that contain Chinese; code and figure text are
  English by convention);
* the English translation: every ``msgstr`` of ``docs/locale/en/LC_MESSAGES/**/*.po``;
* the code blocks of the pages, for their width: the books hold 88 columns (``code-width``).

Code spans, math, link and reference targets are blanked before a rule looks at a line, so a rule
only ever sees words a reader reads. Each rule below says why it exists; a new rule needs a reason
and must find nothing on main. Standard library only, so that it runs before anything is installed.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))  # the glossary's reader (standard library only)

from search_dict import glossary_source_entries  # noqa: E402

CATALOGS = ROOT / "docs" / "locale" / "en" / "LC_MESSAGES"
GLOSSARY = ROOT / "docs" / "appendix" / "glossary.md"

CJK = "\u4e00-\u9fff"
CODE_DIRECTIVES = ("{code-cell}", "{doctest}", "{testcode}", "{testoutput}", "{code-block}")
HAS_CJK = re.compile(f"[{CJK}]")


@dataclass(frozen=True)
class Hit:
    path: Path
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        path = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path
        return f"{path}:{self.line}: {self.rule}: {self.message}"


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    message: str
    exempt: Callable[[str, re.Match[str]], bool] | None = None  # (text, match) -> allowed
    # A rule on the book's choice among words (not on typography). The glossary lists the
    # other names a reader meets, so that search finds a term by any of them: those names are
    # exempt from it (see glossary_other_names).
    wording: bool = False


# -- what a reader sees ---------------------------------------------------------------------

_ROLE = re.compile(r"(?::|\{)(\w+(?:-\w+)*)(?::|\})`([^`]*)`")  # {term}`x`, :ref:`x <y>`
_DISPLAYED = {"term", "abbr", "guilabel"}  # roles whose text a reader sees as it is written
_CODE = re.compile(r"``[^`]*``|`[^`]*`")
_MATH = re.compile(r"\$\$[^$]*\$\$|\$[^$]*\$|\\\(.*?\\\)")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+")
_PYTHON_NAME = re.compile(r"\bdlnotes(?:\.\w+)+")  # a module or object name, spelled as in code


def _displayed_role(match: re.Match[str]) -> str:
    role, text = match.groups()
    if role in _DISPLAYED or "<" in text:  # a term, or an explicit title: a reader reads it
        return text.split("<", 1)[0]
    return "·"  # a bare label: the reader sees the target's title, not the label


def visible(text: str) -> str:
    """The words of a line of Markdown, reST or a catalog message, code and math blanked."""
    text = _LINK_TARGET.sub("]·", text)
    text = _PYTHON_NAME.sub("·", text)
    text = _MATH.sub("·", text)
    text = _ROLE.sub(_displayed_role, text)
    return _CODE.sub("·", text)


# -- Chinese rules --------------------------------------------------------------------------

_STRIDE_CONTEXT = re.compile("卷积|池化|核|窗口|填充|stride|步幅")


def _stride_in_context(text: str, match: re.Match[str]) -> bool:
    start = max(text.rfind(mark, 0, match.start()) for mark in "。！？；") + 1
    ends = [i for i in (text.find(mark, match.end()) for mark in "。！？；") if i >= 0]
    sentence = text[start : min(ends, default=len(text))]
    bare_term = sentence.strip(" #*-:") == "步长"  # a heading or a glossary entry's term line
    return bare_term or bool(_STRIDE_CONTEXT.search(sentence))


ZH_RULES = (
    # The notes' 步长 is the convolution's stride; using it for an optimiser's step as well
    # gave one word two meanings (the learning rate is the step's coefficient, not its length).
    Rule(
        "zh-stride",
        re.compile("步长"),
        "步长 is a convolution's or pooling window's stride: for an optimiser write "
        "学习率, 有效学习率 or 更新幅度",
        _stride_in_context,
    ),
    # The book's word for an epoch is 轮; the Latin word appears once, as the gloss 轮（epoch）.
    Rule(
        "zh-epoch",
        re.compile(r"epochs?\b"),
        "write 轮 for an epoch in Chinese text (epoch only as the gloss 轮（epoch）)",
        lambda text, m: text[max(m.start() - 1, 0)] in "（*",
        wording=True,
    ),
    # One term for the batch size (批大小, as in chapter 3 and the glossary).
    Rule("zh-batch-size", re.compile("批量大小"), "write 批大小", wording=True),
    # An LSTM has three gates; the fourth block of weights is the candidate value C̃.
    Rule("zh-lstm-gates", re.compile("四个门"), "an LSTM has three gates and a candidate value"),
    # Chinese typography: one percent style (no space, as in GB/T 15835).
    Rule("zh-percent", re.compile(r"\d[ \u00a0]+%"), "no space before %: 97%"),
    # Chinese typography: a space between Chinese and Latin letters or digits.
    Rule(
        "zh-spacing",
        re.compile(f"[{CJK}][A-Za-z0-9]|[A-Za-z0-9][{CJK}]"),
        "put a space between Chinese and Latin letters or digits",
    ),
    # Chinese typography: full-width parentheses around Chinese text.
    Rule(
        "zh-parentheses",
        re.compile(f"\\([^()]*[{CJK}][^()]*\\)"),
        "full-width parentheses （…） around Chinese text",
    ),
    # Chinese typography: full-width punctuation next to Chinese characters.
    Rule(
        "zh-punctuation",
        re.compile(f"[{CJK}][,;?!]|[,;?!][{CJK}]"),
        "full-width punctuation （，；？！） in a Chinese sentence",
    ),
)


# -- English rules --------------------------------------------------------------------------


def _word(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)


EN_RULES = (
    # The spellings the book has chosen; two spellings of one word read as two ideas.
    Rule("en-hyperparameter", _word(r"hyper-parameters?"), "write hyperparameter", wording=True),
    Rule("en-element-wise", _word(r"elementwise"), "write element-wise", wording=True),
    Rule("en-feedforward", _word(r"feed-forward"), "write feedforward", wording=True),
    Rule("en-learned", _word(r"learnt"), "write learned", wording=True),
    Rule("en-mini-batch", _word(r"mini ?batch(?:es)?"), "write mini-batch", wording=True),
    Rule(
        "en-back-propagation",
        _word(r"backpropagat\w*|back propagat\w*|backprop"),
        "write back-propagation",
        wording=True,
    ),
    Rule("en-versus", re.compile(r"\bvs\b\.?"), "write versus in prose"),
    # British spelling, as in the rest of the book (code names such as dlnotes.regularization
    # are inside code spans and are not read).
    Rule(
        "en-british",
        _word(
            r"\w*(?:initiali|optimi|regulari|normali|generali|minimi|maximi|vectori)z\w*"
            r"|(?:zero-)?center(?:ed|s|ing)?|neighbors?|neighborhoods?|behaviors?|colors?"
            r"|model(?:ing|ed)|label(?:ed|ing)"
        ),
        "British spelling: -ise, centre, neighbour, behaviour, colour, modelling, labelled",
    ),
    Rule("en-percent", re.compile(r"\d[ \u00a0]+%"), "no space before %: 97%"),
)


# -- reading the sources --------------------------------------------------------------------


def markdown_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Prose lines of a MyST page: outside code blocks, without fences and directive options
    (``:key: value`` lines, or a YAML block between ``---`` lines right after the fence)."""
    return ((number, line) for number, line, code in _markdown(path) if not code)


def code_lines(path: Path) -> Iterator[tuple[int, str]]:
    """The lines inside the code blocks of a MyST page (cells, doctests, code blocks)."""
    return ((number, line) for number, line, code in _markdown(path) if code)


def _markdown(path: Path) -> Iterator[tuple[int, str, bool]]:
    """(number, line, inside code) for the prose and code lines of a MyST page."""
    fences: list[tuple[str, bool]] = []  # the open fences, innermost last: (marker, is code)
    options_next = False  # the innermost code block has shown no line yet (options may come)
    options = "none"  # a directive's options as a YAML block: "next" line may open it, "open"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if options == "open":
            options = "none" if stripped == "---" else "open"
            continue
        if options == "next" and stripped == "---":
            options = "open"
            continue
        options = "none"
        if fences and fences[-1][1]:  # inside code: only its closing fence matters
            if stripped == fences[-1][0]:
                fences.pop()
            elif not (options_next and re.match(r":[\w-]+:", stripped)):
                options_next = False  # a code block's options come before its first line
                yield number, line, True
            continue
        if fences and stripped == fences[-1][0]:  # a directive closes
            fences.pop()
            continue
        opening = re.match(r"(`{3,}|~{3,}|:{3,})(.*)", stripped)
        if opening and opening[2]:
            marker, info = opening.groups()
            is_code = not info.startswith("{") or info.startswith(CODE_DIRECTIVES)
            fences.append((marker, is_code))  # a directive's body is prose
            options = "none" if is_code else "next"
            options_next = is_code
            continue
        if opening and marker_only(stripped):  # a bare ``` opens a code block
            fences.append((stripped, True))
            options_next = True
            continue
        if re.match(r":[\w-]+:", stripped):  # a directive's option line
            continue
        yield number, line, False


def marker_only(line: str) -> bool:
    return line[0] in "`~" and set(line) == {line[0]}


def gallery_lines(path: Path) -> Iterator[tuple[int, str]]:
    """The text lines of a gallery script: those with Chinese in them."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if HAS_CJK.search(line):
            yield number, line


def catalog_messages(path: Path) -> Iterator[tuple[int, str, str]]:
    """(line of the msgstr, msgid, msgstr) of every translated, non-obsolete entry."""
    entries: list[tuple[int, str, str]] = []
    field, msgid, msgstr, msgstr_line = "", [], [], 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("msgid "):
            if msgid or msgstr:
                entries.append((msgstr_line, "".join(msgid), "".join(msgstr)))
            field, msgid, msgstr = "msgid", [_unquote(line[6:])], []
        elif line.startswith("msgstr "):
            field, msgstr_line = "msgstr", number
            msgstr.append(_unquote(line[7:]))
        elif line.startswith('"') and field:
            (msgid if field == "msgid" else msgstr).append(_unquote(line))
        else:
            field = "" if not line.startswith('"') else field
    if msgid or msgstr:
        entries.append((msgstr_line, "".join(msgid), "".join(msgstr)))
    return ((n, i, s) for n, i, s in entries if i and s)


def _unquote(quoted: str) -> str:
    body = quoted.strip()[1:-1]
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), body)


def glossary_other_names(path: Path) -> set[str]:
    """The other names of the ``{glossary}`` entries of a page: each term line after the first
    of its entry (another translation, an exam bank's name, another spelling)."""
    return {name for names, _ in glossary_source_entries(path) for name in names[1:]}


def _apply(rules, path: Path, line: int, text: str, other_name: bool = False) -> Iterator[Hit]:
    seen = visible(text)
    for rule in rules:
        if other_name and rule.wording:
            continue
        for match in rule.pattern.finditer(seen):
            if rule.exempt is None or not rule.exempt(seen, match):
                yield Hit(path, line, rule.name, f"{rule.message} (“{match.group()}”)")


def lint_chinese(path: Path) -> Iterator[Hit]:
    if path.suffix == ".py":
        lines, other_names = gallery_lines(path), set()
    else:
        lines, other_names = markdown_lines(path), glossary_other_names(path)
    for number, line in lines:
        yield from _apply(ZH_RULES, path, number, line, line.strip() in other_names)


# The books' code blocks hold 88 columns (DejaVu Sans Mono, scaled, in the PDF, see
# docs/conf.py); a longer line would wrap with a continuation mark. A Chinese character takes
# two columns. (The MindSpore snippets the chapters include are held to 88 by ruff.)
CODE_COLUMNS = 88


def columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def lint_code_width(path: Path) -> Iterator[Hit]:
    for number, line in code_lines(path):
        if columns(line) > CODE_COLUMNS:
            yield Hit(path, number, "code-width", f"{columns(line)} columns > {CODE_COLUMNS}")


def lint_catalog(path: Path, other_names: set[str] | None = None) -> Iterator[Hit]:
    """The English rules on every msgstr; an entry's other names (*other_names*, by default
    the glossary's) keep their spelling."""
    other_names = glossary_other_names(GLOSSARY) if other_names is None else other_names
    for number, msgid, msgstr in catalog_messages(path):
        yield from _apply(EN_RULES, path, number, msgstr, msgid in other_names)
        # 筛选 (the LSTM's gates filter information) is "filter": 选择 as in feature selection
        # is a different idea.
        if "筛选" in msgid and re.search(r"\bselect", visible(msgstr), re.IGNORECASE):
            yield Hit(path, number, "en-filter", "筛选 is filter/filtering, not selection")


def chinese_sources() -> list[Path]:
    docs = ROOT / "docs"
    pages = [
        p for p in docs.rglob("*.md") if not p.relative_to(docs).parts[0].startswith(("_", "auto"))
    ]
    return sorted(pages) + sorted((ROOT / "gallery").rglob("*.py"))


def lint(paths_zh: list[Path] | None = None, paths_en: list[Path] | None = None) -> list[Hit]:
    """Every hit in the Chinese sources and the English catalogs (or in the paths given)."""
    paths_zh = chinese_sources() if paths_zh is None else paths_zh
    paths_en = sorted(CATALOGS.rglob("*.po")) if paths_en is None else paths_en
    hits = [hit for path in paths_zh for hit in lint_chinese(path)]
    hits += [hit for path in paths_zh if path.suffix == ".md" for hit in lint_code_width(path)]
    return hits + [hit for path in paths_en for hit in lint_catalog(path)]


def main() -> int:
    hits = lint()
    for hit in hits:
        print(hit)
    print(f"textlint: {len(hits)} problem(s)" if hits else "textlint: clean")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
