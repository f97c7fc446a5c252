"""A device in a shared folder folds its journal sooner than a single file does: every
other device reads that journal at open too (issue 21, scale)."""

from __future__ import annotations

import os

from tests.sync_helpers import open_as
from tui_reader.store import StateStore, persist


def journal_size(path) -> int:
    return os.path.getsize(path) if os.path.exists(path) else 0


def grow(store: StateStore, start: int, count: int) -> None:
    for n in range(start, start + count):
        store.set_note(f"2501.{n:05d}", "a note long enough to make the journal grow " * 3)
        assert store.flush()


def test_a_device_folds_at_a_smaller_part_of_its_snapshot_than_a_single_file(tmp_path, monkeypatch):
    monkeypatch.setattr(persist, "JOURNAL_FOLD_BYTES", 1)  # the part of the snapshot decides
    (tmp_path / "single").mkdir()
    (tmp_path / "folder").mkdir()
    single = StateStore.open(tmp_path / "single" / "state.json", background=False)
    device = open_as("a", tmp_path / "folder" / "state.json", sync=True)
    for store in (single, device):
        grow(store, 0, 400)  # a snapshot of some size, folded at close
        store.close()
    single = StateStore.open(tmp_path / "single" / "state.json", background=False)
    device = open_as("a", tmp_path / "folder" / "state.json", sync=True)
    sizes = {}
    for name, store in (("single", single), ("device", device)):
        snapshot_size = os.path.getsize(store.path)
        journal = store.path.with_name(store.path.name + ".journal")
        grown = 0
        for n in range(400, 800):  # write until the journal is cut by a fold
            before = journal_size(journal)
            grow(store, n, 1)
            if journal_size(journal) < before:
                break
            grown = journal_size(journal)
        sizes[name] = grown / snapshot_size
        store.close()
    # The journal just before the change that folded it was at most a 32nd of the
    # snapshot (a device), an eighth (the single file), and one change short of it.
    assert sizes["device"] <= 1 / 32 < sizes["device"] + 0.005, sizes
    assert sizes["single"] <= 1 / 8 < sizes["single"] + 0.005, sizes
