"""Tests for answer preparation: escaped newlines, math delimiters, currency, mhchem.

Raw strings below are written as exports store them: every newline is backslash + ``n``.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxext_quicktakes.markdown import (
    convert_math_delimiters,
    decode_escaped_newlines,
    escape_currency,
    has_escaped_newlines,
    prepare_answer,
    scan,
    uses_mhchem,
)

from .conftest import CORPUS, load_script


def decode(text: str) -> str:
    """Shorthand."""
    return decode_escaped_newlines(text)


# --------------------------------------------------------------------------- decoding


def test_has_escaped_newlines() -> None:
    assert has_escaped_newlines(r"one\ntwo")
    assert not has_escaped_newlines("one\ntwo")
    assert not has_escaped_newlines("one\ntwo \\n three")
    assert not has_escaped_newlines("no escapes at all")


def test_plain_text_and_structure() -> None:
    raw = r"Intro line.\n\n### A Title\n- first\n- second\n\n1. one\n2. two\n\n| a | b |\n|---|---|"
    assert decode(raw) == (
        "Intro line.\n\n### A Title\n- first\n- second\n\n1. one\n2. two\n\n| a | b |\n|---|---|"
    )


def test_inline_math_keeps_tex_words() -> None:
    raw = r"Gauss:\n$\nabla \cdot \mathbf{E} = \rho / \epsilon_0$ and $a \neq b$.\nNext"
    assert decode(raw) == (
        "Gauss:\n$\\nabla \\cdot \\mathbf{E} = \\rho / \\epsilon_0$ and $a \\neq b$.\nNext"
    )


def test_paren_math_keeps_tex_words() -> None:
    assert decode(r"Viscosity \(\nu\) here.\nNext") == "Viscosity \\(\\nu\\) here.\nNext"
    assert (
        decode(r"A set \(x \notin S\), \(\neg p\).\n")
        == "A set \\(x \\notin S\\), \\(\\neg p\\).\n"
    )


def test_display_math_newlines_around_content() -> None:
    raw = r"Stokes:\n\n$$\n\oint_C \nabla f \cdot d\mathbf{r} = 0\n$$\n\nwhere $f$ is smooth."
    assert decode(raw) == (
        "Stokes:\n\n$$\n\\oint_C \\nabla f \\cdot d\\mathbf{r} = 0\n$$\n\nwhere $f$ is smooth."
    )


def test_newline_right_after_display_opener() -> None:
    assert decode(r"Define\n$$\nf(x)=x^2\n$$") == "Define\n$$\nf(x)=x^2\n$$"
    # a controller law: newline + u(t), not the Greek letter nu
    assert (
        decode(r"PID law:\n$$\nu(t) = K_p e(t)$$\nDone") == "PID law:\n$$\nu(t) = K_p e(t)$$\nDone"
    )
    assert decode(r"x\n\[\nu = 1\]\n") == "x\n\\[\nu = 1\\]\n"


def test_row_breaks_in_aligned() -> None:
    raw = r"$$\n\begin{aligned}\na &= b + c \\\nd &\neq e \\\n\nu &= 1\n\end{aligned}\n$$"
    assert decode(raw) == (
        "$$\n\\begin{aligned}\na &= b + c \\\\\nd &\\neq e \\\\\n\\nu &= 1\n\\end{aligned}\n$$"
    )


def test_newline_after_begin_environment() -> None:
    raw = r"$$\begin{cases}\nu & x > 0 \\\n0 & \text{else}\n\end{cases}$$"
    assert decode(raw) == "$$\\begin{cases}\nu & x > 0 \\\\\n0 & \\text{else}\n\\end{cases}$$"


def test_bare_math_environment_counts_as_math() -> None:
    raw = r"Then\n\begin{align}\na &\ne b \\\nc &= d\n\end{align}\nok"
    assert decode(raw) == "Then\n\\begin{align}\na &\\ne b \\\\\nc &= d\n\\end{align}\nok"


def test_tex_like_words_outside_math_are_newlines() -> None:
    assert decode(r"Take a\nu-turn, then\nneither way.") == "Take a\nu-turn, then\nneither way."
    assert decode(r"Line\ne.g. this") == "Line\ne.g. this"


def test_even_backslashes_then_n() -> None:
    # a backslash that ends a line (ASCII art, hard break), then the newline
    assert decode(r"  / \\n C") == "  / \\\n C"


def test_inline_code_keeps_escapes() -> None:
    raw = r"Use `printf(\"\n\")` or `\n` in C.\nNext line"
    assert decode(raw) == 'Use `printf(\\"\\n\\")` or `\\n` in C.\nNext line'
    assert decode(r'Call `puts("a\nb")`.\n') == 'Call `puts("a\\nb")`.\n'


def test_fenced_code_newlines_and_string_literals() -> None:
    raw = (
        r"Example:\n\n```c\n#include <stdio.h>\nint main(void) {\n"
        r'    printf("Total: %d\n", 3);\n    putchar(' + "'" + r"\n" + "'" + r");\n"
        r"    return 0;\n}\n```\n\nDone."
    )
    assert decode(raw) == (
        "Example:\n\n```c\n#include <stdio.h>\nint main(void) {\n"
        "    printf(\"Total: %d\\n\", 3);\n    putchar('\\n');\n"
        "    return 0;\n}\n```\n\nDone."
    )


def test_fenced_python_comment_with_apostrophe() -> None:
    raw = r"```python\n# don" + "'" + r't split "this\nline\nfor x in y:\n    print("a\nb")\n```'
    assert decode(raw) == (
        '```python\n# don\'t split "this\nline\nfor x in y:\n    print("a\\nb")\n```'
    )


def test_unbalanced_quote_in_fence_does_not_swallow_lines() -> None:
    raw = r'```\nwidth = 12"\nheight = 3\n    depth = "x"\n```'
    assert decode(raw) == '```\nwidth = 12"\nheight = 3\n    depth = "x"\n```'


def test_decode_keeps_real_newlines() -> None:
    assert decode("a\nb \\n c") == "a\nb \n c"


# --------------------------------------------------------------------------- math delimiters


def test_convert_paren_to_dollar() -> None:
    assert convert_math_delimiters(r"A point \( (0, 1) \) here") == "A point $(0, 1)$ here"
    assert convert_math_delimiters(r"empty \(\) stays") == r"empty \(\) stays"


def test_convert_bracket_display_to_block() -> None:
    text = "The law \\[ F = ma \\] holds."
    assert convert_math_delimiters(text) == "The law\n\n$$ F = ma $$\nholds."
    text = "Intro:\n\\[\nE = mc^2\n\\]\nafter"
    assert convert_math_delimiters(text) == "Intro:\n\n$$\nE = mc^2\n$$\nafter"


def test_dollar_display_after_paragraph_line_gets_blank_line() -> None:
    text = "2. Use the formula:\n   $$\n   R = \\sqrt{a^2 + b^2}\n   $$\n   where $a$ is"
    expected = "2. Use the formula:\n\n   $$\n   R = \\sqrt{a^2 + b^2}\n   $$\n   where $a$ is"
    assert convert_math_delimiters(text) == expected
    ready = "Text:\n\n$$\nx\n$$\n\n$$\ny\n$$"
    assert convert_math_delimiters(ready) == ready


def test_display_in_table_row_stays_inline() -> None:
    assert convert_math_delimiters("| a | \\[x^2\\] |") == "| a | $x^2$ |"


def test_convert_ignores_code() -> None:
    text = "`\\(x\\)` and\n```\n\\[y\\]\n```\n"
    assert convert_math_delimiters(text) == text


# --------------------------------------------------------------------------- currency


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It costs $5.", "It costs \\$5."),
        ("a job worth $20,000 of work and an additional $5", None),
        ("about $1.5 million in grants", "about \\$1.5 million in grants"),
        ("roughly US$ 3 billion", "roughly US\\$ 3 billion"),
        ("between $5 and $10 each", "between \\$5 and \\$10 each"),
        ("tickets at $5-$10", "tickets at \\$5-\\$10"),
        ("$40 billion in losses", "\\$40 billion in losses"),
        ("saved $300. The rate $r$ rose.", "saved \\$300. The rate $r$ rose."),
    ],
)
def test_prices_become_text(text: str, expected: str | None) -> None:
    if expected is None:
        expected = text.replace("$", "\\$")
    assert escape_currency(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the intercept is $3$, so",
        "we get $2x + 1$ here",
        "from $ 0 $ to $ \\infty $",
        "the set $1, 2, 3$ is finite",
        "about $ 3 \\times 10^8 $ m/s",
        "the term $5 - (-3) = 8$ shows",
        "mass $m$ and force $F = ma$",
        "already escaped \\$5 here",
        "code `echo $HOME costs $5` here",
    ],
)
def test_math_and_code_untouched(text: str) -> None:
    assert escape_currency(text) == text


def test_mixed_price_and_math_in_one_paragraph() -> None:
    text = "A ticket costs $12 per person, so for $n$ people the total is $12n$ dollars."
    assert escape_currency(text) == text.replace("$12 per", "\\$12 per")


def test_converted_paren_math_is_not_currency() -> None:
    assert (
        prepare_answer(r"It is \(5\) and \(100 \%\).", unescape=False) == "It is $5$ and $100 \\%$."
    )


# --------------------------------------------------------------------------- mhchem


def test_uses_mhchem() -> None:
    assert uses_mhchem("Water $\\ce{H2O}$ forms")
    assert uses_mhchem("Amount \\(\\pu{5 mol}\\)")
    assert uses_mhchem("$$\n\\ce{2H2 + O2 -> 2H2O}\n$$")
    assert not uses_mhchem("plain \\ce{H2O} outside math")
    assert not uses_mhchem("code `$\\ce{H2O}$` only")
    assert not uses_mhchem("nothing here $x$")


# --------------------------------------------------------------------------- pipeline


def test_prepare_answer_pipeline() -> None:
    raw = r"Cost is $5 per unit.\n\nVelocity \(\nu\) and\n$$\nu(t) = K_p e(t)$$\n`\n` stays"
    assert prepare_answer(raw) == (
        "Cost is \\$5 per unit.\n\nVelocity $\\nu$ and\n\n$$\nu(t) = K_p e(t)$$\n`\\n` stays"
    )


def test_prepare_answer_modes() -> None:
    mixed = "real\nnewline and \\n escape"
    assert prepare_answer(mixed) == mixed
    assert prepare_answer(mixed, unescape=True) == "real\nnewline and \n escape"
    assert prepare_answer(r"a\nb", unescape=False) == r"a\nb"
    assert prepare_answer(r"a\nb", unescape="auto") == "a\nb"
    with pytest.raises(ValueError, match="unescape"):
        prepare_answer("x", unescape="sometimes")


def test_scan_kinds() -> None:
    kinds = [segment.kind for segment in scan("`c` $x$ $$y$$ \\(z\\) costs $5 now\n```\nq\n```")]
    assert kinds == ["code", "inline", "display", "inline", "currency", "fence"]


# --------------------------------------------------------------------------- properties

MARKDOWNISH = st.lists(
    st.sampled_from(
        [
            *"\\\\\\nnnn$$$``'\"()[]{}abuqeitx01 5,.-#|*&^_~\n\t",
            "\\n",
            "\\nu",
            "\\neq",
            "```",
            "\\(",
            "\\)",
            "\\[",
            "\\]",
            "\\begin{aligned}",
            "\\\\",
        ]
    ),
    max_size=60,
).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=200), MARKDOWNISH)


@settings(max_examples=400, deadline=None)
@given(ANY_TEXT, st.sampled_from(["auto", True, False]))
def test_never_raises(text: str, mode: bool | str) -> None:
    prepare_answer(text, unescape=mode)
    decode_escaped_newlines(text)
    uses_mhchem(text)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_auto_is_identity_on_decoded_text(text: str) -> None:
    text = text + "\n"
    assert prepare_answer(text, unescape="auto") == prepare_answer(text, unescape=False)


#: What preparing an answer may add, drop or move: delimiters, backslashes and whitespace.
_DELIMITERS_AND_SPACE = re.compile(r"[\\$()\[\]\s]")


def _words_only(text: str) -> str:
    return _DELIMITERS_AND_SPACE.sub("", text)


@settings(max_examples=400, deadline=None)
@given(ANY_TEXT)
def test_prepare_answer_keeps_every_word_in_order(text: str) -> None:
    """Without decoding, preparing an answer only rewrites delimiters (``\\(`` to ``$``),
    escapes dollars and moves display math to its own lines: no other character is
    dropped, invented or reordered."""
    assert _words_only(prepare_answer(text, unescape=False)) == _words_only(text)


PLAIN = st.text(st.characters(blacklist_characters="$\\"), max_size=200)


@settings(max_examples=300, deadline=None)
@given(PLAIN, st.sampled_from(["auto", True, False]))
def test_text_without_dollars_or_backslashes_is_unchanged(text: str, mode: bool | str) -> None:
    """No escape to decode, no math or money to convert: the answer is kept as written."""
    assert prepare_answer(text, unescape=mode) == text


@settings(max_examples=400, deadline=None)
@given(MARKDOWNISH.map(lambda text: text.replace("\n", "")))
def test_decode_only_turns_escapes_into_newlines(text: str) -> None:
    decoded = decode_escaped_newlines(text)
    assert decoded.replace("\n", "\\n") == text


@settings(max_examples=400, deadline=None)
@given(MARKDOWNISH.map(lambda text: text.replace("\n", "")))
def test_decode_is_idempotent(text: str) -> None:
    once = decode_escaped_newlines(text)
    assert decode_escaped_newlines(once) == once


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_escape_currency_only_adds_backslashes(text: str) -> None:
    escaped = escape_currency(text)
    assert escaped.replace("\\", "") == text.replace("\\", "")
    added = len(escaped) - len(text)
    assert added == sum(segment.kind == "currency" for segment in scan(text))
    assert escape_currency(escaped) == escaped


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_convert_is_idempotent(text: str) -> None:
    once = convert_math_delimiters(text)
    assert convert_math_delimiters(once) == once


# --------------------------------------------------------------------------- corpus


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus at ../shared/corpus")
def test_corpus_has_no_damaged_math() -> None:
    report = load_script("corpus_markdown_report")
    damaged: list[str] = []
    spans = 0
    for path, raw in report.load_answers(CORPUS):
        found, bad, _ = report.check_math(raw, report.ours(raw))
        spans += found
        damaged.extend(f"{path.name}: {damage.missing}" for damage in bad)
    assert spans > 0
    assert damaged == []


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus at ../shared/corpus")
def test_corpus_check_sees_blind_damage() -> None:
    report = load_script("corpus_markdown_report")
    total = sum(
        len(report.check_math(raw, report.blind(raw))[1]) for _, raw in report.load_answers(CORPUS)
    )
    assert total > 0


def test_escaped_brackets_are_not_display_math() -> None:
    assert convert_math_delimiters("as shown \\[12\\] and \\[see\\](url)") == (
        "as shown \\[12\\] and \\[see\\](url)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The cost $C$ is $5 per unit.", "The cost $C$ is \\$5 per unit."),
        ("A price of $5, or $x$ in general", "A price of \\$5, or $x$ in general"),
        ("Run echo $HOME and $PATH now", "Run echo \\$HOME and \\$PATH now"),
        ("### Budget: $2 million\nnext", "### Budget: \\$2 million\nnext"),
    ],
)
def test_prices_next_to_math(text: str, expected: str) -> None:
    assert escape_currency(text) == expected


def test_dollar_span_holding_a_math_opener_is_not_math() -> None:
    # delimiters mixed up by an author: TeX cannot typeset "\(" inside inline math
    text = r"The asymptote at $y = 0\ provides a base as \(x$ approaches, and $x^2$ is math."
    out = prepare_answer(text, unescape=False)
    assert out.startswith(r"The asymptote at \$y = 0\ provides")
    assert "$x^2$ is math" in out
