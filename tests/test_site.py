"""``quicktakes site``: a folder of question files (some broken) becomes a Sphinx site,
built through the command line as a teacher would run it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from sphinx.search.en import SearchEnglish

from .conftest import pdf_text, search_index, sphinx_build

# (folder, file, id, date, subject, heading, first paragraph, second paragraph)
BANK = [
    (
        "",
        "tides.md",
        801,
        "2024-03-01",
        "Ocean science",
        "Why are there two tides a day?",
        "Moonpull stretches the ocean on both sides.",
        "Earthspin carries a coast through both bulges.",
    ),
    (
        "",
        "waves.md",
        802,
        "2024-05-20",
        "Ocean science",
        "What sets the speed of a wave?",
        "Depthrule governs shallow water waves.",
        "Deepwater waves depend on wavelength.",
    ),
    (
        "",
        "salinity.md",
        803,
        "2023-11-11",
        "Ocean science",
        "Why is the sea salty?",
        "Rockwash brings dissolved salts.",
        "Evaporation leaves the salt behind.",
    ),
    (
        "",
        "vectors.md",
        804,
        "2024-01-15",
        "Mathematics",
        "What is a vector?",
        "Arrowthing has size and direction.",
        "Components describe it in a basis.",
    ),
    (
        "algebra",
        "groups.md",
        805,
        "2024-02-02",
        "",
        "What is a group?",
        "Closureword names a set with an operation.",
        "Inverses undo the operation.",
    ),
    (
        "",
        "draft.md",
        806,
        "2024-06-01",
        "Mathematics",
        "Draft: what is a ring?",
        "Ringdraft is not finished.",
        "More later.",
    ),
]
NO_INDEX = {"draft.md"}


def question_file(
    id_: int, date: str, subject: str, heading: str, first: str, second: str, no_index: bool
) -> str:
    subject_line = f"subject: {subject}\n" if subject else ""
    return (
        "---\n"
        f"id: {id_}\n"
        f"date: {date}\n"
        f"title: {json.dumps(heading)}\n"
        "date_format: MMM DD, YYYY\n"
        "post_on_text: Posted on\n"
        "author: A. Teacher\n"
        f"question: >-\n    {heading}\n"
        f"answer: >-\n    {first}\\n\\n{second}\n"
        f"{subject_line}"
        f"{'no_index: true' + chr(10) if no_index else ''}"
        "---\n\n&nbsp;\n"
    )


def make_bank(root: Path) -> Path:
    bank = root / "bank"
    for folder, name, id_, date, subject, heading, first, second in BANK:
        path = bank / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            question_file(id_, date, subject, heading, first, second, name in NO_INDEX), "utf-8"
        )
    (bank / "broken.md").write_text("---\nid: 900\nanswer: [unclosed\n---\n", "utf-8")
    return bank


def site_env(cache: Path) -> dict[str, str]:
    """The command's environment: its own cache, and no colour (Sphinx colours its output
    when CI is set, and the tests read that output)."""
    return {**os.environ, "QUICKTAKES_CACHE_DIR": str(cache), "NO_COLOR": "1"}


def site(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinxext_quicktakes", "site", *args],
        capture_output=True,
        text=True,
        env=site_env(cache),
    )


def html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def listed(page: Path) -> list[str]:
    """The questions a list page links to, in order."""
    return [a.get_text(" ", strip=True) for a in html(page).select(".quicktakes li a")]


def search_words(out: Path) -> set[str]:
    return set(search_index(out)["terms"])


def stem(word: str) -> str:
    """A word as Sphinx's English search index keeps it."""
    return SearchEnglish({}).stem(word.lower())


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("site")
    bank = make_bank(root)
    before = snapshot(bank)
    out, cache = root / "out", root / "cache"
    first = site(
        str(bank),
        "-o",
        str(out),
        "--page-size",
        "2",
        "--theme",
        "alabaster",
        "--title",
        "Sea & Maths [demo]",
        cache=cache,
    )
    return {
        "root": root,
        "bank": bank,
        "out": out,
        "cache": cache,
        "first": first,
        "before": before,
    }


def test_broken_files_named_as_check_does_and_the_rest_built(built) -> None:
    first = built["first"]
    assert first.returncode == 1, first.stderr
    assert "Traceback" not in first.stderr
    check = subprocess.run(
        [sys.executable, "-m", "sphinxext_quicktakes", "check", str(built["bank"])],
        capture_output=True,
        text=True,
    )
    problem_lines = [line for line in check.stdout.splitlines() if "broken.md" in line]
    assert problem_lines and all(line in first.stderr for line in problem_lines)
    assert "build succeeded" in first.stdout
    assert (built["out"] / "index.html").is_file()


def test_home_page_lists_subjects_with_counts_and_the_newest_questions(built) -> None:
    page = html(built["out"] / "index.html")
    assert page.select_one("h1").get_text().rstrip("¶") == "Sea & Maths [demo]"
    rows = {
        tr.select("td")[0].get_text(strip=True): tr.select("td")[1].get_text(strip=True)
        for tr in page.select("table tbody tr")
    }
    # algebra/groups.md has no subject: its folder is its subject; the draft is not listed
    assert rows == {"algebra": "1", "Mathematics": "1", "Ocean science": "3"}
    links = {a.get_text(strip=True): a["href"] for a in page.select("table a")}
    assert links["Ocean science"] == "subjects/ocean-science/index.html"
    newest = listed(built["out"] / "index.html")
    dated = sorted((b for b in BANK if b[1] not in NO_INDEX), key=lambda b: b[3], reverse=True)
    assert newest == [b[5] for b in dated]


def test_subject_pages_paginated_newest_first(built) -> None:
    folder = built["out"] / "subjects" / "ocean-science"
    ocean = sorted((b for b in BANK if b[4] == "Ocean science"), key=lambda b: b[3], reverse=True)
    assert listed(folder / "index.html") == [b[5] for b in ocean[:2]]
    assert listed(folder / "page-2.html") == [b[5] for b in ocean[2:]]
    first_nav = html(folder / "index.html").select_one(".quicktakes-pagination")
    assert {a.get_text(): a["href"] for a in first_nav.select("a")} == {
        "2": "page-2.html",
        "Next →": "page-2.html",
    }
    second_nav = html(folder / "page-2.html").select_one(".quicktakes-pagination")
    assert {a.get_text(): a["href"] for a in second_nav.select("a")} == {
        "← Previous": "index.html",
        "1": "index.html",
    }
    assert not (folder / "page-3.html").exists()


def test_question_pages_and_no_index(built) -> None:
    out = built["out"]
    for folder, name, *_ in BANK:
        page = out / "questions" / folder / name.replace(".md", ".html")
        assert page.is_file(), page
    draft = html(out / "questions" / "draft.html")
    assert draft.select_one('meta[name="robots"]')["content"] == "noindex"
    every_list = [
        title for page in out.glob("subjects/*/*.html") for title in listed(page)
    ] + listed(out / "index.html")
    assert "Draft: what is a ring?" not in every_list
    export = json.loads((out / "quicktakes.json").read_text("utf-8"))
    assert sorted(q["heading"] for q in export["questions"]) == sorted(b[5] for b in BANK)


def test_search_index_and_general_index(built) -> None:
    words = search_words(built["out"])
    assert {stem("Moonpull"), stem("Earthspin"), stem("Closureword")} <= words
    assert (built["out"] / "genindex.html").is_file()


def test_question_folder_untouched_and_cache_outside_it(built) -> None:
    assert snapshot(built["bank"]) == built["before"]
    assert (built["cache"] / "sites").is_dir()


def test_search_titles_keeps_first_paragraphs_only(built, tmp_path: Path) -> None:
    out = tmp_path / "titles"
    result = site(
        str(built["bank"]),
        "-o",
        str(out),
        "--theme",
        "alabaster",
        "--search",
        "titles",
        cache=tmp_path / "cache",
    )
    assert result.returncode == 1 and "build succeeded" in result.stdout
    words = search_words(out)
    full = search_words(built["out"])
    assert stem("Earthspin") in full and stem("Earthspin") not in words  # a second paragraph
    assert stem("Moonpull") in words  # a first paragraph
    assert stem("tides") in words  # a heading
    size = re.search(r"searchindex\.js (\d+) KB", result.stdout)
    assert size is not None


def test_second_run_is_incremental_and_an_edit_rereads_two_pages(built) -> None:
    args = (
        str(built["bank"]),
        "-o",
        str(built["out"]),
        "--page-size",
        "2",
        "--theme",
        "alabaster",
        "--title",
        "Sea & Maths [demo]",
    )
    again = site(*args, cache=built["cache"])
    # only the broken file's page is read again: it warns on every build until fixed
    assert "0 added, 1 changed, 0 removed" in again.stdout, again.stdout
    assert re.search(r"reading sources\.\.\. \[100%\] questions/broken\n", again.stdout)
    waves = built["bank"] / "waves.md"
    waves.write_text(waves.read_text("utf-8").replace("Depthrule", "Depthrules"), "utf-8")
    edited = site(*args, cache=built["cache"])
    # the question's page, the list pages that show it: its subject's first page and the
    # home page's newest questions (all of this small bank); and the broken page
    read = set(re.findall(r"reading sources\.\.\. \[ *\d+%\] (\S+)", edited.stdout))
    assert read == {
        "questions/broken",
        "questions/waves",
        "subjects/ocean-science/index",
        "index",
    }
    assert "Depthrules" in (built["out"] / "questions" / "waves.html").read_text("utf-8")


def test_ejected_project_builds_the_same_site(built, tmp_path: Path) -> None:
    eject = tmp_path / "project"
    args = (
        str(built["bank"]),
        "--page-size",
        "2",
        "--theme",
        "alabaster",
        "--title",
        "Sea & Maths [demo]",
    )
    ejected = site(*args, "--eject", str(eject), cache=tmp_path / "cache")
    assert ejected.returncode == 1 and (eject / "conf.py").is_file()
    built_site = tmp_path / "site"
    by_command = site(*args, "-o", str(built_site), cache=tmp_path / "cache2")
    assert by_command.returncode == 1
    proc = sphinx_build(eject, tmp_path / "plain")
    assert proc.returncode == 0, proc.stderr
    pages = sorted(p.relative_to(built_site) for p in built_site.rglob("*.html"))
    assert pages == sorted(
        p.relative_to(tmp_path / "plain") for p in (tmp_path / "plain").rglob("*.html")
    )
    for page in pages:
        assert (built_site / page).read_bytes() == (tmp_path / "plain" / page).read_bytes(), page


def test_subject_names_are_text_not_markup(tmp_path: Path) -> None:
    hostile = "Hack {raw}`html` <script>x()</script> [link](https://evil.example) $x^2$ *b*"
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "one.md").write_text(
        question_file(1, "2024-01-01", json.dumps(hostile), "What is one?", "One.", "Two.", False),
        "utf-8",
    )
    result = site(
        str(bank), "-o", str(tmp_path / "out"), "--theme", "alabaster", cache=tmp_path / "cache"
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    home = html(tmp_path / "out" / "index.html")
    cell = home.select_one("table tbody td")
    assert cell.get_text() == hostile
    assert home.select_one("table script") is None
    assert [a["href"] for a in cell.select("a")] == [
        "subjects/hack-raw-html-script-x-script-link-https-evil-example-x-2-b/index.html"
    ]
    subject = next((tmp_path / "out" / "subjects").glob("*/index.html"))
    assert html(subject).select_one("h1").get_text().rstrip("¶") == hostile


@pytest.mark.latexpdf
def test_pdf_and_epub_books(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = site(
        str(make_bank(tmp_path)),
        "-o",
        str(out),
        "--theme",
        "alabaster",
        "--pdf",
        "--epub",
        "--title",
        "Sea & Maths [demo]",
        cache=tmp_path / "cache",
    )
    assert result.returncode == 1, result.stderr  # the broken file
    output = (result.stdout + result.stderr).splitlines()
    assert [line for line in output if "WARNING" in line and "broken.md" not in line] == []
    assert (out / "book.epub").is_file()
    text = pdf_text(out, layout=False, name="book.pdf")
    lines = [line.strip() for line in text.splitlines()]
    assert "Sea & Maths [demo]" in lines
    for subject in ("algebra", "Mathematics", "Ocean science"):  # one chapter each
        assert any(line.endswith(subject) for line in lines), subject
    for *_, heading, first, second in [b for b in BANK if b[1] not in NO_INDEX]:
        assert heading in text and first in text and second in text
    with zipfile.ZipFile(out / "book.epub") as epub:
        names = epub.namelist()
        assert any(n.endswith("subjects/ocean-science.xhtml") for n in names), names


def test_site_files_with_a_base_url(tmp_path: Path) -> None:
    """With --base-url: canonical URLs, a sitemap, Atom feeds per subject (a folder's
    subject included), robots.txt and llms.txt, all without the no_index question."""
    out, base = tmp_path / "out", "https://course.example/sea/"
    result = site(
        str(make_bank(tmp_path)),
        "-o",
        str(out),
        "--theme",
        "alabaster",
        "--page-size",
        "2",
        "--base-url",
        base,
        cache=tmp_path / "cache",
    )
    assert result.returncode == 1 and "build succeeded" in result.stdout
    sitemap = ElementTree.parse(out / "sitemap.xml").getroot()
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {loc.text for loc in sitemap.findall("s:url/s:loc", namespace)}
    listed_questions = [b for b in BANK if b[1] not in NO_INDEX]
    for folder, name, *_ in listed_questions:
        assert f"{base}questions/{folder + '/' if folder else ''}{name[:-3]}.html" in locs
    assert f"{base}questions/draft.html" not in locs
    for page in (
        "index.html",
        "subjects/ocean-science/index.html",
        "subjects/ocean-science/page-2.html",
        "subjects/algebra/index.html",
    ):
        assert base + page in locs, page
    atom = {"a": "http://www.w3.org/2005/Atom"}
    feed = ElementTree.parse(out / "atom.xml").getroot()
    titles = [t.text for t in feed.findall("a:entry/a:title", atom)]
    newest_first = sorted(listed_questions, key=lambda b: b[3], reverse=True)
    assert titles == [b[5] for b in newest_first]
    algebra = ElementTree.parse(out / "feeds" / "algebra.xml").getroot()
    assert [t.text for t in algebra.findall("a:entry/a:title", atom)] == ["What is a group?"]
    assert (out / "llms" / "algebra.md").is_file()
    assert f"Sitemap: {base}sitemap.xml" in (out / "robots.txt").read_text("utf-8")
    page = html(out / "questions" / "waves.html")
    assert page.select_one('link[rel="canonical"]')["href"] == f"{base}questions/waves.html"
    assert page.select_one(".quicktake-byline").get_text().endswith("· Ocean science")
    groups = html(out / "questions" / "algebra" / "groups.html")
    assert groups.select_one(".quicktake-byline").get_text().endswith("· algebra")


def test_serve_rebuilds_when_a_question_file_is_added(tmp_path: Path) -> None:
    """--serve builds, serves on localhost and, when a file with a new subject appears,
    regenerates the pages and rebuilds (sphinx-autobuild)."""
    bank = make_bank(tmp_path)
    (bank / "broken.md").unlink()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sphinxext_quicktakes",
            "site",
            str(bank),
            "-o",
            str(tmp_path / "out"),
            "--theme",
            "alabaster",
            "--serve",
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=site_env(tmp_path / "cache"),
        start_new_session=True,
    )
    lines: list[str] = []
    assert proc.stdout is not None
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")))
    reader.start()  # a thread: a silent server must not block the test
    try:
        deadline = time.monotonic() + 120
        address = None
        while address is None and time.monotonic() < deadline:
            found = re.search(r"Serving on (http://127\.0\.0\.1:\d+)", "".join(lines))
            address = found.group(1) if found else None
            time.sleep(0.2)
        assert address is not None, "".join(lines)
        while "Ocean science" not in fetch(f"{address}/index.html"):  # the server starts
            assert time.monotonic() < deadline
            time.sleep(0.5)
        (bank / "comets.md").write_text(
            question_file(
                807, "2024-07-07", "Astronomy", "What is a comet?", "Ice.", "Dust.", False
            ),
            "utf-8",
        )
        while time.monotonic() < deadline:
            if "Astronomy" in fetch(f"{address}/index.html"):
                break
            time.sleep(1)
        home = html_text(fetch(f"{address}/index.html"))
        assert "Astronomy" in home.select_one("table").get_text()
        assert "What is a comet?" in fetch(f"{address}/questions/comets.html")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        reader.join(timeout=30)


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def html_text(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html.parser")


def test_pages_in_the_site_language(tmp_path: Path) -> None:
    bank = make_bank(tmp_path)
    out = tmp_path / "out"
    result = site(
        str(bank),
        "-o",
        str(out),
        "--theme",
        "alabaster",
        "--page-size",
        "2",
        "--language",
        "fr",
        cache=tmp_path / "cache",
    )
    assert result.returncode == 1 and "build succeeded" in result.stdout
    home = html(out / "index.html")
    assert [h.get_text().rstrip("¶") for h in home.select("h2")] == [
        "Matières",
        "Questions les plus récentes",
    ]
    assert "5 questions dans 3 matières." in home.get_text()
    second = html(out / "subjects" / "ocean-science" / "page-2.html")
    assert second.select_one("h1").get_text().rstrip("¶") == "Ocean science (page 2 sur 2)"
    assert "← Précédente" in second.select_one(".quicktakes-pagination").get_text()
    # the files for answer engines, too
    outline = (out / "llms.txt").read_text("utf-8").splitlines()
    assert outline[2] == "> Questions et réponses : 5 questions dans 3 matières."
    [ocean] = [line for line in outline if "llms/ocean-science.md" in line]
    assert ocean.startswith("- [Ocean science : questions et réponses](")
    assert ocean.endswith("): toutes les questions et réponses, en Markdown (3 questions)")


# a Mathematics question that links to two Ocean science questions: as a related question
# and from its answer
CROSS = (
    "---\nid: 807\ndate: 2024-04-04\ntitle: What is a gradient?\ndate_format: MMM DD, YYYY\n"
    "author: A. Teacher\nsubject: Mathematics\nquestion: What is a gradient?\n"
    "answer: >-\n    Slopewise points uphill. See [the tides](#quicktake-801).\\n\\nMore.\n"
    "related_article1:\n  id: 802\n  title: What sets the speed of a wave?\n"
    "  url: /learn/ocean/waves\n---\n"
)


def entries(page: Path) -> list[tuple[str, str, str, str]]:
    """A list page's entries: title, byline, first sentence, and the question its link
    goes to (the page it names exists)."""
    out = []
    for li in html(page).select("li.quicktake-entry"):
        link = li.select_one(".quicktake-title a")
        target = page.parent / link["href"].split("#")[0]
        assert target.is_file(), link["href"]
        summary = li.select_one(".quicktake-summary")
        out.append(
            (
                link.get_text(),
                li.select_one(".quicktake-byline").get_text(),
                summary.get_text() if summary else "",
                link["href"].split("#")[1],
            )
        )
    return out


def question_page(page: Path) -> tuple[str, list[tuple[str, str]]]:
    """A question page's text and its links to questions (anchor; the page exists)."""
    section = html(page).select_one("section.quicktake")
    links = []
    for a in section.select("a[href*='#quicktake-']:not(.headerlink)"):
        if not a["href"].startswith("#"):
            assert (page.parent / a["href"].split("#")[0]).is_file(), a["href"]
        links.append((a.get_text(), a["href"].split("#")[1]))
    return section.get_text(" ", strip=True), links


def test_split_by_subject_gives_the_same_pages_and_links(tmp_path: Path) -> None:
    """--split subject: a project per subject (OUT/<subject>) and a hub (OUT), linked
    through intersphinx; the same pages and links as the single site; the inventories
    written before the builds are those Sphinx writes."""
    from sphinx.util.inventory import InventoryFile

    bank = make_bank(tmp_path)
    (bank / "algebra" / "gradient.md").write_text(CROSS, "utf-8")
    args = (str(bank), "--page-size", "2", "--theme", "alabaster")
    single, split = tmp_path / "single", tmp_path / "split"
    assert site(*args, "-o", str(single), cache=tmp_path / "c1").returncode == 1
    result = site(*args, "-o", str(split), "--split", "subject", cache=tmp_path / "c2")
    assert result.returncode == 1, result.stderr  # the broken file
    assert "WARNING" not in result.stderr.replace("broken.md", ""), result.stderr

    slugs = {"algebra", "mathematics", "ocean-science"}
    assert {p.name for p in split.iterdir() if (p / "index.html").is_file()} == slugs
    for slug in slugs:  # list pages
        for page in sorted((single / "subjects" / slug).glob("*.html")):
            assert entries(split / slug / page.name) == entries(page), page
    pages = sorted(p.relative_to(single) for p in (single / "questions").rglob("*.html"))
    pages.remove(Path("questions", "broken.html"))  # an empty page; none in a split site
    assert len(pages) == 7 and not list(split.rglob("broken.html"))
    for page in pages:  # question pages, each in its subject's project
        [twin] = [split / s / page for s in slugs if (split / s / page).is_file()]
        assert question_page(twin) == question_page(single / page), page
    gradient = question_page(split / "mathematics" / "questions" / "algebra" / "gradient.html")
    assert gradient[1] == [
        ("the tides", "quicktake-801"),
        ("What sets the speed of a wave?", "quicktake-802"),
    ]

    home, hub = html(single / "index.html"), html(split / "index.html")
    rows = [[td.get_text() for td in tr.select("td")] for tr in home.select("table tbody tr")]
    assert [
        [td.get_text() for td in tr.select("td")] for tr in hub.select("table tbody tr")
    ] == rows
    for a in hub.select("table a"):
        assert (split / a["href"]).is_file()
    # the hub's newest questions: the same entries, first sentences too (their pages are
    # in the subject projects)
    newest = entries(split / "index.html")
    assert newest == entries(single / "index.html")
    assert sum(1 for e in newest if e[2]) >= 4, newest

    # a second run builds nothing; an edited answer rebuilds its subject and the hub (its
    # list shows the question)
    def rebuilt(run: subprocess.CompletedProcess[str]) -> set[str]:
        places = re.findall(r"The HTML pages are in (\S+?)\.?\n", run.stdout)
        return {Path(place).name for place in places}

    again = site(*args, "-o", str(split), "--split", "subject", cache=tmp_path / "c2")
    assert again.returncode == 1 and rebuilt(again) == set(), again.stdout
    gradient_file = bank / "algebra" / "gradient.md"
    time.sleep(0.01)
    gradient_file.write_text(CROSS.replace("Slopewise", "Steepness"), "utf-8")
    edited = site(*args, "-o", str(split), "--split", "subject", cache=tmp_path / "c2")
    assert rebuilt(edited) == {"mathematics", "split"}, edited.stdout
    page = split / "mathematics" / "questions" / "algebra" / "gradient.html"
    assert "Steepness points uphill" in page.read_text("utf-8")

    for slug in slugs:  # the inventories given to intersphinx are the ones Sphinx wrote
        written = InventoryFile.loads((split / slug / "objects.inv").read_bytes(), uri="").data
        predicted_file = tmp_path / "c2" / "sites"
        [predicted_path] = predicted_file.rglob(f"hub/src/_inventories/{slug}.inv")
        predicted = InventoryFile.loads(predicted_path.read_bytes(), uri="").data
        for kind in ("quicktakes:question", "std:doc"):
            mine = {k: (v.uri, v.display_name) for k, v in predicted[kind].items()}
            real = {k: (v.uri, v.display_name) for k, v in written[kind].items()}
            assert mine == {k: real[k] for k in mine}, (slug, kind)
        assert set(predicted["quicktakes:question"]) == set(written["quicktakes:question"])


def test_a_split_project_builds_alone_with_published_links(tmp_path: Path) -> None:
    """--split with --eject: each project is a plain Sphinx project that builds alone
    (as on its own CI machine or Read the Docs subproject); its links to other subjects
    go to where those are published (--subject-url)."""
    bank = make_bank(tmp_path)
    (bank / "algebra" / "gradient.md").write_text(CROSS, "utf-8")
    eject = tmp_path / "projects"
    result = site(
        str(bank),
        "--split",
        "subject",
        "--base-url",
        "https://course.example/en/latest/",
        "--subject-url",
        "https://course.example/projects/{subject}/en/latest/",
        "--eject",
        str(eject),
        cache=tmp_path / "cache",
    )
    assert result.returncode == 1, result.stderr  # the broken file
    assert sorted(p.name for p in eject.iterdir()) == [
        "algebra", "hub", "mathematics", "ocean-science", "requirements.txt"
    ]  # fmt: skip
    out = tmp_path / "out"
    proc = sphinx_build(eject / "mathematics" / "src", out)
    assert proc.returncode == 0 and "WARNING" not in proc.stderr, proc.stderr
    page = html(out / "questions" / "algebra" / "gradient.html")
    hrefs = [a["href"] for a in page.select("section.quicktake a[href^='https:']")]
    assert hrefs == [
        "https://course.example/projects/ocean-science/en/latest/questions/tides.html#quicktake-801",
        "https://course.example/projects/ocean-science/en/latest/questions/waves.html#quicktake-802",
    ]
    canonical = page.select_one("link[rel=canonical]")["href"]
    assert canonical == (
        "https://course.example/projects/mathematics/en/latest/questions/algebra/gradient.html"
    )


def test_a_split_sites_hub_sitemap_indexes_every_subjects_sitemap(tmp_path: Path) -> None:
    """--split subject with --base-url: each project writes its own sitemap; the hub's
    sitemap.xml is a sitemap index of its own pages' sitemap and every subject's, each
    dated by its newest page, so robots.txt at the root leads to every page."""
    bank = make_bank(tmp_path)
    base = "https://course.example/"
    out = tmp_path / "out"
    result = site(str(bank), "-o", str(out), "--split", "subject", "--base-url", base,
                  "--theme", "alabaster", cache=tmp_path / "cache")  # fmt: skip
    assert result.returncode == 1, result.stderr  # the broken file
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ElementTree.parse(out / "sitemap.xml").getroot()
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    listed = {
        item.findtext("s:loc", namespaces=ns): item.findtext("s:lastmod", namespaces=ns)
        for item in index.findall("s:sitemap", ns)
    }
    slugs = ["algebra", "mathematics", "ocean-science"]
    assert list(listed) == [f"{base}sitemap-1.xml", *(f"{base}{s}/sitemap.xml" for s in slugs)]
    every_page = set()
    for loc, lastmod in listed.items():
        urlset = ElementTree.parse(out / loc.removeprefix(base)).getroot()
        assert urlset.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset", loc
        dates = [d.text for d in urlset.findall("s:url/s:lastmod", ns)]
        assert lastmod == max(dates, default=None), loc  # the hub's home page: undated
        every_page |= {u.text for u in urlset.findall("s:url/s:loc", ns)}
    assert f"{base}index.html" in every_page
    assert f"{base}mathematics/questions/vectors.html" in every_page
    assert not any("draft" in page for page in every_page)  # no_index
    assert f"Sitemap: {base}sitemap.xml" in (out / "robots.txt").read_text("utf-8")
