"""Checks of the books: run by ``nox -s epub`` after both EPUBs are built."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

BUILD = Path(__file__).resolve().parents[2] / "docs" / "_build"


@pytest.fixture(scope="session")
def build_dir() -> Path:
    if not (BUILD / "epub").is_dir():
        if os.environ.get("DLNOTES_REQUIRE_BOOKS"):
            pytest.fail(f"no books in {BUILD / 'epub'}")
        pytest.skip("the books are not built: run `nox -s epub`")
    return BUILD
