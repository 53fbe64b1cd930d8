"""Where answers go (``quicktakes_answers``, ``:answers:``, ``-t instructor``) in every
builder: student and instructor editions of one workbook (``tests/roots/test-answers``).

The workbook: ``forces`` shows osmosis and Gauss's law; ``chemistry`` (MyST) lists sodium
and osmosis again, and the budget question with ``:answers: omit``; ``answers`` holds the
``quicktakes-answers`` directive.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from lxml import etree
from sphinx.testing.util import SphinxTestApp

from .conftest import ROOTS, make_pdf, pdf_text, sphinx_build, strip_colors

OSMOSIS = "How does osmosis move water across a membrane?"
GAUSS = "What does Gauss"
WATER = "What happens when sodium reacts with water?"
BUDGET = "How should a contractor price a renovation project?"
# a sentence from each answer (written for tests/questions/good)
OSMOSIS_ANSWER = "Water moves toward the side with more dissolved solute"
GAUSS_ANSWER = "divergence"
WATER_ANSWER = "The ions formed are Na"
BUDGET_ANSWER = "estimates written down"
OMITTED = "The answer is not part of this edition."

Make = Callable[..., SphinxTestApp]


@pytest.fixture
def srcdir(tmp_path: Path) -> Path:
    """A copy of the workbook (tests may change it)."""
    shutil.copytree(ROOTS / "test-answers", tmp_path / "workbook")
    return tmp_path / "workbook"


@pytest.fixture
def workbook(make_app: Make, srcdir: Path) -> Callable[..., SphinxTestApp]:
    """Build the workbook with a builder and settings; warnings must be empty."""

    def build(builder: str = "html", **settings: Any) -> SphinxTestApp:
        tags = settings.pop("tags", [])
        app = make_app(builder, srcdir=srcdir, confoverrides=settings, tags=tags)
        app.build()
        app.cleanup()  # docutils registrations are global: one live app at a time
        warnings = strip_colors(app.warning.getvalue()).strip()
        assert warnings == "", warnings
        return app

    return build


def page(app: SphinxTestApp, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / name).read_text("utf-8"), "lxml")


def question(soup: BeautifulSoup, heading: str) -> Any:
    for section in soup.select(".quicktake"):
        title = section.find(["h1", "h2", "h3", "p"])
        if title is not None and title.get_text().startswith(heading):
            return section
    raise AssertionError(f"no question {heading!r}")


def test_hidden_answers_are_details_closed_behind_show_answer(workbook: Make) -> None:
    app = workbook("html")
    forces = page(app, "forces.html")
    osmosis = question(forces, OSMOSIS)
    [details] = osmosis.find_all("details", recursive=False)
    assert "quicktake-answer" in details["class"] and not details.has_attr("open")
    assert details.summary.get_text() == "Show answer"
    assert OSMOSIS_ANSWER in details.get_text()
    assert details.find("section", id="driving-force") is not None  # a sub-section inside
    assert OSMOSIS not in details.get_text() and "Posted on" not in details.get_text()
    assert osmosis.find("p", class_="quicktake-byline") not in details.find_all("p")
    # the answer headings stay in the page's table of contents, under their question
    toc = app.env.tocs["forces"]
    entry = next(item for item in toc.findall() if item.astext().startswith(OSMOSIS))
    assert "Driving force" in entry.astext()
    # the script and stylesheet are linked from pages with questions only
    scripts = [s.get("src", "") for s in forces.find_all("script")]
    assert any("_static/quicktakes.js" in src for src in scripts)
    home = page(app, "index.html")
    assert not any("quicktakes" in s.get("src", "") for s in home.find_all("script"))
    assert not any("quicktakes" in s.get("href", "") for s in home.find_all("link"))
    assert (Path(app.outdir) / "_static" / "quicktakes.js").is_file()


def test_the_option_overrides_the_setting(workbook: Make) -> None:
    chemistry = page(workbook("html"), "chemistry.html")
    budget = question(chemistry, BUDGET)
    assert budget.find("details") is None and BUDGET_ANSWER not in budget.get_text()
    assert budget.find("p", class_="quicktake-omitted").get_text() == OMITTED
    assert "The end of the chemistry page." in chemistry.get_text()  # nothing else is lost


def test_instructor_tag_shows_every_answer_inline(workbook: Make) -> None:
    app = workbook("html", quicktakes_answers="omit", tags=["instructor"])
    chemistry = page(app, "chemistry.html")
    assert chemistry.find("details") is None and OMITTED not in chemistry.get_text()
    assert BUDGET_ANSWER in question(chemistry, BUDGET).get_text()  # :answers: omit too
    assert WATER_ANSWER in question(chemistry, WATER).get_text()


def test_end_of_page_numbers_and_links_both_ways(workbook: Make) -> None:
    forces = page(workbook("html", quicktakes_answers="end-of-page"), "forces.html")
    osmosis, gauss = question(forces, OSMOSIS), question(forces, GAUSS)
    assert OSMOSIS_ANSWER not in osmosis.get_text()
    links = [q.find("p", class_="quicktake-answer-link").a for q in (osmosis, gauss)]
    assert [a.get_text() for a in links] == ["Answer 1", "Answer 2"]
    rubric = forces.find("p", class_="quicktake-answers")
    assert rubric.get_text() == "Answers"
    entries = forces.select(".quicktake-answer-entry")
    assert [f"#{e.find(id=True)['id']}" for e in entries] == [a["href"] for a in links]
    backs = [e.find("a") for e in entries]
    assert [b.get_text() for b in backs] == ["Question 1", "Question 2"]
    assert [b["href"] for b in backs] == [f"#{osmosis['id']}", f"#{gauss['id']}"]
    assert OSMOSIS_ANSWER in entries[0].get_text() and GAUSS_ANSWER in entries[1].get_text()
    # after everything else on the page
    assert rubric.find_all_previous("section", class_="quicktake")


def test_appendix_page_holds_every_answer_once(workbook: Make) -> None:
    app = workbook("html", quicktakes_answers="appendix")
    answers = page(app, "answers.html")
    entries = answers.select(".quicktake-answer-entry")
    headings = [e.find("p", class_="rubric").get_text() for e in entries]
    assert headings == [
        f"1. {OSMOSIS}",
        "2. What does Gauss’s law say about the divergence of the electric field?",
        f"3. {WATER}",
    ]  # osmosis is shown on two pages, answered once; the budget question is omitted
    assert answers.get_text().count(OSMOSIS_ANSWER) == 1
    forces, chemistry = page(app, "forces.html"), page(app, "chemistry.html")
    for soup, heading, number, docname in [
        (forces, OSMOSIS, 1, "forces"),
        (forces, GAUSS, 2, "forces"),
        (chemistry, WATER, 3, "chemistry"),
        (chemistry, OSMOSIS, 1, None),  # the second rendering links to the same answer
    ]:
        shown = question(soup, heading)
        link = shown.find("p", class_="quicktake-answer-link").a
        assert (link.get_text(), link["href"]) == (
            f"Answer {number}",
            f"answers.html#quicktakes-answer-{number}",
        )
        if docname:
            back = entries[number - 1].find("a")
            assert back["href"] == f"{docname}.html#{shown['id']}"
        assert OSMOSIS_ANSWER not in shown.get_text() and WATER_ANSWER not in shown.get_text()
    # footnotes and sub-sections of the copied answers keep working, with unique ids
    ids = [tag["id"] for tag in answers.find_all(id=True)]
    assert len(ids) == len(set(ids))
    note = entries[0].find("a", class_="footnote-reference")
    assert note is not None and answers.find(id=note["href"].lstrip("#")) is not None


@pytest.mark.parametrize("builder", ["text", "man", "epub"])
def test_hidden_answers_never_vanish_outside_html(workbook: Make, builder: str) -> None:
    app = workbook(builder)
    out = Path(app.outdir)
    files = sorted(out.rglob("*.xhtml" if builder == "epub" else "*"))
    text = "\n".join(p.read_text("utf-8") for p in files if p.is_file() and p.suffix != ".png")
    if builder == "epub":
        for xhtml in files:  # well-formed XHTML, as EPUB readers need
            etree.parse(str(xhtml))
        assert "<details" not in text
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>|\\f[BIRP]|\\&", "", text))
    for answer in (OSMOSIS_ANSWER, WATER_ANSWER):
        assert answer in text, (builder, answer)
    assert "Show answer" not in text


@pytest.mark.parametrize("mode", ["inline", "end-of-page", "appendix", "omit"])
def test_epub_is_well_formed_in_every_mode(workbook: Make, mode: str) -> None:
    app = workbook("epub", quicktakes_answers=mode)
    xhtml = sorted(Path(app.outdir).rglob("*.xhtml"))
    for path in xhtml:
        etree.parse(str(path))
    text = " ".join(path.read_text("utf-8") for path in xhtml)
    assert OSMOSIS in text and WATER in text and "Posted on" in text  # questions, bylines
    count = text.count(OSMOSIS_ANSWER)
    assert count == {"inline": 2, "end-of-page": 2, "appendix": 1, "omit": 0}[mode], count


def test_latex_appendix_is_one_chapter_linked_both_ways(workbook: Make) -> None:
    app = workbook("latex", quicktakes_answers={"html": "hidden", "latex": "appendix"})
    [tex] = Path(app.outdir).glob("*.tex")
    source = tex.read_text("utf-8")
    assert source.count(OSMOSIS_ANSWER) == 1 and source.count(WATER_ANSWER) == 1
    answers_at = source.index(r"\chapter{Answers}")
    assert source.index(OSMOSIS_ANSWER) > answers_at  # in the answers chapter only
    to_answers = re.findall(
        r"\\hyperref\[\\detokenize\{([\w:-]+)\}\]\{\\sphinxcrossref\{Answer (\d+)\}", source
    )
    labels = set(re.findall(r"\\label\{\\detokenize\{([\w:-]+)\}\}", source))
    assert sorted({n for _, n in to_answers}) == ["1", "2", "3"]
    assert all(target in labels for target, _ in to_answers)
    back = re.findall(
        r"\\hyperref\[\\detokenize\{([\w:-]+)\}\]\{\\sphinxcrossref\{Question (\d+)\}", source
    )
    assert [n for _, n in back] == ["1", "2", "3"]
    assert all(target in labels for target, _ in back)
    assert "Show answer" not in source


def test_latex_book_without_an_answers_page_gets_an_appendix(make_app: Make, srcdir: Path) -> None:
    (srcdir / "answers.rst").unlink()
    index = srcdir / "index.rst"
    index.write_text(index.read_text("utf-8").replace("   answers\n", ""), "utf-8")
    app = make_app("latex", srcdir=srcdir, confoverrides={"quicktakes_answers": "appendix"})
    app.build()
    [tex] = Path(app.outdir).glob("*.tex")
    source = tex.read_text("utf-8")
    assert "\\appendix\n" in source and source.count(r"\chapter{Answers}") == 1
    assert source.index(OSMOSIS_ANSWER) > source.index(r"\chapter{Answers}")
    # a web build of the same project puts the answers at the end of each page
    html = make_app("html", srcdir=srcdir, confoverrides={"quicktakes_answers": "appendix"})
    html.build()
    forces = page(html, "forces.html")
    assert forces.find("p", class_="quicktake-answers") is not None
    assert OSMOSIS_ANSWER in forces.select(".quicktake-answer-entry")[0].get_text()


BOOK_PAGES = {
    "index.rst": "Workbook\n========\n\n.. toctree::\n\n   forces\n   chemistry\n   ions\n"
    "   inline\n   answers\n",
    "ions.rst": "Ions\n====\n\n.. quicktake:: bank/calcium.md\n   :answers: end-of-page\n",
    "inline.rst": "Inline\n======\n\n.. quicktake:: bank/maxwell.md\n   :answers: inline\n",
}
CALCIUM_ANSWER = "a weak acid such as vinegar dissolves it again"


@pytest.mark.latexpdf
@pytest.mark.parametrize("engine", ["pdflatex", "xelatex", "lualatex"])
def test_a_printed_workbook_in_every_mode(make_app: Make, srcdir: Path, engine: str) -> None:
    """One book with every mode: the appendix (the default here), end of page (ions),
    inline (Gauss's law again), omitted (budget) and hidden (inline in print)."""
    for name, text in BOOK_PAGES.items():
        (srcdir / name).write_text(text, "utf-8")
    settings = {"latex_engine": engine, "quicktakes_answers": {"html": "hidden", "*": "appendix"}}
    app = make_app("latex", srcdir=srcdir, confoverrides=settings)
    app.build()
    assert strip_colors(app.warning.getvalue()).strip() == ""
    done = make_pdf(Path(app.outdir))
    assert done.returncode == 0, done.stdout[-3000:]
    text = re.sub(r"\s+", " ", pdf_text(Path(app.outdir), layout=False, name="workbook.pdf"))
    for heading in (OSMOSIS, WATER, BUDGET, "Forces", "Chemistry", "Ions", "Inline"):
        assert heading in text
    start = text.index(f"1. {OSMOSIS} Question 1")  # the first entry of the answers chapter
    book, answers = text[:start], text[start:]
    assert "ANSWERS" in book[-300:].upper()  # the chapter's heading
    for sentence in (OSMOSIS_ANSWER, WATER_ANSWER):  # each answer once, in the appendix
        assert text.count(sentence) == 1 and sentence in answers, sentence
    assert f"3. {WATER} Question 3" in answers
    assert "Answer 1" in book and "Answer 3" in book
    assert text.count(CALCIUM_ANSWER) == 1 and CALCIUM_ANSWER in book  # end of its page
    assert OMITTED in text and BUDGET_ANSWER not in text
    assert "Ca2+" in text.replace("²⁺", "2+").replace(" ", "") or "Ca²⁺" in text


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("de", ("Antwort anzeigen", "Antworten", "Antwort 1", "Frage 1", "Ausgabe")),
        ("fr", ("Afficher la réponse", "Réponses", "Réponse 1", "Question 1", "édition")),
    ],
)
def test_answer_labels_are_translated(
    workbook: Make, language: str, labels: tuple[str, ...]
) -> None:
    show, answers, answer_1, question_1, edition = labels
    hidden = page(workbook("html", language=language), "forces.html")
    assert [s.get_text() for s in hidden.select("details > summary")] == [show, show]
    ends = page(
        workbook("html", language=language, quicktakes_answers="end-of-page"), "forces.html"
    )
    assert ends.find("p", class_="quicktake-answers").get_text() == answers
    assert ends.find("p", class_="quicktake-answer-link").get_text() == answer_1
    assert ends.select(".quicktake-answer-entry a")[0].get_text() == question_1
    chemistry = page(workbook("html", language=language), "chemistry.html")
    assert edition in chemistry.find("p", class_="quicktake-omitted").get_text()


def test_incremental_builds_keep_the_answers_page_true(tmp_path: Path) -> None:
    """The answers page is written again when an answer changes or a question goes, like
    a fresh build (it is not read again: its source did not change)."""
    project = tmp_path / "project"
    shutil.copytree(ROOTS / "test-answers", project)
    options = ("-W", "-D", "quicktakes_answers=appendix")

    def html_of(srcdir: Path, outdir: Path) -> dict[str, bytes]:
        done = sphinx_build(srcdir, outdir, *options)
        assert done.returncode == 0, done.stderr
        return {p.name: p.read_bytes() for p in sorted(outdir.glob("*.html"))}

    html_of(project, tmp_path / "out")
    steps = [
        ("forces.rst", lambda text: text.replace(".. quicktake:: bank/maxwell.md\n", "")),
        ("bank/osmosis.md", lambda text: text.replace("Driving force", "What drives it")),
    ]
    for number, (name, change) in enumerate(steps):
        time.sleep(0.01)
        path = project / name
        path.write_text(change(path.read_text("utf-8")), "utf-8")
        incremental = html_of(project, tmp_path / "out")
        fresh = tmp_path / f"fresh-{number}"
        shutil.copytree(project, fresh)
        assert incremental == html_of(fresh, tmp_path / f"fresh-out-{number}"), name
    answers = BeautifulSoup(incremental["answers.html"], "lxml")
    assert "What drives it" in answers.get_text() and GAUSS not in answers.get_text()
