"""The English catalogs' update and check (docs/_ext/catalogs.py), on small catalogs in tmp_path.

``nox -s i18n`` runs ``update`` and ``nox -s i18n-check`` runs ``check`` on the templates
Sphinx extracts; here the templates are written by hand.
"""

from __future__ import annotations

import doctest
import sys
from pathlib import Path

import polib

DOCS = Path(__file__).resolve().parents[1] / "docs"
sys.path.insert(0, str(DOCS / "_ext"))

import catalogs  # noqa: E402

HEADER = """\
# SOME DESCRIPTIVE TITLE.
#
{flag}msgid ""
msgstr ""
"Project-Id-Version: dlnotes 0.1.0\\n"
"Language: en\\n"
"Content-Type: text/plain; charset=utf-8\\n"

"""
LINK = ":doc:`/auto_examples/cnn/plot_kernel_sliding`"
OTHER_LINK = ":doc:`/auto_examples/cnn/plot_pooling_shift`"
LONG = (
    "This sentence is long enough to be wrapped, the way the committed catalogs wrap every "
    "message longer than one line of seventy-eight columns."
)


def _po(*entries: tuple[str, str], fuzzy_header: bool = False) -> str:
    body = "\n".join(
        str(polib.POEntry(msgid=msgid, msgstr=msgstr)) for msgid, msgstr in entries
    )  # polib wraps at 78 columns, as catalogs.WIDTH says
    return HEADER.format(flag="#, fuzzy\n" if fuzzy_header else "") + body


def _write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_the_module_examples_pass():
    assert doctest.testmod(catalogs).failed == 0


def test_update_guesses_nothing_fills_links_and_clears_the_header_flag(tmp_path):
    pot, po = tmp_path / "pot", tmp_path / "po"
    _write(
        pot,
        "chapters/a.pot",
        _po(("新的一句。", ""), (LINK, ""), ("不变。", ""), fuzzy_header=True),
    )
    catalog = _write(
        po,
        "chapters/a.po",
        _po(
            ("旧的一句。", "The old sentence."), (OTHER_LINK, OTHER_LINK), ("不变。", "Unchanged.")
        ),
    )
    stale = _write(po, "chapters/gone.po", _po(("页面已删除。", "Page removed.")))

    remaining = catalogs.update(pot, po)

    updated = polib.pofile(str(catalog))
    assert [(e.msgid, e.msgstr) for e in updated] == [
        ("新的一句。", ""),  # not "The old sentence.", nor fuzzy
        (LINK, LINK),  # not OTHER_LINK, the nearest old message
        ("不变。", "Unchanged."),
    ]
    assert not updated.fuzzy_entries() and not updated.obsolete_entries()
    assert not updated.metadata_is_fuzzy
    assert not stale.exists()
    assert remaining == ["chapters/a.po: 3 messages, 1 untranslated, 0 fuzzy"]


def test_update_keeps_the_committed_format_and_leaves_an_unchanged_catalog_alone(tmp_path):
    pot, po = tmp_path / "pot", tmp_path / "po"
    _write(pot, "a.pot", _po((LONG, ""), ("二。", ""), fuzzy_header=True))
    text = _po((LONG, LONG), ("二。", "Two."))
    assert max(map(len, text.splitlines())) <= catalogs.WIDTH  # the message is wrapped
    catalog = _write(po, "a.po", text)
    catalog_time = catalog.stat().st_mtime_ns

    assert catalogs.update(pot, po) == []
    assert catalog.read_text("utf-8") == text
    assert catalog.stat().st_mtime_ns == catalog_time  # not rewritten: Sphinx rereads nothing


def test_update_writes_a_catalog_for_a_new_page(tmp_path):
    pot, po = tmp_path / "pot", tmp_path / "po"
    _write(
        pot, "auto_examples/cnn/plot_new.pot", _po(("新示例", ""), (LINK, ""), fuzzy_header=True)
    )

    remaining = catalogs.update(pot, po)

    created = polib.pofile(str(po / "auto_examples/cnn/plot_new.po"))
    assert created.metadata["Language"] == "en" and not created.metadata_is_fuzzy
    assert [(e.msgid, e.msgstr) for e in created] == [("新示例", ""), (LINK, LINK)]
    assert remaining == ["auto_examples/cnn/plot_new.po: 2 messages, 1 untranslated, 0 fuzzy"]


def test_check_names_every_shortfall(tmp_path):
    pot, po = tmp_path / "pot", tmp_path / "po"
    template = _po(("一。", ""), ("二。", ""), ("三。", ""), (LINK, ""))
    for name in ("done", "short", "header", "missing"):
        _write(pot, f"{name}.pot", template)
    done = (("一。", "One."), ("二。", "Two."), ("三。", "Three."), (LINK, LINK))
    _write(po, "done.po", _po(*done))
    _write(po, "header.po", _po(*done, fuzzy_header=True))
    short = _po(*done[:3], (LINK, OTHER_LINK))
    short = short.replace('msgid "二。"', '#, fuzzy\nmsgid "二。"').replace('"Three."', '""')
    _write(po, "short.po", short)
    _write(po, "orphan.po", _po(("一。", "One.")))

    assert catalogs.check(pot, po) == [
        "orphan.po: its page is gone (run nox -s i18n)",
        "header.po: 4 messages, 0 untranslated, 1 fuzzy including the header",
        "missing.po: no catalog (run nox -s i18n)",
        "short.po: 4 messages, 1 untranslated, 1 fuzzy, 1 references translated as another target",
    ]


def test_check_passes_complete_catalogs(tmp_path):
    pot, po = tmp_path / "pot", tmp_path / "po"
    _write(pot, "a.pot", _po(("一。", ""), (LINK, ""), fuzzy_header=True))
    _write(po, "a.po", _po(("一。", "One."), (LINK, LINK)))

    assert catalogs.check(pot, po) == []
    assert catalogs.main(["check", str(pot), str(po)]) == 0


def test_a_changed_page_fails_the_check_until_update_runs(tmp_path):
    pot, po = tmp_path / "pot", tmp_path / "po"
    _write(po, "a.po", _po(("旧的一句。", "The old sentence.")))
    _write(pot, "a.pot", _po(("新的一句。", "")))

    assert catalogs.check(pot, po) == ["a.po: 1 messages, 1 untranslated, 0 fuzzy"]
    assert catalogs.main(["check", str(pot), str(po)]) == 1
    assert catalogs.main(["update", str(pot), str(po)]) == 0  # work remains, yet it succeeded
    assert "The old sentence." not in (po / "a.po").read_text("utf-8")
