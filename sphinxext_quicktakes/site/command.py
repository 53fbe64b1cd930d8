"""``quicktakes site QUESTIONS_DIR``: build a course site from a folder of question files.

The folder is scanned as ``quicktakes check`` does (its problems are reported the same
way), a Sphinx project is generated for it in a cache folder (never in the question
folder), and Sphinx builds it into ``-o OUT``. Runs are incremental: the generated pages
are rewritten only when they change, and the doctrees stay in the cache.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import importlib.util
import os
import pickle
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .. import __version__
from ..cli import Checked, Checks, Problem, Progress, question_files, scan, stamp
from ..policy import inside
from .project import (
    BOOK_NAME,
    DEFAULT_THEME,
    FALLBACK_THEME,
    Project,
    SiteOptions,
    generate,
    generate_book,
)
from .split import SplitSite, generate_split

CACHE_VARIABLE = "QUICKTAKES_CACHE_DIR"
REQUIREMENTS = "sphinxext-quicktakes[site]\n"  # what an ejected split site is built with


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``site`` command's arguments."""
    parser.add_argument("questions", metavar="QUESTIONS_DIR", help="the folder of question files")
    parser.add_argument("-o", "--output", default="_site", metavar="OUT", help="default: _site")
    parser.add_argument("--title", default=SiteOptions.title, help="the site's title")
    parser.add_argument(
        "--theme", default=None, help=f"any installed Sphinx theme (default: {DEFAULT_THEME})"
    )
    parser.add_argument(
        "--base-url",
        default="",
        metavar="URL",
        help="where the site is published (canonical URLs, sitemap and feeds need it)",
    )
    parser.add_argument("--language", default="en", help="the site's language (default: en)")
    parser.add_argument(
        "--answers",
        default="inline",
        choices=("inline", "hidden", "end-of-page", "appendix", "omit"),
        help="where answers go (default: inline)",
    )
    parser.add_argument(
        "--search",
        default="full",
        choices=("full", "titles"),
        help="what the search index holds: whole answers, or headings and first paragraphs",
    )
    parser.add_argument(
        "--page-size", type=_positive, default=100, metavar="N", help="questions per list page"
    )
    parser.add_argument(
        "--jobs", "-j", type=_positive, default=1, metavar="N", help="build in N processes"
    )
    parser.add_argument(
        "--pdf", action="store_true", help="also a PDF book, one chapter per subject (LaTeX)"
    )
    parser.add_argument("--epub", action="store_true", help="also an EPUB book")
    parser.add_argument(
        "--serve",
        action="store_true",
        help="build, serve on localhost and rebuild when a file changes (sphinx-autobuild)",
    )
    parser.add_argument("--port", type=int, default=8000, help="--serve's port (default: 8000)")
    parser.add_argument(
        "--split",
        choices=("subject",),
        help="one Sphinx project per subject, and a hub, linked through intersphinx "
        "(each can be built on its own machine)",
    )
    parser.add_argument(
        "--subject-url",
        default="",
        metavar="URL",
        help="with --split: where each subject's site is published, {subject} standing for "
        "its name in URLs (default: BASE_URL/{subject}/)",
    )
    parser.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--eject",
        metavar="DIR",
        help="write the generated Sphinx project into DIR (build it with sphinx-build)",
    )


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def cache_dir(bank: str, output: str) -> Path:
    """Where the generated project and its doctrees live between runs: one folder per
    question folder and output (``$QUICKTAKES_CACHE_DIR``, else the user's cache)."""
    root = os.environ.get(CACHE_VARIABLE) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "quicktakes"
    )
    key = hashlib.sha256(f"{bank}\0{output}".encode()).hexdigest()[:16]
    return Path(root, "sites", key)


CHECKS_FILE = "checks.pickle"  # in the cache folder: what the last scan found


def load_checks(cache: Path) -> Checks:
    """The previous run's scan (empty when there is none, or another version wrote it)."""
    try:
        with open(cache / CHECKS_FILE, "rb") as f:
            version, known = pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        return {}
    return known if version == _checks_version() and isinstance(known, dict) else {}


def _checks_version() -> tuple[str, ...]:
    """The scan cache holds :class:`.Checked` objects: another version or shape of them
    makes it stale."""
    return (__version__, *(f.name for f in dataclasses.fields(Checked)))


def save_checks(cache: Path, known: Checks) -> None:
    """Keep the scan for the next run (written whole, then renamed into place)."""
    cache.mkdir(parents=True, exist_ok=True)
    temporary = cache / f"{CHECKS_FILE}.{os.getpid()}"
    with open(temporary, "wb") as f:
        pickle.dump((_checks_version(), known), f, pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, cache / CHECKS_FILE)


def theme_or_fallback(theme: str | None, err: TextIO) -> str:
    """The theme asked for; without one, the default theme if installed, else Sphinx's."""
    if theme:
        return theme
    try:
        __import__(DEFAULT_THEME)
    except ImportError:
        err.write(
            f"quicktakes site: the {DEFAULT_THEME} theme is not installed (pip install "
            f"'sphinxext-quicktakes[site]'); using {FALLBACK_THEME}\n"
        )
        return FALLBACK_THEME
    return DEFAULT_THEME


def report(problems: Sequence[Problem], err: TextIO) -> int:
    """Print the problems as ``quicktakes check`` does; the number of broken files."""
    for problem in problems:
        err.write(problem.text() + "\n")
    return len({p.path for p in problems if p.severity == "error"})


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``quicktakes site``; the exit code."""
    bank = os.path.abspath(args.questions)
    if not os.path.isdir(bank):
        err.write(f"quicktakes site: {args.questions}: not a folder\n")
        return 2
    options = SiteOptions(
        title=args.title,
        theme=theme_or_fallback(args.theme, err),
        base_url=args.base_url,
        language=args.language,
        answers=args.answers,
        search=args.search,
        page_size=args.page_size,
        subject_url=args.subject_url,
    )
    output = os.path.abspath(args.output)
    cache = cache_dir(bank, output)
    if inside(output, [bank]) or inside(str(cache), [bank]):
        err.write("quicktakes site: the output and the cache must be outside the question folder\n")
        return 2
    files = list(question_files([bank]))
    known = load_checks(cache)
    try:
        questions, problems = scan(
            files, jobs=args.jobs, progress=Progress(len(files), err), known=known
        )
    except KeyboardInterrupt:
        err.write("quicktakes site: interrupted\n")
        return 130
    save_checks(cache, known)
    broken = report(problems, err)

    if args.split and args.serve:
        err.write("quicktakes site: --serve builds one project; leave out --split\n")
        return 2
    if args.eject:
        target = os.path.abspath(args.eject)
        if inside(target, [bank]):
            err.write("quicktakes site: --eject must not write into the question folder\n")
            return 2
        if args.split:
            split = generate_split(questions, files, bank, target, options)
            for folder, _built, project in split.projects():
                project.write(os.path.join(target, folder, "src"))
            Path(target, "requirements.txt").write_text(REQUIREMENTS, "utf-8")
            out.write(
                f"wrote {len(split.subjects)} subject projects and the hub to {args.eject}; "
                f"build each with: sphinx-build {os.path.join(args.eject, '<name>', 'src')} "
                "OUT/<name> (the hub into OUT)\n"
            )
            return 1 if broken else 0
        generate(questions, bank, target, options).write(target)
        out.write(
            f"wrote the Sphinx project to {args.eject}; build it with: "
            f"sphinx-build {args.eject} {os.path.join(args.eject, '_build', 'html')}\n"
        )
        return 1 if broken else 0

    if args.split:
        status = build_split(generate_split(questions, files, bank, cache / "split", options),
                             cache / "split", output, args.jobs)  # fmt: skip
    else:
        srcdir = cache / "src"
        generate(questions, bank, srcdir, options).write(srcdir)
        if args.prepare_only:  # --serve's step before each rebuild
            return 0
        if args.serve:
            return serve(args, bank, srcdir, cache / "doctrees", output, err)
        status = build(srcdir, cache / "doctrees", output, "html", args.jobs)
    books = []
    if args.pdf or args.epub:
        bookdir = cache / "book"
        generate_book(questions, bank, bookdir, options).write(bookdir)
        for wanted, make, name in ((args.pdf, "latexpdf", "pdf"), (args.epub, "epub", "epub")):
            if wanted:
                made_status = book(bookdir, cache / "book-build", make, args.jobs)
                status = status or made_status
                made = cache / "book-build" / ("latex" if name == "pdf" else "epub")
                made = made / f"{BOOK_NAME}.{name}"
                if made.is_file():
                    shutil.copyfile(made, Path(output, made.name))
                    books.append(made.name)
    if status == 0:
        out.write(summary(output, len(questions), broken, books))
    return 1 if status or broken else 0


def serve(
    args: argparse.Namespace, bank: str, srcdir: Path, doctrees: Path, output: str, err: TextIO
) -> int:
    """Build, serve on localhost and rebuild when a question file changes: sphinx-autobuild,
    which runs this command with ``--prepare-only`` before each build (new files, new
    subjects, changed dates give new list pages)."""
    if importlib.util.find_spec("sphinx_autobuild") is None:
        err.write(
            "quicktakes site: --serve needs sphinx-autobuild: "
            "pip install 'sphinxext-quicktakes[site]'\n"
        )
        return 2
    prepare = [sys.executable, "-m", "sphinxext_quicktakes", *args.argv, "--prepare-only"]
    command = [
        sys.executable, "-m", "sphinx_autobuild", str(srcdir), output,
        "-d", str(doctrees), "-j", str(args.jobs),
        "--watch", bank, "--pre-build", shlex.join(prepare),
        "--host", "127.0.0.1", "--port", str(args.port),
    ]  # fmt: skip
    try:  # unbuffered: its progress and address show at once, also through a pipe
        return subprocess.call(command, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    except KeyboardInterrupt:
        return 130


def build_split(site: SplitSite, cache: Path, output: str, jobs: int) -> int:
    """Build every subject project into ``OUT/<subject>``, then the hub into ``OUT``; the
    first non-zero exit code (each project is built even when another fails). A project
    whose sources and question files are as at its last clean build (no warning) is not
    built again: an edit rebuilds its subject, and the hub when its list changes."""
    status = 0
    for folder, built, project in site.projects():
        srcdir, done = cache / folder / "src", cache / folder / BUILT_FILE
        project.write(srcdir)
        state = project_state(project, site.sources[folder])
        target = Path(output, built)
        if (target / "index.html").is_file() and _read_text(done) == state:
            continue
        warnings = cache / folder / "warnings.txt"
        made = build(srcdir, cache / folder / "doctrees", str(target), "html", jobs,
                     "-w", str(warnings))  # fmt: skip
        clean = made == 0 and not _read_text(warnings).strip()
        if clean:
            done.write_text(state, "utf-8")
        else:
            done.unlink(missing_ok=True)
        status = status or made
    return status


BUILT_FILE = "built.state"  # in a split project's cache folder: its last clean build


def project_state(project: Project, sources: Sequence[str]) -> str:
    """A fingerprint of what a project is built from: its generated files and the
    :func:`~.cli.stamp` of each question file it reads."""
    digest = hashlib.blake2b(digest_size=16)
    for name, content in sorted(project.files.items()):
        data = content.encode() if isinstance(content, str) else content
        digest.update(f"{name}\0{len(data)}\0".encode() + data)
    for path in sorted(sources):
        digest.update(f"{path}\0{stamp(path)}\0".encode())
    return digest.hexdigest()


def _read_text(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except OSError:
        return ""


def book(srcdir: Path, builddir: Path, target: str, jobs: int) -> int:
    """``sphinx-build -M target`` (``latexpdf`` runs latexmk), in this process."""
    from sphinx.cmd.make_mode import run_make_mode

    return run_make_mode([target, str(srcdir), str(builddir), "-j", str(jobs)])


def build(srcdir: Path, doctrees: Path, output: str, builder: str, jobs: int, *options: str) -> int:
    """Sphinx, in this process, showing its progress; its exit code."""
    from sphinx.cmd.build import build_main

    argv = ["-b", builder, "-d", str(doctrees), "-j", str(jobs), *options, str(srcdir), output]
    return build_main(argv)


def summary(output: str, questions: int, broken: int, books: Sequence[str] = ()) -> str:
    index = Path(output, "searchindex.js")
    size = index.stat().st_size if index.is_file() else 0
    lines = [
        f"site: {os.path.join(output, 'index.html')} ({questions:,} questions; "
        f"searchindex.js {size / 1024:,.0f} KB)"
    ]
    lines += [f"book: {os.path.join(output, name)}" for name in books]
    if broken:
        lines.append(f"{broken} broken file{'s' * (broken != 1)} left out (see above)")
    return "\n".join(lines) + "\n"
