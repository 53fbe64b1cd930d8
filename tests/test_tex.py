"""Tests for the TeX allowlist (:mod:`sphinxext_quicktakes.tex`)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxext_quicktakes.tex import (
    ALLOWED_ENVIRONMENTS,
    ALLOWED_MACROS,
    ALLOWED_SYMBOLS,
    TexProblem,
    check_tex,
    clean_label,
)

from .conftest import CORPUS, load_script

ROOT = Path(__file__).resolve().parents[1]
DOCS_PAGE = ROOT / "docs" / "tex-allowlist.md"


# --------------------------------------------------------------------------- attacks

UNSAFE = [
    (r"\input{/etc/passwd}", r"\input"),
    (r"x + \input /etc/passwd", r"\input"),
    (r"\pdfmdfivesum file {x}", r"\pdfmdfivesum"),
    (r"\pdffilesize{x}", r"\pdffilesize"),
    (r"\global\hsize=3cm", r"\global"),
    (r"\hsize=3cm", r"\hsize"),
    (r"\loop\iftrue\repeat", r"\loop"),
    (r"\iftrue x\fi", r"\iftrue"),
    (r"\def\x{}", r"\def"),
    (r"\gdef\x{y}", r"\gdef"),
    (r"\let\x=\y", r"\let"),
    (r"\newcommand{\x}{y}", r"\newcommand"),
    (r"\catcode`\~=13", r"\catcode"),
    (r"\csname input\endcsname", r"\csname"),
    (r"\expandafter\x", r"\expandafter"),
    (r"\immediate\write18{rm -rf /}", r"\immediate"),
    (r"\write18{ls}", r"\write"),
    (r"\openin1=/etc/passwd", r"\openin"),
    (r"\directlua{os.exit()}", r"\directlua"),
    (r"\special{ps: x}", r"\special"),
    (r"\usepackage{x}", r"\usepackage"),
    (r"\begingroup x", r"\begingroup"),
    (r"\includegraphics{/etc/passwd}", r"\includegraphics"),
    (r"\htmlClass{x}{y}", r"\htmlClass"),
    (r"\htmlStyle{color:red}{y}", r"\htmlStyle"),
    (r"\verb|x|", r"\verb"),
    (r"\label{x}", r"\label"),
    (r"\require{x}", r"\require"),
    (r"\frac{a}{b} \unknownmacro", r"\unknownmacro"),
    (r"\text{\(x\)}", r"\("),
    (r"a \] \input{x} \[", r"\]"),
    (r"\begin{\input}", r"\input"),  # not a plain name, and unsafe wins
    ("\\iñput{x}", "\\iñput"),  # one control word in xelatex
]


@pytest.mark.parametrize(("tex", "name"), UNSAFE)
def test_unsafe_macros(tex: str, name: str) -> None:
    assert check_tex(tex) == TexProblem("unsafe", f"{name} is not allowed in math")


@pytest.mark.parametrize(
    "tex",
    [
        r"\href{javascript:alert(1)}{x}",
        r"\href{ javascript:alert(1)}{x}",
        r"\href{file:///etc/passwd}{x}",
        r"\href{data:text/html,x}{x}",
        r"\href{ftp://example.org}{x}",
        r"\href{https://}{x}",
        r"\href{https:///etc/passwd}{x}",
        r"\href{https://example.org/a b}{x}",
        r"\href{https://example.org/\input}{x}",
        r"\href{https://example.org/{x}}{x}",
        r"\href https://example.org",
        r"\href",
        r"\url{javascript:alert(1)}",
        r"\url{//example.org}",
    ],
)
def test_links_need_http_urls(tex: str) -> None:
    problem = check_tex(tex)
    assert problem is not None
    assert problem.kind == "unsafe"
    assert problem.message.endswith("needs an http or https URL in braces")


@pytest.mark.parametrize(
    "tex",
    ["^^5cinput{/etc/passwd}", r"\^^5c", "x^^41", "^^^^005c"],
)
def test_hex_escapes_are_unsafe(tex: str) -> None:
    problem = check_tex(tex)
    assert problem is not None
    assert problem.kind == "unsafe"
    assert "^^" in problem.message


@pytest.mark.parametrize(
    ("tex", "start"),
    [
        ("50% \\) \\input{x}", "% starts a TeX comment"),
        (r"\frac{1}{2}%", "% starts a TeX comment"),
        ("a $ b", "$ would end the formula"),
        ("a\rb", "a carriage return"),
    ],
)
def test_formula_cannot_reach_outside(tex: str, start: str) -> None:
    problem = check_tex(tex)
    assert problem is not None
    assert problem.kind == "unsafe"
    assert problem.message.startswith(start)


def test_unknown_environments_are_unsafe() -> None:
    assert check_tex(r"\begin{foo}") == TexProblem(
        "unsafe", "environment foo is not allowed in math"
    )
    assert check_tex(r"\begin{filecontents}{x.tex}\end{filecontents}") == TexProblem(
        "unsafe", "environment filecontents is not allowed in math"
    )
    assert check_tex(r"\begin{align}x\end{verbatim}") == TexProblem(
        "unsafe", "environment verbatim is not allowed in math"
    )


def test_unsafe_wins_over_bad() -> None:
    """A structural error early does not hide a dangerous macro later."""
    assert check_tex(r"}{ \input{/etc/passwd}") == TexProblem(
        "unsafe", r"\input is not allowed in math"
    )


# --------------------------------------------------------------------------- broken TeX


@pytest.mark.parametrize(
    ("tex", "message"),
    [
        (r"\frac{a", "{ is never closed"),
        (r"\frac{a}{b}}", "} has nothing to close"),
        ("}{", "} has nothing to close"),
        (r"\begin{align}x\end{aligned}", r"\end{aligned} found while \begin{align} is open"),
        (r"\begin{align}x", r"\begin{align} is never closed"),
        (r"x\end{align}", r"\end{align} has nothing to close"),
        (
            r"\begin{matrix}\begin{pmatrix}a\end{matrix}\end{pmatrix}",
            r"\end{matrix} found while \begin{pmatrix} is open",
        ),
        (r"\left(", r"\left is never closed"),
        (r"x \right)", r"\right has nothing to close"),
        (r"{\left( }\right)", r"} found while \left is open"),
        (r"\left( {\right) }", r"\right found while { is open"),
        (r"\middle|", r"\middle outside \left ... \right"),
        (r"\begin{a b}x\end{a b}", r"\begin needs a plain environment name in braces"),
        (r"\begin{align*x}", r"\begin needs a plain environment name in braces"),
        (r"\begin align", r"\begin needs a plain environment name in braces"),
        ("x \\", "a lone backslash ends the formula"),
        ("x # y", "# is TeX's macro parameter character; write \\#"),
        ("x \x0c y", "control character U+000C in math"),
    ],
)
def test_bad_tex(tex: str, message: str) -> None:
    assert check_tex(tex) == TexProblem("bad", message)


# --------------------------------------------------------------------------- ordinary math


@pytest.mark.parametrize(
    "tex",
    [
        r"\frac{a}{b}",
        r"\ce{Ca^2+}",
        r"\ce{2H2 + O2 -> 2H2O}",
        r"\pu{1 mol}",
        r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}",
        r"\begin{array}{c|c} 1 & 2 \\ \hline 3 & 4 \end{array}",
        r"\begin {align*} x &= 1 \\[2pt] y &= 2 \end {align*}",
        r"\begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}",
        r"\begin{equation}\begin{split} a &= b \\ &= c \end{split}\end{equation}",
        r"\begin{multline} a \\ b \end{multline}",
        r"\href{https://example.org}{x}",
        r"\href{http://example.org/a_b?c=1&d=2#frag}{x}".replace("#", r"\#"),
        r"\url{https://example.org/%20}".replace("%", r"\%"),
        r"\nabla \cdot \vec{E} = \frac{\rho}{\varepsilon_0}",
        r"\left( x \right)",
        r"\left\{ x \middle| x > 0 \right.",
        r"\left( \left[ x \right] \right)",
        r"a \\ b",
        r"a \\\\ b",
        r"\{ x \} \quad \, \; \! \: \  \_ \# \$ \% \& \|",
        "a \\\nb",  # control space at a line end
        r"\text{50\% of \$3}",
        r"\sum_{i=1}^{n} i^2 = \frac{n(n+1)(2n+1)}{6}",
        r"\int_0^\infty e^{-x^2} \, dx = \frac{\sqrt{\pi}}{2}",
        r"\operatorname*{arg\,max}_x f(x)",
        r"\mathbf{F} = m\mathbf{a}, \quad \mathrm{pH} = -\log[\ce{H+}]",
        r"\color{red}{x} \textcolor{blue}{y}",
        r"\text{\'e \"o \^a \~n \`e \=u \.z}",
        r"\sqrt[3]{x}",
        r"x^{y^{z}}_{i_{j}}",
        "α + β = γ",  # Unicode characters outside control words are text
        "",
    ],
)
def test_ordinary_math_passes(tex: str) -> None:
    assert check_tex(tex) is None


DANGEROUS = """
def gdef edef xdef let futurelet global long outer newcommand renewcommand providecommand
DeclareMathOperator DeclareRobustCommand newenvironment renewenvironment catcode lccode
uccode mathcode input include includeonly endinput openin openout read readline write
immediate closein closeout special csname endcsname expandafter noexpand string the
scantokens loop repeat if ifx ifnum ifdim iftrue iffalse ifcase else fi or unless
pdfmdfivesum pdffilesize pdffiledump pdfshellescape pdfliteral pdfobj pdfstrcmp
directlua latelua hsize vsize count dimen skip toks countdef dimendef advance multiply
divide setlength addtolength setcounter usepackage RequirePackage documentclass
begingroup endgroup bgroup egroup aftergroup afterassignment everymath everypar
includegraphics htmlClass htmlId htmlStyle htmlData verb label ref eqref require
makeatletter jobname shipout output lowercase uppercase message errmessage
"""


def test_allowlist_leaves_out_dangerous_commands() -> None:
    assert set(DANGEROUS.split()) & ALLOWED_MACROS == set()
    assert "\\" not in "".join(ALLOWED_MACROS)
    assert {"filecontents", "verbatim", "document"} & ALLOWED_ENVIRONMENTS == set()


SPECIAL_WORDS = {"begin", "end", "left", "right", "middle", "href", "url"}


def test_every_allowed_word_passes_alone() -> None:
    for name in sorted(ALLOWED_MACROS - SPECIAL_WORDS):
        assert check_tex(f"x \\{name}{{y}} z") is None, name


def test_allowlist_has_common_math() -> None:
    common = """frac sqrt alpha beta nabla text mathbf mathrm left right middle begin end
    sum int lim infty cdot times rightarrow rightleftharpoons ce pu href url hline quad"""
    assert set(common.split()) <= ALLOWED_MACROS
    environments = "matrix pmatrix bmatrix array cases aligned align align* gather split"
    assert set(environments.split()) <= ALLOWED_ENVIRONMENTS


def test_one_megabyte_is_fast() -> None:
    samples = [
        "{" * 500_000 + "}" * 500_000,
        r"\frac{a}{b} + \alpha " * 50_000,
        r"\left(" * 150_000 + r"\right)" * 150_000,
        r"\begin{matrix} a \end{matrix}" * 35_000,
        "x" * 1_000_000,
    ]
    for tex in samples:
        start = time.perf_counter()
        assert check_tex(tex) is None
        assert time.perf_counter() - start < 5, tex[:20]
    assert check_tex("{" * 1_000_000) == TexProblem("bad", "{ is never closed")


# --------------------------------------------------------------------------- labels


def test_clean_label() -> None:
    assert clean_label(r"a}\input{/etc/passwd}\relax{") == "ainputetcpasswdrelax"
    assert clean_label("eq:energy_1-b") == "eq:energy_1-b"
    assert clean_label("é ü <script>") == "script"
    assert clean_label("") == ""


@given(st.text())
def test_clean_label_keeps_only_allowed_characters(label: str) -> None:
    cleaned = clean_label(label)
    assert re.fullmatch(r"[A-Za-z0-9:_-]*", cleaned)
    assert cleaned == "".join(c for c in label if c in _LABEL_CHARS)


_LABEL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_-")


# --------------------------------------------------------------------------- properties


def braces_balance(tex: str) -> bool:
    """Braces balance, escaped ``\\{`` and ``\\}`` skipped (written here, not the module's)."""
    depth = 0
    i = 0
    while i < len(tex):
        char = tex[i]
        if char == "\\":
            i += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
        i += 1
    return depth == 0


def control_words(tex: str) -> list[str]:
    """The names of the control words in ``tex``, read left to right (ASCII letters)."""
    words = []
    i = 0
    while i < len(tex):
        if tex[i] != "\\":
            i += 1
            continue
        j = i + 1
        while j < len(tex) and tex[j].isascii() and tex[j].isalpha():
            j += 1
        if j == i + 1:  # a control symbol
            j += 1
        else:
            words.append(tex[i + 1 : j])
        i = j
    return words


TEX_PIECES = st.sampled_from(
    [
        "{", "}", "\\", "\\{", "\\}", "\\\\", "\\frac", "\\alpha", "\\left(", "\\right)",
        "\\middle|", "\\begin{matrix}", "\\end{matrix}", "\\begin{align}", "\\end{align}",
        "\\begin", "\\end", "{align}", "\\href{https://x.org}", "\\url{", "%", "\\%", "^",
        "^^", "$", "#", "&", " ", "\n", "x", "1", "\\input", "\\def", "\\text{", "é", "\\é",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(TEX_PIECES | st.text(max_size=4), max_size=40).map("".join))
def test_check_tex_never_raises_and_accepts_only_balanced(tex: str) -> None:
    problem = check_tex(tex)
    if problem is None:
        assert braces_balance(tex)
        assert "^^" not in tex
        words = control_words(tex)
        assert words.count("left") == words.count("right")
        assert words.count("begin") == words.count("end")
        assert "input" not in words and "def" not in words
    else:
        assert problem.kind in ("unsafe", "bad")
        assert problem.message


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_check_tex_never_raises_on_any_text(tex: str) -> None:
    check_tex(tex)


# --------------------------------------------------------------------------- docs page

_SECTION = re.compile(
    r"^### (?P<title>[A-Za-z ]+?)(?: \(\d+\))?\n(?:[^`#\n][^\n]*\n|\n)*```text\n(?P<body>.*?)```",
    re.M | re.S,
)


def docs_sections() -> dict[str, list[str]]:
    """The generated sections of the docs page: title (count dropped) to listed names."""
    text = DOCS_PAGE.read_text("utf-8")
    start = text.index("<!-- generated by scripts/tex_macros.py --docs")
    end = text.index("<!-- end of generated list -->")
    return {m["title"]: m["body"].split() for m in _SECTION.finditer(text[start:end])}


def test_docs_page_lists_exactly_the_allowlists() -> None:
    sections = docs_sections()
    assert set(sections) == {"Control symbols", "Control words", "Environments"}
    words = sections["Control words"]
    assert all(re.fullmatch(r"\\[A-Za-z]+", w) for w in words)
    assert len(words) == len(set(words))
    assert {w[1:] for w in words} == ALLOWED_MACROS
    environments = sections["Environments"]
    assert len(environments) == len(set(environments))
    assert set(environments) == ALLOWED_ENVIRONMENTS
    symbols = sections["Control symbols"]
    assert all(len(s) == 2 and s[0] == "\\" for s in symbols)
    assert {s[1] for s in symbols} == {c for c in ALLOWED_SYMBOLS if not c.isspace()}
    assert {" ", "\t", "\n"} <= ALLOWED_SYMBOLS  # control space, described in prose


def test_docs_page_counts_match() -> None:
    text = DOCS_PAGE.read_text("utf-8")
    assert f"### Control words ({len(ALLOWED_MACROS)})" in text
    assert f"### Environments ({len(ALLOWED_ENVIRONMENTS)})" in text


# --------------------------------------------------------------------------- corpus


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_every_corpus_formula_passes() -> None:
    script = load_script("tex_macros")
    files = script.question_files(CORPUS)
    assert len(files) >= 100
    spans = 0
    refused = []
    for path in files:
        for tex in script.math_spans(path):
            spans += 1
            problem = check_tex(tex)
            if problem is not None:
                refused.append((path.name, problem))
    assert spans >= 500  # the bank has math: a broken extraction must not pass vacuously
    assert refused == []
