"""Quiet glossary links: a term is linked at its first use in a section only.

Every ``{term}`` role resolves to a link into the glossary. A paragraph in which a dozen
terms are all links reads like a page of links, so after the references are resolved
this transform keeps the first link to each glossary entry in each section (a subsection
counts as a section of its own) and turns the later ones back into plain text. The links
it keeps get the class ``dlnotes-term``: ``_static/dlnotes.css`` draws them with a dotted
underline in the text's colour, and ``_static/term-tips.js`` (with sphinx-tippy) shows the
entry's definition in a popup.

It runs for every builder, so the website, the PDF and the EPUB link the same words.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

TERM_CLASS = "dlnotes-term"


def _term_target(ref: nodes.reference) -> str | None:
    """The glossary anchor a resolved ``{term}`` link points to, else None."""
    if not any("std-term" in child.get("classes", []) for child in ref.children
               if isinstance(child, nodes.Element)):  # fmt: skip
        return None
    return ref.get("refuri") or "#" + ref.get("refid", "")


def _section_of(node: nodes.Node) -> nodes.Element | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    return parent


class QuietTermLinks(SphinxPostTransform):
    """Keep the first link to each glossary entry per section; unlink the rest."""

    default_priority = 20  # after the ReferencesResolver (10) has made the links

    def run(self, **kwargs) -> None:
        seen: set[tuple[int, str]] = set()
        for ref in list(self.document.findall(nodes.reference)):
            target = _term_target(ref)
            if target is None:
                continue
            key = (id(_section_of(ref)), target.split("#", 1)[-1])
            if key in seen:
                ref.replace_self(nodes.Text(ref.astext()))  # the term as it was written
            else:
                seen.add(key)
                ref["classes"].append(TERM_CLASS)


def _whole_entries(app, pagename, templatename, context, doctree) -> None:
    """A popup for a glossary entry's other names shows the whole entry too.

    sphinx-tippy's popup for a ``<dt>`` is that ``<dt>`` and the ``<dd>`` right after it, so
    only an entry's last name would show the definition: every name of the entry gets the
    names and the definition of the last one (its collected tips, replaced in place).
    """
    pages = getattr(app.env, "tippy_data", {}).get("pages", {})
    if pagename not in pages or "glossary" not in context.get("body", ""):
        return
    from bs4 import BeautifulSoup  # a dependency of sphinx-tippy

    tips = pages[pagename]["id_to_html"]
    body = BeautifulSoup(context["body"], "html.parser")
    for glossary in body.select("dl.glossary"):
        names: list[str] = []
        for item in glossary.find_all(["dt", "dd"], recursive=False):
            if item.name == "dt" and item.get("id"):
                names.append(str(item["id"]))
            elif item.name == "dd":
                last = names[-1] if names else None
                if last in tips:
                    whole = "".join(f"<dt>{escape(_name_text(body, n))}</dt>" for n in names[:-1])
                    for name in names:
                        tips[name] = whole + tips[last]
                names = []


def _name_text(body, name_id: str) -> str:
    """A glossary name as written: the text of its <dt> without the permalink."""
    dt = body.find(id=name_id)
    if dt is None:
        return ""
    return "".join(
        str(part) if isinstance(part, str) else part.get_text()
        for part in dt.children
        if isinstance(part, str) or "headerlink" not in (part.get("class") or [])
    ).strip()


def _only_on_the_website(app) -> None:
    """sphinx-tippy also runs for the EPUB (an HTML builder): e-readers run no scripts."""
    if app.builder.name != "html":
        for listeners in app.events.listeners.values():
            listeners[:] = [
                listener for listener in listeners
                if getattr(listener.handler, "__module__", "") != "sphinx_tippy"
            ]  # fmt: skip


def setup(app):
    app.add_post_transform(QuietTermLinks)
    app.connect("html-page-context", _whole_entries, priority=460)  # sphinx-tippy's is 450
    app.connect("builder-inited", _only_on_the_website, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
