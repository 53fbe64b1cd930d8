"""The extension's own nodes: found by class, written by every builder as their bases."""

from __future__ import annotations

from docutils import nodes
from docutils.utils import new_document

from sphinxext_quicktakes import elements
from sphinxext_quicktakes.text import plain_text

PAGES = {
    "index.rst": "Course\n======\n\n.. quicktake:: questions/good/osmosis.md\n\n"
    ".. note::\n\n   .. quicktake:: questions/good/water.md\n\n"
    ".. quicktakes:: questions/good/budget.md\n   :display: list\n",
}


def test_questions_are_own_nodes_that_look_like_their_bases(build) -> None:
    result = build(PAGES)
    assert result.warning_lines() == []
    doctree = result.doctree()
    found = {type(node): node for node in doctree.findall(elements.question)}
    section, box = found[elements.question_section], found[elements.question_box]
    assert isinstance(section, nodes.section) and section.tagname == "section"
    assert isinstance(box, nodes.container) and box.tagname == "container"  # inside a note
    kinds = sorted(node["kind"] for node in doctree.findall(elements.question))
    assert kinds == ["fallback", "full", "full"]  # the list keeps a fallback rendering
    assert [type(n) for n in doctree.findall(elements.entry_list)] == [elements.entry_list]
    assert len(list(doctree.findall(elements.byline))) >= 3  # two questions, one entry
    # a visitor that knows docutils' nodes only still walks the tree
    doctree.walkabout(nodes.SparseNodeVisitor(new_document("visitor")))


def test_answer_of_is_the_answer_alone(build) -> None:
    result = build(PAGES)
    section = next(result.doctree().findall(elements.question_section))
    answer = plain_text(elements.answer_of(section))
    byline = next(section.findall(elements.byline)).astext()
    heading = section[0].astext()
    assert answer and heading not in answer and byline not in answer
    html = result.html().select_one(f"#{section['ids'][0]}")
    assert html is not None and answer.split()[0] in html.get_text()
