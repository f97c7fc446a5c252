"""Untrusted text made safe for where it goes: a terminal, a file, a spreadsheet cell.

Digest text (and what a state file holds: notes, tags, stored titles, file names) is
untrusted: an escape sequence in a title must show as a character, never move the
cursor, retitle the window (OSC 0), reach the clipboard (OSC 52), ring the bell or,
through a bidirectional override, make text read otherwise than it is. The unsafe
characters are the C0 controls, DEL, the C1 controls (U+0080-U+009F: U+009B is a CSI on
many terminals), the bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E,
U+2066-U+2069) and the line and paragraph separators U+2028/U+2029. Zero-width joiners
and spaces are kept: scripts and emoji need them, and they cannot move or hide text.

Three rules, one per kind of place:

``printable(text, *, keep_newlines=False)``
    Terminal text: the app, and everything the CLI prints (rows, warnings, errors).
    Every unsafe character becomes a visible stand-in: its Unicode control picture
    (ESC -> U+241B, NUL -> U+2400, DEL -> U+2421), U+FFFD for the others, a space for a
    tab. Same length as ``text``, so offsets into it (bold spans, search hits) hold.
``clean_text(text, *, keep_newlines=True)``
    Text for a file (BibTeX, RIS, CSL-JSON, Markdown, CSV): unsafe characters removed;
    tabs kept; a CR (or CR LF) becomes a line break, or with ``keep_newlines=False``
    every line break a space. ``is_clean(text)``: it would change nothing (a check for
    many strings at once). ``removed_offsets(text)`` are the offsets it drops, for
    moving spans (``clean_text`` with ``keep_newlines`` keeps every other offset's
    order).
``spreadsheet_cell(text)``
    A CSV cell: ``clean_text``, then a leading ``'`` when a spreadsheet would read the
    cell as a formula: it starts, after any spaces and invisible characters, with
    ``= + - @``, or with a tab or line break (OWASP's CSV injection advice).

And ``escaped_json(text)``: JSON text (``list --json``) with every unsafe character
that a JSON encoder leaves raw (DEL, C1, bidirectional controls, U+2028/U+2029) written
as a ``\\uXXXX`` escape: the same JSON values, nothing raw for a terminal.
"""

from __future__ import annotations

import re

_UNSAFE_CLASS = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE_RE = re.compile(f"[\x00-\x1f{_UNSAFE_CLASS}]")
_UNSAFE_KEEP_NEWLINES_RE = re.compile(f"[\x00-\x09\x0b-\x1f{_UNSAFE_CLASS}]")
# What clean_text drops: the unsafe characters but tab, line feed and a lone CR (which
# becomes a line feed), and the CR of a CR LF.
_DROPPED_RE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_UNSAFE_CLASS}]|\r(?=\n)")
_LINE_BREAKS_RE = re.compile("\r\n?|\n")
# The same sets for ASCII text, as bytes that ``bytes.translate`` deletes: a check that
# costs a twentieth of a regex search (the usual text is ASCII).
_ASCII_UNSAFE = bytes(range(0x20)) + b"\x7f"
_ASCII_UNSAFE_KEEP_NEWLINES = _ASCII_UNSAFE.replace(b"\n", b"")
_ASCII_DROPPED = _ASCII_UNSAFE.replace(b"\t", b"").replace(b"\n", b"")  # CR included: rewritten
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# Spaces and invisible characters a spreadsheet may skip before it sees a formula.
_LEADING_BLANKS_RE = re.compile("[ \u00a0\u180e\u2000-\u200b\u200c\u200d\u2060\u3000\ufeff]*")
_CELL_RISKY_START = frozenset(
    "=+-@\t\r\n \u00a0\u180e\u200b\u200c\u200d\u2060\u3000\ufeff"
) | frozenset(map(chr, range(0x2000, 0x200B)))


_RAW_IN_JSON_RE = re.compile(f"[{_UNSAFE_CLASS}]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escaped_json(text: str) -> str:
    """``text`` (JSON) with unsafe characters as ``\\uXXXX`` escapes.

    Such a character can only stand inside a JSON string, where its escape means the
    same character, so the JSON values are unchanged. ASCII text (most rows) costs one
    ``memchr`` for DEL (``isascii`` is a flag of the string); other text that
    ``isprintable`` (no control, format or separator character: one row of JSON) half
    what the search costs."""
    if text.isascii():
        if "\x7f" not in text:
            return text
    elif text.isprintable() or _RAW_IN_JSON_RE.search(text) is None:
        return text
    return _RAW_IN_JSON_RE.sub(_json_escape, text)


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x09:
        return " "
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every unsafe character replaced by a visible stand-in.

    Same length as ``text``, so offsets into it (bold spans, search hits) still hold.
    """
    if text.isascii():
        if _ascii_without(text, _ASCII_UNSAFE_KEEP_NEWLINES if keep_newlines else _ASCII_UNSAFE):
            return text
    elif _printable_but_breaks(text, "\n" if keep_newlines else ""):
        return text
    pattern = _UNSAFE_KEEP_NEWLINES_RE if keep_newlines else _UNSAFE_RE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_picture, text)


def _ascii_without(text: str, characters: bytes) -> bool:
    """``text`` (ASCII) holds none of ``characters``."""
    data = text.encode("ascii")
    return len(data.translate(None, characters)) == len(data)


def _printable_but_breaks(text: str, allowed: str) -> bool:
    """``text`` is printable apart from the characters of ``allowed`` (line feed, tab):
    then it holds no unsafe character (``isprintable`` is false for every control,
    format and separator character; it is also false for a few safe ones, such as a
    no-break space, which the caller's search then clears). A quarter of the search's
    cost."""
    for character in allowed:
        if character in text:
            text = text.replace(character, " ")
    return text.isprintable()


def is_clean(text: str) -> bool:
    """``clean_text(text)`` would be ``text`` (with ``keep_newlines``): one check for
    many strings joined."""
    if text.isascii():
        return _ascii_without(text, _ASCII_DROPPED)
    if _printable_but_breaks(text, "\n\t"):
        return True
    return "\r" not in text and _DROPPED_RE.search(text) is None


def clean_text(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` for a file: unsafe characters removed, CR and CR LF made line breaks
    (or, without ``keep_newlines``, every line break a space)."""
    if not is_clean(text):
        text = _DROPPED_RE.sub("", text)
        if "\r" in text:
            text = text.replace("\r", "\n")
    if not keep_newlines and "\n" in text:
        text = _LINE_BREAKS_RE.sub(" ", text)
    return text


def removed_offsets(text: str) -> list[int]:
    """The offsets of ``text`` that ``clean_text(text)`` drops, ascending."""
    return [match.start() for match in _DROPPED_RE.finditer(text)]


def spreadsheet_cell(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs as a formula."""
    text = clean_text(text)
    if not text or text[0] not in _CELL_RISKY_START:
        return text
    blanks = _LEADING_BLANKS_RE.match(text)
    assert blanks is not None  # it matches the empty string
    return "'" + text if text[blanks.end() :].startswith(_FORMULA_START) else text
