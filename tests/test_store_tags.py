"""Tags merged per tag (issue 17, item 2): adding a tag and removing one are facts of
their own, each with its own stamp, so copies that add different tags to one paper all
keep theirs and a remove takes away only the tag it names."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import SEED_DIGEST
from tests.store_helpers import REPO_ROOT, command, on_disk
from tui_reader.store import StateStore

PAPER = "2412.21188"  # in the sample digest


def copies(path, count=2):
    return [StateStore.open(path, background=False) for _ in range(count)]


def tags_everywhere(path, *stores) -> set[tuple[str, ...]]:
    with StateStore.open(path, background=False, read_only=True) as fresh:
        seen = {fresh.state(PAPER).tags}
    return seen | {store.state(PAPER).tags for store in stores}


def test_copies_that_add_different_tags_at_once_keep_them_all(tmp_path):
    path = tmp_path / "state.json"
    a, b = copies(path)
    a.set_tags(PAPER, add=["from-a"])
    b.set_tags(PAPER, add=["from-b"])  # b has not seen a's tag: its list lacks it
    assert a.flush() and b.flush()
    a.reload()
    assert tags_everywhere(path, a, b) == {("from-a", "from-b")}
    a.close()
    b.close()


def test_a_remove_takes_away_only_the_tag_it_names(tmp_path):
    path = tmp_path / "state.json"
    a, b = copies(path)
    a.set_tags(PAPER, add=["x", "y"])
    assert a.flush()
    b.reload()
    b.set_tags(PAPER, remove=["x"])
    a.set_tags(PAPER, add=["z"])  # at the same time, in the other copy
    assert b.flush() and a.flush()
    b.reload()
    assert tags_everywhere(path, a, b) == {("y", "z")}
    a.set_tags(PAPER, add=["x"])  # added again after the remove: it is back
    assert a.flush()
    b.reload()
    assert tags_everywhere(path, a, b) == {("x", "y", "z")}
    a.close()
    b.close()


def test_undoing_a_tag_step_undoes_only_that_step(tmp_path):
    path = tmp_path / "state.json"
    a, b = copies(path)
    a.set_tags(PAPER, add=["mine"], remove=[])
    assert a.flush()
    b.set_tags(PAPER, add=["theirs"])
    assert b.flush()
    a.reload()
    assert a.state(PAPER).tags == ("mine", "theirs")
    assert a.undo() == {PAPER}  # takes back "mine", not the other copy's tag
    assert a.state(PAPER).tags == ("theirs",)
    a.set_tags(PAPER, remove=["theirs"])
    assert a.undo() == {PAPER}  # a remove undone adds the tag back
    assert a.flush()
    b.reload()
    assert tags_everywhere(path, a, b) == {("theirs",)}
    a.close()
    b.close()


def test_an_older_files_tags_take_the_old_time_of_the_tags_field(tmp_path):
    path = tmp_path / "state.json"
    times = {"read": 10.0, "starred": 20.0, "note": 30.0, "tags": 40.0, "citation_key": 0.0,
             "paper": 0.0}  # fmt: skip
    record = {"read": True, "starred": False, "note": "", "tags": ["b", "a"],
              "citation_key": None, "updated_at": 40.0, "changed": times}  # fmt: skip
    path.write_text(json.dumps({"meta": {"schema": {"version": 4}}, "papers": {PAPER: record}}))
    with StateStore.open(path, background=False) as store:
        assert store.state(PAPER).tags == ("a", "b")
        assert "upgraded from format 4" in store.notices[0]
    doc = json.loads(path.read_text())["papers"][PAPER]
    ms = 10**12  # a stamp of format 5 is milliseconds * 10**12 (store.clock)
    assert doc["tags"] == {"a": 40_000 * ms, "b": 40_000 * ms}
    assert doc["changed"]["read"] == 10_000 * ms and "tags" not in doc["changed"]


def test_eight_mark_commands_at_once_each_keep_their_tag(tmp_path):
    """Eight ``mark --tag`` processes at once on one paper: every tag survives (before,
    the later list of tags won and most of them were lost)."""
    path = tmp_path / "state.json"
    first = command("--db", str(path), "mark", PAPER, "--tag", "seed", "--digest",
                    str(SEED_DIGEST))  # fmt: skip
    assert first.returncode == 0, first.stderr
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    argv = [sys.executable, "-m", "tui_reader", "--db", str(path), "mark", PAPER, "--tag"]
    procs = [
        subprocess.Popen(
            [*argv, f"c{n}"],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    results = [(*proc.communicate(timeout=120), proc.returncode) for proc in procs]
    assert [code for _, _, code in results] == [0] * 8, results
    assert list(on_disk(path)[PAPER]["tags"]) == [*(f"c{n}" for n in range(8)), "seed"]
