"""Directives used only by this documentation site.

* ``quicktakes-config``: the configuration reference, generated from
  ``sphinxext_quicktakes.config.OPTIONS`` or another module's ``OPTIONS`` (rST pages only).
* ``quicktakes-subtypes``: the warning subtypes, generated from
  ``sphinxext_quicktakes.errors.Subtype``; the build fails when a subtype has no meaning
  in :data:`SUBTYPE_MEANINGS` (or a meaning has no subtype) (rST pages only).
* ``quicktake-example``: a ``quicktake`` directive shown in rST and MyST side by side,
  then rendered live from the very same snippet, so the example cannot drift.
* ``quicktakes-example``: the same for a ``quicktakes`` collection (patterns and options).
* ``decode-examples``: escaped-newline inputs with their decoding, computed at build time.
"""

from __future__ import annotations

import importlib
import re
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from sphinxext_quicktakes.collection import QuickTakesDirective
from sphinxext_quicktakes.config import OPTIONS
from sphinxext_quicktakes.errors import Subtype
from sphinxext_quicktakes.markdown import decode_escaped_newlines

#: One line per warning subtype (rST inline markup allowed). Keyed by ``Subtype`` value.
SUBTYPE_MEANINGS: dict[str, str] = {
    "missing-file": "The directive's path names no file (the warning points at the directive).",
    "read": "The file cannot be read: not UTF-8, a directory, or larger than "
    ":confval:`quicktakes_max_file_size`.",
    "yaml": "The front matter is not valid YAML, is not a mapping, or repeats a key.",
    "empty": "The file is empty or has no ``---`` front matter.",
    "missing-field": "No ``answer``, or nothing to use as a heading "
    "(``article_title``, ``title``, ``question``); also no ``question`` key.",
    "field-type": "A field has the wrong type (``answer`` or ``author`` as a list, "
    "``seo`` as text); optional fields are dropped, a bad ``answer`` drops the question.",
    "date": "The ``date`` cannot be parsed; the byline is shown without it.",
    "date-format": "The ``date_format`` uses a token that is not supported; "
    "the byline is shown without a date.",
    "duplicate-id": "Two files use the same ``id`` with different answers; "
    "``quicktake-<id>`` goes to the first one.",
    "markdown": "MyST reported a problem while rendering the answer.",
    "config": "A ``quicktakes_*`` value in :file:`conf.py` is invalid (the default is "
    "used), a question page clashes with a page, or (with ``-n``) no base URL is known.",
    "ref": "A ``quicktake`` role names an id or slug that is no question of the project, or "
    "a reference inside an answer (a link, ``{ref}``, ``{doc}``, ``{eq}``) finds no target. "
    "(``{ref}`quicktake-<id>``` links in pages are reported by Sphinx itself as ``ref.ref``.)",
    "collection": "A ``quicktakes`` directive selects no question, and says why: nothing "
    "there, every match left out (a symlink leaving the pattern's folder), every file "
    "failed to load, or no file passes its filters.",
    "raw-html": "An answer holds raw HTML; it is shown as text unless "
    ":confval:`quicktakes_raw_html` is on (one warning per answer).",
    "unsafe-tex": "A formula uses TeX outside the allowlist (:doc:`tex-allowlist`), such "
    "as ``\\input`` or ``\\def``; it is shown as text.",
    "bad-tex": "A formula cannot be typeset: unbalanced braces, environments or "
    "``\\left``/``\\right``; it is shown as text.",
    "unsafe-link": "A link or image leaves the project and the question's bank, or uses a "
    "URL scheme other than http(s) (raster ``data:`` images excepted); the link keeps only "
    "its text, the image is left out.",
    "unsafe-markup": "An answer uses a directive, role or option outside the answer "
    "allowlist (:doc:`safety`); it is shown as text.",
    "label": "A label in an answer clashes with a label that already exists; it is left out.",
    "too-complex": "An answer would take too long to parse; it is refused.",
    "orphan": "A question page is in no toctree, and no list collection or link reaches it.",
    "control-char": "C0/C1 control characters were removed from a value (one warning per "
    "field); tabs and newlines are kept.",
}


def check_subtype_meanings() -> None:
    """Fail the build when the subtype list and :data:`SUBTYPE_MEANINGS` disagree."""
    values = {subtype.value for subtype in Subtype}
    missing = sorted(values - SUBTYPE_MEANINGS.keys())
    stale = sorted(SUBTYPE_MEANINGS.keys() - values)
    if missing or stale:
        raise ExtensionError(
            "docs/_ext/qtdocs.py: SUBTYPE_MEANINGS is out of date with "
            f"sphinxext_quicktakes.errors.Subtype (undocumented: {missing}, unknown: {stale})"
        )


_CODE_LIKE = re.compile(r"<[^<>]+>|'[^'\s]*'|\\[A-Za-z]+")


def _help_rst(text: str) -> str:
    """A plain help string as rST: HTML tags, quoted values and TeX words as literals,
    everything else escaped."""
    out, last = [], 0
    for match in _CODE_LIKE.finditer(text):
        out.append(re.sub(r"([\\`*_|])", r"\\\1", text[last : match.start()]))
        out.append(f"``{match.group(0)}``")
        last = match.end()
    out.append(re.sub(r"([\\`*_|])", r"\\\1", text[last:]))
    return "".join(out)


REBUILD_TEXT = {
    "env": "Changing it re-reads every page on the next build.",
    "html": "Changing it rewrites the HTML pages on the next build.",
    "": "Changing it needs no rebuild.",
}


def _literal(value: Any) -> str:
    return f"``{value!r}``"


def _type_text(option: Any) -> str:
    if option.choices:
        return " | ".join(_literal(choice) for choice in option.choices)
    return " | ".join(f"``{t.__name__}``" for t in option.types)


def _default_text(value: Any) -> str:
    text = _literal(value)
    if isinstance(value, int) and not isinstance(value, bool) and value and value % 1024**2 == 0:
        text += f" ({value // 1024**2} MiB)"
    return text


class RstOnlyDirective(SphinxDirective):
    """A directive that generates reStructuredText and parses it in place."""

    def parse_rst(self, lines: list[str]) -> list[nodes.Node]:
        if getattr(self.state, "_renderer", None) is not None:
            raise self.error(f"{self.name} must be used in a .rst page")
        container = nodes.Element()
        self.state.nested_parse(StringList(lines, source="<generated>"), 0, container)
        return container.children


class ConfigDirective(RstOnlyDirective):
    """``.. quicktakes-config:: [module]``: a ``confval`` entry per option of the module's
    ``OPTIONS`` table (default: the extension's own, ``sphinxext_quicktakes.config``)."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        options = OPTIONS
        if self.arguments:
            options = importlib.import_module(self.arguments[0]).OPTIONS
        lines: list[str] = []
        for option in options:
            lines += [
                f".. confval:: {option.name}",
                f"   :type: {_type_text(option)}",
                f"   :default: {_default_text(option.default)}",
                "",
                f"   {_help_rst(option.help)}",
                "",
                f"   {REBUILD_TEXT.get(option.rebuild, f'Rebuild: ``{option.rebuild!r}``.')}",
                "",
            ]
        return self.parse_rst(lines)


class SubtypesDirective(RstOnlyDirective):
    """``.. quicktakes-subtypes::``: a table of the warning subtypes."""

    def run(self) -> list[nodes.Node]:
        check_subtype_meanings()
        lines = [
            ".. list-table::",
            "   :header-rows: 1",
            "   :widths: 1 3",
            "",
            "   * - Subtype",
            "     - Meaning",
        ]
        for subtype in Subtype:
            lines += [
                f"   * - ``quicktakes.{subtype.value}``",
                f"     - {SUBTYPE_MEANINGS[subtype.value]}",
            ]
        return self.parse_rst(lines)


class ExampleDirective(SphinxDirective):
    """``.. quicktake-example:: path``: rST and MyST snippets, then the live result."""

    target = "quicktake"
    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = {
        "name": directives.unchanged,
        "class": directives.unchanged,
        "no-meta": directives.flag,
        "in-note": directives.flag,  # wrap the directive in a note admonition
        "no-result": directives.flag,  # show the snippets only
    }
    #: options of this directive that are not passed on to the shown directive
    own_options: ClassVar[tuple[str, ...]] = ("in-note", "no-result")

    def _option_lines(self) -> list[str]:
        lines = []
        for key, value in self.options.items():  # in the order they were written
            if key in self.own_options:
                continue
            lines.append(f":{key}: {value}" if value else f":{key}:")
        return lines

    def _argument(self) -> str:
        return " ".join(self.arguments)

    def rst_snippet(self) -> list[str]:
        lines = [f".. {self.target}:: {self._argument()}"]
        lines += ["   " + line for line in self._option_lines()]
        if "in-note" in self.options:
            lines = [".. note::", "", *("   " + line for line in lines)]
        return lines

    def myst_snippet(self) -> list[str]:
        lines = [f"```{{{self.target}}} {self._argument()}", *self._option_lines(), "```"]
        if "in-note" in self.options:
            lines = ["````{note}", *lines, "````"]
        return lines

    def run(self) -> list[nodes.Node]:
        rst, myst = self.rst_snippet(), self.myst_snippet()
        pair = nodes.container(classes=["qt-example"])
        for label, language, lines in (
            ("reStructuredText (.rst)", "rst", rst),
            ("MyST Markdown (.md)", "markdown", myst),
        ):
            column = nodes.container(classes=["qt-example-column"])
            column += nodes.paragraph("", "", nodes.strong(label, label))
            text = "\n".join(lines)
            block = nodes.literal_block(text, text, language=language)
            self.set_source_info(block)
            column += block
            pair += column
        result: list[nodes.Node] = [pair]
        if "no-result" in self.options:
            return result
        result.append(
            nodes.paragraph(
                "", "", nodes.emphasis("Result:", "Result:"), classes=["qt-example-result"]
            )
        )
        host = myst if getattr(self.state, "_renderer", None) is not None else rst
        holder = nodes.section()  # the live question may be a section where it lands
        self.state.nested_parse(StringList(host, source=self.get_source_info()[0]), 0, holder)
        result += holder.children
        return result


class CollectionExampleDirective(ExampleDirective):
    """``.. quicktakes-example:: pattern [pattern ...]`` with any ``quicktakes`` option."""

    target = "quicktakes"
    optional_arguments = 100
    final_argument_whitespace = False
    option_spec: ClassVar[dict[str, Any]] = {
        **{key: directives.unchanged for key in QuickTakesDirective.option_spec},
        "in-note": directives.flag,
        "no-result": directives.flag,
    }


class DecodeExamplesDirective(SphinxDirective):
    """``.. decode-examples::`` with one raw string per content line."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        table = nodes.table(classes=["qt-decode"])
        group = nodes.tgroup(cols=2)
        table += group
        group += nodes.colspec(colwidth=1)
        group += nodes.colspec(colwidth=1)
        head = nodes.thead()
        group += head
        row = nodes.row()
        for title in ("In the file", "Decoded"):
            row += nodes.entry("", nodes.paragraph(title, title))
        head += row
        body = nodes.tbody()
        group += body
        for raw in self.content:
            decoded = decode_escaped_newlines(raw)
            row = nodes.row()
            row += nodes.entry("", nodes.paragraph("", "", nodes.literal(raw, raw)))
            row += nodes.entry("", nodes.literal_block(decoded, decoded))
            body += row
        return [table]


def setup(app: Sphinx) -> dict[str, Any]:
    check_subtype_meanings()  # fail early, before any page is read
    app.add_directive("quicktakes-config", ConfigDirective)
    app.add_directive("quicktakes-subtypes", SubtypesDirective)
    app.add_directive("quicktake-example", ExampleDirective)
    app.add_directive("quicktakes-example", CollectionExampleDirective)
    app.add_directive("decode-examples", DecodeExamplesDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
