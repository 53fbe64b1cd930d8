"""LaTeX preamble: mhchem when answers use it, and characters pdflatex cannot set."""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from .domain import get_domain

#: Characters common in question banks that Sphinx's pdflatex escaping does not map.
PDFLATEX_CHARACTERS = {
    "207A": r"\ensuremath{^{+}}",  # ⁺
    "207B": r"\ensuremath{^{-}}",  # ⁻
    "208A": r"\ensuremath{_{+}}",  # ₊
    "208B": r"\ensuremath{_{-}}",  # ₋
}


def unicode_preamble() -> str:
    """``\\DeclareUnicodeCharacter`` lines, guarded so xelatex and lualatex skip them."""
    lines = [
        rf"\DeclareUnicodeCharacter{{{code}}}{{{tex}}}" for code, tex in PDFLATEX_CHARACTERS.items()
    ]
    declare = "\\ifdefined\\DeclareUnicodeCharacter\n" + "\n".join(lines) + "\n\\fi\n"
    # MathJax's mhchem has \pu (physical units); LaTeX's mhchem does not
    return declare + "\\providecommand{\\pu}[1]{\\ce{#1}}\n"


def add_latex_packages(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated`` handler: load mhchem only when some answer uses ``\\ce``."""
    if app.builder.format != "latex":
        return
    needed = any(page.mhchem for page in get_domain(env).pages.values())
    if needed and "mhchem" not in {name for name, _ in app.registry.latex_packages}:
        app.add_latex_package("mhchem", "version=4")


def setup_latex(app: Sphinx) -> None:
    """Register the LaTeX handlers."""
    app.connect("env-updated", add_latex_packages)
    app.connect("config-inited", _add_unicode_preamble)


def _add_unicode_preamble(app: Sphinx, config: Config) -> None:
    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + "\n" + unicode_preamble()
    config.latex_elements = elements
