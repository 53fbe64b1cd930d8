"""The ``quicktakes`` directive: a whole folder of question files as a collection."""

from __future__ import annotations

import os
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from . import elements, labels
from .directives import (
    BYLINE_SEPARATOR,
    answers_option,
    first_sentence,
    load_for_directive,
    question_nodes,
    sections_allowed,
    unique_anchor,
)
from .domain import Collection, get_domain
from .errors import Subtype
from .globs import Found, fixed_folder
from .model import Question
from .pages import has_page_elsewhere, is_question_page
from .placement import FALLBACK, FULL, Identity, distinct
from .selection import (
    SORT_KEYS,
    Selection,
    group_by_subject,
    resolve_pattern,
    select,
    split_list,
)
from .text import summary, summary_from_parts
from .warnings import reading, warn


def _sort(value: str | None) -> str:
    return directives.choice(value or "file", SORT_KEYS)


def _display(value: str | None) -> str:
    return directives.choice(value or "full", ("full", "list"))


def _group_by(value: str | None) -> str:
    return directives.choice(value or "subject", ("subject",))


class QuickTakesDirective(SphinxDirective):
    """Render the question files matching glob patterns: ``.. quicktakes:: questions/*.md``.
    Patterns may also be written one per line in the directive's content (file names with
    spaces, long lists of files)."""

    required_arguments = 0
    optional_arguments = 100
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "subject": directives.unchanged,
        "keyword": directives.unchanged,
        "sort": _sort,
        "limit": directives.positive_int,
        "group-by": _group_by,
        "display": _display,
        "include-noindex": directives.flag,
        "class": directives.class_option,
        "no-meta": directives.flag,
        "answers": answers_option,
    }

    def run(self) -> list[nodes.Node]:
        with reading(self.env):
            if not self.written_patterns():
                warn(
                    "quicktakes: no pattern: name question files as arguments or one per "
                    "line in the content",
                    Subtype.COLLECTION,
                    location=self.get_location(),
                )
                return []
            return self.show()

    def written_patterns(self) -> list[str]:
        """The patterns as written: the arguments, then the content's non-blank lines."""
        return [*self.arguments, *(line.strip() for line in self.content if line.strip())]

    def show(self) -> list[nodes.Node]:
        """The matching questions, filtered, sorted and grouped; or a warning."""
        srcdir = str(self.env.srcdir)
        docdir = os.path.dirname(self.env.doc2path(self.env.docname))
        patterns = tuple(resolve_pattern(p, srcdir, docdir) for p in self.written_patterns())
        follow = self.config.quicktakes_follow_symlinks
        collection, found = Collection.of(patterns, follow)
        get_domain(self.env).add_collection(self.env.docname, collection)
        loaded = [q for q in (load_for_directive(self, path) for path in found.files) if q]
        selection = Selection(
            patterns=patterns,
            subjects=split_list(self.options.get("subject")),
            keywords=split_list(self.options.get("keyword")),
            sort=self.options.get("sort", "file"),
            limit=self.options.get("limit"),
            include_noindex="include-noindex" in self.options,
        )
        chosen = select(loaded, selection)
        if not chosen:
            warn(
                f"quicktakes {' '.join(self.written_patterns())}: "
                f"{_why_empty(patterns, found, loaded)}",
                Subtype.COLLECTION,
                location=self.get_location(),
            )
            return []

        self._patterns = patterns
        self._shown: dict[Identity, Question] = {}  # across groups: cross-listed copies link
        self._summaries: dict[str, list[nodes.Node]] = {}  # question file -> first sentence
        self._classes = ["quicktakes", *self.options.get("class", [])]
        out: list[nodes.Node] = []
        if "group-by" in self.options:
            groups = group_by_subject(chosen)  # questions without a subject go last
            groups.sort(key=lambda group: group[0] == "")
            for subject, questions in groups:
                out.extend(self._group(subject or labels.other_subject(), questions))
        else:
            out.extend(self._questions(distinct(chosen)))
        if sections_allowed(self):  # sections cannot live in a container
            return out
        box = nodes.container(classes=self._classes)
        self.set_source_info(box)
        box.extend(out)
        return [box]

    def _group(self, subject: str, questions: list[Question]) -> list[nodes.Node]:
        """One subject: a sub-section (a rubric where sections are not allowed)."""
        body = self._questions(questions)
        if not sections_allowed(self):
            return [nodes.rubric(subject, subject), *body]
        section = nodes.section(classes=["quicktakes-subject", *self._classes])
        anchor = unique_anchor(self.state.document, "quicktakes-" + subject)
        section["ids"].append(anchor)
        self.state.document.ids[anchor] = section
        section += nodes.title(subject, subject)
        section.extend(body)
        return [section]

    def _questions(self, questions: list[Question]) -> list[nodes.Node]:
        full = self.options.get("display", "full") == "full"
        meta = "no-meta" not in self.options
        classes = self._classes
        out: list[nodes.Node] = []
        fallbacks: list[nodes.Node] = []  # after the list: shown only if nowhere else
        for question in questions:
            first = self._shown.setdefault(question.identity, question)
            if first is question and not full and self._has_page(question):
                if self._has_page_here(question):
                    out.append(self._entry(question, None))  # rendered once, on its page
                else:  # in another project: the first sentence is found here
                    sentence = first_sentence(self, question, self._bank(question.path))
                    self._summaries[question.path] = sentence
                    out.append(self._entry(question, sentence))
                continue
            if first is question:
                kind = FULL if full else FALLBACK
                bank = self._bank(question.path)
                shown = question_nodes(
                    self, question, classes=classes, meta=meta, kind=kind, bank=bank
                )
                self._summaries[question.path] = summary(shown.answer)
                (out if full else fallbacks).append(shown.node)
                if full:
                    continue
            # a list entry, or a cross-listed copy: a link to the canonical place
            out.append(self._entry(question, self._summaries.get(first.path, [])))
        return _merge_lists(out) + fallbacks

    def _has_page(self, question: Question) -> bool:
        """Whether the question file is a page of its own (``quicktakes_pages``), here or
        in another project (``quicktakes_pages_elsewhere``)."""
        return self._has_page_here(question) or has_page_elsewhere(self.env, question.path)

    def _has_page_here(self, question: Question) -> bool:
        docname = self.env.path2doc(question.path)
        return docname in self.env.found_docs and is_question_page(self.env, docname)

    def _bank(self, path: str) -> str:
        """The fixed folder of the pattern that matched ``path``: the question's bank."""
        roots = [fixed_folder(pattern) for pattern in self._patterns]
        inside = [root for root in roots if path.startswith(root.rstrip("/") + "/")]
        return max(inside, key=len) if inside else ""

    def _entry(self, question: Question, summary: list[nodes.Node] | None) -> elements.entry_list:
        """A list entry: linked heading, byline, the answer's first sentence (None: from
        the question's page, when the list is written)."""
        key = question.identity.key
        get_domain(self.env).listings.setdefault(self.env.docname, []).append(key)
        link = addnodes.pending_xref(
            "",
            nodes.inline(question.heading, question.heading),
            refdomain="quicktakes",
            reftype="question",
            reftarget=key,
            refexplicit=True,
            refwarn=True,
        )
        title = nodes.paragraph("", "", nodes.strong("", "", link), classes=["quicktake-title"])
        item = nodes.list_item("", title, classes=["quicktake-entry"])
        byline = question.byline(self.config.language)
        if byline:
            text = BYLINE_SEPARATOR.join(byline)
            item += elements.byline(text, text, classes=["quicktake-byline"])
        if summary is None:
            item += elements.pending_summary(key=key, classes=["quicktake-summary"])
        elif summary:
            copies = [node.deepcopy() for node in summary]
            item += nodes.paragraph("", "", *copies, classes=["quicktake-summary"])
        return elements.entry_list("", item, classes=["quicktakes-list", *self._classes])


def _why_empty(patterns: tuple[str, ...], found: Found, loaded: list[Question]) -> str:
    """Why a collection shows nothing: no file there, every match left out, or filters."""
    if found.left_out and not found.files:
        count = len(found.left_out)
        return (
            f"no question files match: {count} match{'es' * (count != 1)} left out because "
            "their real path leaves the folder the pattern names (a symlink; set "
            "quicktakes_follow_symlinks = True to follow symlinks)"
        )
    if not found.files:
        missing = [f for f in dict.fromkeys(map(fixed_folder, patterns)) if not os.path.isdir(f)]
        where = f"no folder {', '.join(missing)}" if missing else "no file there matches"
        return f"no question files match ({where})"
    if not loaded:
        return "no question files match: every matched file failed to load"
    return "no question passes the filters (subject, keyword, noindex)"


def _merge_lists(parts: list[nodes.Node]) -> list[nodes.Node]:
    """Consecutive one-entry lists become one list."""
    merged: list[nodes.Node] = []
    for part in parts:
        previous = merged[-1] if merged else None
        if isinstance(part, elements.entry_list) and isinstance(previous, elements.entry_list):
            previous.extend(part.children)
        else:
            merged.append(part)
    return merged


class PruneFallbacks(SphinxPostTransform):
    """Complete a list with what only the whole project knows: drop a list's fallback
    rendering of a question that is shown in full elsewhere, and fill in the first
    sentence of an entry whose question is rendered on its own page.

    A ``:display: list`` entry links to the question's own page or its full rendering; when
    the project has neither, the fallback rendering kept here is where the link goes.
    """

    default_priority = 5  # before references are resolved

    def run(self, **kwargs: Any) -> None:
        domain = get_domain(self.env)
        where = domain.where()
        for pending in list(self.document.findall(elements.pending_summary)):
            place = where.find(pending["key"])
            parts = domain.details(place).summary if place is not None else ()
            if parts:
                paragraph = nodes.paragraph("", "", *summary_from_parts(parts))
                paragraph["classes"] = pending["classes"]
                pending.replace_self(paragraph)
            else:
                pending.parent.remove(pending)
        for node in list(self.document.findall(elements.question)):
            if node["kind"] != FALLBACK:
                continue
            place = where.find(node["key"])
            if place is None or (place.docname, place.anchor) != (self.env.docname, node["ids"][0]):
                node.parent.remove(node)


def setup_collection(app: Sphinx) -> None:
    """Register the ``quicktakes`` directive and its post-transform."""
    app.add_directive("quicktakes", QuickTakesDirective)
    app.add_post_transform(PruneFallbacks)
