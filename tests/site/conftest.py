"""Checks of the built website: run by ``nox -s docs`` after both languages are built."""

from __future__ import annotations

from pathlib import Path

import pytest
from artifacts import HTML, built


@pytest.fixture(scope="session")
def html_root() -> Path:
    return built(HTML / "index.html", "nox -s docs").parent
