"""A state folder shared by devices: every device's files merged, whatever arrives when.

Each device writes only its own files (``<stem>.device-<id>.json`` and its journal);
readers merge all of them per field and per tag. The files of another device may
arrive in any order, twice, or cut anywhere in their last lines (a sync engine copying a
file while it is appended to): the state seen is always the merge of what is whole, and
a torn line is read once the rest arrives, never kept as unusable.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from tests.sync_helpers import (
    SYNCTHING_CONFLICT,
    copy_device,
    device_paths,
    open_as,
    random_changes,
    view,
)
from tui_reader.store import files

IDS = [f"2501.{n:05d}" for n in range(1, 13)]


def _device_folder(
    tmp_path: Path, device: str, seed: int, folded: int, journaled: int, details: bool = True
) -> Path:
    """A folder where ``device`` made ``folded`` changes now in its snapshot and then
    ``journaled`` more still in its journal (the store is left open: nothing folded)."""
    path = tmp_path / device / "state.json"
    path.parent.mkdir()
    rng = random.Random(seed)
    store = open_as(device, path, sync=True)
    random_changes(store, rng, folded, IDS)  # the first save makes the snapshot
    random_changes(store, rng, journaled, IDS, details=details)
    store._closed = True  # left as a running copy leaves it: never folded at close
    return path


def test_each_device_writes_only_its_own_files(tmp_path):
    path = tmp_path / "state.json"
    a = open_as("laptop", path, sync=True)
    a.set_starred(["2501.00001"], True)
    assert a.flush()
    before = {p: files.signature(p) for p in tmp_path.iterdir() if p.is_file()}
    b = open_as("desk", path)  # the folder holds device files: sync mode on its own
    assert b.path.name == "state.device-desk.json"
    assert b.state("2501.00001").starred
    b.set_note("2501.00001", "from the desk")
    b.set_tags(["2501.00001"], add=["ml"])
    assert b.flush()
    b.close()
    for laptop_file, signature in before.items():
        if "laptop" in laptop_file.name and not laptop_file.name.endswith(".lock"):
            assert files.signature(laptop_file) == signature, laptop_file
    assert a.reload() == {"2501.00001"}
    assert view(a) == {"2501.00001": (False, True, "from the desk", ("ml",))}
    a.close()


def test_different_fields_and_tags_from_two_devices_are_all_kept(tmp_path):
    path = tmp_path / "state.json"
    a = open_as("a", path, sync=True)
    b = open_as("b", path, sync=True)
    a.set_starred(["2501.00001"], True)
    a.set_tags(["2501.00001"], add=["one"])
    b.set_read(["2501.00001"], True)
    b.set_tags(["2501.00001"], add=["two"])
    assert a.flush() and b.flush()
    a.reload()
    b.reload()
    assert view(a) == view(b) == {"2501.00001": (True, True, "", ("one", "two"))}
    a.close()
    b.close()
    fresh = open_as("c", path, read_only=True)
    assert view(fresh) == {"2501.00001": (True, True, "", ("one", "two"))}


def test_a_journal_cut_at_every_byte_of_its_last_three_lines(tmp_path):
    source = _device_folder(tmp_path, "b", seed=3, folded=15, journaled=30, details=False)
    target = tmp_path / "receiver" / "state.json"
    target.parent.mkdir()
    receiver = open_as("a", target, sync=True)
    random_changes(receiver, random.Random(9), 20, IDS)
    snap, journal = device_paths(source, "b")
    shutil.copyfile(snap, target.with_name(snap.name))
    data = journal.read_bytes()
    ends = [i + 1 for i, byte in enumerate(data) if byte == ord("\n")]
    assert len(ends) > 5
    start = ends[-4]  # the last three lines begin here
    delivered = target.with_name(journal.name)

    def deliver(upto: int) -> None:
        with open(delivered, "r+b" if delivered.exists() else "wb") as handle:
            handle.write(data[:upto])
            handle.truncate(upto)

    expected = {}
    for end in [start, *ends[-3:]]:
        deliver(end)
        reference = open_as("a", target, read_only=True)
        expected[end] = view(reference)
        assert not reference.damage
        reference.close()
    assert len({str(v) for v in expected.values()}) > 1  # the last lines change something
    for cut in range(start, len(data) + 1):
        deliver(cut)
        whole = data.rfind(b"\n", 0, cut) + 1
        fresh = open_as("a", target, read_only=True)
        assert view(fresh) == expected[whole], cut
        assert not fresh.damage and not fresh.notices, cut
        fresh.close()
        receiver.reload()  # the same copy, reading on as the file grows
        assert view(receiver) == expected[whole], cut
    assert receiver.flush()
    assert not list(tmp_path.rglob("*.rejected"))
    assert not receiver.damage


@pytest.mark.parametrize("seed", range(12))
def test_files_arriving_in_any_order_and_twice_give_one_state(tmp_path, seed):
    rng = random.Random(seed)
    sources = {
        device: _device_folder(
            tmp_path, device, seed * 10 + n, rng.randrange(1, 20), rng.randrange(0, 20)
        )
        for n, device in enumerate(["a", "b", "c"])
    }
    everything = tmp_path / "all" / "state.json"
    everything.parent.mkdir()
    for device, source in sources.items():
        copy_device(source, everything, device)
    expected = view(open_as("reference", everything, read_only=True))
    target = tmp_path / "r" / "state.json"
    target.parent.mkdir()
    receiver = open_as("r", target, sync=True)
    deliveries = [
        (device, path)
        for device, source in sources.items()
        for path in device_paths(source, device)
        if path.exists()
    ]
    rng.shuffle(deliveries)
    # A duplicate: one file delivered again, as a sync engine's conflict copy of itself.
    _, twice = rng.choice(deliveries)
    name = (
        twice.name.replace(".json", SYNCTHING_CONFLICT + ".json", 1)
        if twice.name.endswith(".json")
        else twice.name.replace(".journal", SYNCTHING_CONFLICT + ".journal")
    )
    deliveries.insert(rng.randrange(len(deliveries) + 1), (None, twice.with_name(name)))
    for _device, path in deliveries:
        original = path if _device is not None else twice
        shutil.copyfile(original, target.with_name(path.name))
        receiver.reload()
        assert receiver.flush()
    assert view(receiver) == expected
    receiver.close()
    assert view(open_as("r", target, read_only=True)) == expected
    # The conflict copy was merged into r's own snapshot, then moved to the backups.
    assert not [p for p in target.parent.iterdir() if "sync-conflict" in p.name]
    assert any("sync-conflict" in p.name for p in (target.parent / "state.backups").iterdir())
