"""What the triage screen shows and does, without the screen.

``Triage`` holds the loaded papers, the current view (filter and search narrow it),
the live counts for the header, and turns the user's verbs (read, star, note, undo,
mark all read) into store calls. The UI only draws it and forwards keys, so all the
rules here are tested without starting an app.

Digests: a paper belongs to the digest it first appeared in (its *home*); ``digests``
is in ``digest_order``, the loader's (oldest first, undated last by name). With more
than one digest open, ``rows`` interleaves a divider before each run of one digest's
papers: ``row(y)`` is a view position (``>= 0``) or a divider (``-1 - digest index``);
``row_of(position)`` goes back. ``digest_summary(position)`` is the header's "which
digest am I in", ``digest_table()`` what the picker lists.

Digests that change on disk: ``apply_update`` (``view_updates.ViewUpdates``); papers
in no open digest any more are ``gone`` (kept at their index, out of view and counts).

Undo: every verb is one undo step, even one that makes two store changes (``star
and read``), so ``undo()`` reverts it whole and returns the ids it touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import DigestRef, Paper
from .view_order import ViewOrder
from .view_updates import ViewUpdates

if TYPE_CHECKING:
    from .store import PaperState, StateStore

FILTERS = ("all", "unread", "starred", "noted")


def digest_order(ref: DigestRef) -> tuple[bool, dt.date, str]:
    """Oldest digest first, undated ones last by file name: ``DigestLoader``'s order."""
    return ref.date is None, ref.date or dt.date.min, str(ref.path)


@dataclass(frozen=True, slots=True)
class Counts:
    papers: int
    unread: int
    starred: int
    noted: int


class Triage(ViewOrder, ViewUpdates):
    """Papers, their view and their counts, over a state store.

    ``view`` holds indices into ``papers``. Positions (``0 .. len(view) - 1``) are what
    the list shows; a view is recomputed only when the filter or search changes, so a
    paper marked read under the ``unread`` filter stays in place until then.
    """

    def __init__(self, store: StateStore) -> None:
        self.store = store
        self.papers: list[Paper] = []
        self.digests: list[DigestRef] = []
        self._digest_set: set[DigestRef] = set()
        self.view: list[int] = []
        self.filter = "all"
        self.search_hits: set[int] | None = None
        self.search_terms: tuple[str, ...] = ()
        self.sort = "digest"
        self.scores: list[float] | None = None  # per paper index, from the ranking
        self.gone: frozenset[int] = frozenset()  # papers in no open digest any more
        self._unread = 0
        self._starred = 0
        self._noted = 0
        self._index_of: dict[str, int] = {}
        self._digest_index: dict[DigestRef, int] = {}
        self._home_papers: list[int] = []  # per digest index: papers at home there
        self._home_unread: list[int] = []
        self._rows: list[int] | None = None  # None: one digest, a row is a position
        self._row_of: list[int] = []
        self._undo_steps: list[int] = []  # store undo steps per verb
        self._init_view_order()

    # -- loading --------------------------------------------------------------------

    def add_papers(
        self, papers: Sequence[Paper], replaced: Iterable[tuple[int, Paper]] = ()
    ) -> None:
        """Append newly loaded papers, and put in newer records of earlier ones."""
        state = self.store.state
        last_source = None
        shown = len(self.view)
        for paper in papers:
            index = len(self.papers)
            self.papers.append(paper)
            self._index_of[paper.arxiv_id] = index
            if paper.source is not last_source:
                last_source = paper.source
                self._add_digests((last_source,))
            self._add_digests(paper.digests[:1])
            self._home_papers[self._digest_index[paper.digests[0]]] += 1
            self._count(paper, state(paper.arxiv_id), +1)
            if self._passes(index):
                self.view.append(index)
        for index, paper in replaced:
            self.papers[index] = paper
            self._add_digests(paper.digests)
        self._extend_rows(shown)  # from the top when a digest took an earlier place

    def _add_digests(self, refs: Iterable[DigestRef]) -> None:
        """Known digests in ``digest_order``, the order the loader reads files in, so
        the list, the header's "3/7", the picker and ``[``/``]`` agree. A digest known
        only as a newer version's source can arrive before earlier ones: it is put in
        its place, and the indices (and the rows naming them) are made again."""
        for ref in refs:
            if ref in self._digest_set:
                continue
            self._digest_set.add(ref)
            at = len(self.digests)
            while at and digest_order(self.digests[at - 1]) > digest_order(ref):
                at -= 1
            self.digests.insert(at, ref)
            self._home_papers.insert(at, 0)
            self._home_unread.insert(at, 0)
            if at == len(self.digests) - 1:
                self._digest_index[ref] = at
                continue
            self._digest_index = {known: index for index, known in enumerate(self.digests)}
            self._rows, self._row_of = None, []  # dividers name digests by index: redo

    # -- reading ----------------------------------------------------------------------

    def paper_at(self, position: int) -> Paper | None:
        if 0 <= position < len(self.view):
            return self.papers[self.view[position]]
        return None

    def index_of(self, arxiv_id: str) -> int | None:
        """The paper's index in ``papers`` (None: not loaded)."""
        return self._index_of.get(arxiv_id)

    def position_of(self, arxiv_id: str) -> int | None:
        index = self._index_of.get(arxiv_id)
        if index is None:
            return None
        try:
            return self.view.index(index)
        except ValueError:
            return None

    def starred_papers(self) -> tuple[list[Paper], list[str]]:
        """Every starred paper: as loaded, else as the store last saw it (oldest first);
        and the starred ids with no details anywhere."""
        papers: list[tuple[int, Paper]] = []
        missing: list[str] = []
        for arxiv_id in self.store.ids(starred=True):
            index = self._index_of.get(arxiv_id)
            paper = self.papers[index] if index is not None else self.store.snapshot(arxiv_id)
            if paper is None:
                missing.append(arxiv_id)
            else:
                papers.append((-1 if index is None else index, paper))
        papers.sort(key=lambda item: (item[0], item[1].date or dt.date.min))
        return [paper for _, paper in papers], missing

    def counts(self) -> Counts:
        return Counts(len(self.papers) - len(self.gone), self._unread, self._starred, self._noted)

    def date_range(self) -> str:
        dates = sorted(ref.date for ref in self.digests if ref.date is not None)
        if not dates:
            return ", ".join(ref.label for ref in self.digests[:2])
        if dates[0] == dates[-1]:
            return dates[0].isoformat()
        return f"{dates[0].isoformat()} – {dates[-1].isoformat()}"

    # -- changing state ---------------------------------------------------------------

    def home(self, paper: Paper) -> int:
        """The index in ``digests`` of the digest ``paper`` first appeared in."""
        return self._digest_index[paper.digests[0]]

    def title_of(self, arxiv_id: str) -> str | None:
        index = self._index_of.get(arxiv_id)
        return None if index is None else self.papers[index].title

    def unread_in_view(self) -> int:
        state = self.store.state
        return sum(1 for index in self.view if not state(self.papers[index].arxiv_id).read)

    def toggle_read(self, paper: Paper) -> bool:
        """Flip read on ``paper``; returns the new value."""
        read = not self.store.state(paper.arxiv_id).read
        self._change(lambda: self.store.set_read([paper], read), [paper])
        return read

    def mark_read(self, papers: Iterable[Paper]) -> int:
        """Mark ``papers`` read as one undoable change; returns how many were unread."""
        unread = [p for p in papers if not self.store.state(p.arxiv_id).read]
        if unread:
            self._change(lambda: self.store.set_read(unread, True), unread)
        return len(unread)

    def toggle_star(self, paper: Paper) -> bool:
        starred = not self.store.state(paper.arxiv_id).starred
        self._change(lambda: self.store.set_starred([paper], starred), [paper])
        return starred

    def star_and_read(self, paper: Paper) -> None:
        """Star ``paper`` and mark it read: one undo step."""

        def apply() -> int:
            steps = bool(self.store.set_starred([paper], True))
            return steps + bool(self.store.set_read([paper], True))

        self._change(apply, [paper])

    def toggle_read_many(self, papers: Sequence[Paper]) -> bool:
        """All read, unless all are read already: then all unread. One undo step."""
        read = not all(self.store.state(p.arxiv_id).read for p in papers)
        self._change(lambda: self.store.set_read(papers, read), papers)
        return read

    def toggle_star_many(self, papers: Sequence[Paper]) -> bool:
        """All starred, unless all are starred already: then none. One undo step."""
        starred = not all(self.store.state(p.arxiv_id).starred for p in papers)
        self._change(lambda: self.store.set_starred(papers, starred), papers)
        return starred

    def set_tags(
        self, papers: Sequence[Paper], add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> int:
        """Add and remove tags on ``papers``, one undo step; returns how many changed."""
        changed: set[str] = set()

        def apply() -> set[str]:
            changed.update(self.store.set_tags(papers, add=tuple(add), remove=tuple(remove)))
            return changed

        self._change(apply, papers)
        return len(changed)

    def set_note(self, paper: Paper, note: str) -> None:
        self._change(lambda: self.store.set_note(paper, note), [paper])

    def papers_in_view(self) -> list[Paper]:
        return [self.papers[index] for index in self.view]

    def undo(self) -> set[str] | None:
        """Undo the store's last change; returns the ids it touched (None: nothing)."""
        # The store reports which ids it touched only after undoing: count afresh.
        steps = self._undo_steps.pop() if self._undo_steps else 1
        changed: set[str] | None = None
        for _ in range(steps):
            undone = self.store.undo()
            if undone is None:
                break
            changed = (changed or set()) | undone
        if changed:
            self.recount()
        return changed

    def recount(self) -> None:
        """Recount from the store: after an undo or another copy's changes."""
        self._unread = self._starred = self._noted = 0
        self._home_unread = [0] * len(self.digests)
        state, gone = self.store.state, self.gone
        for index, paper in enumerate(self.papers):
            if index not in gone:
                self._count(paper, state(paper.arxiv_id), +1)

    def _change(self, apply: Callable[[], object], papers: Sequence[Paper]) -> None:
        """Run one verb; ``apply`` returns the store's changed ids or its undo steps."""
        before = [self.store.state(p.arxiv_id) for p in papers]
        result = apply()
        steps = result if isinstance(result, int) else int(bool(result))
        if steps:
            self._undo_steps.append(steps)
            del self._undo_steps[:-1000]
        for paper, old in zip(papers, before, strict=True):
            index = self._index_of.get(paper.arxiv_id)
            if index is None or index in self.gone:
                continue  # not counted (its digest went while a dialog was open)
            paper = self.papers[index]  # as it is now: its digest may have changed meanwhile
            self._count(paper, old, -1)
            self._count(paper, self.store.state(paper.arxiv_id), +1)

    def _count(self, paper: Paper, state: PaperState, sign: int) -> None:
        if not state.read:
            self._unread += sign
            self._home_unread[self._digest_index[paper.digests[0]]] += sign
        if state.starred:
            self._starred += sign
        if state.note:
            self._noted += sign

    # -- the view ---------------------------------------------------------------------

    def cycle_filter(self) -> str:
        self.set_filter(FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)])
        return self.filter

    def set_filter(self, name: str) -> None:
        if name not in FILTERS:
            raise ValueError(f"unknown filter {name!r}")
        self.filter = name
        self._rebuild_view()

    def set_search(self, hits: Iterable[int] | None, terms: Sequence[str] = ()) -> None:
        """Narrow the view to the paper indices ``hits``; ``None`` clears the search."""
        self.search_hits = None if hits is None else set(hits)
        self.search_terms = tuple(terms) if hits is not None else ()
        self._rebuild_view()

    def _view_reordered(self) -> None:
        self._rows = None
        self._row_of = []
        self._extend_rows(0)

    def _rebuild_view(self) -> None:
        passing = [i for i in range(len(self.papers)) if self._passes(i)]
        self.view = self.ordered(passing if self.place is None else self.in_digest_order(passing))
        self._view_reordered()

    def _passes(self, index: int) -> bool:
        if self.gone and index in self.gone:
            return False
        if self.search_hits is not None and index not in self.search_hits:
            return False
        if self.filter == "all":
            return True
        state = self.store.state(self.papers[index].arxiv_id)
        if self.filter == "unread":
            return not state.read
        if self.filter == "starred":
            return state.starred
        return bool(state.note)

    def next_unread(self, position: int, step: int) -> int | None:
        """The nearest position after (``step=1``) or before (``-1``) with an unread paper."""
        state = self.store.state
        candidate = position + step
        while 0 <= candidate < len(self.view):
            if not state(self.papers[self.view[candidate]].arxiv_id).read:
                return candidate
            candidate += step
        return None

    def digest_start(self, position: int, step: int) -> int | None:
        """The first position of the next (``step=1``) or previous (``-1``) digest.

        A paper belongs to the digest it first appeared in. Going back from inside a
        digest lands on that digest's first paper; from its first paper, on the
        previous digest's first paper.
        """
        current = self.paper_at(position)
        if current is None:
            return None
        digest = current.digests[0]
        if step > 0:
            for candidate in range(position + 1, len(self.view)):
                if self.papers[self.view[candidate]].digests[0] != digest:
                    return candidate
            return None
        start = position
        while start > 0 and self.papers[self.view[start - 1]].digests[0] == digest:
            start -= 1
        if start != position:
            return start
        if start == 0:
            return None
        previous = self.papers[self.view[start - 1]].digests[0]
        while start > 0 and self.papers[self.view[start - 1]].digests[0] == previous:
            start -= 1
        return start

    def next_unread_round(self, position: int, step: int) -> tuple[int | None, bool]:
        """Like ``next_unread``, going round the end of the view; True when it went round."""
        found = self.next_unread(position, step)
        if found is not None:
            return found, False
        found = self.next_unread(-1 if step > 0 else len(self.view), step)
        if found is None or found == position:
            return None, False
        return found, True

    # -- digests and their divider rows -------------------------------------------------

    def _extend_rows(self, start: int) -> None:
        """Rows for the view positions from ``start`` on (dividers once two digests show,
        and only in digest order: sorted otherwise, a digest's papers are scattered)."""
        if self.sort != "digest":
            return
        if self._rows is None:
            if sum(1 for count in self._home_papers if count) < 2:
                return
            self._rows, self._row_of, start = [], [], 0
        rows, row_of, view, papers = self._rows, self._row_of, self.view, self.papers
        index_of = self._digest_index
        last = -1 if not rows else self._home_of_row(rows[-1])
        for position in range(start, len(view)):
            home = index_of[papers[view[position]].digests[0]]
            if home != last:
                rows.append(-1 - home)
                last = home
            row_of.append(len(rows))
            rows.append(position)

    def _home_of_row(self, row: int) -> int:
        return -1 - row if row < 0 else self._digest_index[self.papers[self.view[row]].digests[0]]

    def row_count(self) -> int:
        return len(self.view) if self._rows is None else len(self._rows)

    def row(self, y: int) -> int | None:
        """What list row ``y`` shows: a view position, a divider (``-1 - digest``), or None."""
        if self._rows is None:
            return y if 0 <= y < len(self.view) else None
        return self._rows[y] if 0 <= y < len(self._rows) else None

    def row_of(self, position: int) -> int:
        if self._rows is None or not 0 <= position < len(self._row_of):
            return position
        return self._row_of[position]

    def digest_line(self, digest: int) -> str:
        """A divider's text: the digest's label, its papers and how many are unread."""
        papers, unread = self._home_papers[digest], self._home_unread[digest]
        noun = "paper" if papers == 1 else "papers"
        return f"{self.digests[digest].label} · {papers:,} {noun} · {unread:,} unread"

    def digest_table(self) -> list[tuple[DigestRef, int, int]]:
        """Every digest with its papers and unread papers (counted where they first appeared)."""
        return list(zip(self.digests, self._home_papers, self._home_unread, strict=True))

    def digest_summary(self, position: int) -> str | None:
        """The header's "which digest": ``label 3/57 (12 unread)``; None with one digest."""
        paper = self.paper_at(position)
        if paper is None or len(self.digests) < 2:
            return None
        home = self.home(paper)
        unread = self._home_unread[home]
        return f"{self.digests[home].label} {home + 1}/{len(self.digests)} ({unread:,} unread)"

    def digest_position(self, digest: int) -> int | None:
        """The first view position of a paper at home in ``digests[digest]``."""
        index_of = self._digest_index
        for position, index in enumerate(self.view):
            if index_of[self.papers[index].digests[0]] == digest:
                return position
        return None
