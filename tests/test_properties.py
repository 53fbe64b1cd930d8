"""Property tests: for arbitrary text nothing but the project's own error escapes the loader,
newline decoding is idempotent, and head-tag and JSON-LD escaping round-trip."""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinxext_quicktakes.errors import QuickTakesError
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


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_load_question_arbitrary_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "q.md"
        path.write_bytes(b"---\nquestion: Q?\nanswer: " + data + b"\n---\n")
        with contextlib.suppress(QuickTakesError):
            load_question(path)


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
