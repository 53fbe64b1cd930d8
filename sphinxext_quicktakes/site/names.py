"""File names made from bank text (no Sphinx): the one slug function of the site files and,
for the site generator, of subject pages.

A subject is bank text: its slug is lower-case ASCII letters, digits and single hyphens,
never empty, never starting with a dot or a hyphen, without path separators, at most
:data:`MAX_LENGTH` characters and never a name Windows reserves (``con``, ``nul``...).
Subjects are compared case-insensitively (as collections group them); two subjects whose
slugs are the same get ``-2``, ``-3``... in sorted order (:func:`subject_slugs`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_LENGTH = 60
FALLBACK = "subject"  # for text without a single ASCII letter or digit
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
)


def slugify(text: str) -> str:
    """A file name stem for ``text``: ``"Computer Science"`` is ``computer-science``,
    ``"Chimie organique (L2)"`` is ``chimie-organique-l2``, ``"Économie"`` is ``economie``,
    ``"Straße"`` is ``strasse``; text with no ASCII letter or digit is ``subject``."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    slug = _NOT_SLUG.sub("-", folded.encode("ascii", "ignore").decode("ascii")).strip("-")
    if len(slug) > MAX_LENGTH:  # cut at a hyphen when there is one
        cut = slug[: MAX_LENGTH + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:MAX_LENGTH]
    if not slug:
        return FALLBACK
    return f"{FALLBACK}-{slug}" if slug in _WINDOWS_RESERVED else slug


def subject_slugs(subjects: Iterable[str]) -> dict[str, str]:
    """A distinct slug for each subject, keyed by the subject's ``casefold()`` (subjects
    that differ only in case are one subject).

    Subjects are taken in sorted order, so the same set of subjects always gets the same
    slugs, whatever order they come in: the second subject whose slug is ``c`` gets
    ``c-2``."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for key in sorted({subject.casefold() for subject in subjects}):
        base = candidate = slugify(key)
        number = 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        taken.add(candidate)
        slugs[key] = candidate
    return slugs
