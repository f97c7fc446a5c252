"""What the triage view does when digest files change on disk, without the screen.

``ViewUpdates`` is mixed into ``Triage`` (which provides the papers, digests, counts,
view and selection it changes). ``apply_update(update)`` puts in a
``library_update.LibraryUpdate``: records replaced in place, new ones at the next
indices (an index still names one paper), ``gone`` papers (in no open digest any more)
out of the view and the counts with their state untouched in the store, the digests
and their order (``place``) replaced.

The view keeps its papers in their order (a paper read under the "unread" filter
stays, as it does until the filter changes), loses the gone ones, and takes in the
entering ones that pass the filter and the search (given again, run over the updated
papers, so newcomers that match join): at their place in digest order;
when sorted, at its end until ``reorder`` (the screen sorts them in off the UI thread).
A gone paper leaves the selection: a verb never acts on a paper out of sight.

Speed (100,000 papers): only the papers that come, go or change digest are counted
(not every paper's state read again), and a newer digest's rows are added after the
others rather than every row laid out again. Nothing here imports Textual.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .model import DigestRef, Paper

if TYPE_CHECKING:
    from .library_update import LibraryUpdate
    from .selection import Selection

__all__ = ["ViewUpdates"]


class ViewUpdates:
    """The half of ``Triage`` that takes in digests changed on disk. Uses ``Triage``'s
    ``store``, ``_count``, ``_passes`` and ``_extend_rows``, and ``ViewOrder``'s
    ``is_sorted``, ``in_digest_order`` and ``_view_reordered``."""

    papers: list[Paper]
    view: list[int]
    digests: list[DigestRef]
    gone: frozenset[int]
    place: list[int] | None
    search_hits: set[int] | None
    selection: Selection
    _index_of: dict[str, int]
    _digest_set: set[DigestRef]
    _digest_index: dict[DigestRef, int]
    _home_papers: list[int]
    _home_unread: list[int]
    _rows_kept = False
    _ranks: dict[str, list[int]]
    _rank_lock: threading.Lock

    def apply_update(self, update: LibraryUpdate, search_hits: Iterable[int] | None = None
                     ) -> None:  # fmt: skip
        """``search_hits``: the search run again over the updated papers (None: as it was)."""
        self.place = update.place  # first: a sort worker may read it for new indices
        entering = set(update.entering)
        moving = [index for index, paper in update.replaced if index not in entering
                  and self.papers[index].digests[0].path != paper.digests[0].path]  # fmt: skip
        self._recount(-1, [*update.leaving, *moving])  # as they were counted
        for index, paper in update.replaced:
            self.papers[index] = paper
        for paper in update.added:
            self._index_of[paper.arxiv_id] = len(self.papers)
            self.papers.append(paper)
        self.gone = update.gone
        with self._rank_lock:
            self._ranks.clear()  # titles, dates and authors may have changed
        self._replace_digests(list(update.digests))
        self._recount(+1, [*update.entering, *moving])
        for index in update.leaving:
            if index in self.selection:
                self.selection.toggle(index)
        if search_hits is not None:
            self.search_hits = set(search_hits)
        before = self.view
        kept = [index for index in before if index not in update.gone] if update.leaving else before
        joining = [index for index in update.entering if self._passes(index)]
        if self.is_sorted():
            self.view = kept + self.in_digest_order(joining)
        else:
            self.view = self.in_digest_order(kept + joining)
        if len(kept) == len(before) and self.view[: len(before)] == before and self._rows_kept:
            self._extend_rows(len(before))  # a newer digest: its rows after the others
        else:
            self._view_reordered()

    def _recount(self, sign: int, indices: Iterable[int]) -> None:
        """Count papers in (+1) or out (-1) of the counts and their home digest's."""
        state = self.store.state
        for index in indices:
            paper = self.papers[index]
            self._count(paper, state(paper.arxiv_id), sign)
            self._home_papers[self._digest_index[paper.digests[0]]] += sign

    def _replace_digests(self, digests: list[DigestRef]) -> None:
        """The open digests, oldest first; each keeps its counts (by file: a digest
        relabelled is the same file)."""
        old = {ref.path: (self._home_papers[i], self._home_unread[i])
               for i, ref in enumerate(self.digests)}  # fmt: skip
        # Divider rows name digests by index: they stay right if the old ones keep theirs.
        self._rows_kept = digests[: len(self.digests)] == self.digests
        self.digests, self._digest_set = digests, set(digests)
        self._digest_index = {ref: index for index, ref in enumerate(digests)}
        counts = [old.get(ref.path, (0, 0)) for ref in digests]
        self._home_papers = [papers for papers, _ in counts]
        self._home_unread = [unread for _, unread in counts]
