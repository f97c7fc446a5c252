"""How many keys a whole triage of the sample takes, at 120x36 and 80x24, key by key.

These were tmux tests; what they count is the app's logic (a page of the detail pane,
the next unread paper), which the pilot shows as a terminal would at the same size,
and without racing a terminal's screen. ``test_terminal.py`` keeps what only a real
terminal shows (start, ctrl+s in the note editor, signals, quitting, saving).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app_helpers import loaded, new_app
from tui_reader.store import StateStore
from tui_reader.ui.screens.export_path import ExportPathScreen
from tui_reader.ui.screens.note import NoteScreen
from tui_reader.ui.screens.tags import TagScreen

SIZE = (120, 36)
STARRED_AT = (2, 9, 19)  # the papers (in reading order) the triage keeps
NOTE_AT = 5
TAGGED_AT = {7: "to-cite", 14: "method"}  # chosen before measuring, as the others
KEY_LIMITS = {(120, 36): 45, (80, 24): 60}  # issue 20's targets (51 and 81 before)


def typed(text: str) -> list[str]:
    return [key if key != " " else "space" for key in text]


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


@pytest.mark.parametrize("size", list(KEY_LIMITS), ids=lambda size: "x".join(map(str, size)))
async def test_triage_of_the_sample_within_the_key_limit(tmp_path, monkeypatch, size):
    """Read all 30, star 3, one note, tag 2, export: every key counted but the text of
    the note and of the tags. Without auto-read, so only the keys mark papers read
    (see docs/triage.md)."""
    monkeypatch.chdir(tmp_path)  # the export goes to ./starred.bib
    app = new_app(tmp_path, auto_read=False)
    keys = 0
    async with app.run_test(size=size) as pilot:
        screen = await loaded(pilot)
        counts = screen.triage.counts
        for paper in range(30):
            unread = counts().unread
            if paper == NOTE_AT:
                await pilot.press("n")
                await pilot.pause()
                assert isinstance(app.screen, NoteScreen)
                await pilot.press(*typed("read section 3"))  # the note's text: not counted
                await pilot.press("ctrl+s")
                keys += 2
                await pilot.pause()
                assert counts().noted == 1
            if paper in TAGGED_AT:
                await pilot.press("t")
                await pilot.pause()
                assert isinstance(app.screen, TagScreen)
                await pilot.press(*typed(TAGGED_AT[paper]))  # the tag's text: not counted
                await pilot.press("enter")
                keys += 2
                await pilot.pause()
                assert not isinstance(app.screen, TagScreen)
            if paper in STARRED_AT:
                await pilot.press("S")
                keys += 1
            else:
                while counts().unread == unread and keys < 200:
                    await pilot.press("space")
                    keys += 1
            assert counts().unread == unread - 1
        assert counts().starred == 3
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, ExportPathScreen)
        await pilot.press("enter")  # the suggested ./starred.bib
        keys += 2
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(m.startswith("Exported 3 starred papers") for m in app.notifications_seen)
    tags = {tag for arxiv_id in app.store.ids() for tag in app.store.state(arxiv_id).tags}
    app.store.close()
    assert (tmp_path / "starred.bib").read_text(encoding="utf-8").count("@") == 3
    assert tags == set(TAGGED_AT.values())
    print(f"triage keys at {size[0]}x{size[1]}: {keys}")
    assert keys <= KEY_LIMITS[size]
