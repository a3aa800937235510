"""In the books, a link to a gallery example becomes the example's title.

The PDF and the EPUB hold the chapters but not the gallery (the chapters
already show its figures), so ``{ref}`sphx_glr_...``` cannot be a link there.
It becomes the example's title in italics, which the reader finds in the
website's gallery. The PDF's build reads the gallery pages and knows their
(translated) titles; the EPUB's does not read them, so the title is taken from
the page sphinx-gallery generated and translated with that page's catalog.
"""

from __future__ import annotations

import gettext
from itertools import pairwise
from pathlib import Path

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.transforms.post_transforms import SphinxPostTransform

PREFIX = "sphx_glr_"
PRINT_FORMATS = ("latex", "texinfo", "text", "man")


def _title_from_gallery(app, target: str) -> str | None:
    """The title of the example labelled *target*, in the build's language."""
    for page in Path(app.srcdir, "auto_examples").rglob("*.rst"):
        lines = page.read_text(encoding="utf-8").splitlines()
        if f".. _{target}:" not in lines:
            continue
        start = lines.index(f".. _{target}:")
        title = next((line for line, below in pairwise(lines[start:]) if below[:3] == "==="), None)
        if title is None:  # a label without a title, such as the download section's
            return None
        docname = page.relative_to(app.srcdir).with_suffix("").as_posix()
        catalog = Path(app.srcdir, "locale", app.config.language, "LC_MESSAGES", f"{docname}.mo")
        if catalog.exists():
            with catalog.open("rb") as f:
                title = gettext.GNUTranslations(f).gettext(title)
        return title
    return None


class GalleryLinksInBooks(SphinxPostTransform):
    default_priority = 5  # before references are resolved (priority 10)

    def is_supported(self) -> bool:
        return self.app.builder.name == "epub" or self.app.builder.format in PRINT_FORMATS

    def run(self, **kwargs) -> None:
        labels = self.env.domains.standard_domain.labels
        for ref in list(self.document.findall(pending_xref)):
            target = ref.get("reftarget", "")
            if ref.get("reftype") != "ref" or not target.startswith(PREFIX):
                continue
            if target in labels:
                title = labels[target][2]
            else:
                title = _title_from_gallery(self.app, target) or ref.astext()
            ref.replace_self(nodes.emphasis(title, title))


def setup(app):
    app.add_post_transform(GalleryLinksInBooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
