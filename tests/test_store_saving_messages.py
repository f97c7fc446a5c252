"""What the command and the app say about saving is true (issue 17, small ones): a
``mark`` that cannot save says what was not saved and nothing about retrying (it exits);
a ``mark`` whose change another running copy replaced at once does not print success;
once the disk frees up, the app's "not saved" question no longer says changes are lost
and quitting exits 0."""

from __future__ import annotations

import errno
import os

from tests.app_helpers import loaded
from tests.conftest import SEED_DIGEST
from tests.store_helpers import on_disk
from tests.test_app_unsaved import wait_for
from tui_reader.cli import main
from tui_reader.store import StateStore
from tui_reader.store.journal import Journal
from tui_reader.store.working import StateStore as WorkingStore
from tui_reader.ui.app import make_app
from tui_reader.ui.screens.unsaved import UnsavedScreen

SEED = str(SEED_DIGEST)
PAPER, OTHER = "2412.21188", "2412.20767"


def disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_mark_on_a_full_disk_says_what_was_not_saved_and_nothing_of_retrying(
    tmp_path, monkeypatch, capsys
):
    path = tmp_path / "state.json"
    assert main(["--db", str(path), "mark", PAPER, "--star", "--digest", SEED]) == 0
    capsys.readouterr()
    monkeypatch.setattr(Journal, "append", disk_full)  # the disk is full when it appends
    assert main(["--db", str(path), "mark", PAPER, OTHER, "--note", "lost?", "--digest", SEED]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""  # no flags printed as if done
    assert captured.err.count("\n") == 1, captured.err
    assert "No space left on device" in captured.err
    assert f"the changes to {PAPER}, {OTHER} were not saved" in captured.err
    assert "retried" not in captured.err and "trying again" not in captured.err
    monkeypatch.undo()
    assert on_disk(path)[PAPER]["note"] == ""


def test_mark_whose_change_another_copy_replaced_at_once_does_not_print_success(
    tmp_path, monkeypatch, capsys
):
    path = tmp_path / "state.json"
    assert main(["--db", str(path), "mark", PAPER, "--star", "--digest", SEED]) == 0
    capsys.readouterr()
    real_reload = WorkingStore.reload

    def reload_after_another_copy(store):  # the app unstars it just after mark saved
        with StateStore.open(path, background=False) as app:
            app.set_starred(PAPER, True)
            assert app.flush()
        return real_reload(store)

    monkeypatch.setattr(WorkingStore, "reload", reload_after_another_copy)
    assert main(["--db", str(path), "mark", PAPER, "--unstar", "--read"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert (
        "changed starred again" in captured.err
        and "read" not in captured.err.split("changed")[1].split("again")[0]
    )
    assert on_disk(path)[PAPER]["starred"] and on_disk(path)[PAPER]["read"]


async def star_and_quit_on_a_full_disk(pilot, app, monkeypatch) -> None:
    """Star a paper and press q while the disk is full: the question comes up."""
    await loaded(pilot)
    monkeypatch.setattr(os, "fsync", disk_full)
    await pilot.press("s", "q")
    await wait_for(pilot, lambda: isinstance(app.screen, UnsavedScreen), seconds=60)
    assert "No space left on device" in app.screen.reason
    monkeypatch.undo()  # the disk frees up


async def test_once_the_disk_frees_up_the_question_goes_and_quitting_exits_0(tmp_path, monkeypatch):
    path = tmp_path / "state.json"
    store = StateStore.open(path, flush_interval=0.02, check_interval=0.05)
    app = make_app([SEED_DIGEST], store, auto_read=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await star_and_quit_on_a_full_disk(pilot, app, monkeypatch)
        await wait_for(pilot, lambda: not app.is_running, seconds=60)  # retried on its own
    assert app.return_code in (0, None)
    store.close()
    assert store.notices[-1].startswith("Saving to") and "works again" in store.notices[-1]
    assert sum(doc["starred"] for doc in on_disk(path).values()) == 1


async def test_quit_anyway_after_the_disk_freed_up_exits_0_without_saying_lost(
    tmp_path, monkeypatch
):
    path = tmp_path / "state.json"
    store = StateStore.open(path, flush_interval=3600, check_interval=3600)  # no retries
    app = make_app([SEED_DIGEST], store, auto_read=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await star_and_quit_on_a_full_disk(pilot, app, monkeypatch)
        app.screen.store = None  # the question stays up: the reader answers first
        await pilot.press("q")  # quit anyway
        await wait_for(pilot, lambda: not app.is_running, seconds=60)
    assert app.return_code in (0, None)
    store.close()
    assert sum(doc["starred"] for doc in on_disk(path).values()) == 1
