"""How many keys a whole triage of the sample takes, at 120x36, counted key by key.

These were tmux tests; what they count is the app's logic (a page of the detail pane,
the next unread paper), which the pilot shows as a terminal would at the same size,
and without racing a terminal's screen. ``test_terminal.py`` keeps what only a real
terminal shows (start, ctrl+s in the note editor, signals, quitting, saving).
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.app_helpers import loaded, new_app
from tui_reader.store import StateStore
from tui_reader.ui.screens.export_path import ExportPathScreen
from tui_reader.ui.screens.note import NoteScreen

SIZE = (120, 36)
STARRED_AT = (2, 9, 19)  # the papers (in reading order) the triage keeps
NOTE_AT = 5


def read_on_disk(path: Path) -> int:
    store = StateStore.open(path, background=False, read_only=True)
    try:
        return len(store.ids(read=True))
    finally:
        store.close()


async def test_space_alone_walks_the_sample_to_zero_unread(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert screen.triage.counts().unread == 30
        presses = 0
        while "All 30 read." not in app.notifications_seen and presses < 120:
            await pilot.press("space")
            presses += 1
        assert screen.triage.counts().unread == 0
    app.store.close()
    assert read_on_disk(tmp_path / "state.json") == 30
    print(f"space presses: {presses}")
    assert presses <= 60  # one page or two per paper at 120x36


async def test_triage_of_the_sample_takes_at_most_45_keys(tmp_path):
    """Read all 30, star 3, one note, export: every key counted but the note's text.
    Without auto-read, so only the keys mark papers read (see docs/triage.md)."""
    app = new_app(tmp_path, auto_read=False)
    keys = 0
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        counts = screen.triage.counts
        for paper in range(30):
            unread = counts().unread
            if paper == NOTE_AT:
                await pilot.press("n")
                await pilot.pause()
                assert isinstance(app.screen, NoteScreen)
                await pilot.press(*[key if key != " " else "space" for key in "read section 3"])
                await pilot.press("ctrl+s")  # the note's text above was not counted
                keys += 2
                await pilot.pause()
                assert counts().noted == 1
            if paper in STARRED_AT:
                await pilot.press("S")
                keys += 1
            else:
                while counts().unread == unread and keys < 200:
                    await pilot.press("space")
                    keys += 1
            assert counts().unread == unread - 1
        assert counts().starred == 3
        target = Path(os.environ["HOME"]) / "starred.bib"  # the path the app suggests
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, ExportPathScreen)
        await pilot.press("enter")
        keys += 2
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(m.startswith("Exported 3 starred papers") for m in app.notifications_seen)
    app.store.close()
    assert target.read_text(encoding="utf-8").count("@") == 3
    print(f"triage keys: {keys}")
    assert keys <= 45
