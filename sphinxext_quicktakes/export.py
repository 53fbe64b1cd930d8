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

from .domain import PAGE_FIRST, QuestionRecord, document_order, get_domain
from .head import WEB_BUILDERS, base_url
from .render import plain_text

EXPORT_NAME = "quicktakes.json"
EXPORT_VERSION = 1


def collect(app: Sphinx) -> list[tuple[str, QuestionRecord]]:
    """(docname, question) for each distinct question, at its canonical place."""
    domain = get_domain(app.env)
    order = {docname: index for index, docname in enumerate(document_order(app.env))}
    placed = []
    for docname, page in domain.pages.items():
        for position, record in enumerate(page.questions):
            placed.append((order.get(docname, len(order)), docname, position, record))
    placed.sort(key=lambda item: (item[0], item[1], item[2]))
    chosen: dict[tuple[str, str], tuple[int, str, QuestionRecord]] = {}
    for rank_in_doc, (_, docname, _, record) in enumerate(placed):
        identity = (record.key, record.digest)
        rank = PAGE_FIRST[record.kind]
        if identity not in chosen or rank < PAGE_FIRST[chosen[identity][2].kind]:
            first = chosen[identity][0] if identity in chosen else rank_in_doc
            chosen[identity] = (first, docname, record)
    return [(docname, record) for _, docname, record in sorted(chosen.values(), key=lambda c: c[0])]


def entry(app: Sphinx, docname: str, record: QuestionRecord, base: str) -> dict[str, Any]:
    url = f"{app.builder.get_target_uri(docname).split('#')[0]}#{record.anchor}"
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
        "answer_text": plain_text(record.answer),
    }


def write_export(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` handler: write ``quicktakes.json``."""
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    if not app.config.quicktakes_export:
        return
    base = base_url(app)
    data = {
        "version": EXPORT_VERSION,
        "project": app.config.project,
        "language": app.config.language or "en",
        "base_url": base or None,
        "questions": [entry(app, docname, record, base) for docname, record in collect(app)],
    }
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    Path(app.outdir, EXPORT_NAME).write_text(text, encoding="utf-8")


def setup_export(app: Sphinx) -> None:
    """Register the export."""
    app.connect("build-finished", write_export)
