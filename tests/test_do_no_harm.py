"""Adding the extension to a project that uses no question changes nothing: the same pages
byte for byte, no warning (with ``-n -W``), no extra file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .conftest import ROOTS, sphinx_build

#: ``.buildinfo`` holds a hash of the configuration (the extension adds ``quicktakes_*``
#: values); ``searchindex.js`` lists the environment version of every extension that has
#: one (``"sphinxext_quicktakes":1``), which is removed before comparing.
VOLATILE = {".buildinfo"}
ENV_VERSION = re.compile(rb',"sphinxext_quicktakes":\d+')


def build(root: str, srcdir: Path, with_extension: bool) -> tuple[Path, str]:
    """Build a copy of a test root (tests/roots/test-do-no-harm-*) with ``sphinx-build -n
    -W`` in its own process (Sphinx's default ``source_suffix`` is shared between the apps
    of one process), with or without the extension added: the output and the log."""
    shutil.copytree(ROOTS / f"test-do-no-harm-{root}", srcdir)
    if with_extension:
        with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write('extensions.append("sphinxext_quicktakes")\n')
    outdir = srcdir / "_build"
    proc = sphinx_build(
        srcdir, outdir, "-nW", "--keep-going", "-q", "-d", str(srcdir / "_doctrees")
    )
    assert proc.returncode == 0, proc.stderr
    return outdir, proc.stdout + proc.stderr


def tree(outdir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(outdir)): ENV_VERSION.sub(b"", p.read_bytes())
        for p in sorted(outdir.rglob("*"))
        if p.is_file() and p.name not in VOLATILE
    }


@pytest.mark.parametrize("root", ["myst", "rst"], ids=["myst-and-rst", "rst-only"])
def test_adding_the_extension_changes_nothing(tmp_path: Path, root: str) -> None:
    without, log = build(root, tmp_path / "without", with_extension=False)
    assert log == ""
    with_it, log = build(root, tmp_path / "with", with_extension=True)
    assert log == ""  # -q: only warnings would be printed
    before, after = tree(without), tree(with_it)
    assert "faq.html" in after or root == "rst"  # front matter does not hide a page
    assert "README.html" not in after
    assert sorted(after) == sorted(before)  # no quicktakes.json, no other extra file
    changed = [name for name in before if before[name] != after[name]]
    assert changed == []
    assert b"sphinxext_quicktakes" in (with_it / "searchindex.js").read_bytes()
