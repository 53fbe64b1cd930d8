"""Cross-document state: where each question is rendered, page metadata, collections,
automatic labels, the ``quicktake`` role and the objects inventory.

Everything lives in ``QuickTakesDomain.data`` so that Sphinx pickles, purges (``clear_doc``)
and merges (``merge_domaindata``, for ``-j N``) it like any other domain.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from . import compat
from .errors import Subtype
from .globs import find
from .warnings import warn

#: Kinds of placement, in the order they are preferred as a question's canonical place.
PAGE, FULL, FALLBACK = "page", "full", "fallback"


@dataclass(frozen=True)
class QuestionRecord:
    """One rendering of a question in a document: where it is, and what the ``<head>``,
    JSON-LD, references and ``quicktakes.json`` need of it."""

    docname: str
    anchor: str  # the HTML id of the question's section
    position: int  # order within the document
    kind: str  # PAGE: the question's own page; FULL; FALLBACK: shown in full by a list
    id: str  # the question id as text ("" when the file has none)
    slug: str  # the file_name stem
    label: str  # automatic label, ``quicktake-<id>``
    heading: str
    question: str
    subject: str
    keywords: tuple[str, ...]
    date: str  # ISO 8601, or ""
    author: str
    description: str  # seo.page_description
    seo_title: str
    answer: str  # Markdown, as rendered
    text: str  # the rendered answer as plain text (see text.plain_text)
    auto_description: str  # its first sentences without math (see text.description)
    digest: str  # fingerprint of the answer
    path: str  # the question file
    meta: bool = True  # False with :no-meta: or quicktakes_meta = False

    @property
    def key(self) -> str:
        """What identifies the question: its id, else its slug."""
        return self.id or self.slug


@dataclass
class PageMeta:
    """What a page's questions contribute to its ``<head>``."""

    noindex: bool = False
    mhchem: bool = False
    questions: list[QuestionRecord] = field(default_factory=list)


@dataclass(frozen=True)
class Collection:
    """A ``quicktakes`` directive's glob patterns and the files they matched when read."""

    patterns: tuple[str, ...]
    matched: tuple[str, ...]
    follow_symlinks: bool = False


class QuickTakeRole(XRefRole):
    """``:quicktake:`id``` / ``{quicktake}`slug``` / ``:quicktake:`text <id>```."""

    def __init__(self) -> None:
        super().__init__(warn_dangling=True, innernodeclass=nodes.inline)

    def process_link(
        self, env: BuildEnvironment, refnode: nodes.Element, has_explicit_title: bool,
        title: str, target: str,
    ) -> tuple[str, str]:  # fmt: skip
        refnode["refdomain"], refnode["reftype"] = "quicktakes", "question"
        return title, target.strip()


class QuickTakesDomain(Domain):
    """Questions across the project."""

    name = "quicktakes"
    label = "QuickTakes"
    object_types: ClassVar[dict[str, ObjType]] = {"question": ObjType("question", "question")}
    roles: ClassVar[dict[str, Any]] = {"question": QuickTakeRole()}  # :quicktakes:question:
    initial_data: ClassVar[dict[str, Any]] = {
        "pages": {},  # docname -> PageMeta (with the page's questions)
        "collections": {},  # docname -> list[Collection]
    }
    data_version = 5

    @property
    def placements(self) -> list[QuestionRecord]:
        """Every rendering of every question (derived from the pages)."""
        return [record for page in self.pages.values() for record in page.questions]

    @property
    def pages(self) -> dict[str, PageMeta]:
        return self.data["pages"]

    @property
    def collections(self) -> dict[str, list[Collection]]:
        return self.data["collections"]

    _cache: dict[str, Any] | None = None  # derived lookups, rebuilt when questions change

    def _cached(self, name: str, compute: Any) -> Any:
        if self._cache is None:
            self._cache = {}
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    def add_question(self, record: QuestionRecord) -> None:
        self.page(record.docname).questions.append(record)
        self._cache = None

    def page(self, docname: str) -> PageMeta:
        return self.pages.setdefault(docname, PageMeta())

    def add_collection(self, docname: str, collection: Collection) -> None:
        self.collections.setdefault(docname, []).append(collection)

    def clear_doc(self, docname: str) -> None:
        self._cache = None
        self.pages.pop(docname, None)
        self.collections.pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        self._cache = None
        wanted = set(docnames)
        for key in ("pages", "collections"):
            for docname, value in otherdata[key].items():
                if docname in wanted:
                    self.data[key][docname] = value

    # -- where questions are -------------------------------------------------------------

    def ordered_placements(self) -> list[QuestionRecord]:
        """QuestionRecords in document order: the toctree's reading order, then within a page."""

        def compute() -> list[QuestionRecord]:
            order = {docname: index for index, docname in enumerate(document_order(self.env))}
            return sorted(
                self.placements,
                key=lambda p: (order.get(p.docname, len(order)), p.docname, p.position),
            )

        return self._cached("ordered", compute)

    def owners(self) -> dict[str, QuestionRecord]:
        """The placement owning each automatic label: the first full rendering in document
        order (a list's fallback rendering only when there is no other)."""

        def compute() -> dict[str, QuestionRecord]:
            owners: dict[str, QuestionRecord] = {}
            for placement in self._by_preference(PAGE_OR_FULL_FIRST):
                owners.setdefault(placement.label, placement)
            return owners

        return self._cached("owners", compute)

    def canonical(self) -> dict[str, QuestionRecord]:
        """Each question's canonical place, by id and by slug: its own page if it has one,
        else its first full rendering, else a list's fallback rendering."""

        def compute() -> dict[str, QuestionRecord]:
            places: dict[str, QuestionRecord] = {}
            for placement in self._by_preference(PAGE_FIRST):
                places.setdefault(placement.key.lower(), placement)
                if placement.slug:
                    places.setdefault(placement.slug.lower(), placement)
            return places

        return self._cached("canonical", compute)

    def devoted_pages(self) -> dict[tuple[str, str], str]:
        """For each question (key, answer digest), the first page devoted to it alone: its
        own page first, then in document order."""

        def compute() -> dict[tuple[str, str], str]:
            first: dict[tuple[str, str], tuple[int, int, str]] = {}
            for rank, docname in enumerate(document_order(self.env)):
                page = self.pages.get(docname)
                shown = [q for q in page.questions if q.kind != FALLBACK] if page else []
                if len(shown) == 1:
                    identity = (shown[0].key, shown[0].digest)
                    candidate = (PAGE_FIRST[shown[0].kind], rank, docname)
                    first[identity] = min(first.get(identity, candidate), candidate)
            return {identity: place[2] for identity, place in first.items()}

        return self._cached("devoted", compute)

    def _by_preference(self, rank: dict[str, int]) -> list[QuestionRecord]:
        ordered = self.ordered_placements()
        return sorted(ordered, key=lambda p: rank[p.kind])  # stable: document order within

    def find(self, target: str) -> QuestionRecord | None:
        """The canonical place of the question with this id or slug."""
        return self.canonical().get(target.strip().lower())

    # -- references ----------------------------------------------------------------------

    def resolve_label(
        self, builder: Builder, fromdocname: str, target: str, contnode: nodes.Element | None
    ) -> nodes.reference | None:
        """Resolve ``quicktake-<id>`` to the question's first rendering."""
        owner = self.owners().get(target.lower())
        if owner is None:
            return None
        return _refnode(builder, fromdocname, owner, contnode)

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        explicit = node.get("refexplicit", False)
        place = self.find(target)
        if place is not None:
            return _refnode(builder, fromdocname, place, contnode if explicit else None)
        if typ == "related":  # not in this project: the original site, or plain text
            url, site = node.get("quicktakes_url", ""), env.config.quicktakes_site_url
            target = urllib.parse.urljoin(site, url) if url and site else ""
            if urllib.parse.urlsplit(target).scheme in {"http", "https"}:
                return nodes.reference("", "", contnode, refuri=target)
            return contnode  # type: ignore[return-value]  # Sphinx puts any node in place
        return None

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        """``{any}`` and MyST ``[text](#quicktake-<id>)`` links find automatic labels."""
        if not target.lower().startswith("quicktake-"):
            return []
        explicit = node.get("refexplicit", False)
        refnode = self.resolve_label(builder, fromdocname, target, contnode if explicit else None)
        return [] if refnode is None else [("quicktakes:question", refnode)]

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """Questions for ``objects.inv`` (intersphinx): by id, and by slug (not searched)."""
        seen: set[str] = set()
        for place in self._by_preference(PAGE_FIRST):
            if place.kind == FALLBACK or place.key in seen:
                continue
            seen.add(place.key)
            yield place.key, place.heading, "question", place.docname, place.anchor, 1
            if place.id and place.slug and place.slug != place.id:
                yield place.slug, place.heading, "question", place.docname, place.anchor, -1

    def check_duplicate_ids(self) -> None:
        """Warn once for each id that two files use with different answers."""
        first: dict[str, QuestionRecord] = {}
        reported: set[tuple[str, str]] = set()
        for placement in self.ordered_placements():
            if not placement.id:
                continue
            seen = first.setdefault(placement.id, placement)
            if seen.digest == placement.digest or seen.path == placement.path:
                continue
            pair = (placement.id, placement.digest)
            if pair in reported:
                continue
            reported.add(pair)
            warn(
                f"question id {placement.id!r} is used by {seen.path} and by "
                f"{placement.path} with different answers; references go to the first",
                Subtype.DUPLICATE_ID,
                path=placement.path,
            )


PAGE_FIRST = {PAGE: 0, FULL: 1, FALLBACK: 2}
PAGE_OR_FULL_FIRST = {PAGE: 0, FULL: 0, FALLBACK: 1}


def _refnode(
    builder: Builder, fromdocname: str, place: QuestionRecord, contnode: nodes.Element | None
) -> nodes.reference:
    if contnode is None:
        contnode = nodes.inline(place.heading, place.heading)
    return make_refnode(builder, fromdocname, place.docname, place.anchor, contnode, place.heading)


def document_order(env: BuildEnvironment) -> list[str]:
    """Documents in the order a reader meets them: depth-first through the toctrees."""
    order: list[str] = []
    seen: set[str] = set()
    stack = [env.config.root_doc]
    while stack:
        docname = stack.pop()
        if docname in seen:
            continue
        seen.add(docname)
        order.append(docname)
        stack.extend(reversed(env.toctree_includes.get(docname, [])))
    order.extend(sorted(set(env.all_docs) - seen))
    return order


def get_domain(env: BuildEnvironment) -> QuickTakesDomain:
    """The project's :class:`QuickTakesDomain`."""
    return env.get_domain(QuickTakesDomain.name)  # type: ignore[return-value]


def resolve_automatic_label(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.Element
) -> nodes.reference | None:
    """``missing-reference`` handler: ``{ref}`quicktake-<id>``` finds the first rendering."""
    std_ref = node.get("refdomain") == "std" and node.get("reftype") in {"ref", "any"}
    if not std_ref and node.get("reftype") != "myst":
        return None
    target = str(node.get("reftarget", ""))
    if not target.lower().startswith("quicktake-"):
        return None
    explicit = node.get("refexplicit", False)
    return get_domain(env).resolve_label(
        app.builder, node["refdoc"], target, contnode if explicit else None
    )


def warn_unknown_question(app: Sphinx, domain: Domain, node: pending_xref) -> bool | None:
    """``warn-missing-reference`` handler: our own warning, subtype ``ref``, for the
    ``quicktake`` role and for every reference inside an answer (at the question file)."""
    if node.get("quicktakes_path"):
        warn(
            f"reference target not found: {node.get('reftarget', '')!r}",
            Subtype.REF,
            path=node["quicktakes_path"],
            line=node.get("quicktakes_line"),
        )
        compat.mark_missing_reference_reported(node)
        return True
    if domain is None or domain.name != QuickTakesDomain.name:
        return None
    if node.get("reftype") == "question":
        warn(
            f"no question with id or slug {node['reftarget']!r}",
            Subtype.REF,
            location=node,
        )
    return True  # related entries outside the project are plain text, not a problem


def outdated_collections(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated`` handler: pages whose collections now match other files."""
    outdated = []
    for docname, collections in get_domain(env).collections.items():
        if docname in removed:
            continue
        for collection in collections:
            if find(collection.patterns, collection.follow_symlinks).files != collection.matched:
                outdated.append(docname)
                break
    return outdated


def check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency`` handler (reading is over: the toctrees are complete)."""
    domain = get_domain(env)
    domain._cache = None
    domain.check_duplicate_ids()


def setup_domain(app: Sphinx) -> None:
    """Register the domain, the ``quicktake`` role and their event handlers."""
    app.add_domain(QuickTakesDomain)
    app.add_role("quicktake", QuickTakeRole())
    app.connect("missing-reference", resolve_automatic_label)
    # before the standard domain's own handler, which reports labels at the host page
    app.connect("warn-missing-reference", warn_unknown_question, priority=400)
    app.connect("env-get-outdated", outdated_collections)
    app.connect("env-check-consistency", check_consistency)
