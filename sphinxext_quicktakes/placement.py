"""Which question is which, and where each one belongs (no Sphinx).

A question is identified by its key (the id, else the file slug) and a fingerprint of its
answer: two files with the same key and answer are one question listed twice (cross-listed
in two subjects), the same id with another answer is a conflict. The domain, collections,
``quicktakes.json`` and ``quicktakes check`` all ask this module; none decides on its own.

A question shown in several places has one canonical place: its own page (``PAGE``), else
its first full rendering (``FULL``) in reading order, else the fallback rendering a
``:display: list`` keeps for it (``FALLBACK``).
"""

from __future__ import annotations

import os
import posixpath
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

#: Kinds of placement, in the order they are preferred as a question's canonical place.
PAGE, FULL, FALLBACK = "page", "full", "fallback"
PREFERENCE = {PAGE: 0, FULL: 1, FALLBACK: 2}


@dataclass(frozen=True)
class Identity:
    """What makes two renderings the same question."""

    key: str  # the id as text, else the file slug
    digest: str  # fingerprint of the answer
    by_id: bool  # whether the key is an id (ids must be unique across files)


def identify(id: object, slug: str, digest: str) -> Identity:
    """The identity of a question with this id (None or "" when it has none), slug and
    answer fingerprint."""
    has_id = id is not None and id != ""
    return Identity(str(id) if has_id else slug, digest, has_id)


class Identified(Protocol):
    """A question file, loaded or rendered."""

    @property
    def identity(self) -> Identity: ...

    @property
    def path(self) -> str: ...


T = TypeVar("T", bound=Identified)


def distinct(items: Iterable[T]) -> list[T]:
    """The first of each question, in the given order (cross-listed copies dropped)."""
    seen: set[Identity] = set()
    kept: list[T] = []
    for item in items:
        if item.identity not in seen:
            seen.add(item.identity)
            kept.append(item)
    return kept


def id_conflicts(items: Iterable[T]) -> list[tuple[T, T]]:
    """``(first, other)``: an id used by another file with a different answer; once per
    id and answer, ``first`` being the first file with that id in the given order."""
    first: dict[str, T] = {}
    reported: set[Identity] = set()
    conflicts: list[tuple[T, T]] = []
    for item in items:
        identity = item.identity
        if not identity.by_id:
            continue
        seen = first.setdefault(identity.key, item)
        if seen.identity == identity or seen.path == item.path or identity in reported:
            continue
        reported.add(identity)
        conflicts.append((seen, item))
    return conflicts


@dataclass(frozen=True, slots=True)
class QuestionRecord:
    """One rendering of a question in a document: what finds, sorts and links it (its
    keywords, descriptions and first sentence are :mod:`.details`, kept beside the doctrees).

    A project keeps one record per rendering in its pickled environment, so a record
    pickles as a bare tuple, with each value that many records share (folder, subject,
    author, date...) written once.
    """

    docname: str
    anchor: str  # the HTML id of the question's section
    position: int  # order within the document
    kind: str  # PAGE: the question's own page; FULL; FALLBACK: shown in full by a list
    id: str  # the question id as text ("" when the file has none)
    slug: str  # the file_name stem
    label: str  # automatic label, ``quicktake-<id>``
    heading: str
    question: str
    subject: str
    date: str  # ISO 8601, or ""
    author: str
    digest: str  # fingerprint of the answer
    path: str  # the question file
    meta: bool = True  # False with :no-meta: or quicktakes_meta = False
    answers: str = ""  # where its answer goes, from the :answers: option ("": the config)
    no_index: bool = False  # the file asks to be left out of search engines, feeds, lists

    def __post_init__(self) -> None:
        self.__setstate__(self.__getstate__())

    def __getstate__(self) -> tuple[object, ...]:
        values = {name: getattr(self, name) for name in self.__slots__}
        folder, name = os.path.split(self.path)  # the folder is shared by many records
        names = _usual_names(self.docname, self.slug)
        values["path"] = (sys.intern(folder), names.index(name) if name in names else name)
        if self.anchor == self.label == _automatic_label(self.id, self.slug):
            values["anchor"] = values["label"] = None
        return tuple(values.values())

    def __setstate__(self, state: tuple[object, ...]) -> None:
        values: dict[str, Any] = dict(zip(self.__slots__, state, strict=True))
        folder, name = values["path"]
        if isinstance(name, int):
            name = _usual_names(values["docname"], values["slug"])[name]
        values["path"] = os.path.join(folder, name)
        if values["anchor"] is None:
            values["anchor"] = values["label"] = _automatic_label(values["id"], values["slug"])
        for one, same in (("question", "heading"), ("anchor", "label")):
            if values[one] == values[same]:  # most questions are their heading
                values[one] = values[same]
        for field, value in values.items():
            object.__setattr__(self, field, _shared(value) if field in _REPEATED else value)

    @property
    def identity(self) -> Identity:
        return identify(self.id, self.slug, self.digest)

    @property
    def key(self) -> str:
        """What identifies the question: its id, else its slug."""
        return self.identity.key


#: record fields whose values repeat across questions (interned, so pickled once)
_REPEATED = frozenset({"kind", "subject", "date", "author", "answers"})


def automatic_label(key: str) -> str:
    """The label (and anchor) of the question with this key: ``quicktake-<key>``."""
    return f"quicktake-{key}".lower()


def _automatic_label(id: str, slug: str) -> str:
    return automatic_label(identify(id, slug, "").key)


def _usual_names(docname: str, slug: str) -> tuple[str, str]:
    """What a question file is usually called: its page's name (``quicktakes_pages``), or
    its slug (kept as a number in a pickled record)."""
    return f"{posixpath.basename(docname)}.md", f"{slug}.md"


def _shared(value: object) -> object:
    """``value`` as one object shared by all equal values (strings and their tuples)."""
    if isinstance(value, str):
        return sys.intern(value)
    if isinstance(value, tuple):
        return tuple(sys.intern(v) if isinstance(v, str) else v for v in value)
    return value


class Placements:
    """Where every question of a project belongs, from all its renderings listed in reading
    order (documents in toctree order, then position within the document)."""

    def __init__(self, records: Sequence[QuestionRecord]) -> None:
        self.records = list(records)
        #: every rendering, canonical candidates first (reading order among equals)
        self.by_preference = sorted(self.records, key=lambda r: PREFERENCE[r.kind])
        by_preference = self.by_preference
        #: id or slug (lower case) -> the canonical place
        self.canonical: dict[str, QuestionRecord] = {}
        for record in by_preference:
            self.canonical.setdefault(record.key.lower(), record)
            if record.slug:
                self.canonical.setdefault(record.slug.lower(), record)
        #: automatic label -> the first full rendering (a fallback only when there is none)
        self.owners: dict[str, QuestionRecord] = {}
        for record in sorted(self.records, key=lambda r: r.kind == FALLBACK):
            self.owners.setdefault(record.label, record)
        #: each question once, at its canonical place, where it is first met
        self.distinct: list[QuestionRecord] = []
        best = {r.identity: r for r in reversed(by_preference)}
        for record in distinct(self.records):
            self.distinct.append(best[record.identity])
        self.devoted = self._devoted_pages()
        #: ids used by two files with different answers (see :func:`id_conflicts`)
        self.conflicts = id_conflicts(self.records)

    def find(self, target: str) -> QuestionRecord | None:
        """The canonical place of the question with this id or slug."""
        return self.canonical.get(target.strip().lower())

    def _devoted_pages(self) -> dict[Identity, str]:
        """For each question, the first page that shows it alone (a list's fallback
        renderings aside): its own page first, then in reading order."""
        shown: dict[str, list[QuestionRecord]] = {}
        for record in self.records:
            if record.kind != FALLBACK:
                shown.setdefault(record.docname, []).append(record)
        devoted: dict[Identity, tuple[int, int, str]] = {}
        for rank, (docname, records) in enumerate(shown.items()):
            if len(records) == 1:
                candidate = (PREFERENCE[records[0].kind], rank, docname)
                identity = records[0].identity
                devoted[identity] = min(devoted.get(identity, candidate), candidate)
        return {identity: place[2] for identity, place in devoted.items()}
