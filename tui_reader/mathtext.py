"""LaTeX in titles and abstracts -> readable Unicode, with a map back to the source.

    >>> shown = render_latex(r"ST$^3$ uses $\\mathit{L_0}$ masks on 87.5% of \\textbf{heads}")
    >>> shown.text
    'ST³ uses L₀ masks on 87.5% of heads'
    >>> shown.emphasis, shown.math
    (((30, 35),), ((2, 3), (9, 11)))
    >>> shown.display_span(45, 59)          # "\\textbf{heads}" in the source
    (30, 35)

API
---
``render_latex(source) -> DisplayText``
    ``DisplayText.text`` is what the reader sees; ``emphasis`` the display spans set by
    ``\\textbf``, ``\\emph``, ``\\textit`` ...; ``math`` the display spans of converted
    math (for tinting); ``conversions`` every converted unit as ``(source_start,
    source_end, display_start, display_end)``, in order; text between units is copied
    unchanged. ``display_span(start, end)`` maps a span of the source to the display
    text; a span touching a converted unit covers that whole unit.

The rules
---------
* **Nothing is dropped.** Only ``$...$`` / ``$$...$$`` pairs and known backslash
  commands are converted; everything else -- a bare ``%``, ``~``, ``^``, ``_``, stray
  braces, unknown commands, an unmatched ``$`` -- stays exactly as written. ``%`` is a
  percent sign, never a comment (pylatexenc's ``latex2text`` would drop the rest of
  the line, so it is only used as a lookup table for rare symbols).
* **Math** is a ``$`` pair on one paragraph that follows pandoc's rule: the opener is
  followed by a non-space, the closer preceded by a non-space and not followed by a
  digit (``costs $5 and $10`` stays as written). Inside it: Greek and symbols
  (``\\alpha`` -> α, ``\\leq`` -> ≤, ``\\mathbb{R}`` -> ℝ), font commands unwrap,
  ``^``/``_`` become Unicode super/subscripts when every character has one (``^{3/2}``
  -> ³ᐟ²) and ``^(...)`` / ``_(...)`` otherwise, ``\\frac{a}{b}`` -> ``a/b`` (with
  parentheses where needed), ``\\sqrt{x}`` -> √x, spacing commands vanish, grouping
  braces vanish, unknown commands stay as written (with their braces). The ``$``
  delimiters vanish.
* **Outside math**: ``\\% \\& \\_ \\$ \\# \\{ \\}`` -> the character; ``\\textbf{X}``,
  ``\\emph{X}``, ``\\textit{X}`` ... -> X (an emphasis span); ``\\texttt{X}``,
  ``\\text{X}`` ... -> X; ``\\href{url}{text}`` -> text followed by `` <url>`` when the
  url differs from the text; ``\\url{X}`` -> X; accents (``\\'e`` -> é, ``\\"{o}`` -> ö)
  and a few text symbols (``\\ldots`` -> …, ``\\LaTeX``).

Text without ``$`` and ``\\`` takes a fast path and comes back unchanged. Rendering is
pure and the last few thousand results are kept in a bounded LRU cache.
Nothing here imports Textual.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

__all__ = ["DisplayText", "render_latex"]

Span = tuple[int, int]
_NO_SPANS: tuple[Span, ...] = ()
_SOURCE_START = itemgetter(0)


@dataclass(frozen=True, slots=True)
class DisplayText:
    """A title or abstract as shown, with the map from its source offsets."""

    text: str
    emphasis: tuple[Span, ...] = _NO_SPANS
    math: tuple[Span, ...] = _NO_SPANS
    conversions: tuple[tuple[int, int, int, int], ...] = ()
    source_length: int = 0

    def display_offset(self, position: int) -> int:
        """Where the source offset ``position`` lands in ``text`` (a unit maps to its start)."""
        return self.display_span(position, position)[0]

    def display_span(self, start: int, end: int) -> Span:
        """The display span of the source span ``[start, end)``.

        Offsets are clamped to the source; a span touching a converted unit covers
        the whole unit (``$\\alpha$`` has no parts on screen). The result is always
        ordered and within ``text``.
        """
        limit = self.source_length
        start = min(max(start, 0), limit)
        end = min(max(end, start), limit)
        units = self.conversions
        if not units:
            return start, end
        # The unit holding ``start``: the last one starting at or before it.
        index = bisect_right(units, start, key=_SOURCE_START) - 1
        shown_start = start
        if index >= 0:
            _, source_end, display_start, display_end = units[index]
            inside = start < source_end
            shown_start = display_start if inside else start - source_end + display_end
        # The unit holding ``end``: the last one starting strictly before it.
        index = bisect_left(units, end, key=_SOURCE_START) - 1
        shown_end = end
        if index >= 0:
            _, source_end, _, display_end = units[index]
            shown_end = display_end if end <= source_end else end - source_end + display_end
        return shown_start, max(shown_end, shown_start)


def render_latex(source: str) -> DisplayText:
    """The readable form of ``source``, a title or abstract that may hold LaTeX."""
    if "$" not in source and "\\" not in source:
        return DisplayText(source, source_length=len(source))
    return _render(source)


# ---------------------------------------------------------------------------
# Text mode: what is outside ``$`` pairs.

_TEXT_SPECIAL = re.compile(r"[$\\]")
_COMMAND_NAME = re.compile(r"[A-Za-z]+")
_GROUP_TOKEN = re.compile(r"\\.|[{}]|\n\n", re.DOTALL)
_DOLLAR_OR_ESCAPE = re.compile(r"\\.|\$", re.DOTALL)
_URL_ESCAPE = re.compile(r"\\[%#&_~$]")
_MAX_TEXT_DEPTH = 16

_TEXT_ESCAPES = frozenset("%&_$#{}")
_EMPHASIS_COMMANDS = frozenset({"textbf", "emph", "textit", "textsl"})
_UNWRAP_COMMANDS = frozenset(
    {"texttt", "textrm", "textsf", "textup", "textnormal", "textmd", "text", "mbox", "textsc"}
)
_ACCENT_MARKS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "c": "\u0327",
    "v": "\u030c",
    "H": "\u030b",
    "u": "\u0306",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}
_TEXT_SYMBOLS = {
    "ldots": "…",
    "dots": "…",
    "textendash": "–",
    "textemdash": "—",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textbackslash": "\\",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textdegree": "°",
    "textpm": "±",
    "texttimes": "×",
    "textmu": "µ",
    "copyright": "©",
    "textregistered": "®",
    "texttrademark": "™",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "ss": "ß",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "o": "ø",
    "O": "Ø",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
}


class _Builder:
    """Collects display pieces and the units that map them to the source."""

    __slots__ = ("braces", "emphasis", "length", "math", "parts", "source", "units")

    def __init__(self, source: str) -> None:
        self.source = source
        self.braces: dict[int, int] | None = None
        self.parts: list[str] = []
        self.length = 0
        self.units: list[tuple[int, int, int, int]] = []
        self.emphasis: list[Span] = []
        self.math: list[Span] = []

    def copy(self, start: int, end: int) -> None:
        if start < end:
            self.parts.append(self.source[start:end])
            self.length += end - start

    def unit(self, start: int, end: int, text: str) -> None:
        self.units.append((start, end, self.length, self.length + len(text)))
        if text:
            self.parts.append(text)
            self.length += len(text)


@lru_cache(maxsize=4096)
def _render(source: str) -> DisplayText:
    builder = _Builder(source)
    _render_text(builder, 0, len(source), 0)
    if not builder.units:
        return DisplayText(source, source_length=len(source))
    emphasis = tuple(sorted(builder.emphasis)) if builder.emphasis else _NO_SPANS
    return DisplayText(
        "".join(builder.parts),
        emphasis,
        tuple(builder.math),
        tuple(builder.units),
        len(source),
    )


def _render_text(builder: _Builder, start: int, end: int, depth: int) -> None:
    source = builder.source
    position = start
    while True:
        found = _TEXT_SPECIAL.search(source, position, end)
        if found is None:
            builder.copy(position, end)
            return
        index = found.start()
        builder.copy(position, index)
        if source[index] == "$":
            position = _math_at(builder, index, end)
        else:
            position = _command_at(builder, index, end, depth)


def _group_end(builder: _Builder, opening: int, end: int) -> int:
    """Offset of the ``}`` matching the ``{`` at ``opening``, or -1 (none in the paragraph)."""
    if builder.braces is None:
        builder.braces = _match_braces(builder.source)
    close = builder.braces.get(opening, -1)
    return close if close < end else -1


def _match_braces(source: str) -> dict[int, int]:
    """Every ``{`` offset -> its ``}``, in one pass (escapes skipped, never across paragraphs).

    One pass keeps a run of unclosed ``\\textbf{`` from costing quadratic time.
    """
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for token in _GROUP_TOKEN.finditer(source):
        text = token.group()
        if text == "{":
            stack.append(token.start())
        elif text == "}":
            if stack:
                pairs[stack.pop()] = token.start()
        elif text == "\n\n":
            stack.clear()
    return pairs


def _command_at(builder: _Builder, index: int, end: int, depth: int) -> int:
    """Render the backslash construct at ``index``; return where scanning resumes."""
    source = builder.source
    if index + 1 >= end:
        builder.copy(index, index + 1)
        return index + 1
    char = source[index + 1]
    if char in _TEXT_ESCAPES:
        builder.unit(index, index + 2, char)
        return index + 2
    if char == "\\":
        builder.copy(index, index + 2)
        return index + 2
    if char in " ,":
        builder.unit(index, index + 2, " ")
        return index + 2
    if not ("a" <= char <= "z" or "A" <= char <= "Z"):
        if char in _ACCENT_MARKS:
            return _accent_at(builder, index, index + 2, end, _ACCENT_MARKS[char], letter=True)
        builder.copy(index, index + 1)
        return index + 1
    name = _COMMAND_NAME.match(source, index + 1, end).group()  # type: ignore[union-attr]
    after = index + 1 + len(name)
    if name in _EMPHASIS_COMMANDS or name in _UNWRAP_COMMANDS:
        if after < end and source[after] == "{" and depth < _MAX_TEXT_DEPTH:
            close = _group_end(builder, after, end)
            if close >= 0:
                builder.unit(index, after + 1, "")
                shown_start = builder.length
                _render_text(builder, after + 1, close, depth + 1)
                if name in _EMPHASIS_COMMANDS and builder.length > shown_start:
                    builder.emphasis.append((shown_start, builder.length))
                builder.unit(close, close + 1, "")
                return close + 1
    elif name == "href":
        resume = _href_at(builder, index, after, end, depth)
        if resume:
            return resume
    elif name == "url":
        if after < end and source[after] == "{":
            close = _group_end(builder, after, end)
            if close >= 0:
                builder.unit(index, after + 1, "")
                _render_url(builder, after + 1, close)
                builder.unit(close, close + 1, "")
                return close + 1
    elif len(name) == 1 and name in _ACCENT_MARKS and after < end and source[after] == "{":
        return _accent_at(builder, index, after, end, _ACCENT_MARKS[name], letter=False)
    elif name in _TEXT_SYMBOLS:
        # ``\LaTeX{}``: the empty group only ends the command name.
        stop = after + 2 if source.startswith("{}", after) and after + 2 <= end else after
        builder.unit(index, stop, _TEXT_SYMBOLS[name])
        return stop
    builder.copy(index, after)
    return after


def _accent_at(
    builder: _Builder, index: int, after: int, end: int, mark: str, *, letter: bool
) -> int:
    r"""``\'e``, ``\'{e}``, ``\"{\i}``, ``\c{c}`` -> one accented letter."""
    source = builder.source
    base = ""
    stop = after
    if after < end and source[after] == "{":
        close = _group_end(builder, after, end)
        inner = source[after + 1 : close] if close >= 0 else ""
        if inner in ("\\i", "\\j"):
            inner = inner[1]
        if len(inner) == 1 and inner.isalpha():
            base, stop = inner, close + 1
    elif letter and after < end and source[after].isascii() and source[after].isalpha():
        base, stop = source[after], after + 1
    if not base:
        builder.copy(index, after)
        return after
    builder.unit(index, stop, unicodedata.normalize("NFC", base + mark))
    return stop


def _href_at(builder: _Builder, index: int, after: int, end: int, depth: int) -> int:
    r"""``\href{url}{text}`` -> text, then `` <url>`` unless the text is the url. 0: not one."""
    source = builder.source
    if after >= end or source[after] != "{" or depth >= _MAX_TEXT_DEPTH:
        return 0
    url_end = _group_end(builder, after, end)
    if url_end < 0 or url_end + 1 >= end or source[url_end + 1] != "{":
        return 0
    text_end = _group_end(builder, url_end + 1, end)
    if text_end < 0:
        return 0
    url = _URL_ESCAPE.sub(lambda match: match.group()[1], source[after + 1 : url_end]).strip()
    builder.unit(index, url_end + 2, "")
    first_part = len(builder.parts)
    _render_text(builder, url_end + 2, text_end, depth + 1)
    shown = "".join(builder.parts[first_part:]).strip()
    if shown == url or not url:
        builder.unit(text_end, text_end + 1, "")
    else:
        builder.unit(text_end, text_end + 1, f" <{url}>" if shown else url)
    return text_end + 1


def _render_url(builder: _Builder, start: int, end: int) -> None:
    position = start
    for escape in _URL_ESCAPE.finditer(builder.source, start, end):
        builder.copy(position, escape.start())
        builder.unit(escape.start(), escape.end(), escape.group()[1])
        position = escape.end()
    builder.copy(position, end)


# ---------------------------------------------------------------------------
# Math mode.


def _math_at(builder: _Builder, index: int, end: int) -> int:
    """Convert the math span opening at ``index`` or keep the ``$``; return the resume offset."""
    source = builder.source
    if source.startswith("$$", index) and index + 2 < end:
        close = _next_dollar(source, index + 2, end)
        while close >= 0 and not source.startswith("$$", close):
            close = _next_dollar(source, close + 1, end)
        if (
            close > index + 2
            and source[index + 2 : close].strip()
            and source.find("\n\n", index, close) < 0
            and _emit_math(builder, index, close + 2, source[index + 2 : close].strip())
        ):
            return close + 2
    elif index + 1 < end and not source[index + 1].isspace():
        close = _next_dollar(source, index + 1, end)
        if (
            close > index + 1
            and not source[close - 1].isspace()
            and (close + 1 >= len(source) or source[close + 1] not in "0123456789")
            and source.find("\n\n", index, close) < 0
            and _emit_math(builder, index, close + 1, source[index + 1 : close])
        ):
            return close + 1
    builder.copy(index, index + 1)
    return index + 1


def _next_dollar(source: str, start: int, end: int) -> int:
    """The next ``$`` that is not escaped as ``\\$``, or -1."""
    for token in _DOLLAR_OR_ESCAPE.finditer(source, start, end):
        if token.group() == "$":
            return token.start()
    return -1


def _emit_math(builder: _Builder, start: int, end: int, content: str) -> bool:
    try:
        text = _MathParser(content).convert()
    except (_TooDeep, RecursionError):
        return False
    if "  " in text:
        # Math ignores spaces; runs of them come from ``\text{if } x`` or ``\quad``.
        text = _SPACES.sub(" ", text)
    shown_start = builder.length
    builder.unit(start, end, text)
    if text:
        builder.math.append((shown_start, builder.length))
    return True


_SUPERSCRIPTS = dict(
    zip(
        "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεϵθιφϕχ/′'*∗†‡∘⊤",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᵋᶿᶥᵠᶲᵡᐟ′′**†‡°ᵀ",
        strict=True,
    )
)
_SUBSCRIPTS = dict(
    zip(
        "0123456789+-−=()aehijklmnoprstuvxβγρφϕχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵩᵪ",
        strict=True,
    )
)

_GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ϵ",
    "varepsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "vartheta": "ϑ",
    "iota": "ι",
    "kappa": "κ",
    "varkappa": "ϰ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "omicron": "ο",
    "pi": "π",
    "varpi": "ϖ",
    "rho": "ρ",
    "varrho": "ϱ",
    "sigma": "σ",
    "varsigma": "ς",
    "tau": "τ",
    "upsilon": "υ",
    "phi": "ϕ",
    "varphi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Xi": "Ξ",
    "Pi": "Π",
    "Sigma": "Σ",
    "Upsilon": "Υ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Omega": "Ω",
}
_MATH_SYMBOLS = {
    **_GREEK,
    # relations
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "leqslant": "⩽",
    "geqslant": "⩾",
    "neq": "≠",
    "ne": "≠",
    "approx": "≈",
    "sim": "∼",
    "simeq": "≃",
    "cong": "≅",
    "equiv": "≡",
    "propto": "∝",
    "ll": "≪",
    "gg": "≫",
    "lesssim": "≲",
    "gtrsim": "≳",
    "prec": "≺",
    "succ": "≻",
    "preceq": "⪯",
    "succeq": "⪰",
    "in": "∈",
    "notin": "∉",
    "ni": "∋",
    "subset": "⊂",
    "subseteq": "⊆",
    "supset": "⊃",
    "supseteq": "⊇",
    "perp": "⊥",
    "parallel": "∥",
    "mid": "|",
    "nmid": "∤",
    "vdash": "⊢",
    "models": "⊨",
    "asymp": "≍",
    "doteq": "≐",
    "triangleq": "≜",
    "coloneqq": "≔",
    "coloneq": "≔",
    # operators
    "times": "×",
    "cdot": "·",
    "div": "÷",
    "pm": "±",
    "mp": "∓",
    "ast": "∗",
    "star": "⋆",
    "circ": "∘",
    "bullet": "•",
    "oplus": "⊕",
    "otimes": "⊗",
    "odot": "⊙",
    "cup": "∪",
    "cap": "∩",
    "setminus": "∖",
    "wedge": "∧",
    "land": "∧",
    "vee": "∨",
    "lor": "∨",
    "neg": "¬",
    "lnot": "¬",
    "sqcup": "⊔",
    "uplus": "⊎",
    # big operators
    "sum": "∑",
    "prod": "∏",
    "coprod": "∐",
    "int": "∫",
    "iint": "∬",
    "iiint": "∭",
    "oint": "∮",
    "bigcup": "⋃",
    "bigcap": "⋂",
    "bigoplus": "⨁",
    "bigotimes": "⨂",
    "bigvee": "⋁",
    "bigwedge": "⋀",
    # arrows
    "rightarrow": "→",
    "to": "→",
    "leftarrow": "←",
    "gets": "←",
    "leftrightarrow": "↔",
    "Rightarrow": "⇒",
    "Leftarrow": "⇐",
    "Leftrightarrow": "⇔",
    "implies": "⟹",
    "iff": "⟺",
    "mapsto": "↦",
    "longrightarrow": "⟶",
    "longleftarrow": "⟵",
    "Longrightarrow": "⟹",
    "longmapsto": "⟼",
    "uparrow": "↑",
    "downarrow": "↓",
    "hookrightarrow": "↪",
    "rightleftharpoons": "⇌",
    # letters and misc
    "ell": "ℓ",
    "hbar": "ℏ",
    "hslash": "ℏ",
    "aleph": "ℵ",
    "Re": "ℜ",
    "Im": "ℑ",
    "wp": "℘",
    "partial": "∂",
    "nabla": "∇",
    "infty": "∞",
    "forall": "∀",
    "exists": "∃",
    "nexists": "∄",
    "emptyset": "∅",
    "varnothing": "∅",
    "angle": "∠",
    "top": "⊤",
    "bot": "⊥",
    "dagger": "†",
    "dag": "†",
    "ddagger": "‡",
    "prime": "′",
    "degree": "°",
    "therefore": "∴",
    "because": "∵",
    "triangle": "△",
    "square": "□",
    "Box": "□",
    "diamond": "⋄",
    "checkmark": "✓",
    "cdots": "⋯",
    "ldots": "…",
    "dots": "…",
    "dotsc": "…",
    "dotsb": "⋯",
    "vdots": "⋮",
    "ddots": "⋱",
    "colon": ":",
    "backslash": "\\",
    # delimiters
    "langle": "⟨",
    "rangle": "⟩",
    "lceil": "⌈",
    "rceil": "⌉",
    "lfloor": "⌊",
    "rfloor": "⌋",
    "lvert": "|",
    "rvert": "|",
    "vert": "|",
    "Vert": "‖",
    "lVert": "‖",
    "rVert": "‖",
    "lbrace": "{",
    "rbrace": "}",
    # spacing that reads as a space
    "quad": " ",
    "qquad": " ",
    # operator names
    **{
        name: name
        for name in (
            "log ln lg exp sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh "
            "coth max min sup inf lim arg det dim ker deg gcd hom Pr argmax argmin"
        ).split()
    },
    "limsup": "lim sup",
    "liminf": "lim inf",
    "bmod": " mod ",
}
_MATH_ESCAPES = {
    "%": "%",
    "&": "&",
    "_": "_",
    "$": "$",
    "#": "#",
    "{": "{",
    "}": "}",
    "|": "‖",
    "\\": " ",
    " ": " ",
    ",": "",
    ";": "",
    ":": "",
    "!": "",
    ">": "",
}
# Commands that only set size, style or spacing: they vanish.
_MATH_VANISH = frozenset(
    "displaystyle textstyle scriptstyle scriptscriptstyle limits nolimits mathstrut strut "
    "enspace thinspace medspace thickspace negthinspace negmedspace "
    "left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr".split()
)
_SIZED_DELIMITERS = frozenset(
    "left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr".split()
)
_MATH_UNWRAP = frozenset(
    "mathit mathbf mathrm mathsf mathtt mathnormal mathup mathbfit boldsymbol bm pmb "
    "text textbf textit textrm textsf texttt textnormal textup emph mbox hbox "
    "operatorname mathop ensuremath underline".split()
)
_MATH_DROP_ARGUMENT = frozenset({"hspace", "vspace", "phantom", "hphantom", "vphantom", "color"})
_MATH_ACCENTS = {
    "hat": "\u0302",
    "widehat": "\u0302",
    "tilde": "\u0303",
    "widetilde": "\u0303",
    "bar": "\u0304",
    "overline": "\u0305",
    "vec": "\u20d7",
    "dot": "\u0307",
    "ddot": "\u0308",
    "check": "\u030c",
    "breve": "\u0306",
    "acute": "\u0301",
    "grave": "\u0300",
    "mathring": "\u030a",
}
_FRACTIONS = frozenset({"frac", "dfrac", "tfrac", "cfrac", "nicefrac"})


def _alphabet(first_upper: int, first_lower: int | None, holes: dict[str, str]) -> dict[str, str]:
    letters = {chr(65 + k): chr(first_upper + k) for k in range(26)}
    if first_lower is not None:
        letters.update({chr(97 + k): chr(first_lower + k) for k in range(26)})
    letters.update(holes)
    return letters


_LETTER_STYLES = {
    "mathbb": {
        **_alphabet(0x1D538, 0x1D552, {}),
        **dict(zip("CHNPQRZ", "ℂℍℕℙℚℝℤ", strict=True)),
        **{str(k): chr(0x1D7D8 + k) for k in range(10)},
    },
    "mathcal": _alphabet(0x1D49C, 0x1D4B6, dict(zip("BEFHILMRego", "ℬℰℱℋℐℒℳℛℯℊℴ", strict=True))),
    "mathfrak": _alphabet(0x1D504, 0x1D51E, dict(zip("CHIRZ", "ℭℌℑℜℨ", strict=True))),
}
_LETTER_STYLES["mathscr"] = _LETTER_STYLES["mathcal"]
_NEEDS_PARENTHESES = re.compile(r"[\s+\-−=<>≤≥×·/÷±∓,;:|]")
_MAX_MATH_DEPTH = 40
_SPACES = re.compile(" {2,}")


class _TooDeep(Exception):
    """Math nested deeper than is sensible: the span is left as written."""


class _MathParser:
    """Recursive descent over the content of one math span."""

    __slots__ = ("depth", "length", "position", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self.position = 0
        self.length = len(source)
        self.depth = 0

    def convert(self) -> str:
        text, _ = self.sequence(closing=False)
        return text

    def sequence(self, *, closing: bool) -> tuple[str, bool]:
        """Parse up to the ``}`` closing the current group (or the end)."""
        self.depth += 1
        if self.depth > _MAX_MATH_DEPTH:
            raise _TooDeep
        source = self.source
        out: list[str] = []
        while self.position < self.length:
            char = source[self.position]
            if char == "}":
                self.position += 1
                if closing:
                    self.depth -= 1
                    return "".join(out), True
                out.append("}")
            elif char == "^" or char == "_":
                self.position += 1
                argument = self.argument()
                out.append(char if argument is None else _script(argument, char == "^"))
            else:
                out.append(self.atom())
        self.depth -= 1
        return "".join(out), False

    def atom(self) -> str:
        source = self.source
        char = source[self.position]
        if char == "\\":
            return self.command()
        self.position += 1
        if char == "{":
            text, closed = self.sequence(closing=True)
            return text if closed else "{" + text
        if char == "~":
            return " "
        if char == "'":
            return "′"
        return char

    def argument(self) -> str | None:
        """The next argument: a group, a command or one character (spaces skipped)."""
        source = self.source
        while self.position < self.length and source[self.position] == " ":
            self.position += 1
        if self.position >= self.length or source[self.position] == "}":
            return None
        self.depth += 1
        if self.depth > _MAX_MATH_DEPTH:
            raise _TooDeep
        text = self.atom()
        self.depth -= 1
        return text

    def command(self) -> str:
        source = self.source
        start = self.position
        if start + 1 >= self.length:
            self.position += 1
            return "\\"
        char = source[start + 1]
        if not ("a" <= char <= "z" or "A" <= char <= "Z"):
            self.position = start + 2
            escaped = _MATH_ESCAPES.get(char)
            return escaped if escaped is not None else source[start : start + 2]
        name = _COMMAND_NAME.match(source, start + 1).group()  # type: ignore[union-attr]
        self.position = start + 1 + len(name)
        symbol = _MATH_SYMBOLS.get(name)
        if symbol is not None:
            return symbol
        if name in _MATH_VANISH:
            if name in _SIZED_DELIMITERS and source.startswith(".", self.position):
                self.position += 1
            return ""
        if name in _MATH_UNWRAP:
            if source.startswith("*", self.position):
                self.position += 1
            argument = self.argument()
            return source[start : self.position] if argument is None else argument
        if name in _LETTER_STYLES:
            argument = self.argument()
            if argument is None:
                return source[start : self.position]
            letters = _LETTER_STYLES[name]
            return "".join(letters.get(letter, letter) for letter in argument)
        if name in _FRACTIONS:
            numerator = self.argument()
            denominator = self.argument() if numerator is not None else None
            if denominator is None:
                return source[start : self.position]
            return f"{_operand(numerator)}/{_operand(denominator)}"
        if name == "sqrt":
            return self.root(start)
        if name in _MATH_ACCENTS:
            argument = self.argument()
            if argument is None:
                return source[start : self.position]
            mark = _MATH_ACCENTS[name]
            marked = "".join(c + mark if not c.isspace() else c for c in argument)
            return unicodedata.normalize("NFC", marked)
        if name == "not":
            argument = self.argument()
            if argument is None:
                return source[start : self.position]
            return unicodedata.normalize("NFC", argument + "\u0338")
        if name in _MATH_DROP_ARGUMENT:
            if self.argument() is None:
                return source[start : self.position]
            return ""
        if name == "textcolor":
            if self.argument() is None:
                return source[start : self.position]
            argument = self.argument()
            return source[start : self.position] if argument is None else argument
        if name == "pmod":
            argument = self.argument()
            return source[start : self.position] if argument is None else f" (mod {argument})"
        fallback = _fallback_symbols().get(name)
        if fallback is not None:
            return fallback
        # Unknown: as written, and so are the braces of its arguments.
        pieces = [source[start : self.position]]
        while source.startswith("{", self.position):
            self.position += 1
            text, closed = self.sequence(closing=True)
            pieces.append("{" + text + ("}" if closed else ""))
        return "".join(pieces)

    def root(self, start: int) -> str:
        source = self.source
        degree = ""
        if source.startswith("[", self.position):
            close = source.find("]", self.position)
            if close > 0:
                inner = _MathParser(source[self.position + 1 : close])
                inner.depth = self.depth
                degree = inner.convert().replace(" ", "")
                self.position = close + 1
        argument = self.argument()
        if argument is None:
            return source[start : self.position]
        radical = {"": "√", "2": "√", "3": "∛", "4": "∜"}.get(degree)
        if radical is None:
            radical = _script(degree, True) + "√"
        return radical + _operand(argument)


def _operand(text: str) -> str:
    """``text`` as the operand of ``/`` or ``√``: parenthesized unless it is one term."""
    text = text.strip()
    if len(text) <= 1 or not _NEEDS_PARENTHESES.search(text):
        return text
    if text[0] == "(" and text[-1] == ")" and text.count("(") == 1:
        return text
    return f"({text})"


def _script(argument: str, superscript: bool) -> str:
    """``^x`` / ``_x`` as Unicode super/subscripts, or a readable ``^(...)`` form."""
    text = argument.replace(" ", "")
    if not text:
        return ""
    table = _SUPERSCRIPTS if superscript else _SUBSCRIPTS
    try:
        return "".join([table[char] for char in text])
    except KeyError:
        marker = "^" if superscript else "_"
        return marker + text if len(text) == 1 else f"{marker}({text})"


_FALLBACK: dict[str, str] | None = None
_FALLBACK_SKIP = frozenset(
    "today ref autoref cref Cref eqref cite citet citep hspace vspace quad qquad".split()
)


def _fallback_symbols() -> dict[str, str]:
    """Rarer symbols from pylatexenc's tables, loaded the first time one is needed.

    Only its macro -> text table is used, never its parser (which reads ``%`` as a
    comment and drops the rest of the line).
    """
    global _FALLBACK
    if _FALLBACK is None:
        table: dict[str, str] = {}
        try:
            from pylatexenc.latex2text import get_default_latex_context_db

            for spec in get_default_latex_context_db().iter_macro_specs():
                replacement = getattr(spec, "simplify_repl", None)
                name = spec.macroname
                if (
                    isinstance(replacement, str)
                    and replacement.strip()
                    and "%" not in replacement
                    and "\n" not in replacement
                    and name.isalpha()
                    and name not in _FALLBACK_SKIP
                ):
                    table[name] = replacement
        except Exception:  # pragma: no cover - pylatexenc is a dependency
            table = {}
        _FALLBACK = table
    return _FALLBACK
