"""Property tests: for arbitrary text nothing but the project's own error escapes the loader,
arbitrary bytes give a known error or a question without controls, a literal answer loads as
written, newline decoding is idempotent, and head-tag and JSON-LD escaping round-trip."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinxext_quicktakes.errors import QuickTakesError, Subtype
from sphinxext_quicktakes.head import Tag, json_ld
from sphinxext_quicktakes.markdown import decode_escaped_newlines, has_escaped_newlines
from sphinxext_quicktakes.model import load_question, parse_question

FRONT_MATTER_WORDS = st.sampled_from(
    ["---\n", "id: ", "answer: ", "question: ", "title: ", "date: ", "date_format: ", "seo:\n",
     "  page_keywords: ", ">-\n    ", "|\n  ", "- ", "&a ", "*a", "[", "]", "{", "}", ":", "\n",
     "'", '"', "\\n", "2025-02-04", "YYYY", "yes", "null", "\t", "\ufeff", "é", "$x$"]
)  # fmt: skip
YAML_ISH = st.lists(st.one_of(FRONT_MATTER_WORDS, st.text(max_size=8)), max_size=40).map("".join)


def _load_or_error(text: str) -> None:
    try:
        question = parse_question(text)
    except QuickTakesError:
        return
    assert question.heading and isinstance(question.answer, str)


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_parse_question_arbitrary_text(text: str) -> None:
    _load_or_error(text)


@settings(max_examples=600, deadline=None)
@given(YAML_ISH)
def test_parse_question_yaml_like_text(text: str) -> None:
    _load_or_error("---\n" + text + "\n---\n")


#: C0 and C1 control characters but tab and newline: the loader removes them from values
#: (written here from the rule in the docs, not imported from the loader).
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _write(folder: str, data: bytes) -> Path:
    path = Path(folder) / "q.md"
    path.write_bytes(data)
    return path


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_load_question_arbitrary_bytes(data: bytes) -> None:
    """Whatever bytes the answer holds: undecodable bytes are a ``read`` error on the line
    of the first bad byte; otherwise either an error of a known subtype with a one-line
    message and a line inside the file, or a question whose values hold no controls."""
    content = b"---\nquestion: Q?\nanswer: " + data + b"\n---\n"
    line_count = content.count(b"\n")
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, content)
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as bad:
            with pytest.raises(QuickTakesError) as info:
                load_question(path)
            assert info.value.subtype is Subtype.READ
            assert info.value.line == content.count(b"\n", 0, bad.start) + 1
            assert f"0x{content[bad.start]:02x}" in info.value.message
            return
        try:
            question = load_question(path)
        except QuickTakesError as error:
            assert error.subtype in set(Subtype)
            assert error.message.isprintable() and str(error) == error.message
            assert error.line is None or 1 <= error.line <= line_count
            return
    assert question.heading == "Q?"
    assert not CONTROLS.search(question.answer)
    for problem in question.problems:
        assert problem.message.isprintable()
        assert problem.line is None or 1 <= problem.line <= line_count
        if problem.subtype is Subtype.CONTROL_CHAR:
            assert CONTROLS.search(data.decode("utf-8").replace("\r", "\n"))


#: Answer lines that YAML keeps as written in a literal block: no backslash (no escaped
#: newline to decode), no carriage return or Unicode line break (YAML would start a new
#: line), no byte order mark, non-characters or private-use characters (the loader's
#: stand-ins for controls). Controls are allowed: the loader removes them.
ANSWER_CHAR = st.characters(
    blacklist_categories=("Cs", "Co"),
    blacklist_characters="\\\r\x85\u2028\u2029\ufeff\ufffe\uffff",
)
ANSWER_LINE = st.tuples(
    st.characters(blacklist_categories=("Cs", "Co", "Cc", "Z"), blacklist_characters="\\"),
    st.text(ANSWER_CHAR.filter(lambda ch: ch != "\n"), max_size=20),
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.just(""), ANSWER_LINE), min_size=1, max_size=6))
def test_a_literal_answer_loads_as_written_less_its_controls(lines: list[str]) -> None:
    block = "".join(f"  {line}\n" if line else "\n" for line in lines)
    text = "\n".join(lines)
    content = f"---\nid: 7\nquestion: Q?\nanswer: |-\n{block}---\n".encode()
    with tempfile.TemporaryDirectory() as folder:
        question = load_question(_write(folder, content))
    assert question.answer == CONTROLS.sub("", text).strip()
    kinds = [(problem.subtype, problem.line) for problem in question.problems]
    if CONTROLS.search(text):
        assert kinds == [(Subtype.CONTROL_CHAR, 4)]  # the line of "answer:"
    else:
        assert kinds == []


def auto(text: str) -> str:
    """What ``quicktakes_unescape_newlines = "auto"`` does to a value."""
    return decode_escaped_newlines(text) if has_escaped_newlines(text) else text


ANSWERISH = st.lists(
    st.one_of(
        st.sampled_from(["\\n", "\\\\\\n", "$", "$$", "\\(", "\\)", "\\[", "\\]", "`", "```",
                         "\\nabla", "\\nu", "\\neq", "# ", "- ", "1. ", "| a |", " ", "x"]),
        st.text(max_size=5),
    ),
    max_size=60,
).map("".join)  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(ANSWERISH)
def test_decoding_is_idempotent(text: str) -> None:
    once = auto(text)
    assert auto(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text())
def test_text_with_real_newlines_is_left_alone(before: str, after: str) -> None:
    text = before + "\n" + after
    assert auto(text) == text


PRINTABLE = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r"), max_size=80
)


@settings(max_examples=400, deadline=None)
@given(PRINTABLE, PRINTABLE)
def test_meta_tags_round_trip_through_html_parsers(key: str, content: str) -> None:
    markup = f"<html><head>{Tag('name', 'description', content).html()}</head></html>"
    for parser in ("html.parser", "lxml"):
        [meta] = BeautifulSoup(markup, parser).find_all("meta")
        assert meta["content"] == content
        assert meta["name"] == "description"
    tagged = Tag("property", key.strip() or "x", "v").html()
    assert tagged.count("<") == 1 and tagged.count(">") == 1  # nothing breaks out of the tag


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(PRINTABLE, PRINTABLE, max_size=5))
def test_json_ld_round_trips_and_cannot_close_the_script(data: dict[str, str]) -> None:
    text = json_ld(data)
    assert json.loads(text) == data
    assert "<" not in text and ">" not in text
    page = f'<html><head><script type="application/ld+json">{text}</script></head></html>'
    [script] = BeautifulSoup(page, "lxml").find_all("script")
    assert json.loads(script.string) == data
