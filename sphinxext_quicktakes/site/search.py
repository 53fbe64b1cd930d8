"""What of each question the HTML search index holds: ``quicktakes_search``.

``"full"``: everything on the page. ``"titles"``: the question's heading, the question and
the first paragraph of its answer; the rest of the answer (its sub-headings too) is marked
``no-search``, which Sphinx's indexer skips. Keywords and subjects stay searchable through
the index entries, which the search index also holds.
"""

from __future__ import annotations

from collections.abc import Iterable

from docutils import nodes
from sphinx.application import Sphinx

from .. import elements
from ..config import Option, register_options

NO_SEARCH = "no-search"  # the class Sphinx's search indexer skips

OPTIONS = (
    Option(
        "quicktakes_search",
        "full",
        "html",
        (str,),
        "What the HTML search index holds of each question: 'full' (everything) or "
        "'titles' (the heading, the question, the first paragraph of the answer).",
        choices=("full", "titles"),
    ),
)


def _has_paragraph(node: nodes.Element) -> bool:
    return any(True for _ in node.findall(nodes.paragraph))


def _keep_first_paragraph(answer: Iterable[nodes.Node], met: bool = False) -> bool:
    """Mark every part of ``answer`` but its first paragraph; whether the first paragraph
    has been met (``met``: before ``answer``)."""
    for node in answer:
        if not isinstance(node, nodes.Element):
            continue
        if not met and isinstance(node, nodes.paragraph):
            met = True
        elif not met and _has_paragraph(node):  # a section or box holding it: look inside
            met = _keep_first_paragraph(node.children, met)
        else:
            node["classes"].append(NO_SEARCH)
    return met


def trim_search(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: with ``quicktakes_search = 'titles'``, keep only the first
    paragraph of each answer in the HTML search index."""
    if app.config.quicktakes_search != "titles" or app.builder.format != "html":
        return
    for question in doctree.findall(elements.question):
        _keep_first_paragraph(elements.answer_of(question))


def setup_search(app: Sphinx) -> None:
    """Register ``quicktakes_search``."""
    register_options(app, OPTIONS)
    app.connect("doctree-resolved", trim_search)
