"""The modules of dlnotes meet at public names only, and import each other without a circle.

Read with ``ast`` from the sources (nothing is imported), for every module of ``dlnotes/``
and every script of ``gallery/``. The rules:

1. No module and no script takes a *private* name (one leading underscore, not a dunder
   such as ``__version__``) of another dlnotes module: not ``from dlnotes.x import _y``, not
   ``m._y`` where ``m`` is bound to a dlnotes module (``import dlnotes.x as m``,
   ``from dlnotes import x``, ``import dlnotes`` then ``dlnotes.x._y``), and not a private
   attribute of a name imported from one (``from dlnotes.x import Y`` then ``Y._z``). A
   module's own private names are its own business, and so are those a subclass inherits
   (``self._saved``).
2. A *private module* of the package (``dlnotes/_validation.py``, ``dlnotes/_core.py``) is
   code the modules of the package share: a module of ``dlnotes/`` may import it and use its
   public names. A gallery script may not import it at all: the gallery shows readers the
   public API.
3. The imports between the modules of ``dlnotes/`` (anywhere in a module, including inside
   a function, where a deferred import would hide a circle) form no circle.
"""

from __future__ import annotations

import ast
import graphlib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "dlnotes"
MODULES = sorted(PACKAGE.glob("*.py"))
SCRIPTS = sorted((ROOT / "gallery").rglob("*.py"))


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def is_module(dotted: str) -> bool:
    """Whether ``dlnotes.x`` (or ``dlnotes``) is a module of the package on disk."""
    parts = dotted.split(".")
    if parts[0] != "dlnotes" or len(parts) > 2:
        return False
    return len(parts) == 1 or (PACKAGE / f"{parts[1]}.py").is_file()


@dataclass(frozen=True)
class Use:
    """One name of a dlnotes module used by a file: ``dlnotes.x._y`` at a line."""

    path: str
    line: int
    dotted: str

    @property
    def module(self) -> str:
        """The dlnotes module the name comes from: ``dlnotes.x`` of ``dlnotes.x.Y._z``."""
        return ".".join(self.dotted.split(".")[:2])

    @property
    def name(self) -> str:
        return self.dotted.rpartition(".")[2]

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.dotted}"


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def own_module(rel: str) -> str | None:
    """``dlnotes/conv.py`` -> ``dlnotes.conv``; None for a file outside the package."""
    parts = rel.removesuffix(".py").split("/")
    return ".".join(parts) if len(parts) == 2 and parts[0] == "dlnotes" else None


def dlnotes_uses(source: str, rel: str) -> list[Use]:
    """Every name a file takes from a dlnotes module, by import or as an attribute."""
    tree = ast.parse(source, filename=rel)
    bound: dict[str, str] = {}  # local name -> the dlnotes module or object it is bound to
    uses: list[Use] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "dlnotes":
                    bound[alias.asname or "dlnotes"] = alias.name if alias.asname else "dlnotes"
                    uses.append(Use(rel, node.lineno, alias.name))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] == "dlnotes":
                for alias in node.names:
                    dotted = f"{node.module}.{alias.name}"
                    uses.append(Use(rel, node.lineno, dotted))
                    bound[alias.asname or alias.name] = dotted
    for node in ast.walk(tree):  # attributes, once every binding is known
        if isinstance(node, ast.Attribute):
            base = dotted_name(node.value, bound)
            if base is not None:
                uses.append(Use(rel, node.lineno, f"{base}.{node.attr}"))
    return uses


def dotted_name(node: ast.expr, bound: dict[str, str]) -> str | None:
    """``conv`` -> ``dlnotes.conv`` when ``conv`` is bound to it; ``Layer._saved`` ->
    ``dlnotes.layers.Layer._saved`` when ``Layer`` was imported from there."""
    if isinstance(node, ast.Name):
        return bound.get(node.id)
    if isinstance(node, ast.Attribute):
        base = dotted_name(node.value, bound)
        return None if base is None else f"{base}.{node.attr}"
    return None


def private_names_taken(source: str, rel: str) -> list[str]:
    """The uses of one file that break rule 1 (or, for a file outside the package, rule 2)."""
    own = own_module(rel)
    broken = []
    for use in dlnotes_uses(source, rel):
        if use.module == own or not is_private(use.name):
            continue
        if is_module(use.dotted):  # a private module: shared code of the package
            if own is None:
                broken.append(f"{use} (a private module of the package)")
        else:
            broken.append(str(use))
    return broken


@pytest.mark.parametrize("path", MODULES + SCRIPTS, ids=relative)
def test_no_private_name_is_taken_across_modules(path):
    broken = private_names_taken(path.read_text(encoding="utf-8"), relative(path))
    assert not broken, "private names taken from another dlnotes module:\n" + "\n".join(broken)


def import_graph() -> dict[str, set[str]]:
    """``{module: the dlnotes modules it imports}`` for every module but ``__init__``."""
    graph = {}
    for path in MODULES:
        own = own_module(relative(path))
        if path.stem == "__init__":
            continue
        uses = dlnotes_uses(path.read_text(encoding="utf-8"), relative(path))
        graph[own] = {use.module for use in uses if is_module(use.module)} - {"dlnotes", own}
    return graph


def test_no_import_circle():
    graph = import_graph()
    assert "dlnotes.train" in graph["dlnotes.regularization"]  # the reader sees the imports
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        pytest.fail(f"dlnotes modules import each other in a circle: {error.args[1]}")


# --------------------------------------------------------------------------------------------
# The reader itself, on small sources
# --------------------------------------------------------------------------------------------

CASES = {
    "from dlnotes.data import _nearest_neighbours": ["dlnotes.data._nearest_neighbours"],
    "import dlnotes.conv as c\nc._im2col(x)": ["dlnotes.conv._im2col"],
    "from dlnotes import conv\nconv._conv2d_forward(x)": ["dlnotes.conv._conv2d_forward"],
    "import dlnotes.conv\ndlnotes.conv._pool_args(x)": ["dlnotes.conv._pool_args"],
    "from dlnotes import _validation": ["dlnotes._validation (a private module of the package)"],
    "import dlnotes\ndlnotes._core.Parameter": ["dlnotes._core (a private module of the package)"],
    "from dlnotes.layers import Layer\nLayer._saved": ["dlnotes.layers.Layer._saved"],
    "from dlnotes.layers import Linear\nLinear(2, 3, rng=rng)._x": [],
    "import dlnotes\ndlnotes.__version__": [],
    "from dlnotes.data import smote\nimport numpy as np\nnp._x": [],
}


@pytest.mark.parametrize("source", CASES)
def test_the_reader_finds_each_way_of_taking_a_private_name(source):
    broken = private_names_taken(source, "gallery/example/plot_case.py")
    assert [line.split(": ", 1)[1] for line in broken] == CASES[source]


def test_a_module_of_the_package_may_use_a_private_module():
    source = "from dlnotes._core import parameter_list\nfrom dlnotes import _validation"
    assert private_names_taken(source, "dlnotes/optim.py") == []
    assert private_names_taken("from dlnotes.optim import _x", "dlnotes/train.py") == [
        "dlnotes/train.py:1: dlnotes.optim._x"
    ]


def test_a_deferred_import_is_an_import():
    uses = dlnotes_uses("def f():\n    from dlnotes.regularization import E\n", "dlnotes/t.py")
    assert [use.module for use in uses] == ["dlnotes.regularization"]
