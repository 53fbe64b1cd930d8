"""Question files as pages of their own (``quicktakes_pages``), wherever they live.

``quicktakes_pages`` is a list of patterns relative to the source directory (each match is
the page named by its path) or a mapping from a docname prefix to patterns, which may lead
outside the source directory (each match is the page ``<prefix>/<path below the pattern's
fixed folder>``). Sphinx is told about these pages when it discovers documents (see
:func:`.compat.revise_discovery`): nothing is copied or written into the source directory,
and Sphinx's own mtime checks see files added, changed and removed. A question page's
source is replaced, when read, by the directive that renders it.

A file is a question file only because a pattern names it, never because of its front
matter. Loading myst-parser registers ``.md`` as a source suffix: a project that did not
ask for Markdown pages does not read stray ``.md`` files as pages.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from .compat import revise_discovery, source_suffixes_set_by_project
from .errors import Subtype
from .globs import below, find, matches
from .selection import resolve_pattern
from .warnings import warn

MARKDOWN = ".md"


def valid_pages_setting(value: Any) -> bool:
    """Whether ``quicktakes_pages`` is a list of patterns or a mapping from a docname
    prefix to a pattern or a list of patterns."""
    if isinstance(value, list | tuple):
        return all(isinstance(item, str) and item for item in value)
    if not isinstance(value, Mapping):
        return False
    for prefix, patterns in value.items():
        if not isinstance(prefix, str) or prefix.startswith("/") or ".." in prefix.split("/"):
            return False
        items = [patterns] if isinstance(patterns, str) else patterns
        if not isinstance(items, list | tuple) or not all(
            isinstance(item, str) and item for item in items
        ):
            return False
    return True


def page_patterns(
    setting: Sequence[str] | Mapping[str, Any], srcdir: str
) -> list[tuple[str | None, str]]:
    """``(prefix, absolute pattern)`` pairs; the prefix is None for the list form."""
    if isinstance(setting, Mapping):
        pairs: list[tuple[str | None, str]] = []
        for prefix, patterns in setting.items():
            for pattern in [patterns] if isinstance(patterns, str) else patterns:
                pairs.append((prefix.strip("/"), resolve_pattern(pattern, srcdir, srcdir)))
        return pairs
    return [(None, resolve_pattern("/" + p.lstrip("/"), srcdir, srcdir)) for p in setting]


@dataclass(frozen=True)
class PageDiscovery:
    """What Sphinx's document discovery is revised with (plain data: it is pickled with
    the environment)."""

    srcdir: str
    patterns: tuple[tuple[str | None, str], ...]
    follow_symlinks: bool
    markdown_pages: bool  # the project reads .md files as pages of its own
    suffixes: tuple[str, ...]

    def question_pages(self) -> dict[str, str]:
        """Docname -> absolute path of every question page."""
        pages: dict[str, str] = {}
        for prefix, pattern in self.patterns:
            for path in find([pattern], self.follow_symlinks).files:
                suffix = next((s for s in self.suffixes if path.endswith(s)), None)
                if suffix is None:
                    continue
                if prefix is None:
                    relative = os.path.relpath(path, self.srcdir)
                    if relative.startswith(os.pardir):
                        warn(
                            f"quicktakes_pages: {path} is outside the source directory; "
                            "use the mapping form, {'prefix': 'pattern'}, for such files",
                            Subtype.CONFIG,
                        )
                        continue
                    name = relative.replace(os.sep, "/")
                else:
                    name = posixpath.join(prefix, below(path, pattern))
                pages.setdefault(name.removesuffix(suffix), path)
        return pages

    def __call__(self, found: dict[str, Path]) -> dict[str, Path]:
        """Sphinx's documents, less stray ``.md`` files, plus the question pages."""
        if not self.markdown_pages:
            found = {d: p for d, p in found.items() if not str(p).endswith(MARKDOWN)}
        for docname, path in self.question_pages().items():
            relative = os.path.relpath(path, self.srcdir)
            target = Path(path) if relative.startswith(os.pardir) else Path(relative)
            if docname in found and os.path.join(self.srcdir, found[docname]) != path:
                warn(
                    f"quicktakes_pages: {path} would be the page {docname!r}, which is "
                    f"already {found[docname]}; left out",
                    Subtype.CONFIG,
                )
                continue
            found[docname] = target
        return found


def is_question_page(env: BuildEnvironment, docname: str) -> bool:
    """Whether a document is a question file named by ``quicktakes_pages``."""
    if not env.config.quicktakes_pages:
        return False
    path = str(env.doc2path(docname))
    patterns = page_patterns(env.config.quicktakes_pages, str(env.srcdir))
    return any(matches(path, pattern) for _, pattern in patterns)


def has_page_elsewhere(env: BuildEnvironment, path: str) -> bool:
    """Whether a question file's page is in another project (``quicktakes_pages_elsewhere``)."""
    srcdir = str(env.srcdir)
    patterns = env.config.quicktakes_pages_elsewhere
    return any(matches(path, resolve_pattern(p, srcdir, srcdir)) for p in patterns)


def read_question_page(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: a question page is read as the directive that renders it."""
    if not is_question_page(app.env, docname):
        return
    filename = os.path.basename(str(app.env.doc2path(docname)))
    if filename.endswith(MARKDOWN):  # read by MyST
        source[0] = f"```{{quicktakes-page}} {filename}\n```\n"
    else:
        source[0] = f".. quicktakes-page:: {filename}\n"


class MarkdownPages:
    """Whether the project reads ``.md`` files as pages of its own: it loads myst-parser
    itself, or names ``.md`` in ``source_suffix``."""

    def __init__(self) -> None:
        self.wanted = True

    def note(self, app: Sphinx, config: Config) -> None:
        """``config-inited``: what the project's configuration asks for."""
        suffixes = source_suffixes_set_by_project(config)
        self.wanted = "myst_parser" in config.extensions or MARKDOWN in suffixes

    def keep_opt_in(self, app: Sphinx, config: Config) -> None:
        """``config-inited``, after the merge: drop ``.md`` unless asked for (or needed by
        question pages, where stray ``.md`` files are left out at discovery)."""
        if not self.wanted and not config.quicktakes_pages:
            config.source_suffix.pop(MARKDOWN, None)

    def revise_discovery(self, app: Sphinx) -> None:
        """``builder-inited``: Sphinx's document discovery also finds question pages."""
        if self.wanted and not app.config.quicktakes_pages:
            return
        discovery = PageDiscovery(
            srcdir=str(app.srcdir),
            patterns=tuple(page_patterns(app.config.quicktakes_pages, str(app.srcdir))),
            follow_symlinks=app.config.quicktakes_follow_symlinks,
            markdown_pages=self.wanted,
            suffixes=tuple(app.config.source_suffix),
        )
        revise_discovery(app.project, discovery)


def setup_pages(app: Sphinx) -> None:
    """Register the question-page handlers."""
    markdown = MarkdownPages()
    app.connect("config-inited", markdown.note, priority=799)
    app.connect("config-inited", markdown.keep_opt_in, priority=810)
    app.connect("builder-inited", markdown.revise_discovery)
    app.connect("source-read", read_question_page)
