"""Every label the extension writes into a page, translatable.

The catalog is ``sphinxext_quicktakes`` (``locale/<language>/LC_MESSAGES``): German and
French ship with the extension; a project adds a language with its own catalog of that
name in ``locale_dirs``. Dates are not here: month and weekday names come from Babel
(:mod:`.dates`), and "Posted on" comes from each question file.
"""

from __future__ import annotations

from pathlib import Path

from sphinx import locale
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import get_translation
from sphinx.util.i18n import CatalogRepository

CATALOG = "sphinxext_quicktakes"
LOCALE_DIR = Path(__file__).parent / "locale"

_ = get_translation(CATALOG)


def related_questions() -> str:
    """The heading of a question's related-questions list."""
    return str(_("Related questions"))


def other_subject() -> str:
    """The group of a collection's questions that have no subject."""
    return str(_("Other"))


def show_answer() -> str:
    """The summary that opens a hidden answer."""
    return str(_("Show answer"))


def answers() -> str:
    """The heading of the answers at the end of a page or of the book."""
    return str(_("Answers"))


def answer_number(number: int) -> str:
    """The link from a question to its answer elsewhere."""
    return str(_("Answer %s")) % number


def question_number(number: int) -> str:
    """An answer's link back to its question."""
    return str(_("Question %s")) % number


def omitted() -> str:
    """What stands in for an answer left out of this edition."""
    return str(_("The answer is not part of this edition."))


# -- the pages ``quicktakes site`` generates (outside Sphinx: see use_language) -----------


def use_language(language: str) -> None:
    """Translate the labels into ``language`` outside a Sphinx build (``quicktakes site``
    writes its pages before Sphinx runs)."""
    locale.translators.pop(("general", CATALOG), None)
    locale.init([LOCALE_DIR], language, CATALOG)


def count(number: int, one: str, many: str) -> str:
    return (one if number == 1 else many) % f"{number:,}"


def questions_count(number: int) -> str:
    """``1 question``, ``12 questions``."""
    return count(number, str(_("%s question")), str(_("%s questions")))


def subjects_count(number: int) -> str:
    """``1 subject``, ``5 subjects``."""
    return count(number, str(_("%s subject")), str(_("%s subjects")))


def questions_in_subjects(questions: int, subjects: int) -> str:
    """The home page's summary: ``13 questions in 5 subjects.``"""
    text = str(_("%(questions)s in %(subjects)s."))
    return text % {"questions": questions_count(questions), "subjects": subjects_count(subjects)}


def newest_first(questions: int) -> str:
    """A subject page's summary: ``4 questions, newest first.``"""
    return str(_("%s, newest first.")) % questions_count(questions)


def page_of(subject: str, number: int, total: int) -> str:
    """The title of a subject's later pages: ``Physics (page 2 of 3)``."""
    text = str(_("%(subject)s (page %(number)s of %(total)s)"))
    return text % {"subject": subject, "number": number, "total": total}


def subjects_heading() -> str:
    return str(_("Subjects"))


def subject_column() -> str:
    return str(_("Subject"))


def questions_column() -> str:
    return str(_("Questions"))


def newest_heading() -> str:
    return str(_("Newest questions"))


def previous_page() -> str:
    return str(_("Previous"))


def next_page() -> str:
    return str(_("Next"))


def llms_summary(questions: int, subjects: int) -> str:
    """llms.txt's summary: ``Questions and answers: 13 questions in 5 subjects.``"""
    return str(_("Questions and answers: %s")) % questions_in_subjects(questions, subjects)


def subject_file(subject: str) -> str:
    """llms.txt's link to a subject's Markdown file: ``Physics: questions and answers``."""
    return str(_("%(subject)s: questions and answers")) % {"subject": subject}


def subject_file_holds(questions: int) -> str:
    """What a subject's Markdown file holds: ``every question and answer, in Markdown
    (4 questions)``."""
    return str(_("every question and answer, in Markdown (%s)")) % questions_count(questions)


def source() -> str:
    """Where a question of a subject's Markdown file is published."""
    return str(_("Source"))


def project_catalogs(app: Sphinx, config: Config) -> None:
    """The project's own ``sphinxext_quicktakes`` catalogs (``locale_dirs``) first, the
    shipped one as their fallback: Sphinx looks for an extension's catalog only where the
    extension registered it. A ``.po`` newer than its ``.mo`` is compiled first, as Sphinx
    does for its own ``sphinx.po`` (``gettext_auto_build``)."""
    repo = CatalogRepository(
        app.srcdir, config.locale_dirs, config.language, config.source_encoding
    )
    for catalog in repo.catalogs:
        if catalog.domain == CATALOG and config.gettext_auto_build and catalog.is_outdated():
            catalog.write_mo(config.language, config.gettext_allow_fuzzy_translations)
    project_dirs = list(repo.locale_dirs)
    if project_dirs:
        locale.translators.pop(("general", CATALOG), None)  # rebuilt in this order
        locale.init([*project_dirs, LOCALE_DIR], config.language, CATALOG)


def setup_labels(app: Sphinx) -> None:
    """Register the catalog, and the project's catalogs of the same name before it."""
    app.add_message_catalog(CATALOG, str(LOCALE_DIR))
    app.connect("config-inited", project_catalogs)
