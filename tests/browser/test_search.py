"""Search as a reader uses it, and the chooser's redirect to the browser's language.

The search box is a learner's index: any name of a glossary term, in either language,
must give first the section that teaches the term. What counts as the term's names and
its home is read from the built glossary page, as a reader sees it (its term lines, the
italic name in the other language, and the "See" link that ends each definition), not
from the data the search page is given.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

pytest.importorskip("playwright.sync_api")

FINISHED = "() => document.querySelector('p.search-summary')?.innerText.trim().length > 0"

# Each entry of the glossary page: its names (term lines), the name in the other language
# (the italic that opens the definition) and the home section (the definition's last link).
GLOSSARY_ENTRIES = """() => [...document.querySelectorAll("dl.glossary")].flatMap((dl) => {
  const entries = [];
  let names = [];
  for (const el of dl.children) {
    if (el.tagName === "DT") {
      const dt = el.cloneNode(true);
      dt.querySelectorAll(".headerlink").forEach((a) => a.remove());
      names.push(dt.textContent.trim());
    } else if (el.tagName === "DD") {
      const first = el.querySelector(":scope > p")?.firstChild;
      const refs = [...el.querySelectorAll("a.reference.internal")]
        .filter((a) => a.querySelector(".std-ref"));
      const home = refs.length ? new URL(refs.at(-1).href) : null;
      entries.push({
        names,
        other: first?.nodeName === "EM" ? first.textContent.trim() : null,
        home: home && home.pathname + home.hash,
      });
      names = [];
    }
  }
  return entries;
})"""

# The first result of each query, as the search page orders them: "/lang/doc.html#anchor".
FIRST_RESULTS = """([lang, queries]) => queries.map((query) => {
  const first = Search.dlnotes.results(query)[0];
  return first ? `/${lang}/${first[0]}.html${first[2]}` : null;
})"""

# Spellings a reader types that the glossary need not list: hyphen, space, plural, case.
# Each is given with a name of its entry in the glossary of that language.
SPELLINGS = {
    "zh_CN": {
        "backpropagation": "反向传播", "back propagation": "反向传播", "Backprop": "反向传播",
        "minibatch gradient descent": "小批量梯度下降", "mini batch": "小批量",
        "feedforward network": "前馈网络", "feed forward": "前馈网络",
        "vanishing gradient": "梯度消失", "relu": "ReLU", "sgd": "随机梯度下降",
        "dropout": "随机失活",
    },
    "en": {
        "backpropagation": "back-propagation", "back propagation": "back-propagation",
        "Backprop": "back-propagation", "minibatch": "mini-batch",
        "mini batch gradient descent": "mini-batch gradient descent",
        "minibatch gradient descent": "mini-batch gradient descent",
        "feedforward": "feedforward network", "feed-forward network": "feedforward network",
        "vanishing gradient": "vanishing gradients", "exploding gradient": "exploding gradients",
        "relu": "ReLU", "bgd": "batch gradient descent", "Kernel": "kernel",
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def glossary(desktop, site_url):
    """Per language: the glossary page's entries, each with its names and its home."""
    entries, page = {}, desktop.new_page()
    try:
        for lang in ("zh_CN", "en"):
            page.goto(f"{site_url}/{lang}/appendix/glossary.html")
            entries[lang] = page.evaluate(GLOSSARY_ENTRIES)
    finally:
        page.close()
    return entries


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_name_in_either_language_finds_its_home_first(lang, glossary, desktop, visit, report):
    entries = glossary[lang]
    assert len(entries) > 200, f"{lang}: only {len(entries)} glossary entries were read"
    no_home = [e["names"][0] for e in entries if not (e["home"] or "").startswith(f"/{lang}/")]
    assert not no_home, f"{lang}: glossary entries without a home section: {no_home}"
    # every name of both glossaries, and where it must lead on this site; an entry's own
    # names first, as another entry's translation may repeat one
    twins = glossary["en" if lang == "zh_CN" else "zh_CN"]
    home_of = {}
    for entry in entries:
        home_of.update(dict.fromkeys(entry["names"], entry["home"]))
    for entry, twin in zip(entries, twins, strict=True):
        for name in [entry["other"], *twin["names"], twin["other"]]:
            if name:
                home_of.setdefault(name, entry["home"])
    for spelling, name in SPELLINGS[lang].items():
        home_of[spelling] = home_of[name]
    tab = visit(desktop, f"{lang}/search.html", wait_for_math=False, math=False)
    tab.page.wait_for_function("() => Search.hasIndex() && Search.dlnotes !== undefined")
    queries = list(home_of)
    firsts = tab.page.evaluate(FIRST_RESULTS, [lang, queries])
    wrong = [f"{q!r}: {got} (home {home_of[q]})" for q, got in zip(queries, firsts, strict=True)
             if got != home_of[q]]  # fmt: skip
    report.count(f"search: glossary names searched ({lang})", len(queries))
    report.count(f"search: names with their home first ({lang})", len(queries) - len(wrong))
    listed = "\n".join(wrong[:40])
    assert not wrong, f"{lang}: {len(wrong)} of {len(queries)} names miss their home:\n{listed}"
    assert not tab.problems(), "\n".join(tab.problems())


def _tier(path: str) -> int:
    """The order results come in: chapters, other pages, gallery, then glossary and API."""
    doc = path.split("/", 2)[2]
    if doc.startswith("chapters/"):
        return 0
    if doc.startswith("auto_examples/"):
        return 2
    return 3 if doc.startswith(("appendix/", "api/")) else 1


@pytest.mark.parametrize(
    ("lang", "query", "name"),
    [
        ("zh_CN", "反向传播", "反向传播"),
        ("zh_CN", "小批量梯度下降", "小批量梯度下降"),
        ("zh_CN", "梯度消失", "梯度消失"),
        ("zh_CN", "细胞状态", "细胞状态"),
        ("zh_CN", "卷积核", "卷积核"),
        ("zh_CN", "Adam", "Adam"),
        ("zh_CN", "全局梯度下降", "批量梯度下降"),
        ("zh_CN", "记忆元", "细胞状态"),
        ("zh_CN", "步幅", "步长"),
        ("zh_CN", "backpropagation", "反向传播"),
        ("en", "backpropagation", "back-propagation"),
        ("en", "minibatch", "mini-batch"),
        ("en", "vanishing gradient", "vanishing gradients"),
        ("en", "feed-forward network", "feedforward network"),
        ("en", "Adam", "Adam"),
        ("en", "BPTT", "back-propagation through time"),
        ("en", "记忆元", "cell state"),
        ("en", "反向传播", "back-propagation"),
    ],
)
def test_search_page_shows_the_home_section_first(lang, query, name, glossary, desktop, visit):
    home = next(e["home"] for e in glossary[lang] if name in e["names"])
    tab = visit(desktop, f"{lang}/search.html?q={quote(query)}", wait_for_math=False, math=False)
    tab.page.wait_for_function(FINISHED)  # written when every result is listed
    items = tab.page.locator("ul.search > li")
    hrefs = items.locator("> a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs, f"{lang} search for {query!r} found nothing"
    first = urlsplit(hrefs[0])
    assert first.path + "#" + first.fragment == home, (
        f"{lang} search for {query!r}: first result {hrefs[0]}, not the home section {home}"
    )
    # the section's title, and an excerpt with the term highlighted
    assert " › " in items.first.locator("> a").inner_text()
    excerpt = items.first.locator("p.context")
    excerpt.wait_for()
    marked = excerpt.locator(".highlighted").all_inner_texts()
    assert marked, f"{lang} {query!r}: nothing highlighted in {excerpt.inner_text()!r}"
    # then the chapters, the other pages, the gallery, the glossary and the API
    tiers = [_tier(urlsplit(h).path) for h in hrefs[1:]]
    assert tiers == sorted(tiers), f"{lang} {query!r}: results out of order: {hrefs[:12]}"
    assert not tab.problems(), "\n".join(tab.problems())


@pytest.mark.parametrize(
    ("lang", "query", "suggested"),
    [("zh_CN", "反响传播", "反向传播"), ("en", "backpropogation", "back-propagation")],
)
def test_a_query_that_finds_nothing_suggests_glossary_terms(lang, query, suggested, desktop, visit):
    tab = visit(desktop, f"{lang}/search.html?q={quote(query)}", wait_for_math=False, math=False)
    tab.page.wait_for_function(FINISHED)
    assert not tab.page.locator("ul.search > li").count()
    links = tab.page.locator("p.search-suggestions a")
    assert suggested in links.first.inner_text()
    links.first.click()
    tab.page.wait_for_function(FINISHED)
    assert tab.page.locator("ul.search > li").count(), "the suggested term finds nothing"
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
