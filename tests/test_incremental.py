"""Incremental rebuilds re-read exactly the pages that include an edited question file;
``-j 2`` gives the same output as a serial build."""

from __future__ import annotations

import json
import pickle
import re
import shutil
import time
from pathlib import Path

from bs4 import BeautifulSoup

from . import conftest
from .conftest import search_index, write_project


def sphinx_build(srcdir: Path, outdir: Path, *args: str) -> str:
    proc = conftest.sphinx_build(srcdir, outdir, *args, check=True)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout + proc.stderr


#: a home page and two pages, a question on each
TWO_PAGES = {
    "index.rst": "Home\n====\n\n.. toctree::\n\n   a\n   b\n",
    "a.rst": "A\n=\n\n.. quicktake:: questions/good/osmosis.md\n",
    "b.rst": "B\n=\n\n.. quicktake:: questions/good/maxwell.md\n",
}


def touch_later(path: Path) -> None:
    """Edit a file (its mtime is now, after the previous build read it)."""
    time.sleep(0.01)
    text = path.read_text("utf-8").replace("Posted on", "Published on")
    path.write_text(text, "utf-8")


def test_editing_a_question_rereads_only_its_page(tmp_path: Path) -> None:
    pages = dict(TWO_PAGES)
    srcdir, outdir = tmp_path / "src", tmp_path / "out"
    write_project(srcdir, pages)
    first = sphinx_build(srcdir, outdir)
    assert "3 added, 0 changed, 0 removed" in first
    assert "0 added, 0 changed, 0 removed" in sphinx_build(srcdir, outdir)

    touch_later(srcdir / "questions" / "good" / "osmosis.md")
    second = sphinx_build(srcdir, outdir)
    assert "0 added, 1 changed, 0 removed" in second
    assert re.search(r"reading sources\.\.\. \[100%\] a\b", second)
    assert "Published on Feb 04, 2025" in (outdir / "a.html").read_text("utf-8")


PARALLEL_PAGES = {
    "index.rst": "Home\n====\n\n.. toctree::\n   :glob:\n\n   p*\n\nSee :ref:`quicktake-900002`.\n",
    **{
        f"p{n}.rst": f"Page {n}\n{'=' * (5 + len(str(n)))}\n\n"
        f".. quicktake:: questions/good/{name}\n\nSee :ref:`quicktake-900001`.\n"
        for n, name in enumerate(
            [
                "osmosis.md",
                "maxwell.md",
                "budget.md",
                "water.md",
                "printf.md",
                "osmosis.md",
                "maxwell.md",
                "budget.md",
                "water.md",
            ]
        )
    },
}


def test_parallel_build_equals_serial_build(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    write_project(srcdir, PARALLEL_PAGES)
    serial = sphinx_build(srcdir, tmp_path / "serial", "-E")
    parallel = sphinx_build(srcdir, tmp_path / "parallel", "-E", "-j", "2")
    assert "WARNING" not in serial and "WARNING" not in parallel
    assert "reading sources... [ 50%] index .. p3" in parallel  # really read in parallel
    for name in sorted(PARALLEL_PAGES):
        page = name.replace(".rst", ".html")
        assert (tmp_path / "serial" / page).read_bytes() == (
            tmp_path / "parallel" / page
        ).read_bytes(), page
    # the first occurrence in document order owns the label
    home = (tmp_path / "parallel" / "index.html").read_text("utf-8")
    assert 'href="p1.html#quicktake-900002"' in home
    p5 = (tmp_path / "parallel" / "p5.html").read_text("utf-8")
    assert 'href="p0.html#quicktake-900001"' in p5


def test_collections_follow_added_removed_and_edited_files(tmp_path: Path) -> None:
    pages = {
        "index.rst": "Home\n====\n\n.. toctree::\n\n   faq\n   other\n",
        "faq.rst": "FAQ\n===\n\n.. quicktakes:: questions/good/*.md\n",
        "other.rst": "Other\n=====\n\nNo questions here.\n",
    }
    srcdir, outdir = tmp_path / "src", tmp_path / "out"
    write_project(srcdir, pages)
    sphinx_build(srcdir, outdir)
    folder = srcdir / "questions" / "good"

    # a new matching file: the collection page is re-read and shows it
    (folder / "zz-new.md").write_text(
        "---\nid: 77\nquestion: A brand new question?\nanswer: Yes.\n---\n", "utf-8"
    )
    added = sphinx_build(srcdir, outdir)
    assert "0 added, 1 changed, 0 removed" in added
    assert "A brand new question?" in (outdir / "faq.html").read_text("utf-8")

    # an edited file
    touch_later(folder / "osmosis.md")
    assert "0 added, 1 changed, 0 removed" in sphinx_build(srcdir, outdir)
    assert "Published on Feb 04, 2025" in (outdir / "faq.html").read_text("utf-8")

    # a removed file
    (folder / "zz-new.md").unlink()
    removed = sphinx_build(srcdir, outdir)
    assert "0 added, 1 changed, 0 removed" in removed
    assert "A brand new question?" not in (outdir / "faq.html").read_text("utf-8")

    # nothing changed: nothing re-read
    assert "0 added, 0 changed, 0 removed" in sphinx_build(srcdir, outdir)


def test_question_page_edit_rereads_the_page(tmp_path: Path) -> None:
    pages = {"index.rst": "Home\n====\n\n.. toctree::\n   :glob:\n\n   questions/good/*\n"}
    srcdir, outdir = tmp_path / "src", tmp_path / "out"
    write_project(srcdir, pages, conf="quicktakes_pages = ['questions/good/*.md']")
    first = sphinx_build(srcdir, outdir)
    assert "WARNING" not in first
    touch_later(srcdir / "questions" / "good" / "maxwell.md")
    second = sphinx_build(srcdir, outdir)
    assert "0 added, 1 changed, 0 removed" in second
    html = (outdir / "questions" / "good" / "maxwell.html").read_text("utf-8")
    assert "Published on Nov 18, 2024" in html


COLLECTION_PAGES = {
    "index.rst": "Home\n====\n\n.. toctree::\n   :glob:\n\n   c*\n   questions/pages/*\n",
    "c1.rst": "C1\n==\n\n.. quicktakes:: /questions/good/*.md\n   :display: list\n",
    "c2.rst": "C2\n==\n\n.. quicktakes:: /questions/good/*.md\n   :group-by: subject\n",
    "c3.rst": "C3\n==\n\n.. quicktakes:: /questions/**/*.md\n   :sort: -date\n",
    "c4.rst": "C4\n==\n\nSee :quicktake:`900001` and :quicktake:`cs-17`.\n",
    "c5.md": "# C5\n\n```{quicktakes} questions/good/*.md\n:display: list\n:limit: 2\n```\n",
}


def test_parallel_build_with_collections_equals_serial_build(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    write_project(
        srcdir,
        COLLECTION_PAGES,
        conf="quicktakes_pages = ['questions/pages/*.md']",
        questions=("good", "dupes/osmosis-crosslisted.md"),
        myst=True,
    )
    pages = srcdir / "questions" / "pages"
    pages.mkdir()
    (pages / "printf-page.md").write_text(
        (srcdir / "questions" / "good" / "printf.md").read_text("utf-8"), "utf-8"
    )
    serial = sphinx_build(srcdir, tmp_path / "serial", "-E")
    parallel = sphinx_build(srcdir, tmp_path / "parallel", "-E", "-j", "2")
    assert "WARNING" not in serial and "WARNING" not in parallel
    assert re.search(r"reading sources\.\.\. \[ *\d+%\] \S+ \.\. \S+", parallel)  # in chunks
    compared = 0
    for page in sorted((tmp_path / "serial").rglob("*.html")):
        twin = tmp_path / "parallel" / page.relative_to(tmp_path / "serial")
        if page.name in {"genindex.html", "search.html"}:
            continue
        assert page.read_bytes() == twin.read_bytes(), page.name
        compared += 1
    assert compared >= 7


def _index_terms(outdir: Path) -> list[str]:
    """The general index, entry by entry, with the pages its links go to."""
    soup = BeautifulSoup((outdir / "genindex.html").read_text("utf-8"), "html.parser")
    return sorted(
        f"{li.find(string=True, recursive=False) or ''}|{a.get_text()}|{a['href']}"
        for li in soup.select("table.indextable li")
        for a in li.find_all("a", recursive=False)
    )


def _index_under(outdir: Path, term: str) -> list[str]:
    """Where the general index's entry ``term`` links to."""
    soup = BeautifulSoup((outdir / "genindex.html").read_text("utf-8"), "html.parser")
    return [
        a["href"]
        for li in soup.select("table.indextable li")
        if (li.find(string=True, recursive=False) or "").strip() == term
        for a in li.select("a")
    ]


def _search_entries(outdir: Path) -> dict[str, object]:
    """The index entries of ``searchindex.js``, with their pages' names."""
    data = search_index(outdir)
    names = data["docnames"]
    return {
        term: sorted((names[doc], anchor, main) for doc, anchor, main in found)
        for term, found in data["indexentries"].items()
    }


def test_index_entries_survive_incremental_and_parallel_builds(tmp_path: Path) -> None:
    pages = {
        "index.rst": "Home\n====\n\n.. toctree::\n\n   a\n   b\n",
        "a.rst": "A\n=\n\n.. index:: single: osmosis; Own entry\n\n"
        ".. quicktake:: questions/good/osmosis.md\n",
        "b.rst": "B\n=\n\n.. quicktake:: questions/good/maxwell.md\n",
    }
    srcdir, outdir = tmp_path / "src", tmp_path / "out"
    write_project(srcdir, pages)
    sphinx_build(srcdir, outdir, "-d", str(tmp_path / "doctrees"))
    first = _index_terms(outdir)
    searched = _search_entries(outdir)
    assert searched["own entry"] == [("a", "index-0", False)]
    assert searched["physics"] == [("b", "quicktake-900002", False)]  # maxwell.md
    # the search holds keywords and subjects; headings are searched as titles
    assert not [term for term in searched if term.startswith("what does gauss")]
    assert any("Own entry|a.html#index-0" in t for t in first)
    assert sum("a.html#quicktake-900001" in t for t in first) >= 3  # keywords and subject
    assert any("b.html#quicktake-" in t for t in first)

    # the pickled environment holds the page's own entry, not the questions' entries
    with open(tmp_path / "doctrees" / "environment.pickle", "rb") as f:
        stored = pickle.load(f).domaindata["index"]["entries"]
    assert [e[1] for e in stored["a"]] == ["osmosis; Own entry"]
    assert stored["b"] == []

    # a build that reads nothing, then one that reads only b, give the same index
    # (Sphinx alone forgets the search index's entries of the pages it does not write)
    sphinx_build(srcdir, outdir, "-d", str(tmp_path / "doctrees"))
    assert _index_terms(outdir) == first
    assert _search_entries(outdir) == searched
    touch_later(srcdir / "questions" / "good" / "maxwell.md")
    assert "0 added, 1 changed" in sphinx_build(srcdir, outdir, "-d", str(tmp_path / "doctrees"))
    assert _index_terms(outdir) == first
    assert _search_entries(outdir) == searched

    sphinx_build(srcdir, tmp_path / "parallel", "-E", "-j", "2")
    assert _index_terms(tmp_path / "parallel") == first


def test_a_removed_page_leaves_the_search_index(tmp_path: Path) -> None:
    """The search index is pruned of removed pages (with a set: see
    compat.prune_search_index_with_a_set): the same index as a fresh build's."""
    pages = {
        **TWO_PAGES,
        "b.rst": "B\n=\n\nMagnetoword.\n\n.. quicktake:: questions/good/maxwell.md\n",
    }
    srcdir, outdir = tmp_path / "src", tmp_path / "out"
    write_project(srcdir, pages)
    sphinx_build(srcdir, outdir)
    assert "magnetoword" in search_index(outdir)["terms"]
    (srcdir / "b.rst").unlink()
    (srcdir / "index.rst").write_text("Home\n====\n\n.. toctree::\n\n   a\n", "utf-8")
    assert "1 changed, 1 removed" in sphinx_build(srcdir, outdir)
    pruned = search_index(outdir)
    assert "b" not in pruned["docnames"] and not pruned["terms"].get("magnetoword")
    sphinx_build(srcdir, tmp_path / "fresh", "-E")
    fresh = search_index(tmp_path / "fresh")
    # (Sphinx keeps the words of a removed page, with no page: the same words with pages)
    for words in ("terms", "titleterms"):
        pruned[words] = {word: pages for word, pages in pruned[words].items() if pages != []}
    assert pruned == fresh


def test_general_index_written_only_when_it_changes(tmp_path: Path) -> None:
    pages = dict(TWO_PAGES)
    srcdir, outdir = tmp_path / "src", tmp_path / "out"
    write_project(srcdir, pages)
    genindex = outdir / "genindex.html"
    first = sphinx_build(srcdir, outdir)
    assert "genindex (unchanged)" not in first
    written = genindex.stat().st_mtime_ns
    assert "tonicity" in genindex.read_text("utf-8")

    again = sphinx_build(srcdir, outdir)  # nothing changed
    assert "genindex (unchanged)" in again
    assert genindex.stat().st_mtime_ns == written

    touch_later(srcdir / "questions" / "good" / "maxwell.md")  # the byline: not the index
    assert "genindex (unchanged)" in sphinx_build(srcdir, outdir)
    assert genindex.stat().st_mtime_ns == written

    osmosis = srcdir / "questions" / "good" / "osmosis.md"
    osmosis.write_text(osmosis.read_text("utf-8").replace("tonicity", "turgor"), "utf-8")
    changed = sphinx_build(srcdir, outdir)
    assert "genindex (unchanged)" not in changed
    text = genindex.read_text("utf-8")
    assert "turgor" in text and "tonicity" not in text

    (srcdir / "b.rst").write_text("Bee\n===\n\n.. quicktake:: questions/good/maxwell.md\n")
    assert "genindex (unchanged)" not in sphinx_build(srcdir, outdir)  # a title changed
    assert ">Bee<" in genindex.read_text("utf-8")  # in the navigation

    genindex.unlink()
    sphinx_build(srcdir, outdir)
    assert genindex.is_file()
    fresh = tmp_path / "fresh"
    sphinx_build(srcdir, fresh, "-E")
    assert (fresh / "genindex.html").read_text("utf-8") == genindex.read_text("utf-8")


def test_details_stay_out_of_the_environment_and_reach_every_reader(tmp_path: Path) -> None:
    """Keywords, descriptions and first sentences live beside the doctrees, not in the
    pickled environment; the page's <head>, a list's entry, the index and quicktakes.json
    show them after full, no-op, incremental and parallel builds."""
    pages = {
        "index.rst": "Home\n====\n\n.. toctree::\n\n   faq\n",
        "faq.rst": "FAQ\n===\n\n.. quicktakes:: questions/good/osmosis.md\n   :display: list\n",
    }
    srcdir, outdir, doctrees = tmp_path / "src", tmp_path / "out", tmp_path / "doctrees"
    write_project(srcdir, pages, conf="quicktakes_pages = {'learn': 'questions/good/*.md'}")

    def shown(out: Path) -> tuple[object, ...]:
        page = BeautifulSoup((out / "learn" / "osmosis.html").read_text("utf-8"), "html.parser")
        head = {m.get("name"): m.get("content") for m in page.select("meta[name]")}
        faq = BeautifulSoup((out / "faq.html").read_text("utf-8"), "html.parser")
        summary = faq.select_one(".quicktake-summary")
        exported = json.loads((out / "quicktakes.json").read_text("utf-8"))["questions"]
        keywords = next(q["keywords"] for q in exported if q["id"] == "900001")
        return (
            head.get("description"),
            head.get("keywords"),
            summary.get_text(" ", strip=True) if summary else None,
            keywords,
            _index_under(out, "tonicity"),
        )

    sphinx_build(srcdir, outdir, "-d", str(doctrees))
    first = shown(outdir)
    description, keywords, summary, exported, terms = first
    assert description and description.startswith("Osmosis moves water from low")
    assert keywords == "osmosis, water potential, membrane, tonicity"
    assert summary and summary.startswith("Osmosis is the net movement of water")
    assert exported == ["osmosis", "water potential", "membrane", "tonicity"]
    assert terms == ["learn/osmosis.html#quicktake-900001"]

    env_bytes = (doctrees / "environment.pickle").read_bytes()
    for detail in (b"tonicity", b"Osmosis moves water", b"Osmosis is the net movement"):
        assert detail not in env_bytes

    sphinx_build(srcdir, outdir, "-d", str(doctrees))  # nothing read
    assert shown(outdir) == first
    touch_later(srcdir / "faq.rst")  # only the list read: the question's page is not
    assert "0 added, 1 changed" in sphinx_build(srcdir, outdir, "-d", str(doctrees))
    assert shown(outdir) == first
    sphinx_build(srcdir, tmp_path / "parallel", "-E", "-j", "2")
    assert shown(tmp_path / "parallel") == first

    # a new first sentence reaches the list (read again with the question's page)
    bank = srcdir / "questions" / "good" / "osmosis.md"
    time.sleep(0.01)
    bank.write_text(bank.read_text("utf-8").replace("net movement", "overall movement"), "utf-8")
    sphinx_build(srcdir, outdir, "-d", str(doctrees))
    assert shown(outdir)[2].startswith("Osmosis is the overall movement of water")


def test_index_terms_of_pages_not_read_again_come_from_one_file(tmp_path: Path) -> None:
    """Writing starts with every page's index terms: those of pages not read since the
    last build come from one file beside the doctrees, not from each page's details."""
    pages = dict(TWO_PAGES)
    srcdir, outdir, doctrees = tmp_path / "src", tmp_path / "out", tmp_path / "doctrees"
    write_project(srcdir, pages)
    sphinx_build(srcdir, outdir, "-d", str(doctrees))
    assert _index_under(outdir, "tonicity") == ["a.html#quicktake-900001"]
    shutil.rmtree(doctrees / "quicktakes-details")  # only the terms file is left
    maxwell = srcdir / "questions" / "good" / "maxwell.md"  # b is read; the index changes
    maxwell.write_text(maxwell.read_text("utf-8").replace("divergence,", "flux,"), "utf-8")
    sphinx_build(srcdir, outdir, "-d", str(doctrees))
    assert _index_under(outdir, "flux") == ["b.html#quicktake-900002"]
    assert _index_under(outdir, "tonicity") == ["a.html#quicktake-900001"]
    # a page read again takes its new keywords
    osmosis = srcdir / "questions" / "good" / "osmosis.md"
    osmosis.write_text(osmosis.read_text("utf-8").replace("tonicity", "turgor"), "utf-8")
    sphinx_build(srcdir, outdir, "-d", str(doctrees))
    assert _index_under(outdir, "turgor") == ["a.html#quicktake-900001"]
    assert _index_under(outdir, "tonicity") == []


PIDS = """
import os

def note(app, name):
    with open(os.path.join(app.outdir, "..", "pids.txt"), "a") as f:
        f.write(f"{name} {os.getpid()}\\n")

def setup(app):
    app.connect("builder-inited", lambda app: note(app, "main"))
    app.connect("source-read", lambda app, docname, source: note(app, docname))
"""


def test_an_edit_in_a_parallel_build_reads_in_one_process(tmp_path: Path) -> None:
    """With -j 2, a full build reads in two processes; an edit that reads a few documents
    of a bigger project reads them in the main process (each reading process would send
    the whole environment back), and the result is the same as a fresh build's."""
    pages = {"index.rst": "Home\n====\n\n.. toctree::\n   :glob:\n\n   p*\n"}
    pages.update({f"p{i:02d}.rst": f"P{i}\n===\n\nText {i}.\n" for i in range(50)})
    pages["p00.rst"] += "\n.. quicktake:: questions/good/osmosis.md\n"
    srcdir, outdir = tmp_path / "src", tmp_path / "out"
    write_project(srcdir, pages, conf="")
    with open(srcdir / "conf.py", "a", encoding="utf-8") as conf:
        conf.write(PIDS)
    pids = tmp_path / "pids.txt"

    def readers() -> set[str]:
        lines = [line.split() for line in pids.read_text("utf-8").splitlines()]
        main = {pid for name, pid in lines if name == "main"}
        pids.unlink()
        return {"main" if pid in main else "worker" for name, pid in lines if name != "main"}

    sphinx_build(srcdir, outdir, "-j", "2")
    assert readers() == {"worker"}
    touch_later(srcdir / "questions" / "good" / "osmosis.md")  # p00 is read again
    assert "0 added, 1 changed" in sphinx_build(srcdir, outdir, "-j", "2")
    assert readers() == {"main"}
    fresh = tmp_path / "fresh"
    sphinx_build(srcdir, fresh, "-j", "2", "-E")
    assert (outdir / "p00.html").read_bytes() == (fresh / "p00.html").read_bytes()


def test_a_big_parallel_build_reads_in_few_chunks(tmp_path: Path) -> None:
    """With -j 2, many documents are read in at most 8 chunks per process (Sphinx's own
    chunks are smaller, and each sends the whole environment back): 2,000 pages are read
    by 16 worker processes, not 20; writing is not affected."""
    pages = {"index.rst": "Home\n====\n\n.. toctree::\n   :glob:\n\n   p*\n"}
    pages.update({f"p{i:04d}.rst": f"P{i}\n=====\n\nText {i}.\n" for i in range(1999)})
    srcdir, outdir = tmp_path / "src", tmp_path / "out"
    write_project(srcdir, pages, conf="html_sidebars = {'**': []}")
    with open(srcdir / "conf.py", "a", encoding="utf-8") as conf:
        conf.write(PIDS)
    assert "build succeeded" in sphinx_build(srcdir, outdir, "-j", "2")
    lines = [line.split() for line in (tmp_path / "pids.txt").read_text("utf-8").splitlines()]
    main = {pid for name, pid in lines if name == "main"}
    readers = {pid for name, pid in lines if name != "main"} - main
    assert len({docname for docname, _ in lines} - {"main"}) == 2000
    assert len(readers) == 16, len(readers)
    assert len(list(outdir.glob("p*.html"))) == 1999


def test_writing_does_not_keep_every_pickled_doctree(build) -> None:
    """Sphinx keeps each doctree it loads for writing in memory (600 MB at 36,000 pages);
    once a document is resolved its bytes are let go, and the pages are the same."""
    from sphinx.testing.util import SphinxTestApp

    pages = {"index.rst": "Home\n====\n\n.. toctree::\n   :glob:\n\n   p*\n"}
    pages.update(
        {f"p{i}.rst": f"P{i}\n==\n\n.. quicktake:: questions/good/osmosis.md\n" for i in range(3)}
    )
    first = build(pages)
    before = (first.outdir / "p1.html").read_text("utf-8")
    again = SphinxTestApp("html", srcdir=first.srcdir)
    try:
        again.build(force_all=True)  # nothing read: every doctree loaded from the folder
        status = again.status.getvalue()
        assert "0 added, 0 changed, 0 removed" in status and "all source files" in status
        assert again.env._pickled_doctree_cache == {}
        assert (first.outdir / "p1.html").read_text("utf-8") == before
    finally:
        again.cleanup()
