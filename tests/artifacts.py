"""What the builds write, for the suites that check it: tests/site, tests/browser, tests/books.

Those suites read docs/_build. Run by hand before any build, they skip; their nox sessions
(``docs``, ``site``, ``epub``) set ``DLNOTES_REQUIRE_BUILD=1``, and then a missing build fails
them instead (:func:`built`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "docs" / "_build"
HTML = BUILD / "html"  # the language chooser, and html/<lang>/ for each language
EPUB = BUILD / "epub"  # dlnotes-<lang>.epub
SCREENSHOTS = BUILD / "screenshots"  # written by tests/browser
LANGUAGES = ("zh_CN", "en")  # zh_CN is the source; en is translated from it
REQUIRE = "DLNOTES_REQUIRE_BUILD"
# dlnotes' own messages are the same in both languages: the divergence error (dlnotes.train)
# names the sections to read in English and, in brackets, in Chinese, for the Chinese reader
# (tests/test_train.py checks that the sections exist under those titles). The English site
# and book may show these, and no other Chinese outside their bilingual pages.
QUOTED_BY_DLNOTES = ("(学习率太大时)", "(梯度爆炸)")


def built(path: Path, command: str) -> Path:
    """`path` if the build wrote it; else skip the test, or fail it when REQUIRE is set.

    `command` is the one that builds it, for the skip message.
    """
    if path.exists():
        return path
    if os.environ.get(REQUIRE):
        pytest.fail(f"{path} is missing ({REQUIRE} is set): the build did not write it")
    pytest.skip(f"{path.relative_to(ROOT)} is not built: run `{command}`")
