"""Question identity and canonical placement, without Sphinx (``placement``)."""

from __future__ import annotations

import pickle
from dataclasses import replace

from sphinxext_quicktakes.placement import (
    FALLBACK,
    FULL,
    PAGE,
    Placements,
    QuestionRecord,
    distinct,
    id_conflicts,
    identify,
)

BLANK = QuestionRecord(
    docname="", anchor="", position=0, kind=FULL, id="", slug="", label="", heading="",
    question="", subject="", date="", author="", digest="d1", path="",
)  # fmt: skip


def record(docname: str, kind: str, id: str = "7", digest: str = "d1", **more: str):
    slug = more.pop("slug", f"slug-{id or 'none'}")
    key = id or slug
    return replace(
        BLANK, docname=docname, kind=kind, id=id, slug=slug, label=f"quicktake-{key}",
        anchor=f"a-{docname}", digest=digest, path=more.pop("path", f"/bank/{slug}.md"), **more,
    )  # fmt: skip


def test_identity_is_the_id_else_the_slug() -> None:
    assert identify(12, "osmosis", "x") == identify("12", "other", "x")
    assert identify(None, "osmosis", "x").key == "osmosis"
    assert identify("", "osmosis", "x").by_id is False
    assert identify(0, "osmosis", "x").key == "0"  # 0 is an id
    assert identify(12, "s", "x") != identify(12, "s", "y")  # another answer


def test_the_own_page_wins_then_the_first_full_rendering() -> None:
    records = [
        record("a", FALLBACK),
        record("b", FULL),
        record("c", FULL),
        record("d", PAGE),
    ]
    where = Placements(records)
    assert where.find("7").docname == "d"
    assert where.find(" SLUG-7 ").docname == "d"  # by slug, any case
    assert where.owners["quicktake-7"].docname == "b"  # the label: first full rendering
    assert Placements(records[:3]).find("7").docname == "b"
    assert Placements(records[:1]).find("7").docname == "a"  # only the fallback
    assert Placements(records[:1]).owners["quicktake-7"].docname == "a"


def test_distinct_lists_each_question_once_at_its_canonical_place() -> None:
    records = [
        record("a", FULL, id="1"),
        record("b", FULL, id="2"),
        record("c", PAGE, id="1"),
        record("c2", FULL, id="1", digest="other"),  # same id, another answer: another entry
    ]
    placed = [(r.id, r.docname) for r in Placements(records).distinct]
    assert placed == [("1", "c"), ("2", "b"), ("1", "c2")]  # where first met, at its best


def test_devoted_page_is_the_own_page_else_the_first_page_showing_it_alone() -> None:
    shared = [record("faq", FULL, id="1"), record("faq", FULL, id="2")]
    alone = [record("one", FULL, id="1"), record("again", FULL, id="1")]
    own = [record("own", PAGE, id="1")]
    assert identify("1", "", "d1") not in Placements(shared).devoted
    assert Placements(shared + alone).devoted[identify("1", "", "d1")] == "one"
    assert Placements(shared + alone + own).devoted[identify("1", "", "d1")] == "own"
    fallback_beside = [record("list", FALLBACK, id="2"), record("list", FULL, id="1")]
    assert Placements(fallback_beside).devoted[identify("1", "", "d1")] == "list"


def test_id_conflicts_once_per_answer_and_never_within_one_file() -> None:
    one = record("a", FULL, id="5", path="/bank/x.md")
    same_file_again = record("b", FULL, id="5", path="/bank/x.md", digest="changed")
    other = record("c", FULL, id="5", path="/bank/y.md", digest="d2")
    other_again = record("d", FULL, id="5", path="/bank/z.md", digest="d2")
    copy = record("e", FULL, id="5", path="/bank/w.md")  # same answer: cross-listed
    slugs = [record("f", FULL, id="", slug="s"), record("g", FULL, id="", slug="s", digest="z")]
    items = [one, same_file_again, other, other_again, copy, *slugs]
    assert id_conflicts(items) == [(one, other)]
    assert distinct(items) == [one, same_file_again, other, slugs[0], slugs[1]]


def test_a_record_comes_back_from_pickle_as_it_was() -> None:
    """Pickled records shorten the file name when it is the page's or the slug's."""
    records = [
        record("learn/physics--tides", PAGE, slug="tides", path="/bank/physics--tides.md"),
        record("faq", FULL, slug="tides", path="/bank/physics/tides.md"),
        record("faq", FULL, slug="tides", path="/bank/other-name.md"),
        record("faq", FULL, slug="tides", path="/bank/tides.markdown"),
        replace(record("faq", FULL, id="", slug="Tides"), anchor="quicktake-tides"),
        replace(record("faq", FULL, id="41"), anchor="quicktake-41"),
        replace(record("faq", FULL, id="41"), anchor="quicktake-41", label="own-label"),
    ]
    for original in records:
        copy = pickle.loads(pickle.dumps(original))
        assert copy == original
        assert copy.path == original.path
    short = pickle.dumps(records[0])
    assert b"physics--tides.md" not in short and b"learn/physics--tides" in short
    assert b"quicktake-41" not in pickle.dumps(records[5])  # the automatic anchor and label
