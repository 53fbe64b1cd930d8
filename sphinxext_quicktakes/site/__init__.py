"""``sphinxext_quicktakes.site``: the extension, plus what a published course site needs,
and ``quicktakes site``, which generates such a site's Sphinx project from a folder.

Load it instead of (or beside) ``sphinxext_quicktakes`` in ``extensions``.
:func:`.names.slugify` and :func:`.names.subject_slugs` are the one way to make file
names from subjects (site files, subject pages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import __version__
from .names import slugify, subject_slugs

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__all__ = ["setup", "slugify", "subject_slugs"]


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the site extension: a table of contents of its parts."""
    from .outputs import setup_outputs
    from .search import setup_search

    app.setup_extension("sphinxext_quicktakes")  # the questions themselves
    setup_outputs(app)  # sitemap.xml, Atom feeds, robots.txt, llms.txt
    setup_search(app)  # quicktakes_search: whole answers or only their first paragraph
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
