"""Each EPUB is a well-formed book: container, manifest, spine, XHTML, links and math; the
self-test questions stay in their chapters and their answers are in the appendix."""

from __future__ import annotations

import posixpath
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from artifacts import LANGUAGES, QUOTED_BY_DLNOTES, ROOT

NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
}
CJK = re.compile(r"[\u3400-\u9fff]")
CHAPTERS = [f"chapters/{n:02d}-" for n in range(1, 12)]
# Pages whose English version shows Chinese on purpose (terms and the notes' words).
BILINGUAL = ("appendix/glossary", "appendix/errata")


class Book:
    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        container = ET.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//c:rootfile", NS).get("full-path")
        self.root = posixpath.dirname(self.opf_path)
        self.opf = ET.fromstring(self.zip.read(self.opf_path))
        self.manifest = {
            item.get("id"): posixpath.join(self.root, item.get("href"))
            for item in self.opf.find("opf:manifest", NS)
        }
        self.spine = [self.manifest[ref.get("idref")] for ref in self.opf.find("opf:spine", NS)]

    def pages(self) -> dict[str, ET.Element]:
        return {
            name: ET.fromstring(self.zip.read(name))
            for name in self.zip.namelist()
            if name.endswith(".xhtml")
        }


@pytest.fixture(scope="module", params=LANGUAGES)
def book(request, epub_dir) -> tuple[str, Book]:
    lang = request.param
    return lang, Book(epub_dir / f"dlnotes-{lang}.epub")


def test_container_starts_with_an_uncompressed_mimetype(book):
    _, b = book
    first = b.zip.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert b.zip.read("mimetype") == b"application/epub+zip"


def test_metadata_names_the_book_and_its_language(book):
    lang, b = book
    meta = b.opf.find("opf:metadata", NS)
    assert meta.find("dc:language", NS).text == lang.replace("_", "-")
    title = meta.find("dc:title", NS).text
    assert ("深度学习" in title) == (lang == "zh_CN")


def test_manifest_files_exist_and_spine_holds_every_chapter_in_order(book):
    _, b = book
    names = set(b.zip.namelist())
    missing = [href for href in b.manifest.values() if href not in names]
    assert not missing, missing
    positions = [next(i for i, page in enumerate(b.spine) if prefix in page) for prefix in CHAPTERS]
    assert positions == sorted(positions)
    for page in ("appendix/glossary", "appendix/notation", "appendix/errata"):
        assert any(page in p for p in b.spine), f"{page} is not in the book"


def test_pages_parse_and_every_link_and_image_resolves(book):
    _, b = book
    pages = b.pages()
    ids = {name: {e.get("id") for e in page.iter() if e.get("id")} for name, page in pages.items()}
    names = set(b.zip.namelist())
    broken = []
    for name, page in pages.items():
        for element in page.iter():
            url = element.get("href") if element.tag.endswith("}a") else element.get("src")
            if not url or element.tag.endswith("}link"):
                continue
            parts = urlsplit(url)
            assert parts.scheme not in ("http", "https"), f"{name} loads {url}"
            if parts.scheme:
                continue
            target = posixpath.normpath(
                posixpath.join(posixpath.dirname(name), unquote(parts.path))
            )
            target = target if parts.path else name
            if target not in names:
                broken.append(f"{name}: {url}")
            elif parts.fragment and parts.fragment not in ids.get(target, {parts.fragment}):
                broken.append(f"{name}: {url} (no such anchor)")
    assert not broken, broken[:20]


def test_math_is_drawn_as_images_not_left_to_javascript(book):
    _, b = book
    svgs = [n for n in b.zip.namelist() if n.endswith(".svg") and "/math/" in n]
    assert len(svgs) > 500
    for name, page in b.pages().items():
        scripts = [e.get("src") for e in page.iter(f"{{{NS['x']}}}script") if e.get("src")]
        assert not any("mathjax" in s.lower() for s in scripts), name
        text = "".join(page.itertext())
        assert "\\(" not in text and "$$" not in text, f"raw math in {name}"


def _translated_text(element: ET.Element) -> list[str]:
    """The text of an element without the parts marked as Chinese (the {zh} role)."""
    xml_lang = element.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    if (element.get("lang") or xml_lang).startswith("zh"):
        return [element.tail or ""]
    out = [element.text or ""]
    for child in element:
        out += _translated_text(child)
    return [*out, element.tail or ""]


def test_english_book_has_no_chinese_outside_the_bilingual_pages(epub_dir):
    b = Book(epub_dir / "dlnotes-en.epub")
    for name, page in b.pages().items():
        if any(p in name for p in BILINGUAL):
            continue
        body = page.find("x:body", NS)
        text = "".join(_translated_text(body))
        for title in QUOTED_BY_DLNOTES:  # the sections dlnotes' messages name, in both languages
            text = text.replace(title, "")
        found = CJK.findall(text)
        assert not found, f"{name}: {''.join(found[:20])}"


def test_questions_stay_in_their_chapters_and_the_answers_are_in_the_appendix(book):
    """No form and no script (an e-reader runs none): each question in its chapter, with a
    link to its answer, and every answer on the appendix page."""
    sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    import quizbank

    _, b = book
    pages = b.pages()
    ids = {name: {e.get("id") for e in page.iter() if e.get("id")} for name, page in pages.items()}
    answers = next(name for name in pages if "appendix/answers" in name)
    assert answers in b.spine
    for q in quizbank.read_all():
        chapter = next(name for name in pages if q.chapter in name)
        assert f"quiz-{q.id}" in ids[chapter], f"{q.id} is not in {chapter}"
        assert f"answer-{q.id}" in ids[answers], f"{q.id} has no answer in {answers}"
    for name, page in pages.items():
        forms = [e.tag for e in page.iter() if e.tag.split("}")[-1] in ("input", "button")]
        assert not forms, f"{name} has form elements {forms[:3]}"


def test_code_wraps_within_the_page(book):
    """An e-reader's page may be narrow: every page with code links a stylesheet that wraps
    long code lines inside their block (white-space: pre-wrap) rather than cutting them off."""
    lang, b = book
    wrapping = {
        name
        for name in b.zip.namelist()
        if name.endswith(".css")
        and re.search(r"\bpre\s*\{[^}]*white-space:\s*pre-wrap", b.zip.read(name).decode())
    }
    assert wrapping, f"dlnotes-{lang}.epub: no stylesheet wraps code lines"
    without = []
    for name, page in b.pages().items():
        if page.find(".//x:pre", NS) is None:
            continue
        links = {
            posixpath.normpath(posixpath.join(posixpath.dirname(name), link.get("href")))
            for link in page.iterfind(".//x:link", NS)
            if link.get("rel") == "stylesheet"
        }
        if not links & wrapping:
            without.append(name)
    assert not without, f"dlnotes-{lang}.epub: pages with code that does not wrap: {without}"
