"""Tags in the app: the editor on one paper or the selection, marks, tag: search, undo."""

from __future__ import annotations

from tests.app_helpers import detail_text, loaded, new_app, row_text
from tests.test_app_query_sort_select import FIRST, SECOND, SIZE, THIRD, search, shown_ids
from tui_reader.ui.screens.tags import TagScreen


def tags(app, arxiv_id: str) -> tuple[str, ...]:
    return tuple(app.store.state(arxiv_id).tags)


async def edit_tags(pilot, typed: str) -> None:
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TagScreen)
    pilot.app.screen.query_one("#tags-input").value = typed
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_t_tags_the_current_paper_shown_in_the_row_and_the_detail(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=(160, 36)) as pilot:  # a list wide enough for both tags
        await loaded(pilot)
        await edit_tags(pilot, "to-read theory")
        assert tags(app, FIRST) == ("theory", "to-read")
        assert tags(app, SECOND) == ()
        assert row_text(app, 0).rstrip().endswith("#theory #to-read")
        assert "#theory #to-read" in detail_text(app)
        await edit_tags(pilot, "-theory")
        assert tags(app, FIRST) == ("to-read",)
        await pilot.resize_terminal(90, 36)
        await pilot.pause()
        row = row_text(app, 0).rstrip()
        assert row.endswith("#to-read") and "Sparse" in row  # tags keep their room
        assert any("Tags -theory on 1 paper" in n for n in app.notifications_seen)


async def test_tags_on_the_selection_are_one_undo_step(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    app.store.set_tags([THIRD], add=["old"])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("x", "x", "x", "t")
        await pilot.pause()
        screen = app.screen
        assert str(screen.query_one(".dialog-title").render()) == "Tags of 3 papers selected"
        assert str(screen.query_one("#tags-now").render()) == "now: old (1/3)"
        await pilot.press("o", "tab")  # completes from the tags in use
        assert screen.query_one("#tags-input").value == "old"
        screen.query_one("#tags-input").value = "x -old"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [tags(app, i) for i in (FIRST, SECOND, THIRD)] == [("x",), ("x",), ("x",)]
        await pilot.press("u")
        await pilot.pause()
        assert [tags(app, i) for i in (FIRST, SECOND, THIRD)] == [(), (), ("old",)]


async def test_tag_queries_in_the_search_box(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    app.store.set_tags([FIRST, SECOND], add=["ml"])
    app.store.set_tags([THIRD], add=["mlops"])
    app.store.set_read([SECOND], True)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        for query, expected in [
            ("tag:ml", [FIRST, SECOND]),
            ("tag:ml*", [FIRST, SECOND, THIRD]),
            ("tag:ml -is:read", [FIRST]),
            ("tag:mlops OR tag:ml", [FIRST, SECOND, THIRD]),
            ("is:tagged -tag:ml", [THIRD]),
        ]:
            await search(pilot, query)
            assert shown_ids(app) == expected, query


async def test_escape_cancels_the_tag_editor_without_a_change(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("t", "a", "escape")
        await pilot.pause()
        assert tags(app, FIRST) == () and not isinstance(app.screen, TagScreen)
