"""The extension's own doctree nodes.

Each is a subclass of the docutils node it looks like, so every builder (HTML, LaTeX, EPUB,
text, man pages, third-party ones) writes it as it writes the base node: Sphinx's
translators look visitors up along the class's MRO. Each keeps its base's ``tagname``, which
code that tests ``node.tagname`` (the standard domain's section labels, XML output) sees.
The extension finds its own nodes by class, never by a CSS class or a hidden attribute.
"""

# ruff: noqa: N801  (docutils node classes are lower case, like Sphinx's own)
from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx


class question(nodes.Element):
    """A rendered question: heading, question text, byline, answer, related list.

    Attributes: ``kind`` (see :mod:`.placement`) and ``key`` (the id, else the slug)."""


class question_section(question, nodes.section):
    """A question where sections are allowed: its heading is a section title."""

    tagname = "section"


class question_box(question, nodes.container):
    """A question where sections are not allowed (and a list's fallback rendering): its
    heading is a rubric."""

    tagname = "container"


class question_text(nodes.container):
    """The question's own text, when it says more than the heading."""

    tagname = "container"


class byline(nodes.paragraph):
    """Date, author and subject."""

    tagname = "paragraph"


class related_title(nodes.rubric):
    """The heading of the related questions."""

    tagname = "rubric"


class related_list(nodes.bullet_list):
    """Links to the question's related questions."""

    tagname = "bullet_list"


class entry_list(nodes.bullet_list):
    """A collection's list entries (``:display: list`` and cross-listed copies)."""

    tagname = "bullet_list"


class pending_summary(nodes.paragraph):
    """A list entry's summary of a question that has a page of its own: filled from the
    page when the list is written (the answer is rendered once, on its page)."""

    tagname = "paragraph"


class answer_details(nodes.Element):
    """A hidden answer (HTML only): ``<details class="quicktake-answer">``."""


class answer_summary(nodes.TextElement):
    """What opens a hidden answer: ``<summary>Show answer</summary>``."""


class answers_list(nodes.General, nodes.Element):
    """Where the ``quicktakes-answers`` directive puts the answers (see :mod:`.answers`)."""


def visit_answer_details(translator: Any, node: answer_details) -> None:
    translator.body.append(translator.starttag(node, "details", CLASS="quicktake-answer"))


def depart_answer_details(translator: Any, node: answer_details) -> None:
    translator.body.append("</details>\n")


def visit_answer_summary(translator: Any, node: answer_summary) -> None:
    translator.body.append(translator.starttag(node, "summary", "", CLASS="quicktake-show"))


def depart_answer_summary(translator: Any, node: answer_summary) -> None:
    translator.body.append("</summary>\n")


ELEMENTS = (question, question_section, question_box, question_text, byline, related_title,
            related_list, entry_list, answers_list, pending_summary)  # fmt: skip
NOT_ANSWER = (addnodes.index, question_text, byline, related_title, related_list)


def answer_of(node: question) -> list[nodes.Node]:
    """The nodes of a rendered question that show its answer: all but the heading, the
    index entries, the question text, the byline and the related questions."""
    answer: list[nodes.Node] = []
    for child in node.children[1:]:
        if isinstance(child, answer_details):
            answer += [c for c in child.children if not isinstance(c, answer_summary)]
        elif not isinstance(child, NOT_ANSWER):
            answer.append(child)
    return answer


def setup_elements(app: Sphinx) -> None:
    """Register the nodes with docutils (visitors come from their base classes).

    ``override``: every Sphinx application in one process registers them again."""
    for element in ELEMENTS:
        app.add_node(element, override=True)
    html = (visit_answer_details, depart_answer_details)
    app.add_node(answer_details, override=True, html=html)
    app.add_node(answer_summary, override=True, html=(visit_answer_summary, depart_answer_summary))
