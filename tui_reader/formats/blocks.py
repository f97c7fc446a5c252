"""A page's repeating blocks: the part of the text that presents each paper.

``find_units(text, found) -> list[Unit]`` takes the text and its id mentions
(``ids.mentions``) and returns the blocks, in order, each a run of lines. A page
repeats one kind of block around its ids; the kinds are tried from the coarsest:

1. HTML containers: ``<article>`` or ``<tr>`` elements;
2. the sections under headings of one level (Markdown ``#`` or HTML ``<hN>``): the
   level with most such blocks, the deepest of those (``# date`` then ``## Title``);
3. top-level list items with their continuation lines;
4. table rows;
5. footnote definitions (``[^3]: ...`` and their indented lines);
6. paragraphs.

A kind is the page's when at least half of its blocks that hold an id hold exactly
one, and its blocks hold at least half as many distinct ids as those of the kind
that holds most (so a lone one-paper section does not hide a list of fifty). A block
that holds several ids, each at the start of its own list item or row, is split into
those. Mentions left
outside every block (free text) each make a block of their own (``mention``): the
lines around their first mention, as the old link reader read them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from .ids import Mention
from .labels import labelled

_CITING = ("abstract", "comments", "summary")
_WORD_RE = re.compile(r"[^\W\d_]{2,}")
_TAG_RE = re.compile(r"<[^<>]*>")

_HEADING_RE = re.compile(r"[ \t]{0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_HTML_HEADING_RE = re.compile(r"\s*<h([1-6])\b[^>]*>(.*?)(?:</h\1\s*>|$)", re.I)
_ITEM_RE = re.compile(r"([ \t]*)(?:[-*+]|\d{1,3}[.)])[ \t]+\S")
_RULE_RE = re.compile(r"[ \t]*(?:\|?[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$")
_NOTE_RE = re.compile(r"\[\^[^\]\s]+\]:")
_CONTAINER_OPEN = {"article": re.compile(r"<article\b", re.I), "tr": re.compile(r"<tr\b", re.I)}
_CONTAINER_CLOSE = {
    "article": re.compile(r"</article\s*>", re.I),
    "tr": re.compile(r"</tr\s*>", re.I),
}


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
                if heading := _HEADING_RE.match(line):
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
            elif first in "-*+0123456789" and (item := _ITEM_RE.match(line)):
                self.indent[number] = len(item.group(1).expandtabs(4))
        self.headings = [number for number in range(count) if self.level[number]]
        self._offsets: list[int] | None = None

    def offset(self, line: int) -> int:
        """The offset in the text of line ``line``'s first character."""
        if self._offsets is None:
            self._offsets = [0, *accumulate(len(line) + 1 for line in self.lines)]
        return self._offsets[line]


def find_units(
    text: str, page: Lines, found: Sequence[Mention], lines_of: Sequence[int]
) -> list[Unit]:
    """The page's blocks (see the module docstring), in order, each with the id it
    presents (``Unit.arxiv_id``)."""
    builders: list[tuple[str, Callable[[], list[Unit]]]] = [
        ("html", lambda: _containers(text, page)),
        *[(f"h{level}", lambda level=level: _sections(page, level)) for level in range(1, 7)],
        ("item", lambda: _items(page)),
        ("row", lambda: [Unit(number, number + 1, "row") for number in page.row]),
        ("note", lambda: _notes(page)),
        ("para", lambda: _paragraphs(page)),
    ]
    slots = _Slots(text, page, found, lines_of)
    levels = set(page.level)
    # No kind can present more papers than the ids shown somewhere other than in a
    # citation: once one does, the kinds after it (finer ones) need not be tried.
    own = {m.arxiv_id for index, m in enumerate(found) if not slots.citing(index)}
    bound = len(own) if own else len({m.arxiv_id for m in found})
    candidates = []
    for name, build in builders:
        if name[0] == "h" and name != "html" and int(name[1]) not in levels:
            continue
        if any(c[3] >= bound for c in candidates) and not (
            name[0] == "h" and name != "html" and candidates[-1][0][0] == "h"
        ):
            break  # (the heading levels are all tried: the deepest of the best wins)
        units = [unit for unit in build() if slots.holds(unit)]
        shown = slots.presented(units) if units else []
        presenting = [ids for ids in shown if ids]
        single = sum(1 for ids in presenting if len(ids) == 1)
        if presenting and 2 * single >= len(presenting):
            covered = len({ids[0] for ids in presenting})
            candidates.append((name, units, shown, covered))
    headings = [c for c in candidates if c[0][0] == "h" and c[0] != "html"]
    if len(headings) > 1:  # one heading level: the one with most papers (ties: deepest)
        best = max(headings, key=lambda c: (c[3], c[0]))
        candidates = [c for c in candidates if c not in headings or c is best]
    chosen: list[Unit] = []
    silent: list[Unit] = []  # blocks of the page's kind that only cite ids
    if candidates:
        most = max(count for *_, count in candidates)
        name, units, shown, _ = next(c for c in candidates if 2 * c[3] >= most)
        for unit, ids in zip(units, shown, strict=True):
            parts = _split(unit, page, slots) if len(ids) > 1 else []
            if parts:
                chosen.extend(parts)
            elif ids:
                unit.arxiv_id = ids[0]
                chosen.append(unit)
            else:
                silent.append(unit)
    covered = _covered(chosen + silent)
    loose = [index for index, line in enumerate(lines_of) if not _inside(covered, line)]
    if loose:
        chosen.extend(_mention_units(page, found, lines_of, loose))
        chosen.sort(key=lambda unit: unit.first)
    _set_parents(chosen, page, _covered(chosen))
    return chosen


def _set_parents(units: list[Unit], page: Lines, covered: list[tuple[int, int]]) -> None:
    """Each unit's parent: the nearest heading above it, outside every block, of a level
    shallower than its own heading's (one pass over headings and units together)."""
    outside = [n for n in page.headings if not _inside(covered, n)]
    stack: list[int] = []  # headings above, each shallower than the one after it
    place = 0
    for unit in units:
        while place < len(outside) and outside[place] < unit.first:
            number = outside[place]
            while stack and page.level[stack[-1]] >= page.level[number]:
                stack.pop()
            stack.append(number)
            place += 1
        if unit.parent:
            continue
        level = page.level[unit.first] or 7
        parents = [n for n in stack if page.level[n] < level]
        unit.parent = page.heading_text[parents[-1]] if parents else ""


class _Slots:
    """Where each mention sits in a block: its *slot*. A page shows the id of each
    block's paper in the same slot; the ids in other slots are citations.

    A slot is the label of the mention's line (``arxiv``, ``link``..., or the line's
    place in the block when it has none: 0-3, 4 for later, ``item``/``row`` for a list
    item or table row inside the block), the line's first mark (``#``, ``<``, ``|``,
    ``-``...) and how the id is shown (link, text, attribute).
    """

    def __init__(
        self, text: str, page: Lines, found: Sequence[Mention], lines_of: Sequence[int]
    ) -> None:
        self.text, self.page, self.found, self.lines_of = text, page, found, lines_of
        self.signature: dict[int, tuple[str, str]] = {}  # line -> (label field, mark)
        self._citing: dict[int, bool] = {}
        for line in set(lines_of):
            text = page.lines[line]
            label = labelled(text) if ":" in text or "：" in text else None
            stripped = text.lstrip(" \t")
            mark = stripped[:1] if stripped[:1] in "#<|>-*+[" else "text"
            if page.in_details[line]:
                mark = "details"
            self.signature[line] = (label[0] if label else "", mark)

    def _indices(self, unit: Unit) -> range:
        return range(bisect_left(self.lines_of, unit.first), bisect_left(self.lines_of, unit.end))

    def holds(self, unit: Unit) -> bool:
        return bool(self._indices(unit))

    def slot(self, unit: Unit, index: int) -> tuple[object, str, str]:
        line = self.lines_of[index]
        label, mark = self.signature[line]
        place: object = label
        if not place:
            if line != unit.first and (self.page.indent[line] >= 0 or mark == "|"):
                place = "row" if mark == "|" else "item"
            else:
                place = min(line - unit.first, 4)
        return place, mark, self.found[index].kind

    def citing(self, index: int) -> bool:
        known = self._citing.get(index)
        if known is None:
            known = self._citing[index] = self._cites(index)
        return known

    def _cites(self, index: int) -> bool:
        """Whether mention ``index`` cites: it is in an abstract, a comment or a
        <details>, or in a sentence (twelve words or more around it, or three before
        it and two after; a link's text and tags do not count)."""
        line = self.lines_of[index]
        if self.signature[line][0] in _CITING or self.page.in_details[line]:
            return True
        mention = self.found[index]
        before, after = self._paragraph_around(line, mention.start, mention.end)
        if before.rfind("<") > before.rfind(">"):
            return False  # an attribute (data-arxiv-id, href) of a tag
        opened = before.rfind("](")
        if opened >= 0 and ")" not in before[opened:]:  # the id is a link's target
            before = before[: before.rfind("[", 0, opened) if "[" in before[:opened] else opened]
            after = after.partition(")")[2]
        words_before = len(_WORD_RE.findall(_TAG_RE.sub(" ", before.rpartition("|")[2])))
        words_after = len(_WORD_RE.findall(_TAG_RE.sub(" ", after.partition("|")[0])))
        return words_before + words_after >= 12 or (words_before >= 3 and words_after >= 2)

    def _paragraph_around(self, line: int, start: int, end: int) -> tuple[str, str]:
        """The text before the mention in its paragraph (the lines that wrap into its
        line, up to a blank line, a heading, a list item or a table row), and the text
        after it on its line."""
        page, text = self.page, self.text
        first = line
        while first > 0 and self._continues(first):
            first -= 1
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        before = "\n".join([*page.lines[first:line], text[line_start:start]])
        return before, text[end : line_end if line_end >= 0 else len(text)]

    def _continues(self, line: int) -> bool:
        """Whether ``line`` continues the paragraph of the line before it."""
        page = self.page
        return not (
            page.blank[line] or page.blank[line - 1] or page.level[line] or page.level[line - 1]
            or page.indent[line] >= 0 or page.lines[line].lstrip()[:1] in ("|", "<", ">")
        )  # fmt: skip

    def presented(self, units: list[Unit]) -> list[list[str]]:
        """For each unit, the ids it presents: those not cited in the slot most units
        show an id in, else its first id not cited; none for a unit that only cites
        (unless the whole page only cites: then its first id)."""
        counts: Counter[tuple[object, str, str]] = Counter()
        citing: dict[int, bool] = {}
        for unit in units:
            indices = self._indices(unit)
            for index in indices:
                citing[index] = self.citing(index)
            counted = [i for i in indices if not citing[i]] or indices
            counts.update(dict.fromkeys((self.slot(unit, index) for index in counted), 1))
        best = counts.most_common(1)[0][0]  # ties: the first seen, in text order
        cites_only = all(citing.values())  # prose throughout: every id is a paper
        shown = []
        for unit in units:
            indices = self._indices(unit)
            own = [i for i in indices if self.slot(unit, i) == best and not citing[i]]
            if not own:
                first = next((i for i in indices if not citing[i]), None)
                own = [indices[0]] if cites_only else [first] if first is not None else []
            shown.append(list(dict.fromkeys(self.found[i].arxiv_id for i in own)))
        return shown


def line_numbers(text: str, offsets: Sequence[int]) -> list[int]:
    """The line number (from 0) of each offset; the offsets in increasing order."""
    numbers = []
    line = done = 0
    for offset in offsets:
        line += text.count("\n", done, offset)
        done = offset
        numbers.append(line)
    return numbers


def _covered(units: list[Unit]) -> list[tuple[int, int]]:
    return sorted((unit.first, unit.end) for unit in units)


def _inside(spans: list[tuple[int, int]], line: int) -> bool:
    place = bisect_right(spans, (line, 1 << 62)) - 1
    return place >= 0 and spans[place][0] <= line < spans[place][1]


def _containers(text: str, page: Lines) -> list[Unit]:
    if "<" not in text:
        return []
    best: list[Unit] = []
    for tag, opening in _CONTAINER_OPEN.items():
        if not opening.search(text):
            continue
        closing = _CONTAINER_CLOSE[tag]
        units: list[Unit] = []
        start = -1
        for number, line in enumerate(page.lines):
            if "<" not in line:
                continue
            if opening.search(line):
                if start >= 0:
                    units.append(Unit(start, number, "html"))
                start = number
            if start >= 0 and closing.search(line):
                units.append(Unit(start, number + 1, "html"))
                start = -1
        if start >= 0:
            units.append(Unit(start, len(page.lines), "html"))
        if len(units) > len(best):
            best = units
    return best


def _sections(page: Lines, level: int) -> list[Unit]:
    units = []
    start = -1
    for number in page.headings:
        if page.level[number] <= level:
            if start >= 0:
                units.append(Unit(start, number, "heading", page.heading_text[start]))
            start = number if page.level[number] == level else -1
    if start >= 0:
        units.append(Unit(start, len(page.lines), "heading", page.heading_text[start]))
    return units


def _items(page: Lines) -> list[Unit]:
    """Top-level list items: an item's line, then its indented or lazy lines."""
    units = []
    lines, indent, blank, level = page.lines, page.indent, page.blank, page.level
    count = len(lines)
    number = 0
    while number < count:
        own = indent[number]
        if own < 0 or own > 3:
            number += 1
            continue
        end = number + 1
        while end < count:
            if level[end] or (0 <= indent[end] <= own):
                break
            if blank[end]:
                after = end + 1
                while after < count and blank[after]:
                    after += 1
                if after >= count or not _indented(lines[after], own) or level[after]:
                    break
                end = after
                continue
            if lines[end][:1] in ("|", "<") and not _indented(lines[end], own):
                break
            end += 1
        units.append(Unit(number, end, "item"))
        number = end
    return units


def _indented(line: str, own: int) -> bool:
    return len(line) - len(line.lstrip(" \t")) > own


def _notes(page: Lines) -> list[Unit]:
    units = []
    count = len(page.lines)
    for start in page.notes:
        end = start + 1
        while end < count and not page.level[end] and end not in page.notes:
            line = page.lines[end]
            if line and not line[:1].isspace() and not page.blank[end]:
                break
            end += 1
        units.append(Unit(start, end, "note"))
    return units


def _paragraphs(page: Lines) -> list[Unit]:
    units = []
    start = -1
    for number, blank in enumerate(page.blank):
        if blank or page.level[number]:
            if start >= 0:
                units.append(Unit(start, number, "para"))
            start = number if page.level[number] else -1
            if page.level[number]:
                units.append(Unit(number, number + 1, "para"))
                start = -1
        elif start < 0:
            start = number
    if start >= 0:
        units.append(Unit(start, len(page.blank), "para"))
    return units


def _split(unit: Unit, page: Lines, slots: _Slots) -> list[Unit]:
    """A block whose ids each start a list item or row of its own, as those blocks."""
    inner = [
        Unit(u.first, min(u.end, unit.end), u.kind)
        for u in _items(page)
        if unit.first < u.first < unit.end
    ]
    inner += [
        Unit(number, number + 1, "row") for number in page.row if unit.first < number < unit.end
    ]
    parts = sorted((u for u in inner if slots.holds(u)), key=lambda u: u.first)
    if len(parts) < 2:
        return []
    for part, ids in zip(parts, slots.presented(parts), strict=True):
        part.parent = unit.heading
        part.arxiv_id = ids[0]
    return parts


def _mention_units(page: Lines, found: Sequence[Mention], lines_of: Sequence[int],
                   loose: list[int]) -> list[Unit]:  # fmt: skip
    """One block per id first mentioned outside every block: from the start of its
    paragraph (or section) to the next such mention's line."""
    seen: set[str] = set()
    firsts = []
    ids = []
    for index in loose:
        if found[index].arxiv_id not in seen:
            seen.add(found[index].arxiv_id)
            firsts.append(lines_of[index])
            ids.append(found[index].arxiv_id)
    units = []
    headings = page.headings
    for place, (line, arxiv_id) in enumerate(zip(firsts, ids, strict=True)):
        previous = firsts[place - 1] if place else -1
        following = firsts[place + 1] if place + 1 < len(firsts) else len(page.lines)
        at = bisect_right(headings, line)
        section_start = headings[at - 1] if at else 0
        section_end = headings[at] if at < len(headings) else len(page.lines)
        if previous < section_start and following >= section_end and at:
            heading = page.heading_text[section_start]
            units.append(Unit(section_start, section_end, "mention", heading, "", arxiv_id))
            continue
        first = line
        while first > previous + 1 and first > section_start and not page.blank[first - 1]:
            first -= 1
        if line == previous:  # two ids on one line: each its own block of that line
            first = line
        end = max(min(following, section_end), line + 1)
        units.append(Unit(first, end, "mention", arxiv_id=arxiv_id))
    return units
