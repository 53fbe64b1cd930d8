"""Translations: the extension's own catalog (``sphinxext_quicktakes``) is complete and
compiled, its labels and the byline's dates follow ``language``, a project adds or
overrides a language in its ``locale_dirs``."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from sphinxext_quicktakes.labels import CATALOG, LOCALE_DIR

from .conftest import Build

SHIPPED = ["de", "fr"]
TEMPLATE = LOCALE_DIR / f"{CATALOG}.pot"
LABELS = Path(LOCALE_DIR).parent / "labels.py"

COLLECTION = """\
Bank
====

.. quicktakes:: questions/i18n/*.md
   :group-by: subject
"""


# --------------------------------------------------------------------------- catalogs


def po_file(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{CATALOG}.po"


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language)


def messages(catalog: Catalog) -> dict[tuple[object, str | None], object]:
    """Every message but the header: (msgid, context) -> msgstr."""
    return {(m.id, m.context): m.string for m in catalog if m.id}


def label_msgids() -> set[str]:
    """The msgids of ``labels.py``, as pybabel extracts them (keyword ``_``)."""
    found = extract_from_file("python", str(LABELS), keywords={"_": None})
    return {message for _line, message, _comments, _context in found}


def test_labels_have_msgids() -> None:
    assert "Related questions" in label_msgids()
    assert "Other" in label_msgids()
    assert "Newest questions" in label_msgids()  # quicktakes site pages
    assert "Source" in label_msgids()  # llms/<subject>.md
    assert len(label_msgids()) == 24


def test_template_is_up_to_date_with_labels() -> None:
    """``python scripts/catalogs.py`` after changing a label in ``labels.py``."""
    template = {msgid for msgid, _context in messages(read_catalog(TEMPLATE))}
    assert template == label_msgids()


def test_every_shipped_language_is_a_po_and_a_mo() -> None:
    languages = sorted(path.name for path in LOCALE_DIR.iterdir() if path.is_dir())
    assert languages == SHIPPED
    for language in languages:
        assert po_file(language).is_file()
        assert po_file(language).with_suffix(".mo").is_file()


@pytest.mark.parametrize("language", SHIPPED)
def test_po_translates_every_label(language: str) -> None:
    catalog = read_catalog(po_file(language), language)
    assert str(catalog.locale) == language
    assert {msgid for msgid, _context in messages(catalog)} == label_msgids()
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []
    assert not catalog.obsolete
    problems = [(m.id, errors) for m, errors in catalog.check()]  # %s kept, and so on
    assert problems == []


@pytest.mark.parametrize("language", SHIPPED)
def test_mo_is_up_to_date_with_po(language: str) -> None:
    """The committed ``.mo`` holds what compiling its ``.po`` gives (messages, not bytes:
    the header's dates may differ)."""
    compiled = io.BytesIO()
    write_mo(compiled, read_catalog(po_file(language), language))
    compiled.seek(0)
    with po_file(language).with_suffix(".mo").open("rb") as file:
        committed = read_mo(file)
    assert messages(committed) == messages(read_mo(compiled))
    assert len(messages(committed)) == len(label_msgids())


# --------------------------------------------------------------------------- builds


@pytest.mark.parametrize(
    ("language", "related", "other", "date"),
    [
        (None, "Related questions", "Other", "February 4, 2025"),
        ("en", "Related questions", "Other", "February 4, 2025"),
        ("de", "Verwandte Fragen", "Sonstige", "Februar 4, 2025"),
        ("de_AT", "Verwandte Fragen", "Sonstige", "Februar 4, 2025"),
        ("fr", "Questions liées", "Autres", "février 4, 2025"),
    ],
)
def test_labels_and_dates_follow_language(
    build: Callable[..., Build], language: str | None, related: str, other: str, date: str
) -> None:
    """The related-questions heading, the subject group of questions without a subject and
    the month in the byline, in the project's language."""
    conf = "" if language is None else f"language = {language!r}"
    result = build({"index.rst": COLLECTION}, conf=conf, questions=("i18n",))
    assert result.warning_lines() == []
    page = result.html()
    catalysts = page.select_one("#quicktake-910001")
    assert catalysts is not None
    assert [p.get_text() for p in catalysts.select("p.quicktake-related")] == [related]
    assert catalysts.select_one(".quicktake-date").get_text() == date
    groups = [h2.get_text().rstrip("¶") for h2 in page.select("section.quicktakes-subject > h2")]
    assert groups == ["Chemistry", other]


# --------------------------------------------------------------------------- project catalogs


def project_po(language: str, translations: dict[str, str]) -> str:
    """A project's own ``sphinxext_quicktakes.po`` (only the .po: Sphinx compiles it)."""
    header = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Language: {language}\\n"\n'
    )
    entries = "".join(f'\nmsgid "{k}"\nmsgstr "{v}"\n' for k, v in translations.items())
    return header + entries


def test_a_project_adds_a_language(build: Callable[..., Build]) -> None:
    """Spanish does not ship: the project's catalog in ``locale_dirs`` translates."""
    po = project_po("es", {"Related questions": "Preguntas relacionadas", "Other": "Otras"})
    pages = {"index.rst": COLLECTION, f"locales/es/LC_MESSAGES/{CATALOG}.po": po}
    result = build(pages, conf="language = 'es'", questions=("i18n",))
    assert result.warning_lines() == []
    page = result.html()
    assert page.select_one("p.quicktake-related").get_text() == "Preguntas relacionadas"
    groups = [h2.get_text().rstrip("¶") for h2 in page.select("section.quicktakes-subject > h2")]
    assert groups == ["Chemistry", "Otras"]
    assert page.select_one(".quicktake-date").get_text() == "febrero 4, 2025"


def test_a_project_overrides_a_shipped_translation(build: Callable[..., Build]) -> None:
    """The project's catalog comes first; what it leaves out, the shipped one translates."""
    po = project_po("de", {"Related questions": "Siehe auch"})
    pages = {"index.rst": COLLECTION, f"translations/de/LC_MESSAGES/{CATALOG}.po": po}
    conf = "language = 'de'\nlocale_dirs = ['translations']"
    result = build(pages, conf=conf, questions=("i18n",))
    assert result.warning_lines() == []
    page = result.html()
    assert page.select_one("p.quicktake-related").get_text() == "Siehe auch"
    groups = [h2.get_text().rstrip("¶") for h2 in page.select("section.quicktakes-subject > h2")]
    assert groups == ["Chemistry", "Sonstige"]


# --------------------------------------------------------------------------- translating a bank

CATALYSTS = "Why does a catalyst speed up a reaction?"
CATALYSTS_QUESTION = "Why does a catalyst speed up a chemical reaction without being used up?"
CATALYSTS_ANSWER = [
    "A catalyst offers the reacting molecules a different path with a lower activation "
    "energy, so more collisions succeed at the same temperature.",
    "It leaves the reaction unchanged: the same amount of catalyst is there at the end.",
    "Reaction",  # the cells of a table
    "Catalyst",
    "Hydrogen peroxide breaking down",
    "Manganese dioxide",
]
TIDES = "What makes the tides rise and fall?"
TIDES_QUESTION = "What makes the sea rise and fall twice a day?"
TIDES_ANSWER = [
    "The Moon pulls harder on the near side of the Earth than on its centre, and harder on "
    "the centre than on the far side, so the oceans bulge on both sides.",
    "As the Earth turns under the two bulges, a coast passes through two **high tides** a day.",
]

HOSTS = {
    "rst": "Bank\n====\n\n.. quicktake:: questions/i18n/catalysts.md\n\n"
    ".. quicktake:: questions/i18n/tides.md\n",
    "md": "# Bank\n\n```{quicktake} questions/i18n/catalysts.md\n```\n\n"
    "```{quicktake} questions/i18n/tides.md\n```\n",
}

PAGE_PO = f"""\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "{TIDES}"
msgstr "Warum gibt es Ebbe und Flut?"

msgid "{TIDES_QUESTION}"
msgstr "Warum steigt und fällt das Meer zweimal am Tag?"

msgid "{CATALYSTS_ANSWER[4]}"
msgstr "Zerfall von Wasserstoffperoxid"

msgid "{TIDES_ANSWER[1]}"
msgstr "Während sich die Erde unter den beiden Flutbergen dreht, hat eine Küste zweimal am \
Tag **Hochwasser**."
"""


@pytest.mark.parametrize("suffix", ["rst", "md"])
def test_gettext_extracts_headings_question_texts_and_answers(
    build: Callable[..., Build], suffix: str
) -> None:
    """The host page's catalog holds each question's heading, question text and answer
    paragraphs (as written, Markdown included), and the "Related questions" label; not
    the byline, nor the related questions' titles."""
    result = build(
        {f"index.{suffix}": HOSTS[suffix]},
        buildername="gettext",
        questions=("i18n",),
        myst=suffix == "md",
    )
    assert result.warning_lines() == []
    assert sorted(path.name for path in result.outdir.glob("*.pot")) == ["index.pot"]
    catalog = read_catalog(result.outdir / "index.pot")
    assert [message.id for message in catalog if message.id] == [
        "Bank",
        CATALYSTS,
        CATALYSTS_QUESTION,
        *CATALYSTS_ANSWER,
        "Related questions",
        TIDES,
        TIDES_QUESTION,
        *TIDES_ANSWER,
    ]
    assert all(f"index.{suffix}" in location for m in catalog for location, _ in m.locations)


@pytest.mark.parametrize("suffix", ["rst", "md"])
def test_a_translated_page_catalog_translates_its_questions(
    build: Callable[..., Build], suffix: str
) -> None:
    """``locale_dirs`` with the page's ``.po`` and ``language = 'de'``: the translated
    heading, question text and answer paragraph replace the originals; what the catalog
    leaves out stays as written; the labels come from the extension's catalog."""
    pages = {f"index.{suffix}": HOSTS[suffix], "locales/de/LC_MESSAGES/index.po": PAGE_PO}
    result = build(pages, conf="language = 'de'", questions=("i18n",), myst=suffix == "md")
    assert result.warning_lines() == []
    tides = result.html().select_one("#quicktake-910002")
    assert tides is not None
    assert tides.select_one("h2").get_text().rstrip("¶") == "Warum gibt es Ebbe und Flut?"
    question = tides.select_one(".quicktake-question").get_text().strip()
    assert question == "Warum steigt und fällt das Meer zweimal am Tag?"
    paragraphs = [p for p in tides.find_all("p", recursive=False) if not p.get("class")]
    assert paragraphs[0].get_text() == TIDES_ANSWER[0]  # not in the catalog
    assert paragraphs[1].get_text() == (
        "Während sich die Erde unter den beiden Flutbergen dreht, hat eine Küste zweimal am "
        "Tag Hochwasser."
    )
    assert paragraphs[1].select_one("strong").get_text() == "Hochwasser"
    assert tides.select_one(".quicktake-date").get_text() == "10 März 2025"
    catalysts = result.html().select_one("#quicktake-910001")
    cells = [cell.get_text().strip() for cell in catalysts.select("td")]
    assert cells == ["Zerfall von Wasserstoffperoxid", "Manganese dioxide"]
    assert catalysts.select_one("p.quicktake-related").get_text() == "Verwandte Fragen"
