"""Keys that change what is shown never lay the screen out again.

A layout reflow (``Screen._refresh_layout``) re-arranges and repaints every widget; it
cost 62 ms per key at 10,000 papers when each cursor move caused one. Moving, paging,
reading and starring change content only: the list repaints lines, the detail pane and
the header repaint themselves. A resize or another screen may still reflow.
"""

from __future__ import annotations

import itertools

import pytest
from textual.screen import Screen

from tests.app_helpers import loaded, new_app

SIZES = [(160, 50), (80, 24)]


@pytest.fixture
def layouts(monkeypatch):
    """How many times any screen was laid out since the fixture was created."""
    calls: list[bool] = []
    original = Screen._refresh_layout

    def counting(self, size=None, scroll=False):
        calls.append(scroll)
        return original(self, size, scroll)

    monkeypatch.setattr(Screen, "_refresh_layout", counting)
    return calls


async def _layouts_during(app, layouts, keys, size, *, first=()) -> int:
    """Layouts while ``keys`` are pressed, after ``first`` (not counted)."""
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        await pilot.press(*first)
        await pilot.pause(0.1)
        before = len(layouts)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause(0.1)
        return len(layouts) - before


@pytest.mark.parametrize("size", SIZES)
async def test_moving_the_cursor_never_lays_the_screen_out(tmp_path, layouts, size):
    app = new_app(tmp_path)
    keys = ["j"] * 20 + ["k"] * 5 + ["G", "g", "pagedown", "pageup"]
    assert await _layouts_during(app, layouts, keys, size) == 0


@pytest.mark.parametrize(
    "keys",
    [["space"] * 6, ["J", "J", "K"], ["r", "r"], ["s", "s"]],
    ids=["page", "next-unread", "read", "star"],
)
async def test_judging_and_paging_never_lay_the_screen_out(tmp_path, layouts, keys):
    # Toasts are off here: a toast is a widget Textual mounts and lays out (see
    # docs/performance.md); what the pane, list and header do is the point. At 80x24
    # the first reading key hands the list's rows to the paper (ui/narrow.py): that
    # switch is one layout, pressed first; the keys after it lay nothing out.
    app = new_app(tmp_path)
    assert await _layouts_during(app, layouts, keys, (80, 24), first=["J"]) == 0


async def test_the_narrow_reading_layout_is_one_layout_each_way(tmp_path, layouts):
    app = new_app(tmp_path)
    assert await _layouts_during(app, layouts, ["space", "space", "j", "j"], (80, 24)) == 2


async def test_the_counter_sees_a_layout(tmp_path, layouts):
    """The test above can fail: opening the search box is a layout change."""
    app = new_app(tmp_path)
    assert await _layouts_during(app, layouts, ["slash"], (120, 36)) > 0


def _screen_rows(app) -> list[str]:
    """The screen as the terminal has it: each widget's cached rows, composed."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("size", SIZES)
async def test_the_pane_repaints_only_changed_rows_and_leaves_nothing_stale(tmp_path, size):
    """After each move the composed screen equals a full repaint of the pane, and a
    move between two papers does not repaint the rows they share."""
    from tui_reader.ui.paper_detail import PaperDetail

    app = new_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        detail = app.screen.query_one(PaperDetail)
        repainted: list[int] = []
        original = detail.refresh

        def counting(*regions, **kwargs):
            repainted.append(sum(region.height for region in regions) if regions else -1)
            return original(*regions, **kwargs)

        detail.refresh = counting
        for key in ["j"] * 12 + ["k"] * 3 + ["G", "g"]:
            await pilot.press(key)
            await pilot.pause()
            shown = _screen_rows(app)
            detail._drawn.clear()
            original()
            await pilot.pause()
            assert _screen_rows(app) == shown, f"stale rows after {key!r}"
        height = detail.scrollable_content_region.height
        if size == (160, 50):  # short papers: some rows stay as they were
            assert any(0 < rows < height for rows in repainted)


async def test_the_list_scrolls_half_a_page_at_a_time(tmp_path):
    """Scrolling repaints every row of the list: a held j past the bottom scrolls by
    half a page, so most moves repaint two rows; the cursor is never off screen."""
    from bench.synthetic import generate_digest

    digest = tmp_path / "2025-01-03.md"
    digest.write_text(generate_digest(80, seed=3), encoding="utf-8")
    app = new_app(tmp_path, [digest])
    async with app.run_test(size=(120, 24)) as pilot:
        screen = await loaded(pilot)
        papers = screen.paper_list
        height = papers.scrollable_content_region.height
        offsets = []
        for _ in range(60):
            papers.action_cursor_down()  # what j does, without the pilot's wait per key
            row = papers.triage.row_of(papers.cursor)
            assert papers.scroll_offset.y <= row < papers.scroll_offset.y + height
            offsets.append(papers.scroll_offset.y)
        scrolls = sum(1 for a, b in itertools.pairwise(offsets) if a != b)
        assert 0 < scrolls <= 60 // (height // 2) + 1
        for _ in range(60):
            papers.action_cursor_up()
            row = papers.triage.row_of(papers.cursor)
            assert papers.scroll_offset.y <= row < papers.scroll_offset.y + height
        assert papers.scroll_offset.y == 0
