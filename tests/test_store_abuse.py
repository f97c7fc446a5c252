"""Files that are not ours, read-only files and commands, odd values, damaged files."""

from __future__ import annotations

import json
import os
import re
import stat
import threading

import pytest

from tests.store_helpers import on_disk
from tui_reader.store import StateStore

HEAD = '{"meta": {"schema": {"version": 4}}, "settings": {}, "papers": {\n'


def doc(**fields) -> dict:
    base = {"read": True, "starred": False, "note": "", "citation_key": None, "updated_at": 1.0}
    return base | fields


def write_state(path, papers: dict, settings: dict | None = None) -> bytes:
    tables = {"meta": {"schema": {"version": 4}}, "settings": settings or {}, "papers": papers}
    raw = json.dumps(tables).encode()
    path.write_bytes(raw)
    return raw


def open_in_thread(path, **kwargs) -> StateStore:
    """Open a store, failing (not hanging) when opening blocks."""
    result: list[StateStore] = []
    thread = threading.Thread(
        target=lambda: result.append(StateStore.open(path, background=False, **kwargs)),
        daemon=True,
    )
    thread.start()
    thread.join(60)  # generous for a busy machine: only a store that hangs waits it out
    assert result, "opening the store hung"
    return result[0]


def test_a_symlink_to_a_device_is_refused_and_the_device_never_touched(tmp_path):
    link = tmp_path / "state.json"
    link.symlink_to("/dev/null")
    store = StateStore.open(link, background=False)
    (notice,) = store.notices
    assert "device" in notice and "left untouched" in notice and "\n" not in notice
    store.set_read(["2501.00001"], True)
    assert not store.flush()
    store.close()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not os.path.lexists("/dev/null.lock") and not os.path.lexists("/dev/null.journal")
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"] and link.is_symlink()
    assert len(store.notices) == 1


@pytest.mark.parametrize("kind", ["fifo", "folder link", "socket"])
def test_other_files_that_are_not_ours_are_refused_without_hanging(tmp_path, kind):
    target = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder link":
        target.mkdir()
    else:
        import socket

        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(target))
    link = tmp_path / "state.json"
    link.symlink_to(target)
    store = open_in_thread(link)
    assert "not a file" in store.notices[0]
    store.set_read(["2501.00001"], True)
    assert not store.flush()
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json", "target"]


def test_a_fifo_in_place_of_the_file_does_not_hang(tmp_path):
    path = tmp_path / "state.json"
    os.mkfifo(path)
    store = open_in_thread(path)
    assert "FIFO" in store.notices[0]
    store.close()
    assert stat.S_ISFIFO(os.stat(path).st_mode)


def test_a_symlink_loop_is_one_line(tmp_path):
    path = tmp_path / "state.json"
    path.symlink_to(path)
    store = StateStore.open(path, background=False)
    assert "unreachable" in store.notices[0] and "\n" not in store.notices[0]
    store.set_read(["2501.00001"], True)
    assert not store.flush()
    store.close()


def test_a_dangling_symlink_gets_its_file(tmp_path):
    link = tmp_path / "state.json"
    link.symlink_to(tmp_path / "real.json")
    with StateStore.open(link, background=False) as store:
        store.set_read(["2501.00001"], True)
    assert link.is_symlink() and "2501.00001" in on_disk(tmp_path / "real.json")


def test_a_read_only_file_is_never_replaced_and_the_user_is_told_how_to_fix_it(tmp_path):
    path = tmp_path / "state.json"
    raw = write_state(path, {"2501.00001": doc()})
    path.chmod(0o444)
    store = StateStore.open(path, background=False)
    assert store.state("2501.00001").read
    assert "read-only" in store.notices[0] and f"chmod u+w {path}" in store.notices[0]
    store.set_starred(["2501.00001"], True)
    assert not store.flush()
    store.close()
    assert path.read_bytes() == raw and stat.S_IMODE(path.stat().st_mode) == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


@pytest.mark.parametrize(
    "content",
    [b'{"papers": {"2501.00001": {"read": tr', b"\x00garbage", b'{"_default": {"1": {}}}'],
    ids=["truncated", "garbage", "old format"],
)
def test_a_read_only_store_never_moves_creates_or_rewrites_anything(tmp_path, content):
    path = tmp_path / "state.json"
    path.write_bytes(content)
    before = path.stat()
    store = StateStore.open(path, background=False, read_only=True)
    store.close()
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]
    assert path.read_bytes() == content


def test_a_read_only_store_does_not_create_a_missing_file(tmp_path):
    path = tmp_path / "sub" / "state.json"
    store = StateStore.open(path, background=False, read_only=True)
    assert store.ids() == [] and store.notices == []
    store.close()
    assert not path.parent.exists()


def test_odd_values_are_repaired_with_one_warning_and_saving_works(tmp_path):
    path = tmp_path / "state.json"
    raw = (
        HEAD + '"2501.00001": {"read": true, "starred": false, "note": "ok", "citation_key": null,'
        ' "updated_at": 1e400},\n'
        '"2501.00002": {"read": false, "starred": true, "note": "bad \\ud800 text",'
        ' "citation_key": null, "updated_at": NaN},\n'
        '"2501.00003": {"read": true, "starred": false, "note": "", "citation_key": null,'
        ' "updated_at": 1' + "0" * 400 + "},\n"
        '"2501.00004": {"read": true, "starred": true, "note": "", "citation_key": null,'
        ' "updated_at": 2.0, "paper": {"title": "x \\udfff", "line": Infinity}}\n}}\n'
    ).encode()
    path.write_bytes(raw)
    store = StateStore.open(path, background=False)
    (warning,) = store.notices
    assert "repaired odd values in 4 entries" in warning and "\n" not in warning
    assert store.state("2501.00002").note == "bad \ufffd text"
    assert store.ids() == ["2501.00001", "2501.00002", "2501.00003", "2501.00004"]
    store.set_note("2501.00001", "new \udc80 note")  # a lone surrogate given to the store
    assert store.flush()
    store.close()
    assert sorted(p.name for p in tmp_path.glob("state.json.v4-*")) != []  # one copy kept
    reread = StateStore.open(path, background=False)
    assert reread.notices == []
    assert reread.state("2501.00001").note == "new \ufffd note"
    reread.close()


def test_a_truncated_file_keeps_every_intact_record(tmp_path):
    path = tmp_path / "state.json"
    with StateStore.open(path, background=False) as store:
        store.set_read([f"2501.{n:05d}" for n in range(2000)], True)
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) * 6 // 10])
    store = StateStore.open(path, background=False)
    kept = store.ids()
    assert 1000 < len(kept) < 2000
    assert all(store.state(i).read for i in kept)
    (backup,) = tmp_path.glob("state.json.corrupt-*")
    assert backup.read_bytes() == raw[: len(raw) * 6 // 10]
    assert f"{len(kept)} intact paper records were kept" in store.notices[0]
    store.close()
    assert set(on_disk(path)) == set(kept)


def test_a_damaged_line_in_the_middle_loses_only_that_line(tmp_path):
    path = tmp_path / "state.json"
    with StateStore.open(path, background=False) as store:
        store.set_read([f"2501.{n:05d}" for n in range(3000)], True)
    lines = path.read_bytes().split(b"\n")
    middle = len(lines) // 2
    damaged = set(re.findall(r'"(2501\.\d{5})"', lines[middle].decode()))
    lines[middle] = lines[middle][: len(lines[middle]) // 2]
    path.write_bytes(b"\n".join(lines))
    store = StateStore.open(path, background=False)
    kept = set(store.ids())
    assert {f"2501.{n:05d}" for n in range(3000)} - damaged <= kept
    assert len(kept) < 3000
    store.close()


def test_the_bytes_of_a_lone_surrogate_are_repaired_too(tmp_path):
    path = tmp_path / "state.json"
    path.write_bytes(
        (HEAD + '"2501.00001": {"read": true, "starred": false, "note": "x').encode()
        + b"\xed\xa0\x80"
        + b'", "citation_key": null, "updated_at": 1.0}\n}}\n'
    )
    store = StateStore.open(path, background=False)
    note = store.state("2501.00001").note
    note.encode("utf-8")  # printable and writable
    assert store.ids() == ["2501.00001"] and len(store.notices) == 1
    store.close()
