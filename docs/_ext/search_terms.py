"""Search by glossary term: the search page sends a reader to the section that teaches it.

A learner uses the search box as an index: type a term under any of its names, land where
the term is taught. The glossary (appendix/glossary.md) is the one source of what that
takes. Each entry gives

* its names: the term lines (the handbook's term, other Chinese names, the names textbooks
  and exam banks use, abbreviations, other English spellings), translated on the English
  site, where the Chinese aliases stay as they are;
* its name in the other language: the italic that opens the definition;
* its home: the section the definition's last sentence points to (详见 {ref}`label` /
  See {ref}`label`).

On the search page of the HTML builds this extension puts those records, read from the
glossary's doctree in the language being built, into ``window.DLNOTES_TERMS``, and adds
``_static/glossary-search.js``, which uses them: a query that is a name of an entry gets
the entry's home section first (see that file for the rest). The Chinese word list that
keeps the terms whole when Sphinx indexes the text comes from the same glossary
(_ext/search_dict.py).
"""

from __future__ import annotations

import json
import re
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError

GLOSSARY = "appendix/glossary"
SCRIPT = "glossary-search.js"


def comparable(name: str) -> str:
    """A name as two names are compared for clashes: lower case, letters and digits only.

    The search page compares stemmed English words as well (``gradients`` finds
    ``gradient``); two names equal here are equal there too.

    >>> comparable("Back-propagation"), comparable("1×1 卷积")
    ('backpropagation', '11卷积')
    """
    return "".join(re.findall(r"[^\W_]+", name.lower()))


def _home(definition: nodes.Element) -> str | None:
    """The label of the section the definition's ``{ref}`` points to."""
    refs = [x["reftarget"] for x in definition.findall(addnodes.pending_xref)
            if x.get("reftype") == "ref"]  # fmt: skip
    return refs[-1] if refs else None


def _other_name(definition: nodes.Element) -> str | None:
    """The italic that opens the definition: the entry's name in the other language."""
    para = next(definition.findall(nodes.paragraph), None)
    first = para.children[0] if para is not None and para.children else None
    return first.astext() if isinstance(first, nodes.emphasis) else None


def glossary_entries(env: BuildEnvironment) -> list[dict[str, Any]]:
    """One record per glossary entry: its names, its other-language name and its home.

    ``home`` is ``[docname, anchor, title]``, with the title written as the search page
    shows it: the page's title, then the section's (``Page › Section``), or the page's
    alone when the home is the page itself.
    """
    doctree = env.get_doctree(GLOSSARY)
    labels = env.domaindata["std"]["labels"]
    records, problems = [], []
    for item in doctree.findall(nodes.definition_list_item):
        if not isinstance(item.parent.parent, addnodes.glossary):
            continue
        names = [term.astext() for term in item.findall(nodes.term)]
        definition = item.next_node(nodes.definition)
        label = _home(definition)
        if label not in labels:
            problems.append(f"{names[0]!r}: no home section ({label!r} is not a label)")
            continue
        docname, anchor, section = labels[label]
        page = env.titles[docname].astext()
        title = page if section == page else f"{page} › {section}"
        records.append({
            "names": names, "other": _other_name(definition), "home": [docname, anchor, title],
        })  # fmt: skip
    problems += _clashes(records)
    if problems:
        raise ExtensionError("glossary: " + "; ".join(problems))
    return records


def _clashes(records: list[dict[str, Any]]) -> list[str]:
    """Names that two entries share: search could send a reader to only one of them.

    An entry's names come first; a name in the other language may repeat one of another
    entry's names (the search page prefers the entry that lists it as a name), but two
    entries may not give the same other-language name.
    """
    problems, owner, other_owner = [], {}, {}
    for record in records:
        for name in record["names"]:
            key = comparable(name)
            if owner.setdefault(key, record["names"][0]) != record["names"][0]:
                problems.append(f"{name!r} names both {owner[key]!r} and {record['names'][0]!r}")
    for record in records:
        key = comparable(record["other"] or "")
        if key and key not in owner:
            if other_owner.setdefault(key, record["names"][0]) != record["names"][0]:
                problems.append(f"{record['other']!r} translates both {other_owner[key]!r} "
                                f"and {record['names'][0]!r}")  # fmt: skip
    return problems


def _on_search_page(app: Sphinx, pagename: str, templatename: str, context, doctree) -> None:
    if pagename != "search" or app.builder.name not in ("html", "dirhtml"):
        return
    data = {"entries": glossary_entries(app.env), "language": app.config.language}
    body = "window.DLNOTES_TERMS = " + json.dumps(data, ensure_ascii=False) + ";"
    app.add_js_file(None, body=body)
    # deferred: it runs after searchtools.js and the search index, before the query
    app.add_js_file(SCRIPT, loading_method="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _on_search_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
