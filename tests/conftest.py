"""Shared test configuration, and what a plain ``pytest`` collects.

``pytest`` (or ``pytest tests``) runs the unit tests in tests/. The suites in the directories of
:data:`ON_REQUEST` need what the unit tests do not, PyTorch (oracle), MindSpore (mindspore) or a
build of the site or
the books (site, browser, books), and are collected only when named on the command line
(``pytest tests/site``): that is how their nox sessions run them. tests/bench holds benchmark
scripts (``nox -s bench``), never collected.

Hypothesis runs without a per-example deadline (CI machines are slow and noisy) and without its
example database, so that running the suite writes nothing into the repository.
"""

from pathlib import Path

import numpy as np
import pytest

try:
    from hypothesis import settings
except ImportError:  # the site session's environment (Playwright) runs no property test
    settings = None

HERE = Path(__file__).resolve().parent
ON_REQUEST = ("oracle", "mindspore", "site", "browser", "books")
collect_ignore = ["bench"]

if settings is not None:
    settings.register_profile(
        "dlnotes", deadline=None, database=None, max_examples=50, print_blob=True
    )
    settings.load_profile("dlnotes")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Skip a suite of :data:`ON_REQUEST` unless a command-line argument lies inside it."""
    if collection_path.parent != HERE or collection_path.name not in ON_REQUEST:
        return None
    for arg in config.args:
        named = (config.invocation_params.dir / arg.split("::")[0]).resolve()
        if named == collection_path or collection_path in named.parents:
            return None
    return True


@pytest.fixture
def rng() -> np.random.Generator:
    """A freshly seeded generator, so every test is reproducible on its own."""
    return np.random.default_rng(20240601)
