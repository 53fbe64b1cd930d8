"""Every directive and role a Sphinx app with common extensions registers is fed to an answer:
only the allowlist runs; everything else is shown as text."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives, roles
from sphinx.testing.util import SphinxTestApp

from sphinxext_quicktakes.policy import ANSWER_DIRECTIVES, ANSWER_ROLES

from .conftest import strip_colors

EXTENSIONS = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.duration",
    "sphinx.ext.extlinks",
    "sphinx.ext.graphviz",
    "sphinx.ext.ifconfig",
    "sphinx.ext.inheritance_diagram",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.napoleon",
    "sphinx.ext.todo",
    "sphinx.ext.viewcode",
    "myst_parser",
    *(["sphinx_design"] if importlib.util.find_spec("sphinx_design") else []),
    "sphinxext_quicktakes",
]


def _registered(app: SphinxTestApp) -> tuple[set[str], set[str]]:
    """Every directive and role name the app knows, domain ones as ``domain:name``."""
    directive_names = set(directives._directives) | set(directives._directive_registry)
    role_names = set(roles._roles) | set(roles._role_registry)
    for domain in app.env.domains.sorted():
        directive_names |= {f"{domain.name}:{name}" for name in domain.directives}
        role_names |= {f"{domain.name}:{name}" for name in domain.roles}
    return directive_names, role_names


def _question(directive_names: set[str], role_names: set[str]) -> str:
    parts = ["Every directive and role."]
    for name in sorted(directive_names):
        parts.append(f"```{{{name}}} argument-of-{name}\ncontent of {name}\n```")
    parts.append(" ".join(f"{{{name}}}`text-of-{name}`" for name in sorted(role_names)))
    answer = "\n\n".join(parts).replace("\n", "\\n")
    return (
        "---\nid: 820001\ntitle: Everything\nquestion: Everything\n"
        f'answer: "{answer.replace(chr(34), chr(92) + chr(34))}"\n---\n'
    )


def test_only_the_allowlist_runs(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(f"extensions = {EXTENSIONS!r}\n", encoding="utf-8")
    (srcdir / "index.rst").write_text("Index\n=====\n\nPlaceholder.\n", encoding="utf-8")
    probe = SphinxTestApp("html", srcdir=srcdir)
    try:
        directive_names, role_names = _registered(probe)
    finally:
        probe.cleanup()
    assert {"raw", "include", "literalinclude", "toctree", "quicktake", "quicktakes"} <= (
        directive_names
    )
    assert {"download", "raw", "py:func", "quicktake"} <= role_names
    if "sphinx_design" in EXTENSIONS:
        assert "dropdown" in directive_names

    (srcdir / "questions").mkdir()
    (srcdir / "questions" / "all.md").write_text(
        _question(directive_names, role_names), encoding="utf-8"
    )
    (srcdir / "index.rst").write_text(
        "Index\n=====\n\n.. quicktake:: questions/all.md\n", encoding="utf-8"
    )
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True)
    try:
        app.build()
        doctree = app.env.get_doctree("index")
    finally:
        app.cleanup()
    warnings = strip_colors(app.warning.getvalue())
    assert "[quicktakes.unsafe-markup]" in warnings
    assert "Traceback" not in warnings

    refused = [
        node.astext()
        for node in doctree.findall(nodes.Element)
        if "quicktakes-refused" in node["classes"]
    ]
    refused_directives = {text.split("}", 1)[0].removeprefix("```{") for text in refused}
    refused_roles = {text[1:].split("}", 1)[0] for text in refused if text.startswith("{")}
    expected_directives = {n for n in directive_names if n.lower() not in ANSWER_DIRECTIVES}
    expected_roles = {n for n in role_names if n.lower() not in ANSWER_ROLES}
    assert refused_directives - {""} >= expected_directives
    assert not refused_directives & {n for n in directive_names if n in ANSWER_DIRECTIVES}
    assert refused_roles >= expected_roles
    assert not refused_roles & ANSWER_ROLES
    assert len(expected_directives) > 100 and len(expected_roles) > 100
    # nothing a refused directive would have made is in the page
    assert not list(doctree.findall(nodes.raw))
    assert not list(doctree.findall(nodes.system_message))
