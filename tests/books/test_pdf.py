"""Each PDF's code fits its page, and its cover names the book, the language and the version.

LaTeX wraps a code line too long for the text width and marks the break with a red hook;
docs/conf.py makes each such mark also write ``dlnotes: a code line wraps (page N)`` to the
LaTeX log when its page is shipped out, and this test reads the logs ``nox -s pdf`` leaves.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from artifacts import BUILD, LANGUAGES, built

import dlnotes

WRAPS = re.compile(r"dlnotes: a code line wraps \(page (\d+)\)")
# "Overfull \hbox (12.3pt too wide) ..." followed by the line's start, set in the mono font
OVERFULL = re.compile(r"Overfull \\hbox \(([\d.]+)pt too wide\)[^\n]*\n([^\n]*)")
EDITIONS = {
    "zh_CN": ("深度学习基础", "简体中文版", "版本"),
    "en": ("Deep-Learning Fundamentals", "English edition", "Version"),
}


@pytest.fixture(scope="module", params=LANGUAGES)
def latex(request) -> tuple[str, Path]:
    lang = request.param
    return lang, built(BUILD / "latex" / lang / f"dlnotes-{lang}.log", "nox -s pdf")


def test_no_code_line_wraps(latex):
    lang, log = latex
    pages = sorted({int(page) for page in WRAPS.findall(log.read_text(errors="replace"))})
    assert not pages, f"dlnotes-{lang}.pdf: code lines wrap on pages {pages}"


def test_no_code_runs_into_the_margin(latex):
    """A code line with no place to break would stick out instead of wrapping."""
    lang, log = latex
    sticking_out = [
        f"{float(width):.1f}pt: {start.strip()[:70]}"
        for width, start in OVERFULL.findall(log.read_text(errors="replace"))
        if "mono" in start.lower() and float(width) > 1.0
    ]
    assert not sticking_out, f"dlnotes-{lang}.pdf:\n  " + "\n  ".join(sticking_out)


def test_the_cover_names_the_book_its_language_and_version(latex):
    lang, log = latex
    tex = log.with_suffix(".tex").read_text(encoding="utf-8")
    cover = re.search(r"\\begin\{titlepage\}(.*?)\\end\{titlepage\}", tex, re.S)
    assert cover, f"dlnotes-{lang}.tex has no title page"
    for words in (*EDITIONS[lang], dlnotes.__version__):
        assert words in cover.group(1), f"the {lang} cover lacks {words!r}"
