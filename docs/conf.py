"""Sphinx configuration for the sphinxext-quicktakes documentation."""

from __future__ import annotations

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
    "sphinxext_quicktakes",
    "qtdocs",  # docs/_ext/qtdocs.py: generated reference pages and side-by-side examples
]

# pages are .rst and .md; the question files under questions/ are excluded automatically
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "_*.md"]  # _*.md: snippets for include
myst_enable_extensions = ["colon_fence"]

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
