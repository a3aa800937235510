"""Phone width (390 px): nothing scrolls the page sideways, and a box that scrolls inside the
page (a wide formula, table or code line) shows that it does.

Every page is checked at this width by test_pages.py (its desktop tab, narrowed, where the
chapters' phone screenshots are taken); every chapter and index is also opened here as a
phone opens it (touch, zoom, the language switch at hand).
"""

from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api")

PHONE_WIDTH = 390
# Full-page screenshots of long chapters (30 000 px and more), desktop and phone: JPEG
# takes half the time of PNG to encode, and is as good for a reader looking at the layout.
SCREENSHOT = {"full_page": True, "type": "jpeg", "quality": 85}

# The outermost elements that reach past the screen's edge, not counting those as wide as the
# whole (zoomed-out) layout nor those inside a box that scrolls on its own; and the boxes that
# scroll sideways without saying so (scroll-hints.js fades the edge of those it knows; the
# sidebars are drawers, closed on a phone).
WIDTH = """(screen) => {
  const inBox = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement)
      if (getComputedStyle(p).overflowX !== "visible") return true;
    return false;
  };
  const describe = (el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} ` +
    `(${el.textContent.trim().slice(0, 40)})`;
  const all = [...document.body.querySelectorAll("*")];
  const out = all.filter((el) => {
    const box = el.getBoundingClientRect();
    return box.right > screen + 1 && box.width < window.innerWidth - 1 && !inBox(el);
  });
  const silent = all.filter((el) => {
    if (el.closest(".bd-sidebar-primary, .bd-sidebar-secondary")) return false;
    if (!["auto", "scroll"].includes(getComputedStyle(el).overflowX)) return false;
    if (el.scrollWidth <= el.clientWidth + 1 || !el.getBoundingClientRect().width) return false;
    return !["dlnotes-more-left", "dlnotes-more-right"].some((c) => el.classList.contains(c));
  });
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    wide: out.filter((el) => !out.some((other) => other !== el && other.contains(el)))
      .slice(0, 5).map(describe),
    silent: silent.slice(0, 5).map(describe),
    silentCount: silent.length,
  };
}"""


def check_width(page) -> list[str]:
    """What is wrong with the page at its current (phone) width."""
    # A phone lays out a page wider than the screen at that width and zooms it out: innerWidth
    # grows with the content, so both are compared with the screen's width.
    screen = page.viewport_size["width"]
    width = page.evaluate(WIDTH, screen)
    problems = []
    if max(width["scrollWidth"], width["innerWidth"]) > screen + 1:
        problems.append(
            f"wider than the screen: {width['scrollWidth']} px of content, a {screen} px screen "
            f"(layout viewport {width['innerWidth']} px); sticking out: "
            f"{', '.join(width['wide']) or '?'}"
        )
    if width["silentCount"]:
        problems.append(
            f"{width['silentCount']} boxes scroll sideways with nothing to show it: "
            + "; ".join(width["silent"])
        )
    return problems


def narrowed(page, screenshot=None) -> list[str]:
    """Narrow a desktop tab to a phone's width, check it (and save a full-page screenshot to
    `screenshot` if given), and widen it again for the next visit."""
    desktop = page.viewport_size
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    try:
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))")
        problems = check_width(page)
        if screenshot is not None:
            page.screenshot(path=screenshot, **SCREENSHOT)
        return problems
    finally:
        page.set_viewport_size(desktop)


def test_phone_layout(phone_path, phone, visit):
    """As a phone opens the page (touch, zoom): the width, and the switch at hand. The math is
    not typeset here; test_pages.py checks every page's width with it."""
    path = "index.html?stay" if phone_path == "index.html" else phone_path
    tab = visit(phone, path, math=False)
    page = tab.page
    problems = check_width(page)
    if phone_path != "index.html":
        switch = page.locator("a.dlnotes-lang-switch").first
        if not switch.is_visible():
            problems.append("the language switch is not visible")
    problems = tab.problems() + problems
    assert not problems, f"{phone_path} at {PHONE_WIDTH} px:\n  " + "\n  ".join(problems)
