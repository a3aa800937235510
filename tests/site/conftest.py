"""Checks of the built website: run by ``nox -s docs`` after both languages are built."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HTML = Path(__file__).resolve().parents[2] / "docs" / "_build" / "html"
LANGUAGES = ("zh_CN", "en")


@pytest.fixture(scope="session")
def html_root() -> Path:
    if not (HTML / "index.html").exists():
        if os.environ.get("DLNOTES_REQUIRE_SITE"):
            pytest.fail(f"no built site in {HTML}")
        pytest.skip("the site is not built: run `nox -s docs`")
    return HTML
