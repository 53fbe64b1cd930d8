"""Question files in the source tree are content for directives, not pages of their own.

Loading myst-parser registers ``.md`` as a source suffix. A project that did not ask for
Markdown pages gets that suffix removed again; a project that did gets its question files
excluded, so they are not read as (empty) pages.
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
    if not _wants_markdown_pages(config):
        config.source_suffix.pop(".md", None)


def exclude_question_files(app: Sphinx, config: Config) -> None:
    """``config-inited``: add question files under the source dir to ``exclude_patterns``."""
    suffixes = [s for s in config.source_suffix if s != ".rst"]
    if not suffixes:
        return
    srcdir = str(app.srcdir)
    excluded = Matcher([*config.exclude_patterns, "**/.*", "**/_build"])
    found: list[str] = []
    for root, dirnames, filenames in os.walk(srcdir):
        rel_root = os.path.relpath(root, srcdir)
        rel_root = "" if rel_root == "." else rel_root.replace(os.sep, "/") + "/"
        dirnames[:] = sorted(d for d in dirnames if not excluded(rel_root + d))
        for filename in sorted(filenames):
            relpath = rel_root + filename
            candidate = filename.endswith(tuple(suffixes)) and not excluded(relpath)
            if candidate and is_question_file(os.path.join(root, filename)):
                found.append(relpath)
    if found:
        config.exclude_patterns = [*config.exclude_patterns, *found]


def setup_pages(app: Sphinx) -> None:
    """Register the source-tree handlers."""
    app.connect("config-inited", keep_markdown_pages_opt_in, priority=810)
    app.connect("config-inited", exclude_question_files, priority=820)
