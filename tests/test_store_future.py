"""Changes after a record stamped far in the future take effect (issue 17, item 5):
run against the command as a user runs it; absurd stamps are repaired on read with one
notice and a copy of the original kept."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import SEED_DIGEST
from tests.store_helpers import command, on_disk
from tui_reader.store import StateStore

PAPER = "2412.21188"  # in the sample digest
MS = 10**12  # a stamp's milliseconds are stamp // MS (tui_reader.store.clock)


def v4_state(path, when: float) -> bytes:
    """A format-4 state as a buggy tool (or a wrong clock) left it: times ``when``."""
    times = dict.fromkeys(("read", "starred", "note", "tags", "citation_key", "paper"), when)
    record = {"read": True, "starred": True, "note": "old", "tags": ["t"], "citation_key": None,
              "updated_at": when, "changed": times}  # fmt: skip
    raw = json.dumps({"meta": {"schema": {"version": 4}}, "settings": {},
                      "papers": {PAPER: record}}).encode()  # fmt: skip
    path.write_bytes(raw)
    return raw


def test_mark_after_a_millisecond_stamp_in_a_seconds_field_takes_effect(tmp_path):
    """The issue's case: ``mark --unstar --note`` printed success, and both changes were
    lost as soon as a running copy (the app) merged them: the stamp could not advance
    past the old one, and the tie went to the old values' text."""
    path = tmp_path / "state.json"
    raw = v4_state(path, 1_736_000_000_123.0)  # milliseconds, read as seconds: year 56,981
    app = StateStore.open(path, background=False)  # a copy running all along
    result = command("--db", str(path), "mark", PAPER, "--unstar", "--note", "new")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\t")[1].strip() == "..+"  # read, not starred, noted
    app.reload()
    app.set_read(PAPER, False)  # the reader goes on in the app
    assert app.flush()
    for doc in (on_disk(path)[PAPER], app._docs[PAPER]):
        assert (doc["starred"], doc["note"], doc["read"], list(doc["tags"])) == (
            False, "new", False, ["t"]
        )  # fmt: skip
    app.close()
    assert result.stderr.count("\n") == 1 and "in the future" in result.stderr
    with StateStore.open(path, background=False, read_only=True) as fresh:
        state = fresh.state(PAPER)
        assert (state.starred, state.note) == (False, "new")
        assert abs(state.updated_at - 1_736_000_000.123) > 1  # now, not the old time
        assert fresh.notices == []  # repaired once, on disk
    assert [p.read_bytes() for p in tmp_path.glob("state.json.v4-*")] == [raw]  # kept


@pytest.mark.skipif(shutil.which("faketime") is None, reason="faketime is not installed")
def test_a_copy_whose_clock_ran_decades_ahead_does_not_win_forever(tmp_path):
    path = tmp_path / "state.json"
    db = ("--db", str(path))
    ahead = command(*db, "mark", PAPER, "--star", "--note", "from 2080", "--digest",
                    str(SEED_DIGEST), prefix=("faketime", "2080-01-01 00:00:00"))  # fmt: skip
    assert ahead.returncode == 0, ahead.stderr
    written = json.loads(path.read_text())["papers"][PAPER]["updated_at"]
    assert written // MS > 3_400_000_000_000  # really 2080 (on_disk would repair it)
    now = command(*db, "mark", PAPER, "--unstar", "--note", "today")
    assert now.returncode == 0, now.stderr
    assert "in the future" in now.stderr and now.stderr.count("\n") == 1
    with StateStore.open(path, background=False, read_only=True) as fresh:
        state = fresh.state(PAPER)
        assert (state.starred, state.note) == (False, "today")
    later = command(*db, "mark", PAPER, "--star")
    assert later.returncode == 0 and later.stderr == ""  # said once: the file is repaired
    assert on_disk(path)[PAPER]["starred"]
    assert len(list(tmp_path.glob("state.json.corrupt-*"))) == 1  # the original kept
