"""Hostile answers parse in bounded time or are refused; ordinary ones parse the same."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from sphinxext_quicktakes.complexity import (
    MAX_LINES,
    tame,
    tame_or_refuse,
    too_complex,
)
from sphinxext_quicktakes.errors import QuickTakesError, Subtype
from sphinxext_quicktakes.markdown import prepare_answer
from sphinxext_quicktakes.model import load_question
from sphinxext_quicktakes.render import DEFAULT_URL_SCHEMES, _answer_parser

from .conftest import CORPUS

MIB = 1024 * 1024
BOUND = 10.0  # seconds per 1 MiB input: the target


def parse(markdown: str) -> list[Any]:
    return _answer_parser(DEFAULT_URL_SCHEMES).parse(markdown + "\n", {})


def shape(tokens: list[Any]) -> list[tuple[Any, ...]]:
    """Everything about tokens that reaches the output: not an escape's markup, nor the
    source of an inline token (its children are rendered)."""
    out: list[tuple[Any, ...]] = []
    for token in tokens:
        text = token.type == "text"
        out.append(
            (
                token.type,
                token.tag,
                token.nesting,
                None if token.type == "inline" else token.content,
                token.attrs,
                token.map,
                None if text else token.markup,
                None if text else token.info,
                repr(token.meta),
                shape(token.children or []),
            )
        )
    return out


def repeat(unit: str, size: int = MIB) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def nested_list(size: int = MIB) -> str:
    lines = []
    total = 0
    depth = 0
    while total < size:
        line = "  " * depth + "- a\n"
        lines.append(line)
        total += len(line)
        depth += 1
    return "".join(lines)[:size]


FAMILIES: dict[str, Callable[[], str]] = {
    "run [": lambda: repeat("["),
    "run ![": lambda: repeat("!["),
    "[a ": lambda: repeat("[a "),
    "[x](": lambda: repeat("[x]("),
    "[x][": lambda: repeat("[x]["),
    "[^": lambda: repeat("[^"),
    "[^x] refs": lambda: repeat("[^x] "),
    "[ then ]": lambda: "[" * (MIB - 1) + "]",
    "[ balanced": lambda: "[" * (MIB // 2) + "]" * (MIB // 2),
    "<a [ >": lambda: "<a " + "[" * (MIB - 4) + ">",
    "run <": lambda: repeat("<"),
    "run &": lambda: repeat("&"),
    "run ]": lambda: repeat("]"),
    "*_": lambda: repeat("*_"),
    "lines of [": lambda: repeat("[" * 79 + "\n"),
    "many items": lambda: repeat("- a\n"),
    "nested list": nested_list,
    "nested quotes": lambda: repeat("> "),
    "table rows": lambda: "| a | b |\n|---|---|\n" + repeat("| x | y |\n", MIB - 20),
    "$x$": lambda: repeat("$x$ "),
}


@pytest.mark.parametrize("name", FAMILIES)
def test_hostile_input_is_fast_or_refused(name: str) -> None:
    text = FAMILIES[name]()
    started = time.perf_counter()
    prepared = prepare_answer(text, unescape=False)
    try:
        tamed = tame_or_refuse(prepared)
    except QuickTakesError as error:
        assert error.subtype is Subtype.TOO_COMPLEX
    else:
        parse(tamed)
    assert time.perf_counter() - started < BOUND


ORDINARY = [
    'A [link](https://x.org) and an ![image](a.png "title").',
    "See [the docs][docs] or [docs].\n\n[docs]: https://docs.example.org",
    "A footnote[^1] and another[^note].\n\n[^1]: First.\n[^note]: Second [x](y).",
    "Autolink <https://x.org/a[b]> and <mail@example.org>, inline <b>bold</b>.",
    "Interval $[0,1)$ and $$[a, b)$$ and code `a[0` and `]`.",
    "```python\nx = a[0\ny = [\n```\n\nafter [ it",
    "    indented [ code\n\ntext",
    "- item [one\n  - nested [two](u)\n    - deeper [three\n- [ ] task\n1. [x] done",
    "> quote [with link](u) and [unclosed\n> > nested [",
    "[a [b] c](u) and [a [b c](u) and [[x]](u)",
    "Unmatched [ in one paragraph\n\nand ] in the next.",
    "| a [ | b](u) |\n|---|---|\n| [c] | d [ |",
    "<div>\n[ raw\n</div>\n\nafter",
    "<!-- comment [ -->\n\n[text",
    "Escaped \\[ and \\\\[ and \\\\\\[.",
    "A [link\nacross lines](u) and [an orphan\nacross lines.",
    "Price \\$5 and [brackets] [in text] that are [not links].",
    "# Heading [x\n\nSetext [\n===\n\n* [ emphasis ]*",
    "[link](u (title)) [x](<a b>) [y]( u ) [z](",
    "![[nested]](img.png) ![alt [x]",
    "(target)=\n# Title\n\n{math}`[a` and {ref}`[b <t>`",
]


@pytest.mark.parametrize("markdown", ORDINARY)
def test_tame_keeps_ordinary_markdown(markdown: str) -> None:
    prepared = prepare_answer(markdown, unescape=False)
    assert shape(parse(tame(prepared))) == shape(parse(prepared))
    assert too_complex(tame(prepared)) is None


def test_tame_escapes_only_orphans() -> None:
    assert tame("a [b") == "a \\[b"
    assert tame("[x](u) [y] [^1]") == "[x](u) \\[y] [^1]"
    assert tame("[y]\n\n[y]: /u") == "[y]\n\n[y]: /u"
    assert tame("`[` $[0,1)$") == "`[` $[0,1)$"


def test_too_many_lines_is_refused() -> None:
    assert too_complex("a\n" * MAX_LINES) is not None
    assert too_complex("a\n" * 100) is None


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus_is_unchanged() -> None:
    checked = 0
    for path in sorted(CORPUS.rglob("*.md")):
        try:
            question = load_question(path)
        except QuickTakesError:
            continue  # not a question file (the corpus README)
        prepared = prepare_answer(question.answer, unescape=False)
        tamed = tame(prepared)
        assert too_complex(tamed) is None, path.name
        if tamed != prepared:
            assert shape(parse(tamed)) == shape(parse(prepared)), path.name
        checked += 1
    assert checked >= 1000
