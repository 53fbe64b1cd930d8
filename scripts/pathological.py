"""Time the answer parser on generated pathological inputs and print how it grows.

Usage::

    python scripts/pathological.py [--sizes 25000,50000,100000,200000] [--tame] [--only NAME]

For each family of inputs, the time of ``prepare_answer`` + ``md.parse`` at each size and the
ratio between the last two sizes: about 2 is linear, about 4 is quadratic.  ``--tame`` applies
:func:`sphinxext_quicktakes.complexity.tame` first (its time is included); families refused
by :func:`~sphinxext_quicktakes.complexity.too_complex` are reported as such.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sphinxext_quicktakes.markdown import prepare_answer, scan
from sphinxext_quicktakes.render import DEFAULT_URL_SCHEMES, _answer_parser


def repeat(unit: str) -> Callable[[int], str]:
    """``unit`` repeated to ``n`` characters."""
    return lambda n: (unit * (n // len(unit) + 1))[:n]


def lines(make: Callable[[int], str], width: int) -> Callable[[int], str]:
    """Lines of ``width`` characters made by ``make``."""

    def build(n: int) -> str:
        line = make(width) + "\n"
        return (line * (n // len(line) + 1))[:n]

    return build


def nested(indent: str, item: str) -> Callable[[int], str]:
    """List items each one level deeper than the last (``indent`` per level)."""

    def build(n: int) -> str:
        out: list[str] = []
        size = 0
        depth = 0
        while size < n:
            line = indent * depth + item
            out.append(line)
            size += len(line)
            depth += 1
        return "".join(out)[:n]

    return build


def table(n: int) -> str:
    head = "| a | b | c |\n|---|---|---|\n"
    return head + repeat("| x | y | z |\n")(n - len(head))


def wide_table(n: int) -> str:
    cells = max(1, n // 8)
    return "|" + " a |" * cells + "\n|" + "---|" * cells + "\n"


FAMILIES: dict[str, Callable[[int], str]] = {
    **{f"run {c}": repeat(c) for c in "[]<*_`$(!&\\>-#|~^{=+:.\"'"},
    "[a ": repeat("[a "),
    "<a ": repeat("<a "),
    "![": repeat("!["),
    "[x](": repeat("[x]("),
    "[x]( (": repeat("[x]( ("),
    "*a": repeat("*a"),
    "a_": repeat("a_"),
    "*_*_": repeat("*_"),
    "**a": repeat("**a "),
    "~~a": repeat("~~a "),
    "`a": repeat("`a "),
    "``a`": repeat("``a` "),
    "$a": repeat("$a "),
    "$$a": repeat("$$a "),
    "$x$ ": repeat("$x$ "),
    "<a href": repeat('<a href="x" '),
    "<!--": repeat("<!-- "),
    "<?": repeat("<? "),
    "<!X": repeat("<!X "),
    "<![CDATA[": repeat("<![CDATA[ "),
    "</a ": repeat("</a "),
    "<http:": repeat("<http:a "),
    "&#": repeat("&#1"),
    "\\[ (math)": repeat("\\[ "),
    "\\( (math)": repeat("\\( "),
    "[^x]": repeat("[^x] "),
    "[^x]: defs": lambda n: repeat("[^x]: a\n")(n),
    "[^": repeat("[^"),
    "[x]: defs": lambda n: "".join(f"[l{i}]: /u\n" for i in range(n // 8))[:n],
    "[x] refs": repeat("[x] "),
    "[x][y]": repeat("[x][y] "),
    "[x][": repeat("[x]["),
    "]( unclosed": repeat("](a "),
    "> nested": lambda n: ">" * n,
    "> > nested": repeat("> "),
    "- nested": nested("  ", "- a\n"),
    "1. nested": nested("   ", "1. a\n"),
    "- * + nested": repeat("- "),
    "many items": repeat("- a\n"),
    "many ordered": lambda n: "".join(f"{i}. a\n" for i in range(n // 5))[:n],
    "lazy items": repeat("- a\nb\n"),
    "table rows": table,
    "table wide": wide_table,
    "| lines": repeat("|a\n"),
    "emphasis *a_": repeat("*a_"),
    "backslash nl": repeat("a\\\n"),
    "headings #": repeat("# a\n"),
    "setext": repeat("a\n=\n"),
    "fences open": repeat("```\n"),
    "indented": repeat("    a\n"),
    "html blocks": repeat("<div>\n"),
    "lines of [": lines(repeat("["), 80),
    "lines of <": lines(repeat("<"), 80),
    "para of [ lines": lambda n: repeat("[a\n")(n),
}


def timed_parse(text: str, tame: bool) -> tuple[float, str]:
    """Seconds for preparing and parsing ``text``, and a note."""
    md = _answer_parser(DEFAULT_URL_SCHEMES)
    started = time.perf_counter()
    prepared = prepare_answer(text, unescape=False)
    if tame:
        from sphinxext_quicktakes.complexity import tame as tame_text
        from sphinxext_quicktakes.complexity import too_complex

        prepared = tame_text(prepared)
        reason = too_complex(prepared)
        if reason is not None:
            return time.perf_counter() - started, "refused"
    scan(prepared)
    md.parse(prepared + "\n", {})
    return time.perf_counter() - started, ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="25000,50000,100000,200000")
    parser.add_argument("--tame", action="store_true", help="apply complexity.tame first")
    parser.add_argument("--only", help="families whose name contains this")
    parser.add_argument("--budget", type=float, default=8.0, help="stop a family past this")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"{'family':18}" + "".join(f"{size:>10}" for size in sizes) + "   ratio")
    for name, make in FAMILIES.items():
        if args.only and args.only not in name:
            continue
        times: list[float] = []
        note = ""
        for size in sizes:
            seconds, note = timed_parse(make(size), args.tame)
            times.append(seconds)
            if seconds > args.budget:
                break
        ratio = times[-1] / times[-2] if len(times) > 1 and times[-2] > 0 else float("nan")
        cells = "".join(f"{t:10.3f}" for t in times) + " " * 10 * (len(sizes) - len(times))
        flag = "  QUADRATIC?" if ratio > 3 and times[-1] > 0.2 else ""
        print(f"{name:18}{cells}  {ratio:5.1f}{flag} {note}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
