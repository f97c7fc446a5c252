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
Nothing here imports Textual.
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
    ``recount`` and ``_passes``, and ``ViewOrder``'s ``is_sorted``, ``in_digest_order``
    and ``_view_reordered``."""

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
    _ranks: dict[str, list[int]]
    _rank_lock: threading.Lock

    def apply_update(self, update: LibraryUpdate, search_hits: Iterable[int] | None = None
                     ) -> None:  # fmt: skip
        """``search_hits``: the search run again over the updated papers (None: as it was)."""
        self.place = update.place  # first: a sort worker may read it for new indices
        for index, paper in update.replaced:
            self.papers[index] = paper
        for paper in update.added:
            self._index_of[paper.arxiv_id] = len(self.papers)
            self.papers.append(paper)
        self.gone = update.gone
        with self._rank_lock:
            self._ranks.clear()  # titles, dates and authors may have changed
        self.digests, self._digest_set = list(update.digests), set(update.digests)
        self._digest_index = {ref: index for index, ref in enumerate(self.digests)}
        self._home_papers = [0] * len(self.digests)
        for index, paper in enumerate(self.papers):
            if index not in update.gone:
                self._home_papers[self._digest_index[paper.digests[0]]] += 1
        self.recount()
        for index in update.leaving:
            if index in self.selection:
                self.selection.toggle(index)
        if search_hits is not None:
            self.search_hits = set(search_hits)
        kept = [index for index in self.view if index not in update.gone]
        entering = [index for index in update.entering if self._passes(index)]
        if self.is_sorted():
            self.view = kept + self.in_digest_order(entering)
        else:
            self.view = self.in_digest_order(kept + entering)
        self._view_reordered()
