"""Every private MyST-Parser and Sphinx API the extension cannot avoid, one function each.

Each function says why it is needed; ``tests/test_compat.py`` fails loudly when a MyST or
Sphinx release changes what these functions rely on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from docutils import nodes
from markdown_it.token import Token


def render_tokens_under(
    renderer: Any, tokens: Sequence[Token], parent: nodes.Element, *, sections: bool
) -> None:
    """Render markdown-it tokens with a MyST renderer whose sections hang under ``parent``.

    MyST has no public way to render into a node other than the document root: its section
    tracking (``_level_to_section``) starts at the document, and ``temp_root_node`` is
    where nested headings are attached. Answers need both to start at the question node;
    ``_render_tokens`` renders without the document-level finalisation ``render`` does
    (footnote and reference transforms of the host document must run once, not per answer).
    """
    renderer._level_to_section = {0: parent}
    if sections:
        renderer.md_env["temp_root_node"] = parent
    renderer._render_tokens(list(tokens))


def host_renderer(state: Any) -> Any | None:
    """The MyST renderer of a host page that MyST is parsing, or None (an rST host).

    A directive in a MyST page gets a ``MockState`` whose ``_renderer`` knows where the
    directive sits (``current_node``); docutils' state has ``parent`` instead.
    """
    return getattr(state, "_renderer", None)


def wrap_reference(
    renderer: Any,
    xref: nodes.Element,
    token: Any,
    explicit: bool,
    classes: list[str],
    target: str,
) -> None:
    """Append a reference node holding the link token's rendered text, as MyST does for
    its own links (``SphinxRenderer._process_wrap_node``: source line, attributes, text)."""
    renderer._process_wrap_node(xref, token, explicit, classes, target)


def forget_footnote_reference(document: nodes.document, node: nodes.Element) -> None:
    """Unregister a footnote reference removed from the tree, so docutils' footnote
    numbering transform does not report it against the host page (docutils keeps these
    lists on the document: ``autofootnote_refs``, ``footnote_refs``)."""
    if node in document.autofootnote_refs:
        document.autofootnote_refs.remove(node)
    references = document.footnote_refs.get(node.get("refname", ""), [])
    if node in references:
        references.remove(node)


def mark_missing_reference_reported(node: nodes.Element) -> None:
    """Keep the standard domain from reporting a missing reference we already reported.

    Sphinx calls every ``warn-missing-reference`` handler, whatever the first returned
    (``emit_firstresult`` runs ``emit``), and the standard domain's handler warns for every
    ``reftype == "ref"`` node. The node is replaced right after the event, so its type is
    changed here to one no other handler knows.
    """
    node["reftype"] = "quicktakes-reported"


def revise_discovery(project: Any, revise: Callable[[dict[str, Path]], dict[str, Path]]) -> None:
    """Let ``revise`` change the documents ``project.discover()`` finds (docname -> path,
    relative to the source directory or absolute).

    Private API: Sphinx finds documents only inside the source directory, and has no hook
    between discovery and its outdated-files check. ``Project`` keeps the docname <-> path
    mapping in ``_docname_to_path`` and ``_path_to_docname`` (Sphinx 8 and 9);
    ``doc2path`` joins the source directory with the stored path, so an absolute path is
    kept as it is and Sphinx's mtime checks, ``relfn2path`` and ``-j N`` work with it.
    ``revise`` must be picklable: the project is pickled with the environment.
    """
    project.discover = functools.partial(_discover, project.discover, revise)


def _discover(
    original: Callable[..., set[str]],
    revise: Callable[[dict[str, Path]], dict[str, Path]],
    exclude_paths: Iterable[str] = (),
    include_paths: Iterable[str] = ("**",),
) -> set[str]:
    project = original.__self__  # type: ignore[attr-defined]
    original(exclude_paths, include_paths)
    documents = revise(dict(project._docname_to_path))
    project.docnames.clear()
    project.docnames.update(documents)
    project._docname_to_path.clear()
    project._docname_to_path.update(documents)
    project._path_to_docname.clear()
    project._path_to_docname.update({path: docname for docname, path in documents.items()})
    docnames: set[str] = project.docnames
    return docnames


def source_suffixes_set_by_project(config: Any) -> list[str]:
    """The suffixes the project's ``conf.py`` (or ``-D``) sets in ``source_suffix``; empty
    when it keeps the default.

    Private API: ``config._raw_config`` holds what ``conf.py`` set. ``config.source_suffix``
    cannot tell: when not set it is Sphinx's default dict itself, into which Sphinx merges
    the suffixes extensions register (``.md`` from MyST), so within one process it may
    already hold the suffixes of an earlier build.
    """
    value = getattr(config, "_overrides", {}).get("source_suffix")
    if value is None:
        value = getattr(config, "_raw_config", {}).get("source_suffix", {})
    return [value] if isinstance(value, str) else list(value)


def search_index_entries(env: Any) -> dict[str, list[tuple[str, str, str]]] | None:
    """The index entries Sphinx's HTML search index holds, by document (None if Sphinx
    keeps them elsewhere).

    Sphinx (8.2, 9.0) fills ``env._search_index_index_entries`` only for the documents it
    writes, and does not load them back from ``searchindex.js``: after an incremental build
    the search index has lost the index entries of every page not written again."""
    entries = getattr(env, "_search_index_index_entries", None)
    return entries if isinstance(entries, dict) else None


def searchable_index_entries(
    entries: Iterable[tuple[str, str, str, str, str | None]],
) -> list[tuple[str, str, str]]:
    """Index entries as the search index keeps them: what ``IndexBuilder.feed`` does with
    the ``index`` nodes of a page."""
    from sphinx.util.index_entries import split_index_msg

    found: set[tuple[str, str, str]] = set()
    for entry_type, value, target_id, main, _category in entries:
        if entry_type == "single" and ";" not in value:  # a keyword: what the split gives
            parts = [value.strip()] if value.strip() else []
        else:
            try:
                parts = split_index_msg(entry_type, value)
            except ValueError:
                continue
        target_id = target_id or ""
        if entry_type in {"see", "seealso"}:
            found.add((parts[0], target_id, main))
        found |= {(part, target_id, main) for part in parts}
    return sorted(found)


def read_in_larger_chunks(chunks_per_process: int | None) -> None:
    """Have Sphinx's parallel reading cut the documents into at most ``chunks_per_process``
    chunks per process (None: Sphinx's own chunks again).

    ``Builder._read_parallel`` cuts the documents with ``make_chunks`` (about
    ``sqrt(10 * N / nproc)`` documents each) and every chunk's process pickles the whole
    environment back to the main process, which unpickles and merges it: at 36,000 pages,
    85 chunks of a growing environment, over five of the twelve minutes of reading. Both
    ``_read_parallel`` and ``_write_parallel`` (unaffected: writing sends nothing back) look
    ``make_chunks`` up in ``sphinx.builders``, where this replaces it.
    """
    import sphinx.builders
    from sphinx.util.parallel import make_chunks

    if chunks_per_process is None:
        sphinx.builders.make_chunks = make_chunks
        return
    per_process = chunks_per_process

    def larger_chunks(arguments: Sequence[str], nproc: int, maxbatch: int = 10) -> list[Any]:
        chunks = make_chunks(arguments, nproc, maxbatch)
        size = -(-len(arguments) // (max(1, nproc) * per_process))  # ceiling
        if not chunks or len(chunks[0]) >= size:
            return chunks
        return [arguments[start : start + size] for start in range(0, len(arguments), size)]

    sphinx.builders.make_chunks = larger_chunks


def forget_pickled_doctree(env: Any, docname: str) -> None:
    """Let go of the pickled doctree ``BuildEnvironment.get_doctree`` keeps in
    ``_pickled_doctree_cache`` (Sphinx 7.3 to 9): the main process keeps every document's
    while writing, and never reads most of them again."""
    cache = getattr(env, "_pickled_doctree_cache", None)
    if isinstance(cache, dict):
        cache.pop(docname, None)


def prune_search_index_with_a_set(builder: Any) -> None:
    """Have the HTML builder prune its search index with a set of documents.

    ``StandaloneHTMLBuilder.dump_search_index`` (Sphinx 7 to 9) calls
    ``IndexBuilder.prune(self.env.all_docs)``, a dict, and ``prune`` calls
    ``set.intersection_update`` with it for every word: with anything but a set, each call
    walks every document (4 s of each build at 36,000 pages). The same documents as a set
    give the same index.
    """
    dump = getattr(builder, "dump_search_index", None)
    if dump is None:
        return

    def dump_search_index() -> None:
        indexer = getattr(builder, "indexer", None)
        if indexer is not None and "prune" not in vars(indexer):
            prune = indexer.prune
            indexer.prune = lambda docnames: prune(frozenset(docnames))
        dump()

    builder.dump_search_index = dump_search_index
