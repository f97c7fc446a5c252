"""The app's side of online metadata: the cache read, and fetching in the background.

``OnlineMetadata`` is mixed into ``TriageScreen`` (which provides ``triage``,
``current_paper``, ``show_current``, ``update_summary`` and ``_search_box``): it takes
the worker's messages on the UI thread, redraws the detail pane when the paper on
screen got metadata, hands arXiv's titles to the search and keeps the progress line
(in the summary bar) current. ``EnrichmentWorker`` does the work:

    enrichment = EnrichmentWorker(screen, triage, cache, online=True, where=endpoints)
    enrichment.start()          # once the digests are read: a daemon thread
    enrichment.metadata         # arXiv id -> Metadata known so far (UI thread)
    enrichment.progress         # "arXiv 300/3,800" while fetching, else ""
    enrichment.warnings         # OnlineWarning lines for the warnings screen (W)
    enrichment.stop()           # on unmount: the thread wakes and ends

Rules: the thread reads the cache (always: it is local), then, only when ``online``,
fetches what it lacks for the open papers, starred first (``online.enrich``). It never
touches the UI or the store's state: it reads the star flags, and hands its results to
the screen as messages (``post_message`` is thread-safe and never waits), which the
screen gives to ``accept`` on the UI thread. Nothing from the network changes read,
star, note or tag state. The rate limiter's waits go through ``stop``'s event, so
quitting never waits for arXiv's 3 seconds; a request in flight is left to its
timeout in the daemon thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.screen import Screen

from ..triage import Triage

if TYPE_CHECKING:
    from ..online.cache import MetadataCache
    from ..online.enrich import Endpoints, Progress
    from ..online.records import Metadata, OnlineWarning


class EnrichmentWorker:
    def __init__(
        self,
        screen: Screen[Any],
        triage: Triage,
        cache: MetadataCache | None,
        *,
        online: bool = False,
        where: Endpoints | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], object] | None = None,
    ) -> None:
        self.screen = screen
        self.triage = triage
        self.cache = cache
        self.online = online
        self.where = where
        self.clock = clock  # the rate limiter's clock and sleep (tests inject both)
        self.sleep = sleep
        self.metadata: dict[str, Metadata] = {}
        self.warnings: list[OnlineWarning] = []
        self.progress = ""
        self.other_titles: dict[str, str] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.cache is None or self._thread is not None:
            return
        ids = [paper.arxiv_id for paper in self.triage.papers]
        self._thread = threading.Thread(target=self._run, args=(ids,), name="enrichment",
                                        daemon=True)  # fmt: skip
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def get(self, arxiv_id: str) -> Metadata | None:
        return self.metadata.get(arxiv_id)

    # -- the thread --------------------------------------------------------------------

    def _run(self, ids: list[str]) -> None:
        try:
            self._work(ids)
        except Exception as error:  # a bug must not take the app down: say it, once
            self._post(self.Fetched({}, [_failure(error)], "stopped"))

    def _work(self, ids: list[str]) -> None:
        from ..online.cache import ARXIV
        from ..online.enrich import UNKNOWN_TO_ARXIV
        from ..online.records import OnlineWarning
        from ..online.view import problems

        assert self.cache is not None
        loaded = self.cache.load()
        wanted = set(ids)
        known = {i: meta for i, meta in self.cache.all().items() if i in wanted}
        found = [OnlineWarning(self.cache.path.name, line) for line in loaded]
        for arxiv_id in ids:
            meta = known.get(arxiv_id)
            if meta is not None:
                found.extend(problems(arxiv_id, meta))
            elif self.cache.answered(arxiv_id, ARXIV):  # asked before: arXiv did not know it
                found.append(OnlineWarning(f"arXiv:{arxiv_id}", UNKNOWN_TO_ARXIV))
        self._post(self.Fetched(known, found, ""))
        if not self.online or self._stop.is_set():
            return
        from ..online.enrich import make_enricher

        starred = set(self.triage.store.ids(starred=True))
        ids.sort(key=lambda arxiv_id: arxiv_id not in starred)
        options = {"clock": self.clock} if self.clock is not None else {}
        enricher = make_enricher(
            self.cache, self.where, sleep=self.sleep or self._stop.wait,
            cancelled=self._stop.is_set,
            on_progress=lambda progress: self._post(self.Progressed(_label(progress))),
            on_metadata=lambda told: self._post(self.Fetched(told, [], "")), **options,
        )  # fmt: skip
        report = enricher.run(ids)
        self._post(self.Fetched({}, report.warnings, report.offline or "done"))

    def _post(self, message: Message) -> None:
        if not self._stop.is_set():
            self.screen.post_message(message)

    # -- the UI thread -----------------------------------------------------------------

    def accept(self, message: EnrichmentWorker.Fetched) -> bool:
        """Take a thread's news; True when arXiv gave titles the search should match
        (only those that search apart from the digest's: not a mere colon)."""
        from ..online.view import arxiv_title
        from ..search import normalized

        self.metadata.update(message.metadata)
        self.warnings.extend(message.warnings)
        if message.finished:
            self.progress = ""
        new: dict[str, str] = {}
        for arxiv_id, meta in message.metadata.items():
            paper = self._paper(arxiv_id)
            title = arxiv_title(paper, meta) if paper is not None else None
            if (title is not None and self.other_titles.get(arxiv_id) != title
                    and normalized(title).split() != normalized(paper.title).split()):  # fmt: skip
                new[arxiv_id] = title
        if not new:
            return False
        # A new mapping: a search index being built keeps the one it was given.
        self.other_titles = {**self.other_titles, **new}
        return True

    def _paper(self, arxiv_id: str):
        index = self.triage.index_of(arxiv_id)
        return self.triage.papers[index] if index is not None else None

    class Fetched(Message):
        """Metadata known (from the cache or just fetched), warnings, and whether the
        run is over (``finished``: "done", or why it stopped)."""

        def __init__(self, metadata: dict, warnings: list, finished: str) -> None:
            super().__init__()
            self.metadata = metadata
            self.warnings = warnings
            self.finished = finished

    class Progressed(Message):
        def __init__(self, label: str) -> None:
            super().__init__()
            self.label = label


def _label(progress: Progress) -> str:
    return progress.label


def _failure(error: BaseException) -> OnlineWarning:
    from ..online.records import OnlineWarning

    return OnlineWarning("online", f"fetching stopped: {type(error).__name__}: {error}")


class OnlineMetadata:
    """The online-metadata half of ``TriageScreen``."""

    enrichment: EnrichmentWorker

    def on_enrichment_worker_fetched(self, message: EnrichmentWorker.Fetched) -> None:
        if self.enrichment.accept(message):
            self._search_box.set_other_titles(self.enrichment.other_titles)
        current = self.current_paper()
        if current is not None and current.arxiv_id in message.metadata:
            self.show_current()
        if message.finished:
            self.update_summary()

    def on_enrichment_worker_progressed(self, message: EnrichmentWorker.Progressed) -> None:
        self.enrichment.progress = message.label
        self.update_summary()
