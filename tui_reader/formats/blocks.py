"""A page's repeating blocks: the part of the text that presents each paper.

``find_units(text, page, found, lines_of) -> list[Unit]`` takes the text, its lines
(``lines.Lines``) and its id mentions (``ids.mentions``, with their line numbers) and
returns the blocks, in order, each a run of lines. A page
repeats one kind of block around its ids; the kinds are tried from the coarsest:

1. HTML containers: ``<article>`` or ``<tr>`` elements;
2. the sections under headings of one level (Markdown ``#`` or HTML ``<hN>``): the
   level with most such blocks, the deepest of those (``# date`` then ``## Title``);
3. top-level list items with their continuation lines;
4. table rows;
5. footnote definitions (``[^3]: ...`` and their indented lines);
6. paragraphs.

A kind is the page's when at least half of its blocks that present an id present
exactly one (``slots.Slots``: cited ids do not count), and its blocks present at least
half as many papers as the kind that presents most (so a lone one-paper section does
not hide a list of fifty); kinds finer than one that presents every id are not tried,
nor those that could not change the choice (it covers half the page's ids or more),
and a kind with fewer blocks than half the papers another presents is not asked
which ids they present.
A block whose ids each start a list item or row of its own is split into those. A
block that only cites presents nothing. Mentions outside every block (free text) each
make a block of their own (``mention``): the lines around their first mention, as the
old link reader read them. ``Unit.arxiv_id`` is the id each block presents.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence

from .ids import Mention
from .lines import Lines, Unit, opens_tag
from .slots import Slots

# A kind of block tried: its name, its units, the ids each presents, the ids covered.
_Candidate = tuple[str, list[Unit], list[list[str]], int]
_CONTAINER_OPEN = {"article": re.compile(r"<article\b", re.I), "tr": re.compile(r"<tr\b", re.I)}
_CONTAINER_CLOSE = {
    "article": re.compile(r"</article\s*>", re.I),
    "tr": re.compile(r"</tr\s*>", re.I),
}


def find_units(
    text: str, page: Lines, found: Sequence[Mention], lines_of: Sequence[int]
) -> list[Unit]:
    """The page's blocks (see the module docstring), in order, each with the id it
    presents (``Unit.arxiv_id``)."""
    # The heading levels the page has, those with most blocks first: a level with
    # fewer blocks than half the papers a kind already presents is not asked which ids
    # its blocks present (it could not be chosen; the order of the levels does not
    # change the choice: the best of them by papers, then depth, is kept).
    sections = {level: _sections(page, level) for level in sorted(set(page.level)) if level}
    levels = sorted(sections, key=lambda level: -len(sections[level]))
    builders: list[tuple[str, Callable[[], list[Unit]]]] = [
        ("html", lambda: _containers(text, page)),
        *[(f"h{level}", lambda level=level: sections[level]) for level in levels],
        ("item", lambda: _items(page)),
        ("row", lambda: [Unit(number, number + 1, "row") for number in page.row]),
        ("note", lambda: _notes(page)),
        ("para", lambda: _paragraphs(page)),
    ]
    slots = Slots(text, page, found, lines_of)
    # No kind can present more papers than the ids shown somewhere other than in a
    # citation: once one does, the kinds after it (finer ones) need not be tried.
    own = {m.arxiv_id for index, m in enumerate(found) if not slots.citing(index)}
    every = len({m.arxiv_id for m in found})  # no kind covers more ids than the page has
    bound = len(own) if own else every
    candidates: list[_Candidate] = []
    for name, build in builders:
        heading = name[0] == "h" and name != "html"
        if any(c[3] >= bound for c in candidates) and not (heading and candidates[-1][0][0] == "h"):
            break  # (the heading levels are all tried: the deepest of the best wins)
        if not heading and (best := _chosen(candidates)) and 2 * best[3] >= every:
            break  # a finer kind could not cover twice as many ids: the choice stays
        units = [unit for unit in build() if slots.holds(unit)]
        if len(units) < bound and 2 * len(units) < max((c[3] for c in candidates), default=0):
            continue  # (it presents fewer papers than half what one kind presents)
        shown = slots.presented(units) if units else []
        presenting = [ids for ids in shown if ids]
        single = sum(1 for ids in presenting if len(ids) == 1)
        if presenting and 2 * single >= len(presenting):
            covered = len({ids[0] for ids in presenting})
            candidates.append((name, units, shown, covered))
    chosen: list[Unit] = []
    silent: list[Unit] = []  # blocks of the page's kind that only cite ids
    if best := _chosen(candidates):
        name, units, shown, _ = best
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


def _chosen(candidates: list[_Candidate]) -> _Candidate | None:
    """The page's kind among those that present ids: of the heading levels, the one
    with most papers (ties: the deepest); then the first kind that presents at least
    half as many papers as the kind that presents most."""
    headings = [c for c in candidates if c[0][0] == "h" and c[0] != "html"]
    if len(headings) > 1:
        best = max(headings, key=lambda c: (c[3], c[0]))
        candidates = [c for c in candidates if c not in headings or c is best]
    if not candidates:
        return None
    most = max(count for *_, count in candidates)
    return next(c for c in candidates if 2 * c[3] >= most)


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
            line = lines[end]
            if (line[:1] == "|" or opens_tag(line)) and not _indented(line, own):
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


def _split(unit: Unit, page: Lines, slots: Slots) -> list[Unit]:
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
