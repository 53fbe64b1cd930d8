"""Build-time benchmark: question files rendered by the extension, against plain MyST pages.

Usage (from the repository root, with the package importable)::

    PYTHONPATH=. python benchmarks/bench.py [--n 100 1000] [--runs 3] [--jobs 1 2]
        [--variants quicktake myst pages pages+list list-only] [--corpus DIR]
        [--out benchmarks/results] [--builder html] [--werror] [--keep]

N question files in the exported format (YAML front matter, the answer's newlines written as
backslash + ``n``) are generated with a fixed seed, or copied from ``--corpus``, into a
``bank`` folder beside the ``docs`` folder of each project. Each variant is its own fresh
project on the same files:

- ``quicktake``: N MyST pages, each one ``quicktake`` directive of its file, in a glob toctree;
- ``myst``: the floor: the same content written out as N plain MyST pages (heading, byline,
  the decoded answer, ``html_meta`` front matter), without the extension;
- ``pages``: the files as pages of their own through ``quicktakes_pages``, in a glob toctree;
- ``pages+list``: ``pages`` plus one page with a ``quicktakes`` ``:display: list`` of all N;
- ``list-only``: the question pages reached only through that list (no toctree of questions).

Measured per (variant, N, jobs): wall time (median of ``--runs`` clean builds), peak RSS of
the ``sphinx-build`` process tree (the largest process, from ``wait4``; and the sampled sum
of the tree's PSS), the size of ``environment.pickle``, warnings, and how often each question
file is loaded and parsed (``benchmarks/_count.py`` wraps the loader without changing the
package). For ``pages`` and ``list-only``, after the last clean build: a no-op rebuild and a
rebuild after one word of one answer changed. Ratios are against ``myst`` at the same N and
jobs. Results: ``<out>/results.md``, ``<out>/results.json`` and ``<out>/growth.png`` (when
matplotlib is installed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
COUNTER = HERE / "_count.py"
VARIANTS = ("quicktake", "myst", "pages", "pages+list", "list-only")
EDIT_VARIANTS = ("pages", "list-only")
FLOOR = "myst"
SEED = 20250204

# --------------------------------------------------------------------------- generation

SUBJECTS = (
    "Biology",
    "Chemistry",
    "Physics",
    "Economics",
    "Geology",
    "Astronomy",
    "Statistics",
    "Linguistics",
)
NOUNS = (
    "membrane",
    "catalyst",
    "gradient",
    "equilibrium",
    "reservoir",
    "lattice",
    "signal",
    "market",
    "orbit",
    "sediment",
    "sample",
    "variable",
    "enzyme",
    "current",
    "glacier",
    "phoneme",
    "buffer",
    "estimator",
    "nucleus",
    "tariff",
    "crystal",
    "wavefront",
    "population",
    "dialect",
)
ADJECTIVES = (
    "thermal",
    "stable",
    "local",
    "coupled",
    "dense",
    "slow",
    "periodic",
    "open",
    "marginal",
    "layered",
    "random",
    "charged",
    "seasonal",
    "linear",
)
VERBS = (
    ("shifts", "shift"),
    ("limits", "limit"),
    ("amplifies", "amplify"),
    ("balances", "balance"),
    ("transports", "transport"),
    ("stores", "store"),
    ("converts", "convert"),
    ("regulates", "regulate"),
    ("dampens", "dampen"),
    ("reshapes", "reshape"),
)
ADVERBS = ("quickly", "gradually", "sharply", "steadily", "only briefly", "in turn")
CONNECTORS = ("As a result,", "In practice,", "By contrast,", "Over time,", "Put simply,")
UNITS = ("°C", "kJ/mol", "m/s²", "µm", "%", "kPa")
INLINE_MATH = (
    r"$k = \frac{\Delta y}{\Delta x}$",
    r"$E = h\nu$",
    r"$\sigma^2 = \frac{1}{n}\sum_{i=1}^{n} (x_i - \bar{x})^2$",
    r"$a \neq b$",
    r"$\nabla \cdot \mathbf{F} = \rho$",
    r"$p \propto T$",
    r"$\alpha + \beta \to \gamma$",
)
DISPLAY_MATH = (
    r"\frac{dN}{dt} = r N \left(1 - \frac{N}{K}\right)",
    r"\bar{x} = \frac{1}{n} \sum_{i=1}^{n} x_i",
    r"\Delta G = \Delta H - T \Delta S",
    r"F = G \frac{m_1 m_2}{r^2}",
    r"Q = m c \Delta T",
)


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _sentence(rng: random.Random) -> str:
    a, b, c = rng.sample(NOUNS, 3)
    verb, verb2 = rng.choice(VERBS)[0], rng.choice(VERBS)[0]
    forms = (
        f"The {rng.choice(ADJECTIVES)} {a} {verb} the {b} {rng.choice(ADVERBS)}.",
        f"{rng.choice(CONNECTORS)} {_a(rng.choice(ADJECTIVES))} {a} {verb} each {b} "
        f"while the {c} {verb2} {rng.choice(ADVERBS)}.",
        f"When the {a} reaches {rng.randint(2, 95)} {rng.choice(UNITS)}, the {b} {verb} "
        f"the {rng.choice(ADJECTIVES)} {c}.",
        f"Each {a} {verb} {_a(rng.choice(ADJECTIVES))} {b}, so the {c} {verb2} "
        f"{rng.choice(ADVERBS)} — a pattern seen in most {rng.choice(NOUNS)} models.",
    )
    return rng.choice(forms)


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _term(rng: random.Random) -> str:
    return f"{rng.choice(ADJECTIVES).title()} {rng.choice(NOUNS).title()}"


def _block(rng: random.Random, kind: str) -> str:
    if kind == "steps":
        items = [
            f"{i}. **{_term(rng)}**: {_sentence(rng)}" for i in range(1, rng.randint(3, 5) + 1)
        ]
        return f"### {_term(rng)} in Steps\n\n" + "\n\n".join(items)
    if kind == "bullets":
        items = [f"- **{_term(rng)}**: {_sentence(rng)}" for _ in range(rng.randint(2, 4))]
        return f"### Why the {rng.choice(NOUNS).title()} Matters\n\n" + "\n\n".join(items)
    if kind == "inline":
        first, then = _sentence(rng), _sentence(rng)
        relation = rng.choice(INLINE_MATH)
        return f"{first} The relation {relation} holds, and {then[0].lower()}{then[1:]}"
    if kind == "display":
        return f"{_sentence(rng)}\n\n$$\n{rng.choice(DISPLAY_MATH)}\n$$"
    if kind == "table":
        head = "| Quantity | Low | High |\n|---|---|---|"
        rows = [
            f"| {rng.choice(NOUNS)} | {rng.randint(1, 40)} {rng.choice(UNITS)} | "
            f"{rng.randint(41, 99)} {rng.choice(UNITS)} |"
            for _ in range(rng.randint(2, 4))
        ]
        return f"### A Comparison\n\n{head}\n" + "\n".join(rows)
    return _paragraph(rng, rng.randint(2, 4))


@dataclass
class Generated:
    """One generated question: its file text and the Markdown its answer stands for."""

    stem: str
    text: str
    meta: dict[str, Any]
    answer: str  # with real newlines


def generate(index: int, seed: int = SEED) -> Generated:
    """Question ``index`` (the same for every N: N=100 is a prefix of N=1000)."""
    rng = random.Random(f"{seed}-{index}")
    subject = rng.choice(SUBJECTS)
    verb = rng.choice(VERBS)[1]
    a, b = rng.sample(NOUNS, 2)
    title = f"How does {_a(rng.choice(ADJECTIVES))} {a} {verb} the {b} in {subject.lower()}?"
    stem = f"q{index:05d}-" + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    target = rng.randint(2000, 4000)
    blocks = [_paragraph(rng, 3), _block(rng, "steps"), _block(rng, "inline")]
    tail = ["bullets", "display", "paragraph"]
    if index % 3 == 0:
        tail.insert(1, "table")
    blocks += [_block(rng, kind) for kind in tail]
    footnote = f"\n\n[^1]: {_sentence(rng)}" if index % 4 == 0 else ""
    if footnote:
        blocks[0] += "[^1]"

    def escaped(parts: list[str]) -> str:
        return "\n\n".join(parts) + footnote

    def size(parts: list[str]) -> int:
        return len(escaped(parts).replace("\n", "\\n").encode())

    while size(blocks) < target:
        more = [
            *blocks[:-1],
            _block(rng, rng.choice(("paragraph", "bullets", "inline"))),
            blocks[-1],
        ]
        if size(more) > 3950:
            break
        blocks = more
    answer = escaped(blocks)
    one_line = answer.replace("\n", "\\n")
    day = dt.date(2025, 1, 1) + dt.timedelta(days=index % 365)
    keywords = ", ".join(dict.fromkeys([a, b, *rng.sample(NOUNS, 4)]))
    description = f"{_sentence(rng)} {_sentence(rng)}"
    meta = {
        "title": title,
        "date": day,
        "author": "QuickTakes",
        "description": description,
        "keywords": keywords,
        "subject": subject,
    }
    text = f"""---
_schema: default
id: {500000 + index}
date: {day.isoformat()}
title: {title}
article_title: {title}
date_format: MMM DD, YYYY
post_on_text: Posted on
seo:
  title: QuickTakes | {subject}
  page_description: >-
    {description}
  page_keywords: >-
    {keywords}
author: QuickTakes
question: >-
    {title}
answer: >-
    {one_line}
subject: {subject}
file_name: {stem}.md
url: /learn/{subject.lower()}/questions/{stem}
---

&nbsp;
"""
    return Generated(stem, text, meta, answer)


def corpus_question(path: Path, stem: str) -> Generated:
    """A real exported file, with what the floor needs read from its front matter."""
    import yaml

    text = path.read_text(encoding="utf-8-sig")
    front = text.split("\n---", 1)[0].removeprefix("---")
    data = yaml.safe_load(front) or {}
    seo = data.get("seo") or {}
    raw = str(data.get("answer") or "")
    try:
        from sphinxext_quicktakes.markdown import prepare_answer

        answer = prepare_answer(raw)
    except Exception:  # the floor only needs Markdown close to what the extension shows
        answer = raw.replace("\\n", "\n")
    date = data.get("date")
    meta = {
        "title": str(data.get("title") or data.get("question") or stem),
        "date": date if isinstance(date, dt.date) else None,
        "author": str(data.get("author") or ""),
        "description": str(seo.get("page_description") or ""),
        "keywords": str(seo.get("page_keywords") or ""),
        "subject": str(data.get("subject") or ""),
    }
    return Generated(stem, text, meta, answer)


def make_bank(n: int, corpus: Path | None, seed: int) -> list[Generated]:
    if corpus is None:
        return [generate(i, seed) for i in range(n)]
    files = sorted(corpus.rglob("*.md"))
    files = [p for p in files if p.name.lower() != "readme.md"]
    if n:
        files = files[:n]
    out = []
    for path in files:
        relative = path.relative_to(corpus).with_suffix("")
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", "--".join(relative.parts))
        out.append(corpus_question(path, stem))
    return out


# --------------------------------------------------------------------------- projects

CONF = """\
project = "bench"
extensions = {extensions!r}
myst_enable_extensions = ["dollarmath", "amsmath", "strikethrough"]
exclude_patterns = ["_build"]
{extra}"""

TOCTREE = "```{{toctree}}\n:glob:\n:maxdepth: 1\n\n{entries}\n```\n"
LIST = "# All questions\n\n```{quicktakes} /../bank/*.md\n:display: list\n```\n"


def floor_page(question: Generated) -> str:
    meta = question.meta
    byline = "Posted on"
    if meta["date"]:
        byline += " " + meta["date"].strftime("%b %d, %Y")
    if meta["author"]:
        byline += f" · {meta['author']}"
    head = {"myst": {"html_meta": {}}}
    if meta["description"]:
        head["myst"]["html_meta"]["description"] = meta["description"]
    if meta["keywords"]:
        head["myst"]["html_meta"]["keywords"] = meta["keywords"]
    front = (
        "---\nmyst:\n  html_meta:\n"
        + "".join(f"    {k}: {json.dumps(v)}\n" for k, v in head["myst"]["html_meta"].items())
        + "---\n\n"
    )
    title = meta["title"].replace("\n", " ")
    return f"{front}# {title}\n\n{byline}\n\n{question.answer}\n"


def write_project(root: Path, variant: str, bank: list[Generated]) -> Path:
    """A fresh project for ``variant``: ``root/bank``, ``root/docs``; the source dir."""
    if root.exists():
        shutil.rmtree(root)
    docs = root / "docs"
    docs.mkdir(parents=True)
    extensions = ["myst_parser"] if variant == FLOOR else ["myst_parser", "sphinxext_quicktakes"]
    extra = ""
    if variant == FLOOR:  # answers' ### under the page's # (the extension places them itself)
        extra = 'suppress_warnings = ["myst.header"]\n'
    else:
        (root / "bank").mkdir()
        for question in bank:
            (root / "bank" / f"{question.stem}.md").write_text(question.text, encoding="utf-8")
    if variant in ("pages", "pages+list", "list-only"):
        extra = 'quicktakes_pages = {"learn": "../bank/*.md"}\n'
    (docs / "conf.py").write_text(CONF.format(extensions=extensions, extra=extra))
    entries = {
        "quicktake": "questions/*",
        FLOOR: "questions/*",
        "pages": "learn/*",
        "pages+list": "all\nlearn/*",
        "list-only": "all",
    }[variant]
    (docs / "index.md").write_text("# Benchmark\n\n" + TOCTREE.format(entries=entries))
    if variant in ("pages+list", "list-only"):
        (docs / "all.md").write_text(LIST)
    if variant in ("quicktake", FLOOR):
        (docs / "questions").mkdir()
        for question in bank:
            page = docs / "questions" / f"{question.stem}.md"
            if variant == FLOOR:
                page.write_text(floor_page(question), encoding="utf-8")
            else:
                page.write_text(f"```{{quicktake}} ../../bank/{question.stem}.md\n```\n")
    return docs


# --------------------------------------------------------------------------- measuring


def _descendants(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreeSampler(threading.Thread):
    """The largest sum of PSS over a process tree, sampled (Linux only; else 0)."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self.stopped = threading.Event()
        self.enabled = os.path.exists(f"/proc/{pid}/smaps_rollup")

    def run(self) -> None:
        while self.enabled and not self.stopped.wait(self.interval):
            total = sum(_pss_kb(p) for p in _descendants(self.pid))
            self.peak_kb = max(self.peak_kb, total)


UPDATING = re.compile(
    r"updating environment: (?:\[[^\]]*\] )?(\d+) added, (\d+) changed, (\d+) removed"
)


@dataclass
class Build:
    seconds: float
    cpu_seconds: float  # user + system of the whole tree (wait4): less hurt by a busy machine
    load: float  # the 1-minute load average when the build started
    returncode: int
    maxrss_mb: float  # the largest process of the tree (wait4)
    tree_pss_mb: float  # the sampled sum over the tree
    env_bytes: int
    warnings: int
    updating: tuple[int, int, int] | None
    reads: dict[str, int] = field(default_factory=dict)
    parses: dict[str, int] = field(default_factory=dict)
    first_warnings: list[str] = field(default_factory=list)
    patched: bool = True

    def summary(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k not in ("reads", "parses")}
        data["reads_total"] = sum(self.reads.values())
        data["parses_total"] = sum(self.parses.values())
        return data


def run_sphinx(
    srcdir: Path,
    outdir: Path,
    builder: str,
    jobs: int,
    werror: bool,
    timeout: float | None,
    clean: bool,
    count: bool = True,
) -> Build:
    if clean and outdir.exists():
        shutil.rmtree(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    counts = outdir.parent / f"{outdir.name}.counts"
    if counts.exists():
        shutil.rmtree(counts)
    counts.mkdir()
    doctrees = outdir / ".doctrees"
    command = [sys.executable, str(COUNTER), "-b", builder, "-d", str(doctrees)]
    if jobs > 1:
        command += ["-j", str(jobs)]
    if werror:
        command.append("-W")
    command += [str(srcdir), str(outdir)]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("QUICKTAKES_BENCH_COUNTS", None)
    if count:  # not for the floor: the wrapper would import the package it does not load
        env["QUICKTAKES_BENCH_COUNTS"] = str(counts)
    env.pop("SPHINX_COLOR", None)
    env["NO_COLOR"] = "1"
    log_out, log_err = outdir.parent / f"{outdir.name}.out", outdir.parent / f"{outdir.name}.err"
    with open(log_out, "wb") as out, open(log_err, "wb") as err:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, start_new_session=True)
        sampler = TreeSampler(process.pid)
        sampler.start()
        deadline = None if timeout is None else started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.perf_counter() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
            time.sleep(0.01)
        seconds = time.perf_counter() - started
        sampler.stopped.set()
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    stdout = log_out.read_text(errors="replace")
    stderr = log_err.read_text(errors="replace")
    warnings = [line for line in stderr.splitlines() if "WARNING:" in line or "ERROR:" in line]
    match = UPDATING.search(stdout)
    reads: Counter[str] = Counter()
    parses: Counter[str] = Counter()
    for log in counts.glob("calls-*.log"):
        for line in log.read_text(encoding="utf-8").splitlines():
            kind, _, path = line.partition("\t")
            (reads if kind == "load" else parses)[path] += 1
    env_file = doctrees / "environment.pickle"
    maxrss_kb = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)
    return Build(
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        load=load,
        returncode=process.returncode,
        maxrss_mb=maxrss_kb / 1024,
        tree_pss_mb=sampler.peak_kb / 1024,
        env_bytes=env_file.stat().st_size if env_file.exists() else 0,
        warnings=len(warnings),
        updating=tuple(int(g) for g in match.groups()) if match else None,  # type: ignore[arg-type]
        reads=dict(reads),
        parses=dict(parses),
        first_warnings=warnings[:5] + ([stderr[-2000:]] if process.returncode else []),
    )


def change_a_word(path: Path) -> str:
    """Change one word of the answer; the original text (to restore)."""
    original = path.read_text(encoding="utf-8")
    lines = original.split("\n")
    for number, line in enumerate(lines):
        if line.startswith("answer:"):
            target = number + 1 if line.strip().endswith(("-", ">", "|")) else number
            lines[target], count = re.subn(
                r"(?<=\s)[A-Za-z]{4,}(?=[\s,.])", "altered", lines[target], count=1
            )
            if count:
                break
            lines[target] = lines[target] + " altered"
            break
    path.write_text("\n".join(lines), encoding="utf-8")
    return original


def read_stats(build: Build, bank_paths: list[str]) -> dict[str, Any]:
    counts = [build.reads.get(p, 0) for p in bank_paths]
    parses = [build.parses.get(p, 0) for p in bank_paths]
    n = len(bank_paths) or 1
    return {
        "reads_max": max(counts, default=0),
        "reads_min": min(counts, default=0),
        "reads_mean": sum(counts) / n,
        "parses_max": max(parses, default=0),
        "parses_mean": sum(parses) / n,
        "files_read": sum(1 for c in counts if c),
    }


# --------------------------------------------------------------------------- the run


def measure(args: argparse.Namespace) -> dict[str, Any]:
    work = args.work or (args.out / "work")
    results: list[dict[str, Any]] = []
    edits: list[dict[str, Any]] = []
    ns = [0] if args.corpus and not args.n_given else args.n
    for n in ns:
        bank = make_bank(n, args.corpus, args.seed)
        n = len(bank)
        print(f"== N={n}: {len(bank)} question files", flush=True)
        projects = {v: write_project(work / f"n{n}" / v, v, bank) for v in args.variants}
        for jobs in args.jobs:
            builds: dict[str, list[Build]] = {v: [] for v in args.variants}
            for run in range(args.runs):
                for variant in args.variants:  # interleaved, so drift hits all alike
                    werror = args.werror
                    build = run_sphinx(
                        projects[variant],
                        projects[variant].parent / "out",
                        args.builder,
                        jobs,
                        werror,
                        args.timeout,
                        clean=True,
                        count=variant != FLOOR,
                    )
                    builds[variant].append(build)
                    status = "ok" if build.returncode == 0 else f"FAILED ({build.returncode})"
                    print(
                        f"   {variant:<11} N={n:<5} -j{jobs} run {run + 1}: "
                        f"{build.seconds:7.2f} s  cpu {build.cpu_seconds:7.2f} s  "
                        f"{build.maxrss_mb:7.1f} MB  load {build.load:4.1f}  "
                        f"{build.warnings} warnings  {status}",
                        flush=True,
                    )
            for variant in args.variants:
                runs = builds[variant]
                last = runs[-1]
                bank_paths = []
                if variant != FLOOR:
                    bank_dir = projects[variant].parent / "bank"
                    bank_paths = [os.path.realpath(p) for p in sorted(bank_dir.glob("*.md"))]
                results.append(
                    {
                        "variant": variant,
                        "n": n,
                        "jobs": jobs,
                        "seconds": statistics.median(b.seconds for b in runs),
                        "seconds_runs": [b.seconds for b in runs],
                        "cpu_seconds": statistics.median(b.cpu_seconds for b in runs),
                        "cpu_seconds_runs": [b.cpu_seconds for b in runs],
                        "load_runs": [b.load for b in runs],
                        "maxrss_mb": max(b.maxrss_mb for b in runs),
                        "tree_pss_mb": max(b.tree_pss_mb for b in runs),
                        "env_bytes": last.env_bytes,
                        "warnings": last.warnings,
                        "returncode": max(b.returncode for b in runs),
                        "first_warnings": last.first_warnings,
                        **(read_stats(last, bank_paths) if bank_paths else {}),
                    }
                )
                if variant in EDIT_VARIANTS and not args.no_edit:
                    edits.append(edit_measure(args, projects[variant], bank, variant, n, jobs))
        if not args.keep:
            shutil.rmtree(work / f"n{n}", ignore_errors=True)
    if not args.keep and not args.work:
        shutil.rmtree(work, ignore_errors=True)
    add_ratios(results)
    return {"results": results, "edits": edits}


def edit_measure(
    args: argparse.Namespace, docs: Path, bank: list[Generated], variant: str, n: int, jobs: int
) -> dict[str, Any]:
    outdir = docs.parent / "out"
    bank_dir = docs.parent / "bank"
    paths = [os.path.realpath(p) for p in sorted(bank_dir.glob("*.md"))]

    def build() -> Build:
        return run_sphinx(docs, outdir, args.builder, jobs, args.werror, args.timeout, False)

    noop = build()
    edited = Path(paths[len(paths) // 2])
    original = change_a_word(edited)
    time.sleep(0.01)
    try:
        edit = build()
    finally:
        edited.write_text(original, encoding="utf-8")
    row = {
        "variant": variant,
        "n": n,
        "jobs": jobs,
        "noop_seconds": noop.seconds,
        "edit_seconds": edit.seconds,
        "edit_over_noop": edit.seconds / noop.seconds if noop.seconds else None,
        "noop_cpu_seconds": noop.cpu_seconds,
        "edit_cpu_seconds": edit.cpu_seconds,
        "edit_over_noop_cpu": edit.cpu_seconds / noop.cpu_seconds if noop.cpu_seconds else None,
        "noop_updating": noop.updating,
        "edit_updating": edit.updating,
        "noop_reads_total": sum(noop.reads.values()),
        "edit_reads_total": sum(edit.reads.values()),
        "edit_returncode": edit.returncode,
        "edit_warnings": edit.warnings,
    }
    print(
        f"   {variant:<11} N={n:<5} -j{jobs} no-op {noop.seconds:6.2f} s, "
        f"edit {edit.seconds:6.2f} s, updating {edit.updating}, "
        f"{row['edit_reads_total']} reads",
        flush=True,
    )
    return row


def add_ratios(results: list[dict[str, Any]]) -> None:
    floors = {(r["n"], r["jobs"]): r for r in results if r["variant"] == FLOOR}
    for row in results:
        floor = floors.get((row["n"], row["jobs"]))
        for key in ("seconds", "cpu_seconds", "maxrss_mb", "env_bytes"):
            base = floor[key] if floor else 0
            row[f"{key}_ratio"] = row[key] / base if base else None


def growth(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The exponent b of time ~ N^b between consecutive N, per variant and jobs."""
    out = []
    keys = sorted({(r["variant"], r["jobs"]) for r in results})
    for variant, jobs in keys:
        rows = sorted(
            (r for r in results if r["variant"] == variant and r["jobs"] == jobs),
            key=lambda r: r["n"],
        )
        for before, after in itertools.pairwise(rows):
            if not (before["n"] and after["n"] > before["n"]):
                continue
            row: dict[str, Any] = {
                "variant": variant,
                "jobs": jobs,
                "from": before["n"],
                "to": after["n"],
            }
            for key, name in (("seconds", "exponent"), ("cpu_seconds", "cpu_exponent")):
                if before[key] > 0 and after[key] > 0:
                    row[name] = math.log(after[key] / before[key]) / math.log(
                        after["n"] / before["n"]
                    )
                else:
                    row[name] = None
            out.append(row)
    return out


# --------------------------------------------------------------------------- reporting


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(data: dict[str, Any]) -> str:
    lines = [
        "| variant | N | jobs | time s | time /myst | CPU s | CPU /myst | peak RSS MB | RSS /myst "
        "| tree PSS MB | env KB | env /myst | reads/file max | reads/file mean | warnings |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in data["results"]:
        failed = "" if r["returncode"] == 0 else " (failed)"
        reads = (str(r["reads_max"]), f"{r['reads_mean']:.2f}") if "reads_max" in r else ("-", "-")
        lines.append(
            f"| {r['variant']}{failed} | {r['n']} | {r['jobs']} | {r['seconds']:.2f} "
            f"| {_ratio(r['seconds_ratio'])} | {r['cpu_seconds']:.2f} "
            f"| {_ratio(r['cpu_seconds_ratio'])} | {r['maxrss_mb']:.0f} "
            f"| {_ratio(r['maxrss_mb_ratio'])} | {r['tree_pss_mb']:.0f} "
            f"| {r['env_bytes'] / 1024:.0f} | {_ratio(r['env_bytes_ratio'])} "
            f"| {reads[0]} | {reads[1]} | {r['warnings']} |"
        )
    text = "\n".join(lines) + "\n"
    if data["edits"]:
        text += (
            "\nIncremental: a no-op rebuild, then one word of one answer changed\n\n"
            "| variant | N | jobs | no-op s | edit s | edit/no-op | edit/no-op CPU | added "
            "| changed | removed | reads on edit |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n"
        )
        for e in data["edits"]:
            added, changed, removed = e["edit_updating"] or ("?", "?", "?")
            text += (
                f"| {e['variant']} | {e['n']} | {e['jobs']} | {e['noop_seconds']:.2f} "
                f"| {e['edit_seconds']:.2f} | {_ratio(e['edit_over_noop'])} "
                f"| {_ratio(e['edit_over_noop_cpu'])} | {added} "
                f"| {changed} | {removed} | {e['edit_reads_total']} |\n"
            )
    if data["growth"]:
        text += (
            "\nGrowth: b in time ~ N^b between consecutive N (about 1: linear, about 2: "
            "quadratic; the fixed startup cost pulls b down at small N)\n\n"
            "| variant | jobs | N | b (time) | b (CPU) |\n|---|--:|---|--:|--:|\n"
        )
        for g in data["growth"]:
            text += (
                f"| {g['variant']} | {g['jobs']} | {g['from']}→{g['to']} "
                f"| {_ratio(g['exponent'])} | {_ratio(g['cpu_exponent'])} |\n"
            )
    return text


def plot(data: dict[str, Any], path: Path) -> str:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker
    except ImportError:
        return "matplotlib is not installed: no plot (pip install matplotlib, or the bench extra)"
    results = data["results"]
    jobs_values = sorted({r["jobs"] for r in results})
    figure, axes = plt.subplots(
        2, len(jobs_values), figsize=(6 * len(jobs_values), 9), squeeze=False
    )
    for (row, key, label), jobs in itertools.product(
        ((0, "seconds", "build time, s (median)"), (1, "cpu_seconds", "CPU time, s (median)")),
        jobs_values,
    ):
        axis = axes[row][jobs_values.index(jobs)]
        for variant in dict.fromkeys(r["variant"] for r in results):
            rows = sorted(
                (r for r in results if r["variant"] == variant and r["jobs"] == jobs),
                key=lambda r: r["n"],
            )
            axis.plot([r["n"] for r in rows], [r[key] for r in rows], marker="o", label=variant)
        ns = sorted({r["n"] for r in results if r["jobs"] == jobs})
        floor = [r for r in results if r["variant"] == FLOOR and r["jobs"] == jobs]
        if len(ns) > 1 and floor:
            base = min(floor, key=lambda r: r["n"])
            for power, style in ((1, ":"), (2, "--")):
                axis.plot(
                    ns,
                    [base[key] * (x / base["n"]) ** power for x in ns],
                    linestyle=style,
                    color="grey",
                    label=f"∝ N^{power}",
                )
        axis.set_xscale("log")
        axis.set_yscale("log")
        for scale in (axis.xaxis, axis.yaxis):
            scale.set_major_formatter(matplotlib.ticker.ScalarFormatter())
        axis.set_xlabel("question files (N)")
        axis.set_ylabel(label)
        axis.set_title(f"sphinx-build -j {jobs}")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return ""


def environment_info() -> dict[str, Any]:
    info: dict[str, Any] = {"python": sys.version.split()[0], "platform": platform.platform()}
    for name in ("sphinx", "myst_parser", "sphinxext_quicktakes"):
        try:
            module = __import__(name)
            info[name] = getattr(module, "__version__", "?")
            info[f"{name}_path"] = str(Path(module.__file__).parent)
        except Exception as error:
            info[name] = f"not importable: {error}"
    try:
        root = Path(info.get("sphinxext_quicktakes_path", ".")).parent
        info["commit"] = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        pass
    info["cpus"] = os.cpu_count()
    return info


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=None, help="default: 100 1000")
    parser.add_argument("--runs", type=int, default=3, help="clean builds; the median is kept")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument("--corpus", type=Path, help="real question files (searched recursively)")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--work", type=Path, help="where the projects go (default: OUT/work)")
    parser.add_argument("--builder", default="html")
    parser.add_argument("--werror", action="store_true", help="pass -W to every build")
    parser.add_argument("--no-edit", action="store_true", help="skip the incremental builds")
    parser.add_argument("--keep", action="store_true", help="keep the projects and outputs")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--timeout", type=float, default=3600, help="per build, seconds")
    args = parser.parse_args(argv)
    args.n_given = args.n is not None
    if args.n is None:
        args.n = [100, 1000]
    args.n = sorted(set(args.n))
    args.out = args.out.resolve()
    if args.work:
        args.work = args.work.resolve()
    if args.corpus:
        args.corpus = args.corpus.resolve()
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    data = measure(args)
    data["growth"] = growth(data["results"])
    data["settings"] = {
        "n": args.n,
        "runs": args.runs,
        "jobs": args.jobs,
        "variants": args.variants,
        "corpus": str(args.corpus) if args.corpus else None,
        "builder": args.builder,
        "werror": args.werror,
        "seed": args.seed,
        "floor": f"{FLOOR}: plain MyST pages, myst_parser only (the extension not loaded)",
    }
    data["environment"] = environment_info()
    data["elapsed_seconds"] = time.time() - started
    text = table(data)
    note = plot(data, args.out / "growth.png")
    header = (
        f"# Build benchmark\n\n{data['environment'].get('sphinxext_quicktakes_path')} "
        f"at {data['environment'].get('commit')}, Sphinx {data['environment'].get('sphinx')}, "
        f"myst-parser {data['environment'].get('myst_parser')}, "
        f"{data['environment']['cpus']} CPUs; builder {args.builder}, median of {args.runs}; "
        f"{'corpus ' + str(args.corpus) if args.corpus else 'generated files'}.\n"
        "Ratios are against `myst` (plain MyST pages, the floor) at the same N and jobs. "
        "Peak RSS: the largest process of the sphinx-build tree; tree PSS: the sampled sum. "
        "CPU: user + system time of the tree.\n"
    )
    loads = [x for r in data["results"] for x in r["load_runs"]]
    if loads:
        header += (
            f"1-minute load average when builds started: {min(loads):.1f} to {max(loads):.1f} "
            f"on {data['environment']['cpus']} CPUs"
            + (
                " (a busy machine: compare CPU times rather than wall times)"
                if max(loads) > (data["environment"]["cpus"] or 1)
                else ""
            )
            + ".\n"
        )
    header += "\n"
    report = header + text + (f"\n{note}\n" if note else "")
    (args.out / "results.md").write_text(report, encoding="utf-8")
    (args.out / "results.json").write_text(json.dumps(data, indent=2, default=str) + "\n")
    print()
    print(report)
    print(f"written: {args.out / 'results.md'}, {args.out / 'results.json'}", end="")
    print(f", {args.out / 'growth.png'}" if not note else "")
    failed = [r for r in data["results"] if r["returncode"]]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
