"""Checks of the books: run by ``nox -s epub`` after both EPUBs are built."""

from __future__ import annotations

from pathlib import Path

import pytest
from artifacts import EPUB, built


@pytest.fixture(scope="session")
def epub_dir() -> Path:
    return built(EPUB, "nox -s epub")
