"""Sort, selection and tags on the triage screen: the keys and what they do.

``OrganiseActions`` is mixed into ``TriageScreen`` (which provides ``triage``,
``paper_list``, ``current_paper``, ``refresh_all``, ``update_summary``,
``_view_rebuilt`` and ``action_clear_search``); ``ORGANISE_BINDINGS`` are its keys.

* ``O`` cycles the sort (``view_order.APP_SORTS``); a sort's rank of every paper is
  computed in a worker thread the first time (0.35 s by first author at 100,000
  papers), then applied on the UI thread; the cursor stays on its paper.
  ``scores_ready(scores, judged)`` is how the ranking worker hands over "for you"
  scores and the papers they were fitted on.
* ``x`` selects or unselects the paper under the cursor and moves on; ``A`` selects
  every paper in the view (again: unselects them); ``X`` or escape (once no search
  is open) clears the selection. ``r``, ``s``, ``t`` and export act on the selection
  when there is one (``act_on_selection``), each as one undoable step.
* ``t`` opens the tag editor on the selection or the current paper.
"""

from __future__ import annotations

from textual import work
from textual.binding import Binding
from textual.widgets import Input

from ..query import SORTS
from ..tag_edit import tags_on
from ..view_order import APP_SORTS, FOR_YOU
from .rendering import display_title
from .screens.tags import TagScreen

ORGANISE_BINDINGS = [
    Binding(
        "t", "edit_tags", "Tags", tooltip="Add or remove tags (on the selection)", id="triage.tags"
    ),
    Binding(
        "O",
        "cycle_sort",
        "Sort",
        tooltip="Order: digest, date, title, first author, for you",
        id="triage.sort",
    ),
    Binding(
        "x",
        "toggle_selected",
        "Select",
        tooltip="Select this paper, go to the next",
        id="triage.select",
    ),
    Binding("A", "select_view", "Select all in view", show=False, id="triage.select_view"),
    Binding("X", "clear_selection", "Clear selection", show=False, id="triage.clear_selection"),
]


def _papers(count: int) -> str:
    return f"{count:,} paper" if count == 1 else f"{count:,} papers"


class OrganiseActions:
    """The sort / selection / tags half of ``TriageScreen``."""

    _next_sort: str | None = None  # a sort asked for, still being prepared

    # -- sort -------------------------------------------------------------------------

    def action_cycle_sort(self) -> None:
        current = self._next_sort or self.triage.sort
        self._next_sort = APP_SORTS[(APP_SORTS.index(current) + 1) % len(APP_SORTS)]
        self._prepare_sort(self._next_sort)

    @work(thread=True, exclusive=True, group="sort")
    def _prepare_sort(self, name: str) -> None:
        if name in SORTS and name != "digest":
            self.triage.prepare_sort(name)
        self.app.call_from_thread(self._apply_sort, name)

    def _apply_sort(self, name: str) -> None:
        if name != self._next_sort:
            return  # another O press is on its way
        self._next_sort = None
        announce = name != self.triage.sort
        self.sort_by(name)
        if announce:
            self.notify(f"Sorted: {self.triage.sort_label()}.", timeout=2)

    def resort_after_loading(self) -> None:
        """Papers that arrived while sorted wait at the end of the view: sort them in."""
        if self.triage.is_sorted() and self._next_sort is None:
            self._next_sort = self.triage.sort
            self._prepare_sort(self.triage.sort)

    def sort_by(self, name: str) -> None:
        """Sort the view by ``name``, the cursor staying on its paper; choosing "for you"
        starts the ranking (``ForYouActions.for_you_chosen``)."""
        current = self.current_paper()
        self.triage.set_sort(name)
        self._view_rebuilt(current)
        if name == FOR_YOU:
            self.for_you_chosen()

    def scores_ready(self, scores, judged=frozenset()) -> None:
        """The ranking's scores (one per paper index) and its training examples arrived:
        the score bars take their range, and under "for you" the view re-sorts (judged
        papers after the others) with the cursor's paper kept on its row of the screen
        while the others move around it."""
        triage = self.triage
        paper_list = self.paper_list
        current = self.current_paper()
        offset = triage.row_of(paper_list.cursor) - paper_list.scroll_offset.y
        triage.set_scores(scores, judged)
        # The bars span the papers that show one: a training example's score (what the
        # model was taught, far above or below the rest) would flatten them.
        ranked = [score for index, score in enumerate(scores) if index not in judged] or scores
        paper_list.score_range = (min(ranked), max(ranked)) if ranked else None
        if triage.sort == FOR_YOU:
            position = triage.position_of(current.arxiv_id) if current is not None else None
            paper_list.view_changed(cursor=position)
            if position is not None:
                row = triage.row_of(position)
                paper_list.scroll_to(y=max(0, row - offset), animate=False, immediate=True)
            self.show_current()
        else:
            paper_list.refresh()
        self.update_summary()  # the header's "for you (ranking…)" becomes "for you"

    # -- selection ----------------------------------------------------------------------

    def action_toggle_selected(self) -> None:
        position = self.paper_list.cursor
        if not 0 <= position < len(self.triage.view):
            return
        self.triage.selection.toggle(self.triage.view[position])
        self.paper_list.refresh_line(self.triage.row_of(position))
        self.update_summary()
        self.paper_list.move_to(position + 1)

    def action_select_view(self) -> None:
        change = self.triage.selection.select_all(self.triage.view)
        self.paper_list.refresh()
        self.update_summary()
        verb = "Selected" if change > 0 else "Unselected"
        self.notify(f"{verb} {_papers(abs(change))}; {len(self.triage.selection):,} selected.",
                    timeout=2)  # fmt: skip

    def action_clear_selection(self) -> None:
        cleared = self.triage.selection.clear()
        if cleared:
            self.paper_list.refresh()
            self.update_summary()
            self.notify(f"Selection cleared ({_papers(cleared)}).", timeout=2)

    def action_escape(self) -> None:
        """Escape closes the search first, then clears the selection."""
        search = self.query_one("#search", Input)
        if self.triage.search_hits is not None or search.display:
            self.action_clear_search()
        else:
            self.action_clear_selection()

    def act_on_selection(self, verb: str) -> bool:
        """``r``/``s`` with a selection: act on all of it; False when nothing is selected."""
        papers = self.triage.targets(None)
        if not papers:
            return False
        if verb == "read":
            done = self.triage.toggle_read_many(papers)
            word = "read" if done else "unread"
        else:
            done = self.triage.toggle_star_many(papers)
            word = "starred" if done else "unstarred"
        self.refresh_all()
        self.notify(f"{_papers(len(papers))} {word}. u undoes it.", timeout=2)
        return True

    # -- tags -------------------------------------------------------------------------

    @work(exclusive=True, group="tags")
    async def action_edit_tags(self) -> None:
        papers = self.triage.targets(self.paper_list.cursor)
        if not papers:
            return
        store = self.triage.store
        if self.triage.selection:
            what = f"{_papers(len(papers))} selected"
        else:
            what = display_title(papers[0].title)
        now = tags_on(store.state(paper.arxiv_id) for paper in papers)
        edit = await self.app.push_screen_wait(
            TagScreen(what, now, len(papers), store.tag_counts())
        )
        if edit is None:
            return
        changed = self.triage.set_tags(papers, edit.add, edit.remove)
        self.refresh_all()
        said = [f"+{tag}" for tag in edit.add] + [f"-{tag}" for tag in edit.remove]
        self.notify(f"Tags {' '.join(said)} on {_papers(changed)}." if changed
                    else "No tag changed.", timeout=2)  # fmt: skip
