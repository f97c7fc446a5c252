"""A FIFO, device or socket where a digest should be: refused in one line, never waited on.

Given as a file it is a one-line error (exit 2) for every command and the app; found in
a folder it is skipped with a warning like any other file that is not a digest. Every
command runs as installed (a subprocess, with a deadline: a reader that waits on a FIFO
would hang) and the app in tmux.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import SEED_DIGEST
from tests.special_files import TTY, ZERO, make_device, make_fifo, make_socket
from tests.test_terminal import command, terminal  # noqa: F401  (the fixture)

DEADLINE = 60  # seconds: far more than any of these takes (a hang takes for ever)
COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["export", "--all"],
    ["export", "--all", "--format", "csv"],
    ["mark", "2412.21188", "--star", "--digest"],
    ["similar", "2412.21188"],
]


def run(*args: str):
    return subprocess.run([*command(), *args], capture_output=True, text=True,
                          timeout=DEADLINE, stdin=subprocess.DEVNULL)  # fmt: skip


def fifo(folder: Path) -> Path:
    return make_fifo(folder / "pipe.md")


def unix_socket(folder: Path) -> Path:
    return make_socket(folder / "socket.md")


def tty_device(folder: Path) -> Path:
    """Reading it waits for a key on a terminal."""
    return make_device(folder / "tty.md", TTY)


def zero_device(folder: Path) -> Path:
    """Endless bytes."""
    return make_device(folder / "zero.md", ZERO)


KINDS = [
    (fifo, "is a FIFO (named pipe), not a file"),
    (unix_socket, "is a socket, not a file"),
    (tty_device, "is a device, not a file"),
    (zero_device, "is a device, not a file"),
]


# Every command on a FIFO (the one that hung them all), the other kinds through list: one
# function opens every digest file, and a subprocess costs a second or more here.
CASES = [(*KINDS[0], args) for args in COMMANDS] + [(*kind, ["list"]) for kind in KINDS[1:]]


@pytest.mark.parametrize(("make", "reason", "args"), CASES)
def test_a_special_file_given_as_a_digest_is_one_line_exit_2(tmp_path, make, reason, args):
    path = make(tmp_path)
    result = run(*args, str(path))
    assert result.returncode == 2, result
    lines = result.stderr.splitlines()
    assert lines == [f"digest-reader: error: {path}: {reason}"], result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(("make", "reason"), KINDS)
def test_a_special_file_in_a_folder_is_skipped_with_a_warning(tmp_path, make, reason):
    folder = tmp_path / "digests"
    folder.mkdir()
    shutil.copy(SEED_DIGEST, folder / "2025-01-03.md")
    path = make(folder)
    result = run("list", str(folder))
    assert result.returncode == 0, result
    assert len(result.stdout.splitlines()) == 30  # every paper of the real digest
    assert f"1 file skipped ({path.name})" in result.stderr
    verbose = run("list", str(folder), "--verbose")
    assert f"digest-reader: warning: {path}: skipped: {reason}\n" in verbose.stderr


def test_the_app_refuses_a_fifo_in_one_line_before_any_screen(terminal, tmp_path):  # noqa: F811
    pipe = fifo(tmp_path)
    term = terminal(str(pipe))
    screen = term.wait_for("exit-code=2", timeout=DEADLINE)
    assert f"digest-reader: error: {pipe}: is a FIFO (named pipe), not a file" in screen


def test_the_app_opens_a_folder_with_a_fifo_and_quits(terminal, tmp_path):  # noqa: F811
    folder = tmp_path / "digests"
    folder.mkdir()
    shutil.copy(SEED_DIGEST, folder / "2025-01-03.md")
    fifo(folder)
    term = terminal(str(folder))
    term.wait_for("Sparse chaos in cortical circuits", timeout=DEADLINE)
    term.press("W")
    term.wait_for("1 file skipped", timeout=DEADLINE)
    term.wait_for("pipe.md  skipped", timeout=DEADLINE)  # the reason runs off the screen
    term.press("escape")
    wait_gone(term, "Skipped files")
    term.press("q")
    term.wait_for("exit-code=0", timeout=DEADLINE)


def wait_gone(term, text: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while text in term.screen():
        assert time.monotonic() < deadline, f"{text!r} stayed on screen"
        time.sleep(0.1)
