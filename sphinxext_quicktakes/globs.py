"""One glob dialect and one folder walker for collections, question pages and
``quicktakes check`` (no Sphinx).

The dialect: ``*`` and ``?`` match within one path segment, ``[...]`` a character class
(``[!...]`` negated), ``**`` any number of folders. Patterns are matched against whole
``/``-separated paths. A pattern's *fixed folder* is its part before the first wildcard;
a file whose real path leaves the fixed folder (through a symlink) is left out unless
symlinks are followed. The walker never enters folders whose name starts with a dot.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

WILDCARDS = re.compile(r"[*?\[]")


@lru_cache(maxsize=256)
def regex(pattern: str) -> re.Pattern[str]:
    """A glob pattern as a regex on ``/``-separated paths."""
    parts: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            parts.append(".*")
            i += 2
        elif pattern[i] == "*":
            parts.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            parts.append("[^/]")
            i += 1
        elif pattern[i] == "[" and (end := pattern.find("]", i + 2)) > 0:
            body = pattern[i + 1 : end]
            negate = body.startswith(("!", "^"))
            body = re.escape(body[1:] if negate else body).replace("\\-", "-")
            parts.append(f"[{'^' if negate else ''}{body}]")
            i = end + 1
        else:
            parts.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(parts) + r"\Z")


def escape(path: str) -> str:
    """A pattern that matches exactly ``path`` (its wildcard characters in classes)."""
    return WILDCARDS.sub(lambda m: f"[{m.group()}]", path)


def has_wildcards(pattern: str) -> bool:
    """Whether a pattern has a wildcard (else it names one path)."""
    return WILDCARDS.search(pattern) is not None


def posix(path: str) -> str:
    """A path with ``/`` separators."""
    return path.replace(os.sep, "/")


def fixed_folder(pattern: str) -> str:
    """The folder a pattern names: its part before the first wildcard (for a plain path,
    the file's folder)."""
    head = WILDCARDS.split(posix(pattern), maxsplit=1)[0]
    return head.rstrip("/") if head.endswith("/") else os.path.dirname(head)


def matches(path: str, pattern: str) -> bool:
    """Whether a path matches a pattern (both absolute, or both relative)."""
    return regex(posix(pattern)).match(posix(path)) is not None


def matches_tail(path: str, pattern: str) -> bool:
    """Whether a pattern matches the path or any trailing part of it (``README.md``,
    ``drafts/*.md``): how ``quicktakes check --exclude`` matches."""
    return regex("**/" + posix(pattern).lstrip("/")).match(posix(path)) is not None


def leaves_folder(path: str, folder: str) -> bool:
    """Whether the real path of ``path`` is outside the real path of ``folder``."""
    real, root = os.path.realpath(path), os.path.realpath(folder or os.sep)
    return os.path.commonpath([real, root]) != root


def walk(start: str, follow_symlinks: bool = False) -> Iterator[str]:
    """Every file under ``start``, in sorted order. Folders whose name starts with a dot
    are skipped; symlinked folders are entered only when asked, and a loop never twice."""
    visited: set[str] = set()
    for folder, dirnames, filenames in os.walk(start, followlinks=follow_symlinks):
        real = os.path.realpath(folder)
        if real in visited:  # a link loop, when links are followed
            dirnames[:] = []
            continue
        visited.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            yield os.path.join(folder, name)


@dataclass(frozen=True)
class Found:
    """What patterns found: the files, and the matches left out (real path outside the
    pattern's fixed folder, through a symlink)."""

    files: tuple[str, ...]
    left_out: tuple[str, ...] = ()


def find(patterns: Iterable[str], follow_symlinks: bool = False) -> Found:
    """Files matching absolute patterns, sorted, de-duplicated."""
    found: set[str] = set()
    left_out: set[str] = set()
    for pattern in patterns:
        pattern = os.path.normpath(pattern)
        folder = fixed_folder(pattern)
        if not has_wildcards(pattern):
            candidates: Iterable[str] = [pattern] if os.path.isfile(pattern) else []
        else:
            candidates = (p for p in walk(folder or os.sep, follow_symlinks) if matches(p, pattern))
        for path in candidates:
            path = os.path.normpath(path)
            # walk() enters no symlinked folder: only a symlinked file can lead out
            if not follow_symlinks and os.path.islink(path) and leaves_folder(path, folder):
                left_out.add(path)
            else:
                found.add(path)
    return Found(tuple(sorted(found)), tuple(sorted(left_out - found)))


def below(path: str, pattern: str) -> str:
    """The part of ``path`` below the pattern's fixed folder, ``/``-separated."""
    return posix(os.path.relpath(path, fixed_folder(os.path.normpath(pattern)) or os.sep))
