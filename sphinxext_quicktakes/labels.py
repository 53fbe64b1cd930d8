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
