"""``quicktakes check``: the same model and rules as the extension, without Sphinx."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

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
    assert lines[-1].startswith("checked 31 files: 16 errors, 12 warnings in 27 files")


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
