"""SVG snapshots of the main screens (pytest-textual-snapshot).

After an intended change of the look, review the report and run
``pytest tests/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from bench.synthetic import write_digests
from tests.app_helpers import new_app


def judged_app(tmp_path, **kwargs):
    app = new_app(tmp_path, **kwargs)
    store = app.store
    store.set_read(["2412.21188", "2412.21140", "2412.21102"], True)
    store.set_starred(["2412.20891", "2412.20767"], True)
    store.set_note("2412.20891", "Tensor adaptation; try against LoRA baseline.")
    return app


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("J", "J")

    assert snap_compare(judged_app(tmp_path, words=("LLM",)), terminal_size=(130, 36),
                        run_before=run_before)  # fmt: skip


def test_search(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("slash", *"quantiz")
        await settle(pilot)
        await pilot.press("enter")

    assert snap_compare(judged_app(tmp_path), terminal_size=(130, 36), run_before=run_before)


def test_note_editor(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("G", "n")
        await pilot.pause()
        editor = pilot.app.screen.query_one("TextArea")
        editor.cursor_blink = False
        await pilot.press(*"Check the MLPCM ablation")

    assert snap_compare(judged_app(tmp_path), terminal_size=(130, 36), run_before=run_before)


def test_help(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("question_mark")

    assert snap_compare(judged_app(tmp_path), terminal_size=(130, 44), run_before=run_before)


def test_narrow_80x24(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("j", "j", "j", "j", "j")

    assert snap_compare(judged_app(tmp_path), terminal_size=(80, 24), run_before=run_before)


def test_main_120x36(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("J", "J")

    assert snap_compare(judged_app(tmp_path, words=("LLM",)), terminal_size=(120, 36),
                        run_before=run_before)  # fmt: skip


def test_wide_200x60(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("J", "J", "J")

    assert snap_compare(judged_app(tmp_path, words=("LLM",)), terminal_size=(200, 60),
                        run_before=run_before)  # fmt: skip


def many_digests_app(tmp_path):
    paths = write_digests(240, tmp_path / "digests", days=12, seed=3)
    return new_app(tmp_path, sorted(paths))


def test_many_digests(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket", "j")

    assert snap_compare(many_digests_app(tmp_path), terminal_size=(120, 36),
                        run_before=run_before)  # fmt: skip


def test_digest_picker(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket", "D")
        await pilot.pause()
        pilot.app.focused.cursor_blink = False  # the filter box: a blink would be flaky
        await pilot.pause()

    assert snap_compare(many_digests_app(tmp_path), terminal_size=(120, 36),
                        run_before=run_before)  # fmt: skip


def test_tags_selection_and_sort(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.store.set_tags(["2412.21140", "2412.20891"], add=["to-cite"])
        pilot.app.store.set_tags(["2412.20891"], add=["tensors"])
        await pilot.press("O", "O")  # by title
        await settle(pilot)
        await pilot.press("x", "x", "j", "x")
        await pilot.press("g", *"jjjjj")  # a tagged paper: its tags in the detail pane
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(judged_app(tmp_path), terminal_size=(130, 36), run_before=run_before)
