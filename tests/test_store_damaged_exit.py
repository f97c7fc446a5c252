"""A damaged state is never easy to miss (issue 17, item 12; issue 20, item 7): ``list``
and ``export`` still write their output but exit 3, and the app keeps a banner above
the papers until the reader dismisses it, instead of a 10 s toast."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from tests.app_helpers import loaded
from tests.conftest import SEED_DIGEST
from tests.store_helpers import command
from tests.test_terminal import Terminal
from tui_reader.cli import main
from tui_reader.store import StateStore
from tui_reader.ui.app import make_app

SEED = str(SEED_DIGEST)
STARRED = ["2412.21188", "2412.20767", "2412.21140"]


def starred_state(path) -> bytes:
    assert main(["--db", str(path), "mark", *STARRED, "--star", "--note", "n",
                 "--digest", SEED]) == 0  # fmt: skip
    return path.read_bytes()


def damage(path, how: str) -> None:
    raw = starred_state(path)
    if how == "cut short":
        path.write_bytes(raw[: raw.index(b'"2412.20767"') + 20])
    elif how == "journal lines":
        with open(str(path) + ".journal", "ab") as journal:
            journal.write(b'{"v": 99, "p": "2412.21188", "d": {}}\n')
    else:  # a newer format: nothing of it can be read
        path.write_bytes(raw.replace(b'{"version": 5}', b'{"version": 99}', 1))


@pytest.mark.parametrize("how", ["cut short", "journal lines", "newer format"])
def test_list_and_export_write_their_output_and_exit_3(tmp_path, how):
    path = tmp_path / "state.json"
    damage(path, how)
    before = path.read_bytes()
    listed = command("--db", str(path), "list", "--starred", "--json")
    assert listed.returncode == 3, listed.stderr
    assert isinstance(json.loads(listed.stdout), list)  # the output is still there
    assert "digest-reader: warning:" in listed.stderr
    exported = command("--db", str(path), "export", "--all", SEED, "-f", "csl-json")
    assert exported.returncode == 3, exported.stderr
    assert len(json.loads(exported.stdout)) > 10
    assert path.read_bytes() == before  # read-only: left as it is


def test_a_state_read_whole_exits_0(tmp_path):
    path = tmp_path / "state.json"
    starred_state(path)
    listed = command("--db", str(path), "list", "--starred", "--json")
    assert listed.returncode == 0 and listed.stderr == ""
    assert [row["id"] for row in json.loads(listed.stdout)] == sorted(STARRED)


def test_the_exit_status_is_in_each_commands_help():
    for name in ("list", "export"):
        result = command(name, "--help")
        assert "3 the output is written, but the state file is damaged" in " ".join(
            result.stdout.split()
        )


async def test_the_app_keeps_a_banner_until_it_is_dismissed(tmp_path):
    from tui_reader.ui.state_banner import StateBanner

    path = tmp_path / "state.json"
    damage(path, "cut short")
    store = StateStore.open(path, flush_interval=0.05, check_interval=0.05)
    app = make_app([SEED_DIGEST], store, auto_read=False)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        banner = screen.query_one(StateBanner)
        assert banner.shown and "was moved to state.json.corrupt-" in str(banner.render())
        assert banner.region.height >= 1 and banner.region.y == 1  # under the summary
        await pilot.press("j", "r")  # the app goes on working with the banner up
        assert banner.shown
        await pilot.press("exclamation_mark")
        assert not banner.shown
    store.close()


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_installed_app_shows_the_banner_in_a_terminal(tmp_path, monkeypatch):
    path = tmp_path / "state.json"
    damage(path, "journal lines")
    monkeypatch.setenv("DIGEST_READER_DB", str(path))
    term = Terminal(tmp_path, ["--no-auto-read", SEED])
    try:
        screen = term.wait_for("The reading state was not read whole")
        assert "cannot be used" in screen
        term.press("!")
        deadline = time.monotonic() + 30
        while "The reading state was not read whole" in term.screen():
            assert time.monotonic() < deadline, f"the banner stayed after !:\n{term.screen()}"
            time.sleep(0.1)
        term.wait_for("30 unread")
        term.press("q")
        term.wait_for("exit-code=0")
    finally:
        term.close()
