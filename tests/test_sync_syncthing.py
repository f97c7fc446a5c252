"""Two machines through two real Syncthing daemons: nothing lost, no conflict copy.

On each side an app in tmux and a ``mark`` loop star, read, note and tag the same 50
papers while side b goes offline for part of the time (``tests/sync_scenario.py``).
The suite runs it for 24 s with 8 s offline so that it stays near a minute on a busy
machine; ``bench/bench_sync.py`` runs the issue's 60 s with 20 s offline.
"""

from __future__ import annotations

import shutil

import pytest

from tests import sync_scenario
from tests.syncthing_pair import available

pytestmark = [
    pytest.mark.skipif(not available(), reason="syncthing is not installed"),
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def test_two_devices_through_syncthing_lose_nothing_and_make_no_conflict_copy(tmp_path):
    outcome = sync_scenario.run(tmp_path, seconds=24, paused=8)
    assert outcome.marks >= 4 and outcome.app_keys >= 20
    assert outcome.acknowledged, "no mark command succeeded"
    assert outcome.lost == []
    assert outcome.same, "the two sides list different states"
    assert outcome.conflicts == []
    assert outcome.apps_behind == []
