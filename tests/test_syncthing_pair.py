"""The two-daemon Syncthing harness carries files both ways and shows a real conflict.

This is the ground the sync tests of the state folder stand on: if two real Syncthing
daemons on 127.0.0.1 do not carry a file, or do not make a ``.sync-conflict-`` copy
when both sides change one file while apart, the state-folder tests prove nothing.
"""

from __future__ import annotations

import pytest

from tests.syncthing_pair import SyncthingPair, available

pytestmark = pytest.mark.skipif(not available(), reason="syncthing is not installed")


def test_files_travel_both_ways_and_one_file_changed_apart_makes_a_conflict_copy(tmp_path):
    with SyncthingPair(tmp_path) as pair:
        (pair.folder("a") / "from-a.txt").write_text("a")
        (pair.folder("b") / "from-b.txt").write_text("b")
        pair.wait_converged(timeout=120)
        assert (pair.folder("b") / "from-a.txt").read_text() == "a"
        assert (pair.folder("a") / "from-b.txt").read_text() == "b"

        pair.pause("b")
        (pair.folder("a") / "one.json").write_text("written by a")
        (pair.folder("b") / "one.json").write_text("written by b, apart")
        pair.resume("b")
        pair.wait_converged(timeout=120)
        assert pair.conflict_copies(), "two sides changing one file apart must conflict"
