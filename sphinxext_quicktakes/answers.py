"""Where answers go: ``quicktakes_answers``, the ``:answers:`` option and ``-t instructor``.

Answers are placed when a page is written (``doctree-resolved``), so one environment serves
every builder and edition, and the page's table of contents, collected while reading, lists
answer headings at the depth they have under their question.

- ``inline``: under the question.
- ``hidden``: HTML builders put the answer in ``<details>`` behind "Show answer"; other
  builders show it (answers never vanish by accident).
- ``end-of-page``: after the page's content (after each document of a LaTeX book), under
  "Answers", numbered, linked both ways.
- ``appendix``: a final "Answers" chapter, numbered through the project, linked both ways:
  where a ``quicktakes-answers`` directive stands; without one, the end of the book for
  builders that write one tree (LaTeX, single HTML), the end of each page for the others.
- ``omit``: a note stands in for the answer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from docutils import nodes
from docutils.utils import new_document
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from . import elements, labels
from .domain import get_domain
from .head import WEB_BUILDERS
from .placement import FALLBACK, Identity, QuestionRecord

#: The tag that builds the instructor edition: every answer inline.
INSTRUCTOR_TAG = "instructor"
#: Builders that write the whole project as one tree (a book, one page).
ONE_TREE = {"latex", "singlehtml", "texinfo", "man"}


def mode_for(app: Sphinx, requested: str = "") -> str:
    """Where an answer goes in this build: ``-t instructor``, else the directive's
    ``:answers:``, else ``quicktakes_answers`` for this builder."""
    if app.tags.has(INSTRUCTOR_TAG):
        return "inline"
    setting = app.config.quicktakes_answers
    if not requested and isinstance(setting, dict):
        builder = app.builder
        requested = setting.get(builder.name) or setting.get(builder.format) or ""
        requested = requested or setting.get("*", "inline")
    mode = requested or setting
    if mode == "hidden" and app.builder.name not in WEB_BUILDERS:
        return "inline"
    return str(mode)


class AnswersDirective(SphinxDirective):
    """``.. quicktakes-answers::``: the "Answers" chapter of ``appendix`` mode."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        get_domain(self.env).answer_pages[self.env.docname] = True
        placeholder = elements.answers_list()
        self.set_source_info(placeholder)
        return [placeholder]


@dataclass(frozen=True)
class Appendix:
    """The appendix of this build: each answer once, numbered in reading order."""

    entries: list[QuestionRecord]  # the first rendering of each question, number = index + 1
    numbers: dict[tuple[str, str], int]  # (docname, anchor) of every rendering -> number

    def first(self, docname: str, anchor: str) -> bool:
        """Whether this rendering is the one whose answer the appendix shows."""
        number = self.numbers.get((docname, anchor))
        entry = self.entries[number - 1] if number else None
        return entry is not None and (entry.docname, entry.anchor) == (docname, anchor)


def appendix(app: Sphinx) -> Appendix:
    """The questions whose answers go to the appendix, in reading order (a list's
    fallback rendering only where it is the question's canonical place); a question
    shown twice has one answer there. Computed once per build."""
    domain = get_domain(app.env)
    return domain.derived(f"appendix {app.builder.name}", lambda: _appendix(app))


def _appendix(app: Sphinx) -> Appendix:
    domain = get_domain(app.env)
    where = domain.where()
    entries: list[QuestionRecord] = []
    numbers: dict[tuple[str, str], int] = {}
    first: dict[Identity, int] = {}
    for record in domain.ordered_placements():
        if record.kind == FALLBACK and where.find(record.key) is not record:
            continue
        if mode_for(app, record.answers) != "appendix":
            continue
        if record.identity not in first:
            entries.append(record)
            first[record.identity] = len(entries)
        numbers[record.docname, record.anchor] = first[record.identity]
    return Appendix(entries, numbers)


def answer_page(app: Sphinx) -> str | None:
    """The document with the ``quicktakes-answers`` directive (the first, in reading
    order), for builders that write one page per document."""
    domain = get_domain(app.env)
    pages = domain.answer_pages
    return next((docname for docname in domain.reading_order() if docname in pages), None)


@dataclass
class Moved:
    """An answer taken from under its question."""

    question: elements.question
    docname: str  # where the question is
    answer: list[nodes.Node]  # empty: the answer is shown at another rendering
    number: int = 0
    scope: str = ""  # what makes the answer's id unique where it goes

    @property
    def anchor(self) -> str:
        return f"quicktakes-answer-{self.scope}{self.number}"


def place_answers(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved`` handler: put each answer of the page where its mode says."""
    domain = get_domain(app.env)
    one_tree = app.builder.name in ONE_TREE
    if not one_tree and docname not in domain.pages and docname not in domain.answer_pages:
        return  # a page with no question and no answers list: no walk of its tree
    found = list(_by_part(doctree, docname))
    if not found:
        return
    questions = [(n, part, d) for n, part, d in found if isinstance(n, elements.question)]
    placeholders = [(n, d) for n, _, d in found if isinstance(n, elements.answers_list)]
    page = None if one_tree else answer_page(app)
    book = appendix(app)
    ends: dict[int, tuple[nodes.Element, str, list[Moved]]] = {}  # end-of-page, by part
    to_appendix: list[Moved] = []
    for question, part, part_docname in questions:
        mode = mode_for(app, question.get("answers", ""))
        answer = elements.answer_of(question)
        if mode == "inline" or not answer:
            continue
        if mode == "hidden":
            _hide(question, answer)
            continue
        if mode == "omit":
            _omit(question, answer)
            continue
        moved = Moved(question, part_docname, _take(question, answer))
        if mode == "appendix" and (one_tree or page is not None):
            anchor = question["ids"][0]
            moved.number = book.numbers.get((part_docname, anchor), 0)
            if not book.first(part_docname, anchor):
                moved.answer = []  # shown with the question's first rendering
            to_appendix.append(moved)
            continue
        end = ends.setdefault(id(part), (part, part_docname, []))[2]
        moved.number, moved.scope = len(end) + 1, f"{nodes.make_id(part_docname)}-"
        end.append(moved)
    for part, part_docname, moved_here in ends.values():
        part += _answers(app, moved_here, part_docname, heading="rubric")
    if one_tree:
        _fill_book(app, doctree, docname, placeholders, sorted(to_appendix, key=_number))
        return
    for moved in to_appendix:  # each links to its answer on the answers page
        _link_to_answer(app, moved, page or docname, moved.anchor)
    for placeholder, _ in placeholders:
        if docname == page:
            placeholder.replace_self(_answers_page(app, docname, book))
        else:
            placeholder.parent.remove(placeholder)


def _number(moved: Moved) -> int:
    return moved.number


def _by_part(
    node: nodes.Element, docname: str, part: nodes.Element | None = None
) -> Iterator[tuple[nodes.Element, nodes.Element, str]]:
    """Each question and ``quicktakes-answers`` placeholder with the end of its page: its
    document, or its part of a book (a ``start_of_file``; walked from the top, since
    Sphinx does not re-parent the nodes it moves into a book)."""
    part = node if part is None else part
    for child in node.children:
        if isinstance(child, addnodes.start_of_file):
            yield from _by_part(child, child["docname"], child)
        elif isinstance(child, elements.question | elements.answers_list):
            yield child, part, docname
        elif isinstance(child, nodes.Element):
            yield from _by_part(child, docname, part)


def _hide(question: elements.question, answer: list[nodes.Node]) -> None:
    """The answer behind ``<details><summary>Show answer</summary>``."""
    details = elements.answer_details()
    details += elements.answer_summary("", labels.show_answer())
    question.insert(question.index(answer[0]), details)
    details.extend(_take(question, answer))


def _omit(question: elements.question, answer: list[nodes.Node]) -> None:
    note = nodes.paragraph("", labels.omitted(), classes=["quicktake-omitted"])
    question.insert(question.index(answer[0]), note)
    _take(question, answer)


def _take(question: elements.question, answer: list[nodes.Node]) -> list[nodes.Node]:
    for child in answer:
        question.remove(child)
    return answer


def _link_to_answer(app: Sphinx, moved: Moved, target_docname: str, target_id: str) -> None:
    """ "Answer N" under the question, where its answer was."""
    link = make_refnode(
        app.builder, moved.docname, target_docname, target_id,
        nodes.inline("", labels.answer_number(moved.number)),
    )  # fmt: skip
    paragraph = nodes.paragraph("", "", link, classes=["quicktake-answer-link"])
    position = len(moved.question.children)
    for index, child in enumerate(moved.question.children):
        if isinstance(child, elements.related_title):
            position = index
            break
    moved.question.insert(position, paragraph)


def _entry(app: Sphinx, moved: Moved, entry_docname: str) -> nodes.container:
    """One answer with its number, the question's heading, and a link back."""
    entry = nodes.container(classes=["quicktake-answer-entry"])
    entry += nodes.target("", "", ids=[moved.anchor])  # LaTeX labels targets, not containers
    heading = moved.question[0].astext()
    back = make_refnode(
        app.builder, entry_docname, moved.docname, moved.question["ids"][0],
        nodes.inline("", labels.question_number(moved.number)),
    )  # fmt: skip
    title = f"{moved.number}. {heading}"
    entry += nodes.rubric(title, title)  # LaTeX writes no links in headings (Sphinx 8)
    entry += nodes.paragraph("", "", back, classes=["quicktake-back-link"])
    entry.extend(moved.answer)
    return entry


def _answers(app: Sphinx, moved: list[Moved], docname: str, *, heading: str) -> list[nodes.Node]:
    """The answers, under a ``heading``: a "rubric" (end of page), a "chapter" (a book's
    appendix) or "" (where the page's author placed them); each question gets its link
    to its answer."""
    for each in moved:
        _link_to_answer(app, each, docname, each.anchor)
    entries: list[nodes.Node] = [_entry(app, each, docname) for each in moved if each.answer]
    if not entries:
        return []
    title = labels.answers()
    if not heading:
        return entries
    if heading == "rubric":
        return [nodes.rubric(title, title, classes=["quicktake-answers"]), *entries]
    section = nodes.section(ids=["quicktakes-answers"], classes=["quicktake-answers"])
    section += nodes.title(title, title)
    section.extend(entries)
    return [section]


def _fill_book(
    app: Sphinx,
    doctree: nodes.document,
    docname: str,
    placeholders: Sequence[tuple[nodes.Element, str]],
    moved: list[Moved],
) -> None:
    """A book: the answers where the first ``quicktakes-answers`` stands, else a final
    chapter (an appendix of a LaTeX book)."""
    if placeholders:
        (first, host), *others = placeholders
        first.replace_self(_answers(app, moved, host, heading=""))
        for other, _ in others:
            other.parent.remove(other)
        return
    sections = [child for child in doctree.children if isinstance(child, nodes.section)]
    parent: nodes.Element = sections[-1] if sections else doctree
    chapter = _answers(app, moved, docname, heading="chapter")
    if chapter and app.builder.format == "latex":
        parent += nodes.raw("", "\\appendix\n", format="latex")
    parent += chapter


def _answers_page(app: Sphinx, docname: str, book: Appendix) -> list[nodes.Node]:
    """The answers of the whole project, copied from the pages that show the questions,
    for the page with the ``quicktakes-answers`` directive."""
    env = app.env
    moved: list[Moved] = []
    trees: dict[str, nodes.document] = {}
    for number, record in enumerate(book.entries, 1):
        if record.docname not in trees:
            trees[record.docname] = env.get_doctree(record.docname)
        question = trees[record.docname].ids.get(record.anchor)
        if not isinstance(question, elements.question):
            continue
        answer = [node.deepcopy() for node in elements.answer_of(question)]
        shell = question.copy()  # its heading and ids, for the links; not its answer again
        shell += question[0].deepcopy()
        each = Moved(shell, record.docname, answer, number)
        _prefix_ids(answer, each.anchor)
        moved.append(each)
    holder = nodes.container()
    holder.extend(_answers(app, moved, docname, heading=""))
    env.resolve_references(_as_document(holder, docname), docname, app.builder)
    return list(holder.children)


def _prefix_ids(tree: list[nodes.Node], prefix: str) -> None:
    """Ids unique on the answers page, which gathers answers of many pages."""
    renamed: dict[str, str] = {}
    inside = [
        n for top in tree if isinstance(top, nodes.Element) for n in top.findall(nodes.Element)
    ]
    for node in inside:
        node["ids"] = [renamed.setdefault(i, f"{prefix}-{i}") for i in node["ids"]]
    for node in inside:
        for attribute in ("refid", "backrefs"):
            value = node.get(attribute)
            if isinstance(value, str) and value in renamed:
                node[attribute] = renamed[value]
            elif isinstance(value, list):
                node[attribute] = [renamed.get(v, v) for v in value]


def _as_document(holder: nodes.Element, docname: str) -> nodes.document:
    document = new_document(docname)
    document.append(holder)
    return document


def setup_answers(app: Sphinx) -> None:
    """Register the directive and the handler that places answers."""
    app.add_directive("quicktakes-answers", AnswersDirective)
    app.connect("doctree-resolved", place_answers)
