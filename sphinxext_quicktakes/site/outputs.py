"""Files for search engines and readers at the root of an HTML site: ``sitemap.xml``, Atom
feeds, ``robots.txt``, ``llms.txt`` and one Markdown file per subject.

Everything is built at ``build-finished`` from the environment (the ``quicktakes`` domain and
Sphinx's list of documents), never from the pages written by this build: after an
incremental build, or one with nothing to do, the files are complete and byte-identical to
those of a fresh build. No file carries the build time.

Bank text (headings, descriptions, subjects, authors) reaches XML only through
:mod:`xml.etree.ElementTree`, Markdown link text only through :func:`link_text`, and file
names only through :func:`.names.subject_slugs`.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from .. import labels
from ..config import Option, is_positive_int, register_options
from ..details import Details
from ..domain import QuickTakesDomain, get_domain
from ..export import kept_answer
from ..head import WEB_BUILDERS, base_url
from ..placement import FALLBACK, PAGE, QuestionRecord
from .names import subject_slugs

logger = logging.getLogger(__name__)

#: Builders that get site files: one page per document (singlehtml has a single page).
SITE_BUILDERS = WEB_BUILDERS - {"singlehtml"}
OUTPUTS = ("sitemap", "feeds", "robots", "llms")

SITEMAP, SITEMAP_PART = "sitemap.xml", "sitemap-{number}.xml"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_LIMIT = 50_000  # URLs in one sitemap file (sitemaps.org protocol 0.9)
ATOM, FEEDS_FOLDER = "atom.xml", "feeds"
ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NO_DATE = "1970-01-01"  # an Atom entry needs a date: undated questions when no question has one
ROBOTS = "robots.txt"
LLMS, LLMS_FOLDER = "llms.txt", "llms"
MANIFEST = "quicktakes-site-files.json"  # beside the doctrees: what the last build wrote
LLMS_STATES = "quicktakes-llms.json"  # beside the doctrees: what each subject file showed
#: The names of files this module writes (a manifest naming anything else is not obeyed).
_OUR_FILES = re.compile(
    r"(?:sitemap(?:-[0-9]+)?\.xml|atom\.xml|robots\.txt|llms\.txt"
    r"|feeds/[a-z0-9-]+\.xml|llms/[a-z0-9-]+\.md)"
)

#: Characters kept as they are in the paths of URLs (the rest is percent-encoded); not the
#: parentheses, which would end a Markdown link.
_URL_SAFE = "/-._~!$&'*+,;=:@"
#: Characters that XML 1.0 does not allow (C0 controls, surrogates, U+FFFE and U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MARKDOWN_SPECIAL = re.compile(r"([\\\[\]<>`])")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")


def valid_outputs(value: Any) -> bool:
    """A list of names from :data:`OUTPUTS`."""
    return isinstance(value, list | tuple) and all(item in OUTPUTS for item in value)


def valid_sitemap_size(value: Any) -> bool:
    return is_positive_int(value) and value <= SITEMAP_LIMIT


def valid_sitemaps(value: Any) -> bool:
    """Absolute http(s) URLs of sitemaps, each with the date of its newest page or ``""``."""
    return isinstance(value, dict) and all(
        isinstance(url, str)
        and urllib.parse.urlsplit(url).scheme in {"http", "https"}
        and isinstance(date, str)
        for url, date in value.items()
    )


OPTIONS: tuple[Option, ...] = (
    Option(
        "quicktakes_site_outputs",
        list(OUTPUTS),
        "",
        (list, tuple),
        "Which site files the sphinxext_quicktakes.site extension writes into HTML and "
        "dirhtml builds: 'sitemap' (sitemap.xml), 'feeds' (atom.xml and feeds/<subject>.xml), "
        "'robots' (robots.txt) and 'llms' (llms.txt and llms/<subject>.md).",
        valid=valid_outputs,
    ),
    Option(
        "quicktakes_feed_entries",
        50,
        "",
        (int,),
        "How many questions, newest first, each Atom feed holds.",
        valid=is_positive_int,
    ),
    Option(
        "quicktakes_sitemap_max_urls",
        SITEMAP_LIMIT,
        "",
        (int,),
        "The most URLs in one sitemap file (at most 50000, the protocol's limit); past it "
        "the URLs go to sitemap-1.xml, sitemap-2.xml... and sitemap.xml is their index.",
        valid=valid_sitemap_size,
    ),
    Option(
        "quicktakes_sitemaps_elsewhere",
        {},
        "",
        (dict,),
        "Sitemaps of other projects of the same site (``{url: date of its newest page}``, the "
        "date may be empty): sitemap.xml becomes a sitemap index listing them after this "
        "project's own (sitemap-1.xml...). quicktakes site --split subject sets it in the hub.",
        valid=valid_sitemaps,
    ),
)


def feed_path(slug: str) -> str:
    """The Atom feed of the subject with this slug, relative to the output root."""
    return f"{FEEDS_FOLDER}/{slug}.xml"


def llms_path(slug: str) -> str:
    """The Markdown file of the subject with this slug, relative to the output root."""
    return f"{LLMS_FOLDER}/{slug}.md"


# -- what the files are made of ----------------------------------------------------------


@dataclass
class Subject:
    """The listed questions of one subject, in reading order."""

    name: str  # as first written in reading order
    slug: str
    records: list[QuestionRecord] = field(default_factory=list)


@dataclass
class Site:
    """What the files are made of: the site's pages and its listed questions."""

    app: Sphinx
    domain: QuickTakesDomain
    base: str  # with a trailing slash; empty when unknown
    #: every question once, at its canonical place, in reading order; not ``no_index`` ones
    listed: list[QuestionRecord]

    @classmethod
    def of(cls, app: Sphinx) -> Site:
        domain = get_domain(app.env)
        listed = [record for record in domain.where().distinct if not record.no_index]
        return cls(app, domain, base_url(app), listed)

    @property
    def title(self) -> str:
        return " ".join(str(self.app.config.project).split())

    def page_uri(self, docname: str) -> str:
        """A document's URL relative to the output root, percent-encoded."""
        target = self.app.builder.get_target_uri(docname).split("#")[0]
        return urllib.parse.quote(target, safe=_URL_SAFE)

    def question_uri(self, record: QuestionRecord) -> str:
        """Where a question is: its page, with the anchor unless it is a page of its own."""
        page = self.page_uri(record.docname)
        return page if record.kind == PAGE else f"{page}#{record.anchor}"

    def absolute(self, uri: str) -> str:
        """``uri`` (relative to the output root) as an absolute URL (needs a base URL)."""
        return self.base + uri

    def link(self, uri: str, depth: int = 0) -> str:
        """A link to ``uri`` from a file ``depth`` folders below the output root: absolute
        with a base URL, else relative."""
        if self.base:
            return self.absolute(uri)
        return "../" * depth + uri or "./"

    @property
    def author(self) -> str:
        """The project's ``author``, else its title (Sphinx's default says it is not set)."""
        author = " ".join(str(self.app.config.author).split())
        unset = author == self.app.config.values["author"].default
        return self.title if unset or not author else author

    @property
    def home(self) -> str:
        return self.page_uri(self.app.config.root_doc)

    def subjects(self) -> list[Subject]:
        """The listed questions by subject (case-insensitive; questions without one under
        "Other"), subjects in sorted order."""
        by_key: dict[str, Subject] = {}
        for record in self.listed:
            name = record.subject or labels.other_subject()
            by_key.setdefault(name.casefold(), Subject(name, "")).records.append(record)
        slugs = subject_slugs(by_key)
        for key, subject in by_key.items():
            subject.slug = slugs[key]
        return [by_key[key] for key in sorted(by_key)]

    def page_dates(self) -> dict[str, str]:
        """Each page's newest question date: the questions shown on it (a list's fallback
        rendering only where it is kept) and those its list entries link to."""
        where = self.domain.where()
        newest: dict[str, str] = {}

        def note(docname: str, date: str) -> None:
            if date > newest.get(docname, ""):
                newest[docname] = date

        for record in where.records:
            place = where.find(record.key) if record.kind == FALLBACK else record
            if place is record:
                note(record.docname, record.date)
        for docname, keys in self.domain.listings.items():
            for key in keys:
                if (place := where.find(key)) is not None:
                    note(docname, place.date)
        return newest

    def pages(self) -> list[str]:
        """Every document in reading order, less those marked ``noindex``."""
        pages = self.domain.pages
        return [
            docname
            for docname in self.domain.reading_order()
            if docname in self.app.env.all_docs
            and not (docname in pages and pages[docname].noindex)
        ]


def summary(record: QuestionRecord, details: Details) -> str:
    """A question in a sentence: its description, else the automatic one, else the first
    sentence of its answer, else the question."""
    first_sentence = "".join(text for _, text in details.summary)
    for text in (details.description, details.auto_description, first_sentence, record.question):
        if text.strip():
            return " ".join(text.split())
    return ""


def newest_first(records: Iterable[QuestionRecord]) -> list[QuestionRecord]:
    """By date, newest first; undated last; ties in the given order."""
    return sorted(records, key=lambda record: record.date, reverse=True)  # stable


# -- XML ---------------------------------------------------------------------------------


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (the serializer escapes the
    rest)."""
    return _NOT_XML.sub("", text)


def sub(parent: ET.Element, tag: str, text: str = "", **attributes: str) -> ET.Element:
    """A child element, its text and attributes made XML-safe."""
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attributes.items()})
    if text:
        element.text = xml_text(text)
    return element


def xml_document(root: ET.Element) -> str:
    """An XML file: the declaration, then ``root`` indented (its ``xmlns`` attribute
    makes its namespace the default one of the file)."""
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


# -- sitemap.xml -------------------------------------------------------------------------


def sitemap_files(site: Site) -> dict[str, str]:
    """``sitemap.xml``; past ``quicktakes_sitemap_max_urls`` URLs, ``sitemap-N.xml`` files
    and ``sitemap.xml`` as their index."""
    dates = site.page_dates()
    entries = [
        (site.absolute(site.page_uri(docname)), dates.get(docname, "")) for docname in site.pages()
    ]
    size = site.app.config.quicktakes_sitemap_max_urls
    parts = [entries[start : start + size] for start in range(0, len(entries), size)]
    elsewhere = site.app.config.quicktakes_sitemaps_elsewhere
    if len(parts) <= 1 and not elsewhere:
        return {SITEMAP: urlset(entries)}
    files, listed = {}, []
    for number, part in enumerate(parts, start=1):
        name = SITEMAP_PART.format(number=number)
        files[name] = urlset(part)
        listed.append((site.absolute(name), max((date for _, date in part), default="")))
    index = ET.Element("sitemapindex", xmlns=SITEMAP_NS)
    for loc, newest in [*listed, *elsewhere.items()]:
        item = sub(index, "sitemap")
        sub(item, "loc", loc)
        if newest:
            sub(item, "lastmod", newest)
    files[SITEMAP] = xml_document(index)
    return files


def urlset(entries: Sequence[tuple[str, str]]) -> str:
    """A ``<urlset>`` of ``(loc, lastmod)``, no ``<lastmod>`` where the date is empty."""
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    for loc, lastmod in entries:
        url = sub(root, "url")
        sub(url, "loc", loc)
        if lastmod:
            sub(url, "lastmod", lastmod)
    return xml_document(root)


# -- Atom feeds --------------------------------------------------------------------------


def feed_files(site: Site) -> dict[str, str]:
    """``atom.xml`` (the whole site) and ``feeds/<subject>.xml``; none without questions."""
    if not site.listed:
        return {}
    files = {ATOM: feed(site, site.listed, ATOM, site.title)}
    for subject in site.subjects():
        path = feed_path(subject.slug)
        files[path] = feed(site, subject.records, path, f"{site.title} — {subject.name}")
    return files


def feed(site: Site, records: Sequence[QuestionRecord], path: str, title: str) -> str:
    """An Atom feed of the newest questions of ``records``."""
    config = site.app.config
    entries = newest_first(records)[: config.quicktakes_feed_entries]
    dated = [record.date for record in entries if record.date]
    newest, oldest = (dated[0], dated[-1]) if dated else (NO_DATE, NO_DATE)
    root = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: config.language or "en"})
    sub(root, "id", site.absolute(path))
    sub(root, "title", title)
    sub(root, "updated", timestamp(newest))
    sub(root, "link", rel="self", type="application/atom+xml", href=site.absolute(path))
    sub(root, "link", rel="alternate", type="text/html", href=site.absolute(site.home))
    if not all(record.author for record in entries):  # RFC 4287: a feed-level author
        sub(sub(root, "author"), "name", site.author)
    for record in entries:
        url = site.absolute(site.question_uri(record))
        entry = sub(root, "entry")
        sub(entry, "id", url)
        sub(entry, "title", " ".join(record.heading.split()))
        sub(entry, "updated", timestamp(record.date or oldest))
        sub(entry, "link", rel="alternate", type="text/html", href=url)
        if text := summary(record, site.domain.details(record)):
            sub(entry, "summary", text)
        if record.author:
            sub(sub(entry, "author"), "name", record.author)
        if record.subject:
            sub(entry, "category", term=record.subject)
    return xml_document(root)


def timestamp(date: str) -> str:
    """An ISO date as an RFC 3339 date-time, at midnight UTC."""
    return f"{date}T00:00:00Z"


# -- robots.txt --------------------------------------------------------------------------


def robots_file(sitemap: str) -> str:
    """Every crawler allowed everywhere; the sitemap's absolute URL when there is one."""
    lines = ["User-agent: *", "Allow: /"]
    if sitemap:
        lines.append(f"Sitemap: {sitemap}")
    return "\n".join(lines) + "\n"


def robots_of_project(app: Sphinx) -> bool:
    """Whether ``html_extra_path`` puts a ``robots.txt`` at the root of the output."""
    for entry in app.config.html_extra_path:
        path = Path(app.confdir, entry)
        if (path.name == ROBOTS and path.is_file()) or (path / ROBOTS).is_file():
            return True
    return False


# -- llms.txt ----------------------------------------------------------------------------


def link_text(text: str) -> str:
    """Bank text as one line of Markdown that cannot end a link's text early or open
    raw HTML: whitespace runs made one space, ``\\ [ ] < > ` `` escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def in_subject_file(markdown: str, prefix: str) -> str:
    """An answer's Markdown made to sit under its question's ``##`` in a file of many
    answers: ATX headings two levels deeper (at most ``######``) and footnote labels
    prefixed (``[^1]`` is ``[^prefix-1]``); code fences left alone."""
    lines, fence = [], ""
    for line in markdown.splitlines():
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
        elif opening:
            fence = opening.group(1)
        else:
            line = _ATX_HEADING.sub(lambda m: m.group(1) + "#" * min(6, len(m.group(2)) + 2), line)
            line = _FOOTNOTE.sub(lambda m: f"[^{prefix}-{m.group(1)}]", line)
        lines.append(line)
    return "\n".join(lines)


def llms_files(site: Site) -> dict[str, str | None]:
    """``llms.txt`` (llmstxt.org): the site's outline, a section per subject linking its
    Markdown file and its questions; and ``llms/<subject>.md`` with every question of the
    subject and its answer."""
    subjects = site.subjects()
    count = len(site.listed)
    lines = [f"# {link_text(site.title)}", "", f"> {labels.llms_summary(count, len(subjects))}"]
    files: dict[str, str | None] = {}
    states_file = Path(site.app.doctreedir, LLMS_STATES)
    try:
        previous = json.loads(states_file.read_text("utf-8"))
    except (OSError, ValueError):
        previous = {}
    states = {}
    for subject in subjects:
        path = llms_path(subject.slug)
        states[path] = subject_state(site, subject)
        written = Path(site.app.outdir, path)
        if isinstance(previous, dict) and previous.get(path) == states[path] and written.is_file():
            files[path] = None  # as written before: no answer of it is read again
        else:
            files[path] = subject_markdown(site, subject)
        lines += [
            "",
            f"## {link_text(subject.name)}",
            "",
            f"- [{link_text(labels.subject_file(subject.name))}]({site.link(path)}): "
            f"{labels.subject_file_holds(len(subject.records))}",
        ]
        lines += [
            f"- [{link_text(record.heading)}]({site.link(site.question_uri(record))})"
            for record in subject.records
        ]
    states_file.write_text(json.dumps(states, sort_keys=True), "utf-8")
    return {LLMS: "\n".join(lines) + "\n", **files}


def subject_state(site: Site, subject: Subject) -> str:
    """A fingerprint of what a subject's Markdown file shows: each question's place, and
    when its page was read (its answer cannot have changed since)."""
    read = site.app.env.all_docs
    parts = [site.title, site.base]
    for record in subject.records:
        uri = site.question_uri(record)
        parts.append(repr((uri, record.heading, record.date, read.get(record.docname))))
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def subject_markdown(site: Site, subject: Subject) -> str:
    """Every question of a subject: heading, URL and date, the answer's Markdown."""
    lines = [f"# {link_text(site.title)} — {link_text(subject.name)}"]
    for record in subject.records:
        uri = site.question_uri(record)
        shown = site.absolute(uri) if site.base else uri
        source = f"{labels.source()}: [{shown}]({site.link(uri, depth=1)})"
        answer = in_subject_file(kept_answer(site.app, record)["markdown"], record.anchor)
        lines += ["", f"## {link_text(record.heading)}", ""]
        lines.append(f"{source} · {record.date}" if record.date else source)
        if answer.strip():
            lines += ["", answer.strip()]
    return "\n".join(lines) + "\n"


# -- writing -----------------------------------------------------------------------------


def site_files(app: Sphinx) -> dict[str, str | None]:
    """Every site file the configuration asks for: path (relative to the output root) ->
    text (None: unchanged since the previous build wrote it). Without a base URL, no
    sitemap and no feeds (one notice)."""
    site = Site.of(app)
    wanted = app.config.quicktakes_site_outputs
    files: dict[str, str | None] = {}
    if not site.base and {"sitemap", "feeds"} & set(wanted):
        logger.info(
            "quicktakes: no base URL (quicktakes_base_url, html_baseurl or "
            "READTHEDOCS_CANONICAL_URL): sitemap.xml and the Atom feeds are not written"
        )
    if site.base and "sitemap" in wanted:
        files.update(sitemap_files(site))
    if site.base and "feeds" in wanted:
        files.update(feed_files(site))
    if "robots" in wanted:
        sitemap = site.absolute(SITEMAP) if SITEMAP in files else ""
        files[ROBOTS] = robots_file(sitemap)
    if "llms" in wanted:
        files.update(llms_files(site))
    return files


def write_site_files(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` handler: write the site files, and remove those the previous
    build wrote that are not written any more (a subject gone, fewer sitemap parts)."""
    if exception is not None or app.builder.name not in SITE_BUILDERS:
        return
    outdir, manifest = Path(app.outdir), Path(app.doctreedir, MANIFEST)
    previous = written_before(manifest)
    files = site_files(app)
    kept: set[str] = set()
    if ROBOTS in files and (
        robots_of_project(app) or ((outdir / ROBOTS).exists() and ROBOTS not in previous)
    ):
        logger.info("quicktakes: robots.txt is the project's own; it is left as it is")
        del files[ROBOTS]
        kept.add(ROBOTS)
    for name, text in files.items():
        if text is None:
            continue
        path = outdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    for name in sorted(previous - files.keys() - kept):
        (outdir / name).unlink(missing_ok=True)
    manifest.write_text(json.dumps(sorted(files), indent=0) + "\n", encoding="utf-8")


def written_before(manifest: Path) -> set[str]:
    """The site files the previous build wrote (only names this module writes)."""
    try:
        names = json.loads(manifest.read_text("utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(names, list):
        return set()
    return {name for name in names if isinstance(name, str) and _OUR_FILES.fullmatch(name)}


def setup_outputs(app: Sphinx) -> None:
    """Register the options and the writer."""
    register_options(app, OPTIONS)
    app.connect("build-finished", write_site_files)
