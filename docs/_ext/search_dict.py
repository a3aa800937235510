"""The Chinese search dictionary, made from the glossary at build time.

Sphinx splits Chinese text into words with jieba; a user dictionary keeps the
handbook's terms whole (激活函数, not 激活 + 函数). The glossary is the one list
of terms: :func:`write_search_dict` reads its term lines and writes every term
that is a Chinese word (Chinese characters only) in jieba's format, one
``word freq tag`` per line. Terms mixing Latin letters or spaces (死亡 ReLU,
L1 正则化) are left out: jieba splits at those characters whatever the dictionary says.
"""

from __future__ import annotations

import re
from pathlib import Path

CHINESE_WORD = re.compile(r"[\u4e00-\u9fff]+")
FREQ_TAG = "100 n"  # high enough that jieba prefers the whole term


def glossary_source_entries(glossary: Path) -> list[tuple[list[str], str | None]]:
    """Every entry of the ``{glossary}`` blocks, in order: its term lines and the italic
    that opens its definition (the English term), or None.

    Inside a block, a term line starts in the first column; definitions are indented.
    """
    entries: list[tuple[list[str], str | None]] = []
    names: list[str] = []
    inside = False
    for line in glossary.read_text(encoding="utf-8").splitlines():
        if re.fullmatch(r"(:::|```)\{glossary\}.*", line):
            inside = True
        elif inside and line in (":::", "```"):
            inside = False
        elif inside and line.strip() and not line[0].isspace() and not line.startswith(":"):
            names.append(line.strip())
        elif inside and line.startswith(" ") and names:
            italic = re.match(r"\s+\*([^*]+)\*", line)
            entries.append((names, italic[1] if italic else None))
            names = []
    return entries


def glossary_terms(glossary: Path) -> list[str]:
    """Every term line of the ``{glossary}`` blocks, in order."""
    return [name for names, _ in glossary_source_entries(glossary) for name in names]


def chinese_terms(glossary: Path) -> list[str]:
    """The glossary terms that are Chinese words, without repeats."""
    return list(dict.fromkeys(t for t in glossary_terms(glossary) if CHINESE_WORD.fullmatch(t)))


def write_search_dict(glossary: Path, out: Path) -> Path:
    """Write jieba's user dictionary for the Chinese terms of *glossary* to *out*."""
    out.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{term} {FREQ_TAG}\n" for term in chinese_terms(glossary))
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")
    return out.resolve()
