"""Conflict copies of our files left by sync engines are merged, then moved to the backups;
today's single state file upgrades to device files with a copy kept (issue 21)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.store_helpers import make_paper
from tests.sync_helpers import SYNCTHING_CONFLICT, open_as, view
from tui_reader.store import StateStore, files, snapshot
from tui_reader.store.devices import conflict_copies, original_name

COPY_NAMES = {
    "state.json": [
        "state" + SYNCTHING_CONFLICT + ".json",
        "state (conflicted copy 2025-01-03).json",
        "state (Ada's conflicted copy 2025-01-03).json",
        "state_conflict-20250103-101112.json",
        "state (conflicted copy 2025-01-03 101112).json",
    ],
    "state.json.journal": [
        "state.json" + SYNCTHING_CONFLICT + ".journal",
        "state.json (conflicted copy 2025-01-03).journal",
    ],
}


def test_conflict_copy_names_of_three_engines_are_recognised(tmp_path):
    for original, copies in COPY_NAMES.items():
        for name in copies:
            assert original_name(name) == original, name
    names = [n for copies in COPY_NAMES.values() for n in copies]
    names += ["state.json.v4-20250103-101112", "notes (conflicted copy).txt", "state.json"]
    found = conflict_copies(tmp_path / "state.json", names)
    assert sorted(name.name for name, _ in found) == sorted(
        n for copies in COPY_NAMES.values() for n in copies
    )


def _written_elsewhere(tmp_path: Path, name: str, arxiv_id: str, note: str) -> Path:
    """A state file another machine wrote (its snapshot and journal)."""
    folder = tmp_path / name
    folder.mkdir()
    store = StateStore.open(folder / "state.json", background=False)
    store.set_starred([make_paper(arxiv_id)], True)
    store.set_note(arxiv_id, note)
    store.set_tags([arxiv_id, "2501.00001"], add=[name])
    assert store.flush()
    store.close()  # small: folded into the snapshot
    return folder / "state.json"


@pytest.mark.parametrize("copy_name", COPY_NAMES["state.json"])
def test_conflict_copies_of_the_single_file_are_merged_then_moved(tmp_path, copy_name):
    path = tmp_path / "state.json"
    here = StateStore.open(path, background=False)
    here.set_read(["2501.00001"], True)
    here.set_tags(["2501.00001"], add=["here"])
    here.close()
    other = _written_elsewhere(tmp_path, "other", "2501.00002", "from the other machine")
    copy = path.with_name(copy_name)
    shutil.copyfile(other, copy)
    expected = {
        "2501.00001": (True, False, "", ("here", "other")),
        "2501.00002": (False, True, "from the other machine", ("other",)),
    }
    listing = StateStore.open(path, background=False, read_only=True)  # `list`: moves nothing
    assert view(listing) == expected
    listing.close()
    assert copy.exists()
    store = StateStore.open(path, background=False)
    assert view(store) == expected
    assert "Run `digest-reader sync` on each" in " ".join(store.notices)
    assert store.flush()  # the merge is written into state.json, then the copy moved
    store.close()
    assert not copy.exists()
    (kept,) = (tmp_path / "state.backups").iterdir()
    assert kept.name.startswith(copy_name) and kept.read_bytes() == other.read_bytes()
    shutil.move(tmp_path / "state.backups", tmp_path / "elsewhere")
    assert view(StateStore.open(path, background=False, read_only=True)) == expected


def test_a_conflict_copy_of_the_journal_is_merged(tmp_path):
    path = tmp_path / "state.json"
    first = StateStore.open(path, background=False)
    first.set_read(["2501.00001"], True)
    first.close()  # the snapshot
    store = StateStore.open(path, background=False)
    store.set_note("2501.00003", "in the copy only")
    assert store.flush()
    journal = path.with_name("state.json.journal")
    copy = path.with_name("state.json" + SYNCTHING_CONFLICT + ".journal")
    shutil.copyfile(journal, copy)
    store._closed = True
    journal.unlink()  # the engine kept the other side's journal; ours became the copy
    reopened = StateStore.open(path, background=False)
    assert reopened.state("2501.00003").note == "in the copy only"
    assert reopened.flush()
    reopened.close()
    assert not copy.exists()
    assert StateStore.open(path, background=False, read_only=True).state("2501.00003").note


def test_a_copy_is_not_moved_while_the_merge_is_not_on_disk(tmp_path, monkeypatch):
    path = tmp_path / "state.json"
    StateStore.open(path, background=False).close()
    other = _written_elsewhere(tmp_path, "other", "2501.00002", "kept")
    copy = path.with_name("state (conflicted copy 2025-01-03).json")
    shutil.copyfile(other, copy)

    def failing_install(temp, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "install", failing_install)
    store = StateStore.open(path, background=False)
    assert store.state("2501.00002").note == "kept"
    assert not store.flush()
    assert copy.exists()
    monkeypatch.undo()
    assert store.flush()
    store.close()
    assert not copy.exists()


def test_conflict_copies_of_device_files_are_merged(tmp_path):
    path = tmp_path / "state.json"
    desk = open_as("desk", path, sync=True)
    desk.set_note("2501.00001", "one")
    desk.close()
    desk_file = path.with_name("state.device-desk.json")
    saved = desk_file.read_bytes()
    desk = open_as("desk", path)
    desk.set_note("2501.00002", "two")
    desk.set_note("2501.00001", "")
    desk.close()
    # Two machines that took the same device id: the engine kept both versions.
    path.with_name("state.device-desk" + SYNCTHING_CONFLICT + ".json").write_bytes(saved)
    laptop = open_as("laptop", path, sync=True)
    assert view(laptop) == {"2501.00002": (False, False, "two", ())}  # the later "" wins
    assert laptop.flush()
    laptop.close()
    assert not [p for p in tmp_path.iterdir() if "sync-conflict" in p.name]


FORMAT_1 = {
    "meta": {"schema": {"version": 1}},
    "settings": {"theme": {"value": "nord", "updated_at": 1736000000.0}},
    "papers": {
        "2501.00001": {
            "read": True,
            "starred": True,
            "note": "old note",
            "citation_key": None,
            "updated_at": 1736000000.0,
        }
    },
}
FORMAT_0 = {
    "_default": {"1": {"arxiv_id": "2501.00001v2", "read": True, "star": True, "note": "old note"}}
}


def _format_5(path: Path) -> None:
    store = StateStore.open(path, background=False)
    store.set_read(["2501.00001"], True)
    store.set_starred([make_paper("2501.00001")], True)
    store.set_note("2501.00001", "old note")
    store.set_setting("theme", "nord")
    store.close()
    store = StateStore.open(path, background=False)
    store.set_tags(["2501.00001"], add=["kept"])
    assert store.flush()  # this one only in the journal
    store._closed = True


@pytest.mark.parametrize("form", ["0", "1", "3", "5"])
def test_the_single_file_of_every_format_upgrades_to_device_files(tmp_path, form):
    path = tmp_path / "state.json"
    if form == "0":
        path.write_text(json.dumps(FORMAT_0))
    elif form == "1":
        path.write_text(json.dumps(FORMAT_1))
    elif form == "3":
        shutil.copyfile(Path(__file__).parent / "data" / "store" / "state-v3.json", path)
    else:
        _format_5(path)
    before = view(StateStore.open(path, background=False, read_only=True))
    assert before
    originals = {p.name: p.read_bytes() for p in tmp_path.iterdir() if "lock" not in p.name}
    store = open_as("laptop", path, sync=True)
    assert store.path.name == "state.device-laptop.json"
    assert view(store) == before
    assert store.flush()
    store.close()
    assert not path.exists() and not path.with_name("state.json.journal").exists()
    kept = {p.name.split(".2")[0]: p.read_bytes() for p in (tmp_path / "state.backups").iterdir()}
    assert kept == originals  # a copy of every file of the old layout, as it was
    after = open_as("desk", path, read_only=True)
    assert view(after) == before
    if form in ("1", "5"):
        assert after.get_setting("theme") == "nord"


def test_note_drafts_and_the_metadata_cache_are_per_device(tmp_path, monkeypatch):
    from tui_reader.note_drafts import drafts_folder
    from tui_reader.online.cache import cache_path

    path = tmp_path / "state.json"
    assert cache_path(path) == tmp_path / "state.json.metadata.jsonl"  # one device: as before
    open_as("desk", path, sync=True).close()
    laptop = open_as("laptop", path)
    monkeypatch.setenv("DIGEST_READER_DEVICE", "laptop")
    assert cache_path(path) == tmp_path / "state.device-laptop.json.metadata.jsonl"
    assert drafts_folder(laptop.path) == tmp_path / "state.device-laptop.json.drafts"
    laptop.close()


def test_another_devices_snapshot_that_holds_ours_is_read_in_its_place(tmp_path, monkeypatch):
    path = tmp_path / "state.json"
    a = open_as("a", path, sync=True)
    a.set_starred([make_paper("2501.00001")], True)
    a.close()  # a's snapshot
    a = open_as("a", path)
    a.set_note("2501.00001", "only in a's journal")
    assert a.flush()
    a._closed = True  # a running copy: its journal stays
    b = open_as("b", path, sync=True)
    b.set_tags(["2501.00001"], add=["from-b"])
    b.close()  # b's snapshot holds a's whole
    parsed = []
    parse = snapshot.parse
    monkeypatch.setattr(
        snapshot, "parse", lambda raw, *a, **k: parsed.append(raw) or parse(raw, *a, **k)
    )
    again = open_as("a", path, read_only=True)
    assert parsed == [path.with_name("state.device-b.json").read_bytes()]  # one parse, b's
    assert view(again) == {"2501.00001": (False, True, "only in a's journal", ("from-b",))}
    assert again.snapshot("2501.00001").title == make_paper("2501.00001").title
    assert not again.notices


def test_the_device_id_is_made_once_outside_the_folder(tmp_path, monkeypatch):
    from tui_reader.store import devices

    monkeypatch.delenv("DIGEST_READER_DEVICE", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    made = devices.device_id()
    assert made == devices.device_id()
    kept = tmp_path / "xdg-state" / "digest-reader" / "device-id"
    assert kept.read_text().strip() == made
    monkeypatch.setenv("DIGEST_READER_DEVICE", "Not/A/Name")
    with pytest.raises(ValueError, match="cannot name a device"):
        devices.device_id()
    store = StateStore.open(tmp_path / "shared" / "state.json", background=False, sync=True)
    assert store.device is None and "cannot name a device" in store.notices[0]
    store.set_read(["2501.00001"], True)
    assert not store.flush()  # never written under a name it cannot be sure of
    store.close()
    assert not (tmp_path / "shared").exists()


def test_lines_of_another_devices_journal_that_our_snapshot_holds_are_not_read_again(tmp_path):
    path = tmp_path / "state.json"
    b = open_as("b", path, sync=True)
    b.set_read(["2501.00009"], True)
    assert b.flush()  # b's snapshot
    b.set_note("2501.00001", "in b's journal")
    b.set_tags(["2501.00002"], add=["b"])
    assert b.flush()
    b._closed = True  # running: its journal stays
    a = open_as("a", path, sync=True)
    assert a.flush()  # a's snapshot holds b's journal as far as a read it
    a.close()
    journal = path.with_name("state.device-b.json.journal")
    data = journal.read_bytes()
    header_end = data.index(b"\n") + 1
    # Lines a already holds, made unreadable: a reopened a does not read them again.
    journal.write_bytes(data[:header_end] + b"x" * (len(data) - header_end - 1) + b"\n")
    again = open_as("a", path, read_only=True)
    assert view(again) == {
        "2501.00001": (False, False, "in b's journal", ()),
        "2501.00002": (False, False, "", ("b",)),
        "2501.00009": (True, False, "", ()),
    }
    assert not again.notices
    fresh = open_as("c", path, read_only=True)  # c holds nothing: it reads them, and says so
    assert "cannot be used" in " ".join(fresh.notices)
