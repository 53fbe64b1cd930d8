"""Everything the extension adds to an HTML page's ``<head>``."""

from __future__ import annotations

import html
import re
from typing import Any

from sphinx.application import Sphinx

from .domain import get_domain

_META_NAME = re.compile(r"""<meta\s[^>]*\bname\s*=\s*["']?([\w:.-]+)""", re.IGNORECASE)

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


def meta_tag(name: str, content: str) -> str:
    """One ``<meta name=... content=...>`` tag, escaped for an attribute."""
    name, content = html.escape(name, quote=True), html.escape(content, quote=True)
    return f'<meta name="{name}" content="{content}" />'


def existing_meta_names(metatags: str) -> set[str]:
    """Names of the ``<meta name=...>`` tags already in Sphinx's ``metatags``."""
    return {name.lower() for name in _META_NAME.findall(metatags)}


def add_head_tags(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context`` handler: description, keywords, robots and MathJax's mhchem."""
    if doctree is None:
        return
    page = get_domain(app.env).pages.get(pagename)
    if page is None:
        return
    metatags: str = context.get("metatags", "")
    present = existing_meta_names(metatags)
    tags = []
    if page.description and "description" not in present:
        tags.append(meta_tag("description", page.description))
    if page.keywords and "keywords" not in present:
        tags.append(meta_tag("keywords", ", ".join(page.keywords)))
    if page.noindex and "robots" not in present:
        tags.append(meta_tag("robots", "noindex"))
    if tags:
        context["metatags"] = metatags + ("\n" if metatags else "") + "\n".join(tags)
    if page.mhchem and context.get("has_maths_elements"):
        app.add_js_file(None, body=MHCHEM_MATHJAX, priority=510)


def setup_head(app: Sphinx) -> None:
    """Register the ``<head>`` handlers (after Sphinx's own MathJax set-up)."""
    app.connect("html-page-context", add_head_tags, priority=600)
