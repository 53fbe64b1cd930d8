"""The Sphinx project behind ``quicktakes site``, generated from a folder of question files.

Pages: a home page (subjects with their counts, the newest questions), numbered pages per
subject listing its questions newest first (``:display: list``), and one page per question
(``quicktakes_pages``). List pages name their files one per line, so a page depends on its
own files only: an edit re-reads the question's page and the one list page that shows it.
Only the first page of each subject is in the toctree (the sidebar stays small); question
pages and later pages are reached by links, as ``navigation`` expects.

Bank text that reaches the generated Markdown (subject names) is escaped character by
character; file names are written as escaped glob patterns; the rest of the configuration
is written with :func:`repr`.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__, labels
from ..cli import Checked
from ..globs import escape, posix
from ..model import folder_subject
from ..placement import distinct
from ..selection import order
from .names import subject_slugs

QUESTIONS_PREFIX = "questions"  # docnames of question pages: questions/<path in the bank>
SUBJECTS_FOLDER = "subjects"
DEFAULT_THEME = "furo"  # installed by the ``site`` extra
FALLBACK_THEME = "alabaster"  # always there with Sphinx


@dataclass(frozen=True)
class SiteOptions:
    """What the command line asks of the site."""

    title: str = "Questions and answers"
    theme: str = DEFAULT_THEME
    base_url: str = ""
    language: str = "en"
    answers: str = "inline"
    search: str = "full"
    page_size: int = 100
    newest: int = 10
    subject_url: str = ""  # --split: where each subject is published ({subject}: its slug)


@dataclass
class Subject:
    """One subject: its name, the slug of its pages, its listed questions newest first."""

    name: str
    slug: str
    questions: list[Checked] = field(default_factory=list)

    def pages(self, page_size: int) -> list[list[Checked]]:
        """Its questions, page by page (at least one page)."""
        size = max(1, page_size)
        return [self.questions[i : i + size] for i in range(0, len(self.questions), size)] or [[]]

    @property
    def folder(self) -> str:
        """Where its pages are in the project."""
        return f"{SUBJECTS_FOLDER}/{self.slug}"

    def docname(self, number: int) -> str:
        """The document of its page ``number`` (from 1)."""
        return f"{self.folder}/{page_name(number)}"


def page_name(number: int) -> str:
    """A list's page ``number`` (from 1) in its folder."""
    return "index" if number == 1 else f"page-{number}"


def subject_of(question: Checked, bank: str) -> str:
    """The question's subject: its ``subject``, else its folder in the bank (as the
    extension does with ``quicktakes_subject_folders``), else "Other" (as the site files
    name it, in the site's language)."""
    return question.subject or folder_subject(question.path, bank) or labels.other_subject()


def subjects(questions: Iterable[Checked], bank: str) -> list[Subject]:
    """The listed questions (not ``no_index``), by subject (case-insensitive), each
    question once per subject, newest first; subjects in alphabetical order."""
    by_key: dict[str, Subject] = {}
    for question in questions:
        if question.no_index:
            continue
        name = subject_of(question, bank)
        by_key.setdefault(name.casefold(), Subject(name, "")).questions.append(question)
    slugs = subject_slugs(by_key)
    for key, subject in by_key.items():
        subject.slug = slugs[key]
        subject.questions = order(distinct(subject.questions), "-date")
    return sorted(by_key.values(), key=lambda s: (s.name.casefold(), s.name))


def newest(questions: Iterable[Checked], count: int) -> list[Checked]:
    """The ``count`` newest listed questions of the whole bank (each once)."""
    listed = distinct(q for q in questions if not q.no_index)
    return order(listed, "-date")[:count]


def newest_date(questions: Iterable[Checked]) -> str:
    """The date of the newest dated question, ISO 8601 (``""``: none is dated)."""
    dates = [q.date for q in questions if q.date]
    return max(dates).isoformat() if dates else ""


# -- Markdown -------------------------------------------------------------------------------

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def text(value: str) -> str:
    """Bank text as literal Markdown: every ASCII punctuation character escaped, so nothing
    in it is markup (links, roles, math, HTML), and on one line."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(value.split()))


def file_lines(paths: Iterable[str], page_dir: str) -> list[str]:
    """Question files as the ``quicktakes`` directive's content lines: relative to the
    page, wildcards escaped."""
    return [escape(posix(os.path.relpath(p, page_dir))) for p in paths]


def collection(paths: Sequence[str], page_dir: str, display: str = "list") -> str:
    """A ``quicktakes`` directive showing ``paths`` newest first."""
    lines = "\n".join(file_lines(paths, page_dir))
    return f"```{{quicktakes}}\n:display: {display}\n:sort: -date\n{lines}\n```\n"


def pagination(subject: Subject, number: int, total: int) -> str:
    """Numbered links to the subject's pages, with previous and next."""
    if total <= 1:
        return ""

    def link(label: str, page: int) -> str:
        return f"[{label}]({page_name(page)}.md)"

    parts = []
    if number > 1:
        parts.append(link(f"← {text(labels.previous_page())}", number - 1))
    parts += [
        f"**{page}**" if page == number else link(str(page), page) for page in range(1, total + 1)
    ]
    if number < total:
        parts.append(link(f"{text(labels.next_page())} →", number + 1))
    return "```{container} quicktakes-pagination\n" + " · ".join(parts) + "\n```\n"


def home_page(
    title: str,
    found: Sequence[Subject],
    latest: Sequence[str],
    srcdir: str,
    subject_link: Callable[[Subject], str] | None = None,
) -> str:
    """The home page: the subjects with their counts (each a link to its first page, by
    default a page of this project, listed in the toctree), the newest questions."""
    total = sum(len(s.questions) for s in found)
    link = subject_link or (lambda s: f"{s.docname(1)}.md")
    rows = "\n".join(f"| [{text(s.name)}]({link(s)}) | {len(s.questions):,} |" for s in found)
    toctree = "\n".join(s.docname(1) for s in found) if subject_link is None else ""
    out = [
        f"# {text(title)}\n",
        text(labels.questions_in_subjects(total, len(found))) + "\n",
    ]
    if found:
        out.append(
            f"## {text(labels.subjects_heading())}\n\n| {text(labels.subject_column())} | "
            f"{text(labels.questions_column())} |\n|---|--:|\n{rows}\n"
        )
    if latest:
        out.append(f"## {text(labels.newest_heading())}\n\n" + collection(latest, srcdir))
    if toctree:
        out.append(f"```{{toctree}}\n:hidden:\n:maxdepth: 1\n\n{toctree}\n```\n")
    return "\n".join(out)


def subject_page(
    subject: Subject, number: int, total: int, page: Sequence[Checked], page_dir: str
) -> str:
    """Page ``number`` of ``total`` of a subject's list, in ``page_dir``."""
    nav = pagination(subject, number, total)
    heading = text(labels.page_of(subject.name, number, total) if number > 1 else subject.name)
    count = text(labels.newest_first(len(subject.questions)))
    body = collection([q.path for q in page], page_dir)
    front = "---\norphan: true\n---\n\n" if number > 1 else ""
    return "\n".join(
        part for part in (f"{front}# {heading}\n", count + "\n", nav, body, nav) if part
    )


def conf_py(options: SiteOptions, questions: Sequence[Checked], bank: str, srcdir: str) -> str:
    pattern = escape(posix(os.path.relpath(bank, srcdir))) + "/**/*.md"
    lines = [
        *common_conf(options, questions, bank, srcdir),
        f"quicktakes_pages = {{{QUESTIONS_PREFIX!r}: {pattern!r}}}",
    ]
    if options.base_url:
        base = options.base_url.rstrip("/") + "/"
        lines.append(f"html_baseurl = {base!r}")
    return "\n".join(lines) + "\n"


def common_conf(
    options: SiteOptions, questions: Sequence[Checked], bank: str, srcdir: str
) -> list[str]:
    """What every generated project has in common (the site, a split site's projects, the
    book); the author is the bank's most frequent author (nothing here changes with each
    new question: a changed value would make Sphinx read or write every page again)."""
    author = _main_author(questions)
    return [
        f"# Generated by `quicktakes site` (sphinxext-quicktakes {__version__}); yours to edit.",
        f"project = {options.title!r}",
        f"author = copyright = {author!r}",
        f"language = {options.language!r}",
        'extensions = ["myst_parser", "sphinxext_quicktakes.site"]',
        f"html_theme = {options.theme!r}",
        "html_title = project",
        "html_copy_source = False",
        "html_split_index = True  # a page per letter: a bank has tens of thousands of entries",
        "html_show_sourcelink = False",
        'exclude_patterns = ["_build"]',
        "# no_index questions have pages that no list links to, by design",
        'suppress_warnings = ["quicktakes.orphan"]',
        f"quicktakes_answers = {options.answers!r}",
        f"quicktakes_search = {options.search!r}",
        f"quicktakes_subject_folders = {posix(os.path.relpath(bank, srcdir))!r}",
    ]


BOOK_NAME = "book"  # book.pdf, book.epub
LATEX_ENGINE = "xelatex"


def tex(value: str) -> str:
    """Text as LaTeX (``latex_documents`` takes LaTeX markup)."""
    from sphinx.util import texescape

    texescape.init()  # the tables are empty until then (the LaTeX builder calls it)
    return texescape.escape(value, LATEX_ENGINE)


def book_conf_py(options: SiteOptions, questions: Sequence[Checked], bank: str, srcdir: str) -> str:
    """The book's configuration: the LaTeX and EPUB builders on chapters of full questions."""
    author = _main_author(questions)
    latex = [f"{BOOK_NAME}.tex", tex(options.title), tex(author)]  # LaTeX markup: escaped
    lines = [
        *common_conf(options, questions, bank, srcdir),
        f"version = release = {newest_date(questions)!r}  # the newest question",
        f"latex_documents = [('index', {latex[0]!r}, {latex[1]!r}, {latex[2]!r}, 'manual')]",
        f"latex_engine = {LATEX_ENGINE!r}  # any script in the bank; xindy sorts its index",
        f"epub_basename = {BOOK_NAME!r}",
        "epub_show_urls = 'no'",
    ]
    return "\n".join(lines) + "\n"


def _main_author(questions: Sequence[Checked]) -> str:
    authors = Counter(q.author for q in questions if q.author)
    return authors.most_common(1)[0][0] if authors else ""


def chapter(subject: Subject, srcdir: str) -> str:
    """One subject in full, newest first."""
    paths = [q.path for q in subject.questions]
    return f"# {text(subject.name)}\n\n" + collection(paths, srcdir, display="full")


def generate_book(
    questions: Sequence[Checked], bank: str | Path, srcdir: str | Path, options: SiteOptions
) -> Project:
    """A book of ``questions``: one chapter per subject (for ``--pdf`` and ``--epub``)."""
    bank, srcdir = os.path.abspath(bank), os.path.abspath(srcdir)
    labels.use_language(options.language)
    found = subjects(questions, bank)
    toctree = "\n".join(f"{SUBJECTS_FOLDER}/{s.slug}" for s in found)
    files: dict[str, str | bytes] = {
        "conf.py": book_conf_py(options, questions, bank, srcdir),
        "index.md": f"# {text(options.title)}\n\n```{{toctree}}\n:maxdepth: 1\n\n{toctree}\n```\n",
    }
    for subject in found:
        chapter_dir = os.path.join(srcdir, SUBJECTS_FOLDER)
        files[f"{SUBJECTS_FOLDER}/{subject.slug}.md"] = chapter(subject, chapter_dir)
    return Project(files, found)


@dataclass
class Project:
    """The generated project: file name (relative, ``/``-separated) -> text."""

    files: dict[str, str | bytes]
    subjects: list[Subject]
    generated: tuple[str, ...] = (f"{SUBJECTS_FOLDER}/**/*.md",)  # removed when not in files

    def write(self, srcdir: str | Path) -> list[str]:
        """Write the files that changed (Sphinx sees the others as unchanged) and remove
        generated pages that are gone; the names written."""
        root = Path(srcdir)
        written = []
        for name, content in self.files.items():
            path = root / name
            data = content.encode() if isinstance(content, str) else content
            if path.is_file() and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(name)
        for pattern in self.generated:
            for stale in sorted(root.glob(pattern)):
                if posix(str(stale.relative_to(root))) not in self.files:
                    stale.unlink()
        return written


def generate(
    questions: Sequence[Checked], bank: str | Path, srcdir: str | Path, options: SiteOptions
) -> Project:
    """The project for ``questions`` (loaded from ``bank``) as it would be in ``srcdir``."""
    bank, srcdir = os.path.abspath(bank), os.path.abspath(srcdir)
    labels.use_language(options.language)
    found = subjects(questions, bank)
    latest = [q.path for q in newest(questions, options.newest)]
    files: dict[str, str | bytes] = {
        "conf.py": conf_py(options, questions, bank, srcdir),
        "index.md": home_page(options.title, found, latest, srcdir),
    }
    for subject in found:
        pages = subject.pages(options.page_size)
        for number, page in enumerate(pages, 1):
            files[subject.docname(number) + ".md"] = subject_page(
                subject, number, len(pages), page, os.path.join(srcdir, subject.folder)
            )
    return Project(files, found)
