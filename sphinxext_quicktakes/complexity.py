"""Keep markdown-it's parse time linear on hostile answers (stdlib only).

Answers come from an untrusted bank, up to ``quicktakes_max_file_size``.  Measured with
``scripts/pathological.py`` (markdown-it-py 4.3, mdit-py-plugins 0.7, the answer parser of
:mod:`.render`; ordinary prose parses at about 0.3 s per MiB):

- a run of ``[`` (also ``![``, ``[a ``, ``[x](``): every ``[`` tries to start a link and
  scans ahead for its label; 200k characters take 3.3 s, 400k 11 s, 800k 30 s (super-linear,
  about 2.7x per doubling).  ``[^`` without ``]`` is worse: 8k characters take 4 s
  (about 6x per doubling), through the footnote-reference rule.
- runs of other punctuation (``<``, ``]``, ``&``, ``!``, ``:``, ``=``, ``{``, ``^``, ``#``)
  are linear but slow, about 1 s per 200k characters (5 s per MiB).
- list items, headings, table rows, hard breaks: linear, 1 to 2.4 s per 200k characters of
  ``- a`` lines, and every one becomes a docutils node for the renderer.
- nesting (``>`` or list markers) is cut off by markdown-it's ``maxNesting`` (20): linear.

Rules, applied to prepared answer Markdown (after :func:`.markdown.prepare_answer`):

1. :func:`tame` writes ``\\[`` for each ``[`` that cannot start a link, footnote reference or
   image: one with no matching ``]`` in its paragraph (blank-line separated), or, when the
   answer defines no reference (no ``]:`` anywhere), one whose ``]`` is not followed by a
   ``(`` that is closed later in the paragraph (footnote references ``[^x]`` always match,
   so those are only escaped when unmatched).  Code, math, HTML-looking ``<...>`` spans,
   HTML blocks and indented code are never touched.  ``\\[`` renders as ``[``: the token
   stream after markdown-it's ``text_join`` is the same.
2. :func:`too_complex` refuses what is left too large: more than :data:`MAX_LINES` lines
   (nodes for the renderer), or more than :data:`MAX_OPENERS` ``[`` that may still start a
   link (a hostile answer can keep them matched), measured on :func:`tame`'s output.
"""

from __future__ import annotations

import re

from .errors import QuickTakesError, Subtype
from .markdown import scan

#: More lines than this is refused: a real answer has at most about a hundred; 20,000 list
#: items take about 1 s to parse and many more to render as docutils nodes.
MAX_LINES = 20_000

#: More live ``[`` (unescaped, outside code and math) after :func:`tame` is refused.
MAX_OPENERS = 20_000

#: More markup characters (outside code and math; a code or math span counts one) is
#: refused: each costs markdown-it 5 to 10 microseconds, against 0.3 s per MiB of prose.
MAX_MARKUP = 100_000

_MARKUP = re.compile(r"[!#$%&*:<=>@\[\\\]^_`{|}~]")
_REGION = re.compile(r"\n[ \t]*\n")
_BRACKET = re.compile(r"[\[\]]")
_CONTAINER = re.compile(r"[ \t]*(?:(?:>|[-+*]|\d{1,9}[.)])(?=[ \t]|$)[ \t]?)*")
_RAW_BLOCK = re.compile(r"<(pre|script|style|textarea)(?=[\s>]|$)", re.IGNORECASE)
_HIDES_BRACKET = re.compile(r"[\\`<$]")
_INDENT = re.compile(r" {4}|\t")
_TAG_START = re.compile(r"<[A-Za-z/!?]")


def _backslashes_before(text: str, pos: int, floor: int = 0) -> int:
    count = 0
    while pos - count - 1 >= floor and text[pos - count - 1] == "\\":
        count += 1
    return count


def _protect(mask: bytearray, start: int, end: int) -> None:
    mask[start:end] = b"\x01" * (end - start)


def _protected(markdown: str) -> bytearray:
    """A mask of the characters :func:`tame` must not touch: code, math, HTML, indented code."""
    mask = bytearray(len(markdown))
    for segment in scan(markdown):
        _protect(mask, segment.start, segment.end)
    lower = markdown.lower()
    until = 0
    for match in _RAW_BLOCK.finditer(markdown):  # HTML blocks that may span blank lines
        if match.start() < until:
            continue
        close = lower.find(f"</{match.group(1).lower()}>", match.end())
        until = len(markdown) if close < 0 else close
        _protect(mask, match.start(), until)
    for opener, closer in (("<!--", "-->"), ("<?", "?>"), ("<![CDATA[", "]]>")):
        pos = markdown.find(opener)
        while pos >= 0:
            close = markdown.find(closer, pos + len(opener))
            end = len(markdown) if close < 0 else close + len(closer)
            _protect(mask, pos, end)
            pos = markdown.find(opener, end)
    line_start = 0
    length = len(markdown)
    while line_start < length:
        line_end = markdown.find("\n", line_start)
        line_end = length if line_end < 0 else line_end
        prefix = _CONTAINER.match(markdown, line_start, line_end)
        rest = prefix.end() if prefix else line_start
        if _INDENT.search(markdown, line_start, min(rest + 4, line_end)):
            _protect(mask, line_start, line_end)  # may be indented code: leave as it is
        elif markdown.startswith("<", rest):  # may start an HTML block: up to a blank line
            blank = _REGION.search(markdown, line_start)
            line_end = length if blank is None else blank.start()
            _protect(mask, line_start, line_end)
        line_start = line_end + 1
    return mask


def _regions(markdown: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the blank-line separated parts: no inline content crosses one."""
    out: list[tuple[int, int]] = []
    start = 0
    for match in _REGION.finditer(markdown):
        out.append((start, match.start() + 1))
        start = match.end() - 1
    out.append((start, len(markdown)))
    return out


def _html_region(markdown: str, start: int, end: int, mask: bytearray) -> None:
    """Protect ``<tag ...>``-looking spans inside one region (HTML inline, autolinks)."""
    until = start
    for match in _TAG_START.finditer(markdown, start, end):
        if match.start() < until:
            continue
        close = markdown.find(">", match.end(), end)
        if close < 0:
            return
        until = close + 1
        _protect(mask, match.start(), until)


def _may_link(markdown: str, opener: int, closer: int, mask: bytearray, last_paren: int) -> bool:
    """False when the ``[`` at ``opener``, closed at ``closer``, is certainly not a link (or
    footnote reference): no ``(...)`` follows, and nothing between could hide a ``]``."""
    if markdown.startswith("^", opener + 1) or mask[closer]:
        return True
    if _backslashes_before(markdown, closer, opener) % 2:
        return True
    if _HIDES_BRACKET.search(markdown, opener, closer):
        return True  # an escape, code, math or HTML could hold the real ``]``
    after = closer + 1
    return markdown.startswith("(", after) and last_paren > after


def _escapes(markdown: str) -> list[int]:
    """Positions of the ``[`` that cannot start a link, footnote reference or image."""
    mask = _protected(markdown)
    definitions = "]:" in markdown
    out: list[int] = []
    for start, end in _regions(markdown):
        if markdown.find("[", start, end) < 0:
            continue
        _html_region(markdown, start, end, mask)
        last_paren = markdown.rfind(")", start, end)
        stack: list[int] = []
        for match in _BRACKET.finditer(markdown, start, end):
            pos = match.start()
            if markdown[pos] == "]":  # every ``]`` may close: fewer escapes, never wrong ones
                if stack:
                    opener = stack.pop()
                    if not (
                        definitions or stack or _may_link(markdown, opener, pos, mask, last_paren)
                    ):
                        out.append(opener)  # an outermost ``[...]`` with no ``(`` after
            elif not mask[pos] and _backslashes_before(markdown, pos, start) % 2 == 0:
                stack.append(pos)
        out.extend(stack)
    out.sort()
    return out


def tame(markdown: str) -> str:
    """``markdown`` with each ``[`` that cannot start a link escaped (renders the same)."""
    if "[" not in markdown:
        return markdown
    positions = _escapes(markdown)
    if not positions:
        return markdown
    parts: list[str] = []
    last = 0
    for pos in positions:
        parts.append(markdown[last:pos])
        parts.append("\\")
        last = pos
    parts.append(markdown[last:])
    return "".join(parts)


def live_openers(markdown: str) -> int:
    """Number of ``[`` outside code and math that are not escaped."""
    mask = bytearray(len(markdown))
    for segment in scan(markdown):
        _protect(mask, segment.start, segment.end)
    count = 0
    pos = markdown.find("[")
    while pos >= 0:
        if not mask[pos] and _backslashes_before(markdown, pos) % 2 == 0:
            count += 1
        pos = markdown.find("[", pos + 1)
    return count


def markup_count(markdown: str) -> int:
    """Markup characters outside code and math, plus one per code or math span."""
    segments = scan(markdown)
    inside = sum(len(_MARKUP.findall(markdown, seg.start, seg.end)) for seg in segments)
    return len(_MARKUP.findall(markdown)) - inside + len(segments)


def too_complex(markdown: str) -> str | None:
    """Why ``markdown`` (the output of :func:`tame`) must not be parsed, or None."""
    lines = markdown.count("\n") + 1
    if lines > MAX_LINES:
        return f"{lines} lines (at most {MAX_LINES})"
    if len(markdown) > MAX_MARKUP:
        markup = markup_count(markdown)
        if markup > MAX_MARKUP:
            return f"{markup} markup characters (at most {MAX_MARKUP})"
    if markdown.count("[") > MAX_OPENERS:
        openers = live_openers(markdown)
        if openers > MAX_OPENERS:
            return f"{openers} '[' that may start links (at most {MAX_OPENERS})"
    return None


def tame_or_refuse(markdown: str) -> str:
    """:func:`tame`, or :class:`QuickTakesError` (``too-complex``) from :func:`too_complex`."""
    tamed = tame(markdown)
    reason = too_complex(tamed)
    if reason is not None:
        raise QuickTakesError(f"answer is too complex to render: {reason}", Subtype.TOO_COMPLEX)
    return tamed
