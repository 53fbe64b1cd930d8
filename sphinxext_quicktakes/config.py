"""The extension's configuration values, with types, rebuild levels and validation."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sphinx.application import Sphinx
from sphinx.config import ENUM, Config

from .errors import Subtype
from .model import DEFAULT_MAX_FILE_SIZE
from .pages import valid_pages_setting
from .warnings import warn


def is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def is_text(value: Any) -> bool:
    return isinstance(value, str)


def is_optional_text(value: Any) -> bool:
    return value is None or isinstance(value, str)


def is_positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def are_patterns(value: Any) -> bool:
    """A list of glob patterns."""
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) and v for v in value)


def are_names(value: Any) -> bool:
    """A list of directive or role names."""
    return isinstance(value, list | tuple) and all(isinstance(v, str) and v for v in value)


def one_of(*choices: Any) -> Callable[[Any], bool]:
    """One of ``choices``, of the same type (``1`` is not ``True``)."""
    return lambda value: any(type(value) is type(c) and value == c for c in choices)


ANSWER_MODES = ("inline", "hidden", "end-of-page", "appendix", "omit")


def valid_answers_setting(value: Any) -> bool:
    """A mode, or a mapping from builder names (``*`` for the others) to modes."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and v in ANSWER_MODES for k, v in value.items())
    return isinstance(value, str) and value in ANSWER_MODES


@dataclass(frozen=True)
class Option:
    """One ``quicktakes_*`` configuration value: Sphinx checks and converts it by
    ``types`` (``-D`` overrides, ``sphinx-build`` type warnings); ``valid`` says whether
    the extension can use it, at ``config-inited``, before Sphinx's own type check."""

    name: str
    default: Any
    rebuild: Literal["", "env", "html"]
    types: tuple[type, ...]
    help: str
    valid: Callable[[Any], bool] | None = None
    choices: tuple[Any, ...] = ()  # instead of valid: one of these

    def usable(self, value: Any) -> bool:
        """Whether the extension can use ``value``."""
        if self.choices:
            return one_of(*self.choices)(value)
        return self.valid is None or self.valid(value)

    @property
    def sphinx_types(self) -> tuple[type, ...] | ENUM:
        """``types`` for ``add_config_value``."""
        return ENUM(*self.choices) if self.choices else self.types


OPTIONS: tuple[Option, ...] = (
    Option(
        "quicktakes_unescape_newlines",
        "auto",
        "env",
        (str, bool),
        "Decode the two characters backslash + n into newlines: 'auto' when a value has "
        "escaped newlines and no real one, True always, False never. TeX such as \\nabla "
        "survives.",
        choices=("auto", True, False),
    ),
    Option(
        "quicktakes_meta",
        True,
        "env",
        (bool,),
        "Add <meta name='description'> and <meta name='keywords'> from each question's "
        "seo block to the HTML page that shows it.",
        valid=is_bool,
    ),
    Option(
        "quicktakes_raw_html",
        False,
        "env",
        (bool,),
        "Pass raw HTML in answers through to HTML output. Off by default: question banks "
        "are untrusted, so raw HTML is shown as text.",
        valid=is_bool,
    ),
    Option(
        "quicktakes_answer_directives",
        [],
        "env",
        (list, tuple),
        "MyST directives answers may use beyond the safe default set (admonitions, "
        "code-block, math, list-table, csv-table, table, figure, image). Only for banks you "
        "trust: 'raw' also enables raw passthrough, 'include' file insertion.",
        valid=are_names,
    ),
    Option(
        "quicktakes_answer_roles",
        [],
        "env",
        (list, tuple),
        "MyST roles answers may use beyond the safe default set (sub, sup, abbr, kbd, math, "
        "eq, ref, doc, term, quicktake). Only for banks you trust.",
        valid=are_names,
    ),
    Option(
        "quicktakes_pages",
        [],
        "env",
        (list, tuple, dict),
        "Question files that become pages of their own (list them in a toctree like any "
        "page): glob patterns relative to the source directory, or a mapping from a docname "
        "prefix to a pattern or list of patterns (relative to the source directory, may "
        "lead outside it): {'learn': '../content/learn/**/*.md'}.",
        valid=valid_pages_setting,
    ),
    Option(
        "quicktakes_pages_elsewhere",
        [],
        "env",
        (list, tuple),
        "Question files whose pages are in another Sphinx project, reached through "
        "intersphinx: glob patterns relative to the source directory (may lead outside it). "
        "A list links to their pages there and renders none of them here.",
        valid=are_patterns,
    ),
    Option(
        "quicktakes_answers",
        "inline",
        "html",
        (str, dict),
        "Where answers go: 'inline' (under each question), 'hidden' (HTML: behind a 'Show "
        "answer' <details>; other builders show them), 'end-of-page', 'appendix' (a final "
        "'Answers' chapter: the quicktakes-answers directive, or the end of a LaTeX book) or "
        "'omit'. A dict sets it per builder: {'html': 'hidden', 'latex': 'appendix'} ('*' "
        "for the others). Built with -t instructor, every answer is inline.",
        valid=valid_answers_setting,
    ),
    Option(
        "quicktakes_related",
        True,
        "env",
        (bool,),
        "Show a 'Related questions' list after answers whose files have related_article1..5.",
        valid=is_bool,
    ),
    Option(
        "quicktakes_site_url",
        "",
        "env",
        (str,),
        "Base URL joined to a related question's url when neither this project nor one it "
        "links to through intersphinx shows that question (for example the original site); "
        "empty: such entries are plain text.",
        valid=is_text,
    ),
    Option(
        "quicktakes_subject_folders",
        "",
        "env",
        (str,),
        "A folder, relative to the source directory (it may lead outside it): a question "
        "file below it without a subject takes the name of its first sub-folder as subject "
        "(what quicktakes site does with a bank sorted into folders). Empty: no such rule.",
        valid=is_text,
    ),
    Option(
        "quicktakes_index",
        True,
        "env",
        (bool,),
        "Add each question to the general index under its keywords and its subject.",
        valid=is_bool,
    ),
    Option(
        "quicktakes_auto_description",
        True,
        "html",
        (bool,),
        "When a question has no seo.page_description, describe the page with the first "
        "sentences of its answer (plain text, at most 160 characters).",
        valid=is_bool,
    ),
    Option(
        "quicktakes_base_url",
        "",
        "html",
        (str,),
        "Where the site is published, for og:url, the canonical link and absolute URLs in "
        "JSON-LD and quicktakes.json. Empty: html_baseurl, else READTHEDOCS_CANONICAL_URL.",
        valid=is_text,
    ),
    Option(
        "quicktakes_title",
        None,
        "html",
        (str, type(None)),
        "The <title> of a page devoted to one question: None keeps Sphinx's, 'seo' uses "
        "seo.title, or a format string with {heading}, {subject}, {project}, {seo_title}, "
        "{author}, {title}.",
        valid=is_optional_text,
    ),
    Option(
        "quicktakes_jsonld",
        "FAQPage",
        "html",
        (str, type(None)),
        "schema.org structured data for pages with questions: 'FAQPage', 'QAPage' (pages "
        "with exactly one question; others get FAQPage), 'Quiz' (Education Q&A) or None.",
        choices=("FAQPage", "QAPage", "Quiz", None),
    ),
    Option(
        "quicktakes_export",
        True,
        "html",
        (bool,),
        "Write quicktakes.json (every question, with its page URL and answer) at the root of "
        "HTML builds.",
        valid=is_bool,
    ),
    Option(
        "quicktakes_pdf_metadata",
        True,
        "env",
        (bool,),
        "Put the questions' keywords and subjects into the PDF's metadata (hyperref "
        "pdfkeywords and pdfsubject) in LaTeX builds.",
        valid=is_bool,
    ),
    Option(
        "quicktakes_follow_symlinks",
        False,
        "env",
        (bool,),
        "Let quicktakes globs follow symlinked folders and files that lead outside the source "
        "directory (loops are still never followed twice).",
        valid=is_bool,
    ),
    Option(
        "quicktakes_max_file_size",
        DEFAULT_MAX_FILE_SIZE,
        "env",
        (int,),
        "Question files larger than this many bytes are refused with a warning.",
        valid=is_positive_int,
    ),
)


def check_options(config: Config, options: Iterable[Option]) -> None:
    """A value the extension cannot use warns and falls back to the default (checked
    before Sphinx's type check, which then has nothing to add)."""
    for option in options:
        value = getattr(config, option.name)
        if not option.usable(value):
            warn(
                f"{option.name} = {value!r} is not valid; using {option.default!r}",
                Subtype.CONFIG,
            )
            setattr(config, option.name, option.default)


def register_options(app: Sphinx, options: tuple[Option, ...]) -> None:
    """Register a table of options (the extension's, or one of its parts'), checked at
    ``config-inited``."""
    for option in options:
        app.add_config_value(option.name, option.default, option.rebuild, types=option.sphinx_types)

    def check(app: Sphinx, config: Config) -> None:
        check_options(config, options)

    app.connect("config-inited", check, priority=790)  # Sphinx's type check: 800


def setup_config(app: Sphinx) -> None:
    """Register the configuration values."""
    register_options(app, OPTIONS)
