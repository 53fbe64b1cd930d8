"""``quicktakes.json``: every question of the project, for quiz apps and LMS imports.

Written by the HTML builders at the root of the output. Each distinct question appears once,
at its canonical place, in document order; the file is byte-identical between two builds of
the same project.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, NamedTuple

from sphinx.application import Sphinx

from .domain import get_domain
from .head import WEB_BUILDERS, base_url
from .placement import QuestionRecord

EXPORT_NAME = "quicktakes.json"
EXPORT_VERSION = 1
ANSWERS_FOLDER = "quicktakes-answers"  # beside the doctrees
EXPORT_STATE = "quicktakes-export.state"  # beside the doctrees: what the file holds


def answer_file(doctreedir: str | Path, docname: str, anchor: str) -> Path:
    """Where the answer of one rendering is kept for the export: beside the doctrees,
    not in the environment, which every build loads whole."""
    name = hashlib.sha1(f"{docname}#{anchor}".encode()).hexdigest()
    return Path(doctreedir, ANSWERS_FOLDER, f"{name}.json")


def keep_answer(env: Any, anchor: str, markdown: str, text: str) -> None:
    """Keep a rendered answer (Markdown and plain text) for ``quicktakes.json``."""
    path = answer_file(env.doctreedir, env.docname, anchor)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"markdown": markdown, "text": text}), encoding="utf-8")


def kept_answer(app: Sphinx, record: QuestionRecord) -> dict[str, str]:
    try:
        kept = answer_file(app.doctreedir, record.docname, record.anchor).read_text("utf-8")
        return dict(json.loads(kept))
    except (OSError, ValueError):
        return {"markdown": "", "text": ""}


def entry(app: Sphinx, record: QuestionRecord, base: str) -> dict[str, Any]:
    url = f"{app.builder.get_target_uri(record.docname).split('#')[0]}#{record.anchor}"
    answer = kept_answer(app, record)
    return {
        "id": record.id or None,
        "slug": record.slug,
        "heading": record.heading,
        "question": record.question,
        "subject": record.subject,
        "keywords": list(get_domain(app.env).details(record).keywords),
        "date": record.date or None,
        "author": record.author,
        "url": url,
        "absolute_url": base + url if base else None,
        "answer_markdown": answer["markdown"],
        "answer_text": answer["text"],
    }


def write_export(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` handler: write ``quicktakes.json``, taking each question whose
    page was not read since the previous build from the previous file (its entry cannot
    have changed; reading 36,000 kept answers again would be most of an edit's build)."""
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    records = get_domain(app.env).where().distinct  # each question once, canonical place
    if not app.config.quicktakes_export or not records:  # no question: no file
        return
    base = base_url(app)
    config = (EXPORT_VERSION, app.builder.name, app.builder.get_target_uri("x"),
              app.config.project, app.config.language, base)  # fmt: skip
    read = app.env.all_docs
    prints = [_fingerprint(config, record, read.get(record.docname)) for record in records]
    state = _fingerprint(config, prints)
    state_file, target = Path(app.doctreedir, EXPORT_STATE), Path(app.outdir, EXPORT_NAME)
    previous = Previous.load(state_file, target)
    if previous.state == state:
        return  # as the previous build wrote it
    kept = previous.entries(target)
    head = {
        "version": EXPORT_VERSION,
        "project": app.config.project,
        "language": app.config.language or "en",
        "base_url": base or None,
        "questions": [],
    }
    parts = [json.dumps(head, ensure_ascii=False, indent=2).encode().removesuffix(b"[]\n}")]
    parts.append(b"[\n")
    offset, spans = len(b"".join(parts)), []
    for number, (record, fingerprint) in enumerate(zip(records, prints, strict=True)):
        text = kept.get(fingerprint) or _entry_text(entry(app, record, base))
        separator = b",\n" if number else b""
        parts += [separator, text]
        start = offset + len(separator)
        offset = start + len(text)
        spans.append((fingerprint, start, offset))
    parts.append(b"\n  ]\n}\n")
    target.write_bytes(b"".join(parts))
    written = target.stat()
    mark = [written.st_size, written.st_mtime_ns]
    state_file.write_text(json.dumps({"state": state, "file": mark, "entries": spans}), "utf-8")


def _entry_text(data: dict[str, Any]) -> bytes:
    """One question of the file, laid out as ``json.dumps(..., indent=2)`` lays out all."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return ("    " + text.replace("\n", "\n    ")).encode()  # strings hold no raw newline


def _fingerprint(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


class Previous(NamedTuple):
    """What the previous build wrote: the file's fingerprint, and where each question's
    entry is in it, by the entry's fingerprint (the question's record, when its page was
    read and the settings)."""

    state: str
    spans: list[tuple[str, int, int]]

    @classmethod
    def load(cls, state_file: Path, target: Path) -> Previous:
        """Empty when the state or the file is gone, broken or not as written (its size and
        time are kept with the state)."""
        try:
            data = json.loads(state_file.read_text("utf-8"))
            stat = target.stat()
            if data["file"] == [stat.st_size, stat.st_mtime_ns]:
                return cls(str(data["state"]), data["entries"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return cls("", [])

    def entries(self, target: Path) -> dict[str, bytes]:
        """Each question's entry, as the file holds it."""
        if not self.spans:
            return {}
        data = target.read_bytes()
        return {str(key): data[start:end] for key, start, end in self.spans}


def setup_export(app: Sphinx) -> None:
    """Register the export."""
    app.connect("build-finished", write_export)
