"""Files that are not ours are never touched (issue 17, items 8-11), run against the
command as a user runs it: a state path naming another program's file, a state file
that cannot be read, a journal or lock that is a symlink, a folder or a FIFO, a state
folder that cannot be searched. Each is refused in one line with exit 2 and left
exactly as it was; the app refuses to start the same way. Permissions are enforced for
root too by dropping its capabilities with ``setpriv`` (a real-mode test), and
simulated where they cannot be."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from tests.conftest import SEED_DIGEST
from tests.store_helpers import command, on_disk
from tui_reader.cli import main
from tui_reader.store import StateStore

PAPER = "2412.21188"  # in the sample digest
SEED = str(SEED_DIGEST)
DROP = "-dac_override,-dac_read_search,-fowner"
AS_A_USER = (
    ()
    if os.geteuid() != 0
    else ("setpriv", f"--inh-caps={DROP}", f"--bounding-set={DROP}", "--")
    if shutil.which("setpriv")
    else None
)
needs_permissions = pytest.mark.skipif(
    AS_A_USER is None, reason="root without setpriv: permissions cannot be enforced"
)

NOT_OURS = {
    "a copy of /etc/passwd": b"root:x:0:0:root:/root:/bin/bash\nbin:x:2:2::/bin:/bin/sh\n",
    "refs.bib": b"@article{lovelace1843,\n  title = {Notes},\n  year = {1843},\n}\n",
    "another program's JSON": b'{"version": 3, "meta": {"owner": "x"}, "windows": [1, 2]}\n',
    "another program's TinyDB file": b'{"_default": {"1": {"user": "ada", "id": 7}}}',
}


def snapshot_of(folder: Path) -> dict[str, tuple]:
    """Every file in a folder: its bytes (or link target), type and inode."""
    result = {}
    for entry in sorted(folder.iterdir()):
        st = os.lstat(entry)
        if stat.S_ISLNK(st.st_mode):
            content = os.readlink(entry).encode()
        elif stat.S_ISREG(st.st_mode):
            content = entry.read_bytes()
        else:
            content = b""
        result[entry.name] = (content, stat.S_IFMT(st.st_mode), st.st_ino)
    return result


def one_line_refusal(result, *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("digest-reader: error:")
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.mark.parametrize("content", NOT_OURS.values(), ids=NOT_OURS.keys())
@pytest.mark.parametrize("how", ["--db", "DIGEST_READER_DB"])
def test_another_programs_file_is_refused_and_left_untouched(tmp_path, content, how):
    path = tmp_path / "chosen.file"
    path.write_bytes(content)
    before = snapshot_of(tmp_path)
    db = ("--db", str(path)) if how == "--db" else ()
    env = {} if how == "--db" else {"DIGEST_READER_DB": str(path)}
    for args in (("mark", PAPER, "--star", "--digest", SEED), ("list", "--starred"),
                 ("export", "--all", SEED), (SEED,)):  # fmt: skip
        result = command(*db, *args, **env)  # the last one is the app: it never starts
        one_line_refusal(result, "not a digest-reader state file", str(path))
        assert snapshot_of(tmp_path) == before


def test_our_file_cut_short_or_damaged_at_its_head_is_still_ours(tmp_path):
    """The other side of the line: a damaged state file is moved aside (kept) and what
    is intact in it is kept."""
    path = tmp_path / "state.json"
    assert main(["--db", str(path), "mark", PAPER, "2412.20767", "--star", "--digest", SEED]) == 0
    raw = path.read_bytes()
    for damaged in (raw[: len(raw) * 2 // 3], b"\x00\xffXX" + raw[12:]):
        path.write_bytes(damaged)
        result = command("--db", str(path), "mark", "2412.20767", "--read")
        assert result.returncode == 0, result.stderr
        assert "moved to state.json.corrupt-" in result.stderr
        assert on_disk(path)["2412.20767"]["read"]
    kept = sorted(p.read_bytes() for p in tmp_path.glob("state.json.corrupt-*"))
    assert len(kept) == 2


def unreadable(path: Path):
    """Fails reading ``path`` as permissions would (for root, who reads anything)."""
    real_open = os.open

    def fake_open(file, flags, *args, **kwargs):
        if os.fspath(file) == os.fspath(path):
            raise PermissionError(13, "Permission denied")
        return real_open(file, flags, *args, **kwargs)

    return fake_open


def test_a_state_file_that_cannot_be_read_is_left_exactly_as_it_is(tmp_path, monkeypatch, capsys):
    """Simulated: another user's file, mode 600. It was moved aside and replaced by an
    empty state, so every later command showed 0 papers."""
    path = tmp_path / "state.json"
    assert main(["--db", str(path), "mark", PAPER, "--star", "--digest", SEED]) == 0
    capsys.readouterr()
    before = snapshot_of(tmp_path)
    monkeypatch.setattr(os, "open", unreadable(path))
    store = StateStore.open(path, background=False)
    assert "unreadable" in store.notices[0] and "left untouched" in store.notices[0]
    store.set_read(PAPER, True)
    assert not store.flush()
    store.close()
    for args in (("mark", PAPER, "--read"), ("list", "--starred")):
        assert main(["--db", str(path), *args]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "unreadable (Permission denied)" in err
    monkeypatch.undo()
    assert snapshot_of(tmp_path) == before


@needs_permissions
def test_a_state_file_that_cannot_be_read_for_real(tmp_path):
    path = tmp_path / "state.json"
    assert main(["--db", str(path), "mark", PAPER, "--star", "--digest", SEED]) == 0
    path.chmod(0o000)
    before = snapshot_of(tmp_path)
    try:
        for args in (("mark", PAPER, "--read"), ("list", "--starred"), (SEED,)):
            result = command("--db", str(path), *args, prefix=AS_A_USER)
            one_line_refusal(result, "unreadable", "Permission denied")
            assert snapshot_of(tmp_path) == before
    finally:
        path.chmod(0o600)
    assert on_disk(path)[PAPER]["starred"]


@pytest.mark.parametrize("which", ["journal", "lock"])
@pytest.mark.parametrize("kind", ["symlink", "folder", "fifo"])
def test_a_journal_or_lock_that_is_not_a_file_is_never_written_through(tmp_path, which, kind):
    path = tmp_path / "state.json"
    assert main(["--db", str(path), "mark", PAPER, "--star", "--digest", SEED]) == 0
    other = tmp_path / "someone-elses.txt"
    other.write_bytes(b"not yours\n")
    companion = tmp_path / f"state.json.{which}"
    if companion.exists():
        companion.unlink()
    if kind == "symlink":
        companion.symlink_to(other.name)
    elif kind == "folder":
        companion.mkdir()
    else:
        os.mkfifo(companion)
    before = snapshot_of(tmp_path)
    for args in (("mark", PAPER, "--note", "through the link?"), ("list", "--starred"),
                 (SEED,)):  # fmt: skip
        result = command("--db", str(path), *args, timeout=30)
        one_line_refusal(result, f"{which} file", {"fifo": "FIFO"}.get(kind, kind))
        assert "trying again" not in result.stderr
    assert snapshot_of(tmp_path) == before
    assert other.read_bytes() == b"not yours\n"


def test_a_journal_that_becomes_a_symlink_while_running_is_not_written_through(tmp_path):
    path = tmp_path / "state.json"
    store = StateStore.open(path, background=False)
    store.set_starred(PAPER, True)
    assert store.flush()
    other = tmp_path / "someone-elses.txt"
    other.write_bytes(b"not yours\n")
    journal = tmp_path / "state.json.journal"
    if journal.exists():
        journal.unlink()
    journal.symlink_to(other.name)
    store.set_note(PAPER, "secret note")
    assert not store.flush()
    assert other.read_bytes() == b"not yours\n"
    assert any("symlink" in notice and "journal" in notice for notice in store.notices)
    store.close()
    assert other.read_bytes() == b"not yours\n" and journal.is_symlink()


def test_a_state_folder_that_cannot_be_searched_is_one_line(tmp_path, monkeypatch, capsys):
    """Simulated: ``Path.is_dir()`` raised PermissionError, a traceback."""
    folder = tmp_path / "private"
    folder.mkdir()
    real_stat = os.stat

    def no_search(path, *args, **kwargs):
        if os.fspath(path).startswith(os.fspath(folder) + os.sep):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", no_search)
    for args in (("mark", PAPER, "--star", "--digest", SEED), ("list", "--starred")):
        assert main(["--db", str(folder / "state.json"), *args]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Permission denied" in err


@needs_permissions
def test_a_state_folder_that_cannot_be_searched_for_real(tmp_path):
    folder = tmp_path / "private"
    folder.mkdir()
    assert main(["--db", str(folder / "state.json"), "mark", PAPER, "--star",
                 "--digest", SEED]) == 0  # fmt: skip
    folder.chmod(0o600)  # readable, not searchable
    try:
        for args in (("mark", PAPER, "--read"), ("list", "--starred"), (SEED,)):
            result = command("--db", str(folder / "state.json"), *args, prefix=AS_A_USER)
            one_line_refusal(result, "Permission denied")
    finally:
        folder.chmod(0o700)
    assert json.loads((folder / "state.json").read_text())["papers"][PAPER]["starred"]
