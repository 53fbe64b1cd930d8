"""``quicktakes site``: a course site from a folder of question files.

As a Sphinx extension (``extensions = ["sphinxext_quicktakes.site"]``, what the generated
project uses), it adds to the extension what a published site needs.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.util.typing import ExtensionMetadata

from .. import __version__


def setup(app: Sphinx) -> ExtensionMetadata:
    """The extension, plus what a published site needs."""
    from .search import setup_search

    app.setup_extension("sphinxext_quicktakes")
    setup_search(app)  # quicktakes_search: full answers or only their first paragraph
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
