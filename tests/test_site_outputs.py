"""``sphinxext_quicktakes.site``: sitemap.xml, Atom feeds, robots.txt and llms.txt, built from
the environment, so an incremental build writes the same files as a fresh one.

Expected values come from the question files of ``tests/questions/site`` (read here with
python-frontmatter) and from the pages written below, never from the code under test.
"""

from __future__ import annotations

import re
import shutil
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import frontmatter
import pytest

from sphinxext_quicktakes.site import slugify, subject_slugs

from .conftest import QUESTIONS, sphinx_build, write_project

BASE = "https://course.example/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"

PAGES = {
    "index.rst": "Home\n====\n\n.. toctree::\n\n   biology\n   physics\n   about\n",
    "biology.rst": "Biology\n=======\n\n.. quicktake:: questions/good/osmosis.md\n\n"
    ".. quicktakes:: questions/site/*.md\n   :subject: Biology\n   :display: list\n",
    "physics.rst": "Physics\n=======\n\n.. quicktake:: questions/good/maxwell.md\n\n"
    ".. quicktakes:: questions/site/*.md\n   :subject: Physics\n   :display: list\n",
    # the question pages of economie.md and hidden.md are in no toctree and no list
    "about.rst": "About\n=====\n\nSee :quicktake:`930006` and :quicktake:`930005`.\n",
}
QUESTION_FILES = ("good/osmosis.md", "good/maxwell.md", "site")
CONF = "extensions = ['sphinxext_quicktakes.site']\nquicktakes_pages = ['questions/site/*.md']\n"
WITH_BASE = CONF + f"quicktakes_base_url = {BASE!r}\n"

#: file of tests/questions -> its page (on a page of its own) or page#anchor
PLACES = {
    "good/osmosis.md": "biology.html#quicktake-900001",
    "good/maxwell.md": "physics.html#quicktake-900002",
    **{
        f"site/{name}.md": f"questions/site/{name}.html"
        for name in ("cells", "enzymes", "orbits", "undated", "hidden", "economie")
    },
}
#: every question of the project but the no_index one, newest first, undated last
NEWEST_FIRST = [
    "site/orbits.md",  # 2025-05-20
    "site/economie.md",  # 2025-04-02
    "site/cells.md",  # 2025-03-15
    "good/osmosis.md",  # 2025-02-04
    "site/enzymes.md",  # 2024-12-01
    "good/maxwell.md",  # 2024-11-18
    "site/undated.md",  # no date
]
SITE_FILES = ("sitemap*.xml", "atom.xml", "feeds/*", "robots.txt", "llms.txt", "llms/*")


def meta(name: str) -> dict:
    """The front matter of a question file of ``tests/questions``."""
    return frontmatter.load(QUESTIONS / name).metadata


def date(name: str) -> str:
    value = meta(name).get("date")
    return str(value)[:10] if value else ""


def description(name: str) -> str:
    return " ".join(meta(name)["seo"]["page_description"].split())


def build_site(
    root: Path, conf: str = WITH_BASE, *options: str, builder: str = "html"
) -> tuple[Path, str]:
    """Write the project into ``root/src`` (once) and build it into ``root/out``."""
    if not (root / "src").exists():
        write_project(root / "src", PAGES, conf, QUESTION_FILES)
    done = sphinx_build(root / "src", root / "out", *options, builder=builder)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return root / "out", done.stdout + done.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The project built with a base URL (``-W``): the output folder and the log."""
    return build_site(tmp_path_factory.mktemp("site"), WITH_BASE, "-W", "--keep-going")


def parse(path: Path) -> ET.Element:
    """An XML file, read by expat: it must be well-formed, with the XML declaration."""
    data = path.read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n'), data[:60]
    return ET.fromstring(data)


def urls(root: ET.Element) -> list[tuple[str, str | None]]:
    """``(loc, lastmod)`` of a ``<urlset>``."""
    assert root.tag == f"{SITEMAP}urlset"
    found = []
    for url in root:
        assert url.tag == f"{SITEMAP}url"
        assert {child.tag for child in url} <= {f"{SITEMAP}loc", f"{SITEMAP}lastmod"}
        lastmod = url.find(f"{SITEMAP}lastmod")
        found.append((url.findtext(f"{SITEMAP}loc"), None if lastmod is None else lastmod.text))
    return found


def expected_sitemap(base: str = BASE, suffix: str = ".html") -> list[tuple[str, str | None]]:
    """Reading order: the toctree, then the other documents (question pages) by name;
    the no_index question's page left out."""

    def loc(page: str) -> str:
        if suffix == "/":  # dirhtml
            return base + ("" if page == "index" else page + "/")
        return base + page + suffix

    def newest(*names: str) -> str:
        return max(date(name) for name in names)

    return [
        (loc("index"), None),
        # osmosis in full; cells and enzymes (subject "biology") in the list
        (loc("biology"), newest("good/osmosis.md", "site/cells.md", "site/enzymes.md")),
        # maxwell in full; orbits and the undated question in the list
        (loc("physics"), newest("good/maxwell.md", "site/orbits.md")),
        (loc("about"), None),
        (loc("questions/site/cells"), date("site/cells.md")),
        (loc("questions/site/economie"), date("site/economie.md")),
        (loc("questions/site/enzymes"), date("site/enzymes.md")),
        (loc("questions/site/orbits"), date("site/orbits.md")),
        (loc("questions/site/undated"), None),
    ]


def site_files(outdir: Path) -> dict[str, bytes]:
    found = {path for pattern in SITE_FILES for path in outdir.glob(pattern)}
    return {str(path.relative_to(outdir)): path.read_bytes() for path in sorted(found)}


# -- names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "slug"),
    [
        ("Biology", "biology"),
        ("Computer Science", "computer-science"),
        ("Économie & Société", "economie-societe"),
        ("Straße", "strasse"),
        ("../../etc/passwd", "etc-passwd"),
        (".hidden", "hidden"),
        ("C:\\Windows\\System32", "c-windows-system32"),
        ("化学", "subject"),
        ("", "subject"),
        ("NUL", "subject-nul"),
        ("word " * 30, "-".join(["word"] * 12)),
    ],
)
def test_slugify(subject: str, slug: str) -> None:
    assert slugify(subject) == slug
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) and len(slug) <= 60


def test_subject_slugs_are_distinct_and_independent_of_order() -> None:
    subjects = ["C++", "C", "c#", "Biology", "biology", "BIOLOGY"]
    expected = {"biology": "biology", "c": "c", "c#": "c-2", "c++": "c-3"}
    assert subject_slugs(subjects) == expected
    assert subject_slugs(reversed(subjects)) == expected


# -- sitemap.xml ------------------------------------------------------------------------


def test_sitemap_lists_every_page_with_its_newest_question_date(site) -> None:
    outdir, log = site
    assert urls(parse(outdir / "sitemap.xml")) == expected_sitemap()
    assert not list(outdir.glob("sitemap-*.xml"))
    assert "WARNING" not in log


def test_sitemap_index_past_the_maximum(tmp_path: Path) -> None:
    outdir, _ = build_site(tmp_path, WITH_BASE + "quicktakes_sitemap_max_urls = 4\n")
    index = parse(outdir / "sitemap.xml")
    assert index.tag == f"{SITEMAP}sitemapindex"
    expected = expected_sitemap()  # 9 URLs: 4 + 4 + 1
    parts = [expected[0:4], expected[4:8], expected[8:]]
    assert len(index) == 3
    for number, (item, part) in enumerate(zip(index, parts, strict=True), start=1):
        assert item.tag == f"{SITEMAP}sitemap"
        assert item.findtext(f"{SITEMAP}loc") == f"{BASE}sitemap-{number}.xml"
        dates = [lastmod for _, lastmod in part if lastmod]
        assert item.findtext(f"{SITEMAP}lastmod") == (max(dates) if dates else None)
        assert urls(parse(outdir / f"sitemap-{number}.xml")) == part


# -- Atom feeds -------------------------------------------------------------------------


def entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


def check_entry(entry: ET.Element, name: str) -> None:
    """Every field of a feed entry, from the question file ``name``."""
    front = meta(name)
    url = BASE + PLACES[name]
    assert entry.findtext(f"{ATOM}id") == url
    assert entry.findtext(f"{ATOM}title") == front["title"]
    links = entry.findall(f"{ATOM}link")
    assert [(link.get("rel"), link.get("href")) for link in links] == [("alternate", url)]
    if date(name):
        assert entry.findtext(f"{ATOM}updated") == f"{date(name)}T00:00:00Z"
    if "seo" in front:
        assert entry.findtext(f"{ATOM}summary") == description(name)
    authors = [author.findtext(f"{ATOM}name") for author in entry.findall(f"{ATOM}author")]
    assert authors == ([front["author"]] if front.get("author") else [])
    terms = [category.get("term") for category in entry.findall(f"{ATOM}category")]
    assert terms == [front["subject"]]


def test_site_feed_newest_first_without_no_index(site) -> None:
    outdir, _ = site
    feed = parse(outdir / "atom.xml")
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert feed.findtext(f"{ATOM}id") == BASE + "atom.xml"
    assert feed.findtext(f"{ATOM}title") == "Test"
    assert feed.findtext(f"{ATOM}updated") == f"{date(NEWEST_FIRST[0])}T00:00:00Z"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": BASE + "atom.xml", "alternate": BASE + "index.html"}
    # one entry has no author: the feed has one (RFC 4287), the project's title
    assert [a.findtext(f"{ATOM}name") for a in feed.findall(f"{ATOM}author")] == ["Test"]

    found = entries(feed)
    assert [e.findtext(f"{ATOM}id") for e in found] == [BASE + PLACES[n] for n in NEWEST_FIRST]
    for entry, name in zip(found, NEWEST_FIRST, strict=True):
        check_entry(entry, name)
    hidden = meta("site/hidden.md")["title"]
    assert hidden not in (outdir / "atom.xml").read_text("utf-8")
    # the undated question: last, dated like the oldest entry; summed up by its answer's
    # first sentence without math (it has no description)
    undated = found[-1]
    assert undated.findtext(f"{ATOM}updated") == f"{date('good/maxwell.md')}T00:00:00Z"
    summary = undated.findtext(f"{ATOM}summary")
    assert summary and summary.startswith("One newton gives a mass of one kilogram")


def test_a_feed_per_subject(site) -> None:
    outdir, _ = site
    feeds = sorted(path.name for path in (outdir / "feeds").iterdir())
    assert feeds == ["biology.xml", "economie-societe.xml", "physics.xml"]
    by_subject = {
        # "Biology" and "biology" are one subject, named as first met in reading order
        "biology.xml": ("Biology", ["site/cells.md", "good/osmosis.md", "site/enzymes.md"]),
        "physics.xml": ("Physics", ["site/orbits.md", "good/maxwell.md", "site/undated.md"]),
        "economie-societe.xml": (meta("site/economie.md")["subject"], ["site/economie.md"]),
    }
    for file, (subject, names) in by_subject.items():
        feed = parse(outdir / "feeds" / file)
        assert feed.findtext(f"{ATOM}title") == f"Test — {subject}"
        assert feed.findtext(f"{ATOM}id") == f"{BASE}feeds/{file}"
        self_link = feed.find(f"{ATOM}link[@rel='self']")
        assert self_link is not None and self_link.get("href") == f"{BASE}feeds/{file}"
        assert feed.findtext(f"{ATOM}updated") == f"{date(names[0])}T00:00:00Z"
        for entry, name in zip(entries(feed), names, strict=True):
            check_entry(entry, name)


def test_feed_entries_limit(tmp_path: Path) -> None:
    outdir, _ = build_site(tmp_path, WITH_BASE + "quicktakes_feed_entries = 2\n")
    found = entries(parse(outdir / "atom.xml"))
    assert [e.findtext(f"{ATOM}id") for e in found] == [
        BASE + PLACES[name] for name in NEWEST_FIRST[:2]
    ]
    assert len(entries(parse(outdir / "feeds" / "physics.xml"))) == 2


# -- robots.txt -------------------------------------------------------------------------


def test_robots_points_at_the_sitemap(site) -> None:
    outdir, _ = site
    robots = (outdir / "robots.txt").read_text("utf-8")
    assert robots == f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n"


def test_robots_of_the_project_is_kept(tmp_path: Path) -> None:
    conf = WITH_BASE + "html_extra_path = ['extra']\n"
    write_project(tmp_path / "src", PAGES, conf, QUESTION_FILES)
    (tmp_path / "src" / "extra").mkdir()
    outdir, log = build_site(tmp_path)  # ours, while the project has none
    assert "Sitemap:" in (outdir / "robots.txt").read_text("utf-8")
    own = "User-agent: *\nDisallow: /drafts/\n"
    (tmp_path / "src" / "extra" / "robots.txt").write_text(own, "utf-8")
    for _ in range(2):  # the project's, then again when it is already in the output
        outdir, log = build_site(tmp_path)
        assert (outdir / "robots.txt").read_text("utf-8") == own
        assert log.count("robots.txt is the project's own") == 1


# -- llms.txt ---------------------------------------------------------------------------

LINK = re.compile(r"- \[((?:\\.|[^\\\]])*)\]\(([^)\s]+)\)(?:: (.*))?")


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def sections(text: str) -> dict[str, list[tuple[str, str]]]:
    """llms.txt's ``## Section`` lists as (link text, URL) pairs; checks the lines between."""
    found: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = unescape(line[3:])
            found[current] = []
        elif line and current is not None:
            match = LINK.fullmatch(line)
            assert match, line
            found[current].append((unescape(match.group(1)), match.group(2)))
    return found


def test_llms_txt_outlines_the_subjects(site) -> None:
    outdir, _ = site
    text = (outdir / "llms.txt").read_text("utf-8")
    head = text.split("\n## ")[0].splitlines()
    assert head[0] == "# Test" and head[1] == ""
    assert head[2] == "> Questions and answers: 7 questions in 3 subjects."
    economie = meta("site/economie.md")["subject"]
    by_subject = {
        "Biology": ("biology", ["good/osmosis.md", "site/cells.md", "site/enzymes.md"]),
        "Physics": ("physics", ["good/maxwell.md", "site/orbits.md", "site/undated.md"]),
        economie: ("economie-societe", ["site/economie.md"]),
    }
    found = sections(text)
    assert list(found) == list(by_subject)
    for subject, (slug, names) in by_subject.items():
        file_link, *links = found[subject]
        assert file_link[1] == f"{BASE}llms/{slug}.md"
        assert links == [(meta(name)["title"], BASE + PLACES[name]) for name in names]
    # the heading with brackets and angle brackets is escaped, not cut short
    assert r"- [Are enzymes \[always\] \<proteins\> & catalysts?](" in text
    assert meta("site/hidden.md")["title"] not in text


def test_llms_subject_files_hold_the_answers(site) -> None:
    outdir, _ = site
    assert sorted(p.name for p in (outdir / "llms").iterdir()) == [
        "biology.md",
        "economie-societe.md",
        "physics.md",
    ]
    text = (outdir / "llms" / "biology.md").read_text("utf-8")
    assert text.startswith("# Test — Biology\n")
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    names = ["good/osmosis.md", "site/cells.md", "site/enzymes.md"]
    assert [unescape(h) for h in headings] == [meta(name)["title"] for name in names]
    for name in names:
        url = BASE + PLACES[name]
        assert f"Source: [{url}]({url}) · {date(name)}\n" in text
    # the answer's Markdown, its headings under the question's, code left alone
    assert "\n#### Surface and volume\n" in text
    assert "\n# not a heading: a comment in a code block\n" in text
    assert "Dividing keeps each cell small enough to feed itself." in text
    # footnotes of different answers cannot collide
    assert "[^quicktake-900001-1]: A semipermeable membrane." in text
    assert meta("site/hidden.md")["title"] not in text


# -- without a base URL, dirhtml, selection -----------------------------------------------


def test_without_a_base_url(tmp_path: Path) -> None:
    outdir, log = build_site(tmp_path, CONF, "-W", "--keep-going")
    assert log.count("no base URL") == 1
    assert "sitemap.xml and the Atom feeds are not written" in log
    assert not (outdir / "sitemap.xml").exists() and not (outdir / "atom.xml").exists()
    assert not (outdir / "feeds").exists()
    assert (outdir / "robots.txt").read_text("utf-8") == "User-agent: *\nAllow: /\n"
    # relative links: from the root in llms.txt, from llms/ in the subject files
    found = sections((outdir / "llms.txt").read_text("utf-8"))
    assert found["Biology"][0][1] == "llms/biology.md"
    assert found["Biology"][1][1] == PLACES["good/osmosis.md"]
    text = (outdir / "llms" / "biology.md").read_text("utf-8")
    cells = PLACES["site/cells.md"]
    assert f"Source: [{cells}](../{cells}) · {date('site/cells.md')}\n" in text


def test_dirhtml_urls(tmp_path: Path) -> None:
    outdir, _ = build_site(tmp_path, builder="dirhtml")
    assert urls(parse(outdir / "sitemap.xml")) == expected_sitemap(suffix="/")
    feed = parse(outdir / "atom.xml")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries(feed)]
    assert ids[0] == BASE + "questions/site/orbits/"
    assert BASE + "biology/#quicktake-900001" in ids
    alternate = feed.find(f"{ATOM}link[@rel='alternate']")
    assert alternate is not None and alternate.get("href") == BASE


def test_outputs_are_chosen_and_checked(tmp_path: Path) -> None:
    outdir, _ = build_site(tmp_path / "one", WITH_BASE + "quicktakes_site_outputs = ['robots']\n")
    assert list(site_files(outdir)) == ["robots.txt"]
    # robots.txt names no sitemap that is not written
    assert "Sitemap" not in (outdir / "robots.txt").read_text("utf-8")

    conf = WITH_BASE + "quicktakes_site_outputs = ['sitemap', 'rss']\n"
    outdir, log = build_site(tmp_path / "two", conf)
    assert "quicktakes_site_outputs = ['sitemap', 'rss'] is not valid" in log
    assert "[quicktakes.config]" in log
    assert {"sitemap.xml", "atom.xml", "robots.txt", "llms.txt"} <= set(site_files(outdir))


def test_bank_text_cannot_choose_file_names_or_break_xml(tmp_path: Path) -> None:
    root = tmp_path / "site"
    write_project(root / "src", PAGES, WITH_BASE, QUESTION_FILES)
    heading = "]]></title><script>alert(1)</script> & [link](javascript:x)"
    (root / "src" / "questions" / "site" / "evil.md").write_text(
        f"---\nid: 930099\ndate: 2026-01-01\ntitle: '{heading}'\nquestion: Evil?\n"
        "answer: Plain.\nsubject: '../../../.ssh/Authorized Keys'\n---\n",
        "utf-8",
    )
    outdir, _ = build_site(root)
    assert (outdir / "feeds" / "ssh-authorized-keys.xml").is_file()
    assert (outdir / "llms" / "ssh-authorized-keys.md").is_file()
    assert not list(tmp_path.glob("**/.ssh"))
    first = entries(parse(outdir / "atom.xml"))[0]
    assert first.findtext(f"{ATOM}title") == heading
    category = first.find(f"{ATOM}category")
    assert category is not None and category.get("term") == "../../../.ssh/Authorized Keys"
    found = sections((outdir / "llms.txt").read_text("utf-8"))
    assert found["../../../.ssh/Authorized Keys"][1] == (heading, BASE + "questions/site/evil.html")


# -- incremental builds ----------------------------------------------------------------


def edit(path: Path, change: Callable[[str], str]) -> None:
    time.sleep(0.01)  # a later mtime than the previous build's
    path.write_text(change(path.read_text("utf-8")), "utf-8")


def assert_same_as_fresh(root: Path, tmp_path: Path, step: str) -> dict[str, bytes]:
    """Build ``root`` again (incrementally, a new process, the same output folder) and a
    copy of its sources from scratch: the same site files, byte for byte."""
    build_site(root)
    fresh = tmp_path / f"fresh-{step}"
    shutil.copytree(root / "src", fresh / "src")
    build_site(fresh)
    incremental, scratch = site_files(root / "out"), site_files(fresh / "out")
    assert list(incremental) == list(scratch), step
    stale = [name for name in scratch if incremental[name] != scratch[name]]
    assert stale == [], f"after {step}: {stale} differ from a fresh build"
    return incremental


def test_incremental_builds_write_the_same_files(tmp_path: Path) -> None:
    root = tmp_path / "site"
    conf = WITH_BASE + "quicktakes_sitemap_max_urls = 4\n"  # the split files too
    _, log = build_site(root, conf)
    first = site_files(root / "out")
    assert {"sitemap-3.xml", "feeds/economie-societe.xml", "llms/physics.md"} <= set(first)

    # nothing changed: nothing read, the same files
    _, log = build_site(root)
    assert "0 added, 0 changed, 0 removed" in log
    assert assert_same_as_fresh(root, tmp_path, "no change") == first

    # one question file edited: its date (now the newest) and heading
    orbits = root / "src" / "questions" / "site" / "orbits.md"
    edit(orbits, lambda text: text.replace("2025-05-20", "2025-09-09").replace("Moon", "moon"))
    files = assert_same_as_fresh(root, tmp_path, "edit")
    assert b"<updated>2025-09-09T00:00:00Z</updated>" in files["atom.xml"]
    assert b"Why does the moon not fall" in files["llms.txt"]

    # a subject gone (its only question moved to another): its files go too
    economie = root / "src" / "questions" / "site" / "economie.md"
    subject = meta("site/economie.md")["subject"]
    edit(economie, lambda text: text.replace(f"subject: {subject}", "subject: Physics"))
    files = assert_same_as_fresh(root, tmp_path, "subject gone")
    assert "feeds/economie-societe.xml" not in files and "llms/economie-societe.md" not in files


def test_files_of_unchanged_questions_are_not_written_again(tmp_path: Path) -> None:
    """quicktakes.json and a subject's Markdown file are rewritten only when what they
    show changed (they read every answer); the others keep their bytes and times."""
    root = tmp_path / "site"
    out, _ = build_site(root)

    def times() -> dict[str, int]:
        names = ["quicktakes.json", *(str(p.relative_to(out)) for p in out.glob("llms/*.md"))]
        return {name: (out / name).stat().st_mtime_ns for name in names}

    before = times()
    assert "llms/physics.md" in before
    build_site(root)  # nothing changed
    assert times() == before
    orbits = root / "src" / "questions" / "site" / "orbits.md"
    edit(orbits, lambda text: text.replace("Moon", "moon"))
    build_site(root)
    after = times()
    changed = {name for name in after if after[name] != before[name]}
    # (a subject whose questions share a page read again with the edited one is written
    # again too: the page's reading time is what tells)
    assert {"quicktakes.json", "llms/physics.md"} <= changed and changed != set(after)
    assert "Why does the moon not fall" in (out / "llms" / "physics.md").read_text("utf-8")
