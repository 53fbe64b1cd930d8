"""An allowlist for the TeX of untrusted math.

Question banks are untrusted, and their math is typeset twice: by MathJax in HTML and by
pdflatex/xelatex in PDF.  TeX is a programming language, so a formula could read files
(``\\input{/etc/passwd}``), redefine macros or escape its own delimiters.  :func:`check_tex`
accepts a formula only when every control sequence is on :data:`ALLOWED_MACROS`, every
environment on :data:`ALLOWED_ENVIRONMENTS`, and groups, environments and
``\\left``/``\\right`` nest properly.  Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

#: What KaTeX documents as supported (``docs/support_table.md`` and ``docs/supported.md`` of
#: KaTeX/KaTeX), without what defines macros, manipulates expansion, groups without braces,
#: changes catcodes or reaches outside the formula: ``\def \gdef \edef \xdef \let \futurelet
#: \global \long \newcommand \renewcommand \providecommand \expandafter \noexpand \begingroup
#: \endgroup \arraystretch`` (only useful with ``\def``), ``\verb`` (catcodes),
#: ``\includegraphics`` and the trust-only ``\htmlClass \htmlId \htmlStyle \htmlData``.
#: It includes mhchem's ``\ce`` and ``\pu``; ``\href`` and ``\url`` are checked for an
#: http(s) URL.
_KATEX = """
AA aa above acute AE ae alef alefsym aleph allowbreak Alpha alpha amalg And angl angle angln
approx approxcolon approxcoloncolon approxeq arccos arcctg arcsin arctan arctg arg argmax
argmin ast asymp atop backepsilon backprime backsim backsimeq backslash bar barwedge Bbb Bbbk
bcancel because begin Beta beta beth between bf Big big bigcap bigcirc bigcup Bigg bigg Biggl
biggl Biggm biggm Biggr biggr Bigl bigl Bigm bigm bigodot bigoplus bigotimes Bigr bigr bigsqcup
bigstar bigtriangledown bigtriangleup biguplus bigvee bigwedge binom blacklozenge blacksquare
blacktriangle blacktriangledown blacktriangleleft blacktriangleright bm bmod bold boldsymbol
bot bowtie Box boxdot boxed boxminus boxplus boxtimes Bra bra brace brack Braket braket breve
bull bullet Bumpeq bumpeq cal cancel Cap cap cdot cdotp cdots ce centerdot cfrac ch char check
checkmark Chi chi choose circ circeq circlearrowleft circlearrowright circledast circledcirc
circleddash circledR circledS clap clubs clubsuit cnums colon Colonapprox colonapprox
coloncolon coloncolonapprox coloncolonequals coloncolonminus coloncolonsim Coloneq coloneq
Coloneqq coloneqq colonequals colonminus Colonsim colonsim color colorbox complement Complex
cong coprod copyright cos cosec cosh cot cotg coth cr csc ctg cth Cup cup curlyeqprec
curlyeqsucc curlyvee curlywedge curvearrowleft curvearrowright dag Dagger dagger daleth Darr
dArr darr dashleftarrow dashrightarrow dashv dbinom dblcolon ddag ddagger ddddot dddot ddot
ddots deg degree Delta delta det dfrac diagdown diagup Diamond diamond diamonds diamondsuit
digamma dim displaystyle div divideontimes dot Doteq doteq doteqdot dotplus dots dotsb dotsc
dotsi dotsm dotso doublebarwedge doublecap doublecup Downarrow downarrow downdownarrows
downharpoonleft downharpoonright ell emph empty emptyset end enspace Epsilon epsilon eqcirc
Eqcolon eqcolon Eqqcolon eqqcolon eqsim eqslantgtr eqslantless equalscolon equalscoloncolon
equiv Eta eta eth exist exists exp fallingdotseq fbox fcolorbox Finv flat footnotesize forall
frac frak frown Game Gamma gamma gcd ge genfrac geq geqq geqslant gets gg ggg gggtr gimel
gnapprox gneq gneqq gnsim grave gt gtrapprox gtrdot gtreqless gtreqqless gtrless gtrsim
gvertneqq H Harr hArr harr hat hbar hbox hdashline hearts heartsuit hline hom hookleftarrow
hookrightarrow hphantom href hskip hslash hspace Huge huge i iff iiint iint Im image imageof
imath impliedby implies in inf infin infty injlim int intercal intop Iota iota isin it j jmath
Join Kappa kappa KaTeX ker kern Ket ket Lambda lambda land lang langle LARGE Large large Larr
lArr larr LaTeX lBrace lbrace lbrack lceil ldotp ldots le leadsto left Leftarrow leftarrow
leftarrowtail leftharpoondown leftharpoonup leftleftarrows Leftrightarrow leftrightarrow
leftrightarrows leftrightharpoons leftrightsquigarrow leftthreetimes leq leqq leqslant
lessapprox lessdot lesseqgtr lesseqqgtr lessgtr lesssim lfloor lg lgroup lhd lim liminf limits
limsup ll llap llbracket llcorner Lleftarrow lll llless lmoustache ln lnapprox lneq lneqq lnot
lnsim log Longleftarrow longleftarrow Longleftrightarrow longleftrightarrow longmapsto
Longrightarrow longrightarrow looparrowleft looparrowright lor lozenge lparen lq Lrarr lrArr
lrarr lrcorner Lsh lt ltimes lVert lvert lvertneqq maltese mapsto mathbb mathbf mathbin mathcal
mathchoice mathclap mathclose mathellipsis mathfrak mathinner mathit mathllap mathnormal mathop
mathopen mathord mathpunct mathrel mathring mathrlap mathrm mathscr mathsf mathsfit
mathsterling mathstrut mathtt max measuredangle medspace mho mid middle min minuscolon
minuscoloncolon minuso mkern mod models mp mskip Mu mu multimap N nabla natnums natural ncong
ne nearrow neg negmedspace negthickspace negthinspace neq newline nexists ngeq ngeqq ngeqslant
ngtr ni nLeftarrow nleftarrow nLeftrightarrow nleftrightarrow nleq nleqq nleqslant nless nmid
nobreak nobreakspace nolimits nonumber normalsize not notag notin notni nparallel nprec npreceq
nRightarrow nrightarrow nshortmid nshortparallel nsim nsubseteq nsubseteqq nsucc nsucceq
nsupseteq nsupseteqq ntriangleleft ntrianglelefteq ntriangleright ntrianglerighteq Nu nu nVDash
nVdash nvDash nvdash nwarrow O o odot OE oe oiiint oiint oint Omega omega Omicron omicron
ominus operatorname operatornamewithlimits oplus origof oslash otimes over overbrace
overbracket overgroup overleftarrow overleftharpoon overleftrightarrow overline overlinesegment
Overrightarrow overrightarrow overrightharpoon overset owns P parallel partial perp phantom
phase Phi phi Pi pi pitchfork plim plusmn pm pmb pmod pod pounds Pr prec precapprox preccurlyeq
preceq precnapprox precneqq precnsim precsim prime prod projlim propto Psi psi pu qquad quad R
r raisebox rang rangle Rarr rArr rarr ratio rBrace rbrace rbrack rceil Re real Reals reals
relax restriction rfloor rgroup rhd Rho rho right Rightarrow rightarrow rightarrowtail
rightharpoondown rightharpoonup rightleftarrows rightleftharpoons rightrightarrows
rightsquigarrow rightthreetimes risingdotseq rlap rm rmoustache rparen rq rrbracket Rrightarrow
Rsh rtimes rule rVert rvert S scriptscriptstyle scriptsize scriptstyle sdot searrow sec sect
Set set setminus sf sh sharp shortmid shortparallel Sigma sigma sim simcolon simcoloncolon
simeq sin sinh sixptsize small smallfrown smallint smallsetminus smallsmile smash smile sout
space spades spadesuit sphericalangle sqcap sqcup sqrt sqsubset sqsubseteq sqsupset sqsupseteq
square ss stackrel star sub sube Subset subset subseteq subseteqq subsetneq subsetneqq substack
succ succapprox succcurlyeq succeq succnapprox succneqq succnsim succsim sum sup supe Supset
supset supseteq supseteqq supsetneq supsetneqq surd swarrow tag tan tanh Tau tau tbinom TeX
text textasciicircum textasciitilde textbackslash textbar textbardbl textbf textbraceleft
textbraceright textcircled textcolor textdagger textdaggerdbl textdegree textdollar
textellipsis textemdash textendash textgreater textit textless textmd textnormal TextOrMath
textquotedblleft textquotedblright textquoteleft textquoteright textregistered textrm textsf
textsterling textstyle texttt textunderscore textup tfrac tg th therefore Theta theta thetasym
thickapprox thicksim thickspace thinspace tilde times tiny to top triangle triangledown
triangleleft trianglelefteq triangleq triangleright trianglerighteq tt twoheadleftarrow
twoheadrightarrow u Uarr uArr uarr ulcorner underbar underbrace underbracket undergroup
underleftarrow underleftrightarrow underline underlinesegment underrightarrow underset unlhd
unrhd Uparrow uparrow Updownarrow updownarrow upharpoonleft upharpoonright uplus Upsilon
upsilon upuparrows urcorner url utilde v varDelta varepsilon varGamma varinjlim varkappa
varLambda varliminf varlimsup varnothing varOmega varPhi varphi varPi varpi varprojlim
varpropto varPsi varrho varSigma varsigma varsubsetneq varsubsetneqq varsupsetneq varsupsetneqq
varTheta vartheta vartriangle vartriangleleft vartriangleright varUpsilon varXi vcentcolon
vcenter Vdash vDash vdash vdots vec vee veebar Vert vert vphantom Vvdash wedge weierp widecheck
widehat widetilde wp wr xcancel xhookleftarrow xhookrightarrow Xi xi xLeftarrow xleftarrow
xleftharpoondown xleftharpoonup xLeftrightarrow xleftrightarrow xleftrightharpoons xlongequal
xmapsto xRightarrow xrightarrow xrightharpoondown xrightharpoonup xrightleftharpoons xtofrom
xtwoheadleftarrow xtwoheadrightarrow yen Z Zeta zeta
"""

#: Standard in MathJax (base, AMS, cancel) and in LaTeX, absent from KaTeX, harmless:
#: TeX delimiters and fraction primitives, box moves, amsmath and array layout, text fonts.
#: Left out on purpose: ``\label \ref \eqref`` (the .aux file and other labels),
#: ``\require`` (loads MathJax extensions), ``\class \cssId \style \bbox \enclose \unicode
#: \mmlToken \toggle \mathtip \texttip`` (MathJax-only HTML and actions), the definitions
#: ``\DeclareMathOperator \newenvironment \renewenvironment \Newextarrow \definecolor``,
#: ``\setlength \skip \pagecolor``, the conditionals ``\if \ifx \ifmode \else \fi \or`` and
#: the plain-TeX ``\matrix \pmatrix \cases \array`` that amsmath disables.
_MATHJAX = """
abovewithdelims Arrowvert arrowvert atopwithdelims bracevert buildrel cancelto cline hfil
hfill iddots idotsint iiiint intertext leftroot lower mbox moveleft moveright mspace
multicolumn raise shoveleft shoveright sideset skew strut textsc textsl uproot vline
"""

ALLOWED_MACROS: frozenset[str] = frozenset(_KATEX.split()) | frozenset(_MATHJAX.split())
"""Control words (names without the backslash) that math may use."""

#: Control symbols: a backslash and one character that is not a letter.  Spacing, escaped
#: specials, text accents, the row break ``\\`` and control space (``\`` + space, tab or
#: newline).  ``\( \) \[ \]`` are not here: they would end the formula.
ALLOWED_SYMBOLS: frozenset[str] = frozenset(",:;!> {}\\|#$%&_'\"`.=^~\t\n")

_ENVIRONMENTS = """
align align* alignat alignat* aligned alignedat array Bmatrix Bmatrix* bmatrix bmatrix* cases CD
darray dcases drcases eqnarray eqnarray* equation equation* flalign flalign* gather gather*
gathered matrix matrix* multline multline* pmatrix pmatrix* rcases smallmatrix split subarray
Vmatrix Vmatrix* vmatrix vmatrix*
"""

ALLOWED_ENVIRONMENTS: frozenset[str] = frozenset(_ENVIRONMENTS.split())
"""Environments that ``\\begin`` may open: KaTeX's, plus amsmath's multline, flalign and
LaTeX's eqnarray (MathJax has them too)."""


@dataclass(frozen=True)
class TexProblem:
    """Why a formula is refused: ``unsafe`` (a construct off the allowlist) or ``bad``
    (broken structure: braces, environments, ``\\left``/``\\right``)."""

    kind: Literal["unsafe", "bad"]
    message: str


# One match per character TeX treats specially; everything else is plain text.
_TOKEN = re.compile(
    r"(?P<open>\{)|(?P<close>\})"
    r"|\\(?:(?P<word>[^\W\d_]+)|(?P<symbol>.)|(?P<end>\Z))"  # Unicode letters, as in xelatex
    r"|(?P<special>[%$#\r])"
    r"|(?P<control>[\x00-\x08\x0b\x0c\x0e-\x1f\x7f])",
    re.S,
)
_BRACE = ("{", "")
_BRACED = re.compile(r"[ \t\n]*\{([^{}]*)\}")
_ENV_NAME = re.compile(r"[A-Za-z]+\*?")
# http(s), a host (or an IPv6 address), then URL characters that are inert in TeX; \# and
# \% stand for # and % (hyperref and KaTeX read them so).
_URL = re.compile(
    r"https?://[A-Za-z0-9\[](?:[A-Za-z0-9\-._~:/?=&+,;@!*'()\[\]]|\\[#%])*", re.IGNORECASE
)

_SPECIAL_MESSAGES = {
    "%": ("unsafe", "% starts a TeX comment that would swallow the end of the formula; write \\%"),
    "$": ("unsafe", "$ would end the formula; write \\$"),
    "\r": ("unsafe", "a carriage return ends the line in TeX, and the formula with it"),
    "#": ("bad", "# is TeX's macro parameter character; write \\#"),
}


class _Scan:
    """State of one :func:`check_tex` pass: the open groups and the first problems."""

    def __init__(self) -> None:
        # ("{", "") for a brace group, ("env", name), ("left", "")
        self.stack: list[tuple[str, str]] = []
        self.unsafe: str | None = None
        self.bad: str | None = None

    def refuse(self, message: str) -> None:
        if self.unsafe is None:
            self.unsafe = message

    def broken(self, message: str) -> None:
        if self.bad is None:
            self.bad = message

    def close(self, kind: str, name: str, what: str) -> None:
        """Pop the innermost open item, which must be ``(kind, name)``."""
        if self.bad is not None:
            return
        if not self.stack:
            self.broken(f"{what} has nothing to close")
            return
        top = self.stack.pop()
        if top != (kind, name):
            self.broken(f"{what} found while {_describe(top)} is open")


def _describe(item: tuple[str, str]) -> str:
    kind, name = item
    if kind == "env":
        return f"\\begin{{{name}}}"
    return "\\left" if kind == "left" else "{"


def check_tex(tex: str) -> TexProblem | None:
    """None when ``tex`` (the inside of a formula) is safe to typeset, else the problem.

    Unsafe beats bad: after a structural error the scan goes on looking for macros.
    """
    if "^^" in tex:
        return TexProblem("unsafe", "^^ (TeX's character code escape) is not allowed in math")
    scan = _Scan()
    stack = scan.stack
    for match in _TOKEN.finditer(tex):
        # Arguments read by _control_word ({name}, {url}) are scanned again here: harmless,
        # they hold one balanced pair of braces and nothing else that is special.
        kind = match.lastgroup
        if kind == "open":
            stack.append(_BRACE)
        elif kind == "close":
            if stack and stack[-1] is _BRACE:
                stack.pop()
            else:
                scan.close(*_BRACE, "}")
        elif kind == "word":
            _control_word(tex, match.group("word"), match.end(), scan)
        elif kind == "symbol":
            symbol = match.group("symbol")
            if symbol not in ALLOWED_SYMBOLS:
                shown = symbol if symbol.isprintable() else f"U+{ord(symbol):04X}"
                scan.refuse(f"\\{shown} is not allowed in math")
        elif kind == "special":
            problem, message = _SPECIAL_MESSAGES[match.group("special")]
            if problem == "unsafe":
                scan.refuse(message)
            else:
                scan.broken(message)
        elif kind == "control":
            scan.broken(f"control character U+{ord(match.group('control')):04X} in math")
        else:
            scan.broken("a lone backslash ends the formula")
        if scan.unsafe is not None:
            return TexProblem("unsafe", scan.unsafe)
    if scan.bad is None and stack:
        scan.broken(f"{_describe(stack[-1])} is never closed")
    if scan.bad is not None:
        return TexProblem("bad", scan.bad)
    return None


def _control_word(tex: str, word: str, pos: int, scan: _Scan) -> None:
    """Check one control word that ends at ``pos`` (and its argument, if it has one)."""
    if word not in ALLOWED_MACROS:
        scan.refuse(f"\\{word} is not allowed in math")
        return
    if word in ("begin", "end"):
        match = _BRACED.match(tex, pos)
        if match is None or not _ENV_NAME.fullmatch(match.group(1)):
            scan.broken(f"\\{word} needs a plain environment name in braces")
            return
        name = match.group(1)
        if name not in ALLOWED_ENVIRONMENTS:
            scan.refuse(f"environment {name} is not allowed in math")
        elif word == "begin":
            if scan.bad is None:
                scan.stack.append(("env", name))
        else:
            scan.close("env", name, f"\\end{{{name}}}")
        return
    if word == "left":
        if scan.bad is None:
            scan.stack.append(("left", ""))
    elif word == "right":
        scan.close("left", "", "\\right")
    elif word == "middle":
        if scan.bad is None and (not scan.stack or scan.stack[-1][0] != "left"):
            scan.broken("\\middle outside \\left ... \\right")
    elif word in ("href", "url"):
        match = _BRACED.match(tex, pos)
        if match is None or not _URL.fullmatch(match.group(1)):
            scan.refuse(f"\\{word} needs an http or https URL in braces")


_LABEL_DROPPED = re.compile(r"[^A-Za-z0-9:_-]+")


def clean_label(label: str) -> str:
    """``label`` (of an equation) without any character outside ``[A-Za-z0-9:_-]``."""
    return _LABEL_DROPPED.sub("", label)
