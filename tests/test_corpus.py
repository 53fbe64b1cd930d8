"""Every file of the real question bank in ``../shared/corpus`` renders through the directive:
no warning, no damaged math, every heading, list, table and code block of its answer in place.

Runs only where the corpus exists (it is not part of this repository)."""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from docutils import nodes

from sphinxext_quicktakes.model import load_question

from .conftest import CORPUS, load_script, make_pdf, pdf_text, sphinx_build, write_project

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present"),
]

FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
HEADING = re.compile(r"^#{1,6}[ \t]+\S")
TABLE_SEPARATOR = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
TEX_WORD = re.compile(r"\\[A-Za-z]+")


def expected_blocks(markdown: str) -> Counter[str]:
    """Headings, fenced code blocks and tables of decoded answer text, outside code."""
    counts: Counter[str] = Counter()
    fence: str | None = None
    for line in markdown.splitlines():
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)
            counts["code"] += 1
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        if HEADING.match(line):
            counts["heading"] += 1
        if TABLE_SEPARATOR.match(line) and "|" in line:
            counts["table"] += 1
    return counts


def rendered_blocks(question: nodes.Element) -> Counter[str]:
    counts: Counter[str] = Counter()
    counts["heading"] = sum(1 for s in question.findall(nodes.section) if s is not question)
    rubrics = [r for r in question.findall(nodes.rubric) if "quicktake-related" not in r["classes"]]
    counts["heading"] += len(rubrics) - (0 if isinstance(question, nodes.section) else 1)
    counts["code"] = sum(1 for _ in question.findall(nodes.literal_block))
    counts["table"] = sum(1 for _ in question.findall(nodes.table))
    return counts


def corpus_project(srcdir: Path) -> dict[str, list[Path]]:
    """A project with one page per subject holding a ``quicktake`` for each of its files."""
    files = sorted(CORPUS.glob("*/*.md"))
    by_subject: dict[str, list[Path]] = {}
    for path in files:
        by_subject.setdefault(path.parent.name, []).append(path)
    pages = {
        "index.rst": "Corpus\n======\n\n.. toctree::\n   :glob:\n\n   subjects/*\n",
    }
    for subject, paths in by_subject.items():
        directives = "".join(
            f".. quicktake:: {os.path.relpath(path, srcdir / 'subjects')}\n\n" for path in paths
        )
        pages[f"subjects/{subject}.rst"] = f"{subject}\n{'=' * len(subject)}\n\n{directives}"
    write_project(srcdir, pages, questions=())
    return by_subject


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory: pytest.TempPathFactory):
    from sphinx.testing.util import SphinxTestApp

    srcdir = tmp_path_factory.mktemp("corpus") / "src"
    by_subject = corpus_project(srcdir)
    app = SphinxTestApp("html", srcdir=srcdir)
    app.build()
    yield app, by_subject
    app.cleanup()


def test_no_warnings(corpus_build) -> None:
    app, by_subject = corpus_build
    warnings = [line for line in app.warning.getvalue().splitlines() if "WARNING" in line]
    assert warnings == []
    assert sum(len(paths) for paths in by_subject.values()) == 1000


def test_every_block_and_math_span_is_in_place(corpus_build) -> None:
    app, by_subject = corpus_build
    report = load_script("corpus_markdown_report")
    problems: list[str] = []
    for subject, paths in by_subject.items():
        doctree = app.env.get_doctree(f"subjects/{subject}")
        rendered = [n for n in doctree.findall(nodes.Element) if "quicktake" in n["classes"]]
        assert len(rendered) == len(paths), subject
        for path, question_node in zip(paths, rendered, strict=True):
            question = load_question(path)
            raw = load_question(path, unescape=False).answer
            expected = expected_blocks(question.answer)
            got = rendered_blocks(question_node)
            if expected != got:
                problems.append(f"{path.name}: blocks {dict(expected)} != {dict(got)}")
            _, damaged, _ = report.check_math(raw, question.answer)
            if damaged:
                problems.append(f"{path.name}: damaged math {damaged[:2]}")
            wanted: Counter[str] = Counter()
            for span in report.raw_math_spans(raw):
                wanted += report.expected_words(raw, span)[0]
            found: Counter[str] = Counter()
            for math in question_node.findall(
                lambda n: isinstance(n, nodes.math | nodes.math_block)
            ):
                found += Counter(TEX_WORD.findall(math.astext()))
            missing = wanted - found
            if missing:
                problems.append(f"{path.name}: TeX missing from math nodes {dict(missing)}")
    assert problems == []


@pytest.mark.latexpdf
@pytest.mark.skipif(not shutil.which("latexmk"), reason="TeX Live is installed by .ci/run")
def test_the_whole_bank_prints_as_a_pdflatex_book(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    by_subject = corpus_project(srcdir)
    outdir = tmp_path / "latex"
    build = sphinx_build(srcdir, outdir, "-q", builder="latex")
    assert build.returncode == 0 and build.stderr == "", build.stderr
    pdf = make_pdf(outdir)
    assert pdf.returncode == 0, pdf.stdout[-3000:]
    text = pdf_text(outdir, layout=False)
    first = load_question(next(iter(by_subject.values()))[0])
    assert " ".join(first.heading.split()[:4]) in " ".join(text.split())
