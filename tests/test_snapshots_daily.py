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


def shot(snap_compare, app, size, *steps, modal_worker: bool = False) -> bool:
    """The screen of ``app`` at ``size`` once loaded, after ``steps``: keys to press,
    or coroutine functions of the pilot (``settle``, anything else), then ``quiet``
    (``modal_worker``: a dialog a worker waits on is open, so no waiting for workers)."""

    async def run_before(pilot):
        await settle(pilot)
        for step in steps:
            await (step(pilot) if callable(step) else pilot.press(step))
        await pilot.pause()
        if not modal_worker:
            await quiet(pilot)
        await pilot.pause()

    return snap_compare(app, terminal_size=size, run_before=run_before)


async def steady_cursor(pilot) -> None:
    """The focused input's cursor stops blinking: a blink would make the shot flaky."""
    pilot.app.focused.cursor_blink = False


async def paste_a_bad_query(pilot) -> None:
    await pilot.press("slash")
    box = pilot.app.screen.query_one("#search")
    box.cursor_blink = False  # a blinking cursor would make the snapshot flaky
    box.value = "date:2025-13..2025-99"  # as pasted


def test_header_keeps_what_you_set_at_80x24(snap_compare, tmp_path):
    keys = ["f", "slash", *'author:chen title:"graph"', "enter", "O", "x", "x"]
    assert shot(snap_compare, year_app(tmp_path), (80, 24), *keys)


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
    assert shot(snap_compare, for_you_app(tmp_path), (120, 36), "y")


def test_the_for_you_list_ends_with_the_papers_it_learned_from(snap_compare, tmp_path):
    assert shot(snap_compare, for_you_app(tmp_path), (120, 36), "y", settle, "G")


def test_reading_at_80x24_gives_the_paper_the_screen(snap_compare, tmp_path):
    assert shot(snap_compare, judged_app(tmp_path), (80, 24), "J", "J")


def test_the_digest_picker_filters_as_you_type(snap_compare, tmp_path):
    keys = ["D", *"2025-01-1", steady_cursor]
    assert shot(snap_compare, year_app(tmp_path), (80, 24), *keys, modal_worker=True)


def test_help_at_80x24_says_there_is_more(snap_compare, tmp_path):
    assert shot(snap_compare, judged_app(tmp_path), (80, 24), "question_mark")


def test_a_query_that_cannot_match_is_named_above_the_box(snap_compare, tmp_path):
    assert shot(snap_compare, judged_app(tmp_path), (120, 36), paste_a_bad_query)


def test_nothing_close_is_said(snap_compare, tmp_path):
    assert shot(snap_compare, judged_app(tmp_path), (120, 36), "g", "L")
