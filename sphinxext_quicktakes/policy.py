"""What bank text may use: one place to read, and to widen, the answer allowlists.

Answers come from untrusted banks, so they are rendered with an allowlist: the Markdown a
Q&A bank needs, plus the MyST directives and roles below, which cannot reach outside the
answer. A project that trusts its bank widens the sets with ``quicktakes_answer_directives``
and ``quicktakes_answer_roles``. Links and images may point to web URLs, to documents and
labels of the project, or to files inside the project or the question's own bank folder.
Stdlib only.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .globs import leaves_folder

__all__ = [
    "ADMONITIONS",
    "ANSWER_DIRECTIVES",
    "ANSWER_ROLES",
    "FORBIDDEN_OPTIONS",
    "IMAGE_DATA_TYPES",
    "LINK_SCHEMES",
    "Policy",
    "inside",
    "link_problem",
    "path_problem",
    "scheme_of",
]

ADMONITIONS = frozenset(
    {
        "admonition", "attention", "caution", "danger", "error", "hint", "important",
        "note", "seealso", "tip", "warning",
    }
)  # fmt: skip

#: Directives an answer may use (names as docutils normalises them: lower case).
ANSWER_DIRECTIVES = ADMONITIONS | frozenset(
    {"code-block", "code", "sourcecode", "math", "list-table", "csv-table", "table",
     "figure", "image"}
)  # fmt: skip

#: Roles an answer may use.
ANSWER_ROLES = frozenset(
    {"sub", "sup", "subscript", "superscript", "abbr", "kbd", "math", "eq",
     "ref", "doc", "term", "quicktake"}
)  # fmt: skip

#: Options that would read a file or a URL: the directive is refused when it has one.
FORBIDDEN_OPTIONS: Mapping[str, frozenset[str]] = {
    "csv-table": frozenset({"file", "url", "encoding"}),
    "table": frozenset({"file", "url"}),
}

#: URL schemes links and images may use; anything else is shown as text.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})

#: ``data:`` URLs allowed for images (no SVG: it can carry script).
IMAGE_DATA_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})

#: Directives and roles that need docutils' file insertion or raw passthrough.
_FILE_INSERTION = frozenset({"include", "literalinclude"})
_RAW = frozenset({"raw"})

_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_DATA_TYPE = re.compile(r"data:([\w.+-]+/[\w.+-]+)[;,]", re.IGNORECASE)


def scheme_of(url: str) -> str | None:
    """The URL scheme, lower case, or None for a path (``C:`` counts as a scheme)."""
    match = _SCHEME.match(url.strip())
    return match.group(1).lower() if match else None


def inside(path: str, roots: Iterable[str]) -> bool:
    """Whether the real path of ``path`` (symlinks resolved) is inside one of ``roots``."""
    return any(not leaves_folder(path, root) for root in roots)


@dataclass(frozen=True)
class Policy:
    """The allowlists in force for a build: the defaults plus what the project added."""

    directives: frozenset[str] = ANSWER_DIRECTIVES
    roles: frozenset[str] = ANSWER_ROLES

    @classmethod
    def widened(cls, directives: Iterable[str] = (), roles: Iterable[str] = ()) -> Policy:
        """The default policy plus the project's ``quicktakes_answer_*`` names."""
        return cls(
            directives=ANSWER_DIRECTIVES | {name.lower() for name in directives},
            roles=ANSWER_ROLES | {name.lower() for name in roles},
        )

    @property
    def raw_enabled(self) -> bool:
        """docutils' ``raw_enabled``: only when the project allowed ``raw``."""
        return bool(self.directives & _RAW)

    @property
    def file_insertion_enabled(self) -> bool:
        """docutils' ``file_insertion_enabled``: only when the project allowed an include."""
        return bool(self.directives & _FILE_INSERTION)

    def directive_problem(self, name: str, options: Mapping[str, object]) -> str | None:
        """Why an answer may not use this directive with these options, or None."""
        normalised = name.lower()
        if normalised not in self.directives:
            return f"directive {name!r} is not allowed in answers"
        if normalised in ANSWER_DIRECTIVES:  # widened names are trusted as they are
            forbidden = FORBIDDEN_OPTIONS.get(normalised, frozenset()) & set(options)
            if forbidden:
                return f"directive {name!r} may not use :{sorted(forbidden)[0]}: in answers"
        return None

    def role_problem(self, name: str) -> str | None:
        """Why an answer may not use this role, or None."""
        if name.lower() not in self.roles:
            return f"role {name!r} is not allowed in answers"
        return None


def link_problem(url: str, *, image: bool = False) -> str | None:
    """Why a URL (with a scheme) may not be used in an answer, or None when it may."""
    scheme = scheme_of(url)
    if scheme is None or (scheme in LINK_SCHEMES and not (image and scheme == "mailto")):
        return None
    if image and scheme == "data":
        match = _DATA_TYPE.match(url.strip())
        if match and match.group(1).lower() in IMAGE_DATA_TYPES:
            return None
        return "a data: image that is not PNG, JPEG, GIF or WebP"
    return f"a {scheme}: URL"


def path_problem(written: str, resolved: str, roots: Iterable[str]) -> str | None:
    """Why a file path in an answer may not be used, or None: ``written`` as the answer
    has it, ``resolved`` the file it names; its real path must stay inside ``roots``."""
    if os.path.isabs(written) or written.startswith(("/", "\\")):
        return "an absolute path"
    if not inside(resolved, roots):
        return "a path outside the project and the question's bank"
    return None
