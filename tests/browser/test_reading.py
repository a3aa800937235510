"""Reading comfort, as a reader meets it in both languages: copy buttons that copy the code
only, glossary popups on hover, focus and tap, one search field, and a favicon.

The pages open without typesetting their math (``math=False``): test_pages.py checks it."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from artifacts import HTML, LANGUAGES

sync_api = pytest.importorskip("playwright.sync_api")

CHAPTER = "chapters/03-training.html"  # code cells, doctests and many glossary terms
TERMS = "chapters/09-cnn.html"  # its first paragraph names a dozen terms


@pytest.fixture(scope="module")
def clipboard(browser):
    """A desktop context allowed to read what the page puts on the clipboard."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    context.set_default_timeout(20_000)
    yield context
    context.close()


def _copy(page, block) -> str:
    """Click a code block's copy button; what is on the clipboard."""
    page.evaluate("() => navigator.clipboard.writeText('')")
    block.hover()  # the button shows on hover
    block.locator("button.copybtn").click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()).length > 0")
    return page.evaluate("() => navigator.clipboard.readText()")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_copy_buttons_copy_the_code_only(lang, clipboard, visit):
    tab = visit(clipboard, f"{lang}/{CHAPTER}", math=False)
    page = tab.page
    # a chapter's code cell: exactly its source; its output has no button of its own
    cell = page.locator("div.cell_input div.highlight").first
    copied = _copy(page, cell)
    source = cell.locator("pre").inner_text()
    assert copied.strip() == source.strip(), f"copied {copied!r}, the cell is {source!r}"
    assert page.locator("div.cell_output button.copybtn").count() == 0
    # a doctest: the statements without their >>> and ... prompts, without what they print
    doctest = page.locator("div.highlight:has(span.gp)").first
    copied = _copy(page, doctest)
    lines = doctest.locator("pre").inner_text().splitlines()
    statements = [re.sub(r"^(>>>|\.\.\.) ?", "", line) for line in lines
                  if line.startswith((">>>", "..."))]  # fmt: skip
    assert copied.splitlines() == statements, f"copied {copied!r}"
    assert not tab.problems(), "\n".join(tab.problems())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_copy_buttons_on_the_gallery_and_the_api(lang, desktop, visit):
    """Every code block of a gallery example and of an API page has a button; the text an
    example prints has none."""
    for path, code in (
        ("auto_examples/cnn/plot_padding_stride.html", "div.highlight-Python"),
        ("api/layers.html", "div.highlight-default, div.highlight-pycon"),
    ):
        tab = visit(desktop, f"{lang}/{path}", math=False)
        blocks = tab.page.locator(f":is({code}) div.highlight")
        assert blocks.count() > 0, f"{path}: no code block ({code})"
        buttons = tab.page.locator(f":is({code}) div.highlight button.copybtn")
        assert buttons.count() == blocks.count(), f"{path}: a code block without a copy button"
        assert tab.page.locator(".sphx-glr-script-out button.copybtn").count() == 0
        assert not tab.problems(), "\n".join(tab.problems())


def _definition(glossary_html: str, anchor: str) -> str:
    """The first words of a glossary entry's definition, from the built glossary page."""
    found = re.search(rf'id="{re.escape(anchor)}".*?<dd>(.*?)</dd>', glossary_html, re.S)
    assert found, f"no glossary entry #{anchor}"
    text = unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()
    return text.split("：")[0].split(":")[0][:12]  # the entry's English name, in italics


def _popup(page):
    return page.locator(".tippy-box[data-theme~='dlnotes']")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_term_popup_on_hover_and_focus(lang, desktop, visit):
    tab = visit(desktop, f"{lang}/{TERMS}", math=False)
    page = tab.page
    terms = page.locator("article a.dlnotes-term")
    assert terms.count() > 0, "no quiet term links"
    first_paragraph = page.locator("article section > p").first
    assert first_paragraph.locator("a.dlnotes-term").count() > 0
    term = terms.first
    # calm: the text's colour and a dotted underline, unlike an ordinary link
    style = term.evaluate(
        "a => { const s = getComputedStyle(a), p = getComputedStyle(a.closest('p, li, td'));"
        " return [s.textDecorationStyle, s.color === p.color]; }"
    )
    assert style == ["dotted", True], style
    anchor = urlsplit(term.get_attribute("href")).fragment
    glossary = (HTML / lang / "appendix" / "glossary.html").read_text(encoding="utf-8")
    expected = _definition(glossary, anchor)
    page.wait_for_function("() => document.querySelector('a.dlnotes-term')?._tippy")
    term.hover()
    popup = _popup(page)
    popup.wait_for(state="visible")
    assert expected in popup.inner_text(), f"popup {popup.inner_text()!r} lacks {expected!r}"
    page.mouse.move(0, 0)
    popup.wait_for(state="hidden")
    term.focus()  # as Tab would
    popup.wait_for(state="visible")
    assert expected in popup.inner_text()
    assert not tab.problems(), "\n".join(tab.problems())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_term_popup_on_tap_stays_on_the_page(lang, phone, visit, site_url):
    tab = visit(phone, f"{lang}/{TERMS}", math=False)
    page = tab.page
    page.wait_for_function("() => document.querySelector('a.dlnotes-term')?._tippy")
    term = page.locator("article a.dlnotes-term").first
    term.scroll_into_view_if_needed()
    term.tap()
    _popup(page).wait_for(state="visible")
    assert page.url == f"{site_url}/{lang}/{TERMS}", f"the tap left the page for {page.url}"
    assert not tab.problems(), "\n".join(tab.problems())


SEARCH_FIELDS = """() => [...document.querySelectorAll(
    "input[type=search], .search-button-field, button.search-button, .bd-search")]
  .filter((el) => {
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden"
      && !el.closest("dialog");  // the search dialog (the shortcut opens it), the drawers
  })
  .filter((el, _, all) => !all.some((other) => other !== el && other.contains(el)))
  .map((el) => el.outerHTML.slice(0, 80))"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_search_field_and_its_shortcut(lang, desktop, visit):
    tab = visit(desktop, f"{lang}/{CHAPTER}", math=False)
    page = tab.page
    fields = page.evaluate(SEARCH_FIELDS)
    assert len(fields) == 1, f"{len(fields)} search fields on a desktop page: {fields}"
    page.keyboard.press("Control+k")
    dialog = page.locator("#pst-search-dialog[open] input[type=search]")
    dialog.wait_for(state="visible")
    assert dialog.evaluate("el => el === document.activeElement")
    assert not tab.problems(), "\n".join(tab.problems())


@pytest.mark.parametrize("path", ["index.html?stay", "zh_CN/index.html", "en/index.html"])
def test_favicon(path, browser, visit, site_url):
    """A fresh browser (no cache) opens the page: its icon and /favicon.ico both load."""
    context = browser.new_context()
    try:
        tab = visit(context, path)
        icon = tab.page.locator("link[rel~='icon']")
        assert icon.count() == 1, "no <link rel=icon>"
        for url in (icon.evaluate("link => link.href"), f"{site_url}/favicon.ico"):
            response = tab.page.request.get(url)
            assert response.ok, f"{url}: HTTP {response.status}"
            assert response.headers["content-type"].startswith("image/"), url
        tab.page.wait_for_load_state("networkidle")
        assert not tab.problems(), "\n".join(tab.problems())
    finally:
        context.close()
