"""LaTeX: mhchem when answers use it, characters pdflatex cannot set, and index entries
that makeindex can sort."""

from __future__ import annotations

import unicodedata
from collections import Counter

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex import LaTeXBuilder
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.texescape import escape
from sphinx.writers.latex import LaTeXTranslator

from . import elements
from .domain import get_domain

_GREEK = [
    *("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"),
    *("lambda", "mu", "nu", "xi", "o", "pi", "rho", "varsigma", "sigma", "tau", "upsilon"),
    *("phi", "chi", "psi", "omega"),
]
_GREEK_UPPER = {  # capitals that look like Latin letters are set as those letters
    "Α": "A", "Β": "B", "Γ": r"\Gamma", "Δ": r"\Delta", "Ε": "E", "Ζ": "Z", "Η": "H",
    "Θ": r"\Theta", "Ι": "I", "Κ": "K", "Λ": r"\Lambda", "Μ": "M", "Ν": "N", "Ξ": r"\Xi",
    "Ο": "O", "Π": r"\Pi", "Ρ": "P", "Σ": r"\Sigma", "Τ": "T", "Υ": r"\Upsilon",
    "Φ": r"\Phi", "Χ": "X", "Ψ": r"\Psi", "Ω": r"\Omega",
}  # fmt: skip
_SYMBOLS = {
    "−": r"-",
    "√": r"\surd",
    "∧": r"\wedge",
    "∨": r"\vee",
    "⊕": r"\oplus",
    "↔": r"\leftrightarrow",
    "⇔": r"\Leftrightarrow",
    "⇒": r"\Rightarrow",
    "⇌": r"\rightleftharpoons",
    "∞": r"\infty",
    "≈": r"\approx",
    "≠": r"\neq",
    "≡": r"\equiv",
    "∑": r"\sum",
    "∏": r"\prod",
    "∫": r"\int",
    "∂": r"\partial",
    "∇": r"\nabla",
    "∈": r"\in",
    "∉": r"\notin",
    "⊂": r"\subset",
    "⊆": r"\subseteq",
    "∪": r"\cup",
    "∩": r"\cap",
    "∀": r"\forall",
    "∃": r"\exists",
    "¬": r"\neg",
    "∆": r"\Delta",
    "∝": r"\propto",
    "∠": r"\angle",
    "⊥": r"\perp",
    "∥": r"\parallel",
    "≪": r"\ll",
    "≫": r"\gg",
    "⋅": r"\cdot",
    "∘": r"\circ",
    "∼": r"\sim",
    "≅": r"\cong",
    "ℓ": r"\ell",
    "←": r"\leftarrow",
    "↑": r"\uparrow",
    "↓": r"\downarrow",
    "→": r"\rightarrow",
    "≤": r"\leq",
    "≥": r"\geq",
    "±": r"\pm",
    "×": r"\times",
    "÷": r"\div",
    "′": r"\prime",
    "ϵ": r"\epsilon",
    "ϕ": r"\phi",
    "ϑ": r"\vartheta",
}
_TEXT = {
    "₹": "Rs.~",
    "₱": "PHP~",
    "₦": "NGN~",
    "₩": "KRW~",
    "₺": "TRY~",
    "₫": "VND~",
    "℃": r"\textdegree{}C",
    "─": "-",
    "━": "-",
    "│": "|",
    "┃": "|",
    "┌": "+",
    "┐": "+",
    "└": "+",
    "┘": "+",
    "├": "+",
    "┤": "+",
    "┬": "+",
    "┴": "+",
    "┼": "+",
    "═": "=",
    "║": "|",
    "╔": "+",
    "╗": "+",
    "╚": "+",
    "╝": "+",
    "…": r"\ldots{}",
}


def _math(tex: str) -> str:
    return r"\ensuremath{" + tex + "}"


def _pdflatex_characters() -> dict[str, str]:
    """Characters common in question banks that Sphinx's pdflatex set-up cannot typeset,
    with a replacement: math symbols in math mode, box drawing and currencies as text."""
    table: dict[str, str] = {}
    for offset, name in enumerate(_GREEK):  # U+03B1 .. U+03C9
        table[chr(0x03B1 + offset)] = _math("\\" + name) if len(name) > 1 else name
    for letter, tex in _GREEK_UPPER.items():
        table[letter] = _math(tex) if tex.startswith("\\") else tex
    for accented, plain in zip("άέήίόύώϊϋ", "αεηιουωιυ", strict=True):
        table[accented] = table[plain]
    for index, digit in enumerate("0123456789+-=()"):
        table["₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"[index]] = _math("_{" + digit + "}")
        table["⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾"[index]] = _math("^{" + digit + "}")
    table["ⁿ"], table["ⁱ"] = _math("^{n}"), _math("^{i}")
    for code in range(0x1F00, 0x2000):  # polytonic Greek: the base letter
        base = unicodedata.normalize("NFD", chr(code))[:1]
        if base in table:
            table[chr(code)] = table[base]
    for code in [0xBC, 0xBD, 0xBE, *range(0x2150, 0x215F)]:  # vulgar fractions: ¾ ⅗
        numerator, _, denominator = unicodedata.normalize("NFKD", chr(code)).partition("\u2044")
        table[chr(code)] = _math(f"{{}}^{{{numerator}}}/_{{{denominator}}}")
    table.update({char: _math(tex) for char, tex in _SYMBOLS.items()})
    table.update(_TEXT)
    return table


#: Unicode characters mapped for pdflatex (xelatex and lualatex set them from the font).
PDFLATEX_CHARACTERS = _pdflatex_characters()


def unicode_preamble() -> str:
    """``\\DeclareUnicodeCharacter`` lines, guarded so xelatex and lualatex skip them."""
    lines = [
        rf"\DeclareUnicodeCharacter{{{ord(char):04X}}}{{{tex}}}"
        for char, tex in sorted(PDFLATEX_CHARACTERS.items())
    ]
    declare = "\\ifdefined\\DeclareUnicodeCharacter\n" + "\n".join(lines) + "\n\\fi\n"
    # MathJax's mhchem has \pu (physical units); LaTeX's mhchem does not
    return declare + "\\providecommand{\\pu}[1]{\\ce{#1}}\n"


def add_latex_packages(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated`` handler: load mhchem only when some answer uses ``\\ce``."""
    if app.builder.format != "latex":
        return
    needed = any(page.mhchem for page in get_domain(env).pages.values())
    if needed and "mhchem" not in {name for name, _ in app.registry.latex_packages}:
        app.add_latex_package("mhchem", "version=4")


#: PDF viewers show a line of keywords; hyperref also slows down badly on long strings.
PDF_KEYWORDS = 30


def pdf_metadata(env: BuildEnvironment) -> str:
    """``\\hypersetup`` with the book's most common keywords and its subjects (escaped)."""
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    subjects: dict[str, str] = {}
    domain = get_domain(env)
    for _, page in sorted(domain.pages.items()):
        for record in page.questions:
            for keyword in domain.details(record).keywords:
                counts[keyword.casefold()] += 1
                spelling.setdefault(keyword.casefold(), keyword)
            if record.subject:
                subjects.setdefault(record.subject.casefold(), record.subject)
    if not counts:
        return ""
    common = sorted(counts, key=lambda key: (-counts[key], key))[:PDF_KEYWORDS]
    fields = [f"pdfkeywords={{{escape(', '.join(spelling[key] for key in common))}}}"]
    if subjects:
        fields.append(f"pdfsubject={{{escape(', '.join(sorted(subjects.values())))}}}")
    return "\\hypersetup{" + ", ".join(fields) + "}\n"


def add_pdf_metadata(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated`` handler: keywords and subjects into the PDF's document information."""
    if app.builder.format != "latex" or not app.config.quicktakes_pdf_metadata:
        return
    metadata = pdf_metadata(env)
    if metadata:
        context = app.builder.context  # type: ignore[attr-defined]
        context["preamble"] = context.get("preamble", "") + "\n" + metadata


#: Letters that have no decomposition: spelled out in ASCII, as dictionaries sort them.
_SORT_LETTERS = {
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l",
    "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i",
}  # fmt: skip
_SORT_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 +-=()',./:;")


def sort_char(char: str) -> str:
    """The ASCII a non-ASCII character sorts as in a makeindex key: its base letter
    (``é`` as ``e``, ``²`` as ``2``, ``⁺`` as ``+``), a spelling (``ß`` as ``ss``), else
    ``*`` and its code point, which sorts with the symbols and never breaks LaTeX."""
    if char in _SORT_LETTERS:
        return _SORT_LETTERS[char]
    decomposed = unicodedata.normalize("NFKD", char)
    plain = "".join(part for part in decomposed if not unicodedata.combining(part))
    if plain and all(part in _SORT_SAFE for part in plain):
        return plain
    return f"*{ord(char):05X}"


def ascii_sort_keys(latex: str) -> str:
    """``\\index{key@display!key@display|encap}`` with each key's non-ASCII characters
    replaced by :func:`sort_char`; the displays, and ASCII keys, stay as they are.

    makeindex sorts bytes: a key starting with ``é`` or ``Ü`` lands after ``z`` under a
    letter heading made of the character's first byte, which stops pdflatex."""
    out: list[str] = []
    position = 0
    while (start := latex.find("\\index{", position)) >= 0:
        start += len("\\index{")
        depth, quoted, in_key, index = 0, False, True, start
        entry: list[str] = []
        while index < len(latex) and not (depth == 0 and latex[index] == "}" and not quoted):
            char = latex[index]
            if quoted:
                quoted = False
            elif char == '"':  # makeindex's quote: the next character is literal
                quoted = True
            elif char in "{}":
                depth += 1 if char == "{" else -1
            elif depth == 0 and char in "!@|":
                in_key = char == "!"  # after | (the page format) nothing is a key
            entry.append(sort_char(char) if in_key and not char.isascii() else char)
            index += 1
        out += [latex[position:start], *entry]
        position = index
    out.append(latex[position:])
    return "".join(out)


class sorted_index(addnodes.index):  # noqa: N801 (a docutils node name)
    """A question's index entries, written with ASCII sort keys (see
    :class:`AsciiSortKeys`)."""


def visit_sorted_index(self: LaTeXTranslator, node: sorted_index) -> None:
    """Sphinx's own ``\\index`` lines, the keys made ASCII."""
    start = len(self.body)
    try:
        self.visit_index(node)
    finally:  # visit_index ends with SkipNode
        self.body[start:] = [ascii_sort_keys(text) for text in self.body[start:]]


def uses_makeindex(config: Config) -> bool:
    """Whether ``make latexpdf`` sorts the index with makeindex: pdflatex's default
    (``latex_use_xindy`` is true by default for xelatex and lualatex only)."""
    engine = config.latex_engine
    return engine in {"pdflatex", "xelatex", "lualatex"} and not config.latex_use_xindy


class AsciiSortKeys(SphinxPostTransform):
    """For makeindex, the questions' index entries that are not ASCII (``énergie``,
    ``Schrödinger``, ``Ca²⁺``) get ASCII sort keys: sorted with their base letters
    instead of after ``z``, and no heading that stops pdflatex. Other index entries of
    the project, and any entry under xindy, stay as Sphinx writes them."""

    default_priority = 900
    builders = ("latex",)

    def is_supported(self) -> bool:
        return super().is_supported() and uses_makeindex(self.config)

    def run(self, **kwargs: object) -> None:
        questions = (elements.question_section, elements.question_box)
        for node in list(self.document.findall(addnodes.index)):
            if not isinstance(node.parent, questions) or isinstance(node, sorted_index):
                continue
            if all(entry[1].isascii() for entry in node["entries"]):
                continue
            node.replace_self(sorted_index(node.rawsource, **node.attributes))


def setup_latex(app: Sphinx) -> None:
    """Register the LaTeX handlers."""
    app.add_node(sorted_index, override=True, latex=(visit_sorted_index, None))
    app.add_post_transform(AsciiSortKeys)
    app.connect("env-updated", add_latex_packages)
    app.connect("env-updated", add_pdf_metadata)
    app.connect("builder-inited", _add_unicode_preamble)


def _add_unicode_preamble(app: Sphinx) -> None:
    """After the project's ``latex_elements['preamble']``, for the LaTeX builder only (in
    the builder's context, not the config: the environment pickles the config)."""
    if isinstance(app.builder, LaTeXBuilder):
        context = app.builder.context
        context["preamble"] = context.get("preamble", "") + "\n" + unicode_preamble()
