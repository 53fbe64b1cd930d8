"""What answers contain in real banks: TeX, prices, chemistry, code, links."""

from __future__ import annotations

from .conftest import Build, math_texts


def page(*files: str, title: str = "Page") -> dict[str, str]:
    directives = "\n".join(f".. quicktake:: questions/good/{name}\n" for name in files)
    return {"index.rst": f"{title}\n{'=' * len(title)}\n\n{directives}"}


def maths(result: Build) -> list[str]:
    return math_texts(result.html())


def test_tex_survives_newline_decoding(build) -> None:
    result = build(page("maxwell.md"))
    assert result.warning_lines() == []
    found = maths(result)
    assert r"\(\nabla \cdot \mathbf{E} = \frac{\rho}{\varepsilon_0}\)" in found
    assert r"\(\nabla \cdot \mathbf{E} \neq 0\)" in found
    assert r"\(\nu\)" in found  # \( \) converted to math
    assert r"\(v = \nu \lambda\)" in found
    assert any(m.startswith(r"\[\oint_S") for m in found)
    # after a $$ opener, \n is a newline: u(t), not \nu(t)
    assert any(m.startswith(r"\[u(t) = K_p e(t)") for m in found)
    aligned = next(m for m in found if "aligned" in m)
    assert "a + b &= 2 \\\\\nc - d &= 0" in aligned  # \\ row break, then a newline


def test_answer_headings_and_lists_render(build) -> None:
    body = build(page("maxwell.md")).html().select_one("section.quicktake")
    headings = [h.get_text().rstrip("¶") for h in body.find_all(["h3", "h4"])]
    assert headings == ["The integral form", "A system of equations", "Summary"]
    assert len(body.select("ul:not(.quicktake-related) > li")) == 2


def test_prices_stay_text_and_real_math_stays_math(build) -> None:
    result = build(page("budget.md"))
    assert result.warning_lines() == []
    section = result.html().select_one("section.quicktake")
    text = section.get_text()
    assert "$20,000 of work" in text
    assert "an additional $5,000" in text
    assert "$28,750" in text
    assert "$1.5 million" in text
    assert math_texts(section) == [
        r"\(m = \frac{P - C}{C}\)",
        r"\(P\)",
    ]
    assert section.select_one(".quicktakes-strike").get_text() == "guesswork"


def test_code_keeps_its_backslash_n(build) -> None:
    section = build(page("printf.md")).html().select_one("section.quicktake")
    assert section.select_one("code").get_text() == 'printf("done\\n")'
    code = section.select_one("div.highlight-c pre").get_text()
    assert 'printf("hello\\n");' in code
    assert code.count("\n") >= 5  # the fence itself was decoded into lines


def test_anchor_links_in_answers_resolve_across_questions(build) -> None:
    result = build(page("osmosis.md", "printf.md"))
    assert result.warning_lines() == []
    link = result.html().find("a", string="the osmosis answer")
    assert link is not None and link["href"] == "#quicktake-900001"


def test_mhchem_loaded_only_when_needed(build, tmp_path) -> None:
    with_ce = build(page("water.md"))
    scripts = [s.get_text() for s in with_ce.html().find_all("script")]
    assert any("[tex]/mhchem" in s for s in scripts)
    assert "Na⁺" in with_ce.html().get_text()
    without = build(page("maxwell.md"), srcdir=tmp_path / "other")
    assert not any("mhchem" in s.get_text() for s in without.html().find_all("script"))


def test_raw_html_is_text_unless_opted_in(build, tmp_path) -> None:
    question = tmp_path / "src" / "questions" / "html.md"
    question.parent.mkdir(parents=True)
    question.write_text(
        "---\nid: 1\nquestion: Q?\nanswer: >-\n    Water is H<sub>2</sub>O.\\n\\n"
        "<script>alert(1)</script>\n---\n",
        encoding="utf-8",
    )
    index = {"index.rst": "Page\n====\n\n.. quicktake:: questions/html.md\n"}
    html = build(index).html()
    assert html.select_one("div.body script") is None
    assert "<sub>2</sub>" in html.select_one("section.quicktake").get_text()


def test_roles_links_and_images_resolve_relative_to_the_question_file(build) -> None:
    pages = {
        "index.rst": "Home\n====\n\n.. toctree::\n\n   chapter\n   sub/page\n",
        "chapter.rst": ".. _glossary:\n\nGlossary\n========\n\n"
        ".. quicktake:: questions/good/osmosis.md\n",
        "sub/page.rst": "Sub page\n========\n\n.. quicktake:: ../questions/linked/links.md\n",
    }
    result = build(pages, questions=("good", "linked"))
    assert result.warning_lines() == []
    html = result.html("sub/page")
    section = html.select_one("section.quicktake")
    links = {a.get_text(): a["href"] for a in section.select("a.reference.internal")}
    assert links == {
        "the glossary": "../chapter.html#glossary",
        "Glossary": "../chapter.html",
        "the chapter page": "../chapter.html",
        "How does osmosis move water across a membrane?": "../chapter.html#quicktake-900001",
    }
    image = section.select_one("img")
    assert image["src"] == "../_images/cell.png"
    assert (result.outdir / "_images" / "cell.png").exists()


def test_unescape_config_false_keeps_backslash_n(build) -> None:
    result = build(page("osmosis.md"), conf="quicktakes_unescape_newlines = False")
    section = result.html().select_one("section.quicktake")
    assert section.find("h3") is None
    assert "\\n\\n### Driving force" in section.get_text()
