"""A link on every page to the same page in the other language.

The two languages are built side by side, ``html/zh_CN/<page>.html`` and
``html/en/<page>.html``, so the other language's copy of a page is found by
going up to ``html/`` and down again. Templates get ``dlnotes_languages``:
a list of ``(code, label, url)`` for every language but the page's own.
"""

from __future__ import annotations

LANGUAGES = {"zh_CN": "中文", "en": "English"}


def _add_links(app, pagename, templatename, context, doctree) -> None:
    if app.builder.format != "html":
        return
    up = "../" * (pagename.count("/") + 1)
    suffix = app.builder.out_suffix
    context["dlnotes_languages"] = [
        (code, label, f"{up}{code}/{pagename}{suffix}")
        for code, label in LANGUAGES.items()
        if code != app.config.language
    ]


def setup(app):
    app.connect("html-page-context", _add_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
