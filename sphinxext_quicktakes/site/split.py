"""``quicktakes site --split subject``: one Sphinx project per subject, and a hub.

Each subject is a site of its own (its list pages and its question pages), built into
``OUT/<subject>/``; the hub (the home page: subjects and the newest questions) is built
into ``OUT/``. They link to each other through intersphinx: every project ships, in its
generated sources, the ``objects.inv`` of every subject, written from the scan before
anything is built (the same entries Sphinx writes: a test compares them). So any project
builds alone, in any order, on any machine, and its links to the others resolve in one
pass: related questions in other subjects, the hub's list of the newest questions.
"""

from __future__ import annotations

import os
import re
import urllib.parse
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import labels
from ..cli import Checked
from ..domain import object_names
from ..globs import escape, posix
from ..placement import automatic_label, distinct
from .outputs import SITEMAP
from .project import (
    QUESTIONS_PREFIX,
    Project,
    SiteOptions,
    Subject,
    common_conf,
    home_page,
    newest,
    newest_date,
    page_name,
    subject_of,
    subject_page,
    subjects,
)

HUB = "hub"  # the hub's folder in the cache; subjects use their slugs
INVENTORIES = "_inventories"  # in each generated project: every subject's objects.inv


@dataclass
class SplitSite:
    """The generated projects: the hub and one per subject, each with where it is built
    (relative to the output folder: ``""`` for the hub, the slug for a subject)."""

    hub: Project
    subjects: dict[str, Project]  # slug -> project
    sources: dict[str, list[str]]  # cache folder -> the question files its project reads

    def projects(self) -> list[tuple[str, str, Project]]:
        """``(cache folder, output folder, project)``, subjects first, the hub last."""
        return [(slug, slug, p) for slug, p in self.subjects.items()] + [(HUB, "", self.hub)]


def question_docname(path: str, bank: str) -> str:
    """A question page's document, as in the single site: ``questions/<path in the bank>``."""
    relative = posix(os.path.relpath(path, bank))
    return f"{QUESTIONS_PREFIX}/{relative.removesuffix('.md')}"


def inventory(project: str, entries: Iterable[tuple[str, str, str, str]]) -> bytes:
    """An ``objects.inv`` (version 2) of ``(name, type, uri, display name)`` entries."""

    def one_line(value: str) -> str:
        return re.sub(r"\s+", " ", value)

    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {one_line(project)}\n"
        "# Version: \n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    lines = []
    for name, kind, uri, display in sorted(entries):
        shown = "-" if display == name else one_line(display)
        lines.append(f"{name} {kind} -1 {uri} {shown}\n")
    return header.encode() + zlib.compress("".join(lines).encode(), 9)


def subject_inventory(subject: str, pages: Sequence[Checked], bank: str) -> bytes:
    """What Sphinx will list in a subject's ``objects.inv`` for intersphinx: each question
    page by key and by slug (as the ``quicktakes`` domain does), and the first list page."""
    entries = [("index", "std:doc", "index.html", subject)]
    for question in distinct(pages):
        key = question.identity.key
        uri = f"{question_docname(question.path, bank)}.html#{automatic_label(key)}"
        the_id = key if question.identity.by_id else ""
        for name in object_names(key, the_id, question.slug):
            entries.append((name, "quicktakes:question", uri, question.heading))
    return inventory(subject, entries)


def page_patterns(
    files: Sequence[str], all_files: Sequence[str], bank: str, srcdir: str
) -> dict[str, list[str]]:
    """``quicktakes_pages`` for a subject's files, relative to ``srcdir``, keeping the
    single site's documents: a folder whose files are all the subject's by one pattern,
    other files one by one."""
    by_folder: dict[str, list[str]] = defaultdict(list)
    for path in files:
        by_folder[os.path.dirname(path)].append(path)
    in_folder: dict[str, int] = defaultdict(int)
    for path in all_files:
        in_folder[os.path.dirname(path)] += 1

    def pattern(path: str) -> str:
        return escape(posix(os.path.relpath(path, srcdir)))

    patterns: dict[str, list[str]] = {}
    for folder, paths in sorted(by_folder.items()):
        relative = posix(os.path.relpath(folder, bank))
        prefix = QUESTIONS_PREFIX if relative == "." else f"{QUESTIONS_PREFIX}/{relative}"
        if len(paths) == in_folder[folder]:
            patterns[prefix] = [pattern(folder) + "/*.md"]
        else:
            patterns[prefix] = [pattern(p) for p in sorted(paths)]
    return patterns


def subject_url(options: SiteOptions, slug: str) -> str:
    """Where a subject's site is published: ``--subject-url`` with ``{subject}`` filled in,
    else ``<base URL>/<subject>/``; empty without a base URL."""
    if options.subject_url:
        return options.subject_url.replace("{subject}", slug)
    return f"{options.base_url.rstrip('/')}/{slug}/" if options.base_url else ""


def _intersphinx(found: Sequence[Subject], here: str, options: SiteOptions) -> str:
    """``intersphinx_mapping`` to every other subject, from where this project is (links
    are relative when the sites are not published yet)."""
    mapping = {}
    for subject in found:
        if subject.slug == here:
            continue
        target = subject_url(options, subject.slug)
        if not target:
            target = subject.slug if here == "" else f"../{subject.slug}"
        mapping[subject.slug] = (target, f"{INVENTORIES}/{subject.slug}.inv")
    return f"intersphinx_mapping = {mapping!r}"


def _sitemaps(found: Sequence[Subject], options: SiteOptions) -> dict[str, str]:
    """The subjects' sitemaps, for the hub's sitemap index: where each is published, with
    the date of its newest listed question (none without a base URL: no sitemaps then)."""
    sitemaps = {}
    for subject in found:
        published = subject_url(options, subject.slug)
        if urllib.parse.urlsplit(published).scheme in {"http", "https"}:
            sitemaps[published.rstrip("/") + "/" + SITEMAP] = newest_date(subject.questions)
    return sitemaps


def generate_split(
    questions: Sequence[Checked], files: Sequence[str], bank: str | Path, root: str | Path,
    options: SiteOptions,
) -> SplitSite:  # fmt: skip
    """The hub and the subject projects for ``questions`` (``files``: every question file
    of the bank, broken ones too), their sources to be written under ``root``."""
    bank, root = os.path.abspath(bank), os.path.abspath(root)
    labels.use_language(options.language)
    found = subjects(questions, bank)
    pages: dict[str, list[Checked]] = defaultdict(list)  # every question has a page
    slug_of = {s.name.casefold(): s.slug for s in found}
    for question in questions:
        slug = slug_of.get(subject_of(question, bank).casefold())
        if slug is not None:
            pages[slug].append(question)
    inventories = {
        f"{INVENTORIES}/{s.slug}.inv": subject_inventory(s.name, pages[s.slug], bank) for s in found
    }

    def conf(here: str, srcdir: str, extra: list[str]) -> str:
        lines = [
            *common_conf(options, questions, bank, srcdir),
            'extensions.append("sphinx.ext.intersphinx")',
            _intersphinx(found, here, options),
            *extra,
        ]
        url = subject_url(options, here) if here else options.base_url
        if url:
            lines.append(f"html_baseurl = {url.rstrip('/') + '/'!r}")
        return "\n".join(lines) + "\n"

    hub_src = os.path.join(root, HUB, "src")
    everything = escape(posix(os.path.relpath(bank, hub_src))) + "/**/*.md"
    latest = [q.path for q in newest(questions, options.newest)]
    hub_conf = [
        f"quicktakes_pages_elsewhere = {[everything]!r}",
        f"quicktakes_sitemaps_elsewhere = {_sitemaps(found, options)!r}",
    ]
    hub = Project(
        {
            "conf.py": conf("", hub_src, hub_conf),
            "index.md": home_page(
                options.title, found, latest, hub_src, lambda s: f"inv:{s.slug}:std:doc#index"
            ),
            **inventories,
        },
        found,
        (),
    )
    projects = {}
    for subject in found:
        srcdir = os.path.join(root, subject.slug, "src")
        patterns = page_patterns([q.path for q in pages[subject.slug]], files, bank, srcdir)
        extra = [
            f"project = {f'{options.title}: {subject.name}'!r}",
            f"quicktakes_pages = {patterns!r}",
        ]
        project_files: dict[str, str | bytes] = {
            "conf.py": conf(subject.slug, srcdir, extra),
            **inventories,
        }
        lists = subject.pages(options.page_size)
        for number, page in enumerate(lists, 1):
            project_files[f"{page_name(number)}.md"] = subject_page(
                subject, number, len(lists), page, srcdir
            )
        projects[subject.slug] = Project(project_files, [subject], ("page-*.md",))
    sources = {slug: [q.path for q in pages[slug]] for slug in projects}
    sources[HUB] = latest  # the hub's list reads the newest questions' files
    return SplitSite(hub, projects, sources)
