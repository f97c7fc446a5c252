"""Building and driving the app in tests."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SEED_DIGEST
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
) -> DigestApp:
    """An app over ``tmp_path``; a paper needs a minute on screen to become read, so
    slow test machines never mark one by accident (dwell tests pass a short time)."""
    store = StateStore.open(tmp_path / "state.json", background=False)
    app = make_app(paths or [SEED_DIGEST], store, words=words, auto_read=auto_read,
                   read_after=read_after, restore=restore)  # fmt: skip
    app.notifications_seen = []  # type: ignore[attr-defined]
    original = app.notify

    def record(message, *args, **kwargs):
        app.notifications_seen.append(str(message))  # type: ignore[attr-defined]
        return original(message, *args, **kwargs)

    app.notify = record  # type: ignore[method-assign]
    return app


def year_app(tmp_path: Path, papers: int = 570, days: int = 57) -> DigestApp:
    """An app over a year of weekly digests' worth of files (``bench.synthetic``),
    without auto-read."""
    from bench.synthetic import write_digests

    folder = tmp_path / "year"
    write_digests(papers, folder, days=days)
    return new_app(tmp_path, [folder], auto_read=False)


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
