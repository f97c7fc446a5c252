"""Building and driving the app in tests.

``new_app`` gives the app a ``FakeClock``: its timers (the dwell that marks a paper
read, the session writer, the ranking's delays) fire only when a test moves that clock
with ``await advance(pilot, seconds)``, never because the machine was slow.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import SEED_DIGEST
from tui_reader.clock import FakeClock
from tui_reader.store import StateStore
from tui_reader.ui.app import DigestApp, TriageScreen, make_app

PATIENCE = 60  # seconds a busy machine may need; only a failing test waits this long


def new_app(
    tmp_path: Path,
    paths: list[Path] | None = None,
    *,
    words: tuple[str, ...] = (),
    auto_read: bool = True,
    read_after: float = 60.0,
    restore: bool = True,
    clock: FakeClock | None = None,
) -> DigestApp:
    """An app over ``tmp_path`` on a ``FakeClock`` (``clock``, else a new one); a paper
    needs a minute on it to become read (dwell tests pass a shorter time)."""
    store = StateStore.open(tmp_path / "state.json", background=False)
    app = make_app(paths or [SEED_DIGEST], store, words=words, auto_read=auto_read,
                   read_after=read_after, restore=restore,
                   clock=clock or FakeClock())  # fmt: skip
    app.notifications_seen = []  # type: ignore[attr-defined]
    original = app.notify

    def record(message, *args, **kwargs):
        app.notifications_seen.append(str(message))  # type: ignore[attr-defined]
        return original(message, *args, **kwargs)

    app.notify = record  # type: ignore[method-assign]
    return app


def clock_of(app: DigestApp) -> FakeClock:
    clock = app.triage_screen.clock
    assert isinstance(clock, FakeClock), "an app from new_app runs on a FakeClock"
    return clock


async def advance(pilot, seconds: float) -> None:
    """Move the app's clock ``seconds`` on (its timers fire as they fall due), then let
    the app settle."""
    clock_of(pilot.app).advance(seconds)
    await pilot.pause()


async def until(
    pilot, condition: Callable[[], object], what: str, seconds: float = PATIENCE
) -> None:
    """Let the app run until ``condition()`` holds (toasts mounted, a thread's news
    arrived); the deadline is generous, for a busy machine, and only ends a failure."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        await pilot.pause(0.02)


async def settled(pilot) -> None:
    """Until no worker is left to finish and no message to handle: what the keys
    started (a search as typed, a sort, an export) is done and shown. A message may
    start a worker (the search box's Changed) and a worker posts messages, so each is
    waited for in turn until neither is left."""
    while True:
        await pilot.pause()
        if all(worker.is_finished for worker in pilot.app.workers):
            return
        # Bounded: a worker waiting on the FakeClock would otherwise hang the test.
        await asyncio.wait_for(pilot.app.workers.wait_for_complete(), PATIENCE)


def year_app(tmp_path: Path, papers: int = 570, days: int = 57) -> DigestApp:
    """An app over a year of weekly digests' worth of files (``bench.synthetic``),
    without auto-read."""
    from bench.synthetic import write_digests

    folder = tmp_path / "year"
    write_digests(papers, folder, days=days)
    return new_app(tmp_path, [folder], auto_read=False)


async def loaded(pilot) -> TriageScreen:
    """Wait until every digest is read and the screen has settled."""
    await settled(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TriageScreen)
    assert not screen.reading_digests
    return screen


def summary(app: DigestApp) -> str:
    return str(app.screen.query_one("#summary").render())


def detail_text(app: DigestApp) -> str:
    return app.screen.query_one("#detail").text


def row_text(app: DigestApp, y: int) -> str:
    return app.screen.query_one("PaperList").render_line(y).text
