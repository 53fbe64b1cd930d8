"""The ``quicktake`` directive: one question file rendered where the directive sits, and
:func:`question_nodes`, which every way of showing a question in full goes through."""

from __future__ import annotations

import contextlib
import os
from dataclasses import replace
from typing import Any, ClassVar, NamedTuple

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.utils import new_document
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from . import elements, labels
from .compat import host_renderer
from .config import ANSWER_MODES
from .details import Details, note_details
from .domain import get_domain
from .errors import QuickTakesError, Subtype
from .export import keep_answer
from .globs import find
from .index import index_node
from .markdown import prepare_answer, uses_mhchem
from .model import Question, folder_subject, load_question
from .pages import is_question_page
from .placement import FALLBACK, FULL, PAGE, QuestionRecord
from .policy import Policy
from .render import AnswerSource, render_answer
from .selection import resolve_pattern
from .text import description, plain_text, summary, summary_parts
from .warnings import reading, silenced, warn, warn_error

BYLINE_SEPARATOR = " · "


def answers_option(value: str | None) -> str:
    """``:answers:``: where this directive's answers go (see ``quicktakes_answers``)."""
    return directives.choice(value or "", ANSWER_MODES)


#: Question files loaded while reading, by path, file state and settings: a file that
#: several pages show (its page, a list, a quicktake) is read and parsed once per build.
_loaded: dict[tuple[Any, ...], Question | QuickTakesError] = {}


def forget_loaded(*args: Any) -> None:
    """``env-updated``: the cache lives for one reading."""
    _loaded.clear()


def prepare_loading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: a fresh cache. With ``-j N``, the question pages to read
    are loaded now, before Sphinx forks its reading processes, so that the page and a list
    read in two processes share one parse of the file."""
    _loaded.clear()
    if app.parallel <= 1:
        return
    for docname in docnames:
        if is_question_page(env, docname):
            with contextlib.suppress(QuickTakesError):  # reported by the page
                load_once(str(env.doc2path(docname)), env.config, str(env.srcdir))


def load_once(path: str, config: Any, srcdir: str) -> Question:
    """:func:`load_question`, once per file (and file state) while the build reads; a
    question without a subject below ``quicktakes_subject_folders`` takes its folder's."""
    unescape, limit = config.quicktakes_unescape_newlines, config.quicktakes_max_file_size
    folders = config.quicktakes_subject_folders
    try:
        stat = os.stat(path)
        state: tuple[Any, ...] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    except OSError:
        state = ()
    key = (path, state, unescape, limit, folders)
    if key not in _loaded:
        try:
            question = load_question(path, unescape=unescape, max_file_size=limit)
            if folders and not question.subject:
                root = os.path.join(srcdir, folders)
                question = replace(question, subject=folder_subject(path, root))
            _loaded[key] = question
        except QuickTakesError as error:
            _loaded[key] = error
    loaded = _loaded[key]
    if isinstance(loaded, QuickTakesError):
        raise loaded
    return loaded


def load_for_directive(directive: SphinxDirective, path: str) -> Question | None:
    """Load a question file for a directive, recording the dependency; warn on failure."""
    env = directive.env
    if os.path.normpath(path) != os.path.normpath(env.doc2path(env.docname)):
        env.note_dependency(path)  # (a question page's own file is its source already)
    try:
        question = load_once(path, directive.config, str(directive.env.srcdir))
    except QuickTakesError as error:
        missing = error.subtype is Subtype.MISSING_FILE
        warn_error(error, path, location=directive.get_location() if missing else None)
        return None
    for problem in question.problems:
        warn_error(problem, path)
    return question


def answer_policy(config: Any) -> Policy:
    """The answer allowlists of this project: the defaults plus what it added."""
    return Policy.widened(config.quicktakes_answer_directives, config.quicktakes_answer_roles)


def sections_allowed(directive: SphinxDirective) -> bool:
    """Whether the directive's output may contain sections where it sits."""
    renderer = host_renderer(directive.state)
    parent = directive.state.parent if renderer is None else renderer.current_node
    return isinstance(parent, nodes.section | nodes.document)


def _next_position(directive: SphinxDirective) -> int:
    """The question's position in its document: how many it already shows."""
    page = get_domain(directive.env).pages.get(directive.env.docname)
    return len(page.questions) if page else 0


def unique_anchor(document: nodes.document, label: str) -> str:
    """An HTML id for ``label`` not yet used in the document (``-2``, ``-3``... appended)."""
    base = nodes.make_id(label) or "quicktake"
    anchor, n = base, 1
    while anchor in document.ids:
        n += 1
        anchor = f"{base}-{n}"
    return anchor


def _byline(question: Question, language: str | None) -> elements.byline | None:
    parts = question.byline(language)
    if not parts:
        return None
    paragraph = elements.byline(classes=["quicktake-byline"])
    classes = ["quicktake-date", "quicktake-author", "quicktake-subject"]
    if not question.formatted_date(language):
        classes.pop(0)
    if not question.author:
        classes.remove("quicktake-author")
    for index, (part, cls) in enumerate(zip(parts, classes, strict=False)):
        if index:
            paragraph += nodes.Text(BYLINE_SEPARATOR)
        paragraph += nodes.inline(part, part, classes=[cls])
    return paragraph


def _related(question: Question) -> list[nodes.Element]:
    """A 'Related questions' list: links resolved later (see ``QuickTakesDomain``)."""
    items = elements.related_list(classes=["quicktake-related"])
    for article in question.related:
        xref = addnodes.pending_xref(
            "",
            nodes.inline(article.title, article.title),
            refdomain="quicktakes",
            reftype="related",
            reftarget=str(article.id) if article.id is not None else article.title,
            refexplicit=True,
            refwarn=False,
            quicktakes_url=article.url,
        )
        items += nodes.list_item("", nodes.paragraph("", "", xref))
    title = elements.related_title(
        labels.related_questions(), labels.related_questions(), classes=["quicktake-related"]
    )
    return [title, items]


class Shown(NamedTuple):
    """A rendered question and the nodes of its answer (within it)."""

    node: elements.question
    answer: list[nodes.Node]


def question_nodes(
    directive: SphinxDirective,
    question: Question,
    *,
    classes: list[str] | None = None,
    meta: bool = True,
    kind: str = FULL,
    bank: str | None = None,
) -> Shown:
    """One question: a section (or a box with a rubric where sections are not allowed,
    and for a list's fallback rendering) with heading, question text, byline, answer,
    body and related questions; recorded in the domain."""
    env, config = directive.env, directive.config
    document = directive.state.document
    allow_sections = kind != FALLBACK and sections_allowed(directive)
    position = _next_position(directive)
    anchor = unique_anchor(document, question.label)

    container: elements.question_section | elements.question_box
    title: nodes.Element
    if allow_sections:
        container = elements.question_section(ids=[anchor])
        title = nodes.title(question.heading, question.heading)
    else:
        container = elements.question_box(ids=[anchor])
        title = nodes.rubric(question.heading, question.heading)
    document.ids[anchor] = container
    container["kind"], container["key"] = kind, question.identity.key
    container["answers"] = directive.options.get("answers", "")  # see answers.place_answers
    container["classes"] += ["quicktake", *(classes or [])]
    if kind == FALLBACK:
        container["classes"].append("quicktake-fallback")
    directive.set_source_info(container)
    container.append(title)
    named = title if isinstance(title, nodes.rubric) else container
    directive.add_name(named)
    if config.quicktakes_index and kind != FALLBACK:
        container.append(index_node(question, anchor, kind))

    source = answer_source(
        config, question, uid=f"qt{position}", bank=bank or "", register_labels=kind != FALLBACK
    )
    if question.shows_question_text:
        text_box = elements.question_text(classes=["quicktake-question"])
        question_source = replace(source, line=question.lines.get("question"), warned=set())
        render_answer(
            prepare_answer(question.question, unescape=False),
            document=document,
            parent=text_box,
            source=question_source,
            allow_sections=False,
        )
        container.append(text_box)
    byline = _byline(question, config.language)
    if byline is not None:
        container.append(byline)
    markdown = answer_markdown(question)
    render_answer(
        prepare_answer(markdown, unescape=False),
        document=document,
        parent=container,
        source=source,
        allow_sections=allow_sections,
    )
    answer = elements.answer_of(container)
    if config.quicktakes_related and question.related:
        container.extend(_related(question))

    domain = get_domain(env)
    domain.add_question(
        QuestionRecord(
            docname=env.docname,
            anchor=anchor,
            position=position,
            kind=kind,
            id="" if question.id is None else str(question.id),
            slug=question.slug,
            label=question.label,
            heading=question.heading,
            question=question.question,
            subject=question.subject,
            date=question.date.isoformat() if question.date else "",
            author=question.author,
            digest=question.answer_digest,
            path=question.path,
            meta=meta and config.quicktakes_meta,
            answers=container["answers"],
            no_index=question.no_index,
        )
    )
    details = Details(
        keywords=question.keywords,
        description=question.description,
        seo_title=question.seo_title,
        # only a page without seo.page_description needs one
        auto_description="" if question.description else description(answer),
        summary=summary_parts(summary(answer)),
    )
    note_details(env, anchor, details)
    keep_answer(env, anchor, markdown, plain_text(answer))  # for quicktakes.json
    page = domain.page(env.docname)
    page.mhchem = page.mhchem or uses_mhchem(markdown)
    page.noindex = page.noindex or question.no_index
    return Shown(container, answer)


def answer_source(
    config: Any, question: Question, *, uid: str, bank: str, register_labels: bool
) -> AnswerSource:
    """Where a question's answer comes from (for warnings, paths and labels), rendered
    under the project's answer policy."""
    return AnswerSource(
        path=question.path,
        line=question.lines.get("answer"),
        uid=uid,
        raw_html=config.quicktakes_raw_html,
        bank=bank,
        label_prefix=question.label,
        policy=answer_policy(config),
        register_labels=register_labels,
    )


def answer_markdown(question: Question) -> str:
    """What is rendered as the answer: the ``answer``, then the file's body if any."""
    return question.answer + (f"\n\n{question.body}" if question.body else "")


def first_sentence(directive: SphinxDirective, question: Question, bank: str) -> list[nodes.Node]:
    """The answer's first sentence, for a list entry whose question is shown in another
    project (``quicktakes_pages_elsewhere``): the answer rendered as on its page, under the
    same policy, into a scratch document (nothing reaches this one: no label, footnote or
    record) and without warnings (the project that shows it reports them)."""
    document = directive.state.document
    scratch = new_document(document["source"], document.settings)
    container = nodes.container()
    source = answer_source(directive.config, question, uid="qt0", bank=bank, register_labels=False)
    with silenced():
        markdown = prepare_answer(answer_markdown(question), unescape=False)
        render_answer(markdown, document=scratch, parent=container, source=source,
                      allow_sections=True)  # fmt: skip
    return summary(container.children)


class QuickTakeDirective(SphinxDirective):
    """Render one question file: ``.. quicktake:: path/to/question.md``."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "name": directives.unchanged,
        "class": directives.class_option,
        "no-meta": directives.flag,
        "answers": answers_option,
    }

    kind = FULL

    def run(self) -> list[nodes.Node]:
        with reading(self.env):
            return self.show()

    def show(self) -> list[nodes.Node]:
        """The question, or nothing (with a warning)."""
        path = self.question_path()
        if path is None:
            return []
        question = load_for_directive(self, path)
        if question is None:
            return []
        shown = question_nodes(
            self,
            question,
            classes=self.options.get("class"),
            meta="no-meta" not in self.options,
            kind=self.kind,
        )
        return [shown.node]

    def question_path(self) -> str | None:
        """The file the argument names, as written: relative to the document, or to the
        source directory with a leading ``/`` (see :mod:`.globs` for the symlink rule)."""
        docdir = os.path.dirname(self.env.doc2path(self.env.docname))
        path = resolve_pattern(self.arguments[0], str(self.env.srcdir), docdir)
        found = find([path], self.config.quicktakes_follow_symlinks)
        if found.left_out:
            self.env.note_dependency(path)
            warn(
                f"{path}: left out: its real path leaves its folder (a symlink; set "
                "quicktakes_follow_symlinks = True to follow symlinks)",
                Subtype.MISSING_FILE,
                location=self.get_location(),
            )
            return None
        return path


class QuestionPageDirective(QuickTakeDirective):
    """What a question file listed in ``quicktakes_pages`` is read as (see ``pages``)."""

    kind = PAGE

    def show(self) -> list[nodes.Node]:
        """The question, on a page that needs no toctree: list collections lead to it and
        give it its breadcrumbs and previous/next links (see :mod:`.navigation`)."""
        self.env.metadata[self.env.docname]["orphan"] = True
        return super().show()

    def question_path(self) -> str | None:
        """The page's own file (which may live outside the source directory)."""
        return str(self.env.doc2path(self.env.docname))


def setup_directives(app: Any) -> None:
    """Register the directives."""
    app.add_directive("quicktake", QuickTakeDirective)
    app.add_directive("quicktakes-page", QuestionPageDirective)
    app.connect("env-before-read-docs", prepare_loading)
    app.connect("env-updated", forget_loaded)
