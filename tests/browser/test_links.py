"""Every link of the built site resolves: files, anchors, downloads (no browser needed).

It lives here rather than in tests/site because the pages link to the PDF and EPUB books,
which ``nox -s site`` makes sure exist (``nox -s docs`` runs tests/site before any book is built).
External links are listed in the report, never fetched.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from artifacts import HTML, LANGUAGES

LINKING = {"a": "href", "link": "href", "img": "src", "script": "src"}
NOT_FETCHED = ("mailto", "tel", "javascript", "data")


class _Links(HTMLParser):
    """The page's ids (anchor targets) and its (tag, URL) references."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        url = a.get(LINKING.get(tag, ""))
        if url is not None:
            self.refs.append((tag, url.strip()))


@cache
def _parse(path: Path) -> _Links:
    links = _Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def _pages(lang: str | None) -> list[Path]:
    """One language's pages (not the theme's fragments under _static/), or the chooser."""
    if lang is None:
        return [HTML / "index.html"]
    base = HTML / lang
    return sorted(
        p for p in base.rglob("*.html") if not p.relative_to(base).parts[0].startswith("_")
    )


@pytest.fixture(scope="module")
def externals(report):
    found: Counter[str] = Counter()
    yield found
    report.count("external links (listed, not fetched)", sum(found.values()))
    for url, n in found.items():
        report.count(f"external link, pages linking to it: {url}", n)


@pytest.mark.parametrize("lang", [None, *LANGUAGES], ids=["chooser", *LANGUAGES])
def test_every_link_resolves(lang, html_root, externals, report):
    root = html_root.resolve()
    broken: list[str] = []
    links = anchors = 0
    pages = _pages(lang)
    for page in pages:
        where = page.relative_to(root)
        for tag, url in _parse(page).refs:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") or parts.netloc:
                externals[url] += 1
                continue
            if parts.scheme in NOT_FETCHED or parts.scheme:
                continue
            links += 1
            path = unquote(parts.path)
            if not path:
                target = page
            elif path.startswith("/"):
                target = root / path.lstrip("/")
            else:
                target = (page.parent / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(root):
                broken.append(f"{where}: <{tag}> {url} leaves the site")
                continue
            if not target.is_file():
                broken.append(f"{where}: <{tag}> {url} -> {target.relative_to(root)} missing")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html":
                anchors += 1
                if fragment not in _parse(target).ids:
                    rel = target.relative_to(root)
                    broken.append(f"{where}: <{tag}> {url}: no id {fragment!r} in {rel}")
    report.add(
        f"links ({lang or 'chooser'}): {len(pages)} pages, {links} internal links checked, "
        f"{anchors} anchors checked, {len(broken)} broken"
    )
    assert not broken, f"{len(broken)} broken links:\n  " + "\n  ".join(broken[:50])
