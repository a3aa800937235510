"""Search by glossary term: the search page sends a reader to the section that teaches it.

A learner uses the search box as an index: type a term under any of its names, land where
the term is taught. The glossary (appendix/glossary.md) is the one source of what that
takes. Each entry gives

* its names: the term lines (the handbook's term, other Chinese names, the names textbooks
  and exam banks use, abbreviations, other English spellings), translated on the English
  site, where most Chinese alternatives stay as they are;
* its home: the section the definition's last sentence points to (详见 {ref}`label` /
  See {ref}`label`).

A reader may type a term in either language on either site, so each entry also carries its
names in the other language: on the Chinese site the English catalog's translations of the
term lines, on the English site the Chinese source's term lines; on both, the English
italic that opens the Chinese definition.

On the search page of the HTML builds this extension puts those records (the names and
home read from the glossary's doctree in the language being built) into
``window.DLNOTES_TERMS``, and adds ``_static/glossary-search.js``, which uses them: a query
that is a name of an entry gets the entry's home section first (see that file for the
rest). The Chinese word list that keeps the terms whole when Sphinx indexes the text comes
from the same glossary (_ext/search_dict.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from docutils import nodes
from search_dict import glossary_source_entries
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError

GLOSSARY = "appendix/glossary"
SOURCE_LANGUAGE = "zh_CN"  # the glossary's own; the English one is its catalog's
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


def _names_in_the_other_language(app: Sphinx) -> list[list[str]]:
    """Per entry, its names in the language not being built, and the English italic that
    opens the Chinese definition (an English name the English glossary may not give, such
    as "rectified linear unit" for ReLU)."""
    sources = glossary_source_entries(Path(app.srcdir) / f"{GLOSSARY}.md")
    translate = dict[str, str]()
    if app.config.language == SOURCE_LANGUAGE:
        po = Path(app.srcdir) / app.config.locale_dirs[0] / "en" / "LC_MESSAGES"
        with (po / f"{GLOSSARY}.po").open("rb") as file:
            translate = {m.id: m.string for m in read_po(file) if m.id and m.string}
    return [[translate.get(n, n) for n in names] + [italic] * bool(italic)
            for names, italic in sources]  # fmt: skip


def glossary_entries(app: Sphinx) -> list[dict[str, Any]]:
    """One record per glossary entry: its names, its names in the other language (``others``,
    without those that read the same) and its home.

    ``home`` is ``[docname, anchor, title]``, with the title written as the search page
    shows it: the page's title, then the section's (``Page › Section``), or the page's
    alone when the home is the page itself.
    """
    env: BuildEnvironment = app.env
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
        records.append({"names": names, "home": [docname, anchor, title]})
    translated = _names_in_the_other_language(app)
    if len(translated) != len(records):
        problems.append(f"{len(records)} entries read, {len(translated)} in the source")
    for record, others in zip(records, translated, strict=False):
        mine = {comparable(name) for name in record["names"]}
        unique = {comparable(n): n for n in others if comparable(n) not in mine}
        record["others"] = list(unique.values())
    problems += _clashes(records)
    if problems:
        raise ExtensionError("glossary: " + "; ".join(problems))
    return records


def _clashes(records: list[dict[str, Any]]) -> list[str]:
    """Names that two entries share: search could send a reader to only one of them.

    An entry's names come first; a name in the other language may repeat one of another
    entry's names (the search page prefers the entry that lists it as a name), but two
    entries may not share a name in the other language.
    """
    problems, owner, other_owner = [], {}, {}
    for record in records:
        first = record["names"][0]
        for name in record["names"]:
            key = comparable(name)
            if owner.setdefault(key, first) != first:
                problems.append(f"{name!r} names both {owner[key]!r} and {first!r}")
    for record in records:
        first = record["names"][0]
        for name in record["others"]:
            key = comparable(name)
            if key not in owner and other_owner.setdefault(key, first) != first:
                problems.append(f"{name!r} translates both {other_owner[key]!r} and {first!r}")
    return problems


def _on_search_page(app: Sphinx, pagename: str, templatename: str, context, doctree) -> None:
    if pagename != "search" or app.builder.name not in ("html", "dirhtml"):
        return
    data = {"entries": glossary_entries(app), "language": app.config.language}
    body = "window.DLNOTES_TERMS = " + json.dumps(data, ensure_ascii=False) + ";"
    app.add_js_file(None, body=body)
    # deferred: it runs after searchtools.js and the search index, before the query
    app.add_js_file(SCRIPT, loading_method="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _on_search_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
