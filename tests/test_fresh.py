"""Nothing stale, nothing hidden: an incremental build warns and links like a fresh one.

A bank that is still broken fails ``-W`` on every build (Sphinx does not replay read-time
warnings by itself); links to a question follow it when it moves, with the same output as
a fresh build of the same sources.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from .conftest import QUESTIONS, sphinx_build

CONF = "extensions = ['myst_parser', 'sphinxext_quicktakes']\nproject = 'Fresh'\n"


def question(id: int, title: str, answer: str, date: str = "2025-03-01") -> str:
    """A question file in the exported format, written for these tests."""
    return (
        f"---\nid: {id}\ndate: {date}\ntitle: {title}\nquestion: {title}\n"
        f"answer: >-\n    {answer}\nsubject: Physics\n---\n\n&nbsp;\n"
    )


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        time.sleep(0.01)  # a later mtime than the previous build's
        path.write_text(text, encoding="utf-8")


def build(root: Path, *options: str) -> tuple[int, str]:
    """Build ``root/docs`` into ``root/out``: the exit code and everything printed."""
    done = sphinx_build(root / "docs", root / "out", *options)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout + done.stderr


def our_warnings(output: str) -> list[str]:
    """The extension's warnings, without the paths of this run."""
    lines = [line for line in output.splitlines() if "[quicktakes." in line]
    return sorted(re.sub(r"^\S*/(?=(docs|bank)/)", "", line) for line in lines)


BROKEN = {
    "docs/conf.py": CONF,
    "docs/index.rst": "Home\n====\n\n.. toctree::\n\n   dates\n   tex\n   ids\n   refs\n"
    "   empty\n   fine\n",
    "docs/dates.rst": "Dates\n=====\n\n.. quicktake:: ../bank/late.md\n",
    "docs/tex.md": "# TeX\n\n```{quicktake} ../bank/tex.md\n```\n",
    "docs/ids.rst": "Ids\n===\n\n.. quicktake:: ../bank/one.md\n\n.. quicktake:: ../bank/two.md\n",
    "docs/refs.rst": "Refs\n====\n\n.. quicktake:: ../bank/xref.md\n",
    "docs/empty.md": "# Empty\n\n```{quicktakes} ../bank/none/*.md\n```\n",
    "docs/fine.rst": "Fine\n====\n\nNo question here.\n",
    "bank/late.md": question(1, "When does a comet return?", "Every 76 years.", date="soon"),
    "bank/tex.md": question(2, "What is the force?", "It is $\\input{/etc/hosts}$ here."),
    "bank/one.md": question(3, "What is work?", "Force times distance."),
    "bank/two.md": question(3, "What is power?", "Work per unit time."),
    "bank/xref.md": question(4, "Where is the table?", "See {ref}`the table <no-such-label>`."),
}

FIXED = {
    "bank/late.md": question(1, "When does a comet return?", "Every 76 years."),
    "bank/tex.md": question(2, "What is the force?", "It is $F = ma$ here."),
    "bank/two.md": question(5, "What is power?", "Work per unit time."),
    "bank/xref.md": question(4, "Where is the table?", "See {doc}`the fine page </fine>`."),
    "docs/empty.md": "# Empty\n\nNothing listed any more.\n",
}


def test_a_broken_bank_fails_werror_on_every_build_until_fixed(tmp_path: Path) -> None:
    write(tmp_path, BROKEN)
    code, first = build(tmp_path, "-W", "--keep-going")
    warned = our_warnings(first)
    subtypes = {re.search(r"\[quicktakes\.([\w-]+)\]", line).group(1) for line in warned}  # type: ignore[union-attr]
    assert subtypes == {"date", "unsafe-tex", "duplicate-id", "ref", "collection"}, warned
    assert code == 1

    for _ in range(2):  # nothing changed: the same warnings, the same failure
        code, again = build(tmp_path, "-W", "--keep-going")
        assert (code, our_warnings(again)) == (1, warned)
        # only the pages with problems are read again, not the whole project
        assert "0 added, 3 changed, 0 removed" in again  # dates, tex, empty

    write(tmp_path, FIXED)
    code, fixed = build(tmp_path, "-W", "--keep-going")
    assert (code, our_warnings(fixed)) == (0, []), fixed
    code, quiet = build(tmp_path, "-W", "--keep-going")
    assert code == 0 and "0 added, 0 changed, 0 removed" in quiet
    # written again: only the page whose answer cross-references the project (a reference
    # that breaks is reported while writing), and, as Sphinx does, the page whose toctree
    # lists it
    assert written(quiet) == ["index", "refs"]


def written(output: str) -> list[str]:
    return re.findall(r"writing output\.\.\. \[ *\d+%\] (\S+)", output)


def test_suppressed_warnings_do_not_make_pages_read_again(tmp_path: Path) -> None:
    files = {name: text for name, text in BROKEN.items() if name.startswith("bank/")}
    files["docs/conf.py"] = CONF + "suppress_warnings = ['quicktakes.date']\n"
    files["docs/index.rst"] = "Home\n====\n\n.. quicktake:: ../bank/late.md\n"
    write(tmp_path, files)
    code, first = build(tmp_path, "-W")
    assert code == 0 and our_warnings(first) == []
    code, second = build(tmp_path, "-W")
    assert code == 0 and "0 added, 0 changed, 0 removed" in second


# -- links follow a question that moves --------------------------------------------------


MOVING = {
    "docs/conf.py": CONF,
    "docs/index.rst": "Home\n====\n\n.. toctree::\n\n   listing\n   full\n   linker\n",
    "docs/listing.rst": "Listing\n=======\n\n.. quicktakes:: ../bank/*.md\n   :display: list\n",
    "docs/full.rst": "Full\n====\n\n.. quicktake:: ../bank/osmosis.md\n",
    "docs/linker.md": "# Linker\n\nSee {quicktake}`900001`, [the label](#quicktake-900001) and "
    "{quicktake}`the slug <how-does-osmosis-move-water-across-a-membrane>`.\n",
}


def outputs(outdir: Path) -> dict[str, bytes]:
    """Every written page and the export, by path."""
    files = [*outdir.rglob("*.html"), outdir / "quicktakes.json"]
    return {str(path.relative_to(outdir)): path.read_bytes() for path in sorted(files)}


def assert_same_as_fresh(root: Path, tmp_path: Path, step: str) -> dict[str, bytes]:
    """Build ``root`` incrementally and a copy of its sources from scratch: same output."""
    code, log = build(root, "-W")
    assert code == 0, log
    fresh = tmp_path / f"fresh-{step}"
    shutil.copytree(root / "docs", fresh / "docs")
    shutil.copytree(root / "bank", fresh / "bank")
    code, log = build(fresh, "-W")
    assert code == 0, log
    incremental, scratch = outputs(root / "out"), outputs(fresh / "out")
    assert incremental.keys() == scratch.keys()
    stale = [name for name in scratch if incremental[name] != scratch[name]]
    assert stale == [], f"after {step}: {stale} differ from a fresh build"
    return incremental


def href_of(page: bytes, text: str) -> str:
    from bs4 import BeautifulSoup

    link = BeautifulSoup(page, "lxml").find("a", string=re.compile(re.escape(text)))
    assert link is not None, text
    return str(link["href"])


def test_links_follow_a_question_that_moves(tmp_path: Path) -> None:
    root = tmp_path / "project"
    write(root, {**MOVING, "bank/osmosis.md": (QUESTIONS / "good" / "osmosis.md").read_text()})
    heading = "How does osmosis move water across a membrane?"

    out = assert_same_as_fresh(root, tmp_path, "the first build")
    assert href_of(out["linker.html"], heading).startswith("full.html#")

    write(root, {"docs/full.rst": "Full\n====\n\nThe question moved away.\n"})
    out = assert_same_as_fresh(root, tmp_path, "removing the full rendering")
    assert href_of(out["linker.html"], heading).startswith("listing.html#")
    assert href_of(out["listing.html"], heading).startswith("#")  # the fallback, kept

    write(root, MOVING)
    out = assert_same_as_fresh(root, tmp_path, "showing it in full again")
    assert href_of(out["listing.html"], heading).startswith("full.html#")

    renamed = (root / "bank" / "osmosis.md").read_text("utf-8").replace(heading, "Osmosis?")
    write(root, {"bank/osmosis.md": renamed})
    out = assert_same_as_fresh(root, tmp_path, "a new heading")
    assert href_of(out["linker.html"], "Osmosis?").startswith("full.html#")
