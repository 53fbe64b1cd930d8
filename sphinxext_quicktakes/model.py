"""Question files: loading, validation and normalisation (no Sphinx or docutils imports).

A question file is Markdown with YAML front matter, as exported by the QuickTakes CMS.
:func:`load_question` turns one into a :class:`Question`, or raises :class:`QuickTakesError`
when the file cannot be shown at all. Problems that only cost a detail (a bad date, an
unknown type for an optional field) are collected on ``Question.problems`` instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from frontmatter import YAMLHandler

from . import dates
from .errors import QuickTakesError, Subtype
from .markdown import decode_escaped_newlines, has_escaped_newlines
from .placement import Identity, automatic_label, identify

__all__ = [
    "DEFAULT_MAX_FILE_SIZE",
    "Question",
    "QuickTakesError",
    "RelatedArticle",
    "Subtype",
    "load_question",
    "parse_question",
]

DEFAULT_MAX_FILE_SIZE = 1024 * 1024
UnescapeMode = bool | Literal["auto"]

#: Keys the model reads; everything else is kept in ``Question.extra``.
KNOWN_KEYS = frozenset(
    {
        "_schema",
        "id",
        "date",
        "title",
        "article_title",
        "date_format",
        "post_on_text",
        "seo",
        "author",
        "question",
        "answer",
        "subject",
        "file_name",
        "url",
        "no_index",
    }
    | {f"related_article{n}" for n in range(1, 6)}
)

_PLACEHOLDER_BODY = re.compile(r"^(?:\s|&nbsp;|&#160;|&#xa0;)*$", re.IGNORECASE)
#: C0 and C1 control characters but tab, newline and carriage return (read as a newline).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: YAML refuses raw control characters: they are parsed as these private-use stand-ins
#: (U+F0000 + code), put back in the values, then removed there with a warning per field.
#: Only in a file with raw controls; such a file's own U+F0000-U+F009F become controls too.
_STAND_IN = 0xF0000
_TO_STAND_IN = {code: _STAND_IN + code for code in range(0xA0) if _CONTROL.match(chr(code))}
_FROM_STAND_IN = {v: k for k, v in _TO_STAND_IN.items()}
_YAML_BOUNDARY = YAMLHandler.FM_BOUNDARY


def _has_control(text: str) -> bool:
    """Whether ``text`` holds a character of :data:`_CONTROL` (``isprintable`` first: a
    printable text has none, and it is much faster than the search)."""
    return not text.isprintable() and _CONTROL.search(text) is not None


@dataclass(frozen=True)
class RelatedArticle:
    """One ``related_articleN`` entry."""

    id: str | int | None
    title: str
    subject: str = ""
    url: str = ""


@dataclass(frozen=True)
class Question:
    """One question file, validated and normalised."""

    path: str
    id: str | int | None
    heading: str
    question: str
    answer: str
    body: str = ""
    date: dt.date | None = None
    date_format: str = dates.DEFAULT_DATE_FORMAT
    post_on_text: str = ""
    author: str = ""
    subject: str = ""
    seo_title: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    url: str = ""
    file_name: str = ""
    no_index: bool = False
    related: tuple[RelatedArticle, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    lines: Mapping[str, int] = field(default_factory=dict)
    problems: tuple[QuickTakesError, ...] = ()

    @property
    def shows_question_text(self) -> bool:
        """Whether the question text differs from the heading and is shown under it."""
        return bool(self.question) and _squash(self.question) != _squash(self.heading)

    @property
    def answer_digest(self) -> str:
        """A short fingerprint of the answer: same id and digest means the same question."""
        return hashlib.sha256(self.answer.encode("utf-8")).hexdigest()[:16]

    @property
    def slug(self) -> str:
        """The file slug: the ``file_name`` stem, else the file's own stem."""
        name = self.file_name or Path(self.path).name
        return Path(name).stem

    @property
    def identity(self) -> Identity:
        """What makes two files the same question (see :mod:`.placement`)."""
        return identify(self.id, self.slug, self.answer_digest)

    @property
    def label(self) -> str:
        """The automatic label, ``quicktake-<id>`` (or the slug when there is no id)."""
        return automatic_label(self.identity.key)

    def formatted_date(self, language: str | None = None) -> str:
        """The date in the file's Moment.js ``date_format``; empty when it cannot be shown."""
        if self.date is None:
            return ""
        try:
            return dates.format_date(self.date, self.date_format, language)
        except QuickTakesError:
            return ""

    def byline(self, language: str | None = None) -> list[str]:
        """Byline parts: ``{post_on_text} {date}``, author and subject, each when present."""
        posted = " ".join(p for p in (self.post_on_text, self.formatted_date(language)) if p)
        if posted == self.post_on_text:  # post_on_text alone says nothing
            posted = ""
        return [part for part in (posted, self.author, self.subject) if part]


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed


class _Loader(_BaseLoader):
    """Safe YAML (libyaml when available) that keeps dates as text for ``dates.parse_date``."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        """The tag of a node without one, as ``BaseResolver.resolve`` (called by the composer
        for every node), with the implicit resolvers looked up once per first character and
        the tags of short plain scalars (keys, names, numbers) remembered."""
        if self.yaml_path_resolvers:
            return str(super().resolve(kind, value, implicit))
        if kind is yaml.MappingNode:
            return self.DEFAULT_MAPPING_TAG
        if kind is not yaml.ScalarNode:
            return self.DEFAULT_SEQUENCE_TAG
        if not implicit[0]:
            return self.DEFAULT_SCALAR_TAG
        tag = _PLAIN_TAGS.get(value)
        if tag is None:
            tag = self.DEFAULT_SCALAR_TAG
            for resolved, regexp in _IMPLICIT.get(value[:1], _WILDCARD):
                if regexp.match(value):
                    tag = resolved
                    break
            if len(value) <= 64 and len(_PLAIN_TAGS) < 4096:
                _PLAIN_TAGS[value] = tag
        return tag


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
#: The loader's own copy of the implicit resolvers (PyYAML shares one dict between its
#: loaders), each list followed by the wildcard resolvers as ``BaseResolver.resolve`` does.
_Loader.yaml_implicit_resolvers = {
    first: list(resolvers) for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_WILDCARD = tuple(_Loader.yaml_implicit_resolvers.get(None, ()))
_IMPLICIT = {
    first: (*resolvers, *_WILDCARD)
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
    if first is not None
}
_PLAIN_TAGS: dict[str, str] = {}
_STR_TAG = "tag:yaml.org,2002:str"
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _may_have_anchor(text: str) -> bool:
    """Whether ``text`` has an ``&`` that could start an anchor (``&name``): one not right
    after a letter or digit (an anchor starts after a space, a line start, an indicator or
    a closing quote). Without an anchor there can be no alias, and the node walk is
    skipped."""
    pos = text.find("&")
    while pos >= 0:
        if pos == 0 or text[pos - 1] not in _ALNUM:
            return True
        pos = text.find("&", pos + 1)
    return False


def _refuse_aliases(root: yaml.Node) -> None:
    """Aliases (``*name``) make nodes shared; question files never need them and they let a
    tiny file expand into an enormous value (the "billion laughs")."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise QuickTakesError(
                "YAML aliases (*name) are not allowed in question files",
                Subtype.YAML,
                line=node.start_mark.line + 1,
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _construct(loader: _Loader, node: yaml.Node) -> Any:
    """``loader.construct_object(node, deep=True)``, without its machinery for the common
    shapes: text, and a mapping of names (``seo``, ``related_articleN``)."""
    if type(node) is yaml.ScalarNode and node.tag == _STR_TAG:
        return node.value
    if type(node) is yaml.MappingNode and node.tag == loader.DEFAULT_MAPPING_TAG:
        pairs = node.value
        if all(type(key) is yaml.ScalarNode and key.tag == _STR_TAG for key, _ in pairs):
            return {
                key.value: (
                    value.value
                    if type(value) is yaml.ScalarNode and value.tag == _STR_TAG
                    else loader.construct_object(value, deep=True)
                )
                for key, value in pairs
            }
    return loader.construct_object(node, deep=True)


def folder_subject(path: str | Path, root: str | Path) -> str:
    """The subject a file's place gives it: the first folder of ``path`` below ``root``
    (``""`` for a file directly in ``root``, or outside it)."""
    parts = Path(os.path.relpath(path, root)).parts
    return parts[0] if len(parts) > 1 and parts[0] != os.pardir else ""


def load_question(
    path: str | Path,
    *,
    unescape: UnescapeMode = "auto",
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
) -> Question:
    """Read and parse one question file."""
    path = Path(path)
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise QuickTakesError("is a directory, not a question file", Subtype.READ)
        if not stat.S_ISREG(status.st_mode):  # a FIFO or device would block or never end
            raise QuickTakesError("is not a regular file", Subtype.READ)
        size = status.st_size
        if max_file_size and size > max_file_size:
            raise QuickTakesError(
                f"file is {size:,} bytes, over the limit of {max_file_size:,} "
                "(quicktakes_max_file_size)",
                Subtype.READ,
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise QuickTakesError("file not found", Subtype.MISSING_FILE) from None
    except OSError as exc:
        raise QuickTakesError(f"cannot read file: {exc.strerror}", Subtype.READ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise QuickTakesError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            Subtype.READ,
            line=line,
        ) from None
    return parse_question(text, str(path), unescape=unescape)


def parse_question(
    text: str, path: str = "<string>", *, unescape: UnescapeMode = "auto"
) -> Question:
    """Parse the text of one question file."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise QuickTakesError("file is empty", Subtype.EMPTY)
    opening = _YAML_BOUNDARY.match(text)
    if not opening:
        raise QuickTakesError(
            "no YAML front matter (the file must start with a '---' line)", Subtype.EMPTY, line=1
        )
    closing = _closing_boundary(text, opening.end())
    if closing is None:
        raise QuickTakesError(
            "front matter is not closed (no second '---' line)", Subtype.YAML, line=1
        )
    front_matter, body = text[opening.end() : closing.start()], text[closing.end() :]
    metadata, lines, problems = _parse_yaml(front_matter)
    body_line = text.count("\n", 0, len(text) - len(body.lstrip())) + 1  # its first text
    return _build_question(metadata, lines, problems, (body, body_line), path, unescape)


def _closing_boundary(text: str, start: int) -> re.Match[str] | None:
    """The first ``---`` line at or after ``start``: ``_YAML_BOUNDARY.search(text, start)``
    (what ``_YAML_BOUNDARY.split`` finds), trying only the lines that start with ``---``."""
    found = text.find("\n---", start - 1)
    while found >= 0:
        match = _YAML_BOUNDARY.match(text, found + 1)
        if match:
            return match
        found = text.find("\n---", found + 1)
    return None


def _restore(value: Any) -> Any:
    """``value`` with the stand-ins of raw control characters turned back into them."""
    if isinstance(value, str):
        return value.translate(_FROM_STAND_IN)
    if isinstance(value, list):
        return [_restore(item) for item in value]
    if isinstance(value, dict):
        return {_restore(k): _restore(v) for k, v in value.items()}
    return value


def _parse_yaml(front_matter: str) -> tuple[dict[str, Any], dict[str, int], list[QuickTakesError]]:
    """Parse front matter into a mapping, with the file line of each top-level key."""
    problems: list[QuickTakesError] = []
    raw_controls = _has_control(front_matter.replace("\n", ""))
    if raw_controls:  # YAML would refuse the file; the values are cleaned later
        front_matter = front_matter.translate(_TO_STAND_IN)
    restore = _restore if raw_controls else _same
    loader = _Loader(front_matter)
    try:
        node = loader.get_single_node()
        if node is None:
            raise QuickTakesError("front matter is empty", Subtype.EMPTY, line=2)
        if _may_have_anchor(front_matter):
            _refuse_aliases(node)
        if not isinstance(node, yaml.MappingNode):
            kind = {yaml.SequenceNode: "a list", yaml.ScalarNode: "a single value"}.get(
                type(node), "not a mapping"
            )
            raise QuickTakesError(
                f"front matter is {kind}, not a mapping of keys to values",
                Subtype.YAML,
                line=node.start_mark.line + 1,
            )
        lines: dict[str, int] = {}
        metadata: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = restore(_construct(loader, key_node))
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                problems.append(
                    QuickTakesError(
                        f"key {key_node.value!r} is read by YAML as {type(key).__name__} "
                        f"{key!r}, not a name; it is ignored (quote it to keep it)",
                        Subtype.YAML,
                        line=line,
                    )
                )
                continue
            if key in metadata:
                problems.append(
                    QuickTakesError(
                        f"duplicate key {key!r} (first on line {lines[key]}); the last one wins",
                        Subtype.YAML,
                        line=line,
                    )
                )
            metadata[key] = restore(_construct(loader, value_node))
            lines[key] = line
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (U+FFFE...)
        line = front_matter.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise QuickTakesError(
            f"invalid YAML front matter: character U+{code:04X} is not allowed",
            Subtype.YAML,
            line=line,
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark or exc.problem_mark  # where the broken construct began
        line = mark.line + 1 if mark is not None else None
        reason = ", ".join(part for part in (exc.context, exc.problem) if part) or "invalid"
        raise QuickTakesError(
            f"invalid YAML front matter: {reason}", Subtype.YAML, line=line
        ) from None
    except yaml.YAMLError as exc:
        raise QuickTakesError(f"invalid YAML front matter: {exc}", Subtype.YAML) from None
    except RecursionError:
        raise QuickTakesError("front matter is nested too deeply", Subtype.YAML) from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise QuickTakesError(f"invalid YAML front matter: {exc}", Subtype.YAML) from None
    finally:
        loader.dispose()
    return metadata, lines, problems


def _same(value: Any) -> Any:
    return value


class _Fields:
    """Typed access to front-matter values that records problems instead of raising."""

    def __init__(self, metadata: Mapping[str, Any], lines: Mapping[str, int]) -> None:
        self.metadata = metadata
        self.lines = lines
        self.problems: list[QuickTakesError] = []
        self.removed: dict[str, tuple[int | None, dict[str, None]]] = {}

    def problem(self, key: str, message: str, subtype: Subtype = Subtype.FIELD_TYPE) -> None:
        self.problems.append(QuickTakesError(message, subtype, line=self.lines.get(key)))

    def clean(self, name: str, text: str, key: str = "", line: int | None = None) -> str:
        """``text`` without C0/C1 control characters (a carriage return is a newline); the
        ones removed are noted for field ``name`` (at the line of ``key`` or ``line``)."""
        if text.isprintable():  # the common case: no control character, no carriage return
            return text
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        found = _CONTROL.findall(text)
        if not found:
            return text
        where = line if line is not None else self.lines.get(key or name)
        self.removed.setdefault(name, (where, {}))[1].update(dict.fromkeys(found))
        return _CONTROL.sub("", text)

    def clean_deep(self, name: str, value: Any) -> Any:
        """``value`` (a YAML value of any shape) with :meth:`clean` applied to its text."""
        if isinstance(value, str):
            return self.clean(name, value)
        if isinstance(value, list):
            return [self.clean_deep(name, item) for item in value]
        if isinstance(value, dict):
            return {self.clean_deep(name, k): self.clean_deep(name, v) for k, v in value.items()}
        return value

    def report_removed(self) -> None:
        """One ``control-char`` problem per field that lost control characters."""
        for name, (line, chars) in self.removed.items():
            shown = ", ".join(repr(ch) for ch in chars)
            plural = "s" * (len(chars) != 1)
            self.problems.append(
                QuickTakesError(
                    f"{name}: removed control character{plural} {shown}",
                    Subtype.CONTROL_CHAR,
                    line=line,
                )
            )

    def printable_id(self, key: str, name: str, value: str | int | None) -> str | int | None:
        """An id as it stands, or None (with a problem) when it has characters that are not
        printable: an id becomes anchors and inventory names, which must not be forged."""
        if value is None or str(value).strip(" \t\n").isprintable():
            return value
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        self.problem(
            key,
            f"'{name}' {shown} has characters that are not printable (controls, tabs, "
            "line breaks); it is ignored",
        )
        return None

    def text(self, key: str, source: Mapping[str, Any] | None = None, where: str = "") -> str:
        """A string value; numbers are accepted as text, anything else is dropped."""
        value = (self.metadata if source is None else source).get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(
                where or key,
                f"'{where + '.' if where else ''}{key}' should be text, not "
                f"{_type_name(value)}; it is ignored",
            )
            return ""
        name = f"{where}.{key}" if where else key
        return self.clean(name, str(value), where or key).strip()

    def mapping(self, key: str) -> Mapping[str, Any]:
        value = self.metadata.get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.problem(key, f"'{key}' should be a mapping, not {_type_name(value)}; ignored")
            return {}
        return value


def _type_name(value: Any) -> str:
    if value is None:
        return "empty (null)"
    return {
        list: "a list",
        dict: "a mapping",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def _decode(text: str, unescape: UnescapeMode) -> str:
    if unescape is False:
        return text
    if unescape == "auto" and not has_escaped_newlines(text):
        return text
    return decode_escaped_newlines(text)


def _build_question(
    metadata: dict[str, Any],
    lines: dict[str, int],
    problems: list[QuickTakesError],
    body_at: tuple[str, int],
    path: str,
    unescape: UnescapeMode,
) -> Question:
    fields = _Fields(metadata, lines)

    answer_value = metadata.get("answer")
    if "answer" not in metadata:
        raise QuickTakesError("no 'answer' in the front matter", Subtype.MISSING_FIELD)
    if not isinstance(answer_value, str):
        raise QuickTakesError(
            f"'answer' should be Markdown text, not {_type_name(answer_value)}",
            Subtype.FIELD_TYPE,
            line=lines.get("answer"),
        )
    answer = _decode(fields.clean("answer", answer_value).strip(), unescape)

    question = _decode(fields.text("question"), unescape)
    title = fields.text("title")
    heading = fields.text("article_title") or title or question
    if not heading:
        raise QuickTakesError(
            "no 'question', 'title' or 'article_title' to use as a heading",
            Subtype.MISSING_FIELD,
        )
    if "question" not in metadata:
        fields.problem(
            "title", "no 'question' in the front matter; the title is used", Subtype.MISSING_FIELD
        )
    heading = " ".join(heading.split())

    question_id: str | int | None = metadata.get("id")
    if isinstance(question_id, bool) or not isinstance(question_id, str | int | None):
        fields.problem("id", f"'id' should be text or a number, not {_type_name(question_id)}")
        question_id = None
    question_id = fields.printable_id("id", "id", question_id)
    if isinstance(question_id, str):
        question_id = question_id.strip() or None

    date = None
    if metadata.get("date") not in (None, ""):
        try:
            date = dates.parse_date(metadata["date"])
        except QuickTakesError as exc:
            fields.problem("date", exc.message + "; the date is not shown", Subtype.DATE)

    date_format = fields.text("date_format") or dates.DEFAULT_DATE_FORMAT
    if date is not None:
        try:
            dates.format_date(date, date_format)
        except QuickTakesError as exc:
            fields.problem(
                "date_format", exc.message + "; the date is not shown", Subtype.DATE_FORMAT
            )
            date = None

    seo = fields.mapping("seo")
    keywords = _keywords(fields.text("page_keywords", seo, "seo"))

    no_index = metadata.get("no_index", False)
    if not isinstance(no_index, bool):
        no_index = str(no_index).strip().lower() in {"true", "yes", "1"}

    body = fields.clean("body", body_at[0], line=body_at[1]).strip()
    if _PLACEHOLDER_BODY.match(body):
        body = ""

    post_on_text = fields.text("post_on_text")
    author = fields.text("author")
    subject = fields.text("subject")
    seo_title = fields.text("title", seo, "seo")
    description = " ".join(fields.text("page_description", seo, "seo").split())
    url = fields.text("url")
    file_name = fields.text("file_name")
    related = _related(metadata, fields)
    extra = {
        fields.clean(key, key): fields.clean_deep(key, value)
        for key, value in metadata.items()
        if key not in KNOWN_KEYS
    }
    fields.report_removed()

    return Question(
        path=path,
        id=question_id,
        heading=heading,
        question=" ".join(question.split()) if "\n" not in question else question,
        answer=answer,
        body=body,
        date=date,
        date_format=date_format,
        post_on_text=post_on_text,
        author=author,
        subject=subject,
        seo_title=seo_title,
        description=description,
        keywords=keywords,
        url=url,
        file_name=file_name,
        no_index=no_index,
        related=related,
        extra=extra,
        lines=lines,
        problems=(*problems, *fields.problems),
    )


def _keywords(text: str) -> tuple[str, ...]:
    """A trimmed, de-duplicated (case-insensitively) keyword list from a comma list."""
    seen: dict[str, str] = {}
    for raw in text.split(","):
        keyword = " ".join(raw.split())
        if keyword and keyword.casefold() not in seen:
            seen[keyword.casefold()] = keyword
    return tuple(seen.values())


def _related(metadata: Mapping[str, Any], fields: _Fields) -> tuple[RelatedArticle, ...]:
    related: list[RelatedArticle] = []
    seen: set[tuple[str, str]] = set()
    for n in range(1, 6):
        key = f"related_article{n}"
        entry = fields.mapping(key)
        if not entry:
            continue
        title = fields.text("title", entry, key)
        if not title:
            continue
        rid = entry.get("id")
        if isinstance(rid, bool) or not isinstance(rid, str | int | None):
            rid = None
        rid = fields.printable_id(key, f"{key}.id", rid)
        url = fields.text("url", entry, key)
        identity = (str(rid) if rid is not None else "", url or title)
        if identity in seen:
            continue
        seen.add(identity)
        related.append(
            RelatedArticle(id=rid, title=title, subject=fields.text("subject", entry, key), url=url)
        )
    return tuple(related)
