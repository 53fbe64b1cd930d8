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


# -- text hygiene: control characters and ids ----------------------------------------------


def test_raw_control_characters_are_removed_with_one_problem_per_field() -> None:
    raw = (BAD / "control-chars.md").read_bytes()
    assert b"\x01" in raw and b"\x1b" in raw and b"\x7f" in raw  # raw bytes, not escapes
    q = load_question(BAD / "control-chars.md")
    assert q.id == 800101
    assert q.heading == "Control characters"
    assert q.answer == "Start of heading.\n\nAn escape [31mturns text red[0m on a terminal."
    assert q.author == "QuickTakes"  # "\a" (a YAML escape) is U+0007
    assert q.subject == "Testing"
    assert [(p.subtype, p.line, p.message) for p in q.problems] == [
        (Subtype.CONTROL_CHAR, 6, r"answer: removed control characters '\x01', '\x1b'"),
        (Subtype.CONTROL_CHAR, 4, r"title: removed control character '\x7f'"),
        (Subtype.CONTROL_CHAR, 8, r"author: removed control character '\x07'"),
    ]


def test_control_characters_from_yaml_escapes_in_every_text_field() -> None:
    text = fm(
        'question: "Q\\x02?"\n'
        'answer: "A\\0\\x7f\\x85\\x9b.\\u2028ok"\n'
        "seo:\n"
        '  title: "S\\x0b"\n'
        '  page_keywords: "one\\x1f, two\\x0c"\n'
        '  page_description: "D\\x08"\n'
        "related_article1:\n"
        '  title: "R\\x1b"\n'
        '  url: "/r\\x10"\n'
        'file_name: "f\\x0e.md"\n'
        'date_format: "MMM\\x15 D"\n'
        'post_on_text: "On\\x06"\n'
        'url: "/u\\x03"\n'
        'score: ["a\\x04", {k: "b\\x04\\x05"}]\n',
        "Body\x05 text.\n",
    )
    q = parse_question(text)
    assert q.question == "Q?"
    assert q.answer == "A.\u2028ok"  # a line separator is no C0/C1 control: kept
    assert (q.seo_title, q.keywords, q.description) == ("S", ("one", "two"), "D")
    assert (q.related[0].title, q.related[0].url) == ("R", "/r")
    assert (q.file_name, q.date_format, q.post_on_text, q.url) == ("f.md", "MMM D", "On", "/u")
    assert q.body == "Body text."
    assert q.extra == {"score": ["a", {"k": "b"}]}  # unknown keys: kept, cleaned too
    problems = {p.message: p.line for p in q.problems}
    assert {p.subtype for p in q.problems} == {Subtype.CONTROL_CHAR}
    assert problems == {
        r"question: removed control character '\x02'": 2,
        r"answer: removed control characters '\x00', '\x7f', '\x85', '\x9b'": 3,
        r"seo.title: removed control character '\x0b'": 4,
        r"seo.page_keywords: removed control characters '\x1f', '\x0c'": 4,
        r"seo.page_description: removed control character '\x08'": 4,
        r"related_article1.title: removed control character '\x1b'": 8,
        r"related_article1.url: removed control character '\x10'": 8,
        r"file_name: removed control character '\x0e'": 11,
        r"date_format: removed control character '\x15'": 12,
        r"post_on_text: removed control character '\x06'": 13,
        r"url: removed control character '\x03'": 14,
        r"score: removed control characters '\x04', '\x05'": 15,
        r"body: removed control character '\x05'": 18,
    }


def test_tabs_newlines_and_carriage_returns_are_not_removed() -> None:
    q = parse_question(fm('question: Q?\nanswer: "a\\tb\\r\\nc\\rd"\n'))
    assert q.answer == "a\tb\nc\nd"  # CR is a newline, as in CRLF files
    assert q.problems == ()


def test_a_raw_nul_does_not_end_the_front_matter() -> None:
    q = parse_question("---\nquestion: Q\x00?\nanswer: A.\nauthor: Me\n---\n")
    assert (q.question, q.answer, q.author) == ("Q?", "A.", "Me")
    [problem] = q.problems
    assert (problem.subtype, problem.line) == (Subtype.CONTROL_CHAR, 2)


def test_an_id_that_is_not_printable_is_refused() -> None:
    q = load_question(BAD / "id-newline.md")
    assert q.id is None
    assert q.label == "quicktake-id-newline"  # from the slug, not the id
    assert q.related[0].id is None and q.related[0].title == "A related question"
    assert [(p.subtype, p.line, p.message) for p in q.problems] == [
        (
            Subtype.FIELD_TYPE,
            2,
            r"'id' '12\n34' has characters that are not printable (controls, tabs, line "
            "breaks); it is ignored",
        ),
        (
            Subtype.FIELD_TYPE,
            7,
            r"'related_article1.id' '56\u2028x' has characters that are not printable "
            "(controls, tabs, line breaks); it is ignored",
        ),
    ]


@pytest.mark.parametrize(
    "yaml_id", ['"1\\t2"', '"a\\x1bb"', '"x\\u2028y"', '"x\\u202ey"', '"\\x01"']
)
def test_ids_with_controls_tabs_or_separators_are_refused(yaml_id: str) -> None:
    q = parse_question(fm(f"id: {yaml_id}\nquestion: Q?\nanswer: A.\n"))
    assert q.id is None
    assert [(p.subtype, p.line) for p in q.problems] == [(Subtype.FIELD_TYPE, 2)]


@pytest.mark.parametrize(
    ("yaml_id", "expected"), [("42", 42), ('" cs-17 "', "cs-17"), ("é中", "é中")]
)
def test_printable_ids_are_kept(yaml_id: str, expected: str | int) -> None:
    q = parse_question(fm(f"id: {yaml_id}\nquestion: Q?\nanswer: A.\n"))
    assert q.id == expected and q.problems == ()


def test_messages_never_hold_raw_control_characters() -> None:
    with pytest.raises(QuickTakesError) as info:
        parse_question("---\nquestion: Q?\nanswer: A \ufffe\n---\n")
    assert info.value.message == "invalid YAML front matter: character U+FFFE is not allowed"
    assert info.value.line == 3
    q = parse_question(
        fm('question: Q?\nanswer: A.\ndate: "2025\\x1b[2J"\n"\\x1b": 1\n"\\x1b": 2\n')
    )
    messages = [p.message for p in q.problems]
    assert messages and all(m.isprintable() for m in messages), messages
    assert any(r"'\x1b'" in m for m in messages)
