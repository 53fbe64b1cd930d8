"""Everything the extension adds to an HTML page's ``<head>``: meta description and keywords,
robots, OpenGraph and Twitter tags, the canonical link, the ``<title>``, schema.org JSON-LD,
and MathJax's mhchem. One ``html-page-context`` handler builds it all, so each tag is
emitted once and agrees with the others.
"""

from __future__ import annotations

import html
import json
import os
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

from . import elements
from .domain import PageMeta, get_domain
from .errors import Subtype
from .placement import QuestionRecord
from .structured import structured_data
from .text import plain_text
from .warnings import warn

_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_META_KEY = re.compile(r"""\b(?:name|property)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")

MHCHEM_MATHJAX = """\
(function () {
  var mj = window.MathJax = window.MathJax || {};
  var loader = mj.loader = mj.loader || {};
  loader.load = (loader.load || []).concat(["[tex]/mhchem"]);
  var tex = mj.tex = mj.tex || {};
  var packages = tex.packages = tex.packages || {"[+]": []};
  if (Array.isArray(packages)) { packages.push("mhchem"); }
  else { packages["[+]"] = (packages["[+]"] || []).concat(["mhchem"]); }
})();"""

STATIC = Path(__file__).parent / "static"
STYLESHEET, SCRIPT = "quicktakes.css", "quicktakes.js"

#: Builders that publish web pages (EPUB gets meta tags only: no URLs, no JSON-LD).
WEB_BUILDERS = {"html", "dirhtml", "singlehtml"}


@dataclass(frozen=True)
class Tag:
    """One ``<meta>`` tag: ``attr`` is ``name`` or ``property``."""

    attr: str
    key: str
    content: str

    def html(self) -> str:
        attr, key = self.attr, html.escape(self.key, quote=True)
        return f'<meta {attr}="{key}" content="{html.escape(self.content, quote=True)}" />'


def meta_tag(name: str, content: str) -> str:
    """One ``<meta name=... content=...>`` tag, escaped for an attribute."""
    return Tag("name", name, content).html()


def base_url(app: Sphinx) -> str:
    """Where the site is published: ``quicktakes_base_url``, ``html_baseurl`` or Read the
    Docs' ``READTHEDOCS_CANONICAL_URL``; empty when unknown."""
    config = app.config
    base = config.quicktakes_base_url or config.html_baseurl
    base = base or os.environ.get("READTHEDOCS_CANONICAL_URL", "")
    return base if not base or base.endswith("/") else base + "/"


def page_url(app: Sphinx, pagename: str, base: str) -> str:
    """The absolute URL of a page (``page.html`` or ``page/`` as the builder writes it)."""
    target = app.builder.get_target_uri(pagename).split("#")[0]
    return urllib.parse.urljoin(base, target) if base else ""


def page_meta(app: Sphinx, pagename: str) -> PageMeta | None:
    """What a page's questions contribute; for singlehtml, those of every document."""
    pages = get_domain(app.env).pages
    if app.builder.name != "singlehtml":
        return pages.get(pagename)
    merged = PageMeta()
    for docname in get_domain(app.env).reading_order():
        page = pages.get(docname)
        if page is None:
            continue
        merged.noindex = merged.noindex or page.noindex
        merged.mhchem = merged.mhchem or page.mhchem
        merged.questions += page.questions
    return merged if merged.questions else None


def shown_questions(
    page: PageMeta, doctree: nodes.document
) -> list[tuple[QuestionRecord, elements.question]]:
    """The page's questions still in the written page, with their nodes (a list's fallback
    renderings are dropped when the question is shown elsewhere)."""
    shown = {anchor: node for node in doctree.findall(elements.question) for anchor in node["ids"]}
    return [(q, shown[q.anchor]) for q in page.questions if q.anchor in shown]


def author_tags(doctree: nodes.document) -> set[str]:
    """Keys of the meta tags the page's author wrote (``meta`` directive, MyST html_meta)."""
    keys = set()
    for node in doctree.findall(nodes.meta):
        key = node.get("name") or node.get("property")
        if key:
            keys.add(key.lower())
    return keys


def _strip(title: str) -> str:
    return html.unescape(_TAGS.sub("", title)).strip()


def own_title(app: Sphinx, question: QuestionRecord, page_title: str) -> str | None:
    """``<title>`` from ``quicktakes_title`` for a page devoted to one question."""
    setting = app.config.quicktakes_title
    if not setting:
        return None
    seo_title = get_domain(app.env).details(question).seo_title
    if setting == "seo":
        return seo_title or None
    fields = {
        "heading": question.heading,
        "subject": question.subject,
        "project": app.config.project,
        "seo_title": seo_title,
        "author": question.author,
        "title": page_title,
    }
    try:
        return str(setting).format(**fields)
    except (KeyError, IndexError, ValueError) as error:
        warn(f"quicktakes_title {setting!r} cannot be applied: {error}", Subtype.CONFIG)
        return None


def question_tags(
    app: Sphinx, page: PageMeta, questions: list[QuestionRecord], title: str, url: str
) -> list[Tag]:
    """Every tag the page's questions call for, in a stable order."""
    config = app.config
    details = get_domain(app.env).details
    with_meta = [q for q in questions if q.meta]
    tags: list[Tag] = []
    description = ""
    if with_meta:
        first = details(with_meta[0])
        description = first.description
        if not description and config.quicktakes_auto_description:
            description = first.auto_description
        if description:
            tags.append(Tag("name", "description", description))
        keywords = _merged(details(q).keywords for q in with_meta)
        if keywords:
            tags.append(Tag("name", "keywords", ", ".join(keywords)))
    if page.noindex:
        tags.append(Tag("name", "robots", "noindex"))
    if not with_meta or app.builder.name not in WEB_BUILDERS:
        return tags
    single = with_meta[0] if len(with_meta) == 1 else None
    og_title = single.heading if single else title
    tags += [Tag("property", "og:title", og_title), Tag("property", "og:type", "article")]
    if description:
        tags.append(Tag("property", "og:description", description))
    if url:
        tags.append(Tag("property", "og:url", url))
    if single:
        if single.date:
            tags.append(Tag("property", "article:published_time", single.date))
        if single.author:
            tags.append(Tag("property", "article:author", single.author))
        if single.subject:
            tags.append(Tag("property", "article:section", single.subject))
        tags += [Tag("property", "article:tag", keyword) for keyword in details(single).keywords]
    tags += [Tag("name", "twitter:card", "summary"), Tag("name", "twitter:title", og_title)]
    if description:
        tags.append(Tag("name", "twitter:description", description))
    return tags


def _merged(groups: Iterable[Iterable[str]]) -> list[str]:
    seen: dict[str, str] = {}
    for group in groups:
        for keyword in group:
            seen.setdefault(keyword.casefold(), keyword)
    return list(seen.values())


def merge_metatags(existing: str, ours: list[Tag], authored: set[str]) -> str:
    """Sphinx's ``metatags`` with ours added: a tag the page's author wrote wins; a tag
    another extension added (sphinxext-opengraph) gives way to ours."""
    ours = [tag for tag in ours if tag.key.lower() not in authored]
    replaced = {tag.key.lower() for tag in ours}
    kept = [
        tag
        for tag in _META_TAG.findall(existing)
        if (match := _META_KEY.search(tag)) is None
        or match.group(1).lower() not in replaced
        or match.group(1).lower() in authored
    ]
    rest = _META_TAG.sub("", existing).strip()
    return "\n".join([*([rest] if rest else []), *kept, *(tag.html() for tag in ours)])


def add_head_tags(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context`` handler: the whole ``<head>`` contribution of a page."""
    if doctree is None:
        return
    page = page_meta(app, pagename)
    if page is None:
        return
    app.add_css_file(STYLESHEET)  # this page only: a project without questions is unchanged
    if any(doctree.findall(elements.answer_details)):
        app.add_js_file(SCRIPT)
    shown = shown_questions(page, doctree)
    questions = [record for record, _ in shown]
    web = app.builder.name in WEB_BUILDERS
    base = base_url(app) if web else ""
    url = page_url(app, pagename, base)
    devoted = questions[0] if len(questions) == 1 else None

    if devoted is not None and url:
        url = canonical_url(app, devoted, pagename, base) or url
    if url and (not app.config.html_baseurl or url != context.get("pageurl")):
        context["pageurl"] = url  # the theme writes <link rel="canonical"> once from it

    page_title = _strip(context.get("title", ""))
    if devoted is not None and (title := own_title(app, devoted, page_title)):
        # the whole <title>: themes append " — <docstitle>" only when it is set
        context["title"], context["docstitle"] = html.escape(title), ""
        page_title = title

    tags = question_tags(app, page, questions, page_title, url)
    context["metatags"] = merge_metatags(context.get("metatags", ""), tags, author_tags(doctree))

    if web and app.config.quicktakes_jsonld and questions:
        data = structured_data(
            app.config.quicktakes_jsonld,
            questions,
            {record.anchor: plain_text(elements.answer_of(node)) for record, node in shown},
            {record.anchor: get_domain(app.env).details(record).keywords for record in questions},
            url=url,
            language=app.config.language or "en",
        )
        app.add_js_file(None, body=json_ld(data), type="application/ld+json")
    if page.mhchem and context.get("has_maths_elements"):
        app.add_js_file(None, body=MHCHEM_MATHJAX, priority=510)


def canonical_url(app: Sphinx, question: QuestionRecord, pagename: str, base: str) -> str:
    """For a page devoted to a cross-listed question: the URL of the first page devoted to
    it, when that is another page."""
    first = get_domain(app.env).where().devoted.get(question.identity)
    return "" if first in (None, pagename) else page_url(app, first, base)


def json_ld(data: dict[str, Any]) -> str:
    """JSON for a ``<script type="application/ld+json">``: valid JSON that user text cannot
    end early (``<``, ``>`` and ``&`` are written as JSON escapes)."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def note_missing_base(app: Sphinx, env: Any) -> None:
    """``env-updated`` (the end of reading, on every build): with ``-n``, say once that
    absolute URLs are left out, when some page shows a question (a project without
    questions gets no notice)."""
    if app.builder.name not in WEB_BUILDERS or not app.config.nitpicky or base_url(app):
        return
    if get_domain(env).shows_questions():
        warn(
            "no base URL (quicktakes_base_url, html_baseurl or READTHEDOCS_CANONICAL_URL): "
            "og:url, canonical links and absolute URLs in JSON-LD are left out",
            Subtype.CONFIG,
        )


def copy_static_files(app: Sphinx, env: Any) -> None:
    """``env-updated`` handler (before pages are written, which link them with their
    checksum): the stylesheet and script, only when some page shows a question."""
    if app.builder.format != "html":
        return
    if get_domain(env).shows_questions():
        static = Path(app.outdir, "_static")
        static.mkdir(parents=True, exist_ok=True)
        for name in (STYLESHEET, SCRIPT):
            copy_asset_file(STATIC / name, static / name, force=True)


def setup_head(app: Sphinx) -> None:
    """Register the ``<head>`` handlers (after Sphinx's MathJax and other extensions)."""
    app.connect("env-updated", note_missing_base)
    app.connect("html-page-context", add_head_tags, priority=600)
    app.connect("env-updated", copy_static_files)
