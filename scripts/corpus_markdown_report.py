"""Report how answer decoding treats a real question bank: ours versus a blind replace.

Usage::

    python scripts/corpus_markdown_report.py --corpus ../shared/corpus [--show 20]

For every question file (loaded with python-frontmatter) the ``answer`` is decoded twice:
blindly (``answer.replace("\\n", "\n")``, what the original site did) and with
``sphinxext_quicktakes.markdown``.  Math spans are found in the *raw* answer by a finder
written here, independent of the module's scanner; a span is damaged when a TeX control
word it holds (``\\nabla``, ``\\neq``, ``\\frac`` ...) is missing from the decoded span.
A ``\\n`` right after a display opener (``$$``, ``\\[``), after ``\\begin{...}``, after
another backslash (``\\\\\\n``) or followed by letters that are no TeX command is a newline,
not damage.  The rest of the report counts prices, inline math and block structure, and,
when myst-parser is installed, what MyST's dollarmath rules (defaults) make of the output.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sphinxext_quicktakes.markdown import (
    TEX_N_WORDS,
    convert_math_delimiters,
    decode_escaped_newlines,
    has_escaped_newlines,
    prepare_answer,
    scan,
)

ESC = r"\\n"  # an escaped newline, as a regex
RAW_FENCE = re.compile(r"(?:^|\\n)[ \t]*(`{3,}|~{3,}).*?(?:\\n[ \t]*\1|$)", re.S)
RAW_CODE = re.compile(r"(?<!`)`(?!`)[^`]*?`")
RAW_DISPLAY = re.compile(r"(?<!\\)(\$\$)(.+?)(?<!\\)\$\$|(?<!\\)(\\\[)(.+?)\\\]", re.S)
RAW_PAREN = re.compile(r"(?<!\\)(\\\()(.+?)\\\)", re.S)
RAW_INLINE = re.compile(r"(?<![\\$])(\$)((?:\\\$|[^$])+?)(?<!\\)\$")
RAW_PRICE = re.compile(
    r" ?\d[\d,]*(?:\.\d+)?(?:[kKmMbB]|bn)?"
    r"(?:\s*$|[ ]+(?![a-z]\b)[A-Za-z]{2,}|[.,;:!?)](?:\s|\\n|$)|[ ]*[-\u2013/][ ]*\$)"
)
WORD = re.compile(r"\\[A-Za-z]+")
N_WORD = re.compile(r"\\n([A-Za-z]*)")
BEGIN_BEFORE = re.compile(r"\\begin\{[A-Za-z]+\*?\}(?:\{[^{}]*\}|\[[^\]]*\])*$")
STRUCTURE = {
    "heading": re.compile(r"^#{1,6} ", re.M),
    "bullet": re.compile(r"^[ \t]*[-*+] ", re.M),
    "numbered": re.compile(r"^[ \t]*\d+[.)] ", re.M),
    "table": re.compile(r"^[ \t]*\|", re.M),
    "fence": re.compile(r"^[ \t]*(?:```|~~~)", re.M),
    "display": re.compile(r"^[ \t]*\$\$", re.M),
}
PRICE_LIKE_MATH = re.compile(
    r"^\s*\d[\d,]*(?:\.\d+)?\s*(?:million|billion|trillion|thousand|per|in|to|and|or|of|for)\b"
)


@dataclass
class Span:
    """A math span found in a raw (escaped) answer."""

    kind: str  # "display" or "inline"
    start: int
    content_start: int
    content_end: int
    end: int


@dataclass
class Damage:
    """A math span whose TeX control words did not survive decoding."""

    raw: str
    decoded: str
    missing: list[str]


@dataclass
class Totals:
    """Counters and examples gathered over the corpus."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def example(self, kind: str, text: str) -> None:
        """Remember an example for ``--show``."""
        self.examples.setdefault(kind, []).append(text)


def _mask(text: str, start: int, end: int) -> str:
    """``text`` with ``text[start:end]`` blanked out (same length)."""
    return text[:start] + " " * (end - start) + text[end:]


def raw_math_spans(raw: str) -> list[Span]:
    """Math spans of an escaped answer, found without the module's scanner."""
    masked = raw
    for pattern in (RAW_FENCE, RAW_CODE):
        for match in pattern.finditer(masked):
            masked = _mask(masked, match.start(), match.end())
    spans: list[Span] = []
    for match in RAW_DISPLAY.finditer(masked):
        group = 1 if match.group(1) else 3
        spans.append(
            Span(
                "display", match.start(), match.start(group + 1), match.end(group + 1), match.end()
            )
        )
        masked = _mask(masked, match.start(), match.end())
    for pattern in (RAW_PAREN, RAW_INLINE):
        pos = 0
        while found := pattern.search(masked, pos):
            content = found.group(2)
            after = masked[found.end() : found.end() + 1]
            price = pattern is RAW_INLINE and (
                RAW_PRICE.match(content + "$") is not None
                or (after.isdigit() and not WORD.search(content))
            )
            if ESC + ESC in content or price:
                pos = found.start() + 1
                continue
            spans.append(Span("inline", found.start(), found.start(2), found.end(2), found.end()))
            masked = _mask(masked, found.start(), found.end())
            pos = found.end()
    return sorted(spans, key=lambda span: span.start)


def expected_words(raw: str, span: Span) -> tuple[Counter[str], list[str]]:
    """TeX control words of a raw span that must survive, and ambiguous ``\\n`` words."""
    words: Counter[str] = Counter()
    ambiguous: list[str] = []
    for match in WORD.finditer(raw, span.content_start, span.content_end):
        run = 0
        while raw[match.start() - run - 1] == "\\":
            run += 1
        word = match.group(0)
        if not word.startswith("\\n"):
            if run % 2 == 0:
                words[word] += 1
            continue
        if run:  # \\\n: a row break, then a newline; \\n: a backslash, then a newline
            continue
        at_open = span.kind == "display" and match.start() == span.content_start
        after_begin = BEGIN_BEFORE.search(raw, span.content_start, match.start()) is not None
        if word[1:] in TEX_N_WORDS and not at_open and not after_begin:
            words[word] += 1
        elif word[1:] in TEX_N_WORDS or (len(word) > 2 and word[2].islower() and not at_open):
            ambiguous.append(word)
    return words, ambiguous


def alignment(raw: str, decoded: str) -> list[int]:
    """For each index of ``raw`` (and its end), the matching index of ``decoded``.

    ``decoded`` must be ``raw`` with some escaped newlines replaced by newlines.
    """
    mapping = [0] * (len(raw) + 1)
    i = j = 0
    while i < len(raw):
        mapping[i] = j
        if raw.startswith("\\n", i) and decoded[j : j + 1] == "\n":
            mapping[i + 1] = j
            i += 2
        elif raw[i] == decoded[j : j + 1]:
            i += 1
        else:
            raise ValueError(f"decoded text is not a decoding of the raw text at {i}")
        j += 1
    mapping[len(raw)] = j
    return mapping


def check_math(raw: str, decoded: str) -> tuple[int, list[Damage], list[str]]:
    """Math spans in ``raw``, the damaged ones in ``decoded``, and ambiguous ``\\n`` words."""
    spans = raw_math_spans(raw)
    mapping = alignment(raw, decoded)
    damaged: list[Damage] = []
    ambiguous: list[str] = []
    for span in spans:
        expected, unsure = expected_words(raw, span)
        ambiguous.extend(unsure)
        start, end = mapping[span.content_start], mapping[span.content_end]
        found = Counter(WORD.findall(decoded, start, end))
        missing = expected - found
        if missing:
            damaged.append(
                Damage(
                    raw[span.start : span.end],
                    decoded[mapping[span.start] : mapping[span.end]],
                    sorted(missing.elements()),
                )
            )
    return len(spans), damaged, ambiguous


def blind(raw: str) -> str:
    """What the original site did."""
    return raw.replace("\\n", "\n")


def ours(raw: str) -> str:
    """Decoding as ``prepare_answer(..., unescape="auto")`` does it."""
    return decode_escaped_newlines(raw) if has_escaped_newlines(raw) else raw


def structure(text: str) -> Counter[str]:
    """Counts of block-starting lines."""
    return Counter({name: len(pattern.findall(text)) for name, pattern in STRUCTURE.items()})


def load_answers(corpus: Path) -> Iterator[tuple[Path, str]]:
    """``(path, answer)`` for each question file under ``corpus``."""
    import frontmatter

    for path in sorted(corpus.rglob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        answer = frontmatter.load(path).get("answer")
        if isinstance(answer, str):
            yield path, answer


def _myst_tokens() -> Callable[[str], list[tuple[str, str]]] | None:
    """A function listing MyST's math tokens ``(type, content)``, or None without MyST."""
    try:
        from markdown_it.renderer import RendererHTML
        from myst_parser.config.main import MdParserConfig
        from myst_parser.parsers.mdit import create_md_parser
    except ImportError:
        return None
    parser = create_md_parser(MdParserConfig(enable_extensions={"dollarmath"}), RendererHTML)

    def tokens(text: str) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        stack = list(parser.parse(text))
        while stack:
            token = stack.pop()
            if token.type.startswith("math"):
                found.append((token.type, token.content))
            stack.extend(token.children or ())
        return found

    return tokens


def _context(text: str, start: int, end: int, width: int = 45) -> str:
    """``text[start:end]`` with some context, newlines shown as ⏎."""
    return repr(text[max(0, start - width) : end + width])


def report(corpus: Path) -> Totals:
    """Gather the report's numbers and examples."""
    totals = Totals()
    count = totals.counts
    myst = _myst_tokens()
    for key in ("blind: math spans damaged", "ours: math spans damaged"):
        count[key] = 0
    count["files whose structure differs from blind"] = 0
    if myst is not None:
        count["MyST price-like inline math (ours)"] = 0
    for path, raw in load_answers(corpus):
        count["files"] += 1
        decoded = ours(raw)
        count["answers decoded"] += decoded is not raw
        for name, decoder in (("blind", blind), ("ours", ours)):
            spans, damaged, ambiguous = check_math(raw, decoder(raw))
            count[f"{name}: math spans damaged"] += len(damaged)
            count[f"{name}: files with damaged math"] += bool(damaged)
            for damage in damaged:
                totals.example(f"{name} damage", f"{path.name}: {damage.missing} {damage.raw!r}")
        count["math spans found (raw)"] += spans
        for word in ambiguous:
            totals.example("ambiguous \\n words in math (treated as newline)", word)
        for match in N_WORD.finditer(raw):
            if match.group(1) and "n" + match.group(1) in TEX_N_WORDS:
                totals.example(
                    "TeX n-words near \\n", f"{path.name}: {_context(raw, *match.span())}"
                )
        shape_blind, shape_ours = structure(blind(raw)), structure(decoded)
        count.update({f"structure {k} (ours)": v for k, v in shape_ours.items()})
        if shape_blind != shape_ours:
            count["files whose structure differs from blind"] += 1
            diff = {k: (shape_blind[k], shape_ours[k]) for k in STRUCTURE}
            totals.example("structure blind vs ours", f"{path.name}: {diff}")
        converted = convert_math_delimiters(decoded)
        for segment in scan(converted):
            if segment.kind == "currency":
                count["prices ($ written as text)"] += 1
                text = _context(converted, segment.start, segment.end)
                totals.example("prices", f"{path.name}: {text}")
            elif segment.kind == "inline":
                count["inline math spans kept"] += 1
                content = converted[segment.content_start : segment.content_end]
                digit = content.lstrip()[:1].isdigit()
                kind = "inline math starting with a digit" if digit else "inline math"
                text = _context(converted, segment.start, segment.end, 15)
                totals.example(kind, f"{path.name}: {text}")
            elif segment.kind == "display":
                count["display math spans"] += 1
        if myst is not None:
            final = prepare_answer(raw)
            for kind, content in myst(final):
                count[f"MyST {kind} tokens (ours)"] += 1
                if kind == "math_inline" and PRICE_LIKE_MATH.match(content):
                    count["MyST price-like inline math (ours)"] += 1
                    totals.example("MyST price-like math (ours)", f"{path.name}: {content!r}")
            for kind, content in myst(blind(raw)):
                if kind == "math_inline" and PRICE_LIKE_MATH.match(content):
                    count["MyST price-like inline math (blind, no escaping)"] += 1
            raw_displays = len(re.findall(r"\$\$|\\\[", raw)) // 2
            blocks = sum(1 for kind, _ in myst(final) if kind.startswith("math_block"))
            count["display math written as MyST blocks (ours)"] += blocks
            count["display math delimiter pairs (raw)"] += raw_displays
    return totals


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder of question files")
    parser.add_argument("--show", type=int, default=0, metavar="N", help="print N examples")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"not a folder: {args.corpus}")
    totals = report(args.corpus)
    width = max(len(key) for key in totals.counts)
    for key, value in totals.counts.items():
        print(f"{key:<{width}}  {value}")
    if args.show:
        for kind, examples in totals.examples.items():
            print(f"\n== {kind} ({len(examples)}) ==")
            for text in examples[: args.show]:
                print("  " + text)
    return 1 if totals.counts["ours: math spans damaged"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
