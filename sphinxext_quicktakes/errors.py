"""The project's own error type and the warning subtypes (no Sphinx imports)."""

from __future__ import annotations

from enum import StrEnum


class Subtype(StrEnum):
    """Warning subtypes: ``suppress_warnings = ["quicktakes.<value>"]`` silences one."""

    MISSING_FILE = "missing-file"
    READ = "read"  # unreadable bytes, not UTF-8, a directory, too large
    YAML = "yaml"  # front matter that YAML cannot parse or that is not a mapping
    EMPTY = "empty"  # empty file, or no front matter
    MISSING_FIELD = "missing-field"
    FIELD_TYPE = "field-type"
    DATE = "date"  # a date that cannot be parsed
    DATE_FORMAT = "date-format"  # a date_format that cannot be applied
    DUPLICATE_ID = "duplicate-id"
    MARKDOWN = "markdown"  # problems rendering the answer
    CONFIG = "config"
    REF = "ref"  # a quicktake role whose id or slug is no question of the project
    COLLECTION = "collection"  # a quicktakes directive that selects no question
    RAW_HTML = "raw-html"  # raw HTML in an answer, shown as text
    UNSAFE_TEX = "unsafe-tex"  # math that could read files or run commands in LaTeX
    UNSAFE_LINK = "unsafe-link"  # a link or image that leaves the project and the bank
    UNSAFE_MARKUP = "unsafe-markup"  # a directive or role outside the answer allowlist
    BAD_TEX = "bad-tex"  # math that cannot be typeset (unbalanced braces or environments)
    LABEL = "label"  # a label in an answer that clashes with another one
    CONTROL_CHAR = "control-char"  # C0/C1 control characters removed from a value
    TOO_COMPLEX = "too-complex"  # input that would take too long to parse
    ORPHAN = "orphan"  # a question page that no toctree, list or link reaches


def printable(text: str) -> str:
    r"""``text`` with every character that is not printable escaped as in ``repr``.

    Newlines, tabs, C0/C1 controls (``\x1b``), line separators and bidi overrides become
    ``\n``, ``\x1b``, ``\u2028``...; printable non-ASCII text (``é``, ``中``) is kept, so
    the result is one line that cannot move the cursor or colour a terminal.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class QuickTakesError(Exception):
    """A problem with a question file or its values, with a warning subtype and a line.

    The message is made :func:`printable`: it may quote a value, never its raw controls."""

    def __init__(self, message: str, subtype: Subtype, *, line: int | None = None) -> None:
        message = printable(message)
        super().__init__(message)
        self.message = message
        self.subtype = subtype
        self.line = line
