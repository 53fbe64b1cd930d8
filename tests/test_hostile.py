"""Untrusted question banks: every broken or hostile file gives its warnings (no traceback),
valid siblings still render, and no user text becomes markup, script or TeX commands."""

from __future__ import annotations

import io
import json
import re
import shutil
import time
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

from sphinxext_quicktakes import globs
from sphinxext_quicktakes.cli import main
from sphinxext_quicktakes.errors import QuickTakesError, Subtype
from sphinxext_quicktakes.model import load_question

from .conftest import QUESTIONS, sphinx_build, write_project

BAD = sorted(p.name for p in (QUESTIONS / "bad").glob("*.md"))
VALID = {"bom.md", "crlf.md", "script-injection.md", "tex-injection.md"}  # well-formed files
OSMOSIS = "How does osmosis move water across a membrane?"


#: What each file of tests/questions/bad must give, written by reading the file against the
#: rules of the loader (sphinxext_quicktakes/model.py, errors.py): (subtype, file line).
#: Problems of the whole file (empty, missing answer...) are reported on line 1.
LOAD_PROBLEMS: dict[str, list[tuple[str, int]]] = {
    "answer-dict.md": [("field-type", 4)],  # answer: a mapping
    "answer-list.md": [("field-type", 13)],  # answer: a list
    "answer-null.md": [("field-type", 4)],  # answer: (nothing)
    "answer-number.md": [("field-type", 4)],  # answer: 42
    "bad-date-format.md": [("date-format", 5)],  # HH and mm are no supported tokens
    "bad-date.md": [("date", 4)],  # month 13
    "billion-laughs.md": [("yaml", 4)],  # the first anchored list used twice (a: &a)
    "bom.md": [],
    "control-chars.md": [  # DEL in the title, SOH and ESC in the answer, "\a" in author
        ("control-char", 4),
        ("control-char", 6),
        ("control-char", 8),
    ],
    "crlf.md": [],
    "date-list.md": [("date", 4)],  # two dates in a list
    "deeply-nested.md": [("yaml", 4)],  # seo nests flow lists past YAML's limit
    "duplicate-keys.md": [("yaml", 5)],  # the second answer
    "empty.md": [("empty", 1)],
    "id-mapping.md": [("field-type", 2)],
    "id-newline.md": [("field-type", 2), ("field-type", 7)],  # "\n" in id, U+2028 in a related id
    "latin1.md": [("read", 4)],  # the byte 0xe9 of "Café"
    "list-front-matter.md": [("yaml", 2)],
    "literal-date-format.md": [("date-format", 5)],  # no date token at all
    "malformed-yaml.md": [("yaml", 3)],  # the quoted title that never closes
    "missing-answer.md": [("missing-field", 1)],
    "missing-question.md": [("missing-field", 3)],  # at the title that stands in for it
    "no-front-matter.md": [("empty", 1)],
    "no-question-no-title.md": [("missing-field", 1)],  # nothing to use as a heading
    "related-not-mapping.md": [("field-type", 4)],
    "scalar-front-matter.md": [("yaml", 2)],
    "script-injection.md": [],  # all text: harmless until rendered
    "tabs.md": [("yaml", 5)],  # a tab as indentation
    "tex-injection.md": [],
    "unclosed-front-matter.md": [("yaml", 1)],
    "unknown-token.md": [("date-format", 5)],  # Q
    "wrong-types.md": [("field-type", 4), ("field-type", 5)],  # author a list, seo text
    "yes-key.md": [("yaml", 4)],  # the key yes is read as true
}
#: Found only when the answer is rendered (``check`` reads files, it does not render).
RENDER_PROBLEMS: dict[str, list[tuple[str, int]]] = {
    "script-injection.md": [("raw-html", 4), ("raw-html", 15), ("unsafe-link", 15)],
    "tex-injection.md": [("unsafe-tex", 6)],
}
#: Files that cannot be shown at all (the others render, with their problems).
FATAL = {
    "answer-dict.md", "answer-list.md", "answer-null.md", "answer-number.md",
    "billion-laughs.md", "deeply-nested.md", "empty.md", "latin1.md",
    "list-front-matter.md", "malformed-yaml.md", "missing-answer.md", "no-front-matter.md",
    "no-question-no-title.md", "scalar-front-matter.md", "tabs.md", "unclosed-front-matter.md",
}  # fmt: skip
#: The subtypes a question file that exists can cause while it is loaded.
LOAD_SUBTYPES = {
    "read", "yaml", "empty", "missing-field", "field-type", "date", "date-format",
    "control-char",
}  # fmt: skip


def expected_problems(name: str) -> Counter[tuple[str, int]]:
    """What the build must warn for one file (once per page that shows it)."""
    return Counter(LOAD_PROBLEMS[name] + RENDER_PROBLEMS.get(name, []))


def test_the_table_covers_every_bad_file_and_every_load_subtype() -> None:
    assert set(LOAD_PROBLEMS) == set(BAD)
    assert set(BAD) >= FATAL | VALID and not FATAL & VALID
    for name in FATAL:  # a file that cannot be shown has exactly one error
        assert len(LOAD_PROBLEMS[name]) == 1, name
    for name in VALID:
        assert LOAD_PROBLEMS[name] == []
    triggered = {subtype for problems in LOAD_PROBLEMS.values() for subtype, _ in problems}
    assert triggered == LOAD_SUBTYPES
    assert LOAD_SUBTYPES | {"missing-file"} <= {subtype.value for subtype in Subtype}


def test_check_reports_the_table() -> None:
    """``quicktakes check`` over the folder prints the load problems of the table (and
    nothing for the problems only rendering finds)."""
    out = io.StringIO()
    code = main(["check", str(QUESTIONS / "bad")], stdout=out)
    assert code == 1
    lines = out.getvalue().splitlines()
    found: dict[str, Counter[tuple[str, int]]] = {name: Counter() for name in BAD}
    for line in lines[:-1]:
        match = re.fullmatch(r"(.*)/([^/]+\.md):(\d+): ([\w-]+): .+", line)
        assert match, line
        assert match.group(1) == str(QUESTIONS / "bad")
        found[match.group(2)][(match.group(4), int(match.group(3)))] += 1
    assert found == {name: Counter(LOAD_PROBLEMS[name]) for name in BAD}
    errors = len(FATAL)
    warnings = sum(len(problems) for problems in LOAD_PROBLEMS.values()) - errors
    broken = sum(bool(problems) for problems in LOAD_PROBLEMS.values())
    assert lines[-1] == (
        f"checked {len(BAD)} files: {errors} errors, {warnings} warnings in {broken} files"
    )
    out = io.StringIO()
    assert main(["check", "--format", "json", str(QUESTIONS / "bad")], stdout=out) == 1
    report = json.loads(out.getvalue())
    failed = {Path(p["path"]).name for p in report["problems"] if p["severity"] == "error"}
    assert failed == FATAL


@pytest.fixture(scope="module")
def bad_project(tmp_path_factory: pytest.TempPathFactory):
    """One page per bad file (the file, then a good sibling), and one MyST page with a
    collection over the whole folder."""
    from sphinx.testing.util import SphinxTestApp

    srcdir = tmp_path_factory.mktemp("bad") / "src"
    pages = {
        "index.rst": "Bad input\n=========\n\n.. toctree::\n   :glob:\n\n   pages/*\n   all\n",
        "all.md": "# All\n\n```{quicktakes} questions/bad/*.md questions/good/osmosis.md\n"
        ":include-noindex:\n```\n\nThe end of the collection page.\n",
    }
    for name in BAD:
        stem = name.removesuffix(".md")
        pages[f"pages/{stem}.rst"] = (
            f"{stem}\n{'=' * len(stem)}\n\n.. quicktake:: ../questions/bad/{name}\n\n"
            ".. quicktake:: ../questions/good/osmosis.md\n\nThe end.\n"
        )
    # files that are not even YAML mappings would be MyST pages: a project keeps its bank out
    conf = "exclude_patterns = ['questions/**']"
    write_project(srcdir, pages, conf, questions=("good", "bad"), myst=True)
    app = SphinxTestApp("html", srcdir=srcdir)
    app.build()
    app.cleanup()  # docutils registrations are global: the output and warnings stay
    return app


def warnings_for(app, name: str) -> list[str]:
    lines = app.warning.getvalue().splitlines()
    return [line for line in lines if f"questions/bad/{name}:" in line.replace("\\", "/")]


def parse(line: str) -> tuple[str, int | None]:
    match = re.search(r"\.md:(\d*):.*\[quicktakes\.([\w-]+)\]", line)
    assert match, line
    return match.group(2), int(match.group(1)) if match.group(1) else None


@pytest.mark.parametrize("name", BAD)
def test_each_bad_file_warns_and_the_page_still_builds(bad_project, name: str) -> None:
    from bs4 import BeautifulSoup

    app = bad_project
    assert "Traceback" not in app.warning.getvalue()
    found = Counter(parse(line) for line in warnings_for(app, name))
    # both the page of its own and the collection page report it
    expected = expected_problems(name)
    assert found == Counter({key: 2 * n for key, n in expected.items()}), found
    if name not in VALID:
        assert found, "a broken file must warn"
    page = BeautifulSoup(
        (Path(app.outdir) / "pages" / f"{name.removesuffix('.md')}.html").read_text("utf-8"),
        "lxml",
    )
    assert OSMOSIS in [h.get_text().rstrip("¶") for h in page.select("section.quicktake h2")]
    assert "The end." in page.get_text()


def test_the_collection_renders_every_valid_sibling(bad_project) -> None:
    from bs4 import BeautifulSoup

    page = BeautifulSoup((Path(bad_project.outdir) / "all.html").read_text("utf-8"), "lxml")
    shown = page.select("section.quicktake > h2, div.quicktake > p.rubric:first-child")
    assert len(shown) == len(set(BAD) - FATAL) + 1  # and osmosis
    assert "The end of the collection page." in page.get_text()


# -- files that only exist at test time ----------------------------------------------------


def test_huge_directory_vanishing_and_symlinked_files(build, tmp_path, monkeypatch) -> None:
    srcdir = tmp_path / "src"
    folder = srcdir / "questions" / "odd"
    folder.mkdir(parents=True)
    (folder / "huge.md").write_text(
        "---\nid: 1\nquestion: Huge?\nanswer: >-\n    " + "x" * (5 * 1024 * 1024) + "\n---\n",
        "utf-8",
    )
    (folder / "folder.md").mkdir()  # a directory that matches *.md
    (folder / "loop").symlink_to(folder, target_is_directory=True)  # a symlink loop
    outside = tmp_path / "outside.md"
    shutil.copy(QUESTIONS / "good" / "maxwell.md", outside)
    (folder / "outside.md").symlink_to(outside)  # a file outside the source tree
    shutil.copy(QUESTIONS / "good" / "osmosis.md", folder / "osmosis.md")

    real_find = globs.find

    def find_then_vanish(*args, **kwargs):
        found = real_find(*args, **kwargs)
        return globs.Found((*found.files, str(folder / "vanished.md")), found.left_out)

    monkeypatch.setattr("sphinxext_quicktakes.domain.find", find_then_vanish)
    pages = {"index.rst": "Page\n====\n\n.. quicktakes:: questions/odd/**/*.md\n\nThe end.\n"}
    started = time.monotonic()
    result = build(pages, questions=())
    assert time.monotonic() - started < 60
    warnings = result.warning_lines()
    assert len(warnings) == 2, warnings
    [huge] = [w for w in warnings if "huge.md" in w]
    [vanished] = [w for w in warnings if "vanished.md" in w]
    assert "huge.md:1:" in huge and "over the limit of 1,048,576" in huge
    assert "[quicktakes.read]" in huge
    assert "vanished.md" in vanished and "[quicktakes.missing-file]" in vanished
    shown = [h.get_text().rstrip("¶") for h in result.html().select("section.quicktake h2")]
    assert shown == [OSMOSIS]  # not the symlink out of the tree, not the loop, once
    assert "The end." in result.html().get_text()


def test_symlinks_are_followed_only_when_allowed(tmp_path) -> None:
    root = tmp_path / "root"
    (root / "q").mkdir(parents=True)
    (root / "q" / "loop").symlink_to(root / "q", target_is_directory=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "far.md").write_text("x", "utf-8")
    (root / "q" / "far").symlink_to(outside, target_is_directory=True)
    (root / "q" / "near.md").write_text("x", "utf-8")
    pattern = str(root / "q" / "**" / "*.md")
    found = globs.find([pattern])
    assert found.files == (str(root / "q" / "near.md"),)
    followed = globs.find([pattern], follow_symlinks=True).files
    assert str(root / "q" / "far" / "far.md") in followed  # allowed, and the loop ends


def test_billion_laughs_costs_little(tmp_path) -> None:
    path = QUESTIONS / "bad" / "billion-laughs.md"
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(QuickTakesError, match="aliases"):
        load_question(path)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 4 * 1024 * 1024


# -- no markup injection -------------------------------------------------------------------


def test_no_script_handler_or_javascript_url_reaches_the_page(build) -> None:
    pages = {
        "index.rst": "Page\n====\n\n.. quicktake:: questions/bad/script-injection.md\n\n"
        ".. quicktakes:: questions/bad/script-injection.md\n   :display: list\n"
    }
    conf = "quicktakes_site_url = 'https://qt.example/'\nquicktakes_base_url = 'https://a.example/'"
    result = build(pages, questions=("bad/script-injection.md",), conf=conf)
    html = result.html()
    for script in html.find_all("script"):
        text = script.string or ""
        assert "alert" not in text or script.get("type") == "application/ld+json", script
        if script.get("src"):
            assert script["src"].startswith(("_static/", "https://cdn.jsdelivr.net/npm/mathjax"))
    for tag in html.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
        for attr in ("href", "src", "action", "formaction"):
            value = str(tag.get(attr, "")).strip().lower()
            assert not value.startswith(("javascript:", "vbscript:", "ftp:")), tag
            if value.startswith("data:"):  # only raster images
                assert tag.name == "img" and value.startswith("data:image/png;"), tag
    assert html.find("iframe") is None
    assert [img["alt"] for img in html.select("section.quicktake img")] == ["y"]
    body = html.select_one("section.quicktake").get_text()
    assert "<script>alert(10)</script>" in body  # shown as text
    kinds = {parse(line)[0] for line in result.warning_lines()}
    assert kinds == {"raw-html", "unsafe-link"}


def test_no_tex_command_injection(build) -> None:
    pages = {"index.rst": "Page\n====\n\n.. quicktake:: questions/bad/tex-injection.md\n"}
    result = build(pages, buildername="latex", questions=("bad/tex-injection.md",))
    [tex] = result.outdir.glob("*.tex")
    source = tex.read_text("utf-8")
    body = source.split(r"\begin{document}", 1)[1]
    assert not re.search(r"(?<!textbackslash\{\})\\(input|write18|immediate)\b", body)
    assert r"\textbackslash{}input\{/etc/passwd\}" in body  # the title, as text
    assert "^^5c" not in body.replace(r"\textasciicircum{}", "")
    [warning] = result.warning_lines()
    assert "[quicktakes.unsafe-tex]" in warning


def test_control_characters_leave_the_epub_well_formed(build, tmp_path) -> None:
    """U+0001 is not allowed in XML: the EPUB's XHTML was ill-formed before the loader
    removed control characters (raw in the file, or YAML escapes such as ``"\\x01"``)."""
    import xml.etree.ElementTree as ET
    import zipfile

    escaped = tmp_path / "src" / "questions" / "escaped.md"
    escaped.parent.mkdir(parents=True)
    escaped.write_text('---\nquestion: Escaped?\nanswer: "One\\x01 two\\e three."\n---\n', "utf-8")
    pages = {
        "index.rst": "Page\n====\n\n.. quicktake:: questions/bad/control-chars.md\n\n"
        ".. quicktake:: questions/escaped.md\n"
    }
    conf = "copyright = '2025, Test'\nversion = '1'"
    result = build(pages, buildername="epub", conf=conf, questions=("bad/control-chars.md",))
    [epub] = list(result.outdir.glob("*.epub"))
    with zipfile.ZipFile(epub) as archive:
        names = [n for n in archive.namelist() if n.endswith(".xhtml")]
        assert "index.xhtml" in names
        for name in names:
            ET.fromstring(archive.read(name))  # raises ParseError when ill-formed
        index = archive.read("index.xhtml").decode("utf-8")
    text = "".join(ET.fromstring(index).itertext())
    assert "Start of heading." in text
    assert "An escape [31mturns text red[0m on a terminal." in text
    assert "Control characters" in text and "QuickTakes" in text
    assert "One two three." in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", index)
    kinds = Counter(parse(line)[0] for line in result.warning_lines())
    assert kinds == Counter({"control-char": 4})


# -- -W and --keep-going -------------------------------------------------------------------


def test_werror_and_keep_going_over_the_whole_corpus(tmp_path) -> None:
    pages = {
        "index.rst": "Page\n====\n\n.. quicktakes:: questions/bad/*.md\n   :include-noindex:\n"
    }
    write_project(tmp_path / "src", pages, questions=("bad",))
    proc = sphinx_build(tmp_path / "src", tmp_path / "out", "-W", "--keep-going")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    total = sum(sum(expected_problems(name).values()) for name in BAD)
    assert proc.stderr.count("WARNING:") == total, proc.stderr


ROFF = (
    "---\nid: 5\ntitle: '.so /etc/passwd'\nquestion: '.TH EVIL'\nanswer: >-\n"
    "    .so /etc/passwd\\n\\n@include /etc/passwd\\n\\n'\\\\\" a roff comment\n---\n"
)


@pytest.mark.parametrize("buildername", ["man", "texinfo"])
def test_no_roff_or_texinfo_command_injection(build, tmp_path, buildername) -> None:
    question = tmp_path / "src" / "questions" / "roff.md"
    question.parent.mkdir(parents=True)
    question.write_text(ROFF, "utf-8")
    pages = {"index.rst": "Page\n====\n\n.. quicktake:: questions/roff.md\n"}
    result = build(pages, buildername=buildername, questions=())
    assert result.warning_lines() == []
    [output] = [p for p in result.outdir.iterdir() if p.suffix in {".1", ".texi"}]
    lines = output.read_text("utf-8").splitlines()
    if buildername == "man":
        assert not [line for line in lines if re.match(r"\.(so|TH EVIL)\b", line)]
        assert r"\&.so /etc/passwd" in lines
    else:
        assert not [line for line in lines if line.startswith("@include")]
        assert "@@include /etc/passwd" in lines
