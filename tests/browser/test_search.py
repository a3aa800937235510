"""Search as a reader uses it, and the chooser's redirect to the browser's language."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

pytest.importorskip("playwright.sync_api")

FINISHED = "() => document.querySelector('p.search-summary')?.innerText.trim().length > 0"


@pytest.mark.parametrize(
    ("lang", "query", "first"),
    [
        ("zh_CN", "激活函数", "chapters/04-activations.html"),
        ("en", "dropout", "chapters/06-regularisation.html"),
    ],
)
def test_search_finds_the_chapter_first(lang, query, first, desktop, visit, site_url):
    tab = visit(desktop, f"{lang}/search.html?q={quote(query)}", wait_for_math=False)
    tab.page.wait_for_function(FINISHED)  # Sphinx writes the summary when the search is done
    summary = tab.page.locator("p.search-summary").inner_text()
    results = tab.page.eval_on_selector_all("ul.search li a", "links => links.map(a => a.href)")
    assert results, f"{lang} search for {query!r} found nothing: {summary!r}"
    found = urlsplit(results[0]).path
    assert found == f"/{lang}/{first}", (
        f"{lang} search for {query!r}: first result {found}, not /{lang}/{first}; "
        f"{summary!r}; results: {[urlsplit(u).path for u in results[:5]]}"
    )
    assert not tab.problems(), "\n".join(tab.problems())


@pytest.mark.parametrize(("locale", "lang"), [("zh-CN", "zh_CN"), ("en-GB", "en")])
def test_chooser_sends_the_reader_to_their_language(locale, lang, browser, visit, site_url):
    context = browser.new_context(locale=locale)
    try:
        tab = visit(context, "index.html", wait_for_math=False)
        tab.page.wait_for_url(f"{site_url}/{lang}/index.html", wait_until="commit")
        assert not tab.problems(), "\n".join(tab.problems())
    finally:
        context.close()
