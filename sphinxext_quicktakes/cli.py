"""``quicktakes check``: validate question files without running Sphinx.

Uses the same model and rules as the extension (the loader, the date formatter, the
newline decoder) and prints one line per problem, ``path:line: subtype: message``. File
names and messages are printed with anything not printable escaped (``\\n``, ``\\x1b``), so
a hostile file name cannot break the one-line format or colour the terminal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import signal
import sys
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import partial
from typing import TextIO

from . import __version__
from .errors import QuickTakesError, Subtype, printable
from .globs import matches_tail, walk
from .model import DEFAULT_MAX_FILE_SIZE, Question, load_question
from .placement import Identity, id_conflicts

SUFFIXES = (".md",)
#: Files per task sent to a worker process, and the fewest files worth starting workers
#: for when ``--jobs`` is not given (starting them costs more than checking a few files).
CHUNK_SIZE = 200
MIN_PARALLEL_FILES = 200


@dataclass(frozen=True)
class Problem:
    """One finding of ``check``."""

    path: str
    line: int | None
    subtype: str
    severity: str  # "error": the file cannot be shown; "warning": a detail is lost
    message: str

    def text(self) -> str:
        """One line: ``path:line: subtype: message``, escaped by :func:`printable`."""
        return f"{printable(self.path)}:{self.line or 1}: {self.subtype}: {printable(self.message)}"


def question_files(paths: Sequence[str], exclude: Sequence[str] = ()) -> Iterator[str]:
    """The files named, and the ``.md`` files under the folders named, in sorted order,
    less those matching an ``exclude`` pattern (the glob dialect of :mod:`.globs`, matched
    against the path or any trailing part of it). Symlinked folders are not followed (no
    loops, no wandering out of the tree); folders starting with a dot are skipped."""
    for path in paths:
        if os.path.isdir(path):
            for found in walk(path):
                if found.endswith(SUFFIXES) and not _excluded(found, exclude):
                    yield found
        elif not _excluded(path, exclude):
            yield path


def _excluded(path: str, patterns: Sequence[str]) -> bool:
    return any(matches_tail(path, pattern) for pattern in patterns)


def check_file(
    path: str, unescape: bool | str, max_file_size: int
) -> tuple[Question | None, list[Problem]]:
    """Load one file: the question (or None) and its problems."""
    try:
        question = load_question(path, unescape=unescape, max_file_size=max_file_size)  # type: ignore[arg-type]
    except QuickTakesError as error:
        return None, [Problem(path, error.line, error.subtype.value, "error", error.message)]
    problems = [
        Problem(path, p.line, p.subtype.value, "warning", p.message) for p in question.problems
    ]
    return question, problems


@dataclass(frozen=True)
class Checked:
    """What the duplicate-id check and ``quicktakes site`` need of a loaded question
    (small to send between processes, unlike the whole :class:`~.model.Question`)."""

    path: str
    id: str | int | None
    id_line: int | None
    identity: Identity
    heading: str = ""
    subject: str = ""
    date: dt.date | None = None
    no_index: bool = False
    author: str = ""
    slug: str = ""

    @classmethod
    def of(cls, question: Question) -> Checked:
        return cls(
            question.path,
            question.id,
            question.lines.get("id"),
            question.identity,
            question.heading,
            question.subject,
            question.date,
            question.no_index,
            question.author,
            question.slug,
        )


def check_one(
    path: str, unescape: bool | str, max_file_size: int
) -> tuple[Checked | None, list[Problem]]:
    """:func:`check_file`, keeping only what ``check`` reports (run in worker processes)."""
    question, problems = check_file(path, unescape, max_file_size)
    return (Checked.of(question) if question is not None else None), problems


def duplicate_ids(questions: Sequence[Checked]) -> list[Problem]:
    """Same id with a different answer in two files (the extension warns the same way)."""
    return [
        Problem(
            other.path,
            other.id_line,
            Subtype.DUPLICATE_ID.value,
            "warning",
            f"id {other.id!r} is also used by {first.path} with a different answer",
        )
        for first, other in id_conflicts(questions)
    ]


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the main process, which stops them (no traceback per worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _workers(jobs: int | None, files: int) -> int:
    """How many worker processes to use; 1 checks in this process."""
    if jobs is None:
        if files < MIN_PARALLEL_FILES:
            return 1
        jobs = os.cpu_count() or 1
    return max(1, min(jobs, files))


def _pool(workers: int) -> Executor | None:
    """A process pool, or None where processes cannot be started (then check in-process)."""
    try:
        return ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupt)
    except (OSError, ImportError, NotImplementedError):
        return None


class Progress:
    """A one-line progress bar on a terminal; silent otherwise."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.stream = total, stream
        self.enabled = total > 1 and stream.isatty()

    def update(self, done: int) -> None:
        if self.enabled and (done == self.total or done % 50 == 0):
            width = 30
            filled = width * done // self.total
            self.stream.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{self.total}")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 50 + "\r")
            self.stream.flush()


#: what :func:`scan` found in each file, with the file's :func:`stamp`
Checks = dict[str, tuple[tuple[int, ...], tuple[Checked | None, list[Problem]]]]


def stamp(path: str) -> tuple[int, ...]:
    """What changes when a file is edited or replaced (``()``: it cannot be read)."""
    try:
        st = os.stat(path)
    except OSError:
        return ()
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino


def scan(
    files: Sequence[str],
    *,
    unescape: bool | str = "auto",
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    jobs: int | None = None,
    progress: Progress | None = None,
    known: Checks | None = None,
) -> tuple[list[Checked], list[Problem]]:
    """Load every file, in worker processes when there are many: what was loaded, in the
    order of ``files``, and every problem (ids used twice included), sorted by file and
    line. ``known``: the results of a previous scan with the same options, by file and
    :func:`stamp`; unchanged files are not read again, and it is updated. Ctrl-C stops
    the workers and raises ``KeyboardInterrupt``."""
    check = partial(check_one, unescape=unescape, max_file_size=max_file_size)
    stamps = {path: stamp(path) for path in files} if known is not None else {}
    unchanged = {f for f in files if known and stamps[f] and known.get(f, ((),))[0] == stamps[f]}
    todo = [f for f in files if f not in unchanged]
    workers = _workers(jobs, len(todo))
    pool = _pool(workers) if workers > 1 else None
    checked: Iterable[tuple[Checked | None, list[Problem]]]
    if pool is None:
        checked = map(check, todo)
    else:
        chunk = max(1, min(CHUNK_SIZE, -(-len(todo) // (workers * 4))))
        checked = pool.map(check, todo, chunksize=chunk)
    fresh: dict[str, tuple[Checked | None, list[Problem]]] = {}
    interrupted = False
    if progress is not None:
        progress.total = len(todo)
    try:
        for done, (path, result) in enumerate(zip(todo, checked, strict=True), 1):
            fresh[path] = result
            if progress is not None:
                progress.update(done)
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        if pool is not None:  # after Ctrl-C, drop the files not started and do not wait
            pool.shutdown(wait=not interrupted, cancel_futures=interrupted)
        if progress is not None:
            progress.close()
    if known is not None:  # the unchanged files' results; then this scan is the known one
        fresh.update((path, known[path][1]) for path in unchanged)
        known.clear()
        known.update((path, (stamps[path], fresh[path])) for path in files)
    problems: list[Problem] = []
    questions: list[Checked] = []
    for path in files:
        question, found = fresh[path]
        problems += found
        if question is not None:
            questions.append(question)
    problems += duplicate_ids(questions)
    problems.sort(key=lambda p: (p.path, p.line or 0))
    return questions, problems


def json_printable(text: str) -> str:
    """JSON text with every character that is not printable (but the newlines of the
    indentation) written as a ``\\uXXXX`` escape: ``json.dumps`` escapes C0 controls only,
    and would leave DEL, C1 controls (``\\x9b`` starts a terminal command), line separators
    and bidi overrides raw. Printable non-ASCII stays readable; the data is unchanged."""
    if text.replace("\n", "").isprintable():
        return text
    return "".join(ch if ch == "\n" or ch.isprintable() else json.dumps(ch)[1:-1] for ch in text)


def _size(value: str) -> int:
    size = int(value)
    if size < 0:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or a number of bytes")
    return size


def _jobs(value: str) -> int:
    jobs = int(value)
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return jobs


def _unescape(value: str) -> bool | str:
    return "auto" if value == "auto" else value == "true"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quicktakes", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate question files and folders")
    check.add_argument("paths", nargs="+", help="question files, or folders to search for .md")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="warnings fail the check too")
    check.add_argument(
        "--max-file-size",
        type=_size,
        default=DEFAULT_MAX_FILE_SIZE,
        help="refuse larger files (bytes; 0: no limit)",
    )
    check.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="PATTERN",
        help="skip files matching this glob (path or file name), e.g. README.md; repeatable",
    )
    check.add_argument("--unescape-newlines", choices=("auto", "true", "false"), default="auto")
    check.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=None,
        metavar="N",
        help="check files in N processes (default: the number of CPUs; 1: no extra process)",
    )
    site = commands.add_parser("site", help="build a course site from a folder of questions")
    from .site.command import add_arguments

    add_arguments(site)
    return parser


def console() -> int:
    """The ``quicktakes`` script: :func:`main`, and no freeing of what it leaves at exit (a
    site build leaves gigabytes of objects in reference cycles, which Python would free
    one by one at exit, half a minute at 36,000 pages; the system reclaims them at once)."""
    code = main()
    gc.freeze()  # the collections at exit pass over what is frozen
    return code


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    """Run the command line; the exit code: 0 clean, 1 problems, 2 usage, 130 interrupted."""
    out = stdout or sys.stdout
    args = build_parser().parse_args(argv)
    if args.command == "site":
        from .site.command import run

        args.argv = list(sys.argv[1:] if argv is None else argv)  # for --serve's rebuilds
        return run(args, out, sys.stderr)
    files = list(question_files(args.paths, args.exclude))
    progress = Progress(len(files) if args.format == "text" else 0, sys.stderr)
    try:
        _, problems = scan(
            files,
            unescape=_unescape(args.unescape_newlines),
            max_file_size=args.max_file_size,
            jobs=args.jobs,
            progress=progress,
        )
    except KeyboardInterrupt:
        sys.stderr.write("quicktakes check: interrupted\n")
        return 130
    problems.sort(key=lambda p: (p.path, p.line or 0))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if args.format == "json":
        report = {
            "files": len(files),
            "errors": errors,
            "warnings": warnings,
            "problems": [asdict(p) for p in problems],
        }
        out.write(json_printable(json.dumps(report, ensure_ascii=False, indent=2)) + "\n")
    else:
        for problem in problems:
            out.write(problem.text() + "\n")
        bad = len({p.path for p in problems})
        out.write(
            f"checked {len(files)} file{'s' * (len(files) != 1)}: {errors} error"
            f"{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
            + (f" in {bad} file{'s' * (bad != 1)}" if bad else "")
            + "\n"
        )
    return 1 if errors or (args.strict and warnings) else 0
