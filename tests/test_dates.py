"""Tests for sphinxext_quicktakes.dates (Moment.js-style date formatting)."""

from __future__ import annotations

import datetime
import string

import pytest
from babel import Locale
from babel.dates import format_date as babel_format_date
from hypothesis import given
from hypothesis import strategies as st

from sphinxext_quicktakes.dates import (
    DEFAULT_DATE_FORMAT,
    SUPPORTED_TOKENS,
    _compile,
    format_date,
    parse_date,
)
from sphinxext_quicktakes.errors import QuickTakesError, Subtype

DAY = datetime.date(2025, 2, 4)  # a Tuesday


# --------------------------------------------------------------------------- tokens


#: Each Moment.js token with its value on DAY, from the Moment.js documentation.
TOKEN_CASES = [
    ("YYYY", "2025"),
    ("YY", "25"),
    ("MMMM", "February"),
    ("MMM", "Feb"),
    ("MM", "02"),
    ("M", "2"),
    ("DD", "04"),
    ("D", "4"),
    ("Do", "4th"),
    ("dddd", "Tuesday"),
    ("ddd", "Tue"),
    ("dd", "Tu"),
]


@pytest.mark.parametrize(("pattern", "expected"), TOKEN_CASES)
def test_each_token(pattern: str, expected: str) -> None:
    assert format_date(DAY, pattern) == expected


def _accepts(pattern: str) -> bool:
    try:
        format_date(DAY, pattern)
    except QuickTakesError as error:
        assert error.subtype is Subtype.DATE_FORMAT
        assert "unsupported token" in error.message
        return False
    return True


def test_the_formatter_accepts_exactly_the_tested_tokens() -> None:
    """Every run of one ASCII letter (1 to 5 long, with and without Moment's ordinal "o")
    is tried: the formatter accepts the tokens with an expected value above, and the
    documented SUPPORTED_TOKENS, and refuses all others (Q, X, ww, DDDD, Mo...)."""
    candidates = {
        letter * length + suffix
        for letter in string.ascii_letters
        for length in range(1, 6)
        for suffix in ("", "o")
    }
    accepted = {token for token in sorted(candidates) if _accepts(token)}
    assert accepted == {token for token, _ in TOKEN_CASES}
    assert accepted == set(SUPPORTED_TOKENS)


def _english_ordinal(number: int) -> str:
    """CLDR's English ordinal categories (through Babel) as Moment's suffixes."""
    suffix = {"one": "st", "two": "nd", "few": "rd"}
    return f"{number}{suffix.get(Locale('en').ordinal_form(number), 'th')}"


#: Each token as the CLDR pattern that means the same in English (formatted by Babel, which
#: the formatter itself does not use for English), or a function for the ordinal.
CLDR_EQUIVALENT = {
    "YYYY": "yyyy",
    "YY": "yy",
    "MMMM": "MMMM",
    "MMM": "MMM",
    "MM": "MM",
    "M": "M",
    "DD": "dd",
    "D": "d",
    "Do": lambda day: _english_ordinal(day.day),
    "dddd": "EEEE",
    "ddd": "EEE",
    "dd": "EEEEEE",
}


@given(day=st.dates())
def test_every_token_agrees_with_babel_in_english(day: datetime.date) -> None:
    assert set(CLDR_EQUIVALENT) == {token for token, _ in TOKEN_CASES}
    for token, cldr in CLDR_EQUIVALENT.items():
        expected = cldr(day) if callable(cldr) else babel_format_date(day, cldr, locale="en")
        assert format_date(day, token) == expected, token


def test_default_pattern() -> None:
    assert DEFAULT_DATE_FORMAT == "MMM DD, YYYY"
    assert format_date(DAY) == "Feb 04, 2025"
    assert format_date(DAY, DEFAULT_DATE_FORMAT, None) == "Feb 04, 2025"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("MMM DD, YYYY", "Feb 04, 2025"),  # issue example
        ("Do [of] MMMM, YYYY", "4th of February, 2025"),  # issue example
        ("D/M/YY", "4/2/25"),
        ("dddd", "Tuesday"),
        ("YYYY-MM-DD", "2025-02-04"),
        ("DD.MM.YYYY", "04.02.2025"),
        ("YYYYMMDD", "20250204"),  # greedy runs, no separators needed
        ("dddd, MMMM Do YYYY", "Tuesday, February 4th 2025"),
        ("ddd dd", "Tue Tu"),
        ("YYYY年M月D日", "2025年2月4日"),  # non-ASCII characters are literal
        ("(YYYY)!", "(2025)!"),
    ],
)
def test_patterns(pattern: str, expected: str) -> None:
    assert format_date(DAY, pattern) == expected


def test_datetime_value_is_accepted() -> None:
    assert format_date(datetime.datetime(2025, 2, 4, 23, 59), "YYYY-MM-DD") == "2025-02-04"


def test_small_years_are_zero_padded() -> None:
    assert format_date(datetime.date(7, 3, 9), "YYYY YY") == "0007 07"
    assert format_date(datetime.date(2000, 1, 1), "YY") == "00"


def test_all_english_months_match_moment() -> None:
    short = [format_date(datetime.date(2025, m, 1), "MMM") for m in range(1, 13)]
    assert " ".join(short) == "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"
    wide = [format_date(datetime.date(2025, m, 1), "MMMM") for m in range(1, 13)]
    assert wide[8] == "September"
    assert wide[0] == "January"
    assert wide[11] == "December"


def test_all_english_weekdays_match_moment() -> None:
    week = [datetime.date(2025, 2, 2) + datetime.timedelta(days=i) for i in range(7)]  # Sun..Sat
    assert [format_date(d, "dddd") for d in week] == [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ]
    assert " ".join(format_date(d, "ddd") for d in week) == "Sun Mon Tue Wed Thu Fri Sat"
    assert " ".join(format_date(d, "dd") for d in week) == "Su Mo Tu We Th Fr Sa"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (10, "10th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (14, "14th"),
        (20, "20th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (24, "24th"),
        (30, "30th"),
        (31, "31st"),
    ],
)
def test_english_ordinals(day: int, expected: str) -> None:
    assert format_date(datetime.date(2025, 1, day), "Do") == expected


# --------------------------------------------------------------------------- literals


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("[of] YYYY", "of 2025"),
        ("[Posted on] MMM D", "Posted on Feb 4"),
        ("[YYYY] YYYY", "YYYY 2025"),  # tokens inside brackets are literal
        ("YYYY[]", "2025"),  # empty brackets
        ("[a[b] YYYY", "a[b 2025"),  # '[' inside brackets is literal
        ("YYYY]", "2025]"),  # a lone ']' is just a character
        ("[Q] YYYY", "Q 2025"),
        ("\\Q YYYY", "Q 2025"),  # backslash escapes one character, as in Moment
        ("YYYY\\", "2025\\"),  # a trailing backslash is copied
        ("D, M / YYYY - .", "4, 2 / 2025 - ."),
    ],
)
def test_literal_text(pattern: str, expected: str) -> None:
    assert format_date(DAY, pattern) == expected


# --------------------------------------------------------------------------- languages


def test_german() -> None:
    assert format_date(DAY, "dddd, Do MMMM YYYY", "de") == "Dienstag, 4. Februar 2025"
    # CLDR's abbreviation keeps its dot ("Feb."), as Moment's German locale does.
    assert format_date(DAY, "DD. MMM YYYY", "de") == "04. Feb. 2025"
    assert format_date(datetime.date(2025, 3, 4), "D. MMM YYYY", "de") == "4. März 2025"
    assert format_date(DAY, "ddd", "de") == "Di."


def test_month_without_day_uses_stand_alone_names() -> None:
    # Without a day-of-month token CLDR's stand-alone forms are used (as Moment does).
    assert format_date(DAY, "MMM YYYY", "de") == "Feb 2025"
    assert format_date(DAY, "MMMM YYYY", "ru") == "февраль 2025"
    assert format_date(DAY, "D MMMM YYYY", "ru") == "4 февраля 2025"
    assert format_date(DAY, "MMMM YYYY", "pl") == "luty 2025"
    assert format_date(DAY, "D MMMM YYYY", "pl") == "4 lutego 2025"


def test_french() -> None:
    assert format_date(DAY, "dddd D MMMM YYYY", "fr") == "mardi 4 février 2025"
    assert format_date(DAY, "D MMM YYYY", "fr") == "4 févr. 2025"
    assert format_date(datetime.date(2025, 8, 1), "Do MMMM", "fr") == "1er août"
    assert format_date(datetime.date(2025, 8, 2), "Do MMMM", "fr") == "2 août"


@pytest.mark.parametrize("language", ["pt_BR", "pt-BR"])
def test_portuguese(language: str) -> None:
    assert format_date(DAY, "D [de] MMMM [de] YYYY", language) == "4 de fevereiro de 2025"


def test_chinese() -> None:
    assert format_date(DAY, "YYYY年M月D日 dddd", "zh_CN") == "2025年2月4日 星期二"


def test_other_languages_use_bare_number_ordinals() -> None:
    assert format_date(DAY, "Do", "zh_CN") == "4"
    assert format_date(DAY, "Do", "es") == "4"
    assert format_date(DAY, "Do", "fi") == "4."


@pytest.mark.parametrize("language", ["en", "en_US", "en_GB", "en_AU", "en-GB"])
def test_english_variants_match_moment(language: str) -> None:
    # CLDR says "Sept" for en_GB / en_AU; Moment says "Sep" everywhere.
    assert format_date(datetime.date(2025, 9, 4), "Do MMM", language) == "4th Sep"


@pytest.mark.parametrize("language", [None, "", "xx", "zz_ZZ", "not a locale", "@@", "_"])
def test_unknown_locale_falls_back_to_english(language: str | None) -> None:
    assert format_date(DAY, "dddd, Do MMMM YYYY", language) == "Tuesday, 4th February 2025"


def test_unknown_region_falls_back_to_language() -> None:
    assert format_date(DAY, "MMMM", "de_XX") == "Februar"


# --------------------------------------------------------------------------- errors


def _format_error(pattern: object) -> QuickTakesError:
    with pytest.raises(QuickTakesError) as info:
        format_date(DAY, pattern)  # type: ignore[arg-type]
    assert info.value.subtype is Subtype.DATE_FORMAT
    assert info.value.message == str(info.value)
    return info.value


@pytest.mark.parametrize(
    ("pattern", "token"),
    [
        ("Q", "'Q'"),
        ("Qo YYYY", "'Qo'"),
        ("HH:mm", "'HH'"),
        ("X", "'X'"),
        ("gggg", "'gggg'"),
        ("YYYY T", "'T'"),
        ("DDDD", "'DDDD'"),  # Moment's day of year, not DD + DD
        ("DDD", "'DDD'"),
        ("DDo", "'DDo'"),
        ("Mo", "'Mo'"),
        ("Y", "'Y'"),
        ("YYY", "'YYY'"),
        ("YYYYY", "'YYYYY'"),
        ("MMMMM", "'MMMMM'"),
        ("d", "'d'"),
        ("ddddd", "'ddddd'"),
        ("Posted on YYYY", "'P'"),
        ("YYYY of", "'o'"),
        ("DDDo", "'DDDo'"),
        ("wo", "'wo'"),
    ],
)
def test_unknown_token(pattern: str, token: str) -> None:
    error = _format_error(pattern)
    assert f"unsupported token {token}" in error.message
    assert "[brackets]" in error.message


@pytest.mark.parametrize("pattern", ["[of", "YYYY [of", "[", "YYYY ["])
def test_unclosed_bracket(pattern: str) -> None:
    assert "unclosed '['" in _format_error(pattern).message


@pytest.mark.parametrize("pattern", ["[Posted]", " ", ", / -", "[YYYY]", "[]", "年"])
def test_no_date_token(pattern: str) -> None:
    assert "no date token" in _format_error(pattern).message


def test_empty_pattern() -> None:
    assert "empty" in _format_error("").message


@pytest.mark.parametrize("pattern", [None, 5, b"YYYY", ["YYYY"]])
def test_pattern_not_a_string(pattern: object) -> None:
    assert "must be a string" in _format_error(pattern).message


def test_long_pattern_is_shortened_in_message() -> None:
    error = _format_error("YYYY " + "x" * 500)
    assert len(error.message) < 300


def test_value_not_a_date() -> None:
    with pytest.raises(QuickTakesError) as info:
        format_date("2025-02-04", "YYYY")  # type: ignore[arg-type]
    assert info.value.subtype is Subtype.DATE


def test_patterns_are_compiled_once() -> None:
    _compile.cache_clear()
    for _ in range(5):
        format_date(DAY, "D MMM YYYY [cached]")
    info = _compile.cache_info()
    assert info.misses == 1
    assert info.hits == 4


# --------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.date(2025, 2, 4), DAY),
        (datetime.datetime(2025, 2, 4, 10, 20), DAY),
        (datetime.datetime(2025, 2, 4, 23, 30, tzinfo=datetime.UTC), DAY),
        ("2025-02-04", DAY),
        ("  2025-02-04\n", DAY),
        ("2025-02-04T10:20:00Z", DAY),
        ("2025-02-04 10:20:00+02:00", DAY),
        ("2025-02-04T23:30:00-05:00", DAY),  # the date as written, no time-zone conversion
        ("2025-02-04T10:20", DAY),
        ("2025-02-04T10:20:00.123456", DAY),
        ("2024-02-29", datetime.date(2024, 2, 29)),
    ],
)
def test_parse_date(value: object, expected: datetime.date) -> None:
    result = parse_date(value)
    assert result == expected
    assert type(result) is datetime.date


@pytest.mark.parametrize(
    "value",
    [
        None,
        20250204,
        2025.0,
        True,
        ["2025-02-04"],
        b"2025-02-04",
        "",
        "   ",
        "yesterday",
        "Feb 04, 2025",
        "04/02/2025",
        "2025-2-4",
        "20250204",  # ISO basic format is not accepted
        "2025-W06-2",
        "2025-02-30",  # no such day
        "2025-13-01",
        "2025-00-10",
        "2023-02-29",
        "2025-02-04T25:00:00",
        "2025-02-04T10:20:00+99:00",
        "2025-02-04 extra",
        "2025-02-04t10:20:00z",  # lower-case separators are not accepted
        "x" * 10_000,
    ],
)
def test_parse_date_rejects(value: object) -> None:
    with pytest.raises(QuickTakesError) as info:
        parse_date(value)
    assert info.value.subtype is Subtype.DATE
    assert len(info.value.message) < 300


# --------------------------------------------------------------------------- properties


@given(pattern=st.text(max_size=40), language=st.sampled_from([None, "en", "de", "fr", "xx"]))
def test_format_date_returns_str_or_raises_quicktakes_error(
    pattern: str, language: str | None
) -> None:
    try:
        result = format_date(DAY, pattern, language)
    except QuickTakesError as error:
        assert error.subtype is Subtype.DATE_FORMAT
    else:
        assert isinstance(result, str)


@given(
    pattern=st.text(alphabet="YMDdo[]\\ ,./-Qx", max_size=20),
    day=st.dates(),
    language=st.sampled_from([None, "en", "de", "fr", "pt_BR", "zh_CN", "ru", "xx"]),
)
def test_format_date_token_heavy_patterns(
    pattern: str, day: datetime.date, language: str | None
) -> None:
    try:
        result = format_date(day, pattern, language)
    except QuickTakesError as error:
        assert error.subtype is Subtype.DATE_FORMAT
    else:
        assert isinstance(result, str)


@given(day=st.dates())
def test_default_pattern_round_trips(day: datetime.date) -> None:
    out = format_date(day)
    assert datetime.datetime.strptime(out, "%b %d, %Y").date() == day


@given(day=st.dates())
def test_iso_pattern_round_trips_through_parse_date(day: datetime.date) -> None:
    assert parse_date(format_date(day, "YYYY-MM-DD")) == day


@given(value=st.one_of(st.text(max_size=40), st.integers(), st.none(), st.binary(max_size=10)))
def test_parse_date_returns_date_or_raises_quicktakes_error(value: object) -> None:
    try:
        result = parse_date(value)
    except QuickTakesError as error:
        assert error.subtype is Subtype.DATE
    else:
        assert isinstance(result, datetime.date)
