""" "For you" on the triage screen: the ranked order, its reasons, papers like this one.

``ForYouActions`` is mixed into ``TriageScreen`` (which provides ``triage``, ``clock``,
``paper_list``, ``current_paper``, ``show_current``, ``update_summary``,
``_view_rebuilt`` and ``action_clear_search``). The screen calls three hooks:
``ranking_start()`` a moment after loading ends, ``ranking_papers_added(new,
replaced)`` on each loader hand-over and ``ranking_judged()`` after a star, unstar,
undo or another copy's changes (reads alone do not refit: the list would shift under
a reader moving through it; they count at the next fit).

The work runs in ``RankingWorker``'s thread; its results arrive as messages (handled
by name: ``@on`` does not reach into a mixin), and
``Triage.set_scores`` re-sorts the view: ranking is for the papers not judged yet,
so the judged ones (the fit's training examples) follow them. The cursor stays on its
paper, except after ``y``: it lands on the top of the order, the best paper still to
judge, and lands there again when a newer ranking arrives while it has not moved.
``why_line(paper)`` is the detail pane's line (only under the "for you" sort): the
score and the terms behind it, or, for a training example, that it is one (its score
is what the model was taught, not a prediction, so it is not shown).
"""

from __future__ import annotations

from ..clock import Clock
from ..model import Paper
from .paper_list import NOTE_MARK, STAR_MARK, UNREAD_MARK
from .ranking_worker import RankingWorker
from .rendering import display_title
from .screens.similar import SimilarRow, SimilarScreen

WHY_TERMS = 3


class ForYouActions:
    """The ranking half of ``TriageScreen``."""

    clock: Clock
    _ranking_worker: RankingWorker | None = None
    _similar_open: tuple[SimilarScreen, int] | None = None
    _announce = False  # say what the next ranking learned from (y was pressed)
    # y lands on the best paper still to judge: the id it landed on ("": no ranking
    # yet), None once the cursor has moved on its own or the next ranking came.
    _landing: str | None = None
    _watching_cursor = False

    @property
    def ranking(self) -> RankingWorker:
        if self._ranking_worker is None:
            self._ranking_worker = RankingWorker(self, self.triage, self.words, self.clock)
        return self._ranking_worker

    # -- hooks the screen calls ------------------------------------------------------

    def ranking_start(self) -> None:
        self.ranking.start()

    def ranking_papers_added(self, papers: list[Paper], replaced: list[tuple[int, Paper]]) -> None:
        self.ranking.papers_added(papers, replaced)

    def ranking_judged(self) -> None:
        self.ranking.refit()

    # -- the order ----------------------------------------------------------------------

    def action_sort_for_you(self) -> None:
        """Toggle between the "for you" order and digest order."""
        triage = self.triage
        current = self.current_paper()
        for_you = triage.sort != "for you"
        triage.set_sort("for you" if for_you else "digest")
        self._view_rebuilt(current)
        self.show_current()
        if for_you:
            if not self._watching_cursor:
                self._watching_cursor = True
                self.watch(self.paper_list, "cursor", self._cursor_moved_for_you, init=False)
            self._landing = ""
            self._land_on_best()
            self.for_you_chosen()
        else:
            self._landing = None
            self._announce = False
            self.notify("Digest order.", timeout=2)

    def _land_on_best(self) -> None:
        """The cursor on the top of the "for you" order, once there are scores."""
        triage = self.triage
        if triage.sort != "for you" or triage.scores is None or not triage.view:
            return
        self._landing = None  # this move is ours: the watcher has nothing to cancel
        self.paper_list.move_to(0)
        paper = self.current_paper()
        self._landing = paper.arxiv_id if paper is not None else None

    def _cursor_moved_for_you(self, position: int) -> None:
        """A move off the paper y landed on (or any move while waiting for the
        ranking) ends the landing: a newer ranking keeps the cursor where it is."""
        if self._landing is None:
            return
        paper = self.current_paper()
        if self._landing == "" or paper is None or paper.arxiv_id != self._landing:
            self._landing = None

    def for_you_chosen(self) -> None:
        """The "for you" order was chosen (``y``, or ``O``'s cycle): rank now."""
        # Papers read since the last fit count now (reads alone do not refit); the
        # fit's result says what it learned from (on_ranking_worker_ranked).
        self.ranking.start()
        self.ranking.refit(0.0)
        self._announce = True
        if self.ranking.ranked is None:
            self.notify("For you: ranking… the list sorts itself when it is ready.", timeout=3)

    def on_ranking_worker_ranked(self, message: RankingWorker.Ranked) -> None:
        if not self.ranking.accept(message.result):
            return
        ranking = message.result.ranking
        if self._announce:
            self._announce = False
            self.notify(f"For you: {ranking.detail}.", timeout=3)
        current = self.current_paper()
        landing = self._landing
        land = landing == "" or (current is not None and current.arxiv_id == landing)
        self.scores_ready(ranking.scores, frozenset(ranking.judgements))
        if land:
            self._land_on_best()
        self._landing = None  # only the ranking y asked for lands

    def on_ranking_worker_failed(self, message: RankingWorker.Failed) -> None:
        self.notify(message.text, severity="error", timeout=8)

    def why_line(self, paper: Paper) -> str:
        """Why this paper sits where it does in the "for you" order ('' otherwise)."""
        triage = self.triage
        ranked = self.ranking.ranked if self._ranking_worker is not None else None
        if triage.sort != "for you":
            return ""
        if ranked is None:
            return "ranking…"
        index = triage.index_of(paper.arxiv_id)
        if index is None or index >= ranked.papers:
            return ""
        ranking = ranked.ranking
        judged = ranking.judged(index)
        if judged is not None:
            what = "you starred it" if judged else "you read it"
            if ranking.method == "model":
                return f"{what}: a training example (learned from, not predicted)"
            return f"{what}: judged, listed after the papers still to judge"
        terms = ", ".join(ranking.why(index, WHY_TERMS)) or "no term of it counts"
        if ranking.method == "model":
            return f"{ranking.score(index):+.2f} · {terms}"
        return f"ranked by keywords: {terms}"

    # -- papers like this one --------------------------------------------------------

    def action_like_this(self) -> None:
        paper = self.current_paper()
        if paper is None:
            return
        index = self.triage.index_of(paper.arxiv_id)
        screen = SimilarScreen(display_title(paper.title))
        self._similar_open = (screen, index)
        self.app.push_screen(screen, callback=self._similar_chosen)
        self.ranking.find_similar(index)

    def on_ranking_worker_similar(self, message: RankingWorker.Similar) -> None:
        result = message.result
        if self._similar_open is None or self._similar_open[1] != result.index:
            return  # closed, or asked about another paper since
        triage = self.triage
        state_of = triage.store.state
        rows = []
        for index, cosine in result.neighbours:
            paper = triage.papers[index]
            state = state_of(paper.arxiv_id)
            marks = "".join((UNREAD_MARK if not state.read else " ",
                             STAR_MARK if state.starred else " ",
                             NOTE_MARK if state.note else " "))  # fmt: skip
            rows.append(SimilarRow(paper.arxiv_id, display_title(paper.title),
                                   paper.digests[0].label, marks, cosine))  # fmt: skip
        self._similar_open[0].show(rows, result.at_least)

    def _similar_chosen(self, arxiv_id: str | None) -> None:
        self._similar_open = None
        if arxiv_id is not None:
            self.go_to_paper(arxiv_id)

    def go_to_paper(self, arxiv_id: str) -> None:
        """Move to the paper, clearing a search and a filter that hide it."""
        triage = self.triage
        if triage.position_of(arxiv_id) is None:
            if triage.search_hits is not None:
                self.action_clear_search()
            if triage.position_of(arxiv_id) is None and triage.filter != "all":
                triage.set_filter("all")
                self._view_rebuilt(self.current_paper())
            self.notify("Cleared the search and filter to show it.", timeout=2)
        position = triage.position_of(arxiv_id)
        if position is not None:
            self.paper_list.move_to(position)
