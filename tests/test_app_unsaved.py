"""The app with a state file it cannot write: a lasting warning, and a question at quit."""

from __future__ import annotations

import asyncio
import json
import time

from tests.app_helpers import loaded
from tests.conftest import SEED_DIGEST
from tests.store_helpers import on_disk
from tui_reader.store import StateStore
from tui_reader.ui.app import make_app
from tui_reader.ui.screens.unsaved import SaveCopyScreen, UnsavedScreen


def read_only_app(tmp_path):
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"meta": {"schema": {"version": 2}}, "papers": {}}))
    path.chmod(0o444)
    store = StateStore.open(path, flush_interval=0.05, check_interval=0.05)
    return make_app([SEED_DIGEST], store), store


async def wait_for(pilot, condition, seconds: float = 60.0) -> None:
    """Until ``condition()`` holds; a generous deadline, for a busy machine. It sleeps
    rather than ``pilot.pause()``: a pause waits for the screen to settle, which never
    comes while the app is leaving (that wait ran into Textual's 30 s timeout)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"condition not reached within {seconds} s"
        await asyncio.sleep(0.05)


async def test_unsaved_changes_show_a_lasting_warning_and_quitting_asks(tmp_path):
    app, store = read_only_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: app.unsaved_guard.warning is not None)
        assert "NOT saved" in app.unsaved_guard.warning.message
        assert "chmod u+w" in app.unsaved_guard.warning.message
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedScreen))
        await pilot.press("r")  # retry: still read-only, asked again
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedScreen))
        await pilot.press("escape")  # back to the app, nothing lost
        await wait_for(pilot, lambda: not isinstance(app.screen, UnsavedScreen))
        assert app.is_running and store.unsaved
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedScreen))
        await pilot.press("q")  # quit anyway
    assert app.return_code == 1
    store.close()


async def test_saving_to_another_path_keeps_the_changes(tmp_path):
    app, store = read_only_app(tmp_path)
    copy = tmp_path / "copy.json"
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        starred = screen.current_paper().arxiv_id
        await pilot.press("s", "q")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedScreen))
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SaveCopyScreen))
        app.screen.query_one("Input").value = str(copy)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.is_running)
    assert app.return_code == 1  # the state file itself was not updated
    store.close()
    assert on_disk(copy)[starred]["starred"]


async def test_the_warning_goes_when_saving_works_again(tmp_path):
    app, store = read_only_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: app.unsaved_guard.warning is not None)
        (tmp_path / "state.json").chmod(0o644)
        # the user fixed the file; the store retries on its own
        await wait_for(pilot, lambda: app.unsaved_guard.warning is None)
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running)
    assert app.return_code in (0, None)
    store.close()
