"""git as the carrier of the state folder: two clones that change, commit, pull and push
in turn never meet a merge conflict, and nothing is lost (issue 21).

Each device writes only its own files, so a merge of two histories never has two sides
changing one file. The clones ignore ``*.lock`` and the store's temporary files, as
``docs/sync.md`` advises.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.sync_helpers import open_as, view

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

IDS = [f"2501.{n:05d}" for n in range(1, 21)]


def git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=60
    )


def ok(folder: Path, *args: str) -> str:
    result = git(folder, *args)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stdout}{result.stderr}"
    return result.stdout


def clone(origin: Path, target: Path) -> Path:
    ok(origin.parent, "clone", "-q", str(origin), str(target))
    ok(target, "config", "user.email", "reader@example.org")
    ok(target, "config", "user.name", target.name)
    ok(target, "config", "pull.rebase", "false")
    return target


def changes(device: str, path: Path, rng: random.Random, step: int, made: set[str]) -> None:
    """Random changes on the same papers as the other device; each adds a tag of its own
    (kept in ``made``), which no later change can take away."""
    store = open_as(device, path, sync=True)
    for n in range(rng.randrange(3, 9)):
        arxiv_id = rng.choice(IDS)
        store.set_starred([arxiv_id], rng.random() < 0.6)
        store.set_read([rng.choice(IDS)], rng.random() < 0.6)
        store.set_note(rng.choice(IDS), f"{device} {step}.{n}")
        tag = f"{device}-{step}-{n}"
        store.set_tags([arxiv_id], add=[tag])
        made.add(f"{arxiv_id} {tag}")
    assert store.flush()
    store.close()


def commit(folder: Path, message: str) -> None:
    ok(folder, "add", "-A")
    if git(folder, "diff", "--cached", "--quiet").returncode:
        ok(folder, "commit", "-q", "-m", message)


def test_two_clones_commit_pull_and_push_in_turn_without_a_conflict(tmp_path):
    origin = tmp_path / "origin.git"
    ok(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    one = clone(origin, tmp_path / "one")
    (one / "state").mkdir()
    (one / ".gitignore").write_text("*.lock\n.*.tmp\n")
    commit(one, "the state folder")
    ok(one, "push", "-q", "origin", "HEAD:main")
    two = clone(origin, tmp_path / "two")
    rng = random.Random(21)
    made: set[str] = set()
    for step in range(6):
        # Both change before either has the other's changes: histories diverge.
        changes("one", one / "state" / "state.json", rng, step, made)
        changes("two", two / "state" / "state.json", rng, step, made)
        commit(one, f"one {step}")
        commit(two, f"two {step}")
        for first, second in ((one, two), (two, one)) if step % 2 else ((two, one), (one, two)):
            for clone_folder in (first, second):
                pulled = git(clone_folder, "pull", "-q", "--no-edit", "origin", "main")
                assert pulled.returncode == 0, pulled.stdout + pulled.stderr
                assert "CONFLICT" not in pulled.stdout + pulled.stderr
                ok(clone_folder, "push", "-q", "origin", "HEAD:main")
    ok(one, "pull", "-q", "--no-edit", "origin", "main")
    assert ok(one, "rev-parse", "HEAD") == ok(two, "rev-parse", "HEAD")
    seen = {
        name: view(open_as(name, folder / "state" / "state.json", read_only=True))
        for name, folder in (("one", one), ("two", two))
    }
    assert seen["one"] == seen["two"]
    tags = {f"{arxiv_id} {tag}" for arxiv_id, state in seen["one"].items() for tag in state[3]}
    assert made <= tags and len(made) > 30
    committed = ok(one, "ls-files").split()
    assert not [name for name in committed if "sync-conflict" in name or name.endswith(".lock")]
    assert {name.split("/")[-1].split(".")[1] for name in committed if "device-" in name} == {
        "device-one",
        "device-two",
    }
