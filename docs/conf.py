"""Sphinx configuration for the sphinxext-quicktakes documentation."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

from sphinxext_quicktakes import __version__

project = "sphinxext-quicktakes"
author = "sphinxext-quicktakes contributors"
copyright = "2025, sphinxext-quicktakes contributors"
version = release = __version__

extensions = [
    "myst_parser",
    "sphinxext_quicktakes.site",  # the extension, and sitemap.xml, feeds, llms.txt (site-files)
    "qtdocs",  # docs/_ext/qtdocs.py: generated reference pages and side-by-side examples
]

# pages are .rst and .md; the bank in questions/ is excluded (MyST would read its files as
# pages), except the question pages below, which quicktakes_pages adds
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "_*.md", "questions/**"]  # _*.md: snippets for include
myst_enable_extensions = ["colon_fence"]
# question files that are pages of their own (question-pages.md lists them in a toctree)
quicktakes_pages = ["questions/pages/*.md"]
# where the site is published (Read the Docs sets READTHEDOCS_CANONICAL_URL itself)
quicktakes_base_url = os.environ.get(
    "READTHEDOCS_CANONICAL_URL", "https://sphinxext-quicktakes.readthedocs.io/en/latest/"
)

nitpicky = True

try:
    import furo  # noqa: F401
except ImportError:
    html_theme = "alabaster"
else:
    html_theme = "furo"
html_title = f"sphinxext-quicktakes {release}"
html_static_path = ["_static"]
html_css_files = ["qtdocs.css"]

latex_documents = [
    ("index", "sphinxext-quicktakes.tex", "sphinxext-quicktakes", author, "manual"),
]
