"""``/`` search on the triage screen: the box, the worker, the narrowed view.

``SearchActions`` is mixed into ``TriageScreen`` (which provides ``triage``,
``paper_list``, ``current_paper``, ``show_current``, ``_view_rebuilt`` and the
``#search`` Input). Typing runs ``run_search`` in a worker thread (after a short
pause above ``SLOW_SEARCH`` papers, so a fast typist finishes a word); its result is
applied on the UI thread by ``apply_search``. ``escape`` clears the search.
"""

from __future__ import annotations

import time

from textual import work
from textual.widgets import Input
from textual.worker import get_current_worker

from ..search import SearchIndex, query_terms

SEARCH_DELAY = 0.08  # seconds of typing pause before a search over many papers runs
SLOW_SEARCH = 2000  # papers


class SearchActions:
    """The search half of ``TriageScreen``."""

    _search_index: tuple[SearchIndex | None, int]
    _search_query: str
    _restore_paper: str

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        had_search = self.triage.search_hits is not None
        search.display = False
        self.workers.cancel_group(self, "search")
        self._search_query = ""
        if search.value:
            with search.prevent(Input.Changed):
                search.value = ""
        self.paper_list.focus()
        if had_search:
            current = self.current_paper()
            self.triage.set_search(None)
            self._view_rebuilt(current)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            self.run_search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.paper_list.focus()

    def on_descendant_blur(self) -> None:
        search = self.query_one("#search", Input)
        if not search.has_focus and not search.value:
            search.display = False

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        worker = get_current_worker()
        papers = self.triage.papers
        if len(papers) > SLOW_SEARCH:
            # Let a fast typist finish a word before searching 100,000 abstracts.
            time.sleep(SEARCH_DELAY)
            if worker.is_cancelled:
                return
        index, size = self._search_index
        if index is None or size != len(papers):
            # Papers are still arriving: index what is here now.
            index = SearchIndex(list(papers))
            self._search_index = (index, len(papers))
        terms = query_terms(query)
        hits = index.search(query) if terms else None
        if not worker.is_cancelled:
            self.app.call_from_thread(self.apply_search, query, hits, terms)

    def apply_search(self, query: str, hits: list[int] | None, terms: list[str]) -> None:
        current = self.current_paper()
        self._search_query = query.strip()
        self.triage.set_search(hits, terms)
        self._view_rebuilt(current)
        self.show_current()
        if self._restore_paper:
            self._move_to_paper(self._restore_paper)
            self._restore_paper = ""
            self.paper_list.focus()
