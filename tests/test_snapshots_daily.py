"""SVG snapshots of the screens a day of use changed (issue 20): the header that keeps
what you set, "for you" on the best unjudged paper, the 80x24 reading layout, the
digest picker's filter, help that says it scrolls, a query named above the box, and
"nothing is close".

After an intended change of the look, review the report and run
``pytest tests/test_snapshots_daily.py --snapshot-update``.
"""

from __future__ import annotations

from tests.app_helpers import new_app, year_app
from tests.test_snapshots import judged_app, settle


async def quiet(pilot) -> None:
    """Every worker done and no toast on screen."""
    await settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


def test_header_keeps_what_you_set_at_80x24(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("f", "slash", *'author:chen title:"graph"', "enter", "O", "x", "x")
        await quiet(pilot)

    assert snap_compare(year_app(tmp_path), terminal_size=(80, 24), run_before=run_before)


def for_you_app(tmp_path):
    """The sample with the quantization papers 4, 14, 25 starred and read, and three
    language-model papers on other subjects read (tests/test_app_for_you.py)."""
    from tests.test_app_for_you import READ_ONLY, STARRED
    from tui_reader.digest import load_library

    app = new_app(tmp_path, auto_read=False)
    ids = [paper.arxiv_id for paper in load_library(app.paths).papers]
    app.store.set_starred([ids[i] for i in STARRED], True)
    app.store.set_read([ids[i] for i in (*STARRED, *READ_ONLY)], True)
    return app


def test_for_you_lands_on_the_best_unjudged_paper(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("y")
        await quiet(pilot)

    assert snap_compare(for_you_app(tmp_path), terminal_size=(120, 36), run_before=run_before)


def test_the_for_you_list_ends_with_the_papers_it_learned_from(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("G")
        await quiet(pilot)

    assert snap_compare(for_you_app(tmp_path), terminal_size=(120, 36), run_before=run_before)


def test_reading_at_80x24_gives_the_paper_the_screen(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("J", "J")
        await quiet(pilot)

    assert snap_compare(judged_app(tmp_path), terminal_size=(80, 24), run_before=run_before)


def test_the_digest_picker_filters_as_you_type(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("D", *"2025-01-1")
        await pilot.pause()

    assert snap_compare(year_app(tmp_path), terminal_size=(80, 24), run_before=run_before)


def test_help_at_80x24_says_there_is_more(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(judged_app(tmp_path), terminal_size=(80, 24), run_before=run_before)


def test_a_query_that_cannot_match_is_named_above_the_box(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("slash")
        pilot.app.screen.query_one("#search").value = "date:2025-13..2025-99"  # as pasted
        await quiet(pilot)

    assert snap_compare(judged_app(tmp_path), terminal_size=(120, 36), run_before=run_before)


def test_nothing_close_is_said(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("g", "L")
        await quiet(pilot)

    assert snap_compare(judged_app(tmp_path), terminal_size=(120, 36), run_before=run_before)
