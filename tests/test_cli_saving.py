"""The CLI never reports a change as done that is not on disk; notes, tags, bad input."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys

import pytest

from tests.conftest import SEED_DIGEST
from tests.store_helpers import REPO_ROOT, on_disk
from tui_reader.cli import main

SEED = str(SEED_DIGEST)


def state_file() -> str:
    return os.environ["DIGEST_READER_DB"]


def one_error(capsys, code: int, *args: str) -> str:
    assert main(list(args)) == code
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith("digest-reader: error: ")
    return captured.err


def test_mark_on_a_device_is_refused_with_one_line_and_exit_2(capsys, tmp_path):
    link = tmp_path / "state.json"
    link.symlink_to("/dev/null")
    err = one_error(capsys, 2, "--db", str(link), "mark", "2412.21188", "--star", "--digest", SEED)
    assert "device" in err and "left untouched" in err
    assert capsys.readouterr().out == ""  # no flags printed as if done
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not os.path.lexists("/dev/null.lock")


def test_mark_on_a_newer_format_exits_1(capsys, tmp_path):
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"meta": {"schema": {"version": 99}}, "papers": {}}))
    err = one_error(capsys, 1, "--db", str(path), "mark", "2412.21188", "--star", "--digest", SEED)
    assert "newer digest-reader" in err


def test_mark_on_a_read_only_file_exits_1_and_says_how_to_fix_it(capsys, tmp_path):
    path = tmp_path / "state.json"
    assert main(["--db", str(path), "mark", "2412.21188", "--star", "--digest", SEED]) == 0
    path.chmod(0o444)
    before = path.read_bytes()
    err = one_error(capsys, 1, "--db", str(path), "mark", "2412.21188", "--read")
    assert "chmod u+w" in err
    assert path.read_bytes() == before


def test_mark_exits_1_when_the_lock_is_held_too_long(capsys, tmp_path, monkeypatch):
    import fcntl

    from tui_reader.store import lock

    monkeypatch.setattr(lock, "LOCK_TIMEOUT", 0.2)
    path = tmp_path / "state.json"
    assert main(["--db", str(path), "mark", "2412.21188", "--star", "--digest", SEED]) == 0
    capsys.readouterr()
    holder = os.open(str(path) + ".lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        err = one_error(capsys, 1, "--db", str(path), "mark", "2412.21188", "--read")
    finally:
        os.close(holder)
    assert "held by another program" in err
    assert not on_disk(path)["2412.21188"]["read"]


def test_invalid_utf8_in_a_note_is_one_line_and_exit_2(capsys):
    bad = os.fsdecode(b"caf\xe9")
    err = one_error(capsys, 2, "mark", "2412.21188", "--note", bad, "--digest", SEED)
    assert "--note: not valid UTF-8" in err
    assert not os.path.exists(state_file())


def test_a_long_note_from_a_file_or_standard_input(capsys, tmp_path, monkeypatch):
    long_note = "line of a long note\n" * 20_000  # 400 KB: more than argv takes
    note_file = tmp_path / "note.txt"
    note_file.write_text(long_note)
    assert main(["mark", "2412.21188", "--note-file", str(note_file), "--digest", SEED]) == 0
    assert on_disk(state_file())["2412.21188"]["note"] == long_note.strip()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"from stdin \xc3\xa9\n")))
    assert main(["mark", "2412.21188", "--note", "-"]) == 0
    assert on_disk(state_file())["2412.21188"]["note"] == "from stdin é"
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe")
    err = one_error(capsys, 2, "mark", "2412.21188", "--note-file", str(tmp_path / "bad.txt"))
    assert "not valid UTF-8" in err
    err = one_error(capsys, 2, "mark", "2412.21188", "--note-file", str(tmp_path))
    assert "not a regular file" in err


def test_tags_from_the_command_line(capsys):
    assert main(["mark", "2412.21188", "2412.20767", "--tag", "ml", "--tag", "to-read",
                 "--digest", SEED]) == 0  # fmt: skip
    assert main(["mark", "2412.20767", "--untag", "to-read"]) == 0
    capsys.readouterr()
    assert main(["list", "--tags"]) == 0
    assert capsys.readouterr().out == "ml\t2\nto-read\t1\n"
    assert main(["list", "--tags", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"ml": 2, "to-read": 1}


def test_list_starred_shows_papers_starred_by_id_with_a_note(capsys):
    assert main(["mark", "2412.21188", "--star", "--digest", SEED]) == 0
    assert main(["mark", "2412.21188", "--note", "x"]) == 0
    assert main(["mark", "2412.21188", "--unstar"]) == 0
    # starred by id: the store knows it only because it has a note
    assert main(["mark", "2412.20767", "--note", "later", "--digest", SEED]) == 0
    assert main(["mark", "2412.20767", "--star"]) == 0
    capsys.readouterr()
    db = state_file()
    from tui_reader.store import StateStore

    with StateStore.open(db, background=False) as store:
        store.set_starred(["2501.00042"], True)  # by id, never with a digest
    assert main(["list", "--starred"]) == 0
    captured = capsys.readouterr()
    assert "2501.00042\tN*.\t(details unknown)" in captured.out
    assert "2412.20767v1" in captured.out
    assert "details are unknown" in captured.err and captured.err.count("\n") == 1
    assert main(["list", "--starred", "--json"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["2501.00042"]["details_unknown"] is True and rows["2501.00042"]["title"] is None


@pytest.mark.parametrize("command", [["list"], ["list", "--starred"], ["export"]])
def test_read_only_commands_leave_a_damaged_file_where_it_is(capsys, command):
    path = state_file()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(b'{"papers": {"2412.21188": {"starred": tr')
    before = os.stat(path)
    main([*command, SEED] if command == ["list"] else command)
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert os.listdir(os.path.dirname(path)) == ["state.json"]
    capsys.readouterr()


def run_cli(*args: str, env: dict[str, str], timeout: float = 10) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui_reader", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize("kind", ["deep nesting", "fifo", "bad bytes", "device"])
def test_a_config_the_parser_rejects_is_one_line_and_exit_2(tmp_path, kind):
    config = tmp_path / "config.toml"
    if kind == "deep nesting":
        config.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    elif kind == "fifo":
        os.mkfifo(config)
    elif kind == "bad bytes":
        config.write_bytes(b"digests = '\xff\xfe'\n")
    else:
        config.symlink_to("/dev/zero")
    env = dict(os.environ, DIGEST_READER_CONFIG=str(config), PYTHONPATH=str(REPO_ROOT))
    result = run_cli("list", env=env)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "config" in result.stderr
    assert "Traceback" not in result.stderr
