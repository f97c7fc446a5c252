"""A running app follows what another device writes into the shared state folder, without
moving the cursor (issue 21): the installed command in tmux as device a, ``mark`` as
device b on the same folder (two "machines" on one host, as a sync engine would leave
b's files). Each step waits for the screen with a generous deadline; how soon the
change shows is measured in ``docs/sync.md``, not asserted here.
"""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import SEED_DIGEST
from tests.sync_scenario import Side

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def test_the_app_shows_another_devices_star_and_keeps_its_cursor(tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    a = Side("a", share, tmp_path / "home-a", SEED_DIGEST)
    b = Side("b", share, tmp_path / "home-b", SEED_DIGEST)
    try:
        assert a.run("sync").returncode == 0
        a.start_app("--no-auto-read")
        a.wait_for(lambda s: "30 unread" in s, "the first screen")
        for key in ("j", "j", "r"):
            a.press(key)
        a.wait_for(lambda s: "29 unread" in s, "the third paper read")
        marked = b.run(
            "mark", "2412.21188", "--star", "--note", "from b", "--digest", str(SEED_DIGEST)
        )
        assert marked.returncode == 0, marked.stderr
        assert (share / "state.device-b.json").exists() or (
            share / "state.device-b.json.journal"
        ).exists()
        a.wait_for(lambda s: "1 starred" in s and "1 noted" in s, "b's star and note in a's app")
        a.press("r")  # the cursor is still on the third paper: it becomes unread again
        a.wait_for(lambda s: "30 unread" in s, "the same paper unread again")
        a.press("q")
        a.wait_for(lambda s: "exit-code=0" in s, "the app quitting")
        rows = {row["id"]: row for row in b.listing()}
        assert rows["2412.21188"]["starred"] and rows["2412.21188"]["note"] == "from b"
        assert not any(row["read"] for row in rows.values())
    finally:
        a.close()
