"""Every default that a chapter's "在 MindSpore 中" table states is the installed one.

Each such section (label ``<prefix>-mindspore``) has a table ``| 概念 | dlnotes | PyTorch |
MindSpore |`` whose code cells are calls such as ``nn.Conv2d(..., pad_mode='same')``;
the name is relative to its column's package (dlnotes; torch: ``nn``, ``optim``, ``F``, ``torch``;
MindSpore: ``nn``, ``ops``, ``ms``). Every keyword written in a call must be a parameter of the
installed callable, with exactly that default, read from its signature.
"""

from __future__ import annotations

import importlib
import inspect
import re

import pytest
from conftest import ROOT, signature, stated_defaults

CHAPTERS = ROOT / "docs" / "chapters"
# The chapters with a layer, an activation, a loss or an optimiser.
WITH_SECTION = ("02", "03", "04", "05", "06", "08", "09", "10", "11")
SECTION = re.compile(
    r"^\((?P<label>[\w-]+-mindspore)\)=\s*\n##[^\n]*\n(?P<body>.*?)(?=^\([\w-]+\)=\s*\n## |\Z)",
    re.M | re.S,
)
CODE = re.compile(r"`([^`]+)`")
COLUMNS = ("dlnotes", "PyTorch", "MindSpore")


def _package(column: str):
    import mindspore
    import torch

    import dlnotes

    if column == "dlnotes":
        return {name: getattr(dlnotes, name) for name in dlnotes.__all__}
    if column == "PyTorch":
        return {"nn": torch.nn, "optim": torch.optim, "F": torch.nn.functional, "torch": torch}
    return {"nn": mindspore.nn, "ops": mindspore.ops, "ms": mindspore, "mindspore": mindspore}


def _resolve(column: str, dotted: str):
    head, *rest = dotted.split(".")
    obj = _package(column)[head]
    for part in rest:
        obj = getattr(obj, part)
    return obj


def _parameters(column: str, obj) -> dict[str, inspect.Parameter]:
    if column == "MindSpore":
        return dict(signature(obj).parameters)
    try:
        return dict(inspect.signature(obj).parameters)
    except ValueError:  # a torch built-in without a Python signature
        pytest.fail(f"{obj!r} has no signature to read its defaults from")


def tables() -> list[tuple[str, str, str, str]]:
    """(chapter, column, row's concept, code) for every call in every MindSpore table."""
    found = []
    for path in sorted(CHAPTERS.glob("[0-9][0-9]-*.md")):
        for section in SECTION.finditer(path.read_text("utf-8")):
            header = None
            for line in section["body"].splitlines():
                if not line.startswith("|"):
                    header = None if not line.strip() else header
                    continue
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                if all(c in COLUMNS for c in cells[1:4]) and len(cells) >= 4:
                    header = cells
                    continue
                if header is None or set(cells[0]) <= {"-", " ", ":"}:
                    continue
                for column, cell in zip(COLUMNS, cells[1:4], strict=True):
                    for code in CODE.findall(cell):
                        if "(" in code:
                            found.append((path.stem, column, cells[0], code))
    return found


def test_every_chapter_with_a_component_has_a_mindspore_section():
    missing = []
    for number in WITH_SECTION:
        (path,) = CHAPTERS.glob(f"{number}-*.md")
        if not SECTION.search(path.read_text("utf-8")):
            missing.append(path.name)
    assert not missing, f"no 在 MindSpore 中 section (label <prefix>-mindspore) in {missing}"
    chapters = {chapter for chapter, *_ in tables()}
    assert {c[:2] for c in chapters} >= set(WITH_SECTION), "each section has its defaults table"


@pytest.mark.parametrize(("chapter", "column", "concept", "code"), tables())
def test_a_stated_default_is_the_installed_one(chapter, column, concept, code):
    import mindspore
    import torch

    name, stated = stated_defaults(code)
    obj = _resolve(column, name)  # the name exists in the installed package
    if not stated:
        return
    parameters = _parameters(column, obj)
    where = f"{chapter}, {concept!r}, {column}: {code}"
    for keyword, value in stated.items():
        assert keyword in parameters, f"{where}: the installed {name} has no argument {keyword!r}"
        default = parameters[keyword].default
        assert default is not inspect.Parameter.empty, f"{where}: {keyword!r} has no default"
        if isinstance(value, str) and re.fullmatch(r"(ms|mindspore|torch)\.\w+", value):
            value = eval(value, {"ms": mindspore, "mindspore": mindspore, "torch": torch})
        assert default == value and type(default) is type(value), (
            f"{where}: the installed default of {keyword!r} is {default!r}, the page says {value!r}"
        )


def test_the_table_reader_reads_a_row(tmp_path, monkeypatch):
    """A made-up chapter: the reader finds each call, in its column."""
    page = tmp_path / "99-x.md"
    page.write_text(
        "(x-mindspore)=\n## 在 MindSpore 中\n\n| 概念 | dlnotes | PyTorch | MindSpore |\n"
        "| --- | --- | --- | --- |\n| 池化 | `layers.MaxPool2d(...)` | `nn.MaxPool2d(...)` | "
        "`nn.MaxPool2d(kernel_size=1, stride=1)` ⚠ |\n\n(x-summary)=\n## 小结\n",
        "utf-8",
    )
    monkeypatch.setattr(importlib.import_module(__name__), "CHAPTERS", tmp_path)
    assert tables() == [
        ("99-x", "dlnotes", "池化", "layers.MaxPool2d(...)"),
        ("99-x", "PyTorch", "池化", "nn.MaxPool2d(...)"),
        ("99-x", "MindSpore", "池化", "nn.MaxPool2d(kernel_size=1, stride=1)"),
    ]
    assert stated_defaults("nn.MaxPool2d(kernel_size=1, stride=1)") == (
        "nn.MaxPool2d",
        {"kernel_size": 1, "stride": 1},
    )


def test_a_wrong_default_is_caught():
    import mindspore

    name, stated = stated_defaults("nn.MaxPool2d(..., stride=None)")  # as in PyTorch
    default = signature(_resolve("MindSpore", name)).parameters["stride"].default
    assert default != stated["stride"] and default == 1
    assert signature(mindspore.nn.Adam).parameters["learning_rate"].default == 0.001
