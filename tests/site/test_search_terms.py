"""The search page knows every glossary entry: its names and the chapter section it sends to.

The browser checks (tests/browser/test_search.py) search every name; these check the data
the search page is given, in the built HTML, and the rules _ext/search_terms.py keeps.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from artifacts import LANGUAGES

DOCS = Path(__file__).resolve().parents[2] / "docs"
sys.path.insert(0, str(DOCS / "_ext"))

from search_terms import _clashes, comparable  # noqa: E402


def _entries(html_root: Path, lang: str) -> list[dict]:
    page = (html_root / lang / "search.html").read_text("utf-8")
    found = re.search(r"window\.DLNOTES_TERMS = (\{.*?\});\n?</script>", page, re.S)
    assert found, f"{lang}/search.html does not give the glossary's terms"
    return json.loads(found.group(1))["entries"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_has_a_home_section_in_a_chapter(html_root, lang):
    entries = _entries(html_root, lang)  # the build checks they are all the glossary's
    assert len(entries) > 200
    problems = []
    for entry in entries:
        docname, anchor, title = entry["home"]
        page = html_root / lang / f"{docname}.html"
        if not docname.startswith("chapters/"):
            problems.append(f"{entry['names'][0]}: home {docname} is not a chapter")
            continue
        text = page.read_text("utf-8")
        if f'id="{anchor}"' not in text:
            problems.append(f"{entry['names'][0]}: no #{anchor} in {docname}")
        if title.split(" › ")[-1] not in text:
            problems.append(f"{entry['names'][0]}: no section titled {title!r} in {docname}")
    assert not problems, "\n".join(problems)


def test_each_site_knows_the_other_sites_names(html_root):
    """Every name the English glossary gives finds its entry on the Chinese site, and every
    name the Chinese glossary gives on the English site (the glossaries list the entries in
    the same order)."""
    zh, en = _entries(html_root, "zh_CN"), _entries(html_root, "en")
    assert len(zh) == len(en)
    missing = []
    for here, there in ((zh, en), (en, zh)):
        for mine, theirs in zip(here, there, strict=True):
            known = {comparable(n) for n in [*mine["names"], *mine["others"]]}
            missing += [f"{n!r} ({mine['names'][0]})" for n in theirs["names"]
                        if comparable(n) not in known]  # fmt: skip
    assert not missing, f"names the other site's search does not know: {missing}"


def test_the_aliases_readers_type_are_in_the_glossary(html_root):
    """Exam-bank names and English spellings, each on the entry it names."""
    owner = {}
    for entry in _entries(html_root, "zh_CN"):
        for name in [*entry["names"], *entry["others"]]:
            owner[name] = entry["names"][0]
    expected = {
        "全局梯度下降": "批量梯度下降", "BGD": "批量梯度下降", "MBGD": "小批量梯度下降",
        "记忆元": "细胞状态", "步幅": "步长", "BPTT": "时序反向传播", "backprop": "反向传播",
        "CNN": "卷积神经网络", "RNN": "循环神经网络", "LSTM": "长短期记忆网络",
        "MLP": "多层感知机", "ReLU": "ReLU", "SGD": "随机梯度下降",
    }  # fmt: skip
    wrong = {a: owner.get(a) for a, name in expected.items() if owner.get(a) != name}
    assert not wrong, f"aliases missing or on another entry: {wrong}"


def test_names_compare_without_case_hyphens_or_spaces():
    assert comparable("Back-propagation") == comparable("backpropagation")
    assert comparable("mini-batch") == comparable("Minibatch") == comparable("mini batch")
    assert comparable("1×1 卷积") == "11卷积"


def test_two_entries_may_not_share_a_name():
    a = {"names": ["偏置"], "others": ["bias"]}
    b = {"names": ["偏差", "Bias"], "others": ["bias (statistics)"]}
    assert _clashes([a, b]) == []  # "Bias" is b's name; a's "bias" is only a translation
    c = {"names": ["偏差"], "others": ["bias"]}
    assert _clashes([a, c]) == ["'bias' translates both '偏置' and '偏差'"]
    d = {"names": ["偏置", "BP"], "others": []}
    e = {"names": ["反向传播", "bp"], "others": []}
    assert _clashes([d, e]) == ["'bp' names both '偏置' and '反向传播'"]
