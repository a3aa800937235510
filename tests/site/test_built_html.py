"""The built HTML is complete, offline, bilingual and searchable in Chinese."""

from __future__ import annotations

import inspect
import json
import re
import zlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from artifacts import LANGUAGES, QUOTED_BY_DLNOTES, ROOT

import dlnotes

CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")


class _Page(HTMLParser):
    """Collects resource URLs, links, language-switch targets and visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.resources: list[tuple[str, str]] = []  # (tag, url) loaded by the page
        self.links: list[str] = []
        self.switch: list[str] = []
        self.text: list[str] = []
        self._skip = 0  # inside <script>/<style>/the language switch
        self._spans: list[bool] = []  # the open <span>s: is each one marked lang="zh-…"?
        self.translated: list[str] = []  # the visible text outside those marked spans

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "video", "audio") and a.get("src"):
            self.resources.append((tag, a["src"]))
        if tag == "link" and a.get("href"):
            self.resources.append((tag, a["href"]))
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
            if "dlnotes-lang-switch" in (a.get("class") or ""):
                self.switch.append(a["href"])
                self._skip += 1
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "span":  # Chinese words kept in English text on purpose: {zh}`…`
            self._spans.append(a.get("lang", "").startswith("zh"))

    def handle_endtag(self, tag):
        if tag in ("script", "style", "a") and self._skip:
            self._skip -= 1
        if tag == "span" and self._spans:
            self._spans.pop()

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)
            if not any(self._spans):
                self.translated.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _pages(root: Path, lang: str) -> list[Path]:
    """The pages of one language (not the theme's HTML fragments under _static/)."""
    base = root / lang
    return sorted(
        p for p in base.rglob("*.html") if not p.relative_to(base).parts[0].startswith("_")
    )


def test_landing_page_offers_both_languages(html_root):
    page = _parse(html_root / "index.html")
    assert "zh_CN/index.html" in page.links
    assert "en/index.html" in page.links


@pytest.mark.parametrize("lang", LANGUAGES)
def test_chapter_and_gallery_are_built(html_root, lang):
    base = html_root / lang
    for rel in (
        "index.html",
        "chapters/04-activations.html",
        "auto_examples/index.html",
        "auto_examples/activations/index.html",
        "search.html",
        "searchindex.js",
    ):
        assert (base / rel).is_file(), f"{lang}/{rel} missing"
    examples = sorted((ROOT / "gallery" / "activations").glob("plot_*.py"))
    assert examples
    for script in examples:
        page = base / "auto_examples" / "activations" / f"{script.stem}.html"
        assert page.is_file(), f"example page {page} missing"
        links = _parse(page).links
        for suffix in (".py", ".ipynb"):
            downloads = [u for u in links if u.endswith(script.stem + suffix)]
            assert downloads, f"{page.name}: no {suffix} download link"
            assert (page.parent / downloads[0]).resolve().is_file()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_nothing_is_loaded_from_another_host(html_root, lang):
    offenders = []
    for path in _pages(html_root, lang):
        for tag, url in _parse(path).resources:
            parts = urlsplit(url)
            if parts.scheme not in ("", "data") or parts.netloc:
                offenders.append(f"{path.relative_to(html_root)}: <{tag}> {url}")
    assert not offenders, "\n".join(offenders[:20])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_links_to_itself_in_the_other_language(html_root, lang):
    other = next(code for code in LANGUAGES if code != lang)
    for path in _pages(html_root, lang):
        switch = _parse(path).switch
        assert switch, f"{path.relative_to(html_root)} has no language switch"
        target = (path.parent / switch[0]).resolve()
        assert target == (html_root / other / path.relative_to(html_root / lang)).resolve()
        assert target.is_file(), f"{target} missing"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_local_image_exists(html_root, lang):
    for path in _pages(html_root, lang):
        for tag, url in _parse(path).resources:
            if tag == "img" and not url.startswith("data:"):
                assert (path.parent / urlsplit(url).path).is_file(), f"{path}: {url}"


# English pages that must show Chinese, one page per line: a bilingual glossary maps
# the exam's Chinese terms to English ones, so it shows both languages side by side;
# the errata quote the notes' mistaken Chinese words, which cannot be translated away.
BILINGUAL_PAGES = {
    "appendix/glossary.html",
    "appendix/errata.html",
    "genindex.html",  # indexes the glossary's terms, their Chinese names included
}


def test_english_pages_contain_no_chinese(html_root):
    """Everything a reader sees on the English site is translated (bar the bilingual pages and
    the Chinese names an English sentence is about, marked as Chinese with the {zh} role)."""
    offenders = []
    for path in _pages(html_root, "en"):
        if path.relative_to(html_root / "en").as_posix() in BILINGUAL_PAGES:
            continue
        text = "".join(_parse(path).translated)
        for title in QUOTED_BY_DLNOTES:
            text = text.replace(title, "")
        for match in CJK.finditer(text):
            start = max(match.start() - 30, 0)
            offenders.append(f"{path.relative_to(html_root)}: …{text[start : match.end() + 30]}…")
            break
    assert not offenders, "\n".join(offenders[:20])


def test_chinese_gallery_interface_is_chinese(html_root):
    page = html_root / "zh_CN" / "auto_examples" / "activations" / "plot_activation_functions.html"
    text = "".join(_parse(page).text)
    assert "下载 Python 源代码" in text and "下载 Jupyter 笔记本" in text
    assert "下载压缩包" in text
    assert "Download" not in text


def test_math_is_served_locally(html_root):
    for lang in LANGUAGES:
        page = _parse(html_root / lang / "chapters" / "04-activations.html")
        mathjax = [
            url for tag, url in page.resources if tag == "script" and "mathjax" in url.lower()
        ]
        assert mathjax, "no MathJax script on the chapter page"
        for url in mathjax:
            assert (html_root / lang / "chapters" / urlsplit(url).path).resolve().is_file(), url


@pytest.mark.parametrize("term", ["激活函数", "反向传播"])
def test_chinese_search_index_has_whole_terms(html_root, term):
    text = (html_root / "zh_CN" / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    assert term in index["terms"], f"{term} is not a search term of the Chinese site"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_markup_is_left_unparsed(html_root, lang):
    """A role such as :math:`x` that docutils did not recognise shows up as raw text.

    reStructuredText only ends inline markup before whitespace or certain
    punctuation: ``:math:`x`（`` needs ``\\ `` before a full-width parenthesis.
    """
    offenders = []
    for path in _pages(html_root, lang):
        text = "".join(_parse(path).text)
        for marker in (":math:`", ":ref:`", ":func:`", ":class:`", "{ref}`", "{math}`", "{term}`"):
            if marker in text:
                offenders.append(f"{path.relative_to(html_root)}: {marker}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_display_math_survives_translation(html_root, lang):
    """A display-math block whose translation differs from the source comes out as ``\\[::\\]``.

    Display math must be language-neutral (no words inside ``\\text{}``), so that its
    translation is the source itself.
    """
    broken = [
        str(path.relative_to(html_root))
        for path in _pages(html_root, lang)
        if r"\[::\]" in path.read_text(encoding="utf-8")
    ]
    assert not broken, broken


def _documented_objects(inventory: Path) -> set[str]:
    """The Python objects Sphinx documented, read from its objects.inv.

    After four header lines the file is zlib-compressed, one object per line:
    ``name domain:role priority uri display-name``.
    """
    data = inventory.read_bytes()
    body = data.split(b"\n", 4)[4]
    lines = zlib.decompress(body).decode("utf-8").splitlines()
    return {line.split(" ", 1)[0] for line in lines if line.split(" ")[1].startswith("py:")}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_api_reference_documents_every_public_object(html_root, lang):
    """Each name in a dlnotes module's ``__all__`` has its entry in the API reference."""
    documented = _documented_objects(html_root / lang / "objects.inv")
    missing = [
        f"dlnotes.{module}.{name}"
        for module in dlnotes.__all__
        if inspect.ismodule(getattr(dlnotes, module))
        for name in getattr(dlnotes, module).__all__
        if f"dlnotes.{module}.{name}" not in documented
    ]
    assert not missing, missing
