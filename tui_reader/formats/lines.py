"""A page as lines: what each line is, and the blocks cut from them.

``Lines(text)`` splits a page once and classifies its lines (heading level and text,
list-item indent, blank, table rows, footnote definitions, inside a ``<details>``);
``Unit`` is a block of lines ``[first, end)``; ``line_numbers(text, offsets)`` gives
the line of each offset. Used by ``blocks`` (which blocks a page repeats), ``slots``
(which id each block presents) and ``block_fields`` (what a block says).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

HEADING_RE = re.compile(r"[ \t]{0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_HTML_HEADING_RE = re.compile(r"\s*<h([1-6])\b[^>]*>(.*?)(?:</h\1\s*>|$)", re.I)
ITEM_RE = re.compile(r"([ \t]*)(?:[-*+]|\d{1,3}[.)])[ \t]+\S")
_RULE_RE = re.compile(r"[ \t]*(?:\|?[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$")
_NOTE_RE = re.compile(r"\[\^[^\]\s]+\]:")


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
    """The page's lines, classified once: headings, list items, rows, blanks."""

    def __init__(self, text: str) -> None:
        self.lines = lines = text.split("\n")
        count = len(lines)
        self.level = [0] * count  # heading level, 0 for other lines
        self.heading_text: dict[int, str] = {}
        self.indent = [-1] * count  # a list item's indent, -1 for other lines
        self.blank = [False] * count
        self.row: list[int] = []
        self.notes: list[int] = []
        self.in_details = [False] * count  # inside a <details> element
        details = False
        for number, line in enumerate(lines):
            if "details" in line:
                opened = line.rfind("<details") > line.rfind("</details")
                self.in_details[number] = details or "<details" in line
                details = opened or (details and "</details" not in line)
            else:
                self.in_details[number] = details
            stripped = line.lstrip(" \t")
            if not stripped:
                self.blank[number] = True
                continue
            first = stripped[0]
            if first == "#":
                if heading := HEADING_RE.match(line):
                    self.level[number] = len(heading.group(1))
                    self.heading_text[number] = heading.group(2)
            elif first == "<":
                if stripped[1:2] in "hH" and (heading := _HTML_HEADING_RE.match(line)):
                    self.level[number] = int(heading.group(1))
                    self.heading_text[number] = heading.group(2)
            elif first == "|":
                if not _RULE_RE.match(line):
                    self.row.append(number)
            elif first == "[":
                if stripped.startswith("[^") and _NOTE_RE.match(stripped):
                    self.notes.append(number)
            elif first in "-*+0123456789" and (item := ITEM_RE.match(line)):
                self.indent[number] = len(item.group(1).expandtabs(4))
        self.headings = [number for number in range(count) if self.level[number]]
        self._offsets: list[int] | None = None

    def offset(self, line: int) -> int:
        """The offset in the text of line ``line``'s first character."""
        if self._offsets is None:
            self._offsets = [0, *accumulate(len(line) + 1 for line in self.lines)]
        return self._offsets[line]


def line_numbers(text: str, offsets: Sequence[int]) -> list[int]:
    """The line number (from 0) of each offset; the offsets in increasing order."""
    numbers = []
    line = done = 0
    for offset in offsets:
        line += text.count("\n", done, offset)
        done = offset
        numbers.append(line)
    return numbers
