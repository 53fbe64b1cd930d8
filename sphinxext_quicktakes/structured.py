"""schema.org structured data (JSON-LD) for a page's questions: FAQPage, QAPage or Quiz.

Built from what the page shows: the answer text comes from the resolved doctree, so it is
the visible answer. Required properties follow Google's documentation for each type:
FAQPage (mainEntity: Question with name and acceptedAnswer.text), QAPage (one Question with
name, answerCount and acceptedAnswer.text) and Education Q&A, a Quiz (hasPart: Question
with eduQuestionType, text and acceptedAnswer.text).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

JSONLD_TYPES = ("FAQPage", "QAPage", "Quiz")


class QuestionLike(Protocol):
    """What a question contributes (``domain.QuestionRecord`` has all of it)."""

    @property
    def anchor(self) -> str: ...
    @property
    def heading(self) -> str: ...
    @property
    def question(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def date(self) -> str: ...
    @property
    def author(self) -> str: ...


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def question_entry(
    question: QuestionLike,
    answer: str,
    keywords: Sequence[str],
    *,
    url: str,
    language: str,
    quiz: bool = False,
) -> dict[str, Any]:
    """One ``Question`` with its ``acceptedAnswer``."""
    entry: dict[str, Any] = {"@type": "Question", "name": question.heading}
    text = question.question if _squash(question.question) != _squash(question.heading) else ""
    if quiz:
        entry["eduQuestionType"] = "Flashcard"
        entry["text"] = text or question.heading
    elif text:
        entry["text"] = text
    answer_entry: dict[str, Any] = {"@type": "Answer", "text": answer}
    if question.date:
        entry["datePublished"] = question.date
        answer_entry["datePublished"] = question.date
    if question.author:
        entry["author"] = {"@type": "Person", "name": question.author}
        answer_entry["author"] = {"@type": "Person", "name": question.author}
    if question.subject:
        entry["about"] = {"@type": "Thing", "name": question.subject}
    if keywords:
        entry["keywords"] = ", ".join(keywords)
    if url:
        entry["url"] = answer_entry["url"] = f"{url}#{question.anchor}"
    entry["inLanguage"] = language
    entry["answerCount"] = 1
    entry["acceptedAnswer"] = answer_entry
    return entry


def structured_data(
    kind: str,
    questions: Sequence[QuestionLike],
    answers: Mapping[str, str],
    keywords: Mapping[str, Sequence[str]],
    *,
    url: str,
    language: str,
) -> dict[str, Any]:
    """The JSON-LD object for a page (``answers`` and ``keywords`` by anchor). ``QAPage``
    is only honest for one question: a page with several gets ``FAQPage``."""
    if kind == "QAPage" and len(questions) != 1:
        kind = "FAQPage"
    entries = [
        question_entry(
            q,
            answers.get(q.anchor, ""),
            keywords.get(q.anchor, ()),
            url=url,
            language=language,
            quiz=kind == "Quiz",
        )
        for q in questions
    ]
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": kind}
    if kind == "QAPage":
        data["mainEntity"] = entries[0]
    elif kind == "Quiz":
        data["hasPart"] = entries
        subjects = sorted({q.subject for q in questions if q.subject})
        if subjects:
            data["about"] = [{"@type": "Thing", "name": subject} for subject in subjects]
    else:
        data["mainEntity"] = entries
    data["inLanguage"] = language
    if url:
        data["url"] = url
    return data
