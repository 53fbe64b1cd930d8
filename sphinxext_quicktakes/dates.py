"""Parse question dates and format them with Moment.js-style patterns.

Supported format tokens (a subset of Moment.js, same meaning):

========  ==========================================  ===============
Token     Meaning                                     2025-02-04
========  ==========================================  ===============
``YYYY``  four-digit year (zero-padded)               ``2025``
``YY``    two-digit year                              ``25``
``MMMM``  month name                                  ``February``
``MMM``   abbreviated month name                      ``Feb``
``MM``    month number, two digits                    ``02``
``M``     month number                                ``2``
``DD``    day of month, two digits                    ``04``
``D``     day of month                                ``4``
``Do``    day of month as an ordinal                  ``4th``
``dddd``  weekday name                                ``Tuesday``
``ddd``   abbreviated weekday name                    ``Tue``
``dd``    two-letter weekday name                     ``Tu``
========  ==========================================  ===============

Tokenisation is greedy: a run of one repeated ASCII letter (plus a trailing ``o``) is one token,
so ``MMMM`` is never read as ``MMM`` + ``M`` and ``DDDD`` (Moment's day of year) is rejected
rather than silently read as ``DD`` + ``DD``. Text in ``[brackets]`` is literal, ``\\x`` is a
literal ``x`` (as in Moment), and every character that is not an ASCII letter (spaces,
punctuation, digits, CJK characters such as ``年``) is copied as is. Any other ASCII letter is an
error, so a typo never turns into silently wrong output.

Names and ordinals per language (the Sphinx ``language``; ``None`` or an unknown locale means
English, never an error):

* English (``en`` and every ``en_*``) uses Moment's English names exactly
  (``Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec``; CLDR says ``Sept`` for some regions)
  and English ordinals (``1st 2nd 3rd 4th 11th 12th 13th 21st``).
* Other languages take names from Babel (CLDR). Abbreviations keep CLDR's trailing dot
  (German ``Feb.``, French ``févr.``), as Moment's own locales do. Like Moment's Slavic locales,
  month names use CLDR's *format* (genitive) forms when the pattern has a day-of-month token and
  the *stand-alone* forms otherwise (Russian ``4 февраля 2025`` but ``февраль 2025``; German
  ``04. Feb. 2025`` but ``Feb 2025``).
* ``Do`` is the number followed by ``.`` in languages that write ordinals that way (German,
  the Nordic and most Central European languages), ``1er`` / ``2`` in French, and the bare
  number elsewhere.

Babel is used only for names; the pattern is never handed to Babel (CLDR patterns differ:
``DD`` is the day of the year there).
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import Literal, NamedTuple

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import get_day_names, get_month_names

from sphinxext_quicktakes.errors import QuickTakesError, Subtype

__all__ = ["DEFAULT_DATE_FORMAT", "SUPPORTED_TOKENS", "format_date", "parse_date"]

DEFAULT_DATE_FORMAT = "MMM DD, YYYY"

SUPPORTED_TOKENS: tuple[str, ...] = (
    "YYYY",
    "YY",
    "MMMM",
    "MMM",
    "MM",
    "M",
    "DD",
    "D",
    "Do",
    "dddd",
    "ddd",
    "dd",
)
_TOKEN_SET = frozenset(SUPPORTED_TOKENS)
_DAY_TOKENS = frozenset({"DD", "D", "Do"})
_ORDINAL_CAPABLE = frozenset("DMQdwWy")  # letters that Moment lets an "o" follow
_MAX_SHOWN = 60  # longest pattern or value quoted in full in an error message

# --------------------------------------------------------------------------- parsing

_ISO_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,6})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
)


def _shown(value: object) -> str:
    """Return ``repr(value)``, shortened for an error message."""
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def parse_date(value: object) -> datetime.date:
    """Return the date of ``value``: a date, a datetime or an ISO 8601 string.

    A datetime (or a string with a time) gives the calendar date as written; time zones are
    not converted. Anything else raises :class:`QuickTakesError` with ``Subtype.DATE``.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        raise QuickTakesError(
            f"date must be a date or an ISO 8601 string such as '2025-02-04', "
            f"not {type(value).__name__} {_shown(value)}",
            Subtype.DATE,
        )
    text = value.strip()
    if not _ISO_RE.fullmatch(text):
        raise QuickTakesError(
            f"date {_shown(value)} is not an ISO 8601 date such as '2025-02-04' "
            f"or '2025-02-04T10:20:00Z'",
            Subtype.DATE,
        )
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text)
        return datetime.datetime.fromisoformat(text).date()
    except ValueError as exc:
        raise QuickTakesError(
            f"date {_shown(value)} is not a valid date ({exc})", Subtype.DATE
        ) from exc


# --------------------------------------------------------------------------- patterns


class _Pattern(NamedTuple):
    """A compiled pattern: ``(is_token, text)`` parts and whether it has a day token."""

    parts: tuple[tuple[bool, str], ...]
    has_day: bool


def _format_error(message: str) -> QuickTakesError:
    """Return a ``date-format`` error."""
    return QuickTakesError(message, Subtype.DATE_FORMAT)


@functools.lru_cache(maxsize=256)
def _compile(pattern: str) -> _Pattern:
    """Tokenise ``pattern`` once; raise ``QuickTakesError`` if it cannot be applied."""
    if not pattern:
        raise _format_error("date format is empty; use a pattern such as 'MMM DD, YYYY'")
    parts: list[tuple[bool, str]] = []
    literal: list[str] = []

    def flush() -> None:
        if literal:
            parts.append((False, "".join(literal)))
            literal.clear()

    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                raise _format_error(
                    f"date format {_shown(pattern)} has an unclosed '[' at position {i}"
                )
            literal.append(pattern[i + 1 : end])
            i = end + 1
        elif char == "\\" and i + 1 < n:
            literal.append(pattern[i + 1])
            i += 2
        elif char.isascii() and char.isalpha():
            end = i
            while end < n and pattern[end] == char:
                end += 1
            if char in _ORDINAL_CAPABLE and end < n and pattern[end] == "o":
                end += 1  # Moment's ordinal tokens: Do, Mo, Qo, DDDo, ...
            token = pattern[i:end]
            if token not in _TOKEN_SET:
                raise _format_error(
                    f"date format {_shown(pattern)} contains the unsupported token {_shown(token)} "
                    f"(supported: {', '.join(SUPPORTED_TOKENS)}; put literal text in [brackets])"
                )
            flush()
            parts.append((True, token))
            i = end
        else:
            literal.append(char)
            i += 1
    flush()
    tokens = {text for is_token, text in parts if is_token}
    if not tokens:
        raise _format_error(
            f"date format {_shown(pattern)} contains no date token such as YYYY, MMM or DD"
        )
    return _Pattern(tuple(parts), bool(tokens & _DAY_TOKENS))


# --------------------------------------------------------------------------- names

# Moment.js English, indexed by month - 1 and by date.weekday() (Monday = 0).
_EN_MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
)
_EN_MONTHS += ("September", "October", "November", "December")
_EN_MONTHS_SHORT = tuple(name[:3] for name in _EN_MONTHS)
_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_DAYS_SHORT = tuple(name[:3] for name in _EN_DAYS)
_EN_DAYS_MIN = tuple(name[:2] for name in _EN_DAYS)
_EN_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}

# Languages whose ordinal numbers are written "4." (as in Moment's locales for them).
_DOT_ORDINAL_LANGUAGES = frozenset(
    {"bs", "cs", "da", "de", "dsb", "et", "fi", "fo", "hr", "hsb", "hu", "is", "lv", "nb", "nn"}
    | {"no", "pl", "sk", "sl", "sr"}
)


class _Names(NamedTuple):
    """Month names (format and stand-alone), weekday names and the ordinal style."""

    months: tuple[str, ...]
    months_short: tuple[str, ...]
    months_alone: tuple[str, ...]
    months_short_alone: tuple[str, ...]
    days: tuple[str, ...]
    days_short: tuple[str, ...]
    days_min: tuple[str, ...]
    ordinal: str  # "en", "dot", "fr" or "plain"


_ENGLISH = _Names(
    _EN_MONTHS,
    _EN_MONTHS_SHORT,
    _EN_MONTHS,
    _EN_MONTHS_SHORT,
    _EN_DAYS,
    _EN_DAYS_SHORT,
    _EN_DAYS_MIN,
    "en",
)


def _locale(language: str) -> Locale | None:
    """Return the Babel locale for a Sphinx language code, or ``None`` if unknown."""
    code = language.replace("-", "_").replace("@latin", "_Latn")
    candidates = [code]
    base = re.split(r"[_@.]", code, maxsplit=1)[0]
    if base and base != code:
        candidates.append(base)
    for candidate in candidates:
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return None


def _month_tuple(
    width: Literal["abbreviated", "wide"],
    context: Literal["format", "stand-alone"],
    locale: Locale,
) -> tuple[str, ...]:
    """Return twelve month names from Babel."""
    names = get_month_names(width, context=context, locale=locale)
    return tuple(str(names[month]) for month in range(1, 13))


def _day_tuple(width: Literal["abbreviated", "short", "wide"], locale: Locale) -> tuple[str, ...]:
    """Return seven weekday names from Babel, Monday first."""
    names = get_day_names(width, context="format", locale=locale)
    return tuple(str(names[day]) for day in range(7))


@functools.lru_cache(maxsize=64)
def _names(language: str) -> _Names:
    """Return the names for ``language``, falling back to English."""
    locale = _locale(language) if language else None
    if locale is None or locale.language == "en":
        return _ENGLISH
    try:
        names = _Names(
            _month_tuple("wide", "format", locale),
            _month_tuple("abbreviated", "format", locale),
            _month_tuple("wide", "stand-alone", locale),
            _month_tuple("abbreviated", "stand-alone", locale),
            _day_tuple("wide", locale),
            _day_tuple("abbreviated", locale),
            _day_tuple("short", locale),
            "plain",
        )
    except (KeyError, LookupError, ValueError):  # incomplete locale data
        return _ENGLISH
    if locale.language in _DOT_ORDINAL_LANGUAGES:
        return names._replace(ordinal="dot")
    if locale.language == "fr":
        return names._replace(ordinal="fr")
    return names


def _ordinal(number: int, style: str) -> str:
    """Return ``number`` as an ordinal in the given style."""
    if style == "en":
        if 11 <= number % 100 <= 13:
            return f"{number}th"
        return str(number) + _EN_SUFFIXES.get(number % 10, "th")
    if style == "dot":
        return f"{number}."
    if style == "fr":
        return "1er" if number == 1 else str(number)
    return str(number)


# --------------------------------------------------------------------------- formatting


def format_date(
    value: datetime.date, pattern: str = DEFAULT_DATE_FORMAT, language: str | None = None
) -> str:
    """Format ``value`` with a Moment.js-style ``pattern`` in ``language`` (default English).

    Raises :class:`QuickTakesError` with ``Subtype.DATE_FORMAT`` if the pattern cannot be
    applied, and with ``Subtype.DATE`` if ``value`` is not a date.
    """
    if not isinstance(pattern, str):
        raise _format_error(
            f"date format must be a string such as 'MMM DD, YYYY', not {type(pattern).__name__}"
        )
    if not isinstance(value, datetime.date):
        raise QuickTakesError(f"cannot format {_shown(value)}: it is not a date", Subtype.DATE)
    compiled = _compile(pattern)
    names = _names(language if isinstance(language, str) else "")
    months = names.months if compiled.has_day else names.months_alone
    months_short = names.months_short if compiled.has_day else names.months_short_alone
    out: list[str] = []
    for is_token, text in compiled.parts:
        if not is_token:
            out.append(text)
        elif text == "YYYY":
            out.append(f"{value.year:04d}")
        elif text == "YY":
            out.append(f"{value.year % 100:02d}")
        elif text == "MMMM":
            out.append(months[value.month - 1])
        elif text == "MMM":
            out.append(months_short[value.month - 1])
        elif text == "MM":
            out.append(f"{value.month:02d}")
        elif text == "M":
            out.append(str(value.month))
        elif text == "DD":
            out.append(f"{value.day:02d}")
        elif text == "D":
            out.append(str(value.day))
        elif text == "Do":
            out.append(_ordinal(value.day, names.ordinal))
        elif text == "dddd":
            out.append(names.days[value.weekday()])
        elif text == "ddd":
            out.append(names.days_short[value.weekday()])
        else:  # "dd"
            out.append(names.days_min[value.weekday()])
    return "".join(out)
