"""``/`` search on the triage screen: the box, the worker, the narrowed view.

``SearchActions`` is mixed into ``TriageScreen`` (which provides ``triage``,
``paper_list``, ``current_paper``, ``show_current``, ``_view_rebuilt`` and the
``#search`` Input). Typing runs ``run_search`` in a worker thread (after a short
pause above ``SLOW_SEARCH`` papers, so a fast typist finishes a word); its result is
applied on the UI thread by ``apply_search``. ``escape`` clears the search.

The box takes the query language (``search_box.SearchBox`` over ``query``): a query
that cannot be read shows its one-line message in ``#search-error`` above the box,
the box turns red (``-invalid``) and the list keeps the last result. A query
answered with a remark (an unclosed ``"`` closed at the end while typing) shows the
remark on the same line, not in red (``-notice``), and its result.
"""

from __future__ import annotations

import time

from textual import work
from textual.widgets import Input
from textual.worker import get_current_worker

from ..search_box import Found, SearchBox

SEARCH_DELAY = 0.08  # seconds of typing pause before a search over many papers runs
SLOW_SEARCH = 2000  # papers


class SearchActions:
    """The search half of ``TriageScreen``."""

    _search_box: SearchBox
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
        self._show_search_error("")
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
        found = self._search_box.run(papers, query, self.triage.store)
        if not worker.is_cancelled:
            self.app.call_from_thread(self.apply_search, query, found)

    def _show_search_error(self, message: str, *, notice: bool = False) -> None:
        error = self.query_one("#search-error")
        error.update(f"{'ⓘ' if notice else '⚠'} {message}" if message else "")
        error.display = bool(message)
        error.set_class(notice, "-notice")
        self.query_one("#search", Input).set_class(bool(message) and not notice, "-invalid")

    def apply_search(self, query: str, found: Found) -> None:
        if found.error:
            self._show_search_error(found.error)
        else:
            self._show_search_error(found.notice, notice=True)
        if found.error:
            return  # the last view stays while the query is being fixed
        current = self.current_paper()
        self._search_query = query.strip()
        self.triage.set_search(found.hits, found.terms)
        self._view_rebuilt(current)
        self.show_current()
        if self._restore_paper:
            self._move_to_paper(self._restore_paper)
            self._restore_paper = ""
            self.paper_list.focus()
