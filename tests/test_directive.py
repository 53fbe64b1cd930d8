"""The ``quicktake`` directive in rST and MyST hosts, HTML output."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Tag
from docutils import nodes

from .conftest import math_texts

RST_INDEX = """\
Course
======

Intro.

.. quicktake:: questions/good/osmosis.md
   :name: osmosis-label
   :class: featured

After the question, still in the host section.

Host section
------------

See :ref:`osmosis-label` and :ref:`quicktake-900001` and :ref:`custom <quicktake-900001>`.
"""

MYST_INDEX = """\
# Course

Intro.

```{quicktake} questions/good/osmosis.md
:name: osmosis-label
:class: featured
```

After the question, still in the host section.

## Host section

See {ref}`osmosis-label` and {ref}`quicktake-900001` and {ref}`custom <quicktake-900001>`.
"""

HOSTS = pytest.mark.parametrize(
    ("myst", "pages"),
    [(False, {"index.rst": RST_INDEX}), (True, {"index.md": MYST_INDEX})],
    ids=["rst", "myst"],
)


def section_tree(element: Tag) -> list[tuple[int, str]]:
    """(depth, heading text) of every section, depth-first."""
    out: list[tuple[int, str]] = []

    def walk(node: Tag, depth: int) -> None:
        for section in node.find_all("section", recursive=False):
            heading = section.find(["h1", "h2", "h3", "h4", "h5", "h6"])
            out.append((depth, heading.get_text().rstrip("¶").strip()))
            walk(section, depth + 1)

    walk(element, 0)
    return out


@HOSTS
def test_question_is_a_section_with_nested_answer_sections(build, myst, pages) -> None:
    result = build(pages, myst=myst)
    assert result.warning_lines() == []
    body = result.html().select_one("div.body")
    assert section_tree(body) == [
        (0, "Course"),
        (1, "How does osmosis move water across a membrane?"),
        (2, "Driving force"),
        (3, "A table"),
        (1, "Host section"),
    ]
    question = body.select_one("section.quicktake")
    assert question["id"] == "quicktake-900001"
    assert "featured" in question["class"]
    assert question.find("h2") is not None
    # host text after the directive stays in the host section, not in the answer
    after = body.find(string=lambda s: "After the question" in s)
    assert after.find_parent("section")["id"] == "course"


@HOSTS
def test_byline_answer_markdown_and_footnotes(build, myst, pages) -> None:
    html = build(pages, myst=myst).html()
    section = html.select_one("section.quicktake")
    byline = section.select_one("p.quicktake-byline")
    assert [s.get_text() for s in byline.find_all("span")] == [
        "Posted on Feb 04, 2025",
        "QuickTakes",
        "Biology",
    ]
    assert [li.get_text(" ", strip=True) for li in section.select("ol > li")] == [
        "Hypotonic surroundings: water enters the cell.",
        "Hypertonic surroundings: water leaves.",
    ]
    assert [th.get_text(strip=True) for th in section.select("table th")] == [
        "Solution",
        "Effect",
    ]
    maths = math_texts(section)
    assert r"\(\nabla \cdot \mathbf{v} \neq 0\)" in maths
    assert r"\[\Pi = i M R T\]" in maths
    ref = section.select_one("a.footnote-reference")
    # MyST hosts move footnotes to the end of the page, rST hosts keep them in place
    footnote = html.select_one(f"aside.footnote#{ref['href'][1:]}")
    assert "semipermeable" in footnote.get_text()


@HOSTS
def test_labels_resolve_with_the_question_heading(build, myst, pages) -> None:
    html = build(pages, myst=myst).html()
    links = html.select("#host-section a.reference.internal")
    assert [(a["href"], a.get_text()) for a in links] == [
        ("#quicktake-900001", "How does osmosis move water across a membrane?"),
        ("#quicktake-900001", "How does osmosis move water across a membrane?"),
        ("#quicktake-900001", "custom"),
    ]


@HOSTS
def test_page_toc_lists_answer_headings(build, myst, pages) -> None:
    html = build(pages, myst=myst, conf="html_theme = 'basic'").html()
    toc = [a.get_text() for a in html.select("div.sphinxsidebar a.reference.internal")]
    assert "Driving force" in toc
    assert "How does osmosis move water across a membrane?" in toc


def meta(html: BeautifulSoup, name: str) -> list[str]:
    return [m["content"] for m in html.head.find_all("meta", attrs={"name": name})]


@HOSTS
def test_meta_description_and_keywords(build, myst, pages) -> None:
    html = build(pages, myst=myst).html()
    assert meta(html, "description") == [
        "Osmosis moves water from low to high solute concentration through a "
        "selectively permeable membrane."
    ]
    assert meta(html, "keywords") == ["osmosis, water potential, membrane, tonicity"]
    assert meta(html, "robots") == []


def test_meta_escaping_merging_and_robots(build) -> None:
    index = """\
Page
====

.. quicktake:: questions/good/budget.md

.. quicktake:: questions/good/water.md

.. quicktake:: questions/good/osmosis.md
"""
    result = build({"index.rst": index})
    html = result.html()
    assert meta(html, "description") == [
        "Pricing a renovation means adding materials, labour & overhead, then a margin — "
        '"cost plus" in practice.'
    ]
    [keywords] = meta(html, "keywords")
    assert keywords.split(", ") == [
        "pricing",
        "cost plus",
        "<b>margin</b>",
        "renovation",
        "sodium",
        "water",
        "hydrogen",
        "alkali metals",
        "osmosis",
        "water potential",
        "membrane",
        "tonicity",
    ]
    assert meta(html, "robots") == ["noindex"]
    raw = result.text("index.html")
    assert "<b>margin</b>" not in raw and "&lt;b&gt;margin&lt;/b&gt;" in raw


def test_no_meta_option_and_config(build) -> None:
    index = "Page\n====\n\n.. quicktake:: questions/good/osmosis.md\n   :no-meta:\n"
    html = build({"index.rst": index}).html()
    assert meta(html, "description") == meta(html, "keywords") == []


def test_meta_config_off(build) -> None:
    index = "Page\n====\n\n.. quicktake:: questions/good/osmosis.md\n"
    html = build({"index.rst": index}, conf="quicktakes_meta = False").html()
    assert meta(html, "description") == []


def test_project_meta_directive_wins_once(build) -> None:
    index = """\
.. meta::
   :description: Written by the author of the page.

Page
====

.. quicktake:: questions/good/osmosis.md
"""
    html = build({"index.rst": index}).html()
    assert meta(html, "description") == ["Written by the author of the page."]
    assert len(meta(html, "keywords")) == 1


@HOSTS
def test_degrades_to_rubrics_where_sections_are_not_allowed(build, myst, pages) -> None:
    if myst:
        page = "# Page\n\n:::{note}\n```{quicktake} questions/good/osmosis.md\n```\n:::\n"
        pages = {"index.md": page}
        conf = "myst_enable_extensions = ['colon_fence']"
    else:
        page = "Page\n====\n\n.. note::\n\n   .. quicktake:: questions/good/osmosis.md\n"
        pages = {"index.rst": page}
        conf = ""
    result = build(pages, myst=myst, conf=conf)
    assert result.warning_lines() == []
    note = result.html().select_one("div.admonition.note")
    box = note.select_one("div.quicktake")
    assert box["id"] == "quicktake-900001"
    assert [r.get_text() for r in box.select("p.rubric")] == [
        "How does osmosis move water across a membrane?",
        "Driving force",
        "A table",
    ]
    assert note.find("section") is None


def test_question_text_shown_only_when_it_differs(build) -> None:
    index = """\
Page
====

.. quicktake:: questions/good/printf.md

.. quicktake:: questions/good/osmosis.md
"""
    html = build({"index.rst": index}).html()
    shown = html.select("div.quicktake-question")
    assert [s.get_text(strip=True) for s in shown] == ["In C, how do I end a line of output?"]


def test_two_answers_on_one_page_with_the_same_footnote_label(build) -> None:
    index = """\
Page
====

.. quicktake:: questions/good/osmosis.md

.. quicktake:: questions/dupes/osmosis-crosslisted.md
"""
    result = build({"index.rst": index}, questions=("good", "dupes"))
    assert result.warning_lines() == []
    html = result.html()
    refs = html.select("a.footnote-reference")
    assert len(refs) == 2
    targets = [ref["href"] for ref in refs]
    assert len(set(targets)) == 2
    for target in targets:
        assert html.select_one(f"aside{target}") is not None
    ids = [s["id"] for s in html.select("section.quicktake")]
    assert ids == ["quicktake-900001", "quicktake-900001-2"]


def test_doctree_structure(build) -> None:
    result = build({"index.rst": RST_INDEX})
    doctree = result.doctree()
    question = next(s for s in doctree.findall(nodes.section) if "quicktake" in s["classes"])
    subsections = [s for s in question.findall(nodes.section) if s is not question]
    assert [s[0].astext() for s in subsections] == ["Driving force", "A table"]
    assert len(list(question.findall(nodes.math_block))) == 1
    assert len(list(question.findall(nodes.table))) == 1


def test_month_names_follow_the_project_language(build) -> None:
    index = "Page\n====\n\n.. quicktake:: questions/good/budget.md\n"
    html = build({"index.rst": index}, conf="language = 'fr'").html()
    assert html.select_one(".quicktake-date").get_text() == "Answered on 30 of juin, 2025"


def test_raw_html_passes_when_the_project_opts_in(build, tmp_path) -> None:
    question = tmp_path / "src" / "questions" / "html.md"
    question.parent.mkdir(parents=True)
    question.write_text(
        "---\nid: 1\nquestion: Q?\nanswer: >-\n    Water is H<sub>2</sub>O.\n---\n",
        encoding="utf-8",
    )
    index = {"index.rst": "Page\n====\n\n.. quicktake:: questions/html.md\n"}
    html = build(index, conf="quicktakes_raw_html = True").html()
    assert html.select_one("section.quicktake sub").get_text() == "2"
