"""``quicktakes check``: the same model and rules as the extension, without Sphinx."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sphinxext_quicktakes.cli import Progress, main

from .conftest import QUESTIONS


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(args), stdout=out)
    return code, out.getvalue()


def test_clean_folder() -> None:
    code, out = run("check", str(QUESTIONS / "good"))
    assert code == 0
    assert out == "checked 5 files: 0 errors, 0 warnings\n"


def test_one_line_per_problem_and_a_summary() -> None:
    code, out = run("check", str(QUESTIONS / "bad"))
    assert code == 1
    lines = out.splitlines()
    bad = str(QUESTIONS / "bad")
    assert (
        f"{bad}/answer-list.md:13: field-type: 'answer' should be Markdown text, not a list"
        in lines
    )
    assert f"{bad}/bad-date.md:4: date: date '2025-13-45' is not a valid date" in lines[5]
    assert f"{bad}/empty.md:1: empty: file is empty" in lines
    for line in lines[:-1]:
        path, line_number, subtype, message = line.split(":", 3)
        assert path.endswith(".md") and line_number.isdigit() and subtype.strip() and message
    assert lines[-1].startswith("checked 33 files: 16 errors, 17 warnings in 29 files")


def test_json_format_and_strict(tmp_path) -> None:
    code, out = run("check", "--format", "json", str(QUESTIONS / "bad" / "bad-date.md"))
    assert code == 0  # a warning: the date is dropped, the question is fine
    report = json.loads(out)
    assert report["files"] == 1 and report["errors"] == 0 and report["warnings"] == 1
    [problem] = report["problems"]
    assert problem == {
        "path": str(QUESTIONS / "bad" / "bad-date.md"),
        "line": 4,
        "subtype": "date",
        "severity": "warning",
        "message": problem["message"],
    }
    code, _ = run("check", "--strict", str(QUESTIONS / "bad" / "bad-date.md"))
    assert code == 1


def test_duplicate_ids_across_files() -> None:
    code, out = run("check", str(QUESTIONS / "good" / "osmosis.md"), str(QUESTIONS / "dupes"))
    assert code == 0
    assert "duplicate-id: id 900001 is also used by" in out
    assert out.count("duplicate-id") == 1  # the cross-listed copy has the same answer


def test_exclude_and_missing_paths(tmp_path) -> None:
    (tmp_path / "README.md").write_text("# Not a question\n", "utf-8")
    shutil.copy(QUESTIONS / "good" / "osmosis.md", tmp_path / "osmosis.md")
    assert run("check", str(tmp_path))[0] == 1
    assert run("check", "--exclude", "README.md", str(tmp_path)) == (
        0,
        "checked 1 file: 0 errors, 0 warnings\n",
    )
    code, out = run("check", str(tmp_path / "nope.md"))
    assert code == 1 and "missing-file: file not found" in out


def test_symlinked_folders_are_not_followed(tmp_path) -> None:
    shutil.copy(QUESTIONS / "good" / "osmosis.md", tmp_path / "osmosis.md")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert run("check", str(tmp_path))[1] == "checked 1 file: 0 errors, 0 warnings\n"


def test_progress_bar_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        progress = Progress(100, stream)
        for done in range(1, 101):
            progress.update(done)
        progress.close()
    assert "[##############################] 100/100" in terminal.getvalue()
    assert pipe.getvalue() == ""


def test_console_script_and_module_entry_points() -> None:
    module = subprocess.run(
        [sys.executable, "-m", "sphinxext_quicktakes", "check", str(QUESTIONS / "good")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert module.returncode == 0 and module.stdout == "checked 5 files: 0 errors, 0 warnings\n"
    assert module.stderr == ""  # no progress bar when not a terminal
    script = shutil.which("quicktakes", path=str(Path(sys.executable).parent))
    assert script is not None
    usage = subprocess.run([script, "check"], capture_output=True, text=True)
    assert usage.returncode == 2 and "usage:" in usage.stderr


def test_pre_commit_hook_definition() -> None:
    import yaml

    hooks = yaml.safe_load((Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text())
    [hook] = hooks
    assert hook["id"] == "quicktakes-check"
    assert hook["entry"] == "quicktakes check"
    assert hook["language"] == "python"


# -- hostile file names and values: one line per problem, nothing raw -----------------------

HOSTILE_NAME = "a\nb\x1b[31mred\u2028.md"
ESCAPED_NAME = r"a\nb\x1b[31mred\u2028.md"


def test_a_hostile_file_name_prints_escaped_on_one_line(tmp_path) -> None:
    (tmp_path / HOSTILE_NAME).write_text("---\nquestion: Q?\n---\n", "utf-8")
    code, out = run("check", str(tmp_path))
    assert code == 1
    assert out == (
        f"{tmp_path}/{ESCAPED_NAME}:1: missing-field: no 'answer' in the front matter\n"
        "checked 1 file: 1 error, 0 warnings in 1 file\n"
    )


def test_control_characters_in_values_print_escaped(tmp_path) -> None:
    path = tmp_path / "b\x9b2J.md"
    path.write_bytes(b'---\nid: "7\\e[2J"\nquestion: Q?\nanswer: "A\\x1b]0;title\\x07"\n---\n')
    code, out = run("check", str(path))
    assert code == 0
    assert out.splitlines() == [
        rf"{tmp_path}/b\x9b2J.md:2: field-type: 'id' '7\x1b[2J' has characters that are "
        "not printable (controls, tabs, line breaks); it is ignored",
        rf"{tmp_path}/b\x9b2J.md:4: control-char: answer: removed control characters "
        r"'\x1b', '\x07'",
        "checked 1 file: 0 errors, 2 warnings in 1 file",
    ]


def test_printable_non_ascii_names_stay_readable(tmp_path) -> None:
    (tmp_path / "café-中文.md").write_text("---\nquestion: Q?\n---\n", "utf-8")
    _, out = run("check", str(tmp_path))
    assert out.splitlines()[0] == (
        f"{tmp_path}/café-中文.md:1: missing-field: no 'answer' in the front matter"
    )


def test_json_escapes_what_json_dumps_leaves_raw(tmp_path) -> None:
    name = "x\x1b\x7f\x9b\u202eé.md"
    (tmp_path / name).write_text("---\nquestion: Q?\n---\n", "utf-8")
    _, out = run("check", "--format", "json", str(tmp_path))
    assert "\\u001b" in out and "\\u007f" in out and "\\u009b" in out and "\\u202e" in out
    assert "é" in out
    assert all(line.isprintable() for line in out.splitlines()), out
    [problem] = json.loads(out)["problems"]
    assert problem["path"] == str(tmp_path / name)  # the data is exact


def test_worker_processes_report_the_same() -> None:
    for format in ("text", "json"):
        alone = run("check", "--jobs", "1", "--format", format, str(QUESTIONS))
        pooled = run("check", "--jobs", "2", "--format", format, str(QUESTIONS))
        assert pooled == alone
        assert "duplicate-id" in alone[1] and "yaml" in alone[1]


def test_jobs_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["check", "--jobs", "0", str(QUESTIONS / "good")])
    assert exit.value.code == 2
    assert "must be 1 or more" in capsys.readouterr().err


def test_ctrl_c_stops_without_a_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sphinxext_quicktakes import cli

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "check_one", interrupted)
    code, out = run("check", "--jobs", "1", str(QUESTIONS / "good"))
    assert (code, out) == (130, "")
    assert capsys.readouterr().err == "quicktakes check: interrupted\n"


def test_a_scan_reads_only_the_files_that_changed(tmp_path) -> None:
    """``scan(known=...)``: a file whose stamp is unchanged is not read again (its
    previous result is kept); an edited one is; a gone one is forgotten."""
    from dataclasses import replace

    from sphinxext_quicktakes.cli import scan, stamp

    bank = tmp_path / "bank"
    shutil.copytree(QUESTIONS / "good", bank)
    files = sorted(str(p) for p in bank.glob("*.md"))
    known: dict = {}
    first, _ = scan(files, known=known)
    assert sorted(known) == files and [q.path for q in first] == files
    # a stale result with the file's current stamp is trusted: the file is not read
    osmosis = str(bank / "osmosis.md")
    checked, found = known[osmosis][1]
    known[osmosis] = (stamp(osmosis), (replace(checked, heading="Kept from before"), found))
    again, _ = scan(files, known=known)
    assert {q.path: q.heading for q in again}[osmosis] == "Kept from before"
    # an edit changes the stamp: read again
    text = (bank / "osmosis.md").read_text("utf-8")
    (bank / "osmosis.md").write_text(text.replace("title: How", "title: Why"), "utf-8")
    edited, _ = scan(files, known=known)
    assert {q.path: q.heading for q in edited}[osmosis].startswith("Why does osmosis")
    (bank / "maxwell.md").unlink()
    files.remove(str(bank / "maxwell.md"))
    fewer, _ = scan(files, known=known)
    assert sorted(known) == files and len(fewer) == len(first) - 1
