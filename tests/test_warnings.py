"""Bad input: one clear warning naming the file, never a traceback, the page still builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import sphinx_build, write_project

CASES = [
    ("missing-answer.md", "missing-field", "no 'answer'", None),
    ("answer-list.md", "field-type", "'answer' should be Markdown text, not a list", 13),
    ("malformed-yaml.md", "yaml", "invalid YAML", 3),
    ("latin1.md", "read", "not valid UTF-8", 4),
    ("empty.md", "empty", "file is empty", None),
    ("bad-date.md", "date", "date", 4),
    ("bad-date-format.md", "date-format", "'HH'", 5),
    ("does-not-exist.md", "missing-file", "file not found", None),
    ("missing-question.md", "missing-field", "no 'question'", 3),
]


def page_with(name: str, myst: bool) -> dict[str, str]:
    if myst:
        return {
            "index.md": f"# Page\n\n```{{quicktake}} questions/bad/{name}\n```\n\n"
            "```{quicktake} questions/good/osmosis.md\n```\n\nThe end.\n"
        }
    return {
        "index.rst": f"Page\n====\n\n.. quicktake:: questions/bad/{name}\n\n"
        ".. quicktake:: questions/good/osmosis.md\n\nThe end.\n"
    }


@pytest.mark.parametrize("myst", [False, True], ids=["rst", "myst"])
@pytest.mark.parametrize(("name", "subtype", "message", "line"), CASES)
def test_one_warning_and_the_rest_of_the_page(build, myst, name, subtype, message, line) -> None:
    copied = ("good",) if name == "does-not-exist.md" else ("good", f"bad/{name}")
    # an empty .md file is a page in a MyST project whatever the extension does
    conf = "exclude_patterns += ['questions/bad/empty.md']" if name == "empty.md" else ""
    result = build(page_with(name, myst), questions=copied, myst=myst, conf=conf)
    warnings = result.warning_lines()
    assert len(warnings) == 1, warnings
    [warning] = warnings
    assert f"[quicktakes.{subtype}]" in warning
    assert message in warning
    if subtype == "missing-file":  # points at the directive, names the file
        assert "index." in warning and name in warning
    else:
        expected = f"questions/bad/{name}" + (f":{line}:" if line else ":")
        assert expected in warning.replace("\\", "/")
    assert "Traceback" not in result.warnings
    html = result.html()
    assert html.select_one("section.quicktake#quicktake-900001") is not None
    assert "The end." in html.get_text()
    if subtype in {"date", "date-format"}:  # a bad date drops the date, not the question
        [bad] = [s for s in html.select("section.quicktake") if s["id"] != "quicktake-900001"]
        assert bad.select_one(".quicktake-date") is None


def test_wrong_types_warn_per_field(build) -> None:
    result = build(page_with("wrong-types.md", False), questions=("good", "bad"))
    warnings = result.warning_lines()
    assert len(warnings) == 2
    assert all("[quicktakes.field-type]" in w for w in warnings)


def test_suppress_warnings_by_subtype(build) -> None:
    result = build(
        page_with("bad-date.md", False),
        questions=("good", "bad"),
        conf="suppress_warnings = ['quicktakes.date']",
    )
    assert result.warning_lines() == []


def test_duplicate_id_with_a_different_answer_warns_once(build) -> None:
    index = """\
Page
====

.. quicktake:: questions/good/osmosis.md

.. quicktake:: questions/dupes/osmosis-crosslisted.md

.. quicktake:: questions/dupes/osmosis-conflict.md

.. quicktake:: questions/dupes/osmosis-conflict.md
"""
    result = build({"index.rst": index}, questions=("good", "dupes"))
    warnings = result.warning_lines()
    assert len(warnings) == 1, warnings
    assert "[quicktakes.duplicate-id]" in warnings[0]
    assert "osmosis-conflict.md" in warnings[0] and "good/osmosis.md" in warnings[0]


def test_bad_config_value_warns_and_falls_back(build) -> None:
    result = build(
        {"index.rst": "Page\n====\n\n.. quicktake:: questions/good/osmosis.md\n"},
        conf="quicktakes_unescape_newlines = 'sometimes'",
    )
    [warning] = result.warning_lines()
    assert "[quicktakes.config]" in warning
    assert result.html().select_one("section.quicktake h3") is not None


@pytest.mark.parametrize(
    ("setting", "value", "default"),
    [
        ("quicktakes_meta", "'no'", True),  # a string, not a bool
        ("quicktakes_max_file_size", "-5", 1_048_576),
        ("quicktakes_max_file_size", "True", 1_048_576),  # a bool is no size
        ("quicktakes_jsonld", "'Recipe'", "FAQPage"),
        ("quicktakes_unescape_newlines", "1", "auto"),  # 1 is not True
        ("quicktakes_answer_roles", "'raw'", []),  # a string, not a list of names
        ("quicktakes_title", "3", None),
    ],
)
def test_each_unusable_config_value_warns_once_and_falls_back(
    build, setting: str, value: str, default: object
) -> None:
    result = build(
        {"index.rst": "Page\n====\n\n.. quicktake:: questions/good/osmosis.md\n"},
        conf=f"{setting} = {value}",
    )
    [warning] = result.warning_lines()  # ours only: Sphinx's type check sees the default
    assert "[quicktakes.config]" in warning and f"{setting} = {value}" in warning
    assert getattr(result.app.config, setting) == default
    assert result.html().select_one("section.quicktake h2") is not None


def test_config_values_from_the_command_line_are_converted(build) -> None:
    page = {"index.rst": "Page\n====\n\n.. quicktake:: questions/good/osmosis.md\n"}
    result = build(page, confoverrides={"quicktakes_meta": "0", "quicktakes_max_file_size": "9"})
    assert result.app.config.quicktakes_meta is False  # as with -D quicktakes_meta=0
    assert result.app.config.quicktakes_max_file_size == 9
    assert result.html().select_one('meta[name="keywords"]') is None
    assert "[quicktakes.read]" in result.warnings  # 9 bytes: the file is refused


def test_werror_fails_and_keep_going_reports_all(tmp_path: Path) -> None:
    pages = {
        "index.rst": "Page\n====\n\n.. quicktake:: questions/bad/bad-date.md\n\n"
        ".. quicktake:: questions/bad/missing-answer.md\n"
    }
    write_project(tmp_path / "src", pages, questions=("bad",))
    proc = sphinx_build(tmp_path / "src", tmp_path / "out", "-W", "--keep-going")
    assert proc.returncode == 1
    assert proc.stderr.count("WARNING") == 2 or proc.stderr.count("ERROR") == 2, proc.stderr
    assert "Traceback" not in proc.stderr
