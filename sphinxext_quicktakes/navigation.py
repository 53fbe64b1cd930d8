"""Question pages outside the toctree: reached through list collections, with breadcrumbs
and previous/next links taken from their list.

Sphinx renders the global toctree into every page's sidebar, so N pages in one toctree cost
O(N^2). A question page that no toctree lists (``quicktakes_pages`` without a toctree of
questions) stays out of it: the page that lists it with ``:display: list`` is its parent in
the breadcrumbs, and its neighbours in that list are its previous and next pages. Building
such a bank grows linearly with its size.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from sphinx.application import Sphinx

from .domain import QuickTakesDomain, get_domain
from .errors import Subtype
from .placement import PAGE
from .warnings import warn


@dataclass(frozen=True)
class Place:
    """Where a question page sits when no toctree lists it."""

    parent: str  # the page whose list links to it first (in reading order)
    previous: str | None  # the question pages before and after it in that list
    next: str | None


def places(domain: QuickTakesDomain) -> dict[str, Place]:
    """Every question page outside the toctrees, placed by the first list that links to
    it. Computed once per build."""
    return domain.derived("navigation", lambda: _places(domain))


def _places(domain: QuickTakesDomain) -> dict[str, Place]:
    env = domain.env
    where = domain.where()
    found: dict[str, Place] = {}
    for docname in domain.reading_order():
        listed: dict[str, None] = {}  # in list order, each page once
        for key in domain.listings.get(docname, []):
            place = where.find(key)
            if place is not None and place.kind == PAGE:
                listed.setdefault(place.docname)
        pages = list(listed)
        for index, page in enumerate(pages):
            if page in found or env.files_to_rebuild.get(page):  # a toctree lists it
                continue
            previous = pages[index - 1] if index else None
            following = pages[index + 1] if index + 1 < len(pages) else None
            found[page] = Place(docname, previous, following)
    return found


def title_of(app: Sphinx, docname: str) -> str:
    """A page's title as HTML (what themes expect in ``parents``, ``prev`` and ``next``)."""
    title = app.env.titles.get(docname)
    return html.escape(title.astext() if title is not None else docname)


def add_navigation(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context`` handler: breadcrumbs and previous/next links of a question page
    that no toctree lists."""
    place = places(get_domain(app.env)).get(pagename)
    if place is None:
        return

    def link(docname: str) -> dict[str, str]:
        uri = app.builder.get_relative_uri(pagename, docname)
        return {"link": uri, "title": title_of(app, docname)}

    ancestors, parent = [], place.parent
    relations = getattr(app.builder, "relations", {})
    while parent and parent not in ancestors:
        ancestors.append(parent)
        parent = relations.get(parent, [None])[0]
    context["parents"] = [link(docname) for docname in reversed(ancestors)]
    rellinks = list(context.get("rellinks", []))
    for key, docname, accesskey, label in (
        ("next", place.next, "N", "next"),
        ("prev", place.previous, "P", "previous"),
    ):
        if docname:
            context[key] = link(docname)
            rellinks.append((docname, title_of(app, docname), accesskey, label))
    context["rellinks"] = rellinks


def unreachable(domain: QuickTakesDomain) -> list[str]:
    """Question pages that no toctree and no list reaches, and that nothing links to.
    Computed once per build."""
    return domain.derived("unreachable", lambda: _unreachable(domain))


def _unreachable(domain: QuickTakesDomain) -> list[str]:
    placed = places(domain)
    linked = {key for links in domain.links.values() for key in links.questions}
    found = []
    for docname, page in domain.pages.items():
        own = [record for record in page.questions if record.kind == PAGE]
        if not own or docname in placed or domain.env.files_to_rebuild.get(docname):
            continue
        if not {own[0].key.lower(), own[0].slug.lower()} & linked:
            found.append(docname)
    return sorted(found)


def warn_unreachable(app: Sphinx, env: Any) -> None:
    """``env-check-consistency`` handler: say which question pages nothing reaches (Sphinx's
    own "not in any toctree" warning is off for question pages)."""
    for docname in unreachable(get_domain(env)):
        warn(
            "question page is in no toctree and no list collection links to it",
            Subtype.ORPHAN,
            location=docname,
        )


def setup_navigation(app: Sphinx) -> None:
    """Register the handlers."""
    app.connect("html-page-context", add_navigation)
    app.connect("env-check-consistency", warn_unreachable)
