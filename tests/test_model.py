"""The question-file model on its own: no Sphinx involved."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from sphinxext_quicktakes.errors import QuickTakesError, Subtype
from sphinxext_quicktakes.model import load_question, parse_question

from .conftest import QUESTIONS

GOOD = QUESTIONS / "good"
BAD = QUESTIONS / "bad"


def fm(body: str, tail: str = "&nbsp;\n") -> str:
    return f"---\n{body}---\n\n{tail}"


def test_exported_file_is_normalised() -> None:
    q = load_question(GOOD / "osmosis.md")
    assert q.id == 900001
    assert q.heading == "How does osmosis move water across a membrane?"
    assert not q.shows_question_text  # identical to the heading
    assert q.date == dt.date(2025, 2, 4)
    assert q.byline() == ["Posted on Feb 04, 2025", "QuickTakes", "Biology"]
    assert q.keywords == ("osmosis", "water potential", "membrane", "tonicity")
    assert q.description.startswith("Osmosis moves water")
    assert q.body == ""  # the &nbsp; placeholder is dropped
    assert q.extra == {"score": 7}  # unknown keys kept, _schema ignored
    assert "\n### Driving force\n" in q.answer  # escaped newlines decoded
    assert q.label == "quicktake-900001"
    assert q.slug == "how-does-osmosis-move-water-across-a-membrane"


def test_heading_falls_back_from_article_title_to_title_to_question() -> None:
    base = "question: What is a tree?\nanswer: A plant.\n"
    assert parse_question(fm("article_title: Trees\ntitle: T\n" + base)).heading == "Trees"
    assert parse_question(fm("title: Woody plants\n" + base)).heading == "Woody plants"
    only_question = parse_question(fm(base))
    assert only_question.heading == "What is a tree?"
    assert not only_question.shows_question_text
    titled = parse_question(fm("title: Trees\n" + base))
    assert titled.shows_question_text


def test_date_as_string_datetime_and_format() -> None:
    q = load_question(GOOD / "budget.md")
    assert q.date == dt.date(2025, 6, 30)
    assert q.formatted_date() == "30th of June, 2025"
    assert q.byline()[0] == "Answered on 30th of June, 2025"
    assert q.author == 'Jane "JD" Doe'
    assert q.formatted_date("de") == "30. of Juni, 2025"


def test_string_id_and_related_articles() -> None:
    assert load_question(GOOD / "printf.md").id == "cs-17"
    related = load_question(GOOD / "maxwell.md").related
    assert [r.id for r in related] == [900001, 123]
    assert related[1].url == "/learn/mathematics/questions/what-is-a-vector-field"


def test_no_index_and_real_newlines_left_alone() -> None:
    assert load_question(GOOD / "water.md").no_index is True
    q = parse_question(fm("question: Q?\nanswer: |\n  Line one \\n stays.\n  Line two.\n"))
    assert q.answer == "Line one \\n stays.\nLine two."


def test_unescape_modes() -> None:
    text = fm("question: Q?\nanswer: >-\n  One\\n\\nTwo\n")
    assert parse_question(text).answer == "One\n\nTwo"
    assert parse_question(text, unescape=False).answer == "One\\n\\nTwo"
    mixed = fm("question: Q?\nanswer: |\n  One\\n\\nTwo\n  three\n")
    assert "\\n" in parse_question(mixed).answer  # auto: real newlines present
    assert "\\n" not in parse_question(mixed, unescape=True).answer


def test_body_is_kept_when_not_a_placeholder() -> None:
    assert parse_question(fm("question: Q?\nanswer: A.\n", "More **text**.\n")).body == (
        "More **text**."
    )
    assert parse_question(fm("question: Q?\nanswer: A.\n", "  \n&nbsp; \n")).body == ""


@pytest.mark.parametrize(
    ("name", "subtype", "line"),
    [
        ("missing-answer.md", Subtype.MISSING_FIELD, None),
        ("answer-list.md", Subtype.FIELD_TYPE, 13),
        ("malformed-yaml.md", Subtype.YAML, 3),
        ("latin1.md", Subtype.READ, 4),
        ("empty.md", Subtype.EMPTY, None),
    ],
)
def test_fatal_problems(name: str, subtype: Subtype, line: int | None) -> None:
    with pytest.raises(QuickTakesError) as info:
        load_question(BAD / name)
    assert info.value.subtype is subtype
    assert info.value.line == line


@pytest.mark.parametrize(
    ("name", "subtype", "line"),
    [
        ("bad-date.md", Subtype.DATE, 4),
        ("bad-date-format.md", Subtype.DATE_FORMAT, 5),
    ],
)
def test_bad_date_drops_the_date_not_the_question(name: str, subtype: Subtype, line: int) -> None:
    q = load_question(BAD / name)
    assert q.date is None
    assert q.byline() == []
    [problem] = q.problems
    assert (problem.subtype, problem.line) == (subtype, line)


def test_wrong_types_are_dropped_with_problems() -> None:
    q = load_question(BAD / "wrong-types.md")
    assert q.author == ""
    assert q.description == ""
    assert sorted(p.line or 0 for p in q.problems) == [4, 5]
    assert {p.subtype for p in q.problems} == {Subtype.FIELD_TYPE}


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(QuickTakesError) as info:
        load_question(tmp_path / "nope.md")
    assert info.value.subtype is Subtype.MISSING_FILE
    with pytest.raises(QuickTakesError) as info:
        load_question(tmp_path)
    assert info.value.subtype is Subtype.READ


def test_yaml_11_boolean_key_and_duplicate_keys_do_not_crash() -> None:
    q = parse_question(fm("question: Q?\nyes: 1\nanswer: A.\nanswer: B.\n"))
    assert q.answer == "B."
    assert sorted(p.line or 0 for p in q.problems) == [3, 5]


def test_no_front_matter_and_unclosed_front_matter() -> None:
    with pytest.raises(QuickTakesError, match="no YAML front matter"):
        parse_question("Just text\n")
    with pytest.raises(QuickTakesError, match="not closed"):
        parse_question("---\nquestion: Q?\nanswer: A.\n")
    with pytest.raises(QuickTakesError, match="a list"):
        parse_question("---\n- a\n- b\n---\n")


def test_aliases_are_refused() -> None:
    laughs = "---\na: &a [x, x]\nb: &b [*a, *a]\nquestion: Q?\nanswer: A.\n---\n"
    with pytest.raises(QuickTakesError, match="aliases"):
        parse_question(laughs)


def test_crlf_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "q.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\nquestion: Q?\r\nanswer: >-\r\n  A\\nB\r\n---\r\n")
    assert load_question(path).answer == "A\nB"


def test_model_imports_no_sphinx() -> None:
    code = (
        "import sys, sphinxext_quicktakes.model, sphinxext_quicktakes.dates, "
        "sphinxext_quicktakes.markdown; "
        "print(any(m.split('.')[0] in ('sphinx', 'docutils') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
