"""Answers are content, not code: one test per attack of the security issue, each with a
hostile file under ``tests/questions/hostile`` and assertions on the built output."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.inventory import InventoryFile

from .conftest import QUESTIONS, make_pdf, pdf_text, strip_colors, write_project

HOSTILE = sorted(p.name for p in (QUESTIONS / "hostile").glob("*.md"))
SECRET = "TOPSECRET-TEXT"
OSMOSIS = "How does osmosis move water across a membrane?"


def _pages() -> dict[str, str]:
    pages = {
        "index.rst": "Index\n=====\n\n.. toctree::\n   :glob:\n\n   *\n",
        "install.rst": ".. _install:\n\nInstall\n=======\n\nThe project's own install page.\n",
        "links.rst": "Links\n=====\n\nSee :ref:`install` and :ref:`quicktake-900001`.\n",
    }
    for name in HOSTILE:
        stem = name.removesuffix(".md")
        pages[f"{stem}.rst"] = (
            f"{stem}\n{'=' * len(stem)}\n\n.. quicktake:: questions/hostile/{name}\n\n"
            f".. quicktake:: questions/good/osmosis.md\n\nThe end of {stem}.\n"
        )
    return pages


class Built:
    """One finished build of the hostile project."""

    def __init__(self, root: Path, buildername: str) -> None:
        app = SphinxTestApp(buildername, srcdir=root / "src", builddir=root / buildername)
        try:
            app.build()
        finally:
            app.cleanup()
        self.outdir = Path(app.outdir)
        self.warnings = strip_colors(app.warning.getvalue())

    def html(self, page: str) -> BeautifulSoup:
        return BeautifulSoup((self.outdir / f"{page}.html").read_text("utf-8"), "lxml")

    def warned(self, stem: str) -> list[tuple[str, str]]:
        """(subtype, line) of every quicktakes warning at ``questions/hostile/<stem>.md``."""
        pattern = rf"hostile/{stem}\.md:(\d+): WARNING: .*\[quicktakes\.([\w-]+)\]"
        return [(m.group(2), m.group(1)) for m in re.finditer(pattern, self.warnings)]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    write_project(root / "src", _pages(), questions=("good", "hostile"))
    (root / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    shutil.copyfile(QUESTIONS / "hostile" / "diagram.png", root / "secret.png")
    return root


@pytest.fixture(scope="module")
def html(project: Path) -> Built:
    return Built(project, "html")


@pytest.fixture(scope="module")
def latex(project: Path) -> Built:
    return Built(project, "latex")


def _question(built: Built, stem: str, qid: str) -> BeautifulSoup:
    section = built.html(stem).select_one(f"section#quicktake-{qid}")
    assert section is not None
    return section


def test_no_warning_lands_on_a_host_page(html: Built) -> None:
    """Every problem of a hostile answer is a quicktakes warning at its question file."""
    lines = [line for line in html.warnings.splitlines() if "WARNING" in line or "ERROR" in line]
    assert lines
    for line in lines:
        assert "/questions/hostile/" in line and "[quicktakes." in line, line


def test_the_sibling_question_and_the_page_survive(html: Built) -> None:
    for name in HOSTILE:
        stem = name.removesuffix(".md")
        page = html.html(stem)
        assert page.select_one("section#quicktake-900001 h2").get_text().startswith(OSMOSIS)
        assert f"The end of {stem}." in page.get_text()


def test_raw_directive_and_roles_are_text(html: Built) -> None:
    section = _question(html, "raw-directive", "810001")
    assert section.find("script") is None
    assert not [tag for tag in section.find_all(True) if any(a.startswith("on") for a in tag.attrs)]
    refused = [node.get_text() for node in section.select(".quicktakes-refused")]
    assert any('<script>alert("raw")</script>' in text for text in refused)
    assert "{raw}`<b onmouseover=alert(1)>x</b>`" in refused
    assert "{py:func}`os.system`" in refused
    assert "After the fence." in section.get_text()
    assert html.warned("raw-directive") == [("unsafe-markup", "9")]


def test_no_file_is_read_into_the_page(html: Built) -> None:
    section = _question(html, "file-read", "810002")
    text = section.get_text()
    assert SECRET not in text and "root:x:0:0" not in text
    refused = " ".join(node.get_text() for node in section.select(".quicktakes-refused"))
    for name in ("{literalinclude}", "{csv-table}", "{eval-rst}", "{include}"):
        assert name in refused
    assert "The end of the reading answer." in text
    for path in html.outdir.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".txt", ".js"}:
            assert SECRET not in path.read_text("utf-8", "replace"), path


def test_no_outside_file_is_copied(html: Built) -> None:
    copied = sorted(p.name for p in html.outdir.rglob("*") if p.is_file() and "secret" in p.name)
    assert copied == []
    section = _question(html, "file-copy", "810003")
    for tag in section.find_all(["a", "img"]):
        target = tag.get("href") or tag.get("src") or ""
        assert "secret" not in target and "/etc/" not in target, tag
    # what the bank holds is allowed: the diagram beside the question file
    assert [img["alt"] for img in section.find_all("img")] == ["the diagram"]
    downloads = [a["href"] for a in section.select("a.download")]
    assert len(downloads) == 1 and downloads[0].endswith("/diagram.png")
    assert (html.outdir / downloads[0]).read_bytes()[:4] == b"\x89PNG"
    assert sorted(set(html.warned("file-copy"))) == [("unsafe-link", "9"), ("unsafe-markup", "9")]


def test_recursion_is_refused_and_the_build_finishes(html: Built) -> None:
    section = _question(html, "recursion", "810004")
    refused = " ".join(node.get_text() for node in section.select(".quicktakes-refused"))
    assert "{quicktake} recursion.md" in refused and "{toctree}" in refused
    assert "{quicktakes} *.md" in refused
    assert "The end of the recursing answer." in section.get_text()
    assert "RecursionError" not in html.warnings


def test_labels_are_namespaced_and_never_take_over(html: Built) -> None:
    links = html.html("links")
    hrefs = [a["href"] for a in links.select("a.reference.internal")]
    # the first full rendering in document order, not the answer's forged (quicktake-900001)=
    assert hrefs == ["install.html#install", "file-copy.html#quicktake-900001"]
    section = _question(html, "labels", "810005")
    ids = {tag["id"] for tag in section.find_all(id=True)}
    assert "quicktake-810005-install" in ids and "install" not in ids
    own = [a["href"] for a in section.select("a.reference.internal")]
    assert own.count("#quicktake-810005-install") == 2  # {ref} and [](#install)
    assert "#equation-quicktake-810005-energy" in own  # {eq} finds the namespaced label
    assert all(not re.search(r"[^A-Za-z0-9:_#./-]", href) for href in own), own


def test_answer_label_clash_is_reported(tmp_path: Path, build) -> None:
    pages = {
        "index.rst": "Index\n=====\n\n.. quicktake:: questions/hostile/labels.md\n\n"
        ".. quicktake:: questions/hostile/labels.md\n"
    }
    result = build(pages, questions=("hostile",))
    assert "[quicktakes.label]" in result.warnings
    assert "labels.md:9" in result.warnings


def test_tex_never_reaches_latex_unchecked(latex: Built) -> None:
    tex = (latex.outdir / "test.tex").read_text("utf-8")
    body = tex[tex.index(r"\begin{document}") :]
    for command in (
        r"\input{/etc/passwd}",
        r"\pdfmdfivesum",
        r"\pdffilesize",
        r"\global\hsize",
        r"\loop",
        r"\href{javascript",
        r"\relax{",
    ):
        # shown as text, a backslash is \textbackslash{} (\PYGZbs{} in code): never a command
        assert command not in body, command
    assert r"\textbackslash{}global\textbackslash{}hsize=3cm" in body
    assert r"\(\frac{a}{b}\)" in body and r"\(\sqrt{2}\)" in body
    assert r"\label{equation:labels:quicktake-810005-ainputetcpasswdrelax}" in body


def test_tex_warnings(html: Built) -> None:
    assert sorted(set(html.warned("tex-paths"))) == [("bad-tex", "9"), ("unsafe-tex", "9")]
    section = _question(html, "tex-paths", "810006")
    refused = [node.get_text() for node in section.select(".quicktakes-refused")]
    for tex in (
        r"\pdffilesize{/etc/passwd}",
        r"\input{/etc/passwd}",
        r"\global\hsize=3cm",
        r"\href{javascript:alert(1)}{x}",
        r"\frac{a",
    ):
        assert any(tex in text for text in refused), tex


def test_list_summaries_use_the_checked_math(build) -> None:
    pages = {
        "index.rst": "I\n=\n\n.. quicktakes:: questions/hostile/tex-paths.md\n   :display: list\n"
    }
    result = build(pages, questions=("hostile",), buildername="latex")
    tex = (result.outdir / "test.tex").read_text("utf-8")
    body = tex[tex.index(r"\begin{document}") :]
    assert r"\pdffilesize" not in body


def test_reference_problems_are_reported_at_the_question_file(html: Built) -> None:
    warned = html.warned("refs")
    assert ("markdown", "9") in warned and warned.count(("ref", "9")) == 2
    assert "refs.rst" not in html.warnings
    assert "[^nope]" in _question(html, "refs", "810007").get_text()


def test_forged_ids_never_reach_objects_inv(build) -> None:
    pages = {
        "index.rst": "I\n=\n\n.. quicktake:: questions/bad/id-newline.md\n\n"
        ".. quicktake:: questions/good/osmosis.md\n"
    }
    result = build(pages, questions=("good", "bad/id-newline.md"))
    with open(result.outdir / "objects.inv", "rb") as stream:
        inventory = InventoryFile.load(
            stream, "https://example.org", lambda *parts: "/".join(parts)
        )
    names = sorted(name for entries in inventory.values() for name in entries)
    assert all("\n" not in name and "\u2028" not in name for name in names), names
    assert "900001" in names and not any(name.startswith("12") for name in names), names


@pytest.mark.latexpdf
@pytest.mark.skipif(not shutil.which("latexmk"), reason="TeX Live is installed by .ci/run")
def test_a_book_of_tex_attacks_prints_in_bounded_time(project: Path, latex: Built) -> None:
    started = time.monotonic()
    proc = make_pdf(latex.outdir)
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert elapsed < 300
    text = pdf_text(latex.outdir)
    assert text.count(OSMOSIS) >= len(HOSTILE)  # every sibling question is in the book
    assert "Can math reach outside the formula?" in text
    assert SECRET not in text and "root:x:0:0" not in text


def _huge_question(path: Path, qid: int, answer: str) -> None:
    path.write_text(
        f'---\nid: {qid}\ntitle: Huge {qid}\nquestion: Huge {qid}\nanswer: "{answer}"\n---\n',
        encoding="utf-8",
    )


def test_pathological_answers_render_or_are_refused_quickly(tmp_path: Path, build) -> None:
    """Answers just under quicktakes_max_file_size on which markdown-it is quadratic."""
    size = 1_000_000
    src = tmp_path / "src"
    (src / "questions" / "huge").mkdir(parents=True)
    answers = {
        830001: "[" * size,  # unclosed brackets: 75 s before
        830002: "[a " * (size // 3),
        830003: "<a " * (size // 3),
        830004: "- item\\n" * (size // 8),
    }
    for qid, answer in answers.items():
        _huge_question(src / "questions" / "huge" / f"q{qid}.md", qid, answer)
    index = "Huge\n====\n\n" + "".join(
        f".. quicktake:: questions/huge/q{qid}.md\n\n" for qid in answers
    )
    pages = {"index.rst": index + ".. quicktake:: questions/good/osmosis.md\n\nThe end.\n"}
    write_project(src, pages)
    started = time.monotonic()
    result = build(pages, srcdir=src)
    elapsed = time.monotonic() - started
    assert elapsed < 10 * len(answers), elapsed
    page = result.html()
    assert page.select_one("section#quicktake-900001") is not None
    assert "The end." in page.get_text()
    for qid in answers:
        assert page.select_one(f"section#quicktake-{qid}") is not None
    refused = re.findall(r"q(\d+)\.md:\d+: WARNING: .*\[quicktakes\.too-complex\]", result.warnings)
    rendered = set(answers) - {int(qid) for qid in refused}
    assert refused and "Traceback" not in result.warnings
    for qid in rendered:  # what is not refused is shown
        assert len(page.select_one(f"section#quicktake-{qid}").get_text()) > 1000


def test_a_trusted_bank_can_widen_the_allowlist(build) -> None:
    pages = {"index.rst": "I\n=\n\n.. quicktake:: questions/hostile/raw-directive.md\n"}
    conf = "quicktakes_answer_directives = ['raw']\nquicktakes_answer_roles = ['py:func']"
    result = build(pages, questions=("hostile",), conf=conf)
    section = result.html().select_one("section#quicktake-810001")
    assert section.find("script").get_text() == 'alert("raw")'  # the project opted in
    refused = [node.get_text() for node in section.select(".quicktakes-refused")]
    assert refused == ["{raw}`<b onmouseover=alert(1)>x</b>`"]  # roles were not widened
    assert "os.system" in section.select_one("code.xref").get_text()  # the widened role ran


def test_a_symlink_in_a_pages_folder_never_becomes_a_page(tmp_path: Path, build) -> None:
    src = tmp_path / "src"
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = (
        (QUESTIONS / "good" / "osmosis.md")
        .read_text("utf-8")
        .replace("Osmosis is the net", "SECRETLEAK Osmosis is the net")
    )
    (outside / "leak.md").write_text(secret, encoding="utf-8")
    pages = {"index.rst": "I\n=\n\n.. toctree::\n   :glob:\n\n   questions/pages/*\n"}
    conf = "quicktakes_pages = ['questions/pages/*.md']"
    write_project(src, pages, conf, questions=("good/water.md",))
    (src / "questions" / "pages").mkdir()
    shutil.move(src / "questions" / "good" / "water.md", src / "questions" / "pages" / "water.md")
    (src / "questions" / "pages" / "leak.md").symlink_to(outside / "leak.md")
    result = build(pages, srcdir=src)
    built = sorted(p.name for p in (result.outdir / "questions" / "pages").glob("*.html"))
    assert built == ["water.html"]
    for path in result.outdir.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".js", ".json", ".txt"}:
            assert "SECRETLEAK" not in path.read_text("utf-8", "replace"), path
