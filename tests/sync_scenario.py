"""Two machines reading the same papers through two real Syncthing daemons (issue 21).

``run(root, seconds, paused, papers=50) -> Outcome`` starts a ``SyncthingPair`` under
``root``; on each side the state folder is the side's share (``DIGEST_READER_DB`` is
``share/state.json``, ``DIGEST_READER_DEVICE`` the side's name), ``digest-reader sync``
makes the side's device files, the installed app runs in tmux (a socket of its own)
on a digest of ``papers`` papers, and for ``seconds`` seconds a command loop on each
side runs ``mark`` on random papers (star, unstar, read, unread, a note, a tag of its
own named after the side and the step) while the app's keys star, read and move. Side
``b`` is paused (offline) for ``paused`` seconds in the middle. Then the loops stop and
the scenario waits until both folders hold the same files, and each app shows the
number of starred papers its side's ``list`` gives (it followed what arrived without
a restart).

``Outcome``: ``converged`` (seconds after the loops stopped), ``acknowledged`` (tags
whose ``mark`` exited 0), ``lost`` (those missing on either side), ``same`` (both
sides list the same state), ``conflicts`` (conflict copies left, or moved to a backup
folder: none may ever have been made), ``folder_bytes``, ``marks`` (commands run),
``app_keys``, ``apps_behind`` (an app that did not come to show what its side lists).
Used by ``tests/test_sync_syncthing.py`` (short) and
``bench/bench_sync.py`` (the issue's 60 s with 20 s paused).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tests.sync_helpers import open_as, view
from tests.syncthing_pair import SIDES, SyncthingPair

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.synthetic import generate_digest  # noqa: E402

PATIENCE = 90.0  # seconds a condition may take to show on a busy machine


def command() -> list[str]:
    installed = Path(sys.executable).parent / "digest-reader"
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "tui_reader"]


PROGRAM = command()  # the build under test; bench_sync may run another (the build before)


@dataclass
class Outcome:
    converged: float = 0.0
    acknowledged: set[str] = field(default_factory=set)
    lost: list[str] = field(default_factory=list)
    same: bool = False
    conflicts: list[str] = field(default_factory=list)
    folder_bytes: dict[str, int] = field(default_factory=dict)
    marks: int = 0
    app_keys: int = 0
    starred: int = 0
    apps_behind: list[str] = field(default_factory=list)  # an app showing another count


class Side:
    def __init__(self, name: str, share: Path, home: Path, digest: Path) -> None:
        self.name = name
        self.digest = digest
        self.env = dict(os.environ)
        self.env.update(
            DIGEST_READER_DEVICE=name,
            DIGEST_READER_DB=str(share / "state.json"),
            DIGEST_READER_CONFIG=str(home / "config.toml"),
            HOME=str(home),
            XDG_STATE_HOME=str(home / "state"),
            TERM="xterm-256color",
            COLUMNS="120",
            LINES="36",
        )
        self.socket = f"digest-reader-sync-{uuid.uuid4().hex[:8]}"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*PROGRAM, *args], env=self.env, capture_output=True, text=True, timeout=120
        )

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=60
        ).stdout

    def start_app(self, *options: str) -> None:
        keys = ("DIGEST_READER_DEVICE", "DIGEST_READER_DB", "DIGEST_READER_CONFIG", "HOME",
                "XDG_STATE_HOME", "TERM", "COLUMNS", "LINES")  # fmt: skip
        exports = " ".join(f"{k}='{self.env[k]}'" for k in keys)
        program = " ".join(f"'{part}'" for part in [*PROGRAM, *options, str(self.digest)])
        self.tmux("new-session", "-d", "-s", "app", "-x", "120", "-y", "36",
                  f"env {exports} {program}; echo exit-code=$?; sleep 600")  # fmt: skip

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-t", "app")

    def wait_for(self, holds, what: str, timeout: float = PATIENCE) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if holds(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{self.name}: {what} never showed; the screen:\n{self.screen()}")

    def press(self, key: str) -> None:
        self.tmux("send-keys", "-t", "app", key)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)

    def listing(self) -> list[dict]:
        result = self.run("list", "--json", str(self.digest))
        if result.returncode != 0:
            raise AssertionError(f"{self.name}: list failed: {result.stderr}")
        return [
            {k: row[k] for k in ("id", "read", "starred", "note")}
            for row in json.loads(result.stdout)
        ]


def _view(share: Path) -> dict[str, tuple]:
    """Every paper's read, starred, note and tags in a side's folder, as a third
    device reading it would see them (nothing written)."""
    store = open_as("observer", share / "state.json", read_only=True)
    try:
        return view(store)
    finally:
        store.close()


def _mark_loop(side: Side, ids: list[str], stop: threading.Event, out: Outcome,
               lock: threading.Lock, seed: int) -> None:  # fmt: skip
    rng = random.Random(seed)
    step = 0
    while not stop.is_set():
        step += 1
        arxiv_id = rng.choice(ids)
        tag = f"{side.name}-cli-{step}"
        action = rng.choice(
            [["--star"], ["--unstar"], ["--read"], ["--unread"],
             ["--note", f"{side.name} note {step}"]]
        )  # fmt: skip
        result = side.run("mark", arxiv_id, "--digest", str(side.digest), "--tag", tag, *action)
        with lock:
            out.marks += 1
            if result.returncode == 0:
                out.acknowledged.add(f"{arxiv_id} {tag}")


def run(
    root: Path, seconds: float, paused: float, papers: int = 50, seed: int = 0, sync: bool = True
) -> Outcome:
    """The scenario (module docstring). Without ``sync`` the sides share today's single
    state file (no ``digest-reader sync``), for the figures before."""
    out = Outcome()
    digest = root / "digest.md"
    digest.write_text(generate_digest(papers, seed=seed), encoding="utf-8")
    with SyncthingPair(root / "pair") as pair:
        sides = {
            name: Side(name, pair.folder(name), root / f"home-{name}", digest) for name in SIDES
        }
        try:
            for side in sides.values() if sync else ():
                made = side.run("sync")
                assert made.returncode == 0, made.stderr
            ids = [row["id"] for row in sides["a"].listing()]
            assert len(ids) == papers
            for side in sides.values():
                side.start_app()
            for side in sides.values():
                side.wait_for(lambda s: f"{papers} unread" in s, "the app's first screen")
            stop = threading.Event()
            lock = threading.Lock()
            loops = [
                threading.Thread(
                    target=_mark_loop, args=(side, ids, stop, out, lock, n), daemon=True
                )
                for n, side in enumerate(sides.values())
            ]
            for loop in loops:
                loop.start()
            rng = random.Random(seed)
            start = time.monotonic()
            pause_at, resume_at = (seconds - paused) / 2, (seconds + paused) / 2
            state = "before"
            while (now := time.monotonic() - start) < seconds:
                if state == "before" and now >= pause_at and paused:
                    pair.pause("b")
                    state = "paused"
                elif state == "paused" and now >= resume_at:
                    pair.resume("b")
                    state = "after"
                for side in sides.values():
                    side.press(rng.choice(["j", "j", "k", "s", "r"]))
                    out.app_keys += 1
                time.sleep(0.25)
            if state == "paused":
                pair.resume("b")
            stop.set()
            for loop in loops:
                loop.join(timeout=180)
            ended = time.monotonic()
            waited = time.monotonic()
            out.converged = waited - ended + pair.wait_converged(timeout=180, settle=4.0)
            listings = {name: side.listing() for name, side in sides.items()}
            views = {name: _view(pair.folder(name)) for name in SIDES}
            out.same = listings["a"] == listings["b"] and views["a"] == views["b"]
            out.starred = sum(row["starred"] for row in listings["a"])
            for name, side in sides.items():
                count = sum(row["starred"] for row in listings[name])
                try:
                    side.wait_for(lambda s, c=count: f" {c} starred" in s,
                                  f"{count} starred (what {name}'s list says)")  # fmt: skip
                except AssertionError as error:
                    out.apps_behind.append(str(error).splitlines()[0])
            for name, side in sides.items():  # each tag is made once: its name says it all
                listed = side.run("list", "--tags").stdout.splitlines()
                have = {line.split("\t")[0] for line in listed}
                out.lost += sorted(
                    f"{name}: {t}" for t in out.acknowledged if t.split()[1] not in have
                )
            for name in SIDES:
                share = pair.folder(name)
                out.conflicts += [str(p) for p in pair.conflict_copies()]
                out.conflicts += [str(p) for p in share.glob("*.backups/*")]
                out.folder_bytes[name] = sum(
                    p.stat().st_size for p in share.iterdir() if p.is_file()
                )
            for side in sides.values():
                side.press("q")
            for side in sides.values():
                side.wait_for(lambda s: "exit-code=0" in s, "the app quitting with 0")
        finally:
            for side in sides.values():
                side.close()
    return out
