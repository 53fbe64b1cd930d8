"""Questions in the general index: each under its keywords and its subject.

The entries sit in the doctree as ``index`` nodes, for every builder that reads them there
(LaTeX, Texinfo). The HTML index reads them from Sphinx's index domain instead, which is
pickled with the environment; as the question records and their details (kept beside
the doctrees) hold everything an entry is made of, the entries are taken out of the index
domain when a page has been read and put back from them when writing starts, so the
environment does not carry them.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sphinx import addnodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import CONFIG_OK
from sphinx.util import logging

from . import compat
from .domain import get_domain
from .placement import FALLBACK, PAGE, QuestionRecord

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

IndexEntry = tuple[str, str, str, str, str | None]


class Indexed(Protocol):
    """What an index entry is made of (a question file)."""

    @property
    def heading(self) -> str: ...
    @property
    def keywords(self) -> Sequence[str]: ...
    @property
    def subject(self) -> str: ...


def _terms(keywords: Sequence[str], subject: str) -> list[str]:
    terms = [*keywords, *([subject] if subject else [])]
    return [term.replace(";", ",") for term in terms]


def index_entries(heading: str, terms: Sequence[str], anchor: str) -> list[IndexEntry]:
    """The question under each of its keywords and its subject (``terms``)."""
    heading = heading.replace(";", ",")
    return [("single", f"{term}; {heading}", anchor, "", None) for term in terms]


def search_entries(terms: Sequence[str], anchor: str, kind: str) -> list[IndexEntry]:
    """What the HTML search index holds of them: the keywords and the subject (a heading
    is searched as a title already; as an index entry it would be held twice), leading to
    the top of a question's own page (its anchor, once per entry, weighs on a big bank)."""
    target = "" if kind == PAGE else anchor
    return [("single", term, target, "", None) for term in terms]


def index_node(question: Indexed, anchor: str, kind: str) -> addnodes.index:
    """The ``index`` node a full rendering (``kind``) of the question carries."""
    terms = _terms(question.keywords, question.subject)
    node = addnodes.index(entries=index_entries(question.heading, terms, anchor))
    node["quicktakes_search"] = search_entries(terms, anchor, kind)
    return node


Terms = dict[str, list[str]]  # a page's question terms, by anchor


def _page_terms(env: BuildEnvironment, docname: str) -> Terms:
    """The terms of the questions shown in ``docname`` that put entries in its doctree
    (their keywords are details, kept beside the doctrees)."""
    domain = get_domain(env)
    page = domain.pages.get(docname)
    records = [r for r in page.questions if r.kind != FALLBACK] if page else []
    return {r.anchor: _terms(domain.details(r).keywords, r.subject) for r in records}


TERMS_FILE = "quicktakes-terms.pickle"  # beside the doctrees


def _all_terms(env: BuildEnvironment) -> dict[str, Terms]:
    """Every page's terms: kept beside the doctrees between builds, so that only the pages
    read since are looked up again (one details file each)."""
    path = Path(env.doctreedir, TERMS_FILE)
    try:
        stored = pickle.loads(path.read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        stored = {}
    current: dict[str, tuple[object, Terms]] = {}
    for docname in get_domain(env).pages:
        read = env.all_docs.get(docname)  # when the page was last read
        kept = stored.get(docname) if isinstance(stored, dict) else None
        current[docname] = kept if kept and kept[0] == read else (read, _page_terms(env, docname))
    if current != stored:
        path.write_bytes(pickle.dumps(current, pickle.HIGHEST_PROTOCOL))
    return {docname: terms for docname, (_, terms) in current.items()}


def _indexed(
    env: BuildEnvironment, docname: str, terms: Terms | None = None
) -> list[tuple[QuestionRecord, list[str]]]:
    """The questions shown in ``docname`` that put entries in its doctree, with their
    terms (``terms``: known already)."""
    if not env.config.quicktakes_index:
        return []
    page = get_domain(env).pages.get(docname)
    if terms is None:
        terms = _page_terms(env, docname)
    return [(r, terms[r.anchor]) for r in page.questions if r.anchor in terms] if page else []


def _entries_of(
    env: BuildEnvironment, docname: str, terms: Terms | None = None
) -> list[IndexEntry]:
    """The index entries the questions shown in ``docname`` put in its doctree."""
    return [
        e
        for r, found in _indexed(env, docname, terms)
        for e in index_entries(r.heading, found, r.anchor)
    ]


def _index_domain_entries(env: BuildEnvironment) -> dict[str, list[IndexEntry]]:
    return env.domaindata["index"].setdefault("entries", {})


def forget_entries(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: leave this page's question entries out of the index domain."""
    env = app.env
    entries = _index_domain_entries(env).get(env.docname)
    if not entries:
        return
    for entry in _entries_of(env, env.docname):
        if entry in entries:
            entries.remove(entry)


def restore_entries(app: Sphinx, builder: Builder) -> None:
    """``write-started``: put every page's question entries back for the HTML index, and
    give the search index the entries of every page (see :func:`.compat.search_index_entries`;
    the pages written in this build are indexed again as they are written)."""
    env = app.env
    domain_entries = _index_domain_entries(env)
    searched = compat.search_index_entries(env)
    every = _all_terms(env) if env.config.quicktakes_index else {}
    for docname in sorted(env.all_docs):
        entries = domain_entries.get(docname, [])
        terms = every.get(docname, {})
        ours = _entries_of(env, docname, terms)
        for entry in ours:  # once, however often writing starts in this process
            if entry in entries:
                entries.remove(entry)
        indexed = _indexed(env, docname, terms)
        search = [e for r, terms in indexed for e in search_entries(terms, r.anchor, r.kind)]
        if searched is not None and (entries or search):
            searched[docname] = compat.searchable_index_entries([*entries, *search])
        if ours:
            domain_entries.setdefault(docname, entries).extend(ours)


def search_only_terms(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``, HTML: the search index gets :func:`search_entries` from the
    question index nodes (the HTML index is made from the index domain, not the nodes)."""
    if app.builder.format != "html":
        return
    for node in doctree.findall(addnodes.index):
        if "quicktakes_search" in node:
            node["entries"] = node["quicktakes_search"]


GENINDEX_STATE = "quicktakes-genindex.state"  # beside the doctrees


def general_index_state(builder: Builder) -> str:
    """A fingerprint of what the general index pages show: the entries, the navigation
    (toctrees and their titles), the builder, the split setting and the templates."""
    env = builder.env
    entries = sorted(_index_domain_entries(env).items())
    shown = {env.config.root_doc, *env.toctree_includes}
    shown.update(d for children in env.toctree_includes.values() for d in children)
    titles = sorted((d, env.titles[d].astext()) for d in shown if d in env.titles)
    navigation = sorted(env.toctree_includes.items())
    templates = getattr(getattr(builder, "templates", None), "newest_template_mtime", None)
    parts = (
        builder.name,
        env.config.html_split_index,
        entries,
        navigation,
        titles,
        templates() if templates else 0,
    )
    return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=16).hexdigest()


def write_general_index_when_changed(app: Sphinx) -> None:
    """``builder-inited``: the HTML builders write the general index only when what it
    shows changed, or a setting did (Sphinx writes it on every build: with the entries of
    tens of thousands of questions, that is most of a build with nothing to do)."""
    builder = app.builder
    write = getattr(builder, "write_genindex", None)
    if write is None or not isinstance(builder, StandaloneHTMLBuilder):
        return

    def write_genindex() -> None:
        state_file = Path(builder.doctreedir, GENINDEX_STATE)
        state = general_index_state(builder)
        unchanged = (
            builder.env.config_status == CONFIG_OK
            and state_file.is_file()
            and state_file.read_text("utf-8") == state
            and Path(builder.outdir, "genindex" + builder.out_suffix).is_file()
        )
        if unchanged:
            logger.info("genindex (unchanged) ", nonl=True)
            return
        write()
        state_file.write_text(state, "utf-8")

    builder.write_genindex = write_genindex  # type: ignore[method-assign]


def setup_index(app: Sphinx) -> None:
    """Question index entries: out of the pickled environment, keywords and subjects in
    the search index, the general index written when it changes."""
    # after the index domain has collected the page's entries (a transform, before this)
    app.connect("doctree-read", forget_entries)
    app.connect("write-started", restore_entries)
    app.connect("doctree-resolved", search_only_terms)
    app.connect("builder-inited", write_general_index_when_changed)
