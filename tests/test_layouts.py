"""Project layouts: a bank beside ``docs/`` (pages through the ``quicktakes_pages`` mapping,
collections with ``../content`` patterns), incremental builds that re-read only what shows
a question file, and no configuration changed at build time."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from .conftest import QUESTIONS, ROOTS, strip_colors, updating_line, write_project

CELLS = "What is the smallest unit of life?"
ENZYMES = "What do enzymes do?"
INERTIA = "What is inertia?"
PAGES = ["learn/biology/cells", "learn/biology/enzymes", "learn/physics/inertia"]

NEW_QUESTION = """\
---
id: 810009
date: 2025-04-01
question: What is mitosis?
answer: Mitosis is how one cell divides into two identical cells.
subject: Biology
---
"""

LayoutBuild = Callable[..., SphinxTestApp]


@pytest.fixture
def layout(app_params: Any, make_app: Callable[..., SphinxTestApp]) -> Iterator[LayoutBuild]:
    """Build the test root's ``docs/`` folder (its bank is beside it, in ``content/``)."""
    root = Path(app_params.kwargs["srcdir"])
    apps: list[SphinxTestApp] = []

    def build(**kwargs: Any) -> SphinxTestApp:
        while apps:  # docutils registrations are global: one live app at a time
            apps.pop().cleanup()
        params = {**app_params.kwargs, "srcdir": root / "docs", "builddir": root / "_build"}
        app = make_app(*app_params.args, **{**params, **kwargs})
        apps.append(app)
        app.build()
        return app

    yield build


def root_of(app: SphinxTestApp) -> Path:
    return Path(app.srcdir).parent


def html(app: SphinxTestApp, page: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / f"{page}.html").read_text("utf-8"), "lxml")


def warnings(app: SphinxTestApp) -> list[str]:
    return [line for line in strip_colors(app.warning.getvalue()).splitlines() if line.strip()]


def later(path: Path, text: str) -> None:
    """Write a file whose mtime is after the previous build read it."""
    time.sleep(0.01)
    path.write_text(text, "utf-8")


def source_files(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*") if "_build" not in p.parts}


def layouts(name: str) -> Any:
    """Parametrize over the MyST and the rST layout roots (a copy each, named ``name``)."""
    return pytest.mark.parametrize(
        "kind",
        [
            pytest.param(
                kind, marks=pytest.mark.sphinx(testroot=f"layout-{kind}", srcdir=f"{name}-{kind}")
            )
            for kind in ("myst", "rst")
        ],
    )


@layouts("pages")
def test_bank_beside_docs(layout: LayoutBuild, kind: str) -> None:
    app = layout()
    assert warnings(app) == []
    assert sorted(app.env.found_docs) == sorted(["index", "biology", "all", *PAGES])
    original = ROOTS / f"test-layout-{kind}" / "docs"
    assert source_files(Path(app.srcdir)) == source_files(original)  # nothing written
    page = html(app, "learn/biology/cells")
    assert page.select_one("section.quicktake > h1").get_text().rstrip("¶") == CELLS
    assert page.title.get_text().startswith(CELLS)
    toc = [a.get_text() for a in html(app, "index").select(".toctree-wrapper li.toctree-l1 > a")]
    assert toc == ["Biology", "All questions", CELLS, ENZYMES, INERTIA]
    links = [(a.get_text(), a["href"]) for a in html(app, "biology").select("li.quicktake-entry a")]
    assert (CELLS, "learn/biology/cells.html#quicktake-810001") in links
    assert (ENZYMES, "learn/biology/enzymes.html#quicktake-810002") in links
    assert html(app, "biology").select(".quicktake-fallback") == []  # they have pages
    grouped = html(app, "all").select("section.quicktakes-subject h2")
    assert [h.get_text().rstrip("¶") for h in grouped] == ["Biology", "Physics"]


@layouts("incremental")
def test_incremental_builds_see_bank_files_added_changed_removed(
    layout: LayoutBuild, kind: str
) -> None:
    app = layout()
    assert updating_line(app.status.getvalue()) == "6 added, 0 changed, 0 removed"
    assert updating_line(layout().status.getvalue()) == "0 added, 0 changed, 0 removed"
    biology = root_of(app) / "content" / "learn" / "biology"

    # added: its own page; the two collections that match it; index (a glob toctree)
    later(biology / "mitosis.md", NEW_QUESTION)
    app = layout()
    assert updating_line(app.status.getvalue()) == "1 added, 3 changed, 0 removed"
    assert warnings(app) == []
    assert "learn/biology/mitosis" in app.env.found_docs
    entries = [a.get_text() for a in html(app, "biology").select("li.quicktake-entry a")]
    assert entries == [CELLS, ENZYMES, "What is mitosis?"]

    # changed: its own page and the two collections that show it
    later(biology / "cells.md", (biology / "cells.md").read_text("utf-8").replace("own", "OWN"))
    app = layout()
    assert updating_line(app.status.getvalue()) == "0 added, 3 changed, 0 removed"
    assert "OWN" in html(app, "learn/biology/cells").get_text()

    # removed: its page; the two collections; index (a glob toctree)
    (biology / "enzymes.md").unlink()
    app = layout()
    assert updating_line(app.status.getvalue()) == "0 added, 3 changed, 1 removed"
    assert warnings(app) == []
    assert ENZYMES not in html(app, "biology").get_text()
    assert updating_line(layout().status.getvalue()) == "0 added, 0 changed, 0 removed"


@pytest.mark.sphinx(testroot="layout-myst", srcdir="layout-myst-parallel")
def test_parallel_build_of_mapped_pages_equals_serial_build(layout: LayoutBuild) -> None:
    serial = layout(freshenv=True)
    outdir = Path(serial.outdir)
    serial_pages = {p: (outdir / f"{p}.html").read_bytes() for p in ["biology", "all", *PAGES]}
    parallel = layout(freshenv=True, parallel=2)
    assert warnings(parallel) == []
    assert re.search(
        r"reading sources\.\.\. \[ *\d+%\] \S+ \.\. \S+", strip_colors(parallel.status.getvalue())
    )
    for page, data in serial_pages.items():
        assert (Path(parallel.outdir) / f"{page}.html").read_bytes() == data, page


@pytest.mark.sphinx(testroot="layout-myst", srcdir="layout-myst-badconf")
@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"learn": 3}, "quicktakes_pages = {'learn': 3} is not valid; using []"),
        ({"../up": "x/*.md"}, "is not valid; using []"),
        (["../content/learn/*/*.md"], "is outside the source directory; use the mapping form"),
    ],
)
def test_bad_pages_settings_warn(layout: LayoutBuild, setting: Any, message: str) -> None:
    app = layout(confoverrides={"quicktakes_pages": setting}, freshenv=True)
    ours = [line for line in warnings(app) if "[quicktakes.config]" in line]
    assert ours and message in ours[0], warnings(app)
    assert not any(docname.startswith("learn/") for docname in app.env.found_docs)


# -- adding a question file re-reads only the pages that show it -----------------------------


HOSTS = pytest.mark.parametrize("myst", [False, True], ids=["rst", "myst"])


@HOSTS
def test_adding_a_question_file_rereads_only_its_collection(build, tmp_path, myst) -> None:
    faq = (
        "```{quicktakes} questions/good/*.md\n```\n"
        if myst
        else ".. quicktakes:: questions/good/*.md\n"
    )
    pages = {
        "index.rst": "Home\n====\n\n.. toctree::\n\n   faq\n   other\n",
        ("faq.md" if myst else "faq.rst"): ("# FAQ\n\n" if myst else "FAQ\n===\n\n") + faq,
        "other.md" if myst else "other.rst": "# Other\n\nNo questions.\n"
        if myst
        else "Other\n=====\n\nNo questions.\n",
    }
    srcdir = tmp_path / "src"
    first = build(pages, myst=myst, srcdir=srcdir)
    assert first.warning_lines() == []
    later(srcdir / "questions" / "good" / "zz-new.md", NEW_QUESTION)
    second = build(pages, myst=myst, srcdir=srcdir)
    assert updating_line(second.app.status.getvalue()) == "0 added, 1 changed, 0 removed"
    assert "config changed" not in second.app.status.getvalue()
    assert "What is mitosis?" in second.html("faq").get_text()


@HOSTS
def test_adding_a_question_page_rereads_its_page_and_collection(build, tmp_path, myst) -> None:
    pages = {
        "index.rst": "Home\n====\n\n.. toctree::\n\n   faq\n\n"
        ".. toctree::\n   :glob:\n\n   questions/good/*\n",
        "faq.rst": "FAQ\n===\n\n.. quicktakes:: questions/good/*.md\n   :display: list\n",
    }
    srcdir = tmp_path / "src"
    conf = "quicktakes_pages = ['questions/good/*.md']"
    write_project(srcdir, pages, conf, myst=myst)
    if myst:  # the pages are read as question pages although the folder is excluded
        assert "exclude_patterns = ['questions/good/**']" in (srcdir / "conf.py").read_text()
    assert build(pages, srcdir=srcdir).warning_lines() == []
    later(srcdir / "questions" / "good" / "zz-new.md", NEW_QUESTION)
    second = build(pages, srcdir=srcdir)
    # its own page; faq (the collection); index (a glob toctree, as for any added page)
    assert updating_line(second.app.status.getvalue()) == "1 added, 2 changed, 0 removed"
    assert second.warning_lines() == []
    assert (second.outdir / "questions" / "good" / "zz-new.html").is_file()


def test_question_files_are_named_by_patterns_not_by_front_matter(build, tmp_path) -> None:
    """A Markdown page whose front matter has ``question``/``answer``/``_schema`` keys is a
    page like any other; a question file no pattern names is a page too (MyST reads
    every ``.md`` file), so a bank inside a MyST source folder is excluded by the project."""
    pages = {
        "index.md": "# Home\n\n```{toctree}\nfaq\nquestions/good/osmosis\n```\n",
        "faq.md": "---\nquestion: Not ours\nanswer: Also not ours\n_schema: x\n---\n\n"
        "# FAQ\n\nText.\n",
    }
    srcdir = tmp_path / "src"
    write_project(srcdir, pages, myst=True, questions=())
    (srcdir / "questions" / "good").mkdir(parents=True)
    (srcdir / "questions" / "good" / "osmosis.md").write_bytes(
        (QUESTIONS / "good" / "osmosis.md").read_bytes()
    )
    result = build(pages, srcdir=srcdir)
    assert "faq" in result.app.env.found_docs
    assert "Text." in result.html("faq").get_text()
    assert "questions/good/osmosis" in result.app.env.found_docs  # not named: a page


def test_sphinx_project_has_what_revise_discovery_relies_on(tmp_path: Path) -> None:
    """compat.revise_discovery uses Project's private docname <-> path mappings."""
    from sphinx.project import Project

    from sphinxext_quicktakes.compat import revise_discovery

    (tmp_path / "index.rst").write_text("Home\n====\n", "utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-bank.md"
    project = Project(tmp_path, {".rst": "restructuredtext", ".md": "markdown"})
    revise_discovery(project, lambda found: {**found, "learn/x": outside})
    assert project.discover() == {"index", "learn/x"}
    assert project.doc2path("learn/x", absolute=True) == outside
    assert project.doc2path("index", absolute=False) == Path("index.rst")
    assert project.path2doc(outside) == "learn/x"


def test_a_question_page_never_replaces_a_page(build, tmp_path) -> None:
    pages = {
        "index.rst": "Home\n====\n\n.. toctree::\n   :glob:\n\n   learn/*\n",
        "learn/budget.rst": "Mine\n====\n\nOur own page.\n",
    }
    bank = tmp_path / "bank"
    bank.mkdir()
    for name in ("budget.md", "maxwell.md"):
        (bank / name).write_bytes((QUESTIONS / "good" / name).read_bytes())
    conf = "quicktakes_pages = {'learn': '../bank/*.md'}"
    result = build(pages, conf=conf, questions=(), srcdir=tmp_path / "docs")
    [warning] = result.warning_lines()
    assert "[quicktakes.config]" in warning
    assert "would be the page 'learn/budget', which is already learn/budget.rst" in warning
    assert "Our own page." in result.html("learn/budget").get_text()
    assert result.html("learn/maxwell").select_one("section.quicktake") is not None
