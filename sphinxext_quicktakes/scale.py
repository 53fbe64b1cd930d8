"""What Sphinx does that costs more than a bank's size, and what the extension does about it.

- With ``-j N`` each reading process pickles the whole environment back to the main
  process, once per chunk of documents: a build that reads a few documents of a big
  project reads them in the main process, and a build that reads many reads them in a few
  large chunks (Sphinx's own chunks make reading 36,000 pages quadratic).
- The HTML builder prunes its search index in a way that walks every document once per
  word (4 s at 36,000 pages): it is given a set to prune with.
- The main process keeps the pickled doctree of every document it resolves for writing
  (``BuildEnvironment.get_doctree``), 600 MB at 36,000 pages: a document's is let go once
  it is resolved.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from . import compat

#: with ``-j N``, read in one process when fewer documents than this share of the project
#: are to be read
FEW_TO_READ = 1 / 20
#: with ``-j N``, read in at most this many chunks per process
READ_CHUNKS_PER_PROCESS = 8
_PARALLEL = "quicktakes_parallel"  # app attribute: -j N while reading in one process


def read_in_fewer_processes(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: a few documents of a big project are read in this process
    (Sphinx would fork processes that each send the whole environment back: 20 s of a
    one-file edit at 36,000 pages), and written in parallel; many documents are read in a
    few large chunks."""
    if app.parallel <= 1:
        return
    if len(docnames) < FEW_TO_READ * len(env.all_docs):
        setattr(app, _PARALLEL, app.parallel)
        app.parallel = 1
    else:
        compat.read_in_larger_chunks(READ_CHUNKS_PER_PROCESS)


def parallel_again(app: Sphinx, *_: object) -> None:
    """``env-updated`` (and ``build-finished``, should reading fail): writing goes back to
    ``-j N``, in Sphinx's own chunks."""
    compat.read_in_larger_chunks(None)
    if hasattr(app, _PARALLEL):
        app.parallel = getattr(app, _PARALLEL)
        delattr(app, _PARALLEL)


def let_doctree_go(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: the main process need not keep the document's pickled doctree
    (should something ask for it again, it is read from the doctree folder)."""
    compat.forget_pickled_doctree(app.env, docname)


def prune_with_a_set(app: Sphinx) -> None:
    """``builder-inited``: see :func:`.compat.prune_search_index_with_a_set`."""
    compat.prune_search_index_with_a_set(app.builder)


def setup_scale(app: Sphinx) -> None:
    """Register the handlers."""
    app.connect("builder-inited", prune_with_a_set)
    app.connect("env-before-read-docs", read_in_fewer_processes)
    app.connect("env-updated", parallel_again)
    app.connect("build-finished", parallel_again)
    app.connect("doctree-resolved", let_doctree_go)
