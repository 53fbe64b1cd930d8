"""The private MyST and Sphinx APIs in ``compat.py`` still exist and behave as relied on:
a MyST or Sphinx release that changes one fails here, by name, before any build test."""

from __future__ import annotations

import inspect

from docutils.utils import new_document
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer

from sphinxext_quicktakes import compat


def test_renderer_section_tracking_and_token_rendering() -> None:
    assert callable(getattr(SphinxRenderer, "_render_tokens", None))
    source = inspect.getsource(SphinxRenderer.__mro__[1])
    assert "self._level_to_section" in source  # section tracking compat.render_tokens_under sets
    assert 'md_env.get("temp_root_node")' in source or "temp_root_node" in source


def test_renderer_wraps_references() -> None:
    method = getattr(SphinxRenderer, "_process_wrap_node", None)
    assert callable(method)
    assert list(inspect.signature(method).parameters)[1:] == [
        "wrap_node",
        "token",
        "explicit",
        "classes",
        "path_dest",
    ]


def test_docutils_document_keeps_footnote_reference_lists() -> None:
    document = new_document("<test>")
    assert isinstance(document.autofootnote_refs, list)
    assert isinstance(document.footnote_refs, dict)
    from docutils import nodes

    ref = nodes.footnote_reference(refname="x", auto=1)
    document.note_autofootnote_ref(ref)
    document.note_footnote_ref(ref)
    compat.forget_footnote_reference(document, ref)
    assert ref not in document.autofootnote_refs
    assert ref not in document.footnote_refs.get("x", [])


def test_standard_domain_reports_missing_refs_by_reftype() -> None:
    from sphinx.domains import std

    source = inspect.getsource(std.warn_missing_reference)
    assert "node['reftype'] != 'ref'" in source or 'node["reftype"] != "ref"' in source


def test_myst_state_exposes_its_renderer() -> None:
    from myst_parser.mocking import MockState

    assert "_renderer" in inspect.getsource(MockState.__init__)


def test_searchable_index_entries_split_as_sphinx_splits() -> None:
    from sphinx.util.index_entries import split_index_msg

    values = ["osmosis", "  water potential ", "", "   ", "a; b", "a;", ";b", "x; y; z"]
    for entry_type in ("single", "pair", "see"):
        for value in values:
            got = compat.searchable_index_entries([(entry_type, value, "t", "", None)])
            try:
                parts = split_index_msg(entry_type, value)
            except ValueError:
                parts = []
            assert {part for part, _target, _main in got} == set(parts), (entry_type, value)


def test_parallel_reading_cuts_chunks_where_it_is_replaced() -> None:
    import sphinx.builders
    from sphinx.builders import Builder
    from sphinx.util.parallel import make_chunks

    source = inspect.getsource(Builder._read_parallel)
    assert "make_chunks(docnames, nproc)" in source  # looked up in sphinx.builders
    assert sphinx.builders.make_chunks is make_chunks
    docnames = [f"d{n:05d}" for n in range(36_000)]
    assert len(make_chunks(docnames, 2)) == 85  # Sphinx's own
    try:
        compat.read_in_larger_chunks(8)
        chunks = sphinx.builders.make_chunks(docnames, 2)
        assert len(chunks) == 16 and [d for c in chunks for d in c] == docnames
        few = [f"d{n}" for n in range(300)]  # Sphinx's chunks are larger already
        assert sphinx.builders.make_chunks(few, 2) == make_chunks(few, 2)
    finally:
        compat.read_in_larger_chunks(None)
    assert sphinx.builders.make_chunks is make_chunks


def test_the_search_index_is_pruned_with_all_docs_which_is_no_set() -> None:
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.search import IndexBuilder

    # prune_search_index_with_a_set exists for this call; when Sphinx passes a set, drop it
    assert "self.indexer.prune(self.env.all_docs)" in inspect.getsource(
        StandaloneHTMLBuilder.dump_search_index
    )
    assert "intersection_update(docnames)" in inspect.getsource(IndexBuilder.prune)
