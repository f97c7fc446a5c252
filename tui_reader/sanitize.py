"""Digest text made safe to put on a terminal.

Digest text is untrusted: an escape sequence in a title must show as a character, not
move the cursor or change the terminal's title. Control characters become their
visible Unicode "control picture" (ESC -> ␛) and bidirectional overrides, which can
make text read differently from what it is, become U+FFFD.
"""

from __future__ import annotations

import re

_UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_KEEP_NEWLINES_RE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


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
    """``text`` with every control character replaced by a visible stand-in.

    Same length as ``text``, so offsets into it (bold spans, search hits) still hold.
    """
    pattern = _UNSAFE_KEEP_NEWLINES_RE if keep_newlines else _UNSAFE_RE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_picture, text)
