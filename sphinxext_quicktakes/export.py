"""``quicktakes.json``: every question of the project, for quiz apps and LMS imports.

Written by the HTML builders at the root of the output. Each distinct question appears once,
at its canonical place, in document order; the file is byte-identical between two builds of
the same project.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

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
    """``build-finished`` handler: write ``quicktakes.json``."""
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    records = get_domain(app.env).where().distinct  # each question once, canonical place
    if not app.config.quicktakes_export or not records:  # no question: no file
        return
    base = base_url(app)
    state = _state(app, records, base)
    state_file, target = Path(app.doctreedir, EXPORT_STATE), Path(app.outdir, EXPORT_NAME)
    if target.is_file() and _read(state_file) == state:
        return  # as the previous build wrote it: no kept answer is read again
    data = {
        "version": EXPORT_VERSION,
        "project": app.config.project,
        "language": app.config.language or "en",
        "base_url": base or None,
        "questions": [entry(app, record, base) for record in records],
    }
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    target.write_text(text, encoding="utf-8")
    state_file.write_text(state, encoding="utf-8")


def _state(app: Sphinx, records: list[QuestionRecord], base: str) -> str:
    """A fingerprint of what the file holds: each question's record and when its page was
    read (its answer and keywords cannot have changed since)."""
    read = app.env.all_docs
    config = (EXPORT_VERSION, app.builder.name, app.config.project, app.config.language, base)
    parts = [repr(config), *(repr((r, read.get(r.docname))) for r in records)]
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except OSError:
        return ""


def setup_export(app: Sphinx) -> None:
    """Register the export."""
    app.connect("build-finished", write_export)
