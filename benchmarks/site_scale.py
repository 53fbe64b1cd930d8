"""``quicktakes site`` at the size of the real bank: a full build, a no-op build and a
one-file edit, with wall and CPU time, peak memory and the size of the output.

Usage (``--split`` for ``--split subject``)::

    python benchmarks/site_scale.py --corpus ../shared/corpus --files 36000 --subjects 40 \\
        --largest 4500 --jobs 2 --out /tmp/site-scale

The bank is made of the corpus's real files, copied at run time (never into the project)
with new ids, file names and subjects: ``--files`` distinct questions in ``--subjects``
subjects, one of them with ``--largest`` questions, in one folder per subject. Results go
to ``OUT/results.md`` and ``OUT/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import TreeSampler

SUBJECT_NAMES = [f"Subject {n:02d}" for n in range(100)]


def sizes(files: int, subjects: int, largest: int) -> list[int]:
    """Questions per subject: one of ``largest``, the rest shared evenly."""
    rest = files - largest
    others = subjects - 1
    return [largest] + [rest // others + (1 if i < rest % others else 0) for i in range(others)]


def make_bank(corpus: Path, bank: Path, files: int, subjects: int, largest: int) -> None:
    """Copy corpus files round-robin into ``bank/<subject>/``, each a distinct question."""
    sources = sorted(p for p in corpus.rglob("*.md") if p.name.lower() != "readme.md")
    texts = [p.read_text("utf-8-sig") for p in sources]
    number = 0
    for subject, count in zip(SUBJECT_NAMES, sizes(files, subjects, largest), strict=False):
        folder = bank / subject.lower().replace(" ", "-")
        folder.mkdir(parents=True, exist_ok=True)
        for _ in range(count):
            text = texts[number % len(texts)]
            text = re.sub(r"(?m)^id: .*$", f"id: {7_000_000 + number}", text, count=1)
            text = re.sub(r"(?m)^subject: .*$", f"subject: {subject}", text, count=1)
            text = re.sub(r"(?m)^file_name: .*$", f"file_name: q{number:05d}.md", text, count=1)
            (folder / f"q{number:05d}.md").write_text(text, "utf-8")
            number += 1


def run(command: list[str], env: dict[str, str], log: Path) -> dict[str, Any]:
    """Run a command, measuring it: wall and CPU time of the process tree, the sampled peak
    of its summed PSS, the largest process's RSS."""
    started = time.monotonic()
    with log.open("w") as output:
        proc = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
    sampler.stopped.set()
    seconds = time.monotonic() - started
    text = log.read_text("utf-8", "replace")
    updating = re.search(r"updating environment: .*?(\d+) added, (\d+) changed", text)
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "status": os.waitstatus_to_exitcode(status),
        "tree_pss_mb": round(sampler.peak_kb / 1024),
        "max_rss_mb": round(usage.ru_maxrss / 1024),
        "updating": updating.group(0) if updating else None,
        "summary": [line for line in text.splitlines() if line.startswith(("site:", "build "))],
    }


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--files", type=int, default=36000)
    parser.add_argument("--subjects", type=int, default=40)
    parser.add_argument("--largest", type=int, default=4500)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--search", default="titles", choices=("full", "titles"))
    parser.add_argument("--out", type=Path, default=Path("site-scale"))
    parser.add_argument(
        "--split", action="store_true", help="--split subject: a project per subject and a hub"
    )
    args = parser.parse_args(argv)

    out = args.out.resolve()
    bank, site = out / "bank", out / "site"
    if not bank.is_dir():
        make_bank(args.corpus, bank, args.files, args.subjects, args.largest)
    env = {**os.environ, "QUICKTAKES_CACHE_DIR": str(out / "cache")}
    command = [
        sys.executable, "-m", "sphinxext_quicktakes", "site", str(bank), "-o", str(site),
        "--jobs", str(args.jobs), "--search", args.search,
        "--base-url", "https://course.example/",
        *(["--split", "subject"] if args.split else []),
    ]  # fmt: skip
    results: dict[str, Any] = {
        "files": args.files,
        "subjects": args.subjects,
        "largest": args.largest,
        "jobs": args.jobs,
        "search": args.search,
        "split": args.split,
        "cpus": os.cpu_count(),
    }
    shutil.rmtree(out / "cache", ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    results["full"] = run(command, env, out / "full.log")
    results["no-op"] = run(command, env, out / "no-op.log")
    edited = next(iter(sorted((bank).rglob("*.md"))))
    text = edited.read_text("utf-8")
    edited.write_text(text.replace("answer: >-", "answer: >-\n    Edited.", 1), "utf-8")
    results["edit"] = run(command, env, out / "edit.log")
    results["output_mb"] = round(folder_size(site) / 1e6)
    indexes = [site / "searchindex.js", *site.glob("*/searchindex.js")]  # the split projects'
    results["searchindex_kb"] = round(max(p.stat().st_size for p in indexes) / 1024)
    (out / "results.json").write_text(json.dumps(results, indent=2), "utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
