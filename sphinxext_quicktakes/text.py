"""Plain text of a rendered answer, from the doctree that is shown: the one place that turns
an answer into text for descriptions, list summaries, JSON-LD and ``quicktakes.json``.

Answers are parsed once; everything here reads the nodes that parse produced, so refused
markup, namespaced labels and resolved references read exactly as the page shows them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from docutils import nodes
from sphinx import addnodes

#: Not prose: left out of plain text (tables, code, footnotes, index entries...).
_SKIPPED = (
    nodes.table,
    nodes.literal_block,
    nodes.footnote,
    nodes.target,
    nodes.system_message,
    nodes.comment,
    nodes.rubric,
    nodes.image,
    addnodes.index,
)
_MATH_MARK = "\x00"
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_SENTENCES = re.compile(r".+?(?:[.!?](?=\s|$)|$)")


def text_blocks(elements: Iterable[nodes.Node], *, math: bool = True) -> Iterator[tuple[str, str]]:
    """(kind, text) for each heading, paragraph and display formula, in reading order;
    kind is ``"heading"``, ``"paragraph"`` or ``"math"``. Inline math is its TeX source,
    or a marker when ``math`` is False."""
    for element in elements:
        if not isinstance(element, nodes.Element) or isinstance(element, _SKIPPED):
            continue
        if isinstance(element, nodes.title):
            yield "heading", _inline(element, math)
        elif isinstance(element, nodes.paragraph):
            text = _inline(element, math)
            if text:
                yield "paragraph", text
        elif isinstance(element, nodes.math_block):
            yield "math", element.astext().strip() if math else _MATH_MARK
        else:
            yield from text_blocks(element.children, math=math)


def _inline(element: nodes.Element, math: bool) -> str:
    parts: list[str] = []

    def visit(node: nodes.Node) -> None:
        if isinstance(node, nodes.Text):
            parts.append(node.astext())
        elif isinstance(node, nodes.math):
            parts.append(node.astext() if math else _MATH_MARK)
        elif isinstance(node, nodes.footnote_reference | nodes.image):
            return
        elif isinstance(node, nodes.Element):
            for child in node.children:
                visit(child)

    for child in element.children:
        visit(child)
    return " ".join("".join(parts).split())


def plain_text(elements: Iterable[nodes.Node]) -> str:
    """Headings, paragraphs, list items and math source, separated by blank lines."""
    return "\n\n".join(text for _, text in text_blocks(elements))


def description(elements: Iterable[nodes.Node], limit: int = 160) -> str:
    """The first sentences without math, at most ``limit`` characters, cut at a word."""
    sentences: list[str] = []
    for kind, text in text_blocks(elements, math=False):
        if kind != "paragraph":
            continue
        for sentence in _SENTENCES.findall(text):
            sentence = sentence.strip()
            if sentence and _MATH_MARK not in sentence:
                sentences.append(sentence)
    out = ""
    for sentence in sentences:
        candidate = f"{out} {sentence}".strip()
        if len(candidate) > limit:
            break
        out = candidate
    if out or not sentences:
        return out
    return sentences[0][: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def first_paragraph(elements: Iterable[nodes.Node]) -> nodes.paragraph | None:
    """The first paragraph of prose, depth-first."""
    for element in elements:
        if not isinstance(element, nodes.Element) or isinstance(element, _SKIPPED):
            continue
        if isinstance(element, nodes.paragraph):
            return element
        if isinstance(element, nodes.title):
            continue
        found = first_paragraph(element.children)
        if found is not None:
            return found
    return None


def summary_parts(summary_nodes: Iterable[nodes.Node]) -> tuple[tuple[str, str], ...]:
    """A summary as plain data (``("text" | "math" | "literal", text)`` pairs), to keep in
    the environment."""
    return tuple((node.tagname if isinstance(node, nodes.Element) else "text", node.astext())
                 for node in summary_nodes)  # fmt: skip


def summary_from_parts(parts: Iterable[tuple[str, str]]) -> list[nodes.Node]:
    """The nodes of a summary kept by :func:`summary_parts`."""
    kinds = {"math": nodes.math, "literal": nodes.literal}
    return [kinds[kind](text, text) if kind in kinds else nodes.Text(text) for kind, text in parts]


def summary(elements: Iterable[nodes.Node], limit: int = 300) -> list[nodes.Node]:
    """The first sentence of the first paragraph as text, inline math and code (no other
    markup: links and emphasis become their text)."""
    paragraph = first_paragraph(elements)
    if paragraph is None:
        return []
    out: list[nodes.Node] = []
    length = 0
    for node in _leaves(paragraph):
        if isinstance(node, nodes.math | nodes.literal):
            out.append(type(node)(node.astext(), node.astext()))
            length += len(node.astext())
            continue
        text = node.astext().replace("\n", " ")
        end = _SENTENCE_END.search(text)
        if end is not None:
            out.append(nodes.Text(text[: end.end()]))
            return out
        if length + len(text) > limit:
            out.append(nodes.Text(text[: max(0, limit - length)].rsplit(" ", 1)[0] + "…"))
            return out
        out.append(nodes.Text(text))
        length += len(text)
    return out


def _leaves(element: nodes.Element) -> Iterator[nodes.Node]:
    """Text, math and code of an inline tree, in order."""
    for child in element.children:
        if isinstance(child, nodes.Text | nodes.math | nodes.literal):
            yield child
        elif isinstance(child, nodes.footnote_reference | nodes.image):
            continue
        elif isinstance(child, nodes.Element):
            yield from _leaves(child)
