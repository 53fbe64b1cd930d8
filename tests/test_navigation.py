"""Question pages reached through a list collection, with no toctree of questions: no
"not in any toctree" warning, breadcrumbs and previous/next links from the list, and a
sidebar that does not list the whole bank (so big banks build in linear time)."""

from __future__ import annotations

import pickle
import shutil
import time
from pathlib import Path

from bs4 import BeautifulSoup

from sphinxext_quicktakes import elements

from .conftest import QUESTIONS, sphinx_build, strip_colors

CONF = """\
extensions = ["myst_parser", "sphinxext_quicktakes"]
project = "Bank"
html_theme = "classic"  # shows breadcrumbs and previous/next links in its relation bars
html_sidebars = {"**": ["globaltoc.html", "relations.html"]}
quicktakes_pages = {"learn": "../bank/*.md"}
"""
INDEX = "# Home\n\n```{toctree}\nfaq\n```\n"
FAQ = "# FAQ\n\n```{quicktakes} ../bank/*.md\n:display: list\n:include-noindex:\n:sort: %s\n```\n"
# the bank's questions by file name: budget, maxwell, osmosis, printf, water
BY_FILE = ["budget", "maxwell", "osmosis", "printf", "water"]


def project(root: Path, sort: str = "file") -> Path:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    if not (root / "bank").exists():
        shutil.copytree(QUESTIONS / "good", root / "bank")
    for name, text in {"conf.py": CONF, "index.md": INDEX, "faq.md": FAQ % sort}.items():
        path = root / "docs" / name
        if not path.exists() or path.read_text("utf-8") != text:
            time.sleep(0.01)
            path.write_text(text, "utf-8")
    return root / "docs"


def build(root: Path, out: Path) -> str:
    done = sphinx_build(root / "docs", out, "-W", "--keep-going")
    assert done.returncode == 0, done.stderr
    return strip_colors(done.stdout + done.stderr)


def soup(out: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((out / f"{page}.html").read_text("utf-8"), "lxml")


def test_question_pages_need_no_toctree(tmp_path: Path) -> None:
    project(tmp_path)
    out = tmp_path / "out"
    log = build(tmp_path, out)  # -W: no "document isn't included in any toctree"
    assert "WARNING" not in log
    for index, name in enumerate(BY_FILE):
        page = soup(out, f"learn/{name}")
        prev, following = page.find("link", rel="prev"), page.find("link", rel="next")
        expected_prev = BY_FILE[index - 1] if index else None
        expected_next = BY_FILE[index + 1] if index + 1 < len(BY_FILE) else None
        assert (prev["href"] if prev else None) == (expected_prev and f"{expected_prev}.html")
        assert (following["href"] if following else None) == (
            expected_next and f"{expected_next}.html"
        )
        top = page.select_one("div.related")  # the relation bar above the page
        crumbs = [" ".join(a.get_text().split()) for a in top.select("li.nav-item a")]
        assert crumbs[:3] == ["Bank documentation", "Home", "FAQ"], crumbs  # then this page
        assert len(crumbs) == 4
        # the sidebar's global toctree lists the FAQ, not the whole bank
        sidebar = page.select_one("div.sphinxsidebar")
        assert sidebar is not None
        bank_links = [a for a in sidebar.find_all("a") if "learn/" in a.get("href", "")]
        assert bank_links == []


def test_the_list_order_is_the_reading_order(tmp_path: Path) -> None:
    project(tmp_path, sort="-file")
    out = tmp_path / "out"
    build(tmp_path, out)
    water = soup(out, "learn/water")
    assert water.find("link", rel="prev") is None
    assert water.find("link", rel="next")["href"] == "printf.html"


def test_a_new_order_rewrites_the_pages_like_a_fresh_build(tmp_path: Path) -> None:
    project(tmp_path)
    out = tmp_path / "out"
    build(tmp_path, out)
    project(tmp_path, sort="-file")
    log = build(tmp_path, out)
    assert "0 added, 1 changed, 0 removed" in log  # only the FAQ is read again
    fresh = tmp_path / "fresh"
    shutil.copytree(tmp_path / "docs", fresh / "docs")
    shutil.copytree(tmp_path / "bank", fresh / "bank")
    build(fresh, fresh / "out")
    for name in BY_FILE:
        page = f"learn/{name}.html"
        assert (out / page).read_bytes() == (fresh / "out" / page).read_bytes(), page


def test_a_question_page_nothing_reaches_is_reported(tmp_path: Path) -> None:
    docs = project(tmp_path)
    (docs / "faq.md").write_text("# FAQ\n\nNo list here.\n", "utf-8")
    done = sphinx_build(docs, tmp_path / "out")
    warnings = [line for line in strip_colors(done.stderr).splitlines() if "WARNING" in line]
    # osmosis is still reached: Gauss's law (maxwell) lists it as a related question
    warned = sorted(Path(line.split(":")[0]).stem for line in warnings)
    assert warned == ["budget", "maxwell", "printf", "water"], warnings
    assert all("[quicktakes.orphan]" in line for line in warnings)
    assert not any("toctree" in line and "isn't included" in line for line in warnings)


def test_unreachable_pages_are_reported_on_every_build_unless_suppressed(
    tmp_path: Path,
) -> None:
    docs = project(tmp_path)
    (docs / "faq.md").write_text("# FAQ\n\nNo list here.\n", "utf-8")
    out = tmp_path / "out"
    sphinx_build(docs, out, check=True)
    again = sphinx_build(docs, out, check=True)  # nothing changed: the warnings repeat
    assert "0 added, 0 changed, 0 removed" in again.stdout
    assert strip_colors(again.stderr).count("[quicktakes.orphan]") == 4, again.stderr
    conf = docs / "conf.py"
    conf.write_text(CONF + 'suppress_warnings = ["quicktakes.orphan"]\n', "utf-8")
    sphinx_build(docs, out, check=True)
    quiet = sphinx_build(docs, out, check=True)  # silenced: nothing to write again
    assert "[quicktakes.orphan]" not in quiet.stderr
    assert "writing output" not in quiet.stdout.split("updating environment")[1], quiet.stdout


def test_the_list_renders_no_answer_and_shows_each_first_sentence(tmp_path: Path) -> None:
    project(tmp_path)
    out = tmp_path / "out"
    build(tmp_path, out)
    doctree = pickle.loads((out / ".doctrees" / "faq.doctree").read_bytes())
    assert not list(doctree.findall(elements.question))  # answers are rendered on their pages
    faq = soup(out, "faq")
    summaries = {
        entry.select_one(".quicktake-title").get_text(): entry.select_one(".quicktake-summary")
        for entry in faq.select("li.quicktake-entry")
    }
    osmosis = summaries["How does osmosis move water across a membrane?"]
    assert osmosis is not None
    assert osmosis.get_text() == (
        "Osmosis is the net movement of water through a membrane that lets water pass but "
        "not solutes."
    )
