"""The header's words: where you are and the counts, then what you have set.

``header_for(triage, cursor, query, loading, progress) -> Header`` says what the header shows;
``Header.lines(width) -> list[str]`` fits it to a width, in one line or two. Plain
Python (no Textual): ``SummaryBar`` draws the lines.

Rules of the fit:

* What you have set (the selection, the filter, the search with its query and match
  count, the sort, "for you", loading) is never cut while the width allows: the
  digest label and the counts give way first, in this order: the date range, the
  number of papers, noted, starred, the unread count of the digest you are in, the
  digest you are in. The unread count of the view's papers stays.
* When what you have set would leave less than ``CONTEXT_ROOM`` columns beside it,
  it takes a second line of its own. That choice depends on the settings and the
  width only, never on the counts: reading and starring never change the header's
  height (a change of height lays the screen out again).
* A search query too long for its line is cut in its middle with ``…``; its match
  count always shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..triage import Triage

FILTER_NAMES = {"all": "all papers", "unread": "unread", "starred": "starred", "noted": "noted"}
SEPARATOR = " · "
CONTEXT_ROOM = 24  # columns the counts keep beside the settings on one line


@dataclass(frozen=True, slots=True)
class Header:
    """``context``: (text, drop order, glue) triples in display order: a higher drop
    order gives way first (0 never), ``glue`` goes before the text (``SEPARATOR``, or
    a space for a part that belongs to the one before). ``settings``: what you have
    set, in display order, with None where the search goes: ``search`` (the query)
    and ``matches`` (its count)."""

    context: tuple[tuple[str, int, str], ...]
    settings: tuple[str | None, ...] = ()
    search: str = ""
    matches: int = 0

    def lines(self, width: int) -> list[str]:
        """The header in ``width`` columns: one line, or the counts then the settings
        (those that do not fit on the second line join the first, before the counts
        give way)."""
        settings = self._settings_text(self.settings, None)
        if not settings:
            return [self._context_text(width)]
        if len(settings) + len(SEPARATOR) + CONTEXT_ROOM <= width:
            return [self._beside_context(settings, width)]
        first: tuple[str | None, ...] = ()
        second = self.settings
        while len(second) > 1 and len(self._settings_text(second, None)) > width:
            moved = self._settings_text((*first, second[0]), None)
            if len(moved) + len(SEPARATOR) + CONTEXT_ROOM > width:
                break
            first, second = (*first, second[0]), second[1:]
        line = self._beside_context(self._settings_text(first, None), width)
        return [line, self._settings_text(second, width)]

    def _beside_context(self, settings: str, width: int) -> str:
        if not settings:
            return self._context_text(width)
        context = self._context_text(width - len(settings) - len(SEPARATOR))
        return f"{context}{SEPARATOR}{settings}"

    def _context_text(self, width: int) -> str:
        parts = list(self.context)

        def joined() -> str:
            return "".join(glue + text for text, _, glue in parts)[len(parts[0][2]) :]

        while len(joined()) > width:
            droppable = [drop for _, drop, _ in parts if drop > 0]
            if not droppable:
                break
            highest = max(droppable)
            parts = [part for part in parts if part[1] != highest]
        return joined()

    def _settings_text(self, settings: tuple[str | None, ...], width: int | None) -> str:
        """``settings`` joined; with ``width``, the query cut in its middle to fit."""
        query = " ".join(self.search.split())
        count = f" ({self.matches:,})"

        def text(shown: str) -> str:
            return SEPARATOR.join(
                f"search: {shown}{count}" if part is None else part for part in settings
            )

        full = text(query)
        if width is None or len(full) <= width or None not in settings:
            return full
        room = width - len(text("")) - 1  # the columns left for the query and its …
        if room < 4:
            return full  # nothing sensible fits: the terminal cuts the end
        head = (room + 1) // 2
        return text(f"{query[:head]}…{query[len(query) - (room - head) :]}")


def header_for(
    triage: Triage, cursor: int, query: str, loading: bool, progress: str = ""
) -> Header:
    """What the header says for ``triage`` with the cursor at ``cursor``; ``progress``
    (the metadata fetch's quiet line) is the first thing to give way."""
    counts = triage.counts()
    context: list[tuple[str, int, str]] = []
    here = triage.digest_summary(cursor)  # with many digests open: the one you are in
    if here is not None:
        label, _, unread = here.partition(" (")
        context.append((label, 3, SEPARATOR))
        if unread:
            context.append((f"({unread}", 4, " "))
        context.append((f"of {triage.date_range() or 'digest-reader'}", 8, SEPARATOR))
    else:
        context.append((triage.date_range() or "digest-reader", 8, SEPARATOR))
    noun = "paper" if counts.papers == 1 else "papers"
    context.append((f"{counts.papers:,} {noun}", 7, SEPARATOR))
    context.append((f"{counts.unread:,} unread", 0, SEPARATOR))
    context.append((f"{counts.starred:,} starred", 5, SEPARATOR))
    if counts.noted:
        context.append((f"{counts.noted:,} noted", 6, SEPARATOR))
    if progress:
        context.append((progress, 9, SEPARATOR))
    settings: list[str | None] = []
    if triage.selection:  # what r, s, t and b act on must stay in sight
        settings.append(f"{len(triage.selection):,} selected")
    if triage.filter != "all":
        shown = "" if triage.search_hits is not None else f" ({len(triage.view):,} shown)"
        settings.append(f"filter: {FILTER_NAMES[triage.filter]}{shown}")
    if triage.search_hits is not None:
        settings.append(None)
    if triage.sort != "digest":
        settings.append(f"sort: {triage.sort_label()}")
    if loading:
        settings.append("loading…")
    return Header(tuple(context), tuple(settings), query, len(triage.view))
