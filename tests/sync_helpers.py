"""Shared bits of the tests of a state folder shared by devices (issue 21)."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

from tests.store_helpers import make_paper
from tui_reader.store import StateStore
from tui_reader.store.devices import DEVICE_ENV, device_file

SYNCTHING_CONFLICT = ".sync-conflict-20250103-101112-ABCDEF7"


def open_as(device: str, path: Path, **options: object) -> StateStore:
    """A store opened on ``path`` as the device ``device`` (no background thread)."""
    previous = os.environ.get(DEVICE_ENV)
    os.environ[DEVICE_ENV] = device
    try:
        options.setdefault("background", False)
        return StateStore.open(path, **options)  # type: ignore[arg-type]
    finally:
        if previous is None:
            os.environ.pop(DEVICE_ENV, None)
        else:
            os.environ[DEVICE_ENV] = previous


def view(store: StateStore) -> dict[str, tuple]:
    """What a reader sees of every known paper: read, starred, note, tags."""
    result = {}
    for arxiv_id in store.ids():
        state = store.state(arxiv_id)
        if state.read or state.starred or state.note or state.tags:
            result[arxiv_id] = (state.read, state.starred, state.note, state.tags)
    return result


def random_changes(
    store: StateStore, rng: random.Random, count: int, ids: list[str], *, details: bool = True
) -> None:
    """``count`` random stars, reads, notes and tags on ``ids``, one flush at the end;
    stars give the paper's details when ``details``."""
    for _ in range(count):
        arxiv_id = rng.choice(ids)
        what = rng.randrange(5)
        if what == 0:
            store.set_starred([make_paper(arxiv_id) if details else arxiv_id], rng.random() < 0.7)
        elif what == 1:
            store.set_read([arxiv_id], rng.random() < 0.7)
        elif what == 2:
            store.set_note(arxiv_id, rng.choice(["", "a note", f"note {rng.random()}"]))
        elif what == 3:
            store.set_tags([arxiv_id], add=[rng.choice(["x", "y", "z"])])
        else:
            store.set_tags([arxiv_id], remove=[rng.choice(["x", "y", "z"])])
    assert store.flush()


def device_paths(path: Path, device: str) -> tuple[Path, Path]:
    snap = device_file(path, device)
    return snap, snap.with_name(snap.name + ".journal")


def copy_device(source: Path, target: Path, device: str) -> None:
    """Deliver ``device``'s files from the folder of ``source`` to that of ``target``."""
    for path in device_paths(source, device):
        if path.exists():
            shutil.copyfile(path, target.with_name(path.name))
