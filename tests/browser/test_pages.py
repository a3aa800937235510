"""Every page of both languages in a desktop browser: offline, no errors, math, images, switch."""

from __future__ import annotations

import pytest
from artifacts import HTML, LANGUAGES
from test_phone import PHONE_WIDTH, SCREENSHOT, narrowed

sync_api = pytest.importorskip("playwright.sync_api")


# Text nodes outside code in which TeX delimiters mean MathJax did not typeset the math.
RAW_MATH = """() => {
  const skip = "pre, code, script, style, textarea, noscript, mjx-container, .highlight";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.parentElement || node.parentElement.closest(skip)) continue;
    const text = node.textContent;
    if (["\\\\(", "\\\\)", "\\\\[", "\\\\]", "$$"].some((mark) => text.includes(mark)))
      found.push(text.trim().slice(0, 80));
  }
  return found;
}"""

MATH = """() => ({
  blocks: document.querySelectorAll(".math").length,
  untypeset: [...document.querySelectorAll(".math")]
    .filter((el) => !el.querySelector("mjx-container"))
    .map((el) => el.textContent.trim().slice(0, 60)),
  containers: document.querySelectorAll("mjx-container").length,
  errors: [...document.querySelectorAll("mjx-merror")].map((el) => el.textContent.slice(0, 60)),
})"""

# Lazy images are made eager, then every image is awaited (load or error).
IMAGES = """async () => {
  const images = [...document.images];
  await Promise.all(images.map((img) => {
    img.loading = "eager";
    if (img.complete) return null;
    return new Promise((done) => {
      img.addEventListener("load", done, { once: true });
      img.addEventListener("error", done, { once: true });
    });
  }));
  return images.map((img) => ({
    src: img.getAttribute("src"),
    alt: (img.getAttribute("alt") || "").trim(),
    hasAlt: img.hasAttribute("alt"),
    thumbnail: !!img.closest(".sphx-glr-thumbcontainer"),
    width: img.naturalWidth,
  }));
}"""

SWITCH = """() => [...document.querySelectorAll("a.dlnotes-lang-switch")].map((a) => {
  const box = a.getBoundingClientRect();
  return {
    href: a.href,
    inHeader: !!a.closest("header, .bd-header-article"),
    visible: box.width > 0 && box.height > 0 && getComputedStyle(a).visibility !== "hidden",
  };
})"""


def counterpart(page_path: str) -> str:
    """The same page in the other language: zh_CN/x.html <-> en/x.html."""
    lang, rest = page_path.split("/", 1)
    other = next(code for code in LANGUAGES if code != lang)
    return f"{other}/{rest}"


def is_chapter(page_path: str) -> bool:
    return page_path.split("/")[1:2] == ["chapters"]


def check_math(page) -> list[str]:
    problems = []
    math = page.evaluate(MATH)
    if math["blocks"]:
        problems += [f"math not typeset: {text}" for text in math["untypeset"]]
        problems += [f"MathJax error: {text}" for text in math["errors"]]
        if not math["containers"]:
            problems.append("the page has math but no mjx-container: MathJax did not run")
    problems += [f"raw TeX in the text: {text!r}" for text in page.evaluate(RAW_MATH)]
    return problems


def check_images(page) -> list[str]:
    problems = []
    for image in page.evaluate(IMAGES):
        if image["width"] == 0:
            problems.append(f"image did not load: {image['src']}")
        # A gallery thumbnail is decorative (alt=""), as sphinx-gallery makes it: its title
        # is the link right below it, which a screen reader would otherwise read twice.
        if not (image["alt"] or (image["thumbnail"] and image["hasAlt"])):
            problems.append(f"image without alt text: {image['src']}")
    return problems


def check_switch(page, page_path: str, site_url: str) -> list[str]:
    """The page's language switch points at its counterpart, which exists."""
    problems = []
    switches = page.evaluate(SWITCH)
    expected = f"{site_url}/{counterpart(page_path)}"
    if not switches:
        problems.append("no language switch (a.dlnotes-lang-switch)")
    for switch in switches:
        if switch["href"] != expected:
            problems.append(f"language switch goes to {switch['href']}, not {expected}")
        if not (switch["inHeader"] and switch["visible"]):
            problems.append("language switch not visible in the page header")
    if not (HTML / counterpart(page_path)).is_file():
        problems.append(f"{counterpart(page_path)} does not exist")
    return problems


def round_trip(page, page_path: str, site_url: str) -> list[str]:
    """Click the switch, land on the other language's page, click its switch, land back."""
    problems = []
    for here, there in ((page_path, counterpart(page_path)), (counterpart(page_path), page_path)):
        page.locator("a.dlnotes-lang-switch").first.click()
        try:
            page.wait_for_url(f"{site_url}/{there}", wait_until="commit")
        except sync_api.TimeoutError:
            problems.append(f"the switch on {here} led to {page.url}, not {there}")
            break
        lang = page.locator("html").get_attribute("lang")
        if lang != there.split("/")[0].replace("_", "-"):
            problems.append(f"{there} says lang={lang!r}")
    return problems


# Every page's switch is checked (check_switch: it points at the page's counterpart, which
# exists); on these the reader's click on it is followed there and back.
ROUND_TRIPS = [f"{lang}/{page}" for lang in LANGUAGES
               for page in ("index.html", "chapters/01-introduction.html")]  # fmt: skip


def test_every_page_works(page_path, desktop, visit, site_url, pages_seen, screenshot_path):
    """Offline, no error, math typeset, images shown, language switch, nothing sideways at
    phone width; a few pages also get a click on the switch there and back, and with
    ``--screenshots`` every chapter a full-page screenshot at both widths."""
    path = "index.html?stay" if page_path == "index.html" else page_path  # the chooser redirects
    tab = visit(desktop, path)
    page = tab.page
    problems = check_math(page) + check_images(page)
    if page_path != "index.html":
        problems += check_switch(page, page_path, site_url)
    pages_seen.append((page_path, page.locator("mjx-container").count()))
    phone_screenshot = None
    if is_chapter(page_path) and (desktop_screenshot := screenshot_path(page_path, "desktop")):
        page.screenshot(path=desktop_screenshot, **SCREENSHOT)
        phone_screenshot = screenshot_path(page_path, "phone")
    problems += [f"at {PHONE_WIDTH} px: {p}" for p in narrowed(page, phone_screenshot)]
    problems = tab.problems() + problems  # the listeners may have caught more meanwhile
    if page_path in ROUND_TRIPS:
        problems += round_trip(page, page_path, site_url)
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


@pytest.fixture(scope="module")
def pages_seen(report):
    seen: list[tuple[str, int]] = []
    yield seen
    for lang in LANGUAGES:
        mine = [(path, n) for path, n in seen if path.startswith(f"{lang}/")]
        report.count(f"{lang}: pages checked in the browser", len(mine))
        report.count(f"{lang}: of them with math", sum(1 for _, n in mine if n))
        report.count(f"{lang}: formulas typeset", sum(n for _, n in mine))
