"""Answer Markdown to docutils nodes, with a MyST renderer rooted at the question's node.

The host document's parser is never used: ``state.nested_parse`` would read the answer as
reStructuredText in ``.rst`` files, and in MyST files it would attach answer headings to
the host's sections. Instead each answer is parsed by its own markdown-it parser and
rendered by a :class:`AnswerRenderer` whose section tracking starts at the question node.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.states import MarkupError
from docutils.transforms import Transform
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.mdit_to_docutils.transforms import ResolveAnchorIds
from myst_parser.parsers.directives import parse_directive_text
from myst_parser.parsers.mdit import create_md_parser
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound
from sphinx import addnodes
from sphinx.application import Sphinx

from . import compat
from .complexity import tame_or_refuse
from .errors import QuickTakesError, Subtype
from .policy import LINK_SCHEMES, Policy, link_problem, path_problem, scheme_of
from .tex import check_tex, clean_label
from .warnings import warn

#: The Markdown dialect of a question bank: fixed, whatever the project's own MyST settings.
ANSWER_EXTENSIONS = frozenset({"dollarmath", "amsmath", "strikethrough"})


DEFAULT_URL_SCHEMES = tuple(sorted(LINK_SCHEMES))

#: Roles whose target may be a label of the answer itself.
_LABEL_ROLES = frozenset({"ref", "numref", "eq"})
_OPTION_LINE = re.compile(r"(\s*:?)(name|label)(:?\s*:\s*|\s*:\s*)(.*)")
_EXPLICIT_TITLE = re.compile(r"(.*<)([^<>]+)(>\s*)\Z", re.S)


@dataclass
class AnswerSource:
    """Where an answer comes from, for warnings, relative paths and its labels."""

    path: str  # the question file, absolute
    line: int | None  # file line of the answer key
    uid: str  # unique per rendering on a page: prefixes footnote labels
    raw_html: bool = False
    bank: str = ""  # the folder tree of the question's bank ("": the file's folder)
    label_prefix: str = "quicktake"  # answer labels become <prefix>-<label>
    policy: Policy = field(default_factory=Policy)
    register_labels: bool = True  # False for a list's fallback rendering
    labels: dict[str, str] = field(default_factory=dict)  # label as written -> namespaced
    warned: set[Subtype] = field(default_factory=set)  # one warning per kind and answer

    @property
    def folder(self) -> str:
        """The folder of the question file: answer paths are relative to it."""
        return os.path.dirname(self.path)

    def resolve(self, path: str) -> str:
        """A path written in the answer, as the file it names."""
        return os.path.normpath(os.path.join(self.folder, path))

    def roots(self, srcdir: str) -> tuple[str, str]:
        """Where files named in the answer may be: the project and the bank."""
        return (srcdir, self.bank or self.folder)

    def warn_once(self, message: str, subtype: Subtype) -> None:
        if subtype not in self.warned:
            self.warned.add(subtype)
            warn(message, subtype, path=self.path, line=self.line)

    def namespaced(self, label: str) -> str:
        """The project-wide name of an answer label: ``quicktake-<id>-<label>``."""
        return nodes.fully_normalize_name(f"{self.label_prefix}-{clean_label(label)}")


class AnswerRenderer(SphinxRenderer):
    """A MyST renderer for one answer: its sections hang under a given node, and only the
    directives, roles, links and labels of the answer policy get through."""

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

    # -- refusals ------------------------------------------------------------------------

    def _refuse(self, text: str, why: str, subtype: Subtype, *, block: bool) -> list[nodes.Node]:
        """``text`` shown literally instead of what it asked for, with one warning."""
        self.answer_source.warn_once(f"{why}; it is shown as text", subtype)
        if block:
            return [nodes.literal_block(text, text, classes=["quicktakes-refused"])]
        return [nodes.literal(text, text, classes=["quicktakes-refused"])]

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

    # -- directives and roles ------------------------------------------------------------

    def render_restructuredtext(self, token: Any) -> None:
        """``{eval-rst}`` only when the project allowed it."""
        if "eval-rst" in self.answer_source.policy.directives:
            super().render_restructuredtext(token)
            return
        text = f"{token.markup}{token.info}\n{token.content}{token.markup}"
        why = "directive 'eval-rst' is not allowed in answers"
        self.current_node.extend(self._refuse(text, why, Subtype.UNSAFE_MARKUP, block=True))

    def run_directive(
        self,
        name: str,
        first_line: str,
        content: str,
        position: int,
        additional_options: dict[str, str] | None = None,
        *,
        block_text: str | None = None,
    ) -> list[nodes.Element]:
        """Run a directive of the allowlist, with its labels namespaced and its paths
        checked; anything else is shown as text."""
        text = block_text or f"```{{{name}}} {first_line}\n{content}```"
        policy = self.answer_source.policy
        problem = policy.directive_problem(name, {})
        klass = None
        if problem is None:
            klass, _ = directives.directive(name, self.language_module_rst, self.document)
        if klass is not None:
            try:
                parsed = parse_directive_text(klass, first_line, content, line=position)
            except MarkupError:
                parsed = None  # MyST reports it
            if parsed is not None:
                problem = policy.directive_problem(name, parsed.options)
                if problem is None and name.lower() in {"image", "figure"} and parsed.arguments:
                    problem, first_line = self._directive_image(parsed.arguments[0])
                if problem is None and "target" in parsed.options:
                    problem = self._link_problem(str(parsed.options["target"]))
                content = self._namespace_options(content, parsed.options)
        if problem is not None:
            refused = self._refuse(text, problem, Subtype.UNSAFE_MARKUP, block=True)
            return refused  # type: ignore[return-value]
        extra = {} if block_text is None else {"block_text": block_text}  # MyST 5 only
        return super().run_directive(
            name, first_line, content, position, additional_options, **extra
        )

    def _directive_image(self, uri: str) -> tuple[str | None, str]:
        """An image directive's path, checked and made relative to the host document."""
        problem = self._link_problem(uri, image=True)
        if problem is None and scheme_of(uri) is None:
            host = os.path.dirname(self.sphinx_env.doc2path(self.sphinx_env.docname))
            uri = os.path.relpath(self.answer_source.resolve(uri), host).replace(os.sep, "/")
        return problem, uri

    def _namespace_options(self, content: str, options: dict[str, Any]) -> str:
        """``:name:`` and ``:label:`` options rewritten to the answer's namespaced labels."""
        if "name" not in options and "label" not in options:
            return content
        lines = content.split("\n")
        yaml_block = bool(lines) and lines[0].strip() == "---"
        for index in range(1 if yaml_block else 0, len(lines)):
            line = lines[index]
            if yaml_block and line.strip() == "---":
                break
            if not yaml_block and not line.lstrip().startswith(":"):
                break
            match = _OPTION_LINE.fullmatch(line)
            if match is None or (not yaml_block and not match.group(1).strip()):
                continue
            claimed = self._claim_label(match.group(4).strip())
            lines[index] = "" if claimed is None else "".join(match.group(1, 2, 3)) + claimed
        return "\n".join(lines)

    def render_myst_role(self, token: Any) -> None:
        """A role of the allowlist (labels of the answer found under their new names)."""
        name = token.meta["name"]
        problem = self.answer_source.policy.role_problem(name)
        if problem is not None:
            text = f"{{{name}}}`{token.content}`"
            refused = self._refuse(text, problem, Subtype.UNSAFE_MARKUP, block=False)
            self.current_node.extend(refused)
            return
        if name.lower() in _LABEL_ROLES:
            token.token.content = self._local_target(token.content)
        super().render_myst_role(token)

    # -- labels --------------------------------------------------------------------------

    def _claim_label(self, label: str) -> str | None:
        """The namespaced name for an answer label, or None when it cannot be registered
        (a list's fallback rendering, or a clash: ``quicktakes.label``)."""
        source = self.answer_source
        if not source.register_labels:
            return None
        name = source.namespaced(label)
        env = self.sphinx_env
        labels = env.domaindata["std"]["labels"]
        equations = env.domaindata["math"]["objects"]
        elsewhere = [
            place[0]
            for place in (labels.get(name), equations.get(name))
            if place is not None and place[0] != env.docname
        ]
        if name in self.document.nameids or elsewhere:
            where = f" (also in {elsewhere[0]})" if elsewhere else ""
            warn(
                f"label {label!r} of this answer clashes with {name!r}{where}; it is left out",
                Subtype.LABEL,
                path=source.path,
                line=source.line,
            )
            return None
        return name

    def _local_target(self, target: str) -> str:
        """A reference target rewritten when it names a label of this answer."""
        labels = self.answer_source.labels
        match = _EXPLICIT_TITLE.match(target)
        if match:
            key = nodes.fully_normalize_name(match.group(2))
            if key in labels:
                return f"{match.group(1)}{labels[key]}{match.group(3)}"
            return target
        return labels.get(nodes.fully_normalize_name(target), target)

    def render_myst_target(self, token: Any) -> None:
        """``(label)=`` becomes ``quicktake-<id>-<label>``: never a project label."""
        name = self._claim_label(token.content)
        if name is not None:
            token.token.content = name
            super().render_myst_target(token)

    def render_math_block_label(self, token: Any) -> None:
        """``$$...$$ (label)``: the label namespaced, or the math without it."""
        name = self._claim_label(token.info)
        if name is None:
            super().render_math_block(token)
            return
        token.token.info = name
        super().render_math_block_label(token)

    # -- links and images ----------------------------------------------------------------

    def _link_problem(self, url: str, *, image: bool = False) -> str | None:
        """Why an answer may not link to (or show) ``url``, or None."""
        if url.startswith("#"):
            return None
        if scheme_of(url) is not None:
            return link_problem(url, image=image)
        written = self.md.normalizeLinkText(url).split("#", 1)[0]
        if not written:
            return None
        env = self.sphinx_env
        resolved = self.answer_source.resolve(written)
        if not image and not os.path.lexists(resolved) and not os.path.isabs(written):
            return None  # a label or a document name: no file is read
        if not image and os.path.isfile(resolved) and env.path2doc(resolved):
            return None  # a document of the project
        return path_problem(written, resolved, self.answer_source.roots(str(env.srcdir)))

    def render_link(self, token: Any) -> None:
        """Links to web URLs, documents, labels and files of the project or the bank;
        anything else keeps only its text."""
        href = str(token.attrGet("href") or "")
        problem = self._link_problem(href)
        if problem is not None:
            self.answer_source.warn_once(
                f"link to {problem} keeps only its text ({href[:60]!r})", Subtype.UNSAFE_LINK
            )
            self.render_children(token)
            return
        if href.startswith("#"):
            token.attrs["href"] = "#" + self._local_target(href[1:])
        elif scheme_of(href) is None:
            token.attrs["href"] = self._local_target(href)
        super().render_link(token)

    def render_link_unknown(self, token: Any) -> None:
        """A link that is no URL: a file (MyST makes a document link or a download), else a
        document named without its suffix, else a label of the project (``std:ref``, so a
        missing one is reported at the question file, see ``domain``)."""
        destination = self.md.normalizeLinkText(str(token.attrGet("href") or ""))
        path = destination.split("#", 1)[0]
        resolved = self.answer_source.resolve(path)
        if path and os.path.lexists(resolved):
            super().render_link_unknown(token)
            return
        explicit = token.info != "auto" and bool(token.children)
        docname = self._docname(resolved) if path and "#" not in destination else None
        if docname is not None:
            xref = addnodes.pending_xref(
                refdomain="std", reftype="doc", reftarget="/" + docname, refexplicit=explicit
            )
        else:
            xref = addnodes.pending_xref(
                refdomain="std",
                reftype="ref",
                reftarget=nodes.fully_normalize_name(destination.lstrip("#")),
                refexplicit=explicit,
                refwarn=True,
            )
        xref["refdoc"] = self.sphinx_env.docname
        compat.wrap_reference(self, xref, token, explicit, ["xref", "myst"], destination)

    def _docname(self, path: str) -> str | None:
        """The document a suffix-less path names, if the project has one."""
        env = self.sphinx_env
        relative = os.path.relpath(path, env.srcdir).replace(os.sep, "/")
        return relative if relative in env.found_docs else None

    def render_image(self, token: Any) -> None:
        """Images from web URLs, raster ``data:`` URLs, or files of the project or bank."""
        source = str(token.attrGet("src") or "")
        problem = self._link_problem(source, image=True)
        if problem is not None:
            self.answer_source.warn_once(
                f"image from {problem} is left out ({source[:60]!r})", Subtype.UNSAFE_LINK
            )
            return
        super().render_image(token)


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


def _answer_labels(tokens: Sequence[Token], source: AnswerSource) -> dict[str, str]:
    """The labels an answer defines (``(label)=``, ``$$...$$ (label)``, ``:name:`` and
    ``:label:`` options), by normalised name, with their namespaced names."""
    written: list[str] = []
    for token in _walk(tokens):
        if token.type == "myst_target":
            written.append(token.content)
        elif token.type == "math_block_label":
            written.append(token.info)
        elif token.type == "fence" and token.info.startswith("{"):
            for line in token.content.split("\n")[:20]:
                match = _OPTION_LINE.fullmatch(line)
                if match:
                    written.append(match.group(4).strip())
    return {nodes.fully_normalize_name(label): source.namespaced(label) for label in written}


def render_answer(
    text: str,
    *,
    document: nodes.document,
    parent: nodes.Element,
    source: AnswerSource,
    allow_sections: bool,
) -> None:
    """Render answer Markdown into ``parent`` (in place), under the answer policy."""
    md = _answer_parser(DEFAULT_URL_SCHEMES)
    env = document.settings.env
    md_env: dict[str, Any] = {}
    host_dir = os.path.dirname(env.doc2path(env.docname))
    question_dir = source.folder
    relative_dir = os.path.relpath(question_dir, host_dir)
    if relative_dir != ".":  # images and document links are relative to the question file
        md_env["relative-images"] = relative_dir
        md_env["relative-docs"] = ("", host_dir, question_dir)
    try:
        text = tame_or_refuse(text)
    except QuickTakesError as error:
        source.warn_once(f"{error.message}; the text is left out", error.subtype)
        return
    tokens = md.parse(text + "\n", md_env)
    if tokens and tokens[0].type == "front_matter":
        tokens.pop(0)
    _shift_heading_depths(tokens)
    _normalise_headings(tokens)
    _uniquify_footnotes(tokens, source.uid)
    source.labels = _answer_labels(tokens, source)

    renderer: AnswerRenderer = md.renderer
    renderer.answer_source = source
    renderer.setup_render(
        {"document": document, "current_node": parent, "myst_config": md.options["myst_config"]},
        md_env,
    )
    start = len(parent.children)
    with answer_settings(document, source.policy):
        compat.render_tokens_under(renderer, tokens, parent, sections=allow_sections)
    if relative_dir != ".":
        _relative_doc_roles(parent, env, question_dir)
    police_answer(parent.children[start:], source, document)
    _locate_paragraphs(parent.children[start:])


def _locate_paragraphs(children: Sequence[nodes.Node]) -> None:
    """Paragraphs MyST leaves without a source (a table's cells) get their nearest
    ancestor's source and line, as docutils gives them in a page's own table: the gettext
    builder extracts only paragraphs with a source, and a page's catalog translates them."""
    for child in children:
        if not isinstance(child, nodes.Element):
            continue
        for paragraph in child.findall(nodes.paragraph):
            if paragraph.source is not None:
                continue
            located = paragraph.parent
            while located is not None and located.source is None:
                located = located.parent
            if located is not None:
                paragraph.source, paragraph.line = located.source, located.line


@contextlib.contextmanager
def answer_settings(document: nodes.document, policy: Policy) -> Iterator[None]:
    """docutils' ``raw_enabled`` and ``file_insertion_enabled`` as the policy says, while
    an answer is rendered (the host document's own settings come back afterwards)."""
    settings = document.settings
    saved = (settings.raw_enabled, settings.file_insertion_enabled)
    settings.raw_enabled = policy.raw_enabled
    settings.file_insertion_enabled = policy.file_insertion_enabled
    try:
        yield
    finally:
        settings.raw_enabled, settings.file_insertion_enabled = saved


def police_answer(
    children: Sequence[nodes.Node], source: AnswerSource, document: nodes.document
) -> None:
    """After rendering: math outside the TeX allowlist becomes text, footnote references
    without a footnote become text, and references remember the question file (so that
    Sphinx's warnings about them name it)."""
    defined = {
        name
        for child in children
        if isinstance(child, nodes.Element)
        for footnote in child.findall(nodes.footnote)
        for name in footnote["names"]
    }
    for child in children:
        if not isinstance(child, nodes.Element):
            continue
        for node in list(child.findall(nodes.Element, include_self=True)):
            if isinstance(node, nodes.math | nodes.math_block):
                _police_math(node, source)
            elif isinstance(node, nodes.footnote_reference):
                refname = node.get("refname", "")
                if refname and refname not in defined:
                    label = refname.removeprefix(f"{source.uid}-")
                    source.warn_once(f"footnote [^{label}] is not defined", Subtype.MARKDOWN)
                    node.parent.replace(node, nodes.Text(f"[^{label}]"))
                    compat.forget_footnote_reference(document, node)
            elif isinstance(node, addnodes.pending_xref | addnodes.download_reference):
                node["quicktakes_path"] = source.path
                node["quicktakes_line"] = source.line or 1


def _police_math(node: nodes.math | nodes.math_block, source: AnswerSource) -> None:
    """Math whose TeX is outside the allowlist (or broken) is shown as its source text."""
    tex = node.astext()
    problem = math_problem(tex)
    if problem is None:
        return
    subtype, message = problem
    source.warn_once(f"{message}; the math is shown as text", subtype)
    replacement: nodes.Element
    if isinstance(node, nodes.math_block):
        replacement = nodes.literal_block(tex, tex, classes=["quicktakes-refused"])
    else:
        replacement = nodes.literal(tex, tex, classes=["quicktakes-refused"])
    replacement.source, replacement.line = node.source, node.line
    node.replace_self(replacement)


def math_problem(tex: str) -> tuple[Subtype, str] | None:
    """(warning subtype, message) when ``tex`` may not be typeset, else None."""
    problem = check_tex(tex)
    if problem is None:
        return None
    subtype = Subtype.UNSAFE_TEX if problem.kind == "unsafe" else Subtype.BAD_TEX
    return subtype, problem.message


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
