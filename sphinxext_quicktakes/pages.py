"""Question files in the source tree: pages of their own (``quicktakes_pages``), or not pages.

Loading myst-parser registers ``.md`` as a source suffix. A project that did not ask for
Markdown pages gets that suffix removed again (kept only for its question pages); question
files that are not question pages are excluded, so they are not read as (empty) pages.
A question page's source is replaced, when read, by the directive that renders it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.matching import Matcher

_QUESTION_FILE = re.compile(
    r"\A(?:\ufeff)?---[ \t]*\r?\n(?:(?!---[ \t]*\r?$).*\r?\n)*?(?:answer|question|_schema)[ \t]*:",
    re.M,
)
_SNIFF_BYTES = 64 * 1024


def is_question_file(path: str | Path) -> bool:
    """Whether a file looks like a question file: front matter with ``answer``, ``question``
    or ``_schema``."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES).decode("utf-8", "replace")
    except OSError:
        return False
    return _QUESTION_FILE.match(head) is not None


def _wants_markdown_pages(config: Config) -> bool:
    suffixes = getattr(config, "_raw_config", {}).get("source_suffix", {})
    if isinstance(suffixes, str):
        suffixes = [suffixes]
    return "myst_parser" in config.extensions or ".md" in suffixes


def keep_markdown_pages_opt_in(app: Sphinx, config: Config) -> None:
    """``config-inited`` (after Sphinx merges suffixes): drop ``.md`` unless asked for."""
    if not _wants_markdown_pages(config) and not config.quicktakes_pages:
        config.source_suffix.pop(".md", None)


def exclude_question_files(app: Sphinx, config: Config) -> None:
    """``config-inited``: exclude question files that are not question pages (and, when the
    project has no Markdown pages of its own, every other ``.md`` file)."""
    suffixes = tuple(s for s in config.source_suffix if s != ".rst")
    if not suffixes:
        return
    markdown_pages = _wants_markdown_pages(config)
    question_pages = Matcher(list(config.quicktakes_pages))
    srcdir = str(app.srcdir)
    excluded = Matcher([*config.exclude_patterns, "**/.*", "**/_build"])
    found: list[str] = []
    for root, dirnames, filenames in os.walk(srcdir):
        rel_root = os.path.relpath(root, srcdir)
        rel_root = "" if rel_root == "." else rel_root.replace(os.sep, "/") + "/"
        dirnames[:] = sorted(d for d in dirnames if not excluded(rel_root + d))
        for filename in sorted(filenames):
            relpath = rel_root + filename
            if not filename.endswith(suffixes) or excluded(relpath) or question_pages(relpath):
                continue
            other_markdown = not markdown_pages and filename.endswith(".md")
            if other_markdown or is_question_file(os.path.join(root, filename)):
                found.append(relpath)
    if found:
        config.exclude_patterns = [*config.exclude_patterns, *found]


def is_question_page(app: Sphinx, docname: str) -> bool:
    """Whether a document is a question file listed in ``quicktakes_pages``."""
    if not app.config.quicktakes_pages:
        return False
    relpath = os.path.relpath(app.env.doc2path(docname), app.srcdir).replace(os.sep, "/")
    return bool(Matcher(list(app.config.quicktakes_pages))(relpath))


def read_question_page(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: a question page is read as the directive that renders it."""
    if not is_question_page(app, docname):
        return
    filename = os.path.basename(str(app.env.doc2path(docname)))
    if filename.endswith(".md"):  # read by MyST
        source[0] = f"```{{quicktakes-page}} {filename}\n```\n"
    else:
        source[0] = f".. quicktakes-page:: {filename}\n"


def setup_pages(app: Sphinx) -> None:
    """Register the source-tree handlers."""
    app.connect("config-inited", keep_markdown_pages_opt_in, priority=810)
    app.connect("config-inited", exclude_question_files, priority=820)
    app.connect("source-read", read_question_page)
