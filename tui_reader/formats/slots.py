"""Which id each block presents: the page's *slot* for ids, and citations.

``Slots(text, page, found, lines_of)`` knows, for each id mention of a page (``ids``),
its slot: the label of its line (``arxiv``, ``link``...), else its place in the block
(0-3, 4 for later, ``item``/``row`` for a list item or table row inside the block),
the line's first mark (``#``, ``<``, ``|``, ``-``, ``[``...) and how the id is shown
(link, text, attribute). ``citing(index)`` tells a citation: a mention in an
abstract, a comment, a summary, a ``<details>`` body or a sentence.
``presented(units)`` gives, for blocks of one kind, the ids each presents: those
that are not citations in the slot most blocks show an id in.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from .ids import Mention
from .lines import Lines, Unit, opens_tag

_CITING = ("abstract", "comments", "summary")
_WORD_RE = re.compile(r"[^\W\d_]{2,}")
_TAG_RE = re.compile(r"<[A-Za-z/!][^<>]*>")  # (not the "<1%) ... (>" of prose)
_ENOUGH = 12  # words around a mention that make it a citation whatever their side
_TAIL = 400  # characters whose words are counted first


def _words(text: str) -> int:
    """The words of ``text`` outside tags, or at least ``_ENOUGH`` of them when there
    are that many: a long paragraph's last characters are counted first (with no
    ``>`` among them no tag reaches into them, and their words are words of the whole
    text, one of them perhaps cut short: never more words than the whole has)."""
    if len(text) > _TAIL:
        tail = text[-_TAIL:]
        if ">" not in tail:
            found = len(_WORD_RE.findall(tail))
            if found >= _ENOUGH:
                return found
    return len(_WORD_RE.findall(_TAG_RE.sub(" ", text) if "<" in text else text))


def _starts_block(line: str) -> bool:
    """Whether ``line`` starts a table row, a quote or an HTML tag (not a ``<1%``)."""
    head = line[:1]
    if head.isspace():
        line = line.lstrip()
        head = line[:1]
    return head in ("|", ">") or (head == "<" and opens_tag(line))


class Slots:
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
            label = page.label(line)
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
        tag = before.rfind("<")
        if tag > before.rfind(">") and opens_tag(before[tag:]):
            return False  # an attribute (data-arxiv-id, href) of a tag
        opened = before.rfind("](")
        if opened >= 0 and ")" not in before[opened:]:  # the id is a link's target
            before = before[: before.rfind("[", 0, opened) if "[" in before[:opened] else opened]
            after = after.partition(")")[2]
        words_before = _words(before.rpartition("|")[2])
        words_after = _words(after.partition("|")[0])
        return words_before + words_after >= _ENOUGH or (words_before >= 3 and words_after >= 2)

    def _paragraph_around(self, line: int, start: int, end: int) -> tuple[str, str]:
        """The text before the mention in its paragraph (the lines that wrap into its
        line, up to a blank line, a heading, a list item or a table row), and the text
        after it on its line."""
        page, text = self.page, self.text
        blank, level, indent, lines = page.blank, page.level, page.indent, page.lines
        first = line
        # (``first`` continues the paragraph of the line before it; inlined: this loop
        # runs for every mention of the page)
        while first > 0 and not (
            blank[first] or blank[first - 1] or level[first] or level[first - 1]
            or indent[first] >= 0 or _starts_block(lines[first])
        ):  # fmt: skip
            first -= 1
        line_end = text.find("\n", end)
        # (the lines from ``first`` joined, and the mention's line up to it: one slice)
        before = text[page.offsets[first] : start]
        return before, text[end : line_end if line_end >= 0 else len(text)]

    def presented(self, units: list[Unit]) -> list[list[str]]:
        """For each unit, the ids it presents: those not cited in the slot most units
        show an id in, else its first id not cited; none for a unit that only cites
        (unless the whole page only cites: then its first id)."""
        counts: dict[tuple[object, str, str], int] = {}  # slot -> units showing an id there
        seen = []  # each unit's indices, those that do not cite, and the slots counted
        cites_only = True  # prose throughout: every id is a paper
        citing, slot = self.citing, self.slot
        for unit in units:
            indices = self._indices(unit)
            own = [index for index in indices if not citing(index)]
            places = [slot(unit, index) for index in (own or indices)]
            for place in dict.fromkeys(places) if len(places) > 1 else places:
                counts[place] = counts.get(place, 0) + 1
            seen.append((indices, own, places))
            cites_only = cites_only and not own
        best = max(counts, key=counts.__getitem__)  # ties: the first seen, in text order
        shown = []
        for indices, own, places in seen:
            mine = (
                [index for index, place in zip(own, places, strict=True) if place == best]
                if own
                else []
            )
            if not mine:
                mine = [indices[0]] if cites_only else own[:1]
            shown.append(list(dict.fromkeys(self.found[index].arxiv_id for index in mine)))
        return shown
