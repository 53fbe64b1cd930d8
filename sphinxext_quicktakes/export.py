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

from .domain import PAGE_FIRST, QuestionRecord, get_domain
from .head import WEB_BUILDERS, base_url

EXPORT_NAME = "quicktakes.json"
EXPORT_VERSION = 1


def collect(app: Sphinx) -> list[QuestionRecord]:
    """Each distinct question once, at its canonical place (its own page first), listed
    where it first appears in document order."""
    ordered = get_domain(app.env).ordered_placements()
    chosen: dict[tuple[str, str], tuple[int, QuestionRecord]] = {}
    for index, record in enumerate(ordered):
        identity = (record.key, record.digest)
        if identity not in chosen:
            chosen[identity] = (index, record)
        elif PAGE_FIRST[record.kind] < PAGE_FIRST[chosen[identity][1].kind]:
            chosen[identity] = (chosen[identity][0], record)
    return [record for _, record in sorted(chosen.values(), key=lambda item: item[0])]


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
    records = collect(app)
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
