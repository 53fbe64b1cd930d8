"""Search and social metadata: one coherent <head>, canonical URLs, JSON-LD, quicktakes.json
and PDF metadata."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time

import pytest
from bs4 import BeautifulSoup

from .conftest import QUESTIONS, make_pdf, sphinx_build

BASE = "https://course.example/"
OSMOSIS = "How does osmosis move water across a membrane?"
ONE = {"index.rst": "Osmosis page\n============\n\n.. quicktake:: questions/good/osmosis.md\n"}
TWO = {
    "index.rst": "Two questions\n=============\n\n.. quicktake:: questions/good/osmosis.md\n\n"
    ".. quicktake:: questions/good/budget.md\n"
}


def head_tags(html: BeautifulSoup) -> dict[str, list[str]]:
    """Every <meta> of the <head> by name or property, and the canonical links."""
    tags: dict[str, list[str]] = {}
    for meta in html.head.find_all("meta"):
        key = meta.get("name") or meta.get("property")
        if key:
            tags.setdefault(key, []).append(meta.get("content"))
    tags["canonical"] = [link["href"] for link in html.head.find_all("link", rel="canonical")]
    return tags


def json_ld(html: BeautifulSoup) -> list[dict]:
    scripts = html.find_all("script", type="application/ld+json")
    return [json.loads(script.string) for script in scripts]


def test_one_coherent_head_for_a_question_page(build) -> None:
    result = build(ONE, conf=f"quicktakes_base_url = {BASE!r}")
    assert result.warning_lines() == []
    tags = head_tags(result.html())
    description = (
        "Osmosis moves water from low to high solute concentration through a "
        "selectively permeable membrane."
    )
    expected_once = {
        "description": description,
        "keywords": "osmosis, water potential, membrane, tonicity",
        "og:title": OSMOSIS,
        "og:description": description,
        "og:type": "article",
        "og:url": BASE + "index.html",
        "article:published_time": "2025-02-04",
        "article:author": "QuickTakes",
        "article:section": "Biology",
        "twitter:card": "summary",
        "twitter:title": OSMOSIS,
        "twitter:description": description,
        "canonical": BASE + "index.html",
    }
    for key, value in expected_once.items():
        assert tags[key] == [value], key
    assert tags["article:tag"] == ["osmosis", "water potential", "membrane", "tonicity"]
    assert "robots" not in tags


def test_escaping_in_head_attributes(build) -> None:
    result = build({"index.rst": "Page\n====\n\n.. quicktake:: questions/good/budget.md\n"})
    tags = head_tags(result.html())
    assert tags["description"] == [
        "Pricing a renovation means adding materials, labour & overhead, then a margin — "
        '"cost plus" in practice.'
    ]
    assert tags["article:author"] == ['Jane "JD" Doe']
    assert "<b>margin</b>" in tags["article:tag"]
    raw = result.text("index.html")
    assert 'content="Jane &quot;JD&quot; Doe"' in raw
    assert "&lt;b&gt;margin&lt;/b&gt;" in raw and "<b>margin</b>" not in raw


def test_auto_description_from_the_answer(build, tmp_path) -> None:
    question = tmp_path / "src" / "questions" / "plain.md"
    question.parent.mkdir(parents=True)
    question.write_text(
        "---\nid: 3\nquestion: What is a lever?\nanswer: >-\n    A lever is a **rigid bar** "
        "that turns about a fixed point, the fulcrum. The force is $F = m a$ in general. "
        "Levers trade distance for force, which is why a long crowbar lifts heavy stones "
        "that no one could lift by hand alone.\\n\\n### Classes\\n\\nThree classes.\n---\n",
        "utf-8",
    )
    pages = {"index.rst": "Page\n====\n\n.. quicktake:: questions/plain.md\n"}
    [description] = head_tags(build(pages).html())["description"]
    assert description == "A lever is a rigid bar that turns about a fixed point, the fulcrum."
    assert len(description) <= 160 and "$" not in description and "**" not in description
    off = build(pages, srcdir=tmp_path / "off", conf="quicktakes_auto_description = False")
    assert "description" not in head_tags(off.html())


def test_several_questions_use_the_page_title_and_the_first_description(build) -> None:
    tags = head_tags(build(TWO, conf=f"quicktakes_base_url = {BASE!r}").html())
    assert tags["og:title"] == ["Two questions"]
    assert tags["description"][0].startswith("Osmosis moves water")
    assert "article:published_time" not in tags  # no single article to describe
    assert len(tags["keywords"]) == 1


def test_sphinxext_opengraph_beside_us(build) -> None:
    pytest.importorskip("sphinxext.opengraph")
    conf = (
        "extensions.append('sphinxext.opengraph')\n"
        f"ogp_site_url = {BASE!r}\nhtml_baseurl = {BASE!r}\n"
    )
    pages = {
        "index.rst": "Home\n====\n\n.. toctree::\n\n   question\n\nNo questions here.\n",
        "question.rst": ONE["index.rst"],
    }
    result = build(pages, conf=conf)
    assert result.warning_lines() == []
    tags = head_tags(result.html("question"))
    for key in ("og:title", "og:description", "og:url", "og:type", "description", "canonical"):
        assert len(tags[key]) == 1, (key, tags[key])
    assert tags["og:title"] == [OSMOSIS]  # ours win on question pages
    assert tags["og:type"] == ["article"]
    assert tags["canonical"] == [BASE + "question.html"]
    home = head_tags(result.html())
    assert home["og:title"] == ["Home"]  # pages without questions keep sphinxext-opengraph's


def test_authors_meta_directive_and_myst_html_meta_win_once(build, tmp_path) -> None:
    rst = {
        "index.rst": ".. meta::\n   :description: Written by the page author.\n\n"
        + ONE["index.rst"]
    }
    tags = head_tags(build(rst).html())
    assert tags["description"] == ["Written by the page author."]
    assert len(tags["og:description"]) == 1
    myst = {
        "index.md": "---\nhtml_meta:\n  description: From MyST front matter.\n  "
        "property=og:title: Own title\n---\n# Page\n\n"
        "```{quicktake} questions/good/osmosis.md\n```\n"
    }
    tags = head_tags(build(myst, myst=True, srcdir=tmp_path / "myst").html())
    assert tags["description"] == ["From MyST front matter."]
    assert tags["og:title"] == ["Own title"]


@pytest.mark.parametrize(
    ("buildername", "page", "url"),
    [("html", "chapter.html", "chapter.html"), ("dirhtml", "chapter/index.html", "chapter/")],
)
def test_canonical_urls_for_html_and_dirhtml(build, buildername, page, url) -> None:
    pages = {
        "index.rst": "Home\n====\n\n.. toctree::\n\n   chapter\n",
        "chapter.rst": ONE["index.rst"],
    }
    result = build(pages, buildername=buildername, conf=f"quicktakes_base_url = {BASE!r}")
    tags = head_tags(BeautifulSoup(result.text(page), "lxml"))
    assert tags["canonical"] == [BASE + url]
    assert tags["og:url"] == [BASE + url]


def test_html_baseurl_canonical_is_not_duplicated(build) -> None:
    tags = head_tags(build(ONE, conf=f"html_baseurl = {BASE!r}").html())
    assert tags["canonical"] == [BASE + "index.html"]
    assert tags["og:url"] == [BASE + "index.html"]


def test_read_the_docs_canonical_url(build, monkeypatch) -> None:
    monkeypatch.setenv("READTHEDOCS_CANONICAL_URL", "https://qt.readthedocs.io/en/stable/")
    tags = head_tags(build(ONE).html())
    assert tags["canonical"] == ["https://qt.readthedocs.io/en/stable/index.html"]


def test_without_a_base_no_url_and_a_warning_only_with_nitpicky(
    build, tmp_path, monkeypatch
) -> None:
    monkeypatch.delenv("READTHEDOCS_CANONICAL_URL", raising=False)
    quiet = build(ONE)
    assert quiet.warning_lines() == []
    tags = head_tags(quiet.html())
    assert "og:url" not in tags and tags["canonical"] == []
    nitpicky = build(ONE, srcdir=tmp_path / "n", confoverrides={"nitpicky": True})
    [warning] = nitpicky.warning_lines()
    assert "[quicktakes.config]" in warning and "no base URL" in warning


def test_cross_listed_pages_point_at_one_canonical_page(build, tmp_path) -> None:
    srcdir = tmp_path / "src"
    pages_dir = srcdir / "questions" / "pages"
    pages_dir.mkdir(parents=True)
    shutil.copy(QUESTIONS / "good" / "osmosis.md", pages_dir / "biology.md")
    shutil.copy(QUESTIONS / "dupes" / "osmosis-crosslisted.md", pages_dir / "life.md")
    pages = {"index.rst": "Home\n====\n\n.. toctree::\n   :glob:\n\n   questions/pages/*\n"}
    conf = f"quicktakes_base_url = {BASE!r}\nquicktakes_pages = ['questions/pages/*.md']"
    result = build(pages, conf=conf, questions=())
    assert result.warning_lines() == []
    first = BASE + "questions/pages/biology.html"
    for page in ("questions/pages/biology", "questions/pages/life"):
        assert head_tags(result.html(page))["canonical"] == [first]


def test_title_from_the_question(build, tmp_path) -> None:
    conf = "project = 'Course'\nquicktakes_title = '{heading} | {subject} | {project}'"
    html = build(ONE, conf=conf).html()
    assert html.title.get_text() == f"{OSMOSIS} | Biology | Course"
    seo = build(ONE, srcdir=tmp_path / "seo", conf="quicktakes_title = 'seo'").html()
    assert seo.title.get_text() == "QuickTakes | Biology"
    several = build(TWO, srcdir=tmp_path / "two", conf=conf).html()
    assert several.title.get_text().startswith("Two questions")
    default = build(ONE, srcdir=tmp_path / "default").html()
    assert default.title.get_text().startswith("Osmosis page")


# -- JSON-LD -----------------------------------------------------------------------------


def comparable(text: str) -> str:
    """Text without permalink signs, footnote brackets and MathJax delimiters."""
    text = re.sub(r"\\[()\[\]]|[¶\[\]]", "", text)
    return " ".join(text.split())


def test_faq_page_json_ld(build) -> None:
    result = build(TWO, conf=f"quicktakes_base_url = {BASE!r}")
    [data] = json_ld(result.html())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "FAQPage"
    assert data["inLanguage"] == "en"
    first, second = data["mainEntity"]
    for entry in (first, second):  # Google's required properties for FAQPage
        assert entry["@type"] == "Question" and entry["name"]
        assert entry["acceptedAnswer"]["@type"] == "Answer" and entry["acceptedAnswer"]["text"]
    assert first["name"] == OSMOSIS and "text" not in first  # text only when it differs
    assert second["text"].startswith("A client asks for a quote")
    assert first["url"] == BASE + "index.html#quicktake-900001"
    assert first["datePublished"] == "2025-02-04"
    assert first["author"] == {"@type": "Person", "name": "QuickTakes"}
    assert first["about"] == {"@type": "Thing", "name": "Biology"}
    assert first["keywords"] == "osmosis, water potential, membrane, tonicity"
    answer = first["acceptedAnswer"]["text"]
    assert answer.startswith("Osmosis is the net movement of water")
    assert "Driving force" in answer and "Related questions" not in answer
    page_text = result.html().select_one("section#quicktake-900001").get_text()
    for block in answer.split("\n\n"):  # the visible answer, as text (tables left out)
        assert comparable(block) in comparable(page_text)
    assert "hypotonic" not in answer


def test_answer_text_shows_resolved_references(build) -> None:
    pages = {
        "index.rst": "Page\n====\n\n.. quicktake:: questions/good/osmosis.md\n\n"
        ".. quicktake:: questions/linked/links.md\n",
        "chapter.rst": ".. _glossary:\n\nGlossary\n========\n",
    }
    result = build(pages, questions=("good", "linked"))
    [data] = json_ld(result.html())
    answer = data["mainEntity"][1]["acceptedAnswer"]["text"]
    assert "The osmosis question is How does osmosis move water across a membrane?" in answer


def test_qa_page_quiz_and_off(build, tmp_path) -> None:
    [qa] = json_ld(build(ONE, conf="quicktakes_jsonld = 'QAPage'").html())
    assert qa["@type"] == "QAPage"
    entity = qa["mainEntity"]  # Google: name, answerCount, acceptedAnswer.text
    assert entity["name"] == OSMOSIS and entity["answerCount"] == 1
    assert entity["acceptedAnswer"]["text"]
    [fallback] = json_ld(
        build(TWO, srcdir=tmp_path / "two", conf="quicktakes_jsonld = 'QAPage'").html()
    )
    assert fallback["@type"] == "FAQPage"  # QAPage is only honest for one question
    [quiz] = json_ld(build(TWO, srcdir=tmp_path / "quiz", conf="quicktakes_jsonld = 'Quiz'").html())
    assert quiz["@type"] == "Quiz"
    for part in quiz["hasPart"]:  # Google Education Q&A: eduQuestionType, text, acceptedAnswer
        assert part["eduQuestionType"] == "Flashcard"
        assert part["text"] and part["acceptedAnswer"]["text"]
    assert {a["name"] for a in quiz["about"]} == {"Biology", "Business"}
    off = build(ONE, srcdir=tmp_path / "off", conf="quicktakes_jsonld = None")
    assert json_ld(off.html()) == []


def test_user_text_cannot_close_the_script(build, tmp_path) -> None:
    question = tmp_path / "src" / "questions" / "hostile.md"
    question.parent.mkdir(parents=True)
    question.write_text(
        "---\nid: 9\nquestion: 'Is </script><script>alert(1)</script> safe?'\n"
        "author: '</script><img src=x onerror=alert(1)>'\nanswer: >-\n"
        "    Text with </script><script>alert(2)</script> inside & more.\n---\n",
        "utf-8",
    )
    result = build({"index.rst": "Page\n====\n\n.. quicktake:: questions/hostile.md\n"})
    html = result.html()
    scripts = html.find_all("script")
    assert not [
        s for s in scripts if "alert" in (s.string or "") and s.get("type") != "application/ld+json"
    ]
    [data] = json_ld(html)
    assert data["mainEntity"][0]["name"] == "Is </script><script>alert(1)</script> safe?"
    assert "</script><script>alert(2)</script>" in data["mainEntity"][0]["acceptedAnswer"]["text"]
    assert html.find("img", onerror=True) is None


def test_non_ascii_in_json_ld_and_head(build) -> None:
    html = build({"index.rst": "Page\n====\n\n.. quicktake:: questions/good/water.md\n"}).html()
    [data] = json_ld(html)
    assert "Na⁺ and OH⁻" in data["mainEntity"][0]["acceptedAnswer"]["text"]
    assert head_tags(html)["robots"] == ["noindex"]


def test_epub_gets_meta_but_no_urls_or_json_ld(build) -> None:
    import zipfile

    conf = f"quicktakes_base_url = {BASE!r}\ncopyright = '2025'\nversion = '1'"
    result = build(ONE, buildername="epub", conf=conf)
    [epub] = list(result.outdir.glob("*.epub"))
    with zipfile.ZipFile(epub) as archive:
        page = BeautifulSoup(archive.read("index.xhtml").decode("utf-8"), "lxml")
    tags = head_tags(page)
    assert len(tags["description"]) == 1
    assert "og:url" not in tags and "og:title" not in tags
    assert json_ld(page) == []


# -- quicktakes.json -----------------------------------------------------------------------


EXPORT_PAGES = {
    "index.rst": "Home\n====\n\n.. toctree::\n\n   faq\n   more\n",
    "faq.rst": "FAQ\n===\n\n.. quicktakes:: questions/good/*.md\n   :include-noindex:\n",
    "more.rst": "More\n====\n\n.. quicktake:: questions/dupes/osmosis-crosslisted.md\n",
}


def test_export(build, tmp_path) -> None:
    conf = f"quicktakes_base_url = {BASE!r}"
    result = build(EXPORT_PAGES, conf=conf, questions=("good", "dupes/osmosis-crosslisted.md"))
    data = json.loads(result.text("quicktakes.json"))
    assert data["version"] == 1 and data["base_url"] == BASE
    questions = data["questions"]
    assert [q["id"] for q in questions] == ["900003", "900002", "900001", "cs-17", "900004"]
    osmosis = questions[2]
    assert osmosis == {
        "id": "900001",
        "slug": "how-does-osmosis-move-water-across-a-membrane",
        "heading": OSMOSIS,
        "question": OSMOSIS,
        "subject": "Biology",
        "keywords": ["osmosis", "water potential", "membrane", "tonicity"],
        "date": "2025-02-04",
        "author": "QuickTakes",
        "url": "faq.html#quicktake-900001",
        "absolute_url": BASE + "faq.html#quicktake-900001",
        "answer_markdown": osmosis["answer_markdown"],
        "answer_text": osmosis["answer_text"],
    }
    assert "\n### Driving force\n" in osmosis["answer_markdown"]
    assert "**" not in osmosis["answer_text"] and "Driving force" in osmosis["answer_text"]
    again = build(EXPORT_PAGES, srcdir=tmp_path / "again", conf=conf,
                  questions=("good", "dupes/osmosis-crosslisted.md"))  # fmt: skip
    assert again.text("quicktakes.json") == result.text("quicktakes.json")
    off = build(EXPORT_PAGES, srcdir=tmp_path / "off", conf="quicktakes_export = False",
                questions=("good", "dupes/osmosis-crosslisted.md"))  # fmt: skip
    assert not (off.outdir / "quicktakes.json").exists()


def test_export_after_an_edit_is_the_fresh_file(tmp_path) -> None:
    """An edit takes the unchanged questions' entries from the previous file: the result is
    byte for byte what a fresh build writes, laid out as ``json.dumps(indent=2)``."""
    from .conftest import write_project

    listed = ".. quicktakes:: questions/good/*.md\n   :display: list\n   :include-noindex:\n"
    pages = {"index.rst": "Home\n====\n\n" + listed}
    conf = f"quicktakes_base_url = {BASE!r}\nquicktakes_pages = {{'learn': 'questions/good/*.md'}}"
    srcdir, out = tmp_path / "src", tmp_path / "out"
    write_project(srcdir, pages, conf=conf)
    sphinx_build(srcdir, out, "-q", check=True)
    osmosis = srcdir / "questions" / "good" / "osmosis.md"
    time.sleep(0.01)
    osmosis.write_text(osmosis.read_text("utf-8").replace("net movement", "NET MOVE"), "utf-8")
    for kept in (out / ".doctrees" / "quicktakes-answers").iterdir():
        kept.unlink()  # only the edited question's is needed (its page is read again)
    done = sphinx_build(srcdir, out, check=True)
    assert "0 added, 2 changed" in done.stdout  # its page and the list
    fresh = tmp_path / "fresh"
    sphinx_build(srcdir, fresh, "-q", "-E", check=True)
    text = (out / "quicktakes.json").read_text("utf-8")
    assert "NET MOVE" in text
    assert text == (fresh / "quicktakes.json").read_text("utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"


def test_export_dirhtml_urls(build) -> None:
    result = build(EXPORT_PAGES, buildername="dirhtml",
                   questions=("good", "dupes/osmosis-crosslisted.md"))  # fmt: skip
    data = json.loads(result.text("quicktakes.json"))
    assert data["questions"][0]["url"] == "faq/#quicktake-900003"
    assert data["questions"][0]["absolute_url"] is None


# -- PDF metadata --------------------------------------------------------------------------


def test_pdf_keywords_and_subject(build, tmp_path) -> None:
    result = build(TWO, buildername="latex")
    [tex] = result.outdir.glob("*.tex")
    source = tex.read_text("utf-8")
    [keywords] = re.findall(r"\\hypersetup\{pdfkeywords=\{(.*?)\}, pdfsubject", source)
    assert set(keywords.split(", ")) == {
        "osmosis", "water potential", "membrane", "tonicity", "pricing", "cost plus",
        r"\textless{}b\textgreater{}margin\textless{}/b\textgreater{}", "renovation",
    }  # fmt: skip
    assert "pdfsubject={Biology, Business}" in source
    off = build(
        TWO, buildername="latex", srcdir=tmp_path / "off", conf="quicktakes_pdf_metadata = False"
    )
    assert "pdfkeywords" not in next(off.outdir.glob("*.tex")).read_text("utf-8")
    if shutil.which("latexmk") and shutil.which("pdfinfo"):
        assert make_pdf(result.outdir).returncode == 0
        info = subprocess.run(["pdfinfo", str(result.outdir / "test.pdf")], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
        assert "water potential" in info.split("Keywords:")[1].splitlines()[0]
        assert "Biology, Business" in info.split("Subject:")[1].splitlines()[0]


def test_reproducible_html_and_export(build, tmp_path) -> None:
    first = build(EXPORT_PAGES, questions=("good", "dupes/osmosis-crosslisted.md"))
    second = build(EXPORT_PAGES, srcdir=tmp_path / "again",
                   questions=("good", "dupes/osmosis-crosslisted.md"))  # fmt: skip
    for name in ("index.html", "faq.html", "more.html", "quicktakes.json"):
        assert first.text(name) == second.text(name), name


def test_singlehtml_head_covers_every_document(build) -> None:
    pages = {
        "index.rst": "Home\n====\n\n.. toctree::\n\n   other\n\n"
        ".. quicktake:: questions/good/osmosis.md\n",
        "other.rst": "Other\n=====\n\n.. quicktake:: questions/good/water.md\n",
    }
    html = build(pages, buildername="singlehtml").html()
    tags = head_tags(html)
    assert tags["robots"] == ["noindex"]
    assert tags["description"][0].startswith("Osmosis moves water")
    [data] = json_ld(html)
    assert [q["name"] for q in data["mainEntity"]] == [
        OSMOSIS,
        "What happens when sodium reacts with water?",
    ]


def test_cross_listed_on_ordinary_pages_point_at_the_first(build) -> None:
    pages = {
        "index.rst": "Home\n====\n\n.. toctree::\n\n   a\n   b\n",
        "a.rst": "A\n=\n\n.. quicktake:: questions/good/osmosis.md\n",
        "b.rst": "B\n=\n\n.. quicktake:: questions/dupes/osmosis-crosslisted.md\n",
    }
    result = build(pages, conf=f"quicktakes_base_url = {BASE!r}", questions=("good", "dupes"))
    for page in ("a", "b"):
        assert head_tags(result.html(page))["canonical"] == [BASE + "a.html"]


def test_source_date_epoch_changes_nothing_we_write(tmp_path) -> None:
    from .conftest import write_project

    write_project(
        tmp_path / "src", EXPORT_PAGES, questions=("good", "dupes/osmosis-crosslisted.md")
    )
    outputs = []
    for name, epoch in (("a", None), ("b", "0")):
        env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
        if epoch is not None:
            env["SOURCE_DATE_EPOCH"] = epoch
        out = tmp_path / name
        sphinx_build(tmp_path / "src", out, "-q", env=env, check=True)
        outputs.append(out)
    assert (outputs[0] / "quicktakes.json").read_bytes() == (
        outputs[1] / "quicktakes.json"
    ).read_bytes()
    first, second = (BeautifulSoup((o / "faq.html").read_text("utf-8"), "lxml") for o in outputs)
    assert first.select_one("div.body") == second.select_one("div.body")
    assert first.head.find_all("meta") == second.head.find_all("meta")
