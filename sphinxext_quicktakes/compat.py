"""Every private MyST-Parser and Sphinx API the extension cannot avoid, one function each.

Each function says why it is needed; ``tests/test_compat.py`` fails loudly when a MyST or
Sphinx release changes what these functions rely on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docutils import nodes
from markdown_it.token import Token


def render_tokens_under(
    renderer: Any, tokens: Sequence[Token], parent: nodes.Element, *, sections: bool
) -> None:
    """Render markdown-it tokens with a MyST renderer whose sections hang under ``parent``.

    MyST has no public way to render into a node other than the document root: its section
    tracking (``_level_to_section``) starts at the document, and ``temp_root_node`` is
    where nested headings are attached. Answers need both to start at the question node;
    ``_render_tokens`` renders without the document-level finalisation ``render`` does
    (footnote and reference transforms of the host document must run once, not per answer).
    """
    renderer._level_to_section = {0: parent}
    if sections:
        renderer.md_env["temp_root_node"] = parent
    renderer._render_tokens(list(tokens))


def host_renderer(state: Any) -> Any | None:
    """The MyST renderer of a host page that MyST is parsing, or None (an rST host).

    A directive in a MyST page gets a ``MockState`` whose ``_renderer`` knows where the
    directive sits (``current_node``); docutils' state has ``parent`` instead.
    """
    return getattr(state, "_renderer", None)


def wrap_reference(
    renderer: Any,
    xref: nodes.Element,
    token: Any,
    explicit: bool,
    classes: list[str],
    target: str,
) -> None:
    """Append a reference node holding the link token's rendered text, as MyST does for
    its own links (``SphinxRenderer._process_wrap_node``: source line, attributes, text)."""
    renderer._process_wrap_node(xref, token, explicit, classes, target)


def forget_footnote_reference(document: nodes.document, node: nodes.Element) -> None:
    """Unregister a footnote reference removed from the tree, so docutils' footnote
    numbering transform does not report it against the host page (docutils keeps these
    lists on the document: ``autofootnote_refs``, ``footnote_refs``)."""
    if node in document.autofootnote_refs:
        document.autofootnote_refs.remove(node)
    references = document.footnote_refs.get(node.get("refname", ""), [])
    if node in references:
        references.remove(node)


def mark_missing_reference_reported(node: nodes.Element) -> None:
    """Keep the standard domain from reporting a missing reference we already reported.

    Sphinx calls every ``warn-missing-reference`` handler, whatever the first returned
    (``emit_firstresult`` runs ``emit``), and the standard domain's handler warns for every
    ``reftype == "ref"`` node. The node is replaced right after the event, so its type is
    changed here to one no other handler knows.
    """
    node["reftype"] = "quicktakes-reported"
