"""Glossary terms are linked at their first use in a section only, and drawn as term links."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from artifacts import LANGUAGES


class _TermLinks(HTMLParser):
    """Links into the glossary, each with the section (innermost <section>) it stands in."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.links: list[tuple[str, str, bool]] = []  # (section id, anchor, drawn as a term)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("id") or f"section {len(self.sections)}")
        href = a.get("href") or ""
        if tag == "a" and "#term-" in href and "headerlink" not in (a.get("class") or ""):
            drawn = "dlnotes-term" in (a.get("class") or "").split()
            self.links.append((self.sections[-1] if self.sections else "", href, drawn))

    def handle_endtag(self, tag):
        if tag == "section" and self.sections:
            self.sections.pop()


def _chapters(root: Path, lang: str) -> list[Path]:
    return sorted((root / lang / "chapters").glob("*.html"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_term_is_linked_once_per_section(html_root, lang):
    problems: list[str] = []
    total = 0
    for page in _chapters(html_root, lang):
        parser = _TermLinks()
        parser.feed(page.read_text(encoding="utf-8"))
        total += len(parser.links)
        seen: set[tuple[str, str]] = set()
        for section, href, drawn in parser.links:
            if (section, href) in seen:
                problems.append(f"{page.name} #{section}: {href} linked again")
            seen.add((section, href))
            if not drawn:
                problems.append(f"{page.name} #{section}: {href} lacks the class dlnotes-term")
    assert total > 100, f"only {total} term links in the {lang} chapters"
    assert not problems, "\n".join(problems[:30])
