"""Building and driving the app in tests.

``new_app`` gives the app a ``FakeClock``: its timers (the dwell that marks a paper
read, the session writer, the ranking's delays) fire only when a test moves that clock
with ``await advance(pilot, seconds)``, never because the machine was slow.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SEED_DIGEST
from tui_reader.clock import FakeClock
from tui_reader.store import StateStore
from tui_reader.ui.app import DigestApp, TriageScreen, make_app


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


async def loaded(pilot) -> TriageScreen:
    """Wait until every digest is read and the screen has settled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
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
