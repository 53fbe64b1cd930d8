"""Selecting questions for a collection: filtering, sorting, grouping (no Sphinx).

The ``quicktakes`` directive turns its arguments and options into a :class:`Selection`,
finds the files with :mod:`.globs`, then asks which loaded questions to show and in what
order.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from .model import Question

SORT_KEYS = ("file", "-file", "date", "-date", "title", "-title", "id", "-id")


@dataclass(frozen=True)
class Selection:
    """What a collection asks for."""

    patterns: tuple[str, ...]  # absolute glob patterns
    subjects: tuple[str, ...] = ()  # case-folded
    keywords: tuple[str, ...] = ()  # case-folded
    sort: str = "file"
    limit: int | None = None
    include_noindex: bool = False


def split_list(value: str | None) -> tuple[str, ...]:
    """A comma-separated option value as case-folded, trimmed items."""
    if not value:
        return ()
    return tuple(item.strip().casefold() for item in value.split(",") if item.strip())


def resolve_pattern(pattern: str, srcdir: str, docdir: str) -> str:
    """A pattern relative to the document, or to the source dir with a leading ``/``,
    wherever that leads (like ``literalinclude``)."""
    if pattern.startswith("/"):
        return os.path.normpath(os.path.join(srcdir, pattern.lstrip("/")))
    return os.path.normpath(os.path.join(docdir, pattern))


def matches(question: Question, selection: Selection) -> bool:
    """Whether a loaded question passes the collection's filters."""
    if question.no_index and not selection.include_noindex:
        return False
    if selection.subjects and question.subject.casefold() not in selection.subjects:
        return False
    if selection.keywords:
        keywords = {keyword.casefold() for keyword in question.keywords}
        if not keywords.intersection(selection.keywords):
            return False
    return True


class Sortable(Protocol):
    """What ordering needs of a question (a loaded question, or ``check``'s summary)."""

    @property
    def path(self) -> str: ...
    @property
    def date(self) -> dt.date | None: ...
    @property
    def heading(self) -> str: ...
    @property
    def id(self) -> str | int | None: ...


S = TypeVar("S", bound=Sortable)


def _sort_key(question: Sortable, field: str) -> tuple[object, ...]:
    if field == "date":
        return (question.date or dt.date.max,)
    if field == "title":
        return (question.heading.casefold(),)
    if field == "id":
        value = question.id
        return (0, value, "") if isinstance(value, int) else (1, 0, str(value or ""))
    return ()


def order(questions: Sequence[S], sort: str) -> list[S]:
    """Questions sorted by ``sort``; no date sorts last; ties broken by file path."""
    field = sort.lstrip("-")
    by_path = sorted(questions, key=lambda q: q.path)
    if field == "file":
        return by_path[::-1] if sort.startswith("-") else by_path
    if sort.startswith("-"):
        if field == "date":  # newest first, but undated still last
            dated = [q for q in by_path if q.date is not None]
            undated = [q for q in by_path if q.date is None]
            dated.sort(key=lambda q: q.date or dt.date.min, reverse=True)
            return dated + undated
        return sorted(by_path, key=lambda q: _sort_key(q, field), reverse=True)
    return sorted(by_path, key=lambda q: _sort_key(q, field))


def select(questions: Iterable[Question], selection: Selection) -> list[Question]:
    """Filter, sort and limit loaded questions."""
    chosen = order([q for q in questions if matches(q, selection)], selection.sort)
    return chosen if selection.limit is None else chosen[: selection.limit]


def group_by_subject(questions: Iterable[Question]) -> list[tuple[str, list[Question]]]:
    """Questions grouped by subject, subjects in sorted (case-insensitive) order."""
    groups: dict[str, list[Question]] = {}
    names: dict[str, str] = {}
    for question in questions:
        key = question.subject.casefold()
        names.setdefault(key, question.subject)
        groups.setdefault(key, []).append(question)
    return [(names[key], groups[key]) for key in sorted(groups)]
