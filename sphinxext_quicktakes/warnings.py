"""The one place that formats the extension's warnings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from docutils import nodes
from sphinx.util import logging
from sphinx.util.logging import is_suppressed_warning

from .errors import QuickTakesError, Subtype

logger = logging.getLogger("sphinxext_quicktakes")

WARNING_TYPE = "quicktakes"

#: The environment reading a document, while a directive of the extension runs.
_reading: ContextVar[Any] = ContextVar("quicktakes_reading", default=None)
#: True while rendering what another project reports on (see :func:`silenced`).
_silenced: ContextVar[bool] = ContextVar("quicktakes_silenced", default=False)


@contextmanager
def reading(env: Any) -> Iterator[None]:
    """Within: a warning makes the document being read be read again at the next build
    (Sphinx does not replay read-time warnings), until the problem is gone."""
    token = _reading.set(env)
    try:
        yield
    finally:
        _reading.reset(token)


@contextmanager
def silenced() -> Iterator[None]:
    """Within: no warning (a question rendered only for its first sentence, whose problems
    the project that shows it in full reports)."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def warn(
    message: str,
    subtype: Subtype,
    *,
    path: str | None = None,
    line: int | None = None,
    location: Any = None,
) -> None:
    """Log one warning of type ``quicktakes`` at a question file (or another location).

    ``suppress_warnings = ["quicktakes.<subtype>"]`` silences it; Sphinx shows the type.
    """
    if _silenced.get():
        return
    if location is None and path is not None:
        location = file_location(path, line)
    logger.warning(message, type=WARNING_TYPE, subtype=subtype.value, location=location)
    env = _reading.get()
    if env is not None and not suppressed(env.config, subtype):
        env.note_reread()


def suppressed(config: Any, subtype: Subtype) -> bool:
    """Whether ``suppress_warnings`` silences this subtype (then nothing needs to be done
    again so that the warning repeats)."""
    return is_suppressed_warning(WARNING_TYPE, subtype.value, config.suppress_warnings)


def file_location(path: str, line: int | None = None) -> nodes.Node:
    """A location Sphinx prints as ``path:line:`` (a plain string would be read as a docname).

    A problem with the whole file (empty, no ``answer``) is reported at line 1."""
    node = nodes.Element()
    node.source, node.line = path, line or 1
    return node


def warn_error(error: QuickTakesError, path: str, *, location: Any = None) -> None:
    """Log a :class:`QuickTakesError` found in the question file at ``path``."""
    if location is not None:
        warn(f"{path}: {error.message}", error.subtype, location=location)
    else:
        warn(error.message, error.subtype, path=path, line=error.line)
