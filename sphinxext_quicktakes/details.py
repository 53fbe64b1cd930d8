"""A question's details, kept beside the doctrees rather than in the environment.

Every build loads the pickled environment whole, and ``-j`` copies it to each process, so
a question's record there holds only what finds, sorts and links the question. What only
some readers need (keywords, descriptions, the answer's first sentence) is written, per
document, to a small file beside the doctrees when the document is read, and read back by
the page's own ``<head>``, the lists that show the question, the index and the files
written at the end of a build.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .placement import QuestionRecord

DETAILS_FOLDER = "quicktakes-details"  # beside the doctrees
_PENDING = "quicktakes_details"  # env.temp_data: the document being read


@dataclass(frozen=True, slots=True)
class Details:
    """What a rendering of a question carries besides its record."""

    keywords: tuple[str, ...] = ()
    description: str = ""  # seo.page_description
    seo_title: str = ""
    auto_description: str = ""  # without a description: its first sentences without math
    summary: tuple[tuple[str, str], ...] = ()  # its first sentence (see text.summary_parts)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Details:
        return cls(
            keywords=tuple(data["keywords"]),
            description=data["description"],
            seo_title=data["seo_title"],
            auto_description=data["auto_description"],
            summary=tuple((kind, text) for kind, text in data["summary"]),
        )


NONE = Details()


def details_file(doctreedir: str | Path, docname: str) -> Path:
    """Where the details of one document's questions are kept."""
    name = hashlib.sha1(docname.encode()).hexdigest()
    return Path(doctreedir, DETAILS_FOLDER, f"{name}.json")


def note_details(env: BuildEnvironment, anchor: str, details: Details) -> None:
    """While a document is read: the details of the question rendered at ``anchor``."""
    pending: dict[str, Details] = env.temp_data.setdefault(_PENDING, {})  # type: ignore[assignment]
    pending[anchor] = details


def keep_details(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: write the details of the document's questions (or forget them)."""
    env = app.env
    pending: dict[str, Details] = env.temp_data.pop(_PENDING, None) or {}
    path = details_file(env.doctreedir, env.docname)
    if not pending:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {anchor: asdict(details) for anchor, details in pending.items()}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


class DetailsReader:
    """The details of recorded questions, each document's file read once per process."""

    def __init__(self, doctreedir: str | Path) -> None:
        self.doctreedir = doctreedir
        self._documents: dict[str, dict[str, Details]] = {}

    def __call__(self, record: QuestionRecord) -> Details:
        """The details of a rendering (empty when its file is gone)."""
        document = self._documents.get(record.docname)
        if document is None:
            document = self._documents[record.docname] = self._read(record.docname)
        return document.get(record.anchor, NONE)

    def _read(self, docname: str) -> dict[str, Details]:
        try:
            text = details_file(self.doctreedir, docname).read_text("utf-8")
            return {anchor: Details.from_json(d) for anchor, d in json.loads(text).items()}
        except (OSError, ValueError, KeyError, TypeError):
            return {}

    def forget(self, docname: str) -> None:
        """The document is read again: its file will change."""
        self._documents.pop(docname, None)
