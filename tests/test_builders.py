"""Every builder a course site uses gets the question, its byline and its answer."""

from __future__ import annotations

import re
import zipfile

import pytest
from bs4 import BeautifulSoup

INDEX = """\
Course
======

.. toctree::

   chapter

.. quicktake:: questions/good/osmosis.md
"""

CHAPTER = """\
Chapter
=======

.. quicktake:: questions/good/maxwell.md

.. quicktake:: questions/good/water.md
"""

PAGES = {"index.rst": INDEX, "chapter.rst": CHAPTER}
HEADING = "How does osmosis move water across a membrane?"


@pytest.mark.parametrize(
    ("buildername", "path"),
    [("dirhtml", "index.html"), ("singlehtml", "index.html"), ("html", "index.html")],
)
def test_html_family(build, buildername: str, path: str) -> None:
    result = build(PAGES, buildername=buildername)
    assert result.warning_lines() == []
    html = BeautifulSoup(result.text(path), "lxml")
    headings = [h.get_text().rstrip("¶") for h in html.select("section.quicktake > h2")]
    assert HEADING in headings
    assert html.head.find("meta", attrs={"name": "description"}) is not None
    if buildername == "singlehtml":  # the chapter is inlined
        assert len(html.select("section.quicktake")) == 3


def test_dirhtml_meta_on_chapter_page(build) -> None:
    result = build(PAGES, buildername="dirhtml")
    html = BeautifulSoup(result.text("chapter/index.html"), "lxml")
    [description] = html.head.find_all("meta", attrs={"name": "description"})
    assert description["content"].startswith("Gauss's law in differential form")
    assert html.head.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    link = html.find("a", string=HEADING)
    assert link is None or link["href"].startswith("../")


def test_epub(build) -> None:
    result = build(PAGES, buildername="epub", conf="copyright = '2025, Test'\nversion = '1'")
    assert result.warning_lines() == []
    [epub] = list(result.outdir.glob("*.epub"))
    with zipfile.ZipFile(epub) as archive:
        xhtml = archive.read("index.xhtml").decode("utf-8")
    page = BeautifulSoup(xhtml, "lxml")
    assert page.select_one("section.quicktake h2").get_text().startswith(HEADING)
    assert "Posted on Feb 04, 2025" in page.get_text()


def test_text(build) -> None:
    result = build(PAGES, buildername="text")
    assert result.warning_lines() == []
    text = result.text("index.txt")
    assert HEADING in text
    assert "Posted on Feb 04, 2025 · QuickTakes · Biology" in text
    assert "1. **Hypotonic** surroundings: water enters the cell." in text
    chapter = result.text("chapter.txt")
    assert "\\nabla \\cdot \\mathbf{E}" in chapter


def latex_source(result) -> str:
    [tex] = list(result.outdir.glob("*.tex"))
    return tex.read_text("utf-8")


def test_latex_sections_preamble_and_mhchem(build) -> None:
    result = build(PAGES, buildername="latex")
    assert result.warning_lines() == []
    tex = latex_source(result)
    # the root page's title is the book title, so its question is a chapter
    assert re.search(r"\\chapter\{How does osmosis move water across a membrane\?", tex)
    assert re.search(r"\\section\{Driving force", tex)
    assert re.search(r"\\section\{What does Gauss’s law say", tex)
    assert re.search(r"\\subsection\{The integral form", tex)
    assert r"\usepackage[version=4]{mhchem}" in tex
    assert r"\DeclareUnicodeCharacter{207A}" in tex
    assert r"\ifdefined\DeclareUnicodeCharacter" in tex


def test_latex_without_chemistry_has_no_mhchem(build) -> None:
    result = build({"index.rst": INDEX}, buildername="latex")
    assert "mhchem" not in latex_source(result)
