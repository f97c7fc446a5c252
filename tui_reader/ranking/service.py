"""``RankingService``: ranking kept up to date in one worker thread while the user reads.

    service = RankingService(store.state, words, publish=on_result)
    # in a worker thread (the app: a Textual thread worker):
    service.run(lambda: worker.is_cancelled)     # returns when cancelled or stopped
    # from the UI thread, cheap (they only note the news under a lock):
    service.add_papers(new_papers, replaced)     # as the loader hands papers over
    service.request_fit(delay=0.0)               # loading ended: fit now
    service.request_fit(delay=FIT_DEBOUNCE)      # a star or unstar: fit once things calm
    service.request_similar(index, k)            # "papers like this one"
    service.stop()

The worker counts the terms of papers as they arrive, ``COUNT_CHUNK`` papers at a
time with a short pause between chunks, so the cost is spread over loading and the UI
thread gets the interpreter back often (counting is pure Python; it holds the GIL),
into one ``CountedTerms`` (the counts exist once, 6 bytes an entry). The TF-IDF
features are made at the first fit that trains the classifier (or the first
``request_similar``), not for the keyword fallback, and made again only when papers
were added or replaced since.
A fit runs once every paper known so far is counted and its deadline has passed on
``clock`` (real time unless one is passed in); a new request moves the deadline
(debounce). ``publish`` is called in the worker thread with a ``RankedPapers`` or a
``SimilarPapers``; the app hands it to its UI thread. A result covers the papers known
when it was computed (``papers``): when more arrived since, the app asks again.

Judgements are read from ``state_of`` (``store.state``) in the worker thread: the
store's reads are safe from any thread. scikit-learn is imported only here, in the
worker: importing this module imports nothing heavy.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..clock import Clock, SystemClock
from ..model import Paper
from .counts import CountedTerms
from .model import RelevanceModel, collect_judgements
from .result import Ranking
from .text import HASH_SPACE, SIMILAR_MIN, TextFeatures, term_counts

COUNT_CHUNK = 250  # papers counted between two looks at the queue (~25 ms of CPU)
COUNT_PAUSE = 0.005  # seconds the worker sleeps between chunks: the UI thread runs
FIT_DEBOUNCE = 1.0  # seconds after the last star or unstar before fitting again
POLL = 0.1  # seconds between looks at ``cancelled`` while idle

_libraries_loaded = False


def load_libraries() -> None:
    """Import scikit-learn and scipy (in the worker), then ``gc.freeze()``.

    They bring about 70,000 objects that live as long as the process; left to the
    cyclic collector, every full collection walks them all (measured: 150 ms instead
    of 6 ms), and a full collection can fall on the UI thread in the middle of a key
    press. Frozen, the collector skips them (and whatever else lives at that moment).
    """
    global _libraries_loaded
    if _libraries_loaded:
        return
    import scipy.sparse  # noqa: F401
    import sklearn.feature_extraction.text
    import sklearn.svm  # noqa: F401

    gc.freeze()
    _libraries_loaded = True


@dataclass(frozen=True, eq=False)
class RankedPapers:
    """A ranking of papers ``0 .. papers - 1`` (indices as the app's paper list)."""

    ranking: Ranking
    papers: int
    seconds: float  # CPU time of the worker thread for the fit (weights + model)


@dataclass(frozen=True, eq=False)
class SimilarPapers:
    """The papers nearest to paper ``index``: ``(index, cosine)``, nearest first, of
    those at ``at_least`` cosine or more (``text.SIMILAR_MIN``)."""

    index: int
    arxiv_id: str
    neighbours: list[tuple[int, float]]
    at_least: float = SIMILAR_MIN


class RankingService:
    """Term counts, features and the latest ranking of the loaded papers.

    Thread rules: ``run`` is the worker thread; every other public method may be
    called from any thread and only records a request under ``_lock``.
    """

    def __init__(
        self,
        state_of: Callable[[str], Any],
        words: Iterable[str] = (),
        *,
        publish: Callable[[RankedPapers | SimilarPapers], None],
        model: RelevanceModel | None = None,
        count_chunk: int = COUNT_CHUNK,
        count_pause: float = COUNT_PAUSE,
        clock: Clock | None = None,
    ) -> None:
        self.clock = clock or SystemClock()  # fit deadlines (a test's FakeClock moves them)
        self.state_of = state_of
        self.words = tuple(words)
        self.publish = publish
        self.model = model or RelevanceModel()
        self.count_chunk = max(1, count_chunk)
        self.count_pause = count_pause
        self._lock = threading.Condition()
        self._papers: list[Paper] = []
        self._replaced: set[int] = set()  # papers replaced since counted: count again
        self._counted = 0  # papers 0 .. _counted - 1 are counted (set by the worker)
        self._taken = 0  # papers 0 .. _taken - 1 are counted or being counted
        self._fit_at: float | None = None  # deadline of the next fit, on ``clock``
        self._similar: tuple[int, int] | None = None  # (index, k) asked for
        self._stopped = False
        self._running = False  # a ``run`` is serving requests
        # Worker-thread state (never touched by other threads):
        self._terms: CountedTerms | None = None  # term counts of papers 0 .. _counted - 1
        self._features: TextFeatures | None = None

    # -- any thread -------------------------------------------------------------------

    # Each request returns True when no ``run`` is serving requests: the caller that
    # runs the service only while there is work (``run(until_idle=True)``) starts one.

    def add_papers(
        self, papers: Sequence[Paper], replaced: Iterable[tuple[int, Paper]] = ()
    ) -> bool:
        """Papers appended to the app's list, and newer records of earlier ones."""
        with self._lock:
            self._papers.extend(papers)
            for index, paper in replaced:
                self._papers[index] = paper
                if index < self._taken:
                    self._replaced.add(index)
            return self._wake()

    def request_fit(self, delay: float = 0.0) -> bool:
        """Fit ``delay`` seconds from now; a later request replaces an earlier one."""
        with self._lock:
            self._fit_at = self.clock.now() + delay
            return self._wake()

    def request_similar(self, index: int, k: int = 20) -> bool:
        """Find the ``k`` papers nearest to paper ``index`` (replaces an unanswered ask)."""
        with self._lock:
            self._similar = (index, k)
            return self._wake()

    def _wake(self) -> bool:
        """Under ``_lock``: wake the runner; True when there is none (start one)."""
        self._lock.notify()
        if self._running:
            return False
        self._running = True
        return True

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._lock.notify()

    @property
    def counted(self) -> int:
        """Papers whose terms are counted (for tests and the status line)."""
        with self._lock:
            return self._counted

    # -- the worker thread ------------------------------------------------------------

    def run(
        self, cancelled: Callable[[], bool] = lambda: False, *, until_idle: bool = False
    ) -> None:
        """Serve requests until ``stop()`` or ``cancelled()`` (or, ``until_idle``, until
        nothing is left to do); one ``run`` at a time (see the requests' return value)."""
        with self._lock:
            self._running = True
        try:
            load_libraries()
            while (job := self._next_job(cancelled, until_idle)) is not None:
                job()
        except BaseException:
            with self._lock:
                self._running = False
            raise

    def _next_job(
        self, cancelled: Callable[[], bool], until_idle: bool
    ) -> Callable[[], None] | None:
        with self._lock:
            while not (self._stopped or cancelled()):
                if self._replaced:
                    replaced, self._replaced = self._replaced, set()
                    snapshot = list(self._papers)
                    return lambda: self._recount(snapshot, replaced)
                if self._counted < len(self._papers):
                    start = self._counted
                    papers = self._papers[start : start + self.count_chunk]
                    self._taken = start + len(papers)
                    expected = len(self._papers)
                    return lambda: self._count(start, papers, expected)
                if self._similar is not None:
                    (index, k), self._similar = self._similar, None
                    if index < len(self._papers):
                        snapshot = list(self._papers)
                        return lambda: self._find_similar(snapshot, index, k)
                    continue
                now = self.clock.now()
                if until_idle and self._fit_at is None:
                    self._running = False  # under the lock: the next request starts a run
                    return None
                if self._fit_at is not None and now >= self._fit_at:
                    self._fit_at = None
                    if self._papers:
                        snapshot = list(self._papers)
                        return lambda: self._fit(snapshot)
                    continue
                wait = POLL if self._fit_at is None else min(POLL, self._fit_at - now)
                self._lock.wait(max(wait, 0.001))
            self._running = False
            return None

    def _count(self, start: int, papers: list[Paper], expected: int) -> None:
        if self._terms is None:
            self._terms = CountedTerms(HASH_SPACE)
        assert len(self._terms) == start
        self._terms.append(term_counts(papers), expected_rows=expected)
        self._features = None
        with self._lock:
            self._counted = start + len(papers)
        time.sleep(self.count_pause)

    def _recount(self, papers: list[Paper], replaced: set[int]) -> None:
        """Count again the papers replaced by a newer record."""
        assert self._terms is not None
        indices = sorted(i for i in replaced if i < len(self._terms))
        counts = term_counts([papers[i] for i in indices])
        self._features = None
        self._terms.replace({index: counts[row] for row, index in enumerate(indices)})

    def _features_for(self, papers: list[Paper]) -> TextFeatures:
        if self._features is None or len(self._features) != len(papers):
            self._features = None  # let the old weights go before making new ones
            assert self._terms is not None
            # Every paper known is counted before a fit or a search (``_next_job``).
            self._features = TextFeatures.from_counts(papers, self._terms.matrix())
        return self._features

    def _fit(self, papers: list[Paper]) -> None:
        start = time.thread_time()
        judgements = collect_judgements(papers, self.state_of)
        # The features are made when the model needs them: the keyword fallback does not.
        features = self._features_for(papers) if self.model.learns(judgements) else None
        ranking = self.model.fit(papers, judgements, self.words, features=features)
        self.publish(RankedPapers(ranking, len(papers), time.thread_time() - start))

    def _find_similar(self, papers: list[Paper], index: int, k: int) -> None:
        features = self._features_for(papers)
        self.publish(SimilarPapers(index, papers[index].arxiv_id, features.similar(index, k)))
