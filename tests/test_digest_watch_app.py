"""Digests that arrive while the app is open, driven through the watcher's callback.

The tests hand ``DigestWatch.files_changed`` the paths a watcher would report (real
inotify timing is for the terminal test), with no settling time and no wait for a file
to be still, then check what a user sees: the papers, the cursor, the search, the
selection, the toasts and ``W``.
"""

from __future__ import annotations

import os
import shutil
import time

import pytest

from tests.app_helpers import detail_text, loaded, summary
from tests.watch_helpers import digest_text, settled, toasts, watched_app, write_digest
from tui_reader.ui.screens.warnings import WarningsScreen

SIZE = (120, 36)
DAY_ONE = ["2501.00001", "2501.00002", "2501.00003", "2501.00004"]


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "digests"
    write_digest(folder, "2025-01-03.md", "2025-01-03", DAY_ONE)
    return folder


def shown(screen) -> list[str]:
    return [paper.arxiv_id for paper in screen.triage.papers_in_view()]


async def ready(pilot):
    """The screen once loaded and its first look for changes is done."""
    screen = await loaded(pilot)
    await settled(pilot)
    return screen


async def changed(pilot, *paths) -> None:
    pilot.app.triage_screen.digest_watch.files_changed(paths)
    await settled(pilot)


async def test_a_new_digest_joins_with_cursor_search_and_selection_kept(tmp_path, folder):
    app = watched_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "x")  # select 2501.00002; the cursor moves to 00003
        await pilot.press("slash", *"attention", "enter")
        await pilot.pause()
        assert screen.current_paper().arxiv_id == "2501.00003"
        new = write_digest(folder, "2025-01-10.md", "2025-01-10",
                           ["2501.00010", (("2501.00011", 1, "Nothing about the topic.")),
                            "2501.00012"])  # fmt: skip
        await changed(pilot, new)
        # The matching newcomers joined the search; the cursor, its row on screen, the
        # selection and the query are where they were.
        assert shown(screen) == [*DAY_ONE, "2501.00010", "2501.00012"]
        assert screen.current_paper().arxiv_id == "2501.00003"
        assert screen.paper_list.cursor == 2
        assert [screen.triage.papers[i].arxiv_id for i in screen.triage.selection] == ["2501.00002"]
        assert screen.query_one("#search").value == "attention"
        assert "search: attention (6)" in summary(app) and "1 selected" in summary(app)
        assert "7 papers" in summary(app)
        assert toasts(app) == ["2025-01-10: 3 new papers"]
        assert detail_text(app).startswith("Paper 2501.00003")


async def test_a_removed_digest_leaves_and_the_cursor_goes_to_the_next_paper(tmp_path, folder):
    write_digest(folder, "2025-01-10.md", "2025-01-10", ["2501.00010", "2501.00011", "2501.00001"])
    app = watched_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("s")  # star 2501.00001, which is in both digests
        await pilot.press("G", "k")  # on 2501.00010, at home in the second digest
        assert screen.current_paper().arxiv_id == "2501.00010"
        (folder / "2025-01-10.md").unlink()
        await changed(pilot, folder / "2025-01-10.md")
        assert shown(screen) == DAY_ONE
        assert screen.current_paper().arxiv_id == "2501.00004"  # the nearest still shown
        assert toasts(app) == [
            "2025-01-10 removed: 2 papers left the view; 1 stay, in other digests"
        ]
        assert app.store.state("2501.00001").starred
        assert "4 papers" in summary(app) and "1 starred" in summary(app)


async def test_a_changed_digest_says_what_changed_and_a_touch_says_nothing(tmp_path, folder):
    app = watched_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        path = folder / "2025-01-03.md"
        os.utime(path, (time.time() + 5, time.time() + 5))  # touched: nothing to say
        await changed(pilot, path)
        assert toasts(app) == []
        path.write_text(digest_text("2025-01-03", [*DAY_ONE[:3], "2501.00005"]), "utf-8")
        await changed(pilot, path)
        assert toasts(app) == ["2025-01-03 changed: 1 new paper, 1 removed"]
        assert shown(screen) == [*DAY_ONE[:3], "2501.00005"]


async def test_a_file_that_is_no_digest_is_one_warning_however_often_touched(tmp_path, folder):
    app = watched_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        notes = folder / "notes.md"
        notes.write_text("Shopping list: milk, bread.\n", "utf-8")
        await changed(pilot, notes)
        [toast] = toasts(app)
        assert "1 file skipped (notes.md)" in toast
        for _ in range(3):  # written again, the same: no new warning, no toast
            notes.write_text("Shopping list: milk, bread.\n", "utf-8")
            await changed(pilot, notes)
        assert len(toasts(app)) == 1
        assert [str(w) for w in screen.skipped_files] == [
            f"{notes}: skipped: no papers found (no arXiv links or arXiv: ids)"
        ]
        await pilot.press("W")
        assert isinstance(app.screen, WarningsScreen)


async def test_temporary_files_are_ignored_until_renamed_into_place(tmp_path, folder):
    app = watched_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        text = digest_text("2025-01-10", ["2501.00010"])
        temporaries = [folder / ".syncthing.2025-01-10.md.tmp", folder / "~$2025-01-10.md",
                       folder / "2025-01-10.md.swp", folder / ".2025-01-10.md.kate-swp",
                       folder / "2025-01-10.md.part"]  # fmt: skip
        for temporary in temporaries:
            temporary.write_text(text, "utf-8")
        await changed(pilot, *temporaries)
        assert shown(screen) == DAY_ONE and toasts(app) == []
        temporaries[0].rename(folder / "2025-01-10.md")  # a sync engine's atomic rename
        await changed(pilot, temporaries[0], folder / "2025-01-10.md")
        assert shown(screen) == [*DAY_ONE, "2501.00010"]
        assert toasts(app) == ["2025-01-10: 1 new paper"]


async def test_a_burst_of_fifty_digests_is_one_toast(tmp_path, folder):
    app = watched_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        burst = folder / "2025-02"
        paths = [write_digest(burst, f"2025-02-{day:02}.md", f"2025-02-{day:02}",
                              [f"2502.{day:03}{n:02}" for n in range(3)])
                 for day in range(1, 29)]  # fmt: skip
        paths += [write_digest(burst, f"extra-{n}.md", "2025-03-01", [f"2503.000{n:02}"])
                  for n in range(22)]  # fmt: skip
        await changed(pilot, burst)  # a new folder: looked through
        assert toasts(app) == ["50 new digests: 106 new papers"]
        assert screen.triage.counts().papers == 4 + 106
        assert len(screen.triage.digests) == 51


async def test_ctrl_r_finds_what_changed_without_watching(tmp_path, folder):
    app = watched_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("ctrl+r")
        await settled(pilot)
        assert toasts(app) == ["Digests reloaded: nothing changed."]
        write_digest(folder / "sub", "2025-01-10.md", "2025-01-10", ["2501.00010"])
        await pilot.press("ctrl+r")
        await settled(pilot)
        assert shown(screen) == [*DAY_ONE, "2501.00010"]
        assert toasts(app)[-1] == "2025-01-10: 1 new paper"


async def test_the_opened_folder_removed_is_said_once_and_its_papers_stay(tmp_path, folder):
    app = watched_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        shutil.rmtree(folder)
        await changed(pilot, folder / "2025-01-03.md", folder)
        await changed(pilot, folder)
        assert toasts(app) == [f"{folder} is gone: its papers stay until ctrl+r"]
        assert shown(screen) == DAY_ONE


async def test_a_sorted_view_sorts_the_newcomers_in(tmp_path, folder):
    app = watched_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "O", "O")  # by title
        await settled(pilot)
        assert screen.triage.sort == "title"
        new = write_digest(folder, "2025-01-10.md", "2025-01-10", ["2501.00000", "2501.00009"])
        await changed(pilot, new)
        assert shown(screen) == ["2501.00000", *DAY_ONE, "2501.00009"]
        assert screen.current_paper().arxiv_id == "2501.00002"


async def test_the_palette_reloads_by_name(tmp_path, folder):
    from textual.command import CommandList, CommandPalette

    app = watched_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        write_digest(folder, "2025-01-10.md", "2025-01-10", ["2501.00010"])
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"reload digests")
        commands = app.screen.query_one(CommandList)
        deadline = time.monotonic() + 30  # the palette searches in a worker of its own
        while not (commands.option_count and "Reload digests" in str(
            commands.get_option_at_index(0).prompt)):  # fmt: skip
            assert time.monotonic() < deadline, "the palette never offered the reload"
            await pilot.pause(0.05)
        await pilot.press("enter")
        await settled(pilot)
        assert shown(screen) == [*DAY_ONE, "2501.00010"]
        assert toasts(app) == ["2025-01-10: 1 new paper"]


@pytest.mark.parametrize("how", ["removed", "relabelled"])
async def test_a_note_saved_after_its_digest_changed_under_the_editor(tmp_path, folder, how):
    """The editor holds the paper as it was; the digest goes (or is renamed by a second
    file of its date) while it is open: the note is saved, the counts stay right."""
    from tui_reader.ui.screens.note import NoteScreen

    app = watched_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen)
        if how == "removed":
            (folder / "2025-01-03.md").unlink()
            await changed(pilot, folder / "2025-01-03.md")
        else:
            twin = write_digest(folder, "twin.md", "2025-01-03", ["2501.00009"])
            await changed(pilot, twin)
        await pilot.press(*"kept", "ctrl+s")
        await pilot.pause()
        assert app.store.state("2501.00001").note == "kept"
        noted = 0 if how == "removed" else 1
        assert screen.triage.counts().noted == noted
        screen.triage.recount()
        assert screen.triage.counts().noted == noted


async def test_the_session_outlives_a_digest_arriving_between_launches(tmp_path, folder):
    """Where you were is kept for the opened folder, not for the files it held."""
    app = watched_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "j")
        assert screen.current_paper().arxiv_id == "2501.00003"
    app.store.close()
    write_digest(folder, "2025-01-10.md", "2025-01-10", ["2501.00010"])
    again = watched_app(tmp_path, folder)
    async with again.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert screen.triage.counts().papers == 5  # the new digest is open
        assert screen.current_paper().arxiv_id == "2501.00003"
