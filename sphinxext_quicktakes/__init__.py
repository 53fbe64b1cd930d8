"""sphinxext-quicktakes: question-and-answer files rendered in Sphinx projects."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the extension: a table of contents of its parts."""
    from .answers import setup_answers
    from .collection import setup_collection
    from .config import setup_config
    from .directives import setup_directives
    from .domain import setup_domain
    from .elements import setup_elements
    from .export import setup_export
    from .freshness import setup_freshness
    from .head import setup_head
    from .index import setup_index
    from .labels import setup_labels
    from .latex import setup_latex
    from .navigation import setup_navigation
    from .pages import setup_pages
    from .render import setup_render
    from .scale import setup_scale

    app.setup_extension("myst_parser")  # answers are rendered with MyST's renderer
    setup_labels(app)  # translatable labels: the sphinxext_quicktakes catalog
    setup_config(app)  # quicktakes_* values, validated at config-inited
    setup_elements(app)  # the extension's own nodes: question, byline, related list...
    setup_pages(app)  # question files as pages (quicktakes_pages), or not pages at all
    setup_domain(app)  # where questions are: labels, the quicktake role, objects.inv
    setup_render(app)  # answer Markdown through MyST, links inside answers
    setup_directives(app)  # quicktake: one question
    setup_collection(app)  # quicktakes: a folder of questions, filtered, sorted, grouped
    setup_navigation(app)  # question pages outside the toctree: breadcrumbs, prev/next
    setup_freshness(app)  # pages read or written again so incremental builds stay true
    setup_scale(app)  # what Sphinx does that costs more than the bank's size
    setup_index(app)  # questions in the general index, not pickled twice
    setup_answers(app)  # where answers go: inline, hidden, end of page, appendix, omit
    setup_head(app)  # <head>: meta, OpenGraph, canonical, title, JSON-LD, MathJax mhchem
    setup_export(app)  # quicktakes.json for other tools
    setup_latex(app)  # LaTeX: Unicode for pdflatex, mhchem, PDF keywords and subject

    return {
        "version": __version__,
        "env_version": 5,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
