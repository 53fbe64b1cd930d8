"""Answer Markdown to docutils nodes, with a MyST renderer rooted at the question's node.

The host document's parser is never used: ``state.nested_parse`` would read the answer as
reStructuredText in ``.rst`` files, and in MyST files it would attach answer headings to
the host's sections. Instead each answer is parsed by its own markdown-it parser and
rendered by a :class:`AnswerRenderer` whose section tracking starts at the question node.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from docutils import nodes
from docutils.transforms import Transform
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.mdit_to_docutils.transforms import ResolveAnchorIds
from myst_parser.parsers.mdit import create_md_parser
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound
from sphinx import addnodes
from sphinx.application import Sphinx

from .errors import Subtype
from .markdown import unsafe_tex
from .warnings import warn

#: The Markdown dialect of a question bank: fixed, whatever the project's own MyST settings.
ANSWER_EXTENSIONS = frozenset({"dollarmath", "amsmath", "strikethrough"})


DEFAULT_URL_SCHEMES = ("http", "https", "mailto", "ftp")


@dataclass
class AnswerSource:
    """Where an answer comes from, for warnings and relative paths."""

    path: str  # the question file, absolute
    line: int | None  # file line of the answer key
    uid: str  # unique per rendering on a page: prefixes footnote labels
    raw_html: bool = False
    warned: set[Subtype] = field(default_factory=set)  # one warning per kind and answer

    def warn_once(self, message: str, subtype: Subtype) -> None:
        if subtype not in self.warned:
            self.warned.add(subtype)
            warn(message, subtype, path=self.path, line=self.line)


class AnswerRenderer(SphinxRenderer):
    """A MyST renderer for one answer: its sections hang under a given node."""

    answer_source: AnswerSource

    def create_warning(
        self,
        message: str,
        subtype: Any,
        *,
        wtype: str | None = None,
        line: int | None = None,
        append_to: nodes.Element | None = None,
    ) -> nodes.system_message | None:
        """Report MyST's complaints against the question file, not the host page."""
        source = self.answer_source
        name = getattr(subtype, "value", subtype)
        warn(f"{message} [myst.{name}]", Subtype.MARKDOWN, path=source.path, line=source.line)
        return None

    def create_highlighted_code_block(
        self, text: str, lexer_name: str | None, *args: Any, **kwargs: Any
    ) -> nodes.Element:
        """Code in a language Pygments does not know is shown as plain text, without the
        highlighting warning Sphinx would give (exports use names like ``plaintext``)."""
        return super().create_highlighted_code_block(text, known_lexer(lexer_name), *args, **kwargs)

    def render_s(self, token: Any) -> None:
        """Strikethrough as a classed inline, so every builder gets its text."""
        node = nodes.inline(classes=["quicktakes-strike"])
        self.add_line_and_source_path(node, token)
        with self.current_node_context(node, append=True):
            self.render_children(token)

    def render_html_block(self, token: Any) -> None:
        """Raw HTML passes only when the project opts in; otherwise it is shown as text."""
        if self.answer_source.raw_html:
            super().render_html_block(token)
            return
        text = token.content.rstrip("\n")
        self.answer_source.warn_once(
            f"raw HTML is shown as text ({text[:40]!r}...); set quicktakes_raw_html = True "
            "to pass it through",
            Subtype.RAW_HTML,
        )
        if token.type == "html_block":
            node: nodes.Element = nodes.paragraph(text, text)
        else:
            node = nodes.inline(text, text)
        self.add_line_and_source_path(node, token)
        self.current_node.append(node)

    def render_html_inline(self, token: Any) -> None:
        self.render_html_block(token)

    def _math_or_text(self, token: Any, render: Any) -> None:
        """Math whose TeX could read files or run commands in a LaTeX build is shown as
        text instead (MathJax would ignore it, pdflatex would not)."""
        command = unsafe_tex(token.content)
        if command is None:
            render(token)
            return
        self.answer_source.warn_once(
            f"math uses {command}, which could read files or run commands in LaTeX; "
            "it is shown as text",
            Subtype.UNSAFE_TEX,
        )
        node = nodes.literal(token.content, token.content)
        self.add_line_and_source_path(node, token)
        self.current_node.append(node)

    def render_math_inline(self, token: Any) -> None:
        self._math_or_text(token, super().render_math_inline)

    def render_math_inline_double(self, token: Any) -> None:
        self._math_or_text(token, super().render_math_inline_double)

    def render_math_single(self, token: Any) -> None:
        self._math_or_text(token, super().render_math_single)

    def render_math_block(self, token: Any) -> None:
        self._math_or_text(token, super().render_math_block)

    def render_math_block_label(self, token: Any) -> None:
        self._math_or_text(token, super().render_math_block_label)

    def render_amsmath(self, token: Any) -> None:
        self._math_or_text(token, super().render_amsmath)

    def render_image(self, token: Any) -> None:
        """Images from ``javascript:``, ``vbscript:`` or ``data:`` URLs are dropped."""
        source = str(token.attrGet("src") or "")
        if _UNSAFE_SCHEME.match(source):
            self.answer_source.warn_once(
                f"image with a {source.split(':', 1)[0]}: URL is dropped", Subtype.UNSAFE_LINK
            )
            return
        super().render_image(token)

    def render_link(self, token: Any) -> None:
        """Links to ``javascript:``, ``vbscript:`` or ``data:`` URLs keep only their text."""
        href = str(token.attrGet("href") or "")
        if _UNSAFE_SCHEME.match(href):
            self.answer_source.warn_once(
                f"link with a {href.split(':', 1)[0]}: URL keeps only its text",
                Subtype.UNSAFE_LINK,
            )
            self.render_children(token)
            return
        super().render_link(token)


_UNSAFE_SCHEME = re.compile(r"\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)


@functools.cache
def known_lexer(name: str | None) -> str | None:
    """``name`` when Pygments has a lexer for it, else ``"text"``."""
    if not name or name in {"none", "default"}:
        return name
    try:
        get_lexer_by_name(name)
    except ClassNotFound:
        return "text"
    return name


@functools.cache
def _answer_parser(url_schemes: tuple[str, ...]) -> Any:
    config = MdParserConfig(
        enable_extensions=set(ANSWER_EXTENSIONS),
        update_mathjax=False,
        heading_anchors=0,
        url_schemes=dict.fromkeys(url_schemes),
    )
    md = create_md_parser(config, AnswerRenderer)
    md.options["myst_config"] = config
    return md


def _walk(tokens: Sequence[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _normalise_headings(tokens: Sequence[Token]) -> None:
    """Shallowest heading becomes level 1 and no level is skipped (``#``..``######``)."""
    previous = 0
    for token in tokens:
        if token.type not in {"heading_open", "heading_close"}:
            continue
        level = int(token.tag[1])
        if token.type == "heading_open":
            level = min(level, previous + 1) if previous else 1
            previous = level
        else:
            level = previous
        token.tag = f"h{level}"


def _shift_heading_depths(tokens: Sequence[Token]) -> None:
    """Map heading levels onto ranks relative to the shallowest, before clamping."""
    levels = sorted({int(t.tag[1]) for t in tokens if t.type == "heading_open"})
    if not levels:
        return
    rank = {level: index + 1 for index, level in enumerate(levels)}
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{rank[int(token.tag[1])]}"


def _uniquify_footnotes(tokens: Sequence[Token], uid: str) -> None:
    """Prefix footnote labels so two answers on one page may both use ``[^1]``."""
    for token in _walk(tokens):
        if token.type in {"footnote_ref", "footnote_reference_open"} and "label" in token.meta:
            token.meta["label"] = f"{uid}-{token.meta['label']}"


def render_answer(
    text: str,
    *,
    document: nodes.document,
    parent: nodes.Element,
    source: AnswerSource,
    allow_sections: bool,
    url_schemes: tuple[str, ...] = DEFAULT_URL_SCHEMES,
) -> None:
    """Render answer Markdown into ``parent`` (in place)."""
    md = _answer_parser(url_schemes)
    env = document.settings.env
    md_env: dict[str, Any] = {}
    host_dir = os.path.dirname(env.doc2path(env.docname))
    question_dir = os.path.dirname(source.path)
    relative_dir = os.path.relpath(question_dir, host_dir)
    if relative_dir != ".":  # images and document links are relative to the question file
        md_env["relative-images"] = relative_dir
        md_env["relative-docs"] = ("", host_dir, question_dir)
    tokens = md.parse(text + "\n", md_env)
    if tokens and tokens[0].type == "front_matter":
        tokens.pop(0)
    _shift_heading_depths(tokens)
    _normalise_headings(tokens)
    _uniquify_footnotes(tokens, source.uid)

    renderer: AnswerRenderer = md.renderer
    renderer.answer_source = source
    renderer.setup_render(
        {"document": document, "current_node": parent, "myst_config": md.options["myst_config"]},
        md_env,
    )
    renderer._level_to_section = {0: parent}  # type: ignore[dict-item]
    if allow_sections:
        renderer.md_env["temp_root_node"] = parent
    renderer._render_tokens(tokens)
    if relative_dir != ".":
        _relative_doc_roles(parent, env, question_dir)


def _relative_doc_roles(parent: nodes.Element, env: Any, question_dir: str) -> None:
    """``{doc}`` targets written relative to the question file, made absolute."""
    for xref in parent.findall(addnodes.pending_xref):
        target = xref.get("reftarget", "")
        if xref.get("reftype") != "doc" or not target or target.startswith("/"):
            continue
        path = os.path.normpath(os.path.join(question_dir, target))
        xref["reftarget"] = "/" + os.path.relpath(path, env.srcdir).replace(os.sep, "/")


class ResolveAnswerAnchors(Transform):
    """Resolve ``[text](#label)`` links of answers in documents MyST did not parse.

    MyST resolves these links with a transform of its own parser, so in a MyST host it has
    already done so (priority 879); in an rST host the links are still pending here.
    """

    default_priority = 880

    def apply(self, **kwargs: Any) -> None:
        pending = any(
            ref.get("id_link") and "refuri" in ref for ref in self.document.findall(nodes.reference)
        )
        if pending:
            ResolveAnchorIds(self.document).apply()


def setup_render(app: Sphinx) -> None:
    """Register the rendering transforms."""
    app.add_transform(ResolveAnswerAnchors)


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def summary_nodes(markdown: str, limit: int = 300) -> list[nodes.Node]:
    """The first sentence of an answer as text and inline math (no other markup)."""
    tokens = _answer_parser(DEFAULT_URL_SCHEMES).parse(markdown + "\n", {})
    inline = next(
        (t for before, t in itertools.pairwise(tokens)
         if before.type == "paragraph_open" and t.type == "inline"),
        None,
    )  # fmt: skip
    if inline is None:
        return []
    out: list[nodes.Node] = []
    length = 0
    for token in _walk(inline.children or []):
        if token.type in {"math_inline", "math_inline_double"}:
            out.append(nodes.math(token.content, token.content))
            length += len(token.content)
            continue
        if token.type == "code_inline":
            out.append(nodes.literal(token.content, token.content))
            length += len(token.content)
            continue
        if token.type in {"softbreak", "hardbreak"}:
            text = " "
        elif token.type in {"text", "text_special"}:
            text = token.content
        else:
            continue
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


_MATH_MARK = "\x00"
_SKIPPED = ("table", "footnote_block", "footnote_reference")  # not prose
_SKIPPED_OPEN = {f"{name}_open" for name in _SKIPPED}
_SKIPPED_CLOSE = {f"{name}_close" for name in _SKIPPED}


def _text_blocks(markdown: str, math: bool) -> Iterator[tuple[str, str]]:
    """(block type, plain text) for each heading, paragraph and display formula."""
    tokens = _answer_parser(DEFAULT_URL_SCHEMES).parse(markdown + "\n", {})
    skip = 0
    kind = "paragraph"
    for token in tokens:
        if token.type in _SKIPPED_OPEN:
            skip += 1
        elif token.type in _SKIPPED_CLOSE:
            skip -= 1
        elif token.type in {"heading_open", "paragraph_open"}:
            kind = token.type.removesuffix("_open")
        elif token.type == "inline" and not skip:
            text = _inline_text(token.children or [], math)
            if text:
                yield kind, text
        elif token.type in {"math_block", "math_block_label", "amsmath"} and not skip:
            yield "math", token.content.strip() if math else _MATH_MARK


def plain_text(markdown: str) -> str:
    """Answer Markdown as plain text: headings, paragraphs, list items and math source, no
    markup; tables and code blocks are left out."""
    return "\n\n".join(text for _, text in _text_blocks(markdown, math=True))


def _inline_text(children: Sequence[Token], math: bool) -> str:
    parts: list[str] = []
    for token in _walk(children):
        if token.type in {"text", "text_special", "code_inline"}:
            parts.append(token.content)
        elif token.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
        elif token.type in {"math_inline", "math_inline_double"}:
            parts.append(token.content if math else _MATH_MARK)
    return " ".join("".join(parts).split())


def description_text(markdown: str, limit: int = 160) -> str:
    """A page description from an answer: its first sentences without markup or math source,
    at most ``limit`` characters, cut at a word."""
    sentences: list[str] = []
    for kind, text in _text_blocks(markdown, math=False):
        if kind != "paragraph":
            continue
        for sentence in re.findall(r".+?(?:[.!?](?=\s|$)|$)", text):
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
