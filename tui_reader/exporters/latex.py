"""Plain text (with ``$math$``) -> LaTeX for BibTeX fields: escaping, accents, math spans.

Used by ``tui_reader.bibtex``; plain functions, no I/O, no Textual.

* ``escape_text(text, utf8)``: ``\\ { } $ & % # _ ~ ^ < > |`` escaped (braces as
  ``\\textbraceleft{}``, which BibTeX does not count), non-ASCII as LaTeX unless
  ``utf8``: accented letters from their decomposition with the accents on the plain
  letter and stacked (``{\\'i}``, ``{\\`{\\^a}}``), other characters via pylatexenc,
  characters without an ASCII spelling kept as they are.
* ``split_math(text)``: ``(is_math, piece)`` pieces; ``render(pieces, utf8)`` joins
  them back as LaTeX (math verbatim but for ``% # &``); ``without_math(text)``.
* ``one_line(text)`` / ``clean_line(text)``: NFC, control characters out.
* ``braces_balanced(latex)``: balanced as BibTeX, bibtexparser and TeX count braces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from pylatexenc.latexencode import UnicodeToLatexEncoder

__all__ = [
    "braces_balanced",
    "clean_line",
    "escape_text",
    "one_line",
    "render",
    "split_math",
    "without_math",
]

# Plain-text characters LaTeX (or BibTeX) would misread. Braces are spelled as commands
# because BibTeX counts `\{` as an opening brace. `< > |` print other glyphs in the
# default OT1 font encoding.
_TEXT_SPECIALS = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "$": r"\$",
        "&": r"\&",
        "%": r"\%",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
        "<": r"\textless{}",
        ">": r"\textgreater{}",
        "|": r"\textbar{}",
    }
)
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
# Control characters (C0 except tab/newline, DEL, C1) and lone surrogates, which
# cannot even be written as UTF-8.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")

_ENCODER = UnicodeToLatexEncoder(
    non_ascii_only=True,
    replacement_latex_protection="braces-all",
    unknown_char_policy="keep",
    unknown_char_warning=False,
)


def braces_balanced(latex: str) -> bool:
    """True when braces balance under all three ways of counting them.

    BibTeX and biber count every brace; bibtexparser skips a brace right after a
    backslash; TeX skips the control symbols ``\\{`` ``\\}`` but not ``\\\\{``.
    """
    literal = naive = tex = 0
    escaped = False  # previous character starts a TeX control sequence
    previous = ""
    for char in latex:
        if char in "{}":
            step = 1 if char == "{" else -1
            literal += step
            if previous != "\\":
                naive += step
            if not escaped:
                tex += step
            if literal < 0 or naive < 0 or tex < 0:
                return False
        escaped = char == "\\" and not escaped
        previous = char
    return literal == naive == tex == 0


# Combining marks with a LaTeX text accent: symbol accents take a bare letter (\'i),
# letter accents a group (\H{u}).
_ACCENTS = {
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0304": "=",
    "\u0306": "u",
    "\u0307": ".",
    "\u0308": '"',
    "\u030a": "r",
    "\u030b": "H",
    "\u030c": "v",
    "\u0323": "d",
    "\u0327": "c",
    "\u0328": "k",
    "\u0331": "b",
}


def _accented(char: str) -> str | None:
    """``{\\'i}``, ``{\\H{u}}``, ``{\\`{\\^a}}`` (ầ): an ASCII letter with accents, else None.

    Accents go on ``i`` and ``j`` themselves, never on ``\\i``: biber reads ``\\'\\i``
    as a broken character.
    """
    base, *marks = unicodedata.normalize("NFD", char)
    if not marks or not base.isascii() or not base.isalpha():
        return None
    latex = base
    for depth, mark in enumerate(marks):
        command = _ACCENTS.get(mark)
        if command is None:
            return None
        bare = depth == 0 and not command.isalpha()
        latex = f"\\{command}{latex}" if bare else f"\\{command}{{{latex}}}"
    return f"{{{latex}}}"


@lru_cache(maxsize=4096)
def _latex_for_char(char: str) -> str:
    """LaTeX for one non-ASCII character, or the character itself when there is none."""
    latex = _accented(char) or _ENCODER.unicode_to_latex(char)
    if latex == char or not latex.isascii() or not braces_balanced(latex):
        return char
    return latex


@lru_cache(maxsize=4096)
def _latex_for_math_char(char: str) -> str:
    latex = _latex_for_char(char)
    if latex == char or latex.startswith("{\\ensuremath"):
        return latex
    # Text accents such as {\"u} are errors in math mode.
    return rf"\mbox{{{latex}}}"


def _encode_non_ascii(text: str) -> str:
    if text.isascii():
        return text
    return _NON_ASCII_RE.sub(lambda m: _latex_for_char(m.group()), text)


def escape_text(text: str, utf8: bool) -> str:
    text = text.translate(_TEXT_SPECIALS)
    return text if utf8 else _encode_non_ascii(text)


_MATH_FIX_RE = re.compile(r"\\.|[%#&]", re.DOTALL)


def _render_math(content: str, utf8: bool) -> str:
    """Math content verbatim, except characters that would break the line or the file."""
    content = _MATH_FIX_RE.sub(
        lambda m: m.group() if len(m.group()) == 2 else "\\" + m.group(), content
    )
    if not utf8 and not content.isascii():
        content = _NON_ASCII_RE.sub(lambda m: _latex_for_math_char(m.group()), content)
    return content


def clean_line(text: str) -> str:
    """NFC, without control characters or lone surrogates (each becomes a space / U+FFFD)."""
    if text.isprintable() and (text.isascii() or unicodedata.is_normalized("NFC", text)):
        return text
    if not text.isascii():
        text = _SURROGATE_RE.sub("\ufffd", unicodedata.normalize("NFC", text))
    return _CONTROL_RE.sub(" ", text).replace("\t", " ")


def one_line(text: str) -> str:
    """``text`` on one line with runs of whitespace collapsed to one space."""
    return " ".join(clean_line(text).split())


# Math spans


_BACKSLASH_NON_ASCII_RE = re.compile(r"\\[^\x00-\x7f]")


def _math_close(text: str, start: int, display: bool) -> int | None:
    """Index of the ``$`` closing a span whose content starts at ``start``, or None."""
    i, n = start, len(text)
    while i < n:
        char = text[i]
        if char == "\\":
            i += 2
        elif char == "$":
            if not display:
                return i
            return i if text.startswith("$$", i) else None
        else:
            i += 1
    return None


def split_math(text: str) -> list[tuple[bool, str]]:
    """``text`` as ``(is_math, piece)`` pieces; math pieces are the content only."""
    if "$" not in text:
        return [(False, text)]
    pieces: list[tuple[bool, str]] = []
    text_start = i = 0
    while (i := text.find("$", i)) >= 0:
        delim = 2 if text.startswith("$$", i) else 1
        start = i + delim
        end = _math_close(text, start, delim == 2)
        if end is not None:
            content = text[start:end]
            after = text[end + delim : end + delim + 1]
            if (
                content
                and not content[0].isspace()
                and not content[-1].isspace()
                and not (delim == 1 and after.isdigit())
                and "\n" not in content
                and braces_balanced(content)
                and not _BACKSLASH_NON_ASCII_RE.search(content)
            ):
                if i > text_start:
                    pieces.append((False, text[text_start:i]))
                pieces.append((True, content))
                i = text_start = end + delim
                continue
        i += 1  # a dollar sign, not math
    if text_start < len(text):
        pieces.append((False, text[text_start:]))
    return pieces


def render(pieces: Iterable[tuple[bool, str]], utf8: bool) -> str:
    return "".join(
        f"${_render_math(piece, utf8)}$" if is_math else escape_text(piece, utf8)
        for is_math, piece in pieces
    )


def without_math(text: str) -> str:
    return " ".join(piece for is_math, piece in split_math(text) if not is_math)
