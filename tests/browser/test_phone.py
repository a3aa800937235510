"""Every chapter and index at phone width: no sideways scrolling, the switch at hand."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api")

# The outermost elements that reach past the screen's edge, not counting those as wide as the
# whole (zoomed-out) layout nor those that scroll inside a box of their own, as wide tables
# and code do (an ancestor with overflow-x other than visible holds them).
OVERFLOW = """(screen) => {
  const boxed = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement)
      if (getComputedStyle(p).overflowX !== "visible") return true;
    return false;
  };
  const out = [...document.body.querySelectorAll("*")].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.right > screen + 1 && box.width < window.innerWidth - 1 && !boxed(el);
  });
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    wide: out.filter((el) => !out.some((other) => other !== el && other.contains(el)))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} ` +
                   `(right edge at ${Math.round(el.getBoundingClientRect().right)} px)`),
  };
}"""


def test_phone_layout(phone_path, phone, visit, screenshot_path):
    path = "index.html?stay" if phone_path == "index.html" else phone_path
    tab = visit(phone, path)
    page = tab.page
    problems = []
    # A phone lays out a page wider than the screen at that width and zooms it out: innerWidth
    # grows with the content, so both are compared with the screen's width.
    screen = page.viewport_size["width"]
    width = page.evaluate(OVERFLOW, screen)
    if max(width["scrollWidth"], width["innerWidth"]) > screen + 1:
        problems.append(
            f"wider than the screen: {width['scrollWidth']} px of content, a {screen} px screen "
            f"(layout viewport {width['innerWidth']} px); sticking out: "
            f"{', '.join(width['wide']) or '?'}"
        )
    if phone_path != "index.html":
        switch = page.locator("a.dlnotes-lang-switch").first
        if not switch.is_visible():
            problems.append("the language switch is not visible")
    if phone_path.split("/")[1:2] == ["chapters"]:
        page.screenshot(path=screenshot_path(phone_path, "phone"), full_page=True, scale="css")
    problems = tab.problems() + problems
    assert not problems, f"{phone_path} at 390 px:\n  " + "\n  ".join(problems)
