"""Nothing stale, nothing hidden: documents read or written again although their own source
did not change, so that an incremental build says and shows what a fresh build would.

- A document that got a ``quicktakes`` warning while it was read is read again at the next
  build (``env.note_reread``): Sphinx does not replay read-time warnings, and ``-W`` must
  fail on every build of a broken bank until the file is fixed.
- A document whose links to questions would now resolve differently (a question moved, its
  heading changed, a list's fallback rendering is now needed or not, the first page devoted
  to it changed) is written again.
- A document whose appendix answers are numbered differently, or the page that lists the
  answers when any of them changed, is written again.
- Documents whose answers cross-reference the project, and documents showing a question
  whose id another file uses with another answer, and question pages that nothing reaches,
  are written on every build: those problems are found while writing and at the
  consistency check, which Sphinx runs only when something is written. Not when
  ``suppress_warnings`` silences the problem (the site command silences unreachable pages:
  its ``no_index`` questions are left out of the lists by design).
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable
from typing import NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from . import elements
from .answers import ONE_TREE, answer_page, appendix
from .domain import QuickTakesDomain, get_domain
from .errors import Subtype
from .navigation import places, unreachable
from .placement import FALLBACK, QuestionRecord
from .warnings import suppressed


class Links(NamedTuple):
    """What a document's written output depends on beyond its own source."""

    questions: frozenset[str]  # ids and slugs: the role, list entries, related, fallbacks
    labels: frozenset[str]  # automatic labels, quicktake-<id>
    answer_xrefs: bool  # cross-references inside answers (reported while writing)


def record_links(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read`` handler: note what the document links to."""
    questions, labels, answer_xrefs = set(), set(), False
    for xref in doctree.findall(addnodes.pending_xref):
        target = str(xref.get("reftarget", "")).strip().lower()
        answer_xrefs = answer_xrefs or bool(xref.get("quicktakes_path"))
        if xref.get("refdomain") == QuickTakesDomain.name:
            questions.add(target)
        elif target.startswith("quicktake-"):
            labels.add(target)
    for question in doctree.findall(elements.question):
        if question["kind"] == FALLBACK:  # kept or dropped by where the question is shown
            questions.add(question["key"].lower())
    if questions or labels or answer_xrefs:
        links = Links(frozenset(questions), frozenset(labels), answer_xrefs)
        get_domain(app.env).links[app.env.docname] = links


def _place(record: QuestionRecord | None) -> Hashable:
    if record is None:
        return None
    # (a list entry also shows the first sentence: the list reads the question's file, so
    # it is read again when that changes)
    return record.docname, record.anchor, record.heading


def resolution(domain: QuickTakesDomain, docname: str) -> tuple[Hashable, ...]:
    """How the document's links to questions resolve now (compared between builds)."""
    where = domain.where()
    links = domain.links.get(docname)
    parts: list[Hashable] = []
    if links is not None:
        parts += [(target, _place(where.find(target))) for target in sorted(links.questions)]
        parts += [(label, _place(where.owners.get(label))) for label in sorted(links.labels)]
    place = places(domain).get(docname)
    if place is not None:  # breadcrumbs and previous/next links from a list
        around = (place.parent, place.previous, place.next)
        titles = tuple(domain.env.titles[d].astext() for d in around if d in domain.env.titles)
        parts.append(("navigation", place, titles))
    page = domain.pages.get(docname)
    for record in page.questions if page else []:
        if record.kind != FALLBACK:  # the page's canonical URL: the first page devoted to it
            parts.append((record.anchor, where.devoted.get(record.identity)))
    return tuple(parts)


def answers_resolution(app: Sphinx) -> dict[str, Hashable]:
    """Where appendix answers go, for each document that shows one or the answers: the
    answers page and the answers' numbers; for the answers page, every answer."""
    if app.builder.name in ONE_TREE:  # a book is written whole
        return {}
    book, page = appendix(app), answer_page(app)
    numbers: dict[str, list[Hashable]] = {}
    for (docname, anchor), number in sorted(book.numbers.items()):
        numbers.setdefault(docname, [page]).append((anchor, number))
    parts: dict[str, Hashable] = {docname: tuple(each) for docname, each in numbers.items()}
    if page is not None:
        shown = tuple((r.docname, r.anchor, r.digest, r.heading) for r in book.entries)
        parts[page] = (parts.get(page), shown)
    return parts


def written_again(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated`` handler: the documents to write although they were not read."""
    domain = get_domain(env)
    domain.refresh()  # reading is over: the toctrees are complete
    config, rewrite = env.config, set[str]()
    if not suppressed(config, Subtype.REF):
        rewrite.update(doc for doc, links in domain.links.items() if links.answer_xrefs)
    if not suppressed(config, Subtype.DUPLICATE_ID):
        rewrite.update(record.docname for pair in domain.where().conflicts for record in pair)
    if not suppressed(config, Subtype.ORPHAN):
        rewrite.update(unreachable(domain))  # warned at the consistency check
    answers = answers_resolution(app)
    for docname in set(domain.links) | set(domain.pages) | set(domain.answer_pages):
        state = repr((resolution(domain, docname), answers.get(docname)))
        now = hashlib.blake2b(state.encode(), digest_size=12).digest()  # small to keep
        if domain.resolved.get(docname) != now:
            domain.resolved[docname] = now
            rewrite.add(docname)
    return sorted(rewrite & env.all_docs.keys())


def setup_freshness(app: Sphinx) -> None:
    """Register the handlers."""
    app.connect("doctree-read", record_links)
    app.connect("env-get-updated", written_again)
