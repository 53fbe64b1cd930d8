"""In a real browser (headless Chromium), MathJax typesets every answer formula, mhchem
included, whether or not the project itself enables MyST's dollarmath.

MathJax is served from a local copy (npm packages installed by ``.ci/run``), since the
test machine has no CDN."""

from __future__ import annotations

import functools
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

NODE_MODULES = Path(__file__).resolve().parents[1] / ".ci" / "mathjax" / "node_modules"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is installed by .ci/run"),
    pytest.mark.skipif(
        not (NODE_MODULES / "mathjax").is_dir(), reason="MathJax (npm) is installed by .ci/run"
    ),
]

LOCAL_MATHJAX = """
html_static_path = ['_static']
mathjax_path = 'mathjax/tex-mml-chtml.js'
mathjax3_config = mathjax4_config = {'loader': {'paths': {'fonts': './_static/mathjax-fonts'}}}
"""


def typeset(outdir: Path, page: str) -> BeautifulSoup:
    """The page's DOM after Chromium ran its scripts (served over HTTP on loopback)."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(outdir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        proc = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={outdir.parent / 'chromium-profile'}",
                "--virtual-time-budget=20000",
                "--dump-dom",
                f"http://127.0.0.1:{server.server_port}/{page}",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.shutdown()
    assert proc.returncode == 0, proc.stderr[-2000:]
    return BeautifulSoup(proc.stdout, "lxml")


def add_local_mathjax(srcdir: Path) -> None:
    static = srcdir / "_static"
    shutil.copytree(NODE_MODULES / "mathjax", static / "mathjax")
    shutil.copytree(NODE_MODULES / "@mathjax", static / "mathjax-fonts")


@pytest.mark.parametrize("dollarmath", [False, True], ids=["rst-project", "myst-dollarmath"])
def test_answer_math_is_typeset(build, tmp_path: Path, dollarmath: bool) -> None:
    from .conftest import write_project

    srcdir = tmp_path / "src"
    if dollarmath:
        pages = {
            "index.md": "# Page\n\nHost math $x^2$.\n\n"
            "```{quicktake} questions/good/maxwell.md\n```\n\n"
            "```{quicktake} questions/good/water.md\n```\n"
        }
        conf = LOCAL_MATHJAX + "myst_enable_extensions = ['dollarmath']\n"
    else:
        pages = {
            "index.rst": "Page\n====\n\n.. quicktake:: questions/good/maxwell.md\n\n"
            ".. quicktake:: questions/good/water.md\n"
        }
        conf = LOCAL_MATHJAX
    write_project(srcdir, pages, conf, myst=dollarmath)
    add_local_mathjax(srcdir)
    result = build({}, srcdir=srcdir)
    assert result.warning_lines() == []
    formulas = len(result.html().select(".math"))
    dom = typeset(result.outdir, "index.html")
    assert formulas >= 10
    assert len(dom.find_all("mjx-container")) == formulas
    assert dom.find("mjx-merror") is None  # \ce and every command understood
    assert "\\ce{" not in dom.select_one("div.body").get_text()
