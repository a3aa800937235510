"""Every chapter and index at phone width: no sideways scrolling, the switch at hand."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api")

# The widest elements that stick out of the viewport (wide tables and code scroll inside their
# own box and are not counted: an ancestor with overflow-x other than visible clips them).
OVERFLOW = """() => {
  const width = window.innerWidth;
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement)
      if (getComputedStyle(p).overflowX !== "visible") return true;
    return false;
  };
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: width,
    wide: [...document.body.querySelectorAll("*")]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !clipped(el))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} ` +
                   `(right edge ${Math.round(el.getBoundingClientRect().right)} px)`),
  };
}"""


def test_phone_layout(phone_path, phone, visit, screenshot_path):
    path = "index.html?stay" if phone_path == "index.html" else phone_path
    tab = visit(phone, path)
    page = tab.page
    problems = []
    width = page.evaluate(OVERFLOW)
    if width["scrollWidth"] > width["innerWidth"] + 1:
        problems.append(
            f"scrolls sideways: {width['scrollWidth']} px wide in a {width['innerWidth']} px "
            f"viewport; sticking out: {', '.join(width['wide']) or '?'}"
        )
    if phone_path != "index.html":
        switch = page.locator("a.dlnotes-lang-switch").first
        if not switch.is_visible():
            problems.append("the language switch is not visible")
    if phone_path.split("/")[1:2] == ["chapters"]:
        page.screenshot(path=screenshot_path(phone_path, "phone"), full_page=True, scale="css")
    problems = tab.problems() + problems
    assert not problems, f"{phone_path} at 390 px:\n  " + "\n  ".join(problems)
