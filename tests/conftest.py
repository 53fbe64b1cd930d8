"""Test helpers: build small real Sphinx projects from page texts and example questions."""

from __future__ import annotations

import importlib.util
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

pytest_plugins = ["sphinx.testing.fixtures"]

QUESTIONS = Path(__file__).parent / "questions"
ROOTS = Path(__file__).parent / "roots"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def load_script(name: str) -> ModuleType:
    """A script of ``scripts/`` (which is no package), imported as a module."""
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def sphinx_build(
    srcdir: Path,
    outdir: Path,
    *options: str,
    builder: str = "html",
    env: Mapping[str, str] | None = None,
    check: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run ``sphinx-build`` (``python -m sphinx``) in a subprocess, as a user would:
    ``--no-color``, the output captured as text. ``options`` come before the folders."""
    command = [sys.executable, "-m", "sphinx", "--no-color", "-b", builder, *options]
    return subprocess.run(
        [*command, str(srcdir), str(outdir)],
        capture_output=True,
        text=True,
        env=None if env is None else dict(env),
        check=check,
    )


def make_pdf(outdir: Path) -> subprocess.CompletedProcess[str]:
    """What ``make latexpdf`` does: Sphinx's Makefile (latexmk, xindy for xelatex)."""
    return subprocess.run(
        ["make", "-C", str(outdir), "all-pdf"],
        env={**os.environ, "LATEXOPTS": "-interaction=nonstopmode -halt-on-error"},
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=900,
    )


def search_index(outdir: Path) -> dict[str, Any]:
    """The data of a build's ``searchindex.js`` (``Search.setIndex({...})``)."""
    text = (outdir / "searchindex.js").read_text("utf-8")
    return dict(json.loads(text[text.index("(") + 1 : text.rindex(")")]))


def pdf_text(outdir: Path, *, layout: bool = True, name: str = "test.pdf") -> str:
    """The text of the PDF ``name`` in ``outdir``, as ``pdftotext`` reads it."""
    command = ["pdftotext", *(["-layout"] if layout else []), name, "-"]
    return subprocess.run(command, cwd=outdir, capture_output=True, text=True, check=True).stdout


@dataclass
class Build:
    """A finished build: the app, its output folder and its warnings."""

    app: SphinxTestApp
    srcdir: Path
    outdir: Path

    @property
    def warnings(self) -> str:
        return strip_colors(self.app.warning.getvalue())

    def warning_lines(self) -> list[str]:
        return [line for line in self.warnings.splitlines() if "WARNING" in line or "ERROR" in line]

    def html(self, page: str = "index") -> BeautifulSoup:
        return BeautifulSoup((self.outdir / f"{page}.html").read_text("utf-8"), "lxml")

    def text(self, name: str) -> str:
        return (self.outdir / name).read_text("utf-8")

    def doctree(self, docname: str = "index") -> nodes.document:
        path = Path(self.app.doctreedir) / f"{docname}.doctree"
        return pickle.loads(path.read_bytes())


def math_texts(element: Any) -> list[str]:
    """The TeX of every ``.math`` element, display math as ``\\[...\\]`` without the
    padding newlines some Sphinx versions add."""
    texts = []
    for node in element.select(".math"):
        text = node.get_text().strip()
        texts.append(re.sub(r"\A\\\[\s*(.*?)\s*\\\]\Z", r"\\[\1\\]", text, flags=re.S))
    return texts


def strip_colors(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def write_project(
    srcdir: Path,
    pages: dict[str, str],
    conf: str = "",
    questions: tuple[str, ...] = ("good",),
    myst: bool = False,
) -> None:
    """Write a project: conf.py, the given pages and copies of example question folders."""
    srcdir.mkdir(parents=True, exist_ok=True)
    extensions = ["myst_parser", "sphinxext_quicktakes"] if myst else ["sphinxext_quicktakes"]
    # a MyST project reads every .md file as a page: its banks must be excluded
    banks = [f"questions/{e}" + ("" if e.endswith(".md") else "/**") for e in questions]
    excluded = f"exclude_patterns = {banks if myst else []!r}\n"  # conf may add to it
    (srcdir / "conf.py").write_text(
        f"extensions = {extensions!r}\nproject = 'Test'\n{excluded}{conf}\n", encoding="utf-8"
    )
    for entry in questions:  # a folder of tests/questions, or one file in it
        target = srcdir / "questions" / entry
        if entry.endswith(".md"):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(QUESTIONS / entry, target)
        else:
            shutil.copytree(QUESTIONS / entry, target, dirs_exist_ok=True)
    for name, text in pages.items():
        path = srcdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Sphinx test roots: ``@pytest.mark.sphinx(testroot="layout-myst")`` uses
    ``tests/roots/test-layout-myst``."""
    return ROOTS


def updating_line(status: str) -> str:
    """Sphinx's ``updating environment: ... N added, M changed, K removed`` line."""
    match = re.search(
        r"updating environment: (?:\[[^\]]*\] )?(\d+ added, \d+ changed, \d+ removed)",
        strip_colors(status),
    )
    assert match, status
    return match.group(1)


@pytest.fixture
def build(tmp_path: Path) -> Callable[..., Build]:
    """Build a project written by :func:`write_project` with a real Sphinx builder."""
    apps: list[SphinxTestApp] = []

    def _build(
        pages: dict[str, str],
        *,
        buildername: str = "html",
        conf: str = "",
        questions: tuple[str, ...] = ("good",),
        myst: bool = False,
        srcdir: Path | None = None,
        **kwargs: Any,
    ) -> Build:
        srcdir = srcdir or tmp_path / "src"
        if not (srcdir / "conf.py").exists():
            write_project(srcdir, pages, conf, questions, myst)
        while apps:  # docutils registrations are global: one live app at a time
            apps.pop().cleanup()
        app = SphinxTestApp(buildername, srcdir=srcdir, **kwargs)
        apps.append(app)
        app.build()
        return Build(app, srcdir, Path(app.outdir))

    yield _build
    for app in apps:
        app.cleanup()


# --- Themes: one small project per HTML theme, answers hidden (tests/test_themes.py and
# tests/test_browser.py share the builds) -------------------------------------------------

THEMES = ("alabaster", "sphinx_rtd_theme", "furo", "pydata_sphinx_theme", "sphinx_book_theme")

WIDE_COLUMNS = 14


def wide_question() -> str:
    """A question file (id 900101) whose answer has a table of 14 columns and a display
    formula of 40 terms, each far wider than a phone's screen, under two sub-headings."""
    text = (QUESTIONS / "good" / "osmosis.md").read_text("utf-8")
    head = " | ".join(f"Column {i}" for i in range(WIDE_COLUMNS))
    row = " | ".join(f"value{i}x{i}" for i in range(WIDE_COLUMNS))
    rule = "|".join("---" for _ in range(WIDE_COLUMNS))
    formula = " + ".join(f"a_{{{i}}} x^{{{i}}}" for i in range(40))
    answer = (
        r"A wide answer.\n\n### A wide table\n\n"
        rf"| {head} |\n|{rule}|\n| {row} |\n\n"
        rf"### A long formula\n\n$$\n{formula}\n$$\n\nThe same inline: ${formula}$."
    )
    text = re.sub(r"(?m)^answer: >-\n    .*$", lambda _: f"answer: >-\n    {answer}", text)
    text = text.replace("900001", "900101")
    text = text.replace("How does osmosis move water across a membrane?", "How wide is it?")
    text = re.sub(r"(?m)^file_name: .*$", "file_name: how-wide-is-it.md", text)
    return re.sub(r"(?m)^url: .*$", "url: /learn/biology/questions/how-wide-is-it", text)


def write_theme_project(srcdir: Path, theme: str) -> None:
    """index (a toctree, so rtd's sidebar lists the page) and questions: osmosis (sub-headings,
    table, footnote, math), water (mhchem) and the wide question, answers hidden. MathJax
    is loaded from ``_static/mathjax`` (tests/test_browser.py links the npm copy there),
    without its speech and braille: they take seconds per page."""
    sidebars = "{'**': ['localtoc.html']}" if theme == "alabaster" else "{}"
    conf = (
        f"html_theme = {theme!r}\nhtml_sidebars = {sidebars}\n"
        "quicktakes_answers = 'hidden'\n"
        "mathjax_path = 'mathjax/tex-mml-chtml.js'\n"
        "mathjax3_config = mathjax4_config = {\n"
        "    'loader': {'paths': {'fonts': './_static/mathjax-fonts'}},\n"
        # MathJax 4's speech and braille (a web worker) take seconds per page here
        "    'options': {'menuOptions': {'settings': {\n"
        "        'enrich': False, 'speech': False, 'braille': False}}},\n"
        "}\n"
    )
    pages = {
        "index.rst": "Home\n====\n\n.. toctree::\n\n   questions\n",
        "questions.rst": "Questions\n=========\n\nThree questions.\n\n"
        ".. quicktake:: questions/good/osmosis.md\n\n"
        ".. quicktake:: questions/good/water.md\n\n"
        ".. quicktake:: questions/wide.md\n",
    }
    write_project(srcdir, pages, conf, questions=("good/osmosis.md", "good/water.md"))
    (srcdir / "questions" / "wide.md").write_text(wide_question(), encoding="utf-8")


@pytest.fixture(scope="session")
def theme_sites(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The HTML output folder of the theme project of a theme, built (once per session,
    with ``sphinx-build -W``) when first asked for."""
    root = tmp_path_factory.mktemp("themes")
    built: dict[str, Path] = {}

    def site(theme: str) -> Path:
        if theme not in built:
            srcdir, outdir = root / theme / "src", root / theme / "html"
            write_theme_project(srcdir, theme)
            result = sphinx_build(srcdir, outdir, "-W", "--keep-going", "-q")
            assert result.returncode == 0, result.stderr
            built[theme] = outdir
        return built[theme]

    return site


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PDF tests (marked ``latexpdf``) need TeX Live, which ``.ci/run`` installs: without
    ``latexmk`` they are skipped and say so."""
    if shutil.which("latexmk"):
        return
    skip = pytest.mark.skip(reason="TeX Live (latexmk) is installed by .ci/run")
    for item in items:
        if "latexpdf" in item.keywords:
            item.add_marker(skip)
