"""Benchmarks, as ratios against a baseline measured in the same run.

Usage::

    python scripts/benchmark.py --corpus ../shared/corpus [--copies 10]

- ``check``: ``quicktakes check`` over ``copies`` x the corpus (10,000 files by default)
  against the baseline of loading the same files with plain ``python-frontmatter``.
- ``decode``: our TeX-aware newline decoding and Markdown preparation of every answer
  against the baseline of the original site's blind ``replace``.

Absolute times depend on the machine; the ratios are what to compare between versions.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import frontmatter

from sphinxext_quicktakes.cli import main as check_main
from sphinxext_quicktakes.markdown import prepare_answer


def timed(function: Callable[[], object], repeat: int = 3) -> float:
    """The best of ``repeat`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def bench_check(corpus: Path, copies: int) -> tuple[int, float, float]:
    with tempfile.TemporaryDirectory() as folder:
        files = sorted(corpus.glob("*/*.md"))
        for copy in range(copies):
            target = Path(folder) / f"copy{copy}"
            target.mkdir()
            for index, path in enumerate(files):
                shutil.copyfile(path, target / f"{index}-{path.name}")
        paths = sorted(Path(folder).rglob("*.md"))

        def baseline() -> None:
            for path in paths:
                frontmatter.load(path)

        def ours() -> None:
            with contextlib.redirect_stdout(io.StringIO()):
                check_main(["check", folder], stdout=io.StringIO())

        return len(paths), timed(baseline), timed(ours)


def bench_decode(corpus: Path) -> tuple[int, float, float]:
    answers = [str(frontmatter.load(path).get("answer", "")) for path in corpus.glob("*/*.md")]

    def baseline() -> None:
        for answer in answers:
            answer.replace("\\n", "\n")

    def ours() -> None:
        for answer in answers:
            prepare_answer(answer)

    return len(answers), timed(baseline), timed(ours)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args(argv)
    count, base, ours = bench_check(args.corpus, args.copies)
    print(f"check   {count:>6} files  baseline {base:6.2f} s  ours {ours:6.2f} s  "
          f"ratio {ours / base:5.2f}")  # fmt: skip
    count, base, ours = bench_decode(args.corpus)
    print(f"decode  {count:>6} answers baseline {base:6.3f} s  ours {ours:6.3f} s  "
          f"ratio {ours / base:5.1f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
