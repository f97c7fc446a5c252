"""A short race (``bench/bench_race.py``): two apps in tmux and a command-line loop
change the same three papers for 12 s; no acknowledged change is lost, nothing on disk
is a value nobody asked for, and both apps come to show what is on disk. The bench runs
it for 60 s and holds the apps to 2 s; here the deadline is generous, so that a busy
machine cannot fail it (the time is printed)."""

from __future__ import annotations

import shutil

import pytest

from bench.bench_race import run

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def test_two_apps_and_a_command_loop_lose_nothing(tmp_path):
    figures = run(12, seed=5, folder=tmp_path, within=20.0)
    print(figures)
    assert figures["lost"] == []
    assert figures["phantoms"] == []
    assert figures["app exit codes"] == {"a": 0, "b": 0}
    shown = next(value for key, value in figures.items() if key.startswith("apps showed"))
    assert None not in shown.values(), figures
    actors = {kind.split()[0] for kind in figures["acknowledged by kind"]}
    assert {"a", "b", "cli"} <= actors, figures  # every one of them changed something
