"""Adding the extension to a project that uses no question changes nothing: the same pages
byte for byte, no warning (with ``-n -W``), no extra file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import sphinx_build

#: ``.buildinfo`` holds a hash of the configuration (the extension adds ``quicktakes_*``
#: values); ``searchindex.js`` lists the environment version of every extension that has
#: one (``"sphinxext_quicktakes":1``), which is removed before comparing.
VOLATILE = {".buildinfo"}
ENV_VERSION = re.compile(rb',"sphinxext_quicktakes":\d+')

THIRD_PARTY = {
    "index.md": """\
# A third-party project

Some *MyST* text with a [link](guide.rst) and a {ref}`label <target>`.

```{toctree}
guide
api
faq
notes
```
""",
    "guide.rst": """\
Guide
=====

.. _target:

A section
---------

Text with ``code`` and a :doc:`faq` reference.

.. note:: A note.

.. code-block:: python

   print("hello")
""",
    "api.rst": "API\n===\n\n.. py:function:: spam(eggs)\n\n   Spam some eggs.\n",
    # a MyST page whose front matter happens to use keys question files use
    "faq.md": """\
---
question: What is this project?
answer: A library.
_schema: page
---

# FAQ

The question and the answer live in the front matter; the page is still a page.

$$
e^{i\\pi} + 1 = 0
$$
""",
    "notes.md": "# Notes\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: a footnote\n\nSee[^1].\n",
}

RST_ONLY = {
    "index.rst": "Home\n====\n\n.. toctree::\n\n   guide\n",
    "guide.rst": THIRD_PARTY["guide.rst"].replace(":doc:`faq`", ":doc:`index`"),
    "README.md": "# Read me\n\nNot a page of this rST project.\n",
}


def build(srcdir: Path, pages: dict[str, str], extensions: list[str]) -> tuple[Path, str]:
    """Build with ``sphinx-build -n -W`` in its own process (Sphinx's default
    ``source_suffix`` is shared between the apps of one process): the output and the log."""
    srcdir.mkdir(parents=True)
    conf = (
        f"extensions = {extensions!r}\nproject = 'Third party'\nnitpicky = True\n"
        "myst_enable_extensions = ['dollarmath']\nexclude_patterns = ['README.md']\n"
        if "myst_parser" in extensions
        else f"extensions = {extensions!r}\nproject = 'Third party'\nnitpicky = True\n"
    )
    (srcdir / "conf.py").write_text(conf, "utf-8")
    for name, text in pages.items():
        (srcdir / name).write_text(text, "utf-8")
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


@pytest.mark.parametrize(
    ("pages", "extensions"),
    [(THIRD_PARTY, ["myst_parser"]), (RST_ONLY, [])],
    ids=["myst-and-rst", "rst-only"],
)
def test_adding_the_extension_changes_nothing(
    tmp_path: Path, pages: dict[str, str], extensions: list[str]
) -> None:
    without, log = build(tmp_path / "without", pages, extensions)
    assert log == ""
    with_it, log = build(tmp_path / "with", pages, [*extensions, "sphinxext_quicktakes"])
    assert log == ""  # -q: only warnings would be printed
    before, after = tree(without), tree(with_it)
    assert "faq.html" in after or pages is RST_ONLY  # front matter does not hide a page
    assert "README.html" not in after
    assert sorted(after) == sorted(before)  # no quicktakes.json, no other extra file
    changed = [name for name in before if before[name] != after[name]]
    assert changed == []
    assert b"sphinxext_quicktakes" in (with_it / "searchindex.js").read_bytes()
