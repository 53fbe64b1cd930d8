"""``quicktakes.json``: every question of the project, for quiz apps and LMS imports.

Written by the HTML builders at the root of the output. Each distinct question appears once,
at its canonical place, in document order; the file is byte-identical between two builds of
the same project.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .domain import get_domain
from .head import WEB_BUILDERS, base_url
from .placement import QuestionRecord

EXPORT_NAME = "quicktakes.json"
EXPORT_VERSION = 1


def entry(app: Sphinx, record: QuestionRecord, base: str) -> dict[str, Any]:
    url = f"{app.builder.get_target_uri(record.docname).split('#')[0]}#{record.anchor}"
    return {
        "id": record.id or None,
        "slug": record.slug,
        "heading": record.heading,
        "question": record.question,
        "subject": record.subject,
        "keywords": list(record.keywords),
        "date": record.date or None,
        "author": record.author,
        "url": url,
        "absolute_url": base + url if base else None,
        "answer_markdown": record.answer,
        "answer_text": record.text,
    }


def write_export(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` handler: write ``quicktakes.json``."""
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    records = get_domain(app.env).where().distinct  # each question once, canonical place
    if not app.config.quicktakes_export or not records:  # no question: no file
        return
    base = base_url(app)
    data = {
        "version": EXPORT_VERSION,
        "project": app.config.project,
        "language": app.config.language or "en",
        "base_url": base or None,
        "questions": [entry(app, record, base) for record in records],
    }
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    Path(app.outdir, EXPORT_NAME).write_text(text, encoding="utf-8")


def setup_export(app: Sphinx) -> None:
    """Register the export."""
    app.connect("build-finished", write_export)
