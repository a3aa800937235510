"""A link on every page to the same page in the other language, and the ``{zh}`` role.

The two languages are built side by side, ``html/zh_CN/<page>.html`` and
``html/en/<page>.html``, so the other language's copy of a page is found by
going up to ``html/`` and down again. Templates get ``dlnotes_languages``:
a list of ``(code, label, url)`` for every language but the page's own.

``{zh}`批量梯度下降``` marks Chinese words that an English sentence is about (the names
course material uses, say) as Chinese: HTML gets ``lang="zh-CN"`` (fonts, screen readers),
and the English-only checks of the built site and books skip them.
"""

from __future__ import annotations

from docutils import nodes

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


def _chinese(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [nodes.inline(rawtext, text, classes=["language-zh-CN"])], []


def setup(app):
    app.connect("html-page-context", _add_links)
    app.add_role("zh", _chinese)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
