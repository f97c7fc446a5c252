"""``digest-reader enrich``: fetch arXiv's metadata and the published venues, once.

API: ``run_enrich(args) -> int``; ``online_mode(args, config)``; ``metadata_for(args,
config, papers, state_path, mode)`` (what ``export --online`` / ``--offline`` use).

Rules: only arXiv ids are sent (``tui_reader.online``); the state file is opened
read-only (the starred papers go first) and never written; answers go to the cache
beside it. ``--offline`` (on ``export`` and ``open``) never builds a client and never
writes the cache: no network access at all. A progress bar goes to stderr only when
stderr is a terminal. No network at all is one line and exit code 1; everything else
that went wrong is a warning (``-v`` lists every one, else one summary line).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .common import chosen_state_path, load_given_or_default, open_store, plural, warn

if TYPE_CHECKING:
    from ..config import Config
    from ..model import Paper
    from ..online.enrich import Progress, Report
    from ..online.records import Metadata

EXIT_OFFLINE = 1


def online_mode(args: argparse.Namespace, config: Config) -> str:
    """``"offline"`` (no network), ``"online"`` (fetch what is missing) or ``"cache"``."""
    if getattr(args, "offline", False):
        return "offline"
    if getattr(args, "online", False) or config.online:
        return "online"
    return "cache"


class ProgressBar:
    """``arXiv  [#######.........]  300/3,800`` on stderr, redrawn in place; nothing
    when stderr is not a terminal."""

    WIDTH = 30

    def __init__(self) -> None:
        self.shown = sys.stderr.isatty()
        self.drawn = False

    def __call__(self, progress: Progress) -> None:
        if not self.shown:
            return
        filled = self.WIDTH * progress.done // max(progress.total, 1)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        sys.stderr.write(f"\r{progress.phase:<7} [{bar}] {progress.done:,}/{progress.total:,}")
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()


def fetch(
    ids: Sequence[str], state_path: Path, config: Config, *, fetching: bool
) -> tuple[dict[str, Metadata], Report | None, list[str]]:
    """Every paper's metadata from the cache, after fetching what it lacks when
    ``fetching``; the report (None when nothing was fetched) and the cache's warnings."""
    from ..online.cache import MetadataCache, cache_path
    from ..online.enrich import endpoints, make_enricher

    cache = MetadataCache(cache_path(state_path), writable=fetching)
    problems = cache.load()
    report = None
    if fetching:
        bar = ProgressBar()
        try:
            report = make_enricher(cache, endpoints(config), on_progress=bar).run(ids)
        finally:
            bar.close()
    wanted = set(ids)
    return {i: m for i, m in cache.all().items() if i in wanted}, report, problems


def metadata_for(
    args: argparse.Namespace, config: Config, papers: Sequence[Paper], starred: Sequence[str]
) -> dict[str, Metadata]:
    """For ``export``: the papers' cached metadata, fetched first when online (offline:
    from the cache alone, which is then neither created nor written)."""
    mode = online_mode(args, config)
    first = set(starred)
    ids = sorted((p.arxiv_id for p in papers), key=lambda i: i not in first)
    metadata, report, problems = fetch(ids, chosen_state_path(args), config,
                                       fetching=mode == "online")  # fmt: skip
    for problem in problems:
        warn(problem)
    if report is not None:
        summarise(report, verbose=getattr(args, "verbose", False))
    return metadata


def summarise(report: Report, *, verbose: bool, offline_is_error: bool = False) -> None:
    if report.offline and offline_is_error:
        print(f"digest-reader: error: {report.offline}", file=sys.stderr)
    elif report.offline:
        warn(report.offline)
    others = [w for w in report.warnings if w.message != report.offline]
    if verbose or len(others) <= 3:
        for warning in others:
            warn(str(warning))
    else:
        warn(f"{plural(len(others), 'warning')} from the metadata services; -v lists them")


def run_enrich(args: argparse.Namespace) -> int:
    from ..config import load_config
    from ..locations import config_path

    config = load_config(config_path())
    with open_store(args, read_only=True) as store:
        starred = list(store.ids(starred=True))
        if args.starred and not args.paths:
            ids = starred
        else:
            papers = load_given_or_default(args.paths, args)
            first = set(starred)
            ids = [p.arxiv_id for p in papers if not args.starred or p.arxiv_id in first]
            ids.sort(key=lambda i: i not in first)  # starred papers first
    if not ids:
        print("digest-reader: no papers to enrich.", file=sys.stderr)
        return 0
    metadata, report, problems = fetch(ids, chosen_state_path(args), config, fetching=True)
    for problem in problems:
        warn(problem)
    assert report is not None
    summarise(report, verbose=args.verbose, offline_is_error=True)
    published = sum(1 for m in metadata.values() if m.venue is not None)
    print(f"digest-reader: {len(metadata):,} of {plural(len(ids), 'paper')} have arXiv's "
          f"metadata ({published:,} with a published venue); {report.arxiv_fetched:,} fetched "
          f"from arXiv, {report.venues_fetched:,} venues, in "
          f"{plural(report.requests, 'request')}.", file=sys.stderr)  # fmt: skip
    return EXIT_OFFLINE if report.offline else 0
