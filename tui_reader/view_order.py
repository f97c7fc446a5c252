"""The order of the triage view, and the selection: the half of ``Triage`` they need.

``ViewOrder`` is mixed into ``Triage`` (which provides ``papers``, ``view`` and
``_view_reordered()``, the hook that rebuilds its divider rows). It owns:

* ``sort``: one of ``APP_SORTS`` -- the core's ``query.SORTS`` (digest order, the
  default, then submission date, title, first author) and ``FOR_YOU``, the reader's
  relevance ranking. ``set_sort(name)``, ``cycle_sort() -> name``, ``sort_label()``
  for the header. The view is re-sorted from paper (digest) order, so ties keep digest
  order and every sort is deterministic. Papers loaded while the view is sorted join
  its end; ``reorder()`` (the app calls it when loading ends) puts them in place.
* ``scores``: one relevance score per paper index, or None while they are being
  computed, and ``judged``: the paper indices the ranking was fitted on (starred or
  read then: its training examples). ``set_scores(scores, judged)`` re-sorts when the
  sort is ``FOR_YOU``: ranking is for the papers not judged yet, best first, and the
  judged ones follow them (best first too); until scores arrive, ``FOR_YOU`` keeps
  the view's current order and its label says so. A paper without a score (loaded
  after the scores were computed, or NaN) sorts last of its half;
  ``score_of(index)`` is its score or None.
* ``selection``: a ``selection.Selection`` of paper indices; ``targets(position)``
  is what a verb acts on (the selection, else the paper at ``position``).
* ``place``: each paper index's rank in digest order, or None while index order is
  digest order (it stops being so when a digest opened later is older than others,
  ``Triage.apply_update``); ``in_digest_order(indices)`` sorts by it.

Speed: sorting 100,000 papers by first author costs about 0.35 s (family names are
parsed), so each sort's *rank* of every paper (its place among all papers) is computed
once, by ``prepare_sort`` (safe to call from a worker thread), and kept until more
papers arrive; ordering a view by a known rank is a sort of integers. Nothing here
imports Textual.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Collection, Iterable, Sequence

from .model import Paper
from .query import SORTS, sort_indices
from .selection import Selection

__all__ = ["APP_SORTS", "FOR_YOU", "SORT_LABELS", "ViewOrder"]

FOR_YOU = "for you"
APP_SORTS = (*SORTS, FOR_YOU)
SORT_LABELS = {
    "digest": "digest order",
    "date": "newest first",
    "title": "by title",
    "author": "by first author",
    FOR_YOU: "for you",
}


class ViewOrder:
    """Sort, scores and selection of the triage view (mixed into ``Triage``)."""

    papers: list[Paper]
    view: list[int]

    def _init_view_order(self) -> None:
        self.sort = "digest"
        self.scores: Sequence[float] | None = None
        self.judged: Collection[int] = frozenset()
        self.selection = Selection()
        self.place: list[int] | None = None
        self._ranks: dict[str, list[int]] = {}
        self._rank_lock = threading.Lock()

    def _view_reordered(self) -> None:
        """The view's order changed (Triage rebuilds what depends on it)."""

    # -- sort -------------------------------------------------------------------------

    def sort_label(self) -> str:
        if self.sort == FOR_YOU and self.scores is None:
            return "for you (ranking…)"
        return SORT_LABELS[self.sort]

    def set_sort(self, name: str) -> None:
        if name not in APP_SORTS:
            raise ValueError(f"unknown sort {name!r}; use one of {', '.join(APP_SORTS)}")
        self.sort = name
        self.reorder()

    def cycle_sort(self) -> str:
        self.set_sort(APP_SORTS[(APP_SORTS.index(self.sort) + 1) % len(APP_SORTS)])
        return self.sort

    def set_scores(
        self, scores: Sequence[float] | None, judged: Collection[int] = frozenset()
    ) -> None:
        """The relevance of every paper (by index) and the papers it was fitted on;
        re-sorts when sorted "for you"."""
        self.scores = scores
        self.judged = judged
        if self.sort == FOR_YOU:
            self.reorder()

    def score_of(self, index: int) -> float | None:
        """The relevance of paper ``index``; None before the ranking or without a score."""
        scores = self.scores
        if scores is None or not 0 <= index < len(scores) or scores[index] != scores[index]:
            return None
        return scores[index]

    def is_sorted(self) -> bool:
        """True when the view is not simply in digest order."""
        return self.sort != "digest" and not (self.sort == FOR_YOU and self.scores is None)

    def reorder(self) -> None:
        """Put the view in the current sort's order (from digest order, for stable ties)."""
        if self.sort == FOR_YOU and self.scores is None:
            return  # keep the current order until the ranking arrives
        self.view = self.ordered(self.in_digest_order(self.view))
        self._view_reordered()

    def in_digest_order(self, indices: Iterable[int]) -> list[int]:
        place = self.place
        return sorted(indices) if place is None else sorted(indices, key=place.__getitem__)

    def ordered(self, indices: list[int]) -> list[int]:
        """``indices``, given in paper order, in the current sort's order."""
        if self.sort == "digest" or (self.sort == FOR_YOU and self.scores is None):
            return indices
        if self.sort == FOR_YOU:
            scores, judged = self.scores, self.judged
            assert scores is not None
            known = len(scores)

            def worth(index: int) -> tuple[bool, float]:
                score = scores[index] if index < known else math.nan
                return index in judged, -score if score == score else math.inf

            return sorted(indices, key=worth)
        rank = self.prepare_sort(self.sort)
        return sorted(indices, key=rank.__getitem__)

    def prepare_sort(self, name: str) -> list[int]:
        """Every paper's place in sort ``name`` (computed once per set of papers)."""
        with self._rank_lock:
            papers = self.papers
            rank = self._ranks.get(name)
            if rank is not None and len(rank) == len(papers):
                return rank
            snapshot = list(papers)
            rank = [0] * len(snapshot)
            in_order = self.in_digest_order(range(len(snapshot)))  # ties in digest order
            for place, index in enumerate(sort_indices(snapshot, in_order, name)):
                rank[index] = place
            self._ranks[name] = rank
            return rank

    # -- selection ----------------------------------------------------------------------

    def targets(self, position: int | None) -> list[Paper]:
        """What a verb acts on: the selected papers, else the paper at ``position``."""
        current = None
        if position is not None and 0 <= position < len(self.view):
            current = self.view[position]
        return [self.papers[index] for index in self.selection.targets(current)]
