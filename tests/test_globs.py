"""The one glob dialect and walker (collections, question pages, ``quicktakes check``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinxext_quicktakes.globs import below, find, fixed_folder, matches, matches_tail


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("/b/q/a.md", "/b/q/*.md", True),
        ("/b/q/sub/a.md", "/b/q/*.md", False),  # * stays in one folder
        ("/b/q/sub/a.md", "/b/q/**/*.md", True),
        ("/b/q/a.md", "/b/q/**/*.md", True),  # ** is zero folders too
        ("/b/q/a.md", "/b/q/[ab].md", True),
        ("/b/q/a.md", "/b/q/[!ab].md", False),
        ("/b/q/a.md", "/b/q/?.md", True),
        ("/b/q/a.mdx", "/b/q/*.md", False),
    ],
)
def test_dialect(path: str, pattern: str, expected: bool) -> None:
    assert matches(path, pattern) is expected


def test_exclude_matches_any_trailing_part() -> None:
    assert matches_tail("/bank/README.md", "README.md")
    assert matches_tail("/bank/drafts/x.md", "drafts/*.md")
    assert not matches_tail("/bank/drafts/sub/x.md", "drafts/*.md")
    assert not matches_tail("/bank/NOTREADME.md", "README.md")


def test_fixed_folder_and_below() -> None:
    assert fixed_folder("/c/learn/**/*.md") == "/c/learn"
    assert fixed_folder("/c/learn/bio/x.md") == "/c/learn/bio"
    assert fixed_folder("/c/le*/x.md") == "/c"
    assert below("/c/learn/bio/x.md", "/c/learn/**/*.md") == "bio/x.md"


def test_symlinks_leaving_the_fixed_folder_are_left_out(tmp_path: Path) -> None:
    bank, elsewhere = tmp_path / "bank", tmp_path / "elsewhere"
    bank.mkdir()
    elsewhere.mkdir()
    (bank / "a.md").write_text("a", "utf-8")
    (bank / ".hidden").mkdir()
    (bank / ".hidden" / "h.md").write_text("h", "utf-8")
    (elsewhere / "secret.md").write_text("s", "utf-8")
    (bank / "b.md").symlink_to(elsewhere / "secret.md")
    (bank / "c.md").symlink_to(bank / "a.md")  # stays inside: kept
    found = find([str(bank / "**" / "*.md")])
    assert found.files == (str(bank / "a.md"), str(bank / "c.md"))
    assert found.left_out == (str(bank / "b.md"),)
    assert find([str(bank / "b.md")]).left_out == (str(bank / "b.md"),)  # a plain path too
    followed = find([str(bank / "*.md")], follow_symlinks=True)
    assert followed.files == tuple(str(bank / n) for n in ("a.md", "b.md", "c.md"))
    # a pattern whose fixed folder is itself a link: the files are inside its real path
    (tmp_path / "link").symlink_to(elsewhere, target_is_directory=True)
    assert find([str(tmp_path / "link" / "*.md")]).files == (str(tmp_path / "link/secret.md"),)
