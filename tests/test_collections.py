"""The ``quicktakes`` directive, question pages, the ``quicktake`` role, related questions,
index entries and cross-listed questions."""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.inventory import InventoryFile

from .conftest import QUESTIONS, Build, strip_colors, write_project

OSMOSIS = "How does osmosis move water across a membrane?"
GAUSS = "What does Gauss's law say about the divergence of the electric field?"
GAUSS_HTML = GAUSS.replace("'", "’")  # SmartQuotes in titles
BUDGET = "How should a contractor price a renovation project?"
PRINTF = "How do you print a newline in C?"
WATER = "What happens when sodium reacts with water?"


def collection(*patterns: str, myst: bool = False, **options: str) -> dict[str, str]:
    lines = "".join(f":{name}: {value}\n".replace(": \n", ":\n") for name, value in options.items())
    if myst:
        return {"index.md": f"# Page\n\n```{{quicktakes}} {' '.join(patterns)}\n{lines}```\n"}
    indented = "".join(f"   {line}\n" for line in lines.splitlines())
    return {"index.rst": f"Page\n====\n\n.. quicktakes:: {' '.join(patterns)}\n{indented}"}


def headings(result: Build, page: str = "index") -> list[str]:
    html = result.html(page)
    found = html.select("section.quicktake > h2, section.quicktake > h3")
    return [h.get_text().rstrip("¶") for h in found]


HOSTS = pytest.mark.parametrize("myst", [False, True], ids=["rst", "myst"])


@HOSTS
def test_glob_renders_every_match_in_file_order(build, myst) -> None:
    result = build(collection("questions/good/*.md", myst=myst), myst=myst)
    assert result.warning_lines() == []
    # file order: budget, maxwell, osmosis, printf; water is no_index and left out
    assert headings(result) == [BUDGET, GAUSS_HTML, OSMOSIS, PRINTF]


@HOSTS
def test_filters_sort_and_limit(build, myst) -> None:
    pages = collection("/questions/**/*.md", myst=myst, subject="biology, PHYSICS", sort="-date")
    assert headings(build(pages, myst=myst)) == [OSMOSIS, GAUSS_HTML]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("date", [GAUSS_HTML, OSMOSIS, PRINTF, BUDGET]),
        ("-date", [BUDGET, PRINTF, OSMOSIS, GAUSS_HTML]),
        ("title", [PRINTF, OSMOSIS, BUDGET, GAUSS_HTML]),
        ("-title", [GAUSS_HTML, BUDGET, OSMOSIS, PRINTF]),
        ("id", [OSMOSIS, GAUSS_HTML, BUDGET, PRINTF]),  # numbers first, then text ids
        ("file", [BUDGET, GAUSS_HTML, OSMOSIS, PRINTF]),
    ],
)
def test_sort_keys(build, sort, expected) -> None:
    assert headings(build(collection("questions/good/*.md", sort=sort))) == expected


def test_undated_questions_sort_last(build, tmp_path) -> None:
    undated = tmp_path / "src" / "questions" / "good" / "aaa-undated.md"
    undated.parent.mkdir(parents=True)
    undated.write_text("---\nid: 5\nquestion: Undated?\nanswer: Yes.\n---\n", "utf-8")
    assert headings(build(collection("questions/good/*.md", sort="-date")))[-1] == "Undated?"
    result = build(collection("questions/good/*.md", sort="date"), srcdir=tmp_path / "src")
    assert headings(result)[-1] == "Undated?"


def test_keyword_filter_and_noindex(build, tmp_path) -> None:
    pages = collection("questions/good/*.md", keyword="Tonicity, hydrogen")
    assert headings(build(pages)) == [OSMOSIS]  # water matches but is no_index
    pages = collection("questions/good/*.md", keyword="hydrogen", **{"include-noindex": ""})
    result = build(pages, srcdir=tmp_path / "with-noindex")
    assert headings(result) == [WATER]
    assert result.html().head.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_limit(build) -> None:
    assert headings(build(collection("questions/good/*.md", limit="2"))) == [BUDGET, GAUSS_HTML]


@HOSTS
def test_group_by_subject(build, myst) -> None:
    pages = collection("questions/good/*.md", myst=myst, **{"group-by": "subject"})
    html = build(pages, myst=myst).html()
    groups = html.select("section.quicktakes-subject")
    assert [g.find("h2").get_text().rstrip("¶") for g in groups] == [
        "Biology",
        "Business",
        "Computer Science",
        "Physics",
    ]
    assert [h.get_text().rstrip("¶") for h in groups[0].select("section.quicktake > h3")] == [
        OSMOSIS
    ]


@HOSTS
def test_display_list_links_to_full_renderings_elsewhere(build, myst) -> None:
    pages = {
        "index.rst": "Home\n====\n\n.. toctree::\n\n   list\n   full\n",
        "full.rst": "Full\n====\n\n.. quicktake:: questions/good/osmosis.md\n",
        **{
            ("list.md" if myst else "list.rst"): next(
                iter(collection("questions/good/*.md", myst=myst, display="list").values())
            )
        },
    }
    result = build(pages, myst=myst)
    assert result.warning_lines() == []
    html = result.html("list")
    entries = html.select("ul.quicktakes-list > li.quicktake-entry")
    links = [(e.select_one("a").get_text(), e.select_one("a")["href"]) for e in entries]
    assert links == [
        (BUDGET, "#quicktake-900003"),
        (GAUSS_HTML, "#quicktake-900002"),
        (OSMOSIS, "full.html#quicktake-900001"),
        (PRINTF, "#quicktake-cs-17"),
    ]
    # shown in full here only when not rendered elsewhere
    shown = [box["id"] for box in html.select("div.quicktake-fallback")]
    assert shown == ["quicktake-900003", "quicktake-900002", "quicktake-cs-17"]
    summary = entries[2].select_one("p.quicktake-summary").get_text()
    assert summary == (
        "Osmosis is the net movement of water through a membrane that lets water "
        "pass but not solutes."
    )
    assert entries[2].select_one("p.quicktake-byline").get_text() == (
        "Posted on Feb 04, 2025 · QuickTakes · Biology"
    )
    assert entries[1].select_one(".math").get_text().startswith(r"\(\nabla")


def test_nothing_matched_warns(build, tmp_path) -> None:
    result = build(collection("questions/none/*.md"))
    [warning] = result.warning_lines()
    assert "[quicktakes.collection]" in warning and "no question files match" in warning
    assert "index.rst:4" in warning
    result = build(
        collection("questions/good/*.md", subject="astronomy"), srcdir=tmp_path / "filtered"
    )
    [warning] = result.warning_lines()
    assert "no question passes the filters" in warning
    assert result.html().select_one("h1").get_text().startswith("Page")


def test_bad_files_in_a_collection_warn_and_siblings_render(build) -> None:
    result = build(collection("questions/bad/*.md", "questions/good/osmosis.md"),
                   questions=("good", "bad"))  # fmt: skip
    warnings = " ".join(result.warning_lines())
    for bad in sorted((QUESTIONS / "bad").glob("*.md")):
        if bad.name not in {"bom.md", "crlf.md"}:  # well-formed: no warning
            assert f"questions/bad/{bad.name}:" in warnings  # each names its file
    assert "Traceback" not in result.warnings
    shown = headings(result)
    assert OSMOSIS in shown and "Bad date" in shown  # a bad date drops the date only


# -- cross-listed questions --------------------------------------------------------------


def test_cross_listed_question_shows_once_under_the_first_subject(build) -> None:
    pages = collection("questions/good/osmosis.md", "questions/dupes/osmosis-crosslisted.md")
    result = build(pages, questions=("good", "dupes"))
    assert result.warning_lines() == []
    assert headings(result) == [OSMOSIS]
    # the first listing in the collection's (file) order: dupes/ sorts before good/
    assert result.html().select_one(".quicktake-subject").get_text() == "Life Sciences"


def test_cross_listed_question_in_each_subject_group_links_to_one_place(build) -> None:
    pages = collection(
        "questions/good/osmosis.md",
        "questions/dupes/osmosis-crosslisted.md",
        **{"group-by": "subject"},
    )
    html = build(pages, questions=("good", "dupes")).html()
    biology, life = html.select("section.quicktakes-subject")
    assert biology.select_one("section.quicktake")["id"] == "quicktake-900001"
    assert life.select_one("section.quicktake") is None
    assert life.select_one("li.quicktake-entry a")["href"] == "#quicktake-900001"


# -- question pages ------------------------------------------------------------------------


def html_of(app: SphinxTestApp, page: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / f"{page}.html").read_text("utf-8"), "lxml")


PAGE_ROOTS = pytest.mark.parametrize(
    "myst",
    [
        pytest.param(False, marks=pytest.mark.sphinx("html", testroot="pages-rst")),
        pytest.param(True, marks=pytest.mark.sphinx("html", testroot="pages-myst")),
    ],
    ids=["rst", "myst"],
)


@PAGE_ROOTS
def test_question_files_as_pages(app: SphinxTestApp, myst: bool) -> None:
    """tests/roots/test-pages-*: two question files as pages (``quicktakes_pages``), a page
    with the role, a ``quicktake`` and a list collection over the pages and two more files."""
    app.build()
    assert strip_colors(app.warning.getvalue()).strip() == ""
    pages = ["index", "other", "questions/pages/osmosis", "questions/pages/printf"]
    readme = ["README"] if myst else []  # a Markdown page only where the project has them
    assert sorted(app.env.found_docs) == sorted(pages + readme)
    page = html_of(app, "questions/pages/printf")
    assert page.title.get_text().startswith(PRINTF)
    assert page.select_one("section.quicktake > h1").get_text().rstrip("¶") == PRINTF
    assert page.head.find("meta", attrs={"name": "description"})["content"].startswith("Use the")
    assert page.select_one("p.quicktake-byline") is not None
    other = html_of(app, "other")
    [see] = [p for p in other.select("div.body p") if p.get_text().startswith("See ")]
    assert see.select_one("a.reference.internal")["href"] == (
        "questions/pages/printf.html#quicktake-cs-17"
    )
    toc = [a.get_text() for a in html_of(app, "index").select(".toctree-wrapper li.toctree-l1 > a")]
    assert toc[:2] == [OSMOSIS, PRINTF]
    # the other question files in the tree are neither pages nor warnings
    assert list((Path(app.outdir) / "questions").glob("good/*.html")) == []
    # the quicktake directive shows its question in full on the page
    shown = [h.get_text().rstrip("¶") for h in other.select("section.quicktake > h2")]
    assert shown == [GAUSS_HTML]
    # the list links each question to its page, to where it is shown in full, or to the
    # fallback rendering after the list when it is shown nowhere else
    links = {a.get_text(): a["href"] for a in other.select("li.quicktake-entry a")}
    assert links == {
        OSMOSIS: "questions/pages/osmosis.html#quicktake-900001",
        PRINTF: "questions/pages/printf.html#quicktake-cs-17",
        GAUSS_HTML: "#quicktake-900002",
        BUDGET: "#quicktake-900003",
    }
    [fallback] = other.select(".quicktake-fallback")
    assert BUDGET in fallback.get_text()
    assert "The end of the other page." in other.get_text()


# -- the role, objects.inv ---------------------------------------------------------------


ROLE_RST = """\
Page
====

.. quicktake:: questions/good/osmosis.md

.. quicktake:: questions/good/maxwell.md

By id :quicktake:`900002`, by slug :quicktake:`how-does-osmosis-move-water-across-a-membrane`,
with a title :quicktake:`this one <900001>`, unknown :quicktake:`404`.
"""

ROLE_MYST = """\
# Page

```{quicktake} questions/good/osmosis.md
```

```{quicktake} questions/good/maxwell.md
```

By id {quicktake}`900002`, by slug {quicktake}`how-does-osmosis-move-water-across-a-membrane`,
with a title {quicktake}`this one <900001>`, unknown {quicktake}`404`.
"""


@HOSTS
def test_role_by_id_and_slug(build, myst) -> None:
    pages = {"index.md": ROLE_MYST} if myst else {"index.rst": ROLE_RST}
    result = build(pages, myst=myst)
    [warning] = result.warning_lines()
    assert "[quicktakes.ref]" in warning and "'404'" in warning
    paragraph = result.html().find(string=lambda s: "By id" in s).parent
    links = [(a.get_text(), a["href"]) for a in paragraph.select("a")]
    assert links == [
        (GAUSS, "#quicktake-900002"),
        (OSMOSIS, "#quicktake-900001"),
        ("this one", "#quicktake-900001"),
    ]


def test_objects_inventory(build) -> None:
    result = build({"index.rst": ROLE_RST.replace(":quicktake:`404`", "none")})
    with (result.outdir / "objects.inv").open("rb") as handle:
        inventory = InventoryFile.load(handle, "https://example.org", posixpath.join)
    questions = inventory["quicktakes:question"]
    assert questions["900001"].uri == "https://example.org/index.html#quicktake-900001"
    assert questions["900002"].display_name == GAUSS
    slug = "how-does-osmosis-move-water-across-a-membrane"
    assert questions[slug].uri == questions["900001"].uri


# -- related questions, index --------------------------------------------------------------


def related(result: Build) -> dict[str, str | None]:
    items = result.html().select("ul.quicktake-related li")
    return {
        li.get_text(): (li.select_one("a")["href"] if li.select_one("a") else None) for li in items
    }


def test_related_questions(build, tmp_path) -> None:
    pages = {
        "index.rst": "Page\n====\n\n.. quicktake:: questions/good/maxwell.md\n\n"
        ".. quicktake:: questions/good/osmosis.md\n"
    }
    assert related(build(pages)) == {OSMOSIS: "#quicktake-900001", "What is a vector field?": None}
    with_site = build(
        pages, srcdir=tmp_path / "site", conf="quicktakes_site_url = 'https://qt.example/'"
    )
    assert related(with_site)["What is a vector field?"] == (
        "https://qt.example/learn/mathematics/questions/what-is-a-vector-field"
    )
    off = build(pages, srcdir=tmp_path / "off", conf="quicktakes_related = False")
    assert off.html().select_one(".quicktake-related") is None


def test_index_entries(build, tmp_path) -> None:
    pages = {"index.rst": "Page\n====\n\n.. quicktake:: questions/good/osmosis.md\n"}
    result = build(pages)
    index = result.html("genindex")
    terms = [td.get_text(" ", strip=True) for td in index.select("table.indextable td")]
    text = " ".join(terms)
    for term in ("osmosis", "tonicity", "Biology", "water potential"):
        assert term in text
    assert OSMOSIS in text
    off = build(pages, srcdir=tmp_path / "off", conf="quicktakes_index = False")
    assert OSMOSIS not in off.html("genindex").get_text()


def test_another_project_links_through_intersphinx(build, tmp_path) -> None:
    first = build({"index.rst": ROLE_RST.replace(":quicktake:`404`", "none")})
    inventory = first.outdir / "objects.inv"
    pages = {
        "index.rst": "Other project\n=============\n\n"
        "Explicit :external+qt:quicktakes:question:`900001`, "
        "plain :quicktake:`900002`.\n"
    }
    conf = (
        "extensions.append('sphinx.ext.intersphinx')\n"
        f"intersphinx_mapping = {{'qt': ('https://qt.example/', {str(inventory)!r})}}\n"
    )
    second = build(pages, srcdir=tmp_path / "other", conf=conf, questions=())
    assert second.warning_lines() == []
    links = {a.get_text(): a["href"] for a in second.html().select("a.reference.external")}
    assert links == {
        OSMOSIS: "https://qt.example/index.html#quicktake-900001",
        GAUSS: "https://qt.example/index.html#quicktake-900002",
    }


def test_related_questions_in_another_project_link_through_intersphinx(build, tmp_path) -> None:
    """A related question that this project does not show links to the project that does
    (its inventory), before the original site; one that no project shows, to that site."""
    first = build({"index.rst": "Biology\n=======\n\n.. quicktake:: questions/good/osmosis.md\n"})
    inventory = first.outdir / "objects.inv"
    conf = (
        "extensions.append('sphinx.ext.intersphinx')\n"
        f"intersphinx_mapping = {{'bio': ('../biology', {str(inventory)!r})}}\n"
        "quicktakes_site_url = 'https://qt.example/'\n"
    )
    pages = {"index.rst": "Physics\n=======\n\n.. quicktake:: questions/good/maxwell.md\n"}
    second = build(pages, srcdir=tmp_path / "physics", conf=conf)
    assert second.warning_lines() == []
    assert related(second) == {
        OSMOSIS: "../biology/index.html#quicktake-900001",
        "What is a vector field?": (
            "https://qt.example/learn/mathematics/questions/what-is-a-vector-field"
        ),
    }


def test_a_list_links_to_pages_in_another_project(build, tmp_path) -> None:
    """quicktakes_pages_elsewhere: a list's entry links to the question's page in the
    project that has it (intersphinx), with its byline and the answer's first sentence
    (rendered here, silently: the other project reports the file's problems), and renders
    no answer here."""
    hostile = "questions/bad/script-injection.md"
    banks = ("good", "bad/script-injection.md")
    first = build(
        {"index.rst": "Home\n====\n\n.. toctree::\n   :glob:\n\n   questions/*/*\n"},
        conf=f"quicktakes_pages = ['questions/good/*.md', {hostile!r}]",
        questions=banks,
    )
    assert any("script-injection.md" in line for line in first.warning_lines())
    conf = (
        "extensions.append('sphinx.ext.intersphinx')\n"
        f"intersphinx_mapping = {{'bio': ('../biology', {str(first.outdir / 'objects.inv')!r})}}\n"
        "quicktakes_pages_elsewhere = ['questions/good/osmosis.md', 'questions/good/m*.md', "
        f"{hostile!r}]\n"
    )
    pages = {
        "index.rst": "Hub\n===\n\n.. quicktakes:: questions/good/osmosis.md\n"
        f"   questions/good/maxwell.md\n   questions/good/budget.md\n   {hostile}\n"
        "   :display: list\n   :sort: title\n"
    }
    hub = build(pages, srcdir=tmp_path / "hub", conf=conf, questions=banks)
    assert hub.warning_lines() == []
    html = hub.html()
    summaries = {
        li.select_one(".quicktake-title").get_text(): li.select_one(".quicktake-summary")
        for li in html.select("li.quicktake-entry")
    }
    assert summaries[OSMOSIS].get_text() == (
        "Osmosis is the net movement of water through a membrane that lets water pass but "
        "not solutes."
    )
    injected = summaries["Heading <script>alert(1)</script>"]
    assert injected.get_text().startswith("Text <script>alert(10)</script> and")
    assert html.find("script", string=re.compile("alert")) is None
    assert not html.select("[onclick], [onerror], [onmouseover]")
    entries = {
        li.select_one(".quicktake-title").get_text(): li.select_one(".quicktake-title a")["href"]
        for li in html.select("li.quicktake-entry")
    }
    assert entries[OSMOSIS] == "../biology/questions/good/osmosis.html#quicktake-900001"
    assert entries[GAUSS_HTML].startswith("../biology/questions/good/maxwell.html#quicktake-")
    assert entries[BUDGET].startswith("#quicktake-")  # not elsewhere: rendered here
    assert html.select_one("li.quicktake-entry .quicktake-byline") is not None
    shown_here = {q.select_one("h2, h3, p.rubric").get_text() for q in html.select(".quicktake")}
    assert OSMOSIS not in shown_here and GAUSS_HTML not in shown_here


def test_no_index_question_page_builds_with_robots_noindex(build) -> None:
    pages = {
        "index.rst": "Home\n====\n\n.. toctree::\n\n   questions/good/water\n\n"
        ".. quicktakes:: questions/good/*.md\n   :display: list\n"
    }
    result = build(pages, conf="quicktakes_pages = ['questions/good/water.md']")
    assert result.warning_lines() == []
    page = result.html("questions/good/water")
    assert page.head.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    listed = [a.get_text() for a in result.html().select("li.quicktake-entry a")]
    assert WATER not in listed  # left out of collections, as the original subject pages do


def test_related_questions_and_index_entries_in_a_myst_host(build) -> None:
    pages = {
        "index.md": "# Page\n\n```{quicktake} questions/good/maxwell.md\n```\n\n"
        "```{quicktakes} questions/good/osmosis.md\n```\n"
    }
    result = build(pages, myst=True)
    assert result.warning_lines() == []
    assert related(result) == {OSMOSIS: "#quicktake-900001", "What is a vector field?": None}
    index = " ".join(td.get_text(" ", strip=True) for td in result.html("genindex").select("td"))
    assert "divergence" in index and "Physics" in index and GAUSS in index


# -- banks outside the source directory ------------------------------------------------------


def outside_project(tmp_path: Path, pages: dict[str, str], myst: bool = False) -> Path:
    """``docs/`` with the given pages, and a bank beside it in ``content/``."""
    srcdir = tmp_path / "docs"
    write_project(srcdir, pages, questions=(), myst=myst)
    shutil.copytree(QUESTIONS / "good", tmp_path / "content" / "good")
    return srcdir


@HOSTS
def test_collection_of_a_bank_outside_the_source_directory(build, tmp_path, myst) -> None:
    pages = collection("../content/good/*.md", myst=myst)
    pages["sub/other.rst"] = "Other\n=====\n\n.. quicktakes:: ../../content/good/osmosis.md\n"
    pages["sub/root.rst"] = "Root\n====\n\n.. quicktake:: /../content/good/printf.md\n"
    toctree = "\n\n.. toctree::\n\n   sub/other\n   sub/root\n"
    name = next(iter(pages))
    pages[name] += toctree if not myst else "\n```{toctree}\nsub/other\nsub/root\n```\n"
    result = build(pages, myst=myst, srcdir=outside_project(tmp_path, pages, myst))
    assert result.warning_lines() == []
    assert headings(result) == [BUDGET, GAUSS_HTML, OSMOSIS, PRINTF]
    assert headings(result, "sub/other") == [OSMOSIS]
    assert headings(result, "sub/root") == [PRINTF]


def test_symlinks_out_of_the_patterns_folder_are_left_out_and_said_so(build, tmp_path) -> None:
    pages = {
        "index.rst": "Page\n====\n\n.. toctree::\n\n   all\n\n"
        ".. quicktakes:: ../content/linked/*.md\n\n.. quicktakes:: ../content/none/*.md\n\n"
        ".. quicktakes:: ../content/good/nothing-*.md\n\n"
        ".. quicktake:: ../content/linked/osmosis.md\n",
        "all.rst": "All\n===\n\n.. quicktakes:: ../content/**/*.md\n",
    }
    srcdir = outside_project(tmp_path, pages)
    linked = tmp_path / "content" / "linked"
    linked.mkdir()
    (linked / "osmosis.md").symlink_to(tmp_path / "content" / "good" / "osmosis.md")
    result = build(pages, srcdir=srcdir)
    warnings = result.warning_lines()
    assert len(warnings) == 4, warnings
    linked_warning, none, nothing, single = warnings
    assert "[quicktakes.collection]" in linked_warning
    assert "1 match left out because their real path leaves the folder" in linked_warning
    assert "quicktakes_follow_symlinks" in linked_warning
    assert f"no question files match (no folder {tmp_path / 'content' / 'none'})" in none
    assert "no question files match (no file there matches)" in nothing
    assert "[quicktakes.missing-file]" in single and "real path leaves its folder" in single
    # ../content/**: the link stays inside content/, so the question is there twice
    assert headings(result, "all") == [BUDGET, GAUSS_HTML, OSMOSIS, PRINTF]
    assert "quicktake-900001" in str(result.html("all"))

    followed = build(pages, srcdir=srcdir, confoverrides={"quicktakes_follow_symlinks": True})
    assert len(followed.warning_lines()) == 2  # none/ and nothing-*
    assert headings(followed) == [OSMOSIS, OSMOSIS]
