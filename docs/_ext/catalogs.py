"""The English message catalogs: bring them up to date, and check that they are complete.

``nox -s i18n`` and ``nox -s i18n-check`` extract fresh templates (``*.pot``) with Sphinx's
gettext builder, then run this module in the docs environment::

    python docs/_ext/catalogs.py update docs/_build/gettext docs/locale/en/LC_MESSAGES
    python docs/_ext/catalogs.py check docs/_build/gettext docs/locale/en/LC_MESSAGES

It reads and writes the catalogs with polib, so neither needs GNU gettext.

``update`` rewrites each catalog in its template's order, in the committed format (polib's,
lines wrapped at 78 columns): a message whose text is unchanged keeps its translation and
flags; a new or changed message gets an empty translation, never a guessed one (no fuzzy
matching: a guess is easily accepted unread, and for a link such as
``:doc:`/auto_examples/cnn/plot_x``` the nearest old message points at another page). A
message that is only a reference to a page or a label is filled with itself, since Sphinx
draws the link's text from the target in each language. The header's fuzzy flag, which the
tools set, is cleared; catalogs whose page is gone are removed; obsolete messages are
dropped (their old translation stays readable in ``git diff``).

``check`` compares the catalogs with the templates without writing anything, and fails
when a message of a template has no translation or a fuzzy one, when a header carries the
fuzzy flag, when a reference is translated as anything but itself, or when a catalog has
no template or a template no catalog.
"""

from __future__ import annotations

import copy
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import polib

WIDTH = 78  # the committed catalogs' format: polib's default wrapping
LANGUAGE = "en"

# A message made of one cross-reference to a page or a label and nothing else, in reST or
# MyST spelling (":doc:`/auto_examples/cnn/plot_x`", "{ref}`ch-cnn`"): its translation is
# itself. A reference with an explicit title ("{ref}`梯度检验 <train-gradcheck>`") has text
# to translate, and so does a term ("{term}`输出层`"), whose target is the text. A self-test
# option that is only a computed value ("{v}`out`", docs/_ext/quiz.py) is the same in every
# language.
_REFERENCE = re.compile(r"(?::(?:doc|ref):|\{(?:doc|ref)\})`[^`<>\s]+`|\{v\}`[^`]+`")


def is_reference(msgid: str) -> bool:
    """Whether a message is only a reference, so that its translation is the message itself.

    Examples
    --------
    >>> is_reference(":doc:`/auto_examples/cnn/plot_kernel_sliding`")
    True
    >>> is_reference("{ref}`ch-cnn`")
    True
    >>> is_reference("{ref}`梯度检验 <train-gradcheck>`"), is_reference("{term}`输出层`")
    (False, False)
    >>> is_reference("见 {ref}`ch-cnn`。")
    False
    >>> is_reference("{v}`p:.3f`"), is_reference("{v}`n + 1`"), is_reference("约 {v}`p`")
    (True, True, False)
    """
    return _REFERENCE.fullmatch(msgid) is not None


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def _header_is_fuzzy(catalog: polib.POFile) -> bool:
    return bool(catalog.metadata_is_fuzzy) and "fuzzy" in catalog.metadata_is_fuzzy


@dataclass(frozen=True)
class Status:
    """How far a catalog is from its template: what a translator still has to do.

    ``stray_links`` counts references translated as anything but themselves.
    """

    messages: int
    untranslated: int
    fuzzy: int
    header_fuzzy: bool
    stray_links: int

    @property
    def complete(self) -> bool:
        """Nothing left to do."""
        return not (self.untranslated or self.fuzzy or self.header_fuzzy or self.stray_links)

    def __str__(self) -> str:
        parts = [f"{self.messages} messages", f"{self.untranslated} untranslated"]
        parts.append(f"{self.fuzzy} fuzzy" + (" including the header" if self.header_fuzzy else ""))
        if self.stray_links:
            parts.append(f"{self.stray_links} references translated as another target")
        return ", ".join(parts)


def status(template: polib.POFile, catalog: polib.POFile) -> Status:
    """Compare a catalog with its template (the messages the page has now).

    Examples
    --------
    >>> template = polib.pofile('msgid "一"\\nmsgstr ""\\n\\nmsgid "二"\\nmsgstr ""\\n')
    >>> catalog = polib.pofile('#, fuzzy\\nmsgid ""\\nmsgstr ""\\n\\nmsgid "一"\\nmsgstr "one"\\n')
    >>> print(status(template, catalog))
    2 messages, 1 untranslated, 1 fuzzy including the header
    """
    current = {_key(e): e for e in catalog if not e.obsolete}
    found = [current.get(_key(t)) for t in template if not t.obsolete]
    return Status(
        messages=len(found),
        untranslated=sum(1 for e in found if e is None or not e.msgstr),
        fuzzy=sum(1 for e in found if e is not None and e.msgstr and e.fuzzy)
        + _header_is_fuzzy(catalog),
        header_fuzzy=_header_is_fuzzy(catalog),
        stray_links=sum(
            1 for e in found if e is not None and is_reference(e.msgid) and e.msgstr != e.msgid
        ),
    )


def _header(template: polib.POFile, catalog: polib.POFile | None) -> polib.POFile:
    """An empty catalog with the catalog's header, or for a new page an English one."""
    empty = polib.POFile(wrapwidth=WIDTH)
    if catalog is not None:
        empty.header, empty.metadata = catalog.header, dict(catalog.metadata)
    else:
        empty.header = template.header
        empty.metadata = {
            **template.metadata,
            "Language-Team": f"{LANGUAGE} <LL@li.org>",
            "Language": LANGUAGE,
            "Content-Type": "text/plain; charset=utf-8",
            "Plural-Forms": "nplurals=2; plural=(n != 1);",
        }
    return empty  # metadata_is_fuzzy is false: the header is the tools' work, not a guess


def merge(template: polib.POFile, catalog: polib.POFile | None) -> polib.POFile:
    """The catalog brought up to date with the template, in the template's order.

    Examples
    --------
    >>> link = ":doc:`/auto_examples/a/plot_b`"
    >>> template = polib.pofile(f'msgid "新的"\\nmsgstr ""\\n\\nmsgid "{link}"\\nmsgstr ""\\n')
    >>> header = '#, fuzzy\\nmsgid ""\\nmsgstr ""\\n\\n'
    >>> catalog = polib.pofile(header + 'msgid "旧的"\\nmsgstr "Old."\\n')
    >>> merged = merge(template, catalog)
    >>> [(e.msgid, e.msgstr) for e in merged]  # nothing guessed from 旧的; the link filled
    [('新的', ''), (':doc:`/auto_examples/a/plot_b`', ':doc:`/auto_examples/a/plot_b`')]
    >>> print(status(template, merged))  # the header is no longer fuzzy
    2 messages, 1 untranslated, 0 fuzzy
    """
    merged = _header(template, catalog)
    current = {} if catalog is None else {_key(e): e for e in catalog if not e.obsolete}
    for entry in template:
        if entry.obsolete:
            continue
        new = copy.deepcopy(current.get(_key(entry), entry))
        if not new.msgstr and is_reference(new.msgid):
            new.msgstr = new.msgid
        merged.append(new)
    return merged


def _pairs(pot_dir: Path, po_dir: Path) -> tuple[dict[Path, Path], list[Path]]:
    """{template: catalog path} for every template, and the catalogs that have none."""
    templates = {
        pot: po_dir / pot.relative_to(pot_dir).with_suffix(".po") for pot in pot_dir.rglob("*.pot")
    }
    orphans = sorted(set(po_dir.rglob("*.po")) - set(templates.values()))
    return dict(sorted(templates.items())), orphans


def update(pot_dir: Path, po_dir: Path) -> list[str]:
    """Bring every catalog under ``po_dir`` up to date; returns what a translator has left."""
    templates, orphans = _pairs(pot_dir, po_dir)
    for po in orphans:
        print(f"removed {po.relative_to(po_dir)}: its page is gone")
        po.unlink()
    remaining = []
    for pot, po in templates.items():
        template = polib.pofile(str(pot))
        merged = merge(template, polib.pofile(str(po)) if po.exists() else None)
        text = str(merged)
        if not po.exists() or po.read_text("utf-8") != text:  # untouched files keep their time
            po.parent.mkdir(parents=True, exist_ok=True)
            po.write_text(text, "utf-8")
            print(f"wrote {po.relative_to(po_dir)}")
        state = status(template, merged)
        if not state.complete:
            remaining.append(f"{po.relative_to(po_dir)}: {state}")
    return remaining


def check(pot_dir: Path, po_dir: Path) -> list[str]:
    """Every way the catalogs under ``po_dir`` fall short of the templates (nothing is written)."""
    templates, orphans = _pairs(pot_dir, po_dir)
    problems = [f"{po.relative_to(po_dir)}: its page is gone (run nox -s i18n)" for po in orphans]
    for pot, po in templates.items():
        name = po.relative_to(po_dir)
        if not po.exists():
            problems.append(f"{name}: no catalog (run nox -s i18n)")
            continue
        template, catalog = polib.pofile(str(pot)), polib.pofile(str(po))
        state = status(template, catalog)
        note = ""
        if state.complete and str(merge(template, catalog)) != po.read_text("utf-8"):
            note = "; nox -s i18n would rewrite its format (hand-edited?)"
        print(f"{name}: {state}{note}")
        if not state.complete:
            problems.append(f"{name}: {state}")
    return problems


def main(argv: list[str]) -> int:
    """``update|check POT_DIR PO_DIR``: the exit status is 1 when ``check`` finds a problem."""
    if len(argv) != 3 or argv[0] not in ("update", "check"):
        print("usage: catalogs.py update|check POT_DIR PO_DIR", file=sys.stderr)
        return 2
    command, pot_dir, po_dir = argv[0], Path(argv[1]), Path(argv[2])
    if command == "update":
        remaining = update(pot_dir, po_dir)
        if remaining:
            lines = "\n  ".join(remaining)
            print(f"{len(remaining)} catalogs still need a translator:\n  {lines}")
            print("translate them, then run nox -s i18n-check")
        else:
            print("every catalog is complete")
        return 0
    problems = check(pot_dir, po_dir)
    if problems:
        print("English catalogs incomplete:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    count = sum(1 for _ in pot_dir.rglob("*.pot"))
    print(f"all {count} English catalogs complete: 0 untranslated, 0 fuzzy (headers included)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
