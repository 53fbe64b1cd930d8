"""Incremental rebuilds re-read exactly the pages that include an edited question file;
``-j 2`` gives the same output as a serial build."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from .conftest import write_project


def sphinx_build(srcdir: Path, outdir: Path, *args: str) -> str:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "--no-color",
            "-b",
            "html",
            *args,
            str(srcdir),
            str(outdir),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout + proc.stderr


def touch_later(path: Path) -> None:
    """Edit a file and make sure its mtime moves forward."""
    text = path.read_text("utf-8").replace("Posted on", "Published on")
    path.write_text(text, "utf-8")
    later = time.time() + 2
    os.utime(path, (later, later))


def test_editing_a_question_rereads_only_its_page(tmp_path: Path) -> None:
    pages = {
        "index.rst": "Home\n====\n\n.. toctree::\n\n   a\n   b\n",
        "a.rst": "A\n=\n\n.. quicktake:: questions/good/osmosis.md\n",
        "b.rst": "B\n=\n\n.. quicktake:: questions/good/maxwell.md\n",
    }
    srcdir, outdir = tmp_path / "src", tmp_path / "out"
    write_project(srcdir, pages)
    first = sphinx_build(srcdir, outdir)
    assert "3 added, 0 changed, 0 removed" in first
    assert "0 added, 0 changed, 0 removed" in sphinx_build(srcdir, outdir)

    touch_later(srcdir / "questions" / "good" / "osmosis.md")
    second = sphinx_build(srcdir, outdir)
    assert "0 added, 1 changed, 0 removed" in second
    assert re.search(r"reading sources\.\.\. \[100%\] a\b", second)
    assert "Published on Feb 04, 2025" in (outdir / "a.html").read_text("utf-8")


PARALLEL_PAGES = {
    "index.rst": "Home\n====\n\n.. toctree::\n   :glob:\n\n   p*\n\nSee :ref:`quicktake-900002`.\n",
    **{
        f"p{n}.rst": f"Page {n}\n{'=' * (5 + len(str(n)))}\n\n"
        f".. quicktake:: questions/good/{name}\n\nSee :ref:`quicktake-900001`.\n"
        for n, name in enumerate(
            [
                "osmosis.md",
                "maxwell.md",
                "budget.md",
                "water.md",
                "printf.md",
                "osmosis.md",
                "maxwell.md",
                "budget.md",
                "water.md",
            ]
        )
    },
}


def test_parallel_build_equals_serial_build(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    write_project(srcdir, PARALLEL_PAGES)
    serial = sphinx_build(srcdir, tmp_path / "serial", "-E")
    parallel = sphinx_build(srcdir, tmp_path / "parallel", "-E", "-j", "2")
    assert "WARNING" not in serial and "WARNING" not in parallel
    assert "reading sources... [ 50%] index .. p3" in parallel  # really read in parallel
    for name in sorted(PARALLEL_PAGES):
        page = name.replace(".rst", ".html")
        assert (tmp_path / "serial" / page).read_bytes() == (
            tmp_path / "parallel" / page
        ).read_bytes(), page
    # the first occurrence in document order owns the label
    home = (tmp_path / "parallel" / "index.html").read_text("utf-8")
    assert 'href="p1.html#quicktake-900002"' in home
    p5 = (tmp_path / "parallel" / "p5.html").read_text("utf-8")
    assert 'href="p0.html#quicktake-900001"' in p5
