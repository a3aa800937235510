"""The API reference: English docstrings, and the examples that use each object.

The docstrings of :mod:`dlnotes` are written in English, the language of the
code, and both language builds show them as they are: they are not sent to the
translators (a translation could only drift from the code). What the reference
adds around them is written in the source language and translated like any
other page: the module pages' introductions, and under each function or class
that an example uses, a heading and sphinx-gallery's thumbnails of those
examples (a "mini-gallery", found through the gallery's backreferences).
A class that a module publishes from a private module of the package is
documented on that module's page, under the name the module publishes.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

from docutils import nodes
from sphinx.transforms import SphinxTransform

EXAMPLES_CLASS = "dlnotes-api-examples"


def _used_by_examples(app) -> set[str]:
    """Full names of the objects some gallery example uses (written by the gallery)."""
    conf = app.config.sphinx_gallery_conf
    index = Path(app.srcdir, conf["backreferences_dir"], "backreferences_all.json")
    if not index.exists():
        return set()
    return {name for name, examples in json.loads(index.read_text()).items() if examples}


def _module_sections_as_rubrics(app, what, name, obj, options, lines) -> None:
    """Turn the underlined headings of a module docstring into rubrics.

    numpydoc does so for functions and classes; in a module docstring a heading
    such as ``Examples`` would otherwise become a section of the page, and its
    label would clash with every other module's.
    """
    if what != "module":
        return
    for i in range(len(lines) - 1):
        title, underline = lines[i].strip(), lines[i + 1].strip()
        if title and set(underline) == {"-"} and len(underline) == len(title):
            lines[i], lines[i + 1] = f".. rubric:: {title}", ""


def _document_published_names(app, what, name, obj, options, lines) -> None:
    """After a module's docstring, document what its ``__all__`` publishes from a private module.

    Autodoc documents a module's own members only (``ignore-module-all``); a class the
    module publishes from a private module of the package (``dlnotes.layers.Parameter``,
    defined in ``dlnotes._core``) would have no entry at all. It gets one here, under the
    name the module publishes, before the module's own members and in the order of its source.
    """
    if what != "module":
        return
    package = name.split(".")[0]
    members = {export: getattr(obj, export) for export in getattr(obj, "__all__", ())}
    published = [
        (export, member)
        for export, member in members.items()
        if getattr(member, "__module__", "").startswith(f"{package}._")
    ]
    for export, member in sorted(published, key=lambda item: inspect.getsourcelines(item[1])[1]):
        directive = "autoclass" if inspect.isclass(member) else "autofunction"
        lines += ["", f".. {directive}:: {name}.{export}", ""]


def _add_examples(app, what, name, obj, options, lines) -> None:
    """Append a mini-gallery of the examples that use ``name`` to its docstring."""
    if what not in ("class", "function") or name not in _used_by_examples(app):
        return
    lines += ["", ".. rubric:: 用到它的示例", f"   :class: {EXAMPLES_CLASS}", ""]
    lines += [f".. minigallery:: {name}", ""]


class KeepDocstringsAsWritten(SphinxTransform):
    """Mark the text that comes from docstrings as not translatable.

    Runs before Sphinx's translation transform (priority 20), so the gettext
    builder does not extract this text and no build replaces it.
    """

    default_priority = 10

    def apply(self, **kwargs) -> None:
        for node in self.document.findall(nodes.TextElement):
            from_docstring = ":docstring of " in (node.source or "")
            ours = EXAMPLES_CLASS in node.get("classes", ())  # the heading we add: translated
            if from_docstring and not ours:
                node["translatable"] = False


def setup(app):
    app.connect("autodoc-process-docstring", _module_sections_as_rubrics, priority=600)
    app.connect("autodoc-process-docstring", _add_examples, priority=600)  # after numpydoc
    app.connect("autodoc-process-docstring", _document_published_names, priority=600)
    app.add_transform(KeepDocstringsAsWritten)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
