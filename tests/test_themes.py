"""Each supported HTML theme (alabaster, sphinx-rtd-theme, furo, pydata-sphinx-theme,
sphinx-book-theme) lists a question's heading in its on-page table of contents, with the
sub-headings of the question's hidden answer one level under it, in the built HTML.

How the pages look and behave in a browser is tests/test_browser.py's part."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from .conftest import THEMES

# where each theme puts the current page's table of contents, and whether the page's own
# title is its first entry (the PyData themes start at the page's sections)
TOC = {
    "alabaster": ("div.sphinxsidebarwrapper", True),  # localtoc.html in html_sidebars
    "sphinx_rtd_theme": (".wy-menu-vertical li.toctree-l1.current", True),
    "furo": (".toc-tree", True),
    "pydata_sphinx_theme": ("nav.page-toc#pst-page-toc-nav", False),
    "sphinx_book_theme": ("nav.page-toc#pst-page-toc-nav", False),
}


def entry(toc: Tag, anchor: str) -> Tag:
    """The ``<li>`` of the table of contents that links to ``#anchor``."""
    links = toc.select(f'a[href="#{anchor}"]')
    assert len(links) == 1, (anchor, toc.prettify()[:3000])
    item = links[0].find_parent("li")
    assert item is not None
    return item


def children(item: Tag) -> list[str]:
    """The anchors one level under an entry (its own ``<ul>``'s items, not deeper)."""
    sublist = item.find("ul", recursive=False)
    if sublist is None:
        return []
    return [li.find("a")["href"] for li in sublist.find_all("li", recursive=False)]


@pytest.mark.parametrize("theme", THEMES)
def test_answer_headings_nest_under_their_question(
    theme_sites: Callable[[str], Path], theme: str
) -> None:
    page = BeautifulSoup((theme_sites(theme) / "questions.html").read_text("utf-8"), "lxml")
    # the answers are hidden, their sub-headings real sections inside the <details>
    for anchor in ("driving-force", "a-table", "a-wide-table", "a-long-formula"):
        assert page.select_one(f"details.quicktake-answer section#{anchor}"), anchor
    selector, titled = TOC[theme]
    toc = page.select_one(selector)
    assert toc is not None, selector

    questions = [entry(toc, f"quicktake-{qid}") for qid in ("900001", "900004", "900101")]
    for question in questions:  # all at one depth: right under the page title, or on top
        parent = question.find_parent("li")
        if titled:
            assert parent is not None and parent.find("a")["href"] == "#", theme
        else:
            assert parent is None or parent not in toc.descendants, theme
    osmosis, water, wide = questions
    assert children(osmosis) == ["#driving-force"]  # ### in the answer
    assert children(entry(toc, "driving-force")) == ["#a-table"]  # its #### below it
    assert children(water) == []
    assert children(wide) == ["#a-wide-table", "#a-long-formula"]
