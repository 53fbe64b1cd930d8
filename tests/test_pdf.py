"""Real PDFs with each LaTeX engine (``make latexpdf``: Sphinx's Makefile and latexmk),
read back with pdftotext: answers, chemistry and an index with non-ASCII keywords."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sphinxext_quicktakes.latex import ascii_sort_keys

from .conftest import make_pdf, pdf_text, sphinx_build
from .test_builders import CHAPTER  # the same chapter as the other builders' tests

INDEX = """\
Course
======

.. toctree::

   chapter
   unicode

.. quicktake:: questions/good/osmosis.md
"""

UNICODE = """\
Energy and ions
===============

.. quicktake:: questions/unicode-index/schroedinger.md

.. quicktake:: questions/unicode-index/calcium.md
"""

PAGES = {"index.rst": INDEX, "chapter.rst": CHAPTER, "unicode.rst": UNICODE}
QUESTIONS = ("good", "unicode-index")


@dataclass(frozen=True)
class Word:
    """A word of the PDF as ``pdftotext -bbox`` places it (y grows downwards)."""

    page: int
    column: int  # 0 in the left half of the page, 1 in the right half
    x: float
    top: float
    bottom: float
    text: str

    @property
    def height(self) -> float:
        return self.bottom - self.top


def pdf_words(outdir: Path) -> list[Word]:
    """Every word of ``test.pdf`` with its page and box."""
    command = ["pdftotext", "-bbox", "test.pdf", "-"]
    html = subprocess.run(command, cwd=outdir, capture_output=True, text=True, check=True)
    words = []
    for number, page in enumerate(BeautifulSoup(html.stdout, "lxml").find_all("page")):
        middle = float(page["width"]) / 2
        for word in page.find_all("word"):
            x, top, bottom = (float(word[name]) for name in ("xmin", "ymin", "ymax"))
            words.append(Word(number, int(x > middle), x, top, bottom, word.get_text()))
    return words


def lines(words: list[Word], *, columns: bool) -> list[list[Word]]:
    """The words in reading order, as lines: page by page (with ``columns``, the left
    column before the right one), top to bottom, left to right. A raised or lowered
    sub- or superscript belongs to the line its box overlaps."""
    result: list[list[Word]] = []
    ordered = sorted(words, key=lambda w: (w.page, w.column if columns else 0, w.top))
    for word in ordered:
        line = result[-1] if result else []
        same_flow = line and (line[0].page, line[0].column if columns else 0) == (
            word.page,
            word.column if columns else 0,
        )
        if same_flow and word.top < max(w.bottom for w in line) - word.height / 2:
            line.append(word)
        else:
            result.append([word])
    return [sorted(line, key=lambda w: w.x) for line in result]


def runs(words_lines: list[list[Word]], *texts: str) -> list[tuple[Word, ...]]:
    """Each run of consecutive words of one line that spell ``texts``."""
    found = []
    for line in words_lines:
        for i in range(len(line) - len(texts) + 1):
            if [w.text for w in line[i : i + len(texts)]] == list(texts):
                found.append(tuple(line[i : i + len(texts)]))
    return found


def index_lines(words: list[Word]) -> list[str]:
    """The lines of the index pages (after the ``INDEX`` heading), in reading order:
    left column, then right column."""
    [heading] = [word for word in words if word.text == "INDEX"]
    pages = [word for word in words if word.page >= heading.page and word is not heading]
    return [" ".join(word.text for word in line) for line in lines(pages, columns=True)]


@pytest.mark.latexpdf
@pytest.mark.skipif(not shutil.which("latexmk"), reason="TeX Live is installed by .ci/run")
@pytest.mark.parametrize("engine", ["pdflatex", "xelatex", "lualatex"])
def test_pdf(build, engine: str) -> None:
    result = build(
        PAGES, buildername="latex", conf=f"latex_engine = {engine!r}", questions=QUESTIONS
    )
    assert result.warning_lines() == []
    proc = make_pdf(result.outdir)
    assert proc.returncode == 0, proc.stdout[-3000:]
    log = (result.outdir / "test.log").read_text("utf-8", errors="replace")
    assert "Missing character" not in log  # a glyph the font lacks is dropped silently

    text = pdf_text(result.outdir)
    assert "How does osmosis move water across a membrane?" in text
    assert "Posted on Feb 04, 2025" in text
    assert "Driving force" in text
    assert "an Übergang in German" in text
    assert "the énergie of the state" in text

    words = pdf_words(result.outdir)
    body = lines(words, columns=False)
    # chemistry: \ce{Ca^2+ + 2HCO3- -> ...} with mhchem, in every engine
    assert runs(body, "precipitate:", "Ca", "2+", "+", "2", "HCO")
    if engine == "pdflatex":  # Ca²⁺ and H₂O set as math: 2+ raised, 2 lowered, smaller
        [(_, ca, charge)] = runs(body, "dissolved", "Ca", "2+")
        assert charge.top < ca.top and charge.bottom < ca.bottom
        assert charge.height < ca.height
        [(_, h, two, o)] = runs(body, "the", "H", "2", "O")
        assert two.bottom > h.bottom and two.height < h.height and o.bottom == h.bottom
    else:  # xelatex and lualatex set the characters from the font
        assert "dissolved Ca²⁺ and HCO₃⁻ ions between the H₂O molecules" in text

    # the index: non-ASCII keywords among their base letters (makeindex for pdflatex,
    # xindy for xelatex and lualatex)
    index = index_lines(words)
    calcium = "Ca 2+" if engine == "pdflatex" else "Ca²⁺"
    order = ["C", calcium, "Chemistry"]  # makeindex sorts Ca² before calcium, xindy after
    order += ["E", "eigenvalue", "electrolyte", "énergie", "entropy"]
    order += ["P", "Physics", "S", "Schrödinger"]
    if engine == "pdflatex":  # xindy's English rules (xelatex, lualatex) put Ü under O
        order += ["U", "Übergang"]
    order += ["Z", "zero-point energy"]
    assert [line for line in index if line in order] == order, index
    assert "Übergang" in index
    # an entry, then its questions
    energie = index.index("énergie")
    assert index[energie + 1] == "What does the Schrödinger equation say"


# The sort keys themselves, on the LaTeX source (fast: no PDF)

USER_INDEX = """\

.. index:: single: Ångström
"""


def latex_source(result) -> str:
    [tex] = list(result.outdir.glob("*.tex"))
    return tex.read_text("utf-8")


@pytest.mark.parametrize(
    ("conf", "ascii_keys"),
    [
        ("", True),  # pdflatex: makeindex
        ("latex_engine = 'xelatex'", False),  # xindy
        ("latex_use_xindy = True", False),  # pdflatex with xindy
        ("latex_engine = 'lualatex'\nlatex_use_xindy = False", True),
    ],
)
def test_index_sort_keys(build, conf: str, ascii_keys: bool) -> None:
    pages = {**PAGES, "unicode.rst": UNICODE + USER_INDEX}
    result = build(pages, buildername="latex", conf=conf, questions=QUESTIONS)
    assert result.warning_lines() == []
    tex = latex_source(result)
    entry = r"\index{%s@\spxentry{énergie}!What does the %s equation"
    if ascii_keys:
        assert entry % ("energie", "Schrodinger") in tex
        assert r"\index{Ubergang@\spxentry{Übergang}" in tex
        assert "\\index{zero\\sphinxhyphen{}point energy@" in tex  # ASCII: unchanged
    else:
        assert entry % ("énergie", "Schrödinger") in tex
    # the project's own index entries stay as Sphinx writes them
    assert r"\index{Ångström@\spxentry{Ångström}}" in tex


@pytest.mark.parametrize(
    ("written", "sorted_as"),
    [
        (
            r"\index{énergie@\spxentry{énergie}|spxpagem}",
            r"\index{energie@\spxentry{énergie}|spxpagem}",
        ),
        (
            r"\index{Straße@\spxentry{Straße}!Öl@\spxentry{Öl}}",
            r"\index{Strasse@\spxentry{Straße}!Ol@\spxentry{Öl}}",
        ),
        (r'x\index{a"@é@\spxentry{a"@é}}y', r'x\index{a"@e@\spxentry{a"@é}}y'),  # quoted @
        (r"\index{ｘ＠ｙ@\spxentry{ｘ＠ｙ}}", r"\index{x*0FF20y@\spxentry{ｘ＠ｙ}}"),
        (r"\index{水@\spxentry{水}|see{é}}", r"\index{*06C34@\spxentry{水}|see{é}}"),
        (r"\index{½@\spxentry{½}}", r"\index{*000BD@\spxentry{½}}"),
        (r"\label{é}\index{a@b}", r"\label{é}\index{a@b}"),
    ],
)
def test_ascii_sort_keys(written: str, sorted_as: str) -> None:
    assert ascii_sort_keys(written) == sorted_as


DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.latexpdf
@pytest.mark.parametrize("engine", ["pdflatex", "xelatex", "lualatex"])
def test_the_documentation_prints_with_each_engine(tmp_path: Path, engine: str) -> None:
    """The project's own docs (every feature, with its examples) as a PDF book."""
    done = sphinx_build(
        DOCS, tmp_path, "-W", "--keep-going", "-D", f"latex_engine={engine}", builder="latex"
    )
    assert done.returncode == 0, done.stderr
    made = make_pdf(tmp_path)
    assert made.returncode == 0, made.stdout[-3000:]
    [pdf] = tmp_path.glob("*.pdf")
    text = pdf_text(tmp_path, layout=False, name=pdf.name)
    assert "sphinxext-quicktakes" in text and "Project layouts" in text
