"""Enrichment: fetch what the cache lacks, arXiv first, then the venues, and keep it.

    enricher = make_enricher(cache, endpoints(config), on_progress=..., on_metadata=...)
    report = enricher.run(ids)          # ids in the order to fetch them (starred first)

``run`` asks arXiv for every id the cache has no arXiv answer for, ``arxiv_api.BATCH``
ids a request, then the venue service for every paper arXiv knows and the cache has
no venue answer for, ``venue_api.BATCH`` a request; each answer goes to the cache as
it comes (``on_metadata`` gets the papers it told something of). ``Report`` says what
was fetched, how many requests went out, and every warning (``OnlineWarning``): a
batch that failed (its papers keep the digest's data and are asked again next time),
an id a service does not know, a withdrawn paper, a title whose TeX cannot be read,
a cache that cannot be written. No network at all stops the run with one warning.

``cancelled()`` is checked between requests; a long wait for the rate limiter goes
through the injected ``sleep``, which the app makes wake up on cancel. Only arXiv
ids are ever sent. ``endpoints(config, environ)``: the base URLs from
``$DIGEST_READER_ARXIV_API`` / ``$DIGEST_READER_VENUE_API``, else the config, else
the defaults (a venue URL of "" turns the venue lookup off).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .arxiv_api import BATCH as ARXIV_BATCH
from .arxiv_api import ArxivClient
from .atom import FeedError
from .cache import ARXIV, VENUE, CacheError, CacheLine, MetadataCache
from .http import HttpClient, OfflineError, RateLimiter, ServiceError
from .records import Metadata, OnlineWarning
from .venue_api import BATCH as VENUE_BATCH
from .venue_api import VenueClient
from .view import problems

__all__ = ["Endpoints", "Enricher", "Progress", "Report", "endpoints", "make_enricher"]

ARXIV_ENV = "DIGEST_READER_ARXIV_API"
VENUE_ENV = "DIGEST_READER_VENUE_API"
DEFAULT_ARXIV_API = "https://export.arxiv.org/api/query"
DEFAULT_VENUE_API = "https://api.semanticscholar.org/graph/v1"
UNKNOWN_TO_ARXIV = "arXiv does not know this id; the digest's data are kept"
REQUEST_INTERVAL = 3.0  # seconds between two requests to one service (arXiv's rule)


@dataclass(frozen=True, slots=True)
class Endpoints:
    arxiv: str = DEFAULT_ARXIV_API
    venue: str = DEFAULT_VENUE_API  # "": no venue lookup


def endpoints(config: object | None = None, environ: Mapping[str, str] = os.environ) -> Endpoints:
    arxiv = environ.get(ARXIV_ENV) or getattr(config, "arxiv_api", "") or DEFAULT_ARXIV_API
    venue = environ.get(VENUE_ENV)
    if venue is None:
        configured = getattr(config, "venue_api", None)
        venue = DEFAULT_VENUE_API if configured is None else configured
    return Endpoints(arxiv, venue)


@dataclass(frozen=True, slots=True)
class Progress:
    phase: str  # "arXiv" or "venues"
    done: int
    total: int

    @property
    def label(self) -> str:
        return f"{self.phase} {self.done:,}/{self.total:,}"


@dataclass
class Report:
    arxiv_fetched: int = 0
    venues_fetched: int = 0
    requests: int = 0
    warnings: list[OnlineWarning] = field(default_factory=list)
    offline: str = ""  # the one line saying why nothing more could be fetched


def _batches(ids: Sequence[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


class Enricher:
    def __init__(
        self,
        cache: MetadataCache,
        arxiv: ArxivClient,
        venues: VenueClient | None = None,
        *,
        wall_clock: Callable[[], float] = time.time,
        on_progress: Callable[[Progress], object] | None = None,
        on_metadata: Callable[[dict[str, Metadata]], object] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        self.cache = cache
        self.arxiv = arxiv
        self.venues = venues
        self.wall_clock = wall_clock
        self.on_progress = on_progress or (lambda progress: None)
        self.on_metadata = on_metadata or (lambda metadata: None)
        self.cancelled = cancelled
        self._cache_broken = False

    def run(self, ids: Iterable[str]) -> Report:
        ids = list(dict.fromkeys(ids))
        report = Report()
        todo = [i for i in ids if not self.cache.answered(i, ARXIV)]
        if todo and not self._arxiv_phase(todo, report):
            return report
        if self.venues is not None:
            todo = [i for i in ids if not self.cache.answered(i, VENUE)
                    and (record := self.cache.arxiv_record(i)) is not None
                    and not record.withdrawn]  # fmt: skip
            if todo:
                self._venue_phase(todo, report)
        return report

    def _arxiv_phase(self, todo: list[str], report: Report) -> bool:
        done = 0
        self.on_progress(Progress("arXiv", 0, len(todo)))
        for batch in _batches(todo, ARXIV_BATCH):
            if self.cancelled():
                return False
            report.requests += 1
            try:
                answer = self.arxiv.fetch(batch)
            except OfflineError as error:
                report.offline = str(error)
                report.warnings.append(OnlineWarning("arXiv", str(error)))
                return False
            except (ServiceError, FeedError) as error:
                kept = f"{error}; {len(batch)} papers keep the digest's data for now"
                report.warnings.append(OnlineWarning("arXiv", kept))
                continue
            finally:
                done += len(batch)
            now = self.wall_clock()
            lines = [CacheLine(i, ARXIV, now, r) for i, r in answer.records.items()]
            lines += [CacheLine(i, ARXIV, now, None) for i in answer.unknown]
            report.warnings.extend(OnlineWarning("arXiv", p) for p in answer.problems)
            report.warnings.extend(
                OnlineWarning(f"arXiv:{i}", UNKNOWN_TO_ARXIV) for i in answer.unknown
            )
            self._keep(lines, report)
            report.arxiv_fetched += len(answer.records)
            for arxiv_id in answer.records:
                report.warnings.extend(problems(arxiv_id, self.cache.metadata(arxiv_id)))
            self._announce(answer.records)
            self.on_progress(Progress("arXiv", done, len(todo)))
        return True

    def _venue_phase(self, todo: list[str], report: Report) -> None:
        assert self.venues is not None
        done = 0
        self.on_progress(Progress("venues", 0, len(todo)))
        for batch in _batches(todo, VENUE_BATCH):
            if self.cancelled():
                return
            report.requests += 1
            try:
                venues, unknown = self.venues.fetch(batch)
            except OfflineError as error:
                report.offline = str(error)
                report.warnings.append(OnlineWarning("venue service", str(error)))
                return
            except ServiceError as error:
                again = f"{error}; {len(batch)} papers are asked again next time"
                report.warnings.append(OnlineWarning("venue service", again))
                continue
            finally:
                done += len(batch)
            now = self.wall_clock()
            lines = [CacheLine(i, VENUE, now, v) for i, v in venues.items()]
            lines += [CacheLine(i, VENUE, now, None) for i in unknown]
            report.warnings.extend(
                OnlineWarning(f"arXiv:{i}", "the venue service does not know this paper; "
                              "exported as an arXiv preprint") for i in unknown
            )  # fmt: skip
            self._keep(lines, report)
            report.venues_fetched += sum(1 for v in venues.values() if v is not None)
            self._announce(venues)
            self.on_progress(Progress("venues", done, len(todo)))

    def _keep(self, lines: list[CacheLine], report: Report) -> None:
        try:
            self.cache.add(lines)
        except CacheError as error:
            if not self._cache_broken:  # once: every later batch fails the same way
                self._cache_broken = True
                kept = f"{error}; what was fetched is used until the app closes"
                report.warnings.append(OnlineWarning("cache", kept))

    def _announce(self, ids: Iterable[str]) -> None:
        told = {i: meta for i in ids if (meta := self.cache.metadata(i)) is not None}
        if told:
            self.on_metadata(told)


def make_enricher(
    cache: MetadataCache,
    where: Endpoints,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], object] = time.sleep,
    interval: float = REQUEST_INTERVAL,
    timeout: float = 30.0,
    retries: int = 3,
    **options,
) -> Enricher:
    """An ``Enricher`` over the real services at ``where``, one rate limiter each."""

    def client() -> HttpClient:
        return HttpClient(RateLimiter(interval, clock, sleep), timeout=timeout, retries=retries)

    venues = VenueClient(where.venue, client()) if where.venue else None
    return Enricher(cache, ArxivClient(where.arxiv, client()), venues, **options)
