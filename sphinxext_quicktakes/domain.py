"""Cross-document state: where each question is rendered, page metadata, automatic labels.

Everything lives in ``QuickTakesDomain.data`` so that Sphinx pickles, purges (``clear_doc``)
and merges (``merge_domaindata``, for ``-j N``) it like any other domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.util.nodes import make_refnode

from .errors import Subtype
from .warnings import warn


@dataclass(frozen=True)
class Placement:
    """One rendering of a question in a document."""

    docname: str
    anchor: str  # the HTML id of the question's section
    position: int  # order within the document
    id: str  # the question id as text ("" when the file has none)
    label: str  # automatic label, ``quicktake-<id>``
    heading: str
    path: str  # the question file
    digest: str  # fingerprint of the answer


@dataclass
class PageMeta:
    """What a page's questions contribute to its ``<head>``."""

    description: str = ""
    keywords: list[str] = field(default_factory=list)
    noindex: bool = False
    mhchem: bool = False


class QuickTakesDomain(Domain):
    """Questions across the project."""

    name = "quicktakes"
    label = "QuickTakes"
    initial_data: ClassVar[dict[str, Any]] = {
        "placements": [],  # list[Placement]
        "pages": {},  # docname -> PageMeta
    }
    data_version = 1

    @property
    def placements(self) -> list[Placement]:
        return self.data["placements"]

    @property
    def pages(self) -> dict[str, PageMeta]:
        return self.data["pages"]

    def add_placement(self, placement: Placement) -> None:
        self.placements.append(placement)

    def page(self, docname: str) -> PageMeta:
        return self.pages.setdefault(docname, PageMeta())

    def clear_doc(self, docname: str) -> None:
        self.data["placements"] = [p for p in self.placements if p.docname != docname]
        self.pages.pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        wanted = set(docnames)
        self.placements.extend(p for p in otherdata["placements"] if p.docname in wanted)
        for docname, meta in otherdata["pages"].items():
            if docname in wanted:
                self.pages[docname] = meta

    def ordered_placements(self) -> list[Placement]:
        """Placements in document order: the toctree's reading order, then within a page."""
        order = {docname: index for index, docname in enumerate(_document_order(self.env))}
        return sorted(
            self.placements,
            key=lambda p: (order.get(p.docname, len(order)), p.docname, p.position),
        )

    def owners(self) -> dict[str, Placement]:
        """The placement that owns each automatic label: the first in document order."""
        owners: dict[str, Placement] = {}
        for placement in self.ordered_placements():
            owners.setdefault(placement.label, placement)
        return owners

    def resolve_label(
        self, builder: Builder, fromdocname: str, target: str, contnode: nodes.Element | None
    ) -> nodes.reference | None:
        """Resolve ``quicktake-<id>`` to the question's first rendering."""
        owner = self.owners().get(target.lower())
        if owner is None:
            return None
        if contnode is None:
            contnode = nodes.inline(owner.heading, owner.heading)
        return make_refnode(
            builder, fromdocname, owner.docname, owner.anchor, contnode, owner.heading
        )

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
        return iter(())

    def check_duplicate_ids(self) -> None:
        """Warn once for each id that two files use with different answers."""
        first: dict[str, Placement] = {}
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


def _document_order(env: BuildEnvironment) -> list[str]:
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


def check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency`` handler."""
    get_domain(env).check_duplicate_ids()


def setup_domain(app: Sphinx) -> None:
    """Register the domain and its event handlers."""
    app.add_domain(QuickTakesDomain)
    app.connect("missing-reference", resolve_automatic_label)
    app.connect("env-check-consistency", check_consistency)
