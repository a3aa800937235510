"""The Chinese search dictionary is made from the glossary and holds exactly its Chinese terms."""

from __future__ import annotations

import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"
sys.path.insert(0, str(DOCS / "_ext"))

from search_dict import write_search_dict  # noqa: E402

GLOSSARY = DOCS / "appendix" / "glossary.md"


def _chinese_glossary_terms() -> set[str]:
    """Term lines (unindented lines inside ``:::{glossary}``) made of Chinese characters only."""
    blocks = re.findall(r"^:::\{glossary\}\n(.*?)^:::$", GLOSSARY.read_text("utf-8"), re.M | re.S)
    lines = [line for block in blocks for line in block.splitlines()]
    return {line for line in lines if re.fullmatch(r"[\u4e00-\u9fff]+", line)}


def test_dictionary_holds_exactly_the_chinese_glossary_terms(tmp_path):
    path = write_search_dict(GLOSSARY, tmp_path / "dict.txt")
    rows = path.read_text("utf-8").splitlines()
    assert all(re.fullmatch(r"\S+ \d+ [a-z]+", row) for row in rows), "not jieba's `word freq tag`"
    words = [row.split()[0] for row in rows]
    assert len(words) == len(set(words)), "a term is written twice"
    assert {"激活函数", "反向传播"} <= set(words)
    assert set(words) == _chinese_glossary_terms()
    assert len(words) > 100  # the glossary's blocks were found at all
