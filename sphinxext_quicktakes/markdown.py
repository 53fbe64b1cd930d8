"""Prepare exported answer Markdown for MyST: escaped newlines, math delimiters, currency.

Exports store each newline of an answer as the two characters backslash + ``n`` and escape
nothing else, so the string is ambiguous where TeX control words start with ``n``
(``\\nabla``, ``\\neq``, ``\\nu`` ...).  :func:`decode_escaped_newlines` resolves that from
context; :func:`convert_math_delimiters` and :func:`escape_currency` then make the math and
the dollar amounts come out right with MyST's ``dollarmath`` defaults.  Stdlib only.

Decoding rules, for each backslash + ``n`` (called an escape below):

1. If the escape's backslash is preceded by another backslash (``\\\\\\n`` is a TeX row break
   ``\\\\`` then a newline; ``\\\\n`` is a backslash then a newline), it is a newline.
2. Otherwise, if ``n`` and the letters after it do not form a TeX command of
   :data:`TEX_N_WORDS` (``\\nf(x)``, ``\\nThe``, ``\\nwhere``), it is a newline.
3. A remaining candidate (``\\nabla``, ``\\nu`` ...) stays TeX only inside math
   (``$...$``, ``$$...$$``, ``\\(...\\)``, ``\\[...\\]``, top-level ``\\begin{align}``-like
   environments), and not right after a display opener (``$$\\nu(t)`` is a newline then
   ``u(t)``) or right after ``\\begin{...}``.  Outside math it is a newline.
4. Code: inside an inline code span every escape stays literal (`` `printf("\\n")` ``).
   Inside a fenced block escapes are newlines, except inside a quoted string literal that
   closes on the same line (``printf("a\\n");``, ``'\\n'``): there they stay literal.  A
   string only counts when it is at most 200 characters, and no escape in it is followed by
   a space or tab (that would be an indented code line); an apostrophe after a letter or
   digit does not open a string; ``#`` and ``//`` comments are skipped.

Math and code are found on a provisional decoding (rules 1-2 applied), so the line
structure is the one the page will have.  See :func:`decode_escaped_newlines` for the
idempotence guarantee.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = [
    "TEX_N_WORDS",
    "Segment",
    "convert_math_delimiters",
    "decode_escaped_newlines",
    "escape_currency",
    "has_escaped_newlines",
    "prepare_answer",
    "scan",
    "uses_mhchem",
]


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


#: TeX/LaTeX/AMS/MathJax control words that begin with ``n`` (without the backslash).
TEX_N_WORDS: frozenset[str] = _words(
    """
    nabla natural ne nearrow neg negmedspace negthickspace negthinspace neq newcommand
    newenvironment newline nexists ngeq ngeqq ngeqslant ngtr ni nleftarrow nLeftarrow
    nleftrightarrow nLeftrightarrow nleq nleqq nleqslant nless nmid nobreak nobreakspace
    noindent nolimits nolinebreak nonscript nonumber normalsize not notag notin nparallel
    nprec npreceq nrightarrow nRightarrow nshortmid nshortparallel nsim nsubseteq
    nsubseteqq nsucc nsucceq nsupseteq nsupseteqq ntriangleleft ntrianglelefteq
    ntriangleright ntrianglerighteq nu nulldelimiterspace numberwithin nvdash nvDash
    nVdash nVDash nwarrow
    """
)

#: Environments treated as math when they appear outside ``$``/``\\(`` delimiters.
MATH_ENVIRONMENTS: frozenset[str] = _words(
    """
    align align* alignat alignat* aligned array bmatrix Bmatrix cases eqnarray eqnarray*
    equation equation* flalign flalign* gather gather* gathered matrix multline multline*
    pmatrix smallmatrix split subequations vmatrix Vmatrix
    """
)

_ESCAPE_RUN = re.compile(r"(\\+)n")
#: Backslash + a word of :data:`TEX_N_WORDS` (the whole run of letters, as
#: :data:`_LETTERS` reads it); a candidate when the backslash is not preceded by another.
_TEX_N_WORD = re.compile(
    r"\\n(?:" + "|".join(sorted((w[1:] for w in TEX_N_WORDS), key=len, reverse=True)) + r")"
    r"(?![A-Za-z])"
)
_LETTERS = re.compile(r"[A-Za-z]+")
_SPECIAL = re.compile(r"[`\\$]")
_BLANK_LINE = re.compile(r"\n(?=[ \t]*\n)")
_FENCE_OPEN = re.compile(r"[ \t]*(`{3,}|~{3,})([^\n]*)")
_BEGIN = re.compile(r"\\begin\{([A-Za-z]+\*?)\}")
_BEGIN_BEFORE = re.compile(r"\\begin\{[A-Za-z]+\*?\}(?:\{[^{}\n]*\}|\[[^\]\n]*\])*$")
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_NUMBER = re.compile(r" ?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_MAGNITUDE = r"(?:bn|mn|tn|[kKmMbBT])?"
_PRICE_TAIL = re.compile(
    _MAGNITUDE
    + r"(?:[ \t]*(?:\n|$)"  # end of line or text
    + r"|[.,;:!?)\]][ \t]*(?:\n|$|[A-Za-z(\"'*_])"  # punctuation, then prose or the end
    + r"|[ \t]*[-\u2013\u2014/][ \t]*\$"  # a range: $5-$10
    + r"|[ \t]+(?:thousand|million|billion|trillion|per|a|an|each|in|for|to|or|and|of|from"
    + r"|on|at|with|USD|dollars?|annually|monthly|yearly|worth|more|less|off|plus)\b)"
)
_TEX_MARKER = re.compile(r"\\[A-Za-z]+|[\^_{}=<>|]|\\[,;:!]")
_TEXT_GROUP = re.compile(r"\\(?:text\w*|math\w*|operatorname|mbox|hbox)\s*\{[^{}]*\}")
_PROSE_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}")
_CURRENCY_PREFIX = re.compile(r"(?<![A-Za-z])[A-Z]{1,3}$")
_LIST_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_CITATION = re.compile(r"\s*\d+(?:\s*[,\u2013-]\s*\d+)*\s*")
_MAX_INLINE = 1000  # longer "inline math" between two dollars is taken for text
_MHCHEM = re.compile(r"\\(?:ce|pu)\s*\{")


@dataclass(frozen=True, slots=True)
class Segment:
    """A region of Markdown found by :func:`scan`.

    ``kind`` is ``"fence"``, ``"code"`` (inline), ``"display"`` (``$$``, ``\\[``),
    ``"inline"`` (``$``, ``\\(``), ``"env"`` (a bare ``\\begin{...}`` math environment) or
    ``"currency"`` (a ``$`` that is not math).  ``start``/``end`` include the delimiters.
    """

    kind: str
    start: int
    end: int
    open: str = ""
    close: str = ""

    @property
    def content_start(self) -> int:
        """Index of the first character after the opening delimiter."""
        return self.start + len(self.open)

    @property
    def content_end(self) -> int:
        """Index of the closing delimiter."""
        return self.end - len(self.close)

    @property
    def is_math(self) -> bool:
        """True for the math kinds."""
        return self.kind in ("display", "inline", "env")


# --------------------------------------------------------------------------- scanning


def _backslashes_before(text: str, pos: int) -> int:
    """Number of consecutive backslashes right before ``pos``."""
    count = 0
    while pos - count - 1 >= 0 and text[pos - count - 1] == "\\":
        count += 1
    return count


def _find_unescaped(text: str, token: str, start: int, stop: int) -> int:
    """Index of ``token`` in ``text[start:stop]`` not escaped by a backslash, or -1.

    For a token beginning with a backslash (``\\)``) the backslashes before it must be even.
    """
    pos = start
    while True:
        found = text.find(token, pos, stop)
        if found < 0:
            return -1
        if _backslashes_before(text, found) % 2 == 0:
            return found
        pos = found + 1


class _Finder:
    """Next unescaped delimiter, backtick run or blank line, by bisection (scan is linear)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._tokens: dict[str, list[int]] = {}
        self._runs: dict[int, list[int]] | None = None
        self._blank: list[int] | None = None

    def token(self, token: str, start: int, stop: int) -> int:
        """Like :func:`_find_unescaped`, or -1."""
        found = self._tokens.get(token)
        if found is None:
            found = []
            pos = self.text.find(token)
            while pos >= 0:
                if _backslashes_before(self.text, pos) % 2 == 0:
                    found.append(pos)
                pos = self.text.find(token, pos + 1)
            self._tokens[token] = found
        index = bisect.bisect_left(found, start)
        if index < len(found) and found[index] + len(token) <= stop:
            return found[index]
        return -1

    def run(self, length: int, start: int, stop: int) -> int:
        """Start of the next maximal run of exactly ``length`` backticks, or -1."""
        if self._runs is None:
            self._runs = {}
            for match in re.finditer(r"`+", self.text):
                self._runs.setdefault(len(match.group(0)), []).append(match.start())
        found = self._runs.get(length, [])
        index = bisect.bisect_left(found, start)
        if index < len(found) and found[index] + length <= stop:
            return found[index]
        return -1

    def blank_line_after(self, pos: int) -> int:
        """Start of the next blank line (paragraph break) after ``pos``, or ``len(text)``."""
        if self._blank is None:
            self._blank = [match.start() for match in _BLANK_LINE.finditer(self.text)]
        index = bisect.bisect_left(self._blank, pos)
        return self._blank[index] if index < len(self._blank) else len(self.text)


def _fences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the fenced code blocks in ``text`` (real newlines)."""
    found: list[tuple[int, int]] = []
    pos = 0
    length = len(text)
    while pos < length:
        eol = text.find("\n", pos)
        eol = length if eol < 0 else eol
        match = _FENCE_OPEN.match(text, pos, eol)
        if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
            marker = match.group(1)
            closing = re.compile(
                r"[ \t]*" + re.escape(marker[0]) + "{" + str(len(marker)) + r",}[ \t]*$"
            )
            line = eol + 1
            end = length
            while line < length:
                next_eol = text.find("\n", line)
                next_eol = length if next_eol < 0 else next_eol
                if closing.match(text, line, next_eol):
                    end = next_eol
                    break
                line = next_eol + 1
            found.append((pos, end))
            pos = end + 1
        else:
            pos = eol + 1
    return found


def _looks_like_math(content: str) -> bool:
    """True when inline content has TeX markers or is not prose."""
    if _TEX_MARKER.search(content):
        return True
    prose = _PROSE_WORD.findall(_TEXT_GROUP.sub(" ", content))
    return len(prose) < 2


def _is_currency(text: str, pos: int, closer: int) -> bool:
    """Decide whether the ``$`` at ``pos`` (closing candidate ``closer`` or -1) is money."""
    after = text[pos + 1 : pos + 1 + 80]
    if re.match(r" ?\d", after) and _CURRENCY_PREFIX.search(text, max(0, pos - 3), pos):
        return True  # US$ 5, A$20, HK$3
    if closer < 0:
        return True  # never closed in its paragraph: text either way, escaping is harmless
    if text[closer + 1 : closer + 2].isdigit():
        return True  # the closing candidate starts the next amount: $5 and $10
    content = text[pos + 1 : closer]
    number = _NUMBER.match(after)
    if number and not _TEX_MARKER.search(content):
        tail = text[pos + 1 + number.end() : closer + 1]
        if not tail.startswith("$") and _PRICE_TAIL.match(tail):
            return True
    return not _looks_like_math(content)


_MATH_OPENER_INSIDE = re.compile(r"(?<!\\)\\[(\[)\]]")


def _single_dollar(text: str, pos: int, finder: _Finder) -> Segment:
    """Classify the single ``$`` at ``pos``: inline math or currency."""
    stop = min(finder.blank_line_after(pos), pos + 1 + _MAX_INLINE)
    closer = finder.token("$", pos + 1, stop)
    if closer == pos + 1:
        closer = -1
    if closer > 0 and _MATH_OPENER_INSIDE.search(text, pos + 1, closer):
        # ``$y = 0\ ... as \(x$``: delimiters mixed up by the author; TeX cannot set it
        return Segment("currency", pos, pos + 1)
    if _is_currency(text, pos, closer):
        return Segment("currency", pos, pos + 1)
    return Segment("inline", pos, closer + 1, "$", "$")


def _not_bracket_math(text: str, pos: int, close: int) -> bool:
    """True for Markdown-escaped brackets: a citation ``\\[12\\]`` or link text ``\\[a\\](b)``."""
    content = text[pos + 2 : close]
    return bool(_CITATION.fullmatch(content)) or text.startswith("(", close + 2)


def _code_span(text: str, pos: int, finder: _Finder) -> tuple[Segment | None, int]:
    """Inline code span starting with the backtick run at ``pos``; or the run's end."""
    run_end = pos
    while run_end < len(text) and text[run_end] == "`":
        run_end += 1
    run = run_end - pos
    found = finder.run(run, run_end, finder.blank_line_after(pos))
    if found < 0:
        return None, run_end
    return Segment("code", pos, found + run, "`" * run, "`" * run), found + run


def scan(text: str) -> list[Segment]:
    """Find code, math and currency segments in Markdown with real newlines, in order."""
    segments: list[Segment] = []
    fences = _fences(text)
    finder = _Finder(text)
    pos = 0
    length = len(text)
    fence_index = 0
    while pos < length:
        next_fence = fences[fence_index][0] if fence_index < len(fences) else length
        match = _SPECIAL.search(text, pos, next_fence)
        if not match:
            if fence_index == len(fences):
                break
            segments.append(Segment("fence", *fences[fence_index]))
            pos = fences[fence_index][1]
            fence_index += 1
            continue
        pos = match.start()
        char = text[pos]
        if char == "`":
            segment, after = _code_span(text, pos, finder)
            if segment and segment.end <= next_fence:
                segments.append(segment)
                pos = segment.end
            else:
                pos = after
        elif char == "$":
            if text.startswith("$$", pos):
                close = finder.token("$$", pos + 2, next_fence)
                if close >= 0:
                    segments.append(Segment("display", pos, close + 2, "$$", "$$"))
                    pos = close + 2
                else:
                    pos += 2
            else:
                segment = _single_dollar(text, pos, finder)
                segments.append(segment)
                pos = segment.end
        else:  # backslash
            following = text[pos + 1 : pos + 2]
            if following in ("(", "["):
                closing = "\\)" if following == "(" else "\\]"
                stop = min(finder.blank_line_after(pos), next_fence)
                close = finder.token(closing, pos + 2, stop)
                if following == "[" and close >= 0 and _not_bracket_math(text, pos, close):
                    close = -1
                if close >= 0:
                    kind = "inline" if following == "(" else "display"
                    segments.append(Segment(kind, pos, close + 2, "\\" + following, closing))
                    pos = close + 2
                else:
                    pos += 2
            elif following == "b" and (begin := _BEGIN.match(text, pos)):
                name = begin.group(1)
                end_token = "\\end{" + name + "}"
                close = finder.token(end_token, begin.end(), next_fence)
                if name in MATH_ENVIRONMENTS and close >= 0:
                    segments.append(Segment("env", pos, close + len(end_token)))
                    pos = close + len(end_token)
                else:
                    pos = begin.end()
            elif following in _PUNCT:
                pos += 2
            else:
                pos += 1
    return segments


# --------------------------------------------------------------------------- decoding


def has_escaped_newlines(text: str) -> bool:
    """True when ``text`` has backslash + ``n`` and no real newline (the "auto" trigger)."""
    return "\\n" in text and "\n" not in text


def _string_escapes(raw: str, start: int, end: int, escapes: list[int]) -> set[int]:
    """Escapes in the fence body ``raw[start:end]`` that sit in one-line string literals."""
    escape_set = set(escapes)
    literal: set[int] = set()
    pos = start
    while pos < end:
        char = raw[pos]
        line_start = pos == start or raw[pos - 1] in " \t\n" or pos - 2 in escape_set
        if pos in escape_set or char == "\\":
            pos += 2
        elif (char == "#" and line_start and raw[pos + 1 : pos + 2] in (" ", "!", "")) or (
            raw.startswith("//", pos) and line_start
        ):
            # a comment: skip to the end of its line
            following = bisect.bisect_right(escapes, pos)
            next_escape = escapes[following] if following < len(escapes) else end
            next_newline = raw.find("\n", pos, end)
            pos = min(next_escape, end, next_newline if next_newline >= 0 else end)
        elif char in "\"'":
            if raw.startswith(char * 3, pos):
                pos += 3
            elif char == "'" and pos > start and raw[pos - 1].isalnum():
                pos += 1  # an apostrophe
            else:
                closed, inside = _string_end(raw, pos, min(end, pos + 201), escape_set)
                valid = closed >= 0 and all(raw[e + 2 : e + 3] not in (" ", "\t") for e in inside)
                if valid:
                    literal.update(inside)
                pos = closed + 1 if valid else pos + 1
        else:
            pos += 1
    return literal


def _string_end(raw: str, pos: int, stop: int, escape_set: set[int]) -> tuple[int, list[int]]:
    """Closing quote of the string opened at ``pos`` (or -1) and the escapes inside it."""
    quote = raw[pos]
    inside: list[int] = []
    scan_pos = pos + 1
    while scan_pos < stop:
        current = raw[scan_pos]
        if current == "\n":
            break
        if current == "\\":
            if scan_pos in escape_set:
                inside.append(scan_pos)
            elif scan_pos + 1 in escape_set:
                inside.append(scan_pos + 1)  # "a\\nb": the escape is the second backslash
            scan_pos += 2
            continue
        if current == quote:
            return scan_pos, inside
        scan_pos += 1
    return -1, inside


def _has_candidate(text: str) -> bool:
    """Whether an escape in ``text`` may start a TeX command (see pass 1 below)."""
    return any(
        match.start() == 0 or text[match.start() - 1] != "\\"
        for match in _TEX_N_WORD.finditer(text)
    )


def decode_escaped_newlines(text: str) -> str:
    r"""Turn escaped newlines (backslash + ``n``) into newlines, keeping TeX and code intact.

    The rules are in the module docstring.  Real newlines already in ``text`` are kept.

    Guarantee: decoding never creates a new backslash + ``n``, and every one it leaves is a
    TeX command in math or a literal in code; so ``decode(decode(x)) == decode(x)`` whenever
    the math and code found in ``decode(x)`` are the ones found in ``x`` (always the case
    unless an inline code span holds a blank line, e.g. `` `"\n\n"` ``, which is decoded).
    """
    if "\\n" not in text:
        return text
    if "`" not in text and "~~~" not in text and not _has_candidate(text):
        # No code can be found and no escape may start a TeX command: every escape is a
        # newline (rules 1 and 2, and rule 3 for the escapes in math), as below.
        return text.replace("\\n", "\n")
    matches = list(_ESCAPE_RUN.finditer(text))
    # Pass 1: a provisional decoding; keep only the escapes that may start a TeX command.
    escapes: list[int] = []  # raw index of each escape's backslash
    newline: list[bool] = []
    candidate: list[bool] = []
    for match in matches:
        backslash = match.end() - 2
        escapes.append(backslash)
        is_candidate = False
        if len(match.group(1)) == 1:
            word = _LETTERS.match(text, backslash + 1)
            is_candidate = word is not None and word.group(0) in TEX_N_WORDS
        candidate.append(is_candidate)
        newline.append(not is_candidate)
    provisional, positions = _apply(text, escapes, newline)
    shrink = [0]  # shrink[i]: characters lost by the provisional newlines before escape i
    for is_newline in newline:
        shrink.append(shrink[-1] + (1 if is_newline else 0))

    def to_raw(prov: int) -> int:
        """Raw index of provisional index ``prov``."""
        return prov + shrink[bisect.bisect_left(positions, prov)]

    # Pass 2: find math and code on the provisional text and settle every escape.
    segments = scan(provisional)
    starts = [segment.start for segment in segments]
    for index, prov in enumerate(positions):
        found = bisect.bisect_right(starts, prov) - 1
        segment = segments[found] if found >= 0 else None
        if segment is None or not segment.start <= prov < segment.end:
            newline[index] = True  # plain text
        elif segment.kind == "code":
            newline[index] = False
        elif segment.is_math and candidate[index]:
            at_open = segment.kind == "display" and prov == segment.content_start
            window = max(segment.start, prov - 200)
            after_begin = _BEGIN_BEFORE.search(provisional, window, prov) is not None
            newline[index] = at_open or after_begin
        elif segment.kind != "fence":  # fences are settled below
            newline[index] = True
    for segment in segments:
        if segment.kind != "fence":
            continue
        first = bisect.bisect_left(positions, segment.start)
        last = bisect.bisect_left(positions, segment.end)
        if first < last:
            literal = _string_escapes(text, to_raw(segment.start), to_raw(segment.end), escapes)
            for index in range(first, last):
                newline[index] = escapes[index] not in literal
    return _apply(text, escapes, newline)[0]


def _apply(text: str, escapes: list[int], newline: list[bool]) -> tuple[str, list[int]]:
    """Replace the escapes flagged in ``newline``; return the text and each escape's index."""
    parts: list[str] = []
    positions: list[int] = []
    last = 0
    size = 0
    for backslash, is_newline in zip(escapes, newline, strict=True):
        chunk = text[last:backslash]
        parts.append(chunk)
        size += len(chunk)
        positions.append(size)
        if is_newline:
            parts.append("\n")
            size += 1
        else:
            parts.append("\\n")
            size += 2
        last = backslash + 2
    parts.append(text[last:])
    return "".join(parts), positions


# --------------------------------------------------------------------------- math and money


def _line_start(text: str, pos: int) -> int:
    """Index of the first character of the line holding ``pos``."""
    return text.rfind("\n", 0, pos) + 1


def _container_indent(line: str) -> str:
    """Spaces matching the content column of ``line`` (its indent, plus any list marker)."""
    marker = _LIST_MARKER.match(line)
    if marker:
        return " " * len(marker.group(0).expandtabs(4))
    return " " * (len(line) - len(line.lstrip(" \t")))


def _line_end(text: str, pos: int) -> int:
    """Index of the newline ending the line holding ``pos`` (or ``len(text)``)."""
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _needs_blank_before(text: str, line_start: int) -> bool:
    """True when the line before ``line_start`` would make a ``$$`` line part of a paragraph."""
    if line_start == 0:
        return False
    previous = text[_line_start(text, line_start - 1) : line_start - 1].strip()
    if not previous or previous.endswith("$$"):
        return False
    return not previous.startswith(("#", "```", "~~~", "|"))


def convert_math_delimiters(text: str) -> str:
    r"""``\(x\)`` becomes ``$x$`` and ``\[x\]`` becomes ``$$x$$``, as a block.

    Display math (``$$`` too) that shares its line with text, or directly follows a
    paragraph line, is moved to its own lines (a blank line before, the rest of the line
    after), because MyST's ``$$`` block rule cannot interrupt a paragraph.  In table rows,
    headings and block quotes ``\[x\]`` becomes ``$x$`` and ``$$`` is left alone.  Code is
    never touched; ``\(\)`` with no content, or with an unescaped ``$`` inside, is left alone.
    """
    out: list[str] = []
    last = 0
    for segment in scan(text):
        if segment.start < last:
            continue
        content = text[segment.content_start : segment.content_end]
        if segment.kind == "inline" and segment.open == "\\(":
            content = content.strip()
            if content and _find_unescaped(content, "$", 0, len(content)) < 0:
                out.append(text[last : segment.start])
                out.append("$" + content + "$")
                last = segment.end
            continue
        if segment.kind != "display" or not content.strip():
            continue
        line_start = _line_start(text, segment.start)
        opener_line = text[line_start : _line_end(text, segment.start)]
        if opener_line.lstrip().startswith(("|", "#", ">")):
            if segment.open == "\\[" and content.strip():
                out.append(text[last : segment.start])
                out.append("$" + content.strip() + "$")
                last = segment.end
            continue
        before = text[line_start : segment.start]
        marker = _LIST_MARKER.match(before)
        indent = _container_indent(opener_line)
        if before.strip() and not (marker and marker.end() == len(before)):
            out.append(text[last : segment.start].rstrip(" \t"))
            out.append("\n\n" + indent)
        elif not before.strip() and last <= line_start and _needs_blank_before(text, line_start):
            out.append(text[last:line_start])
            out.append("\n" + before)
        else:
            out.append(text[last : segment.start])
        out.append("$$" + content + "$$")
        last = segment.end
        line_end = _line_end(text, last)
        rest = text[last:line_end]
        if rest.strip() and not re.fullmatch(r"\s*\([^)$\r\n]+\)\s*", rest):
            out.append("\n" + indent)  # the rest of the line follows on the next one
            last += len(rest) - len(rest.lstrip(" \t"))
    out.append(text[last:])
    return "".join(out)


def escape_currency(text: str) -> str:
    """Write each ``$`` that is money (or otherwise not math) as ``\\$``; code untouched."""
    out: list[str] = []
    last = 0
    for segment in scan(text):
        if segment.kind == "currency":
            out.append(text[last : segment.start])
            out.append("\\$")
            last = segment.end
    out.append(text[last:])
    return "".join(out)


def uses_mhchem(text: str) -> bool:
    """True when the Markdown has ``\\ce{...}`` or ``\\pu{...}`` inside math."""
    if not _MHCHEM.search(text):
        return False
    for segment in scan(text):
        if segment.is_math and _MHCHEM.search(text, segment.start, segment.end):
            return True
    return False


def prepare_answer(text: str, unescape: bool | str = "auto") -> str:
    """Unescape newlines, then convert math delimiters, then escape currency.

    ``unescape``: ``"auto"`` decodes only when :func:`has_escaped_newlines`; ``True``
    decodes whenever backslash + ``n`` is present; ``False`` never decodes.
    """
    if unescape == "auto":
        decode = has_escaped_newlines(text)
    elif isinstance(unescape, bool):
        decode = unescape
    else:
        raise ValueError(f"unescape must be True, False or 'auto', not {unescape!r}")
    if decode:
        text = decode_escaped_newlines(text)
    return escape_currency(convert_math_delimiters(text))
