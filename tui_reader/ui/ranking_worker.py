"""The app's side of the "for you" ranking: a ``RankingService`` run in thread workers.

    ranking = RankingWorker(screen, triage, words, clock)
    ranking.start()                  # after first paint: count what is loaded, then fit
    ranking.papers_added(new, replaced)   # each loader hand-over (cheap)
    ranking.judgements_changed()     # a star, unstar, read, undo: fit again, debounced
    ranking.find_similar(index)      # "papers like this one"
    ranking.ranked                   # the latest RankedPapers, or None
    # the screen receives RankingWorker.Ranked (then calls ranking.accept(result))
    # and RankingWorker.Similar messages

Rules: the UI thread only records requests; counting, fitting and similarity run in a
Textual thread worker (group ``"ranking"``) that lives while there is work, and their
results come back to the screen as messages (``post_message`` is thread-safe and never
waits, so a worker never hangs on an app that is closing). Neither the service
(``tui_reader.ranking``) nor scikit-learn is imported before ``start()`` — importing
the app imports neither (a test checks), and scikit-learn loads in the worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from ..clock import Clock
from ..model import Paper
from ..triage import Triage

if TYPE_CHECKING:
    from ..ranking.service import RankedPapers, RankingService, SimilarPapers

SIMILAR_COUNT = 20


class RankingWorker:
    def __init__(
        self,
        screen: Screen[Any],
        triage: Triage,
        words: Sequence[str],
        clock: Clock,
    ) -> None:
        self.screen = screen
        self.clock = clock  # the fit's debounce runs on it
        self.triage = triage
        self.words = tuple(words)
        self.ranked: RankedPapers | None = None
        self._service: RankingService | None = None

    @property
    def started(self) -> bool:
        return self._service is not None

    def start(self) -> None:
        """Begin counting the papers loaded so far and fit once they are counted."""
        if self._service is not None:
            return
        from ..ranking.service import RankingService

        self._service = RankingService(
            self.triage.store.state, self.words, publish=self._publish, clock=self.clock
        )
        needed = self._service.add_papers(list(self.triage.papers))
        self._run_if(self._service.request_fit() or needed)

    def papers_added(self, papers: Sequence[Paper], replaced: Sequence[tuple[int, Paper]]) -> None:
        if self._service is not None:
            self._run_if(self._service.add_papers(papers, replaced))

    def refit(self, delay: float | None = None) -> None:
        """Fit again after ``delay`` seconds (default: the debounce after a star)."""
        if self._service is None:
            return
        from ..ranking.service import FIT_DEBOUNCE

        self._run_if(self._service.request_fit(FIT_DEBOUNCE if delay is None else delay))

    def find_similar(self, index: int) -> None:
        self.start()
        assert self._service is not None
        self._run_if(self._service.request_similar(index, SIMILAR_COUNT))

    def stop(self) -> None:
        if self._service is not None:
            self._service.stop()

    def _run_if(self, needed: bool) -> None:
        if needed:
            self.screen.run_worker(self._serve, thread=True, group="ranking", exit_on_error=False)

    def _serve(self) -> None:
        worker = get_current_worker()
        assert self._service is not None
        try:
            self._service.run(lambda: worker.is_cancelled, until_idle=True)
        except Exception as error:  # a bug or a missing library: say so, keep reading
            message = f"Ranking stopped: {type(error).__name__}: {error}"
            self.screen.post_message(self.Failed(message))

    def _publish(self, result: RankedPapers | SimilarPapers) -> None:
        """In the worker thread: post the result to the screen (never waits for it)."""
        from ..ranking.service import RankedPapers

        if isinstance(result, RankedPapers):
            self.screen.post_message(self.Ranked(result))
        else:
            self.screen.post_message(self.Similar(result))

    def accept(self, result: RankedPapers) -> bool:
        """On the UI thread: keep ``result`` if it covers every loaded paper (True);
        otherwise papers arrived since it was fitted, so fit again."""
        if result.papers != len(self.triage.papers):
            self.refit(0.0)
            return False
        self.ranked = result
        return True

    @dataclass
    class Ranked(Message):
        """A fit finished (posted to the screen from the worker thread)."""

        result: RankedPapers

    @dataclass
    class Failed(Message):
        """The worker stopped on an error; ``text`` is one line for the user."""

        text: str

    @dataclass
    class Similar(Message):
        """Papers like one paper were found (posted to the screen from the worker)."""

        result: SimilarPapers
