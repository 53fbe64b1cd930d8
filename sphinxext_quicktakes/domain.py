"""Cross-document state: where each question is rendered, page metadata, collections,
automatic labels, the ``quicktake`` role and the objects inventory.

Everything lives in ``QuickTakesDomain.data`` so that Sphinx pickles, purges (``clear_doc``)
and merges (``merge_domaindata``, for ``-j N``) it like any other domain.
"""

from __future__ import annotations

import hashlib
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar, cast

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from . import compat
from .details import DetailsReader, details_file, keep_details
from .errors import Subtype
from .globs import Found, find
from .placement import FALLBACK, Placements, QuestionRecord, automatic_label
from .warnings import warn

T = TypeVar("T")


@dataclass
class PageMeta:
    """What a page's questions contribute to its ``<head>`` (pickled as a bare tuple)."""

    noindex: bool = False
    mhchem: bool = False
    questions: list[QuestionRecord] = field(default_factory=list)

    def __getstate__(self) -> tuple[bool, bool, list[QuestionRecord]]:
        return self.noindex, self.mhchem, self.questions

    def __setstate__(self, state: tuple[bool, bool, list[QuestionRecord]]) -> None:
        self.noindex, self.mhchem, self.questions = state


@dataclass(frozen=True)
class Collection:
    """A ``quicktakes`` directive's glob patterns and the files they matched when read
    (kept as a fingerprint: a bank's list of paths would weigh on the environment)."""

    patterns: tuple[str, ...]
    matched: str  # see files_fingerprint
    follow_symlinks: bool = False

    @classmethod
    def of(cls, patterns: tuple[str, ...], follow_symlinks: bool) -> tuple[Collection, Found]:
        """The collection of ``patterns``, and what they match now."""
        found = find(patterns, follow_symlinks)
        return cls(patterns, files_fingerprint(found.files), follow_symlinks), found

    def changed(self) -> bool:
        """Whether the patterns match other files now."""
        return Collection.of(self.patterns, self.follow_symlinks)[0] != self


def files_fingerprint(files: Iterable[str]) -> str:
    """A short fingerprint of a list of paths."""
    return hashlib.blake2b("\0".join(files).encode(), digest_size=12).hexdigest()


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
    object_types: ClassVar[dict[str, ObjType]] = {
        "question": ObjType("question", "question", "related")  # intersphinx finds both
    }
    roles: ClassVar[dict[str, Any]] = {"question": QuickTakeRole()}  # :quicktakes:question:
    initial_data: ClassVar[dict[str, Any]] = {
        "pages": {},  # docname -> PageMeta (with the page's questions)
        "collections": {},  # docname -> list[Collection]
        "links": {},  # docname -> freshness.Links: what its output depends on
        "resolved": {},  # docname -> how those links resolved when it was last written
        "answer_pages": {},  # docname -> True: it has a quicktakes-answers directive
        "listings": {},  # docname -> keys of the questions its list entries link to, in order
    }
    data_version = 10

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

    @property
    def links(self) -> dict[str, Any]:
        return self.data["links"]

    @property
    def resolved(self) -> dict[str, Any]:
        return self.data["resolved"]

    @property
    def answer_pages(self) -> dict[str, bool]:
        return self.data["answer_pages"]

    @property
    def listings(self) -> dict[str, list[str]]:
        return self.data["listings"]

    _derived: dict[str, Any] | None = None  # see derived()
    _details: DetailsReader | None = None

    @property
    def details(self) -> DetailsReader:
        """The details of a recorded question (kept beside the doctrees)."""
        if self._details is None:
            self._details = DetailsReader(self.env.doctreedir)
        return self._details

    def derived(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()``, once until the questions or the toctrees change: what is
        derived from the whole project is computed once per build, not once per page."""
        if self._derived is None:
            self._derived = {}
        if name not in self._derived:
            self._derived[name] = compute()
        return self._derived[name]

    def shows_questions(self) -> bool:
        """Whether any page of the project shows a question."""
        return any(page.questions for page in self.pages.values())

    def refresh(self) -> None:
        """Forget what was derived from the pages (they or the toctrees changed)."""
        self._derived = None

    def add_question(self, record: QuestionRecord) -> None:
        self.page(record.docname).questions.append(record)
        self.refresh()

    def page(self, docname: str) -> PageMeta:
        return self.pages.setdefault(docname, PageMeta())

    def add_collection(self, docname: str, collection: Collection) -> None:
        self.collections.setdefault(docname, []).append(collection)

    def clear_doc(self, docname: str) -> None:
        self.refresh()
        self.details.forget(docname)
        details_file(self.env.doctreedir, docname).unlink(missing_ok=True)
        for key in ("pages", "collections", "links", "resolved", "answer_pages", "listings"):
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        self.refresh()
        wanted = set(docnames)
        for key in ("pages", "collections", "links", "answer_pages", "listings"):
            for docname, value in otherdata[key].items():
                if docname in wanted:
                    self.data[key][docname] = value

    # -- where questions are -------------------------------------------------------------

    def reading_order(self) -> list[str]:
        """The project's documents in the order a reader meets them (see
        :func:`document_order`)."""
        return self.derived("reading order", lambda: document_order(self.env))

    def ordered_placements(self) -> list[QuestionRecord]:
        """QuestionRecords in reading order: the toctree's order, then within a page."""
        return self.where().records

    def where(self) -> Placements:
        """Where every question belongs (see :mod:`.placement`)."""

        def compute() -> Placements:
            order = {docname: index for index, docname in enumerate(self.reading_order())}
            records = sorted(
                self.placements,
                key=lambda p: (order.get(p.docname, len(order)), p.docname, p.position),
            )
            return Placements(records)

        return self.derived("placements", compute)

    def find(self, target: str) -> QuestionRecord | None:
        """The canonical place of the question with this id or slug."""
        return self.where().find(target)

    # -- references ----------------------------------------------------------------------

    def resolve_label(
        self, builder: Builder, fromdocname: str, target: str, contnode: nodes.Element | None
    ) -> nodes.reference | None:
        """Resolve ``quicktake-<id>`` to the question's first rendering."""
        owner = self.where().owners.get(target.lower())
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
        return None  # another project's (intersphinx), else see related_elsewhere

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
        if refnode is None:
            refnode = elsewhere(env, node, target[len("quicktake-") :], contnode)
        return [] if refnode is None else [("quicktakes:question", refnode)]

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """Questions for ``objects.inv`` (intersphinx), by id, slug and label; not for the
        search (priority -1): a question is found by its text, and an id as a result says
        nothing (a bank's search index would carry every heading once more)."""
        seen: set[str] = set()
        for place in self.where().by_preference:
            if place.kind == FALLBACK or place.key in seen:
                continue
            seen.add(place.key)
            for name in object_names(place.key, place.id, place.slug):
                yield name, place.heading, "question", place.docname, place.anchor, -1

    def check_duplicate_ids(self) -> None:
        """Warn once for each id that two files use with different answers."""
        for first, other in self.where().conflicts:
            warn(
                f"question id {other.id!r} is used by {first.path} and by "
                f"{other.path} with different answers; references go to the first",
                Subtype.DUPLICATE_ID,
                path=other.path,
            )


def object_names(key: str, id: str, slug: str) -> list[str]:
    """The names a question has in ``objects.inv``: its key, its slug (when it has an id),
    and its automatic label (MyST's ``[text](#quicktake-<id>)`` looks that up)."""
    names = [key]
    if id and slug and slug != id:
        names.append(slug)
    return [*names, automatic_label(key)]


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
    """``missing-reference`` handler: ``{ref}`quicktake-<id>``` finds the first rendering,
    else the question's page in another project (intersphinx)."""
    std_ref = node.get("refdomain") == "std" and node.get("reftype") in {"ref", "any"}
    if not std_ref and node.get("reftype") != "myst":
        return None
    target = str(node.get("reftarget", ""))
    if not target.lower().startswith("quicktake-"):
        return None
    explicit = node.get("refexplicit", False)
    found = get_domain(env).resolve_label(
        app.builder, node["refdoc"], target, contnode if explicit else None
    )
    if found is None:
        return elsewhere(env, node, target[len("quicktake-") :], contnode)
    return found


def elsewhere(
    env: BuildEnvironment, node: pending_xref, key: str, contnode: nodes.Element
) -> nodes.reference | None:
    """The question ``key`` in another project, through intersphinx (when the project
    uses it): a link relative to the page, as intersphinx makes them."""
    if not hasattr(env, "intersphinx_inventory"):
        return None
    from sphinx.ext.intersphinx import resolve_reference_detect_inventory

    question = node.deepcopy()
    question["refdomain"], question["reftype"] = QuickTakesDomain.name, "question"
    question["reftarget"] = key
    contnode = cast(nodes.TextElement, contnode)
    return resolve_reference_detect_inventory(env, question, contnode)


def related_elsewhere(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.Element
) -> nodes.Node | None:
    """``missing-reference`` handler, after intersphinx: a related question that no
    project has links to the original site (``quicktakes_site_url``), else is plain text."""
    if node.get("refdomain") != QuickTakesDomain.name or node.get("reftype") != "related":
        return None
    url, site = node.get("quicktakes_url", ""), env.config.quicktakes_site_url
    target = urllib.parse.urljoin(site, url) if url and site else ""
    if urllib.parse.urlsplit(target).scheme in {"http", "https"}:
        return nodes.reference("", "", contnode, refuri=target)
    return contnode


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
            if collection.changed():
                outdated.append(docname)
                break
    return outdated


def check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency`` handler (what is derived from the complete project was
    computed afresh at ``env-get-updated``, see :func:`.freshness.written_again`)."""
    get_domain(env).check_duplicate_ids()


def setup_domain(app: Sphinx) -> None:
    """Register the domain, the ``quicktake`` role and their event handlers."""
    app.add_domain(QuickTakesDomain)
    app.add_role("quicktake", QuickTakeRole())
    app.connect("missing-reference", resolve_automatic_label)
    app.connect("missing-reference", related_elsewhere, priority=900)  # after intersphinx
    # before the standard domain's own handler, which reports labels at the host page
    app.connect("warn-missing-reference", warn_unknown_question, priority=400)
    app.connect("env-get-outdated", outdated_collections)
    app.connect("env-check-consistency", check_consistency)
    # before the handlers that read a page's details (the index entries)
    app.connect("doctree-read", keep_details, priority=400)
