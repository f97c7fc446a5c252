"""Shared bits of the state store tests, and the child processes they run.

Run as ``python -m tests.store_helpers MODE STATE_FILE [ARGS]`` from the repository root:

``crash``    star ``2501.NNNNN`` for N = 0, 1, ... and set the note of ``2401.00000`` to
             ``"n=N"``, flushing after each; print ``flushed N`` once it is on disk.
``lazy``     the same without explicit flushes (background flush only); print
             ``changed N`` after each change.
``peer``     one of two copies sharing a file (see ``run_peer``).
``sigterm``  make changes with a long flush interval, install the signal flush, print
             ``ready`` and sleep until a signal arrives.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from tui_reader.model import DigestRef, Paper
from tui_reader.store import StateStore

REPO_ROOT = Path(__file__).resolve().parent.parent


def make_paper(arxiv_id: str = "2501.01234", version: int = 1, **changes: object) -> Paper:
    ref = DigestRef(dt.date(2025, 1, 3), Path("/digests/2025-01-03.md"))
    fields: dict[str, object] = {
        "arxiv_id": arxiv_id,
        "version": version,
        "title": f"On the paper {arxiv_id}",
        "authors": ("Ada Lovelace", "Alan Turing"),
        "date": dt.date(2025, 1, 2),
        "url": f"https://arxiv.org/abs/{arxiv_id}v{version}",
        "abstract": "We show that **this** works.\n\nSecond paragraph — with ünïcode.",
        "bold_spans": ((12, 16),),
        "keywords": ("this",),
        "source": ref,
        "digests": (DigestRef(None, Path("/digests/old.md")), ref),
        "line": 12,
    }
    fields.update(changes)
    return Paper(**fields)  # type: ignore[arg-type]


def on_disk(path: Path) -> dict[str, dict]:
    """Every paper record on disk (snapshot and journal), as a new copy would read it."""
    store = StateStore.open(path, background=False, read_only=True)
    try:
        return dict(store._docs)
    finally:
        store.close()


def command(
    *args: str, prefix: tuple[str, ...] = (), timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    """The installed command as a user runs it (``python -m tui_reader ARGS``), in a
    process of its own; ``prefix`` runs it under a wrapper (``faketime DATE``), ``env``
    adds variables."""
    full_env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), **env)
    return subprocess.run(
        [*prefix, sys.executable, "-m", "tui_reader", *args],
        cwd=REPO_ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def spawn(mode: str, state_file: Path, *args: str) -> subprocess.Popen[str]:
    """Start a child process running ``main`` below, its stdout a text pipe."""
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store_helpers", mode, str(state_file), *args],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def crash_id(n: int) -> str:
    return f"2501.{n:05d}"


def run_crash(path: Path, explicit: bool) -> None:
    from tui_reader.store import StateStore

    # Lazy: the intervals the app uses.
    store = StateStore.open(path, **({"flush_interval": 0.005} if explicit else {}))
    print("ready", flush=True)
    for n in range(100_000):
        store.set_starred([crash_id(n)], True)
        store.set_note("2401.00000", f"n={n}")
        if explicit:
            if not store.flush():
                print("flush failed", store.notices, flush=True)
                return
            print(f"flushed {n}", flush=True)
        else:
            print(f"changed {n} {time.monotonic()}", flush=True)
            time.sleep(0.002)


def peer_read_value(n: int) -> bool:
    """What copy ``a`` sets ``read`` to in round ``n`` (it flips on every visit)."""
    return (n // SHARED) % 2 == 0


SHARED = 40  # papers both copies change


def run_peer(path: Path, name: str, rounds: int, seed: int) -> None:
    """One of two copies: stars its own papers, and changes its own field of shared ones.

    Copy ``a`` marks shared papers read or unread (flipping each visit), copy ``b``
    rewrites their notes; both star private papers (``2502.`` for a, ``2503.`` for b).
    Flushes happen in the background and, at random, explicitly; so do reloads. Both
    copies print ``ready`` and start when a line arrives on stdin.
    """
    from tui_reader.store import StateStore

    rng = random.Random(seed)
    store = StateStore.open(path, flush_interval=0.005, check_interval=0.01)
    prefix = "2502" if name == "a" else "2503"
    print("ready", flush=True)
    sys.stdin.readline()
    for n in range(rounds):
        store.set_starred([f"{prefix}.{n:05d}"], True)
        shared = f"2504.{n % SHARED:05d}"
        if name == "a":
            store.set_read([shared], peer_read_value(n))
        else:
            store.set_note(shared, f"note from b {n}")
        roll = rng.random()
        if roll < 0.2:
            store.flush()
        elif roll < 0.3:
            store.reload()
        time.sleep(rng.random() * 0.002)
    store.close()
    print("done", store.notices, flush=True)


def run_sigterm(path: Path) -> None:
    from tui_reader.store import StateStore, install_signal_flush

    store = StateStore.open(path, flush_interval=3600, check_interval=3600)
    install_signal_flush(store)
    store.set_starred(["2501.00001", "2501.00002"], True)
    store.set_note("2501.00003", "written on the way out")
    store.set_setting("theme", "textual-light")
    print("ready", flush=True)
    time.sleep(60)
    print("not interrupted", flush=True)


def main(argv: list[str]) -> None:
    mode, path = argv[0], Path(argv[1])
    if mode == "crash":
        run_crash(path, explicit=True)
    elif mode == "lazy":
        run_crash(path, explicit=False)
    elif mode == "peer":
        run_peer(path, argv[2], int(argv[3]), int(argv[4]))
    elif mode == "sigterm":
        run_sigterm(path)
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
