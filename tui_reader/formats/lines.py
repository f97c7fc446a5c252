"""A page as lines: what each line is, and the blocks cut from them.

``Lines(text)`` splits a page once and classifies its lines (heading level and text,
list-item indent, blank, table rows, footnote definitions, inside a ``<details>``,
the label a line starts with: ``label(line)``, ``labels.labelled``) and knows where
each line starts (``offsets``); ``Unit`` is a block of lines ``[first, end)``;
``line_numbers(text, offsets)`` gives the line of each offset; ``opens_tag(text)``
whether a text starts with an HTML tag (``<1%`` does not). Used by ``blocks``
(which blocks a page repeats), ``slots`` (which id each block presents) and
``block_fields`` (what a block says).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import not_

from .labels import labelled

HEADING_RE = re.compile(r"[ \t]{0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_HTML_HEADING_RE = re.compile(r"\s*<h([1-6])\b[^>]*>(.*?)(?:</h\1\s*>|$)", re.I)
ITEM_RE = re.compile(r"([ \t]*)(?:[-*+]|\d{1,3}[.)])[ \t]+\S")
_RULE_RE = re.compile(r"[ \t]*(?:\|?[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$")
_NOTE_RE = re.compile(r"\[\^[^\]\s]+\]:")
# A line (after a break) that starts with a mark: a heading, tag, row, note or item.
_MARKED_RE = re.compile(r"\n[ \t]*+[#<|\[*+0-9-]")
_MARKS = frozenset("#<|[*+-0123456789")
_SPACES_LINE_RE = re.compile(r"\n[ \t]++(?=\n|\Z)")  # a line of spaces and tabs only


@dataclass(slots=True)
class Unit:
    """Lines ``[first, end)`` of the page (from 0); ``kind`` says what made it a block,
    ``heading`` is its heading's text for a section, ``parent`` the nearest heading
    above the block that is not its own (a topic, for the topic pages)."""

    first: int
    end: int
    kind: str
    heading: str = ""
    parent: str = ""
    arxiv_id: str = ""  # set for a ``mention`` block: the id it was made for


class Lines:
    """The page's lines, classified once: headings, list items, rows, blanks, labels.

    Classified by searching the whole text rather than line by line: only the lines
    that start with a mark (``#``, ``<``, ``|``, ``[``, ``-``, ``*``, ``+``, a digit),
    hold ``details`` or a colon in their first 64 characters are looked at one by one.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = lines = text.split("\n")
        count = len(lines)
        # offsets[n]: where line n starts; offsets[count] is one past the text's end.
        self.offsets = offsets = list(accumulate(map((1).__add__, map(len, lines)), initial=0))
        self.level = level = [0] * count  # heading level, 0 for other lines
        self.heading_text: dict[int, str] = {}
        self.headings: list[int] = []
        self.indent = [-1] * count  # a list item's indent, -1 for other lines
        # Blank: empty, or (rarer, found by a search) only spaces and tabs.
        self.blank = blank = list(map(not_, lines))
        if not lines[0].strip(" \t"):
            blank[0] = True
        for found in _SPACES_LINE_RE.finditer(text):
            blank[bisect_left(offsets, found.end()) - 1] = True
        self.row: list[int] = []
        self.notes: list[int] = []
        marked = [0] if lines[0].lstrip(" \t")[:1] in _MARKS else []
        marked += [bisect_left(offsets, found.end()) - 1 for found in _MARKED_RE.finditer(text)]
        for number in marked:
            line = lines[number]
            stripped = line.lstrip(" \t")
            first = stripped[0]
            if first == "#":
                if heading := HEADING_RE.match(line):
                    level[number] = len(heading.group(1))
                    self.heading_text[number] = heading.group(2)
                    self.headings.append(number)
            elif first == "<":
                if stripped[1:2] in "hH" and (heading := _HTML_HEADING_RE.match(line)):
                    level[number] = int(heading.group(1))
                    self.heading_text[number] = heading.group(2)
                    self.headings.append(number)
            elif first == "|":
                if not _RULE_RE.match(line):
                    self.row.append(number)
            elif first == "[":
                if stripped.startswith("[^") and _NOTE_RE.match(stripped):
                    self.notes.append(number)
            elif item := ITEM_RE.match(line):
                self.indent[number] = len(item.group(1).expandtabs(4))
        self.in_details = self._details(text, lines, offsets)
        # The lines whose first 64 characters hold a colon, and the label each starts
        # with (None: no label).
        self.label_of: dict[int, tuple[str, str] | None] = {}
        for colon in (":", "："):
            at = text.find(colon)
            while at >= 0:
                number = bisect_right(offsets, at) - 1
                if at - offsets[number] < 64 and number not in self.label_of:
                    self.label_of[number] = labelled(lines[number])
                at = text.find(colon, offsets[number + 1])  # (the next line's)
        self.label_lines = sorted(number for number, label in self.label_of.items() if label)

    @staticmethod
    def _details(text: str, lines: list[str], offsets: list[int]) -> list[bool]:
        """Whether each line is inside a ``<details>`` element (its own lines too)."""
        count = len(lines)
        inside = [False] * count
        if "details" not in text:
            return inside
        holding = []  # the lines that hold "details", in order
        at = text.find("details")
        while at >= 0:
            number = bisect_right(offsets, at) - 1
            holding.append(number)
            at = text.find("details", offsets[number + 1])
        details = False
        for place, number in enumerate(holding):
            line = lines[number]
            opened = line.rfind("<details") > line.rfind("</details")
            inside[number] = details or "<details" in line
            details = opened or (details and "</details" not in line)
            if details:  # the lines up to the next that holds "details"
                following = holding[place + 1] if place + 1 < len(holding) else count
                inside[number + 1 : following] = [True] * (following - number - 1)
        return inside

    def offset(self, line: int) -> int:
        """The offset in the text of line ``line``'s first character."""
        return self.offsets[line]

    def label(self, line: int) -> tuple[str, str] | None:
        """The label line ``line`` starts with (``labels.labelled``), if any."""
        if line in self.label_of:
            return self.label_of[line]
        text = self.lines[line]
        return labelled(text) if ":" in text or "：" in text else None


def opens_tag(text: str) -> bool:
    """Whether ``text`` starts with an HTML tag's ``<`` (``<b``, ``</``, ``<!--``, or a
    ``<`` that ends it), not a ``<`` of prose (``<1%``, ``< 5``, ``<=``)."""
    after = text[1:2]
    return text[:1] == "<" and ((after.isalpha() and after.isascii()) or after in ("/", "!", ""))


def line_numbers(text: str, offsets: Sequence[int]) -> list[int]:
    """The line number (from 0) of each offset; the offsets in increasing order."""
    numbers = []
    line = done = 0
    for offset in offsets:
        line += text.count("\n", done, offset)
        done = offset
        numbers.append(line)
    return numbers
