"""In the books, a link to a gallery example becomes the example's title.

The PDF and the EPUB hold the chapters but not the gallery (the chapters
already show its figures), so ``{ref}`sphx_glr_...``` cannot be a link there.
It becomes the example's title in italics, which the reader finds in the
website's gallery.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.transforms.post_transforms import SphinxPostTransform

PREFIX = "sphx_glr_"


class GalleryLinksInBooks(SphinxPostTransform):
    default_priority = 5  # before references are resolved (priority 10)

    def is_supported(self) -> bool:
        return self.app.builder.name == "epub" or self.app.builder.format != "html"

    def run(self, **kwargs) -> None:
        labels = self.env.domains.standard_domain.labels
        for ref in list(self.document.findall(pending_xref)):
            target = ref.get("reftarget", "")
            if ref.get("reftype") != "ref" or not target.startswith(PREFIX):
                continue
            title = labels[target][2] if target in labels else ref.astext()
            ref.replace_self(nodes.emphasis(title, title))


def setup(app):
    app.add_post_transform(GalleryLinksInBooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
