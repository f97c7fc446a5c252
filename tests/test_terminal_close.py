"""The app ends within 2 s, with its changes saved, whenever its terminal goes away.

Twenty rounds of each way a terminal goes: SIGHUP, ``tmux kill-session`` (the pane's pty
closed and its processes hung up) and a pty whose other end is simply closed. Every
round must save the star just made and end the process within ``LIMIT`` seconds, plus
the time a busy machine kept its main thread waiting for a CPU meanwhile
(``machine_load``): on an idle machine that is about nothing. The watchdog's own
moments are checked exactly, on a fake clock, in ``test_exit_watchdog.py``.
"""

from __future__ import annotations

import os
import pty
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import SEED_DIGEST
from tests.machine_load import WaitedForCpu
from tests.store_helpers import REPO_ROOT, on_disk

ROUNDS = int(os.environ.get("TERMINAL_CLOSE_ROUNDS", "20"))
LIMIT = 2.0
STARRED = "2412.21188"  # the first paper of the seed digest
PROGRAM = [sys.executable, "-m", "tui_reader", str(SEED_DIGEST)]


def ended(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):  # gone between open and read
        return True


def wait_ended(pid: int, patience: float = 60) -> tuple[float, float]:
    """Seconds until ``pid`` ended (inf: it was still there after ``patience``), and
    the seconds its main thread waited for a CPU meanwhile."""
    waited = WaitedForCpu(pid)
    while time.monotonic() - waited.started < patience:
        if ended(pid):
            return time.monotonic() - waited.started, waited.seconds()
        waited.sample()
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    return float("inf"), waited.seconds()


def in_time(n: int, took: float, waited: float, after: str) -> str | None:
    """None if the app left within LIMIT (plus its wait for a CPU), else why not."""
    if took <= LIMIT + waited:
        return None
    return f"round {n}: still running {took:.2f} s after {after} (waited for a CPU {waited:.2f} s)"


def env_for(db: Path) -> dict[str, str]:
    return dict(
        os.environ,
        DIGEST_READER_DB=str(db),
        TERM="xterm-256color",
        PYTHONPATH=str(REPO_ROOT),
    )


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("how", ["SIGHUP", "kill-session", "SIGTERM", "SIGQUIT"])
def test_the_app_leaves_within_2_s_when_tmux_goes(tmp_path, how):
    """SIGTERM and SIGQUIT are not a terminal going, but leave the same way (5 rounds)."""
    rounds = ROUNDS if how in ("SIGHUP", "kill-session") else min(ROUNDS, 5)
    socket = f"issue-9-{uuid.uuid4().hex[:8]}"

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True,
                              timeout=60).stdout  # fmt: skip

    times = []
    try:
        for n in range(rounds):
            db = tmp_path / f"state-{n}.json"
            code_file = tmp_path / f"code-{n}"
            exports = " ".join(f"{k}='{v}'" for k, v in env_for(db).items() if k in (
                "DIGEST_READER_DB", "TERM", "PYTHONPATH", "HOME", "PATH"))  # fmt: skip
            program = " ".join(f"'{part}'" for part in PROGRAM)
            tmux("new-session", "-d", "-s", f"r{n}", "-x", "120", "-y", "36",
                 f"env {exports} {program}; echo $? > '{code_file}'")  # fmt: skip
            deadline = time.monotonic() + 60
            while "30 papers" not in tmux("capture-pane", "-p", "-t", f"r{n}"):
                assert time.monotonic() < deadline, "the app never showed its first screen"
                time.sleep(0.1)
            tmux("send-keys", "-t", f"r{n}", "s")
            while "1 starred" not in tmux("capture-pane", "-p", "-t", f"r{n}"):
                assert time.monotonic() < deadline, "the star never showed"
                time.sleep(0.05)
            shell = int(tmux("list-panes", "-t", f"r{n}", "-F", "#{pane_pid}").strip())
            app = int(subprocess.run(["pgrep", "-P", str(shell)], capture_output=True,
                                     text=True).stdout.split()[0])  # fmt: skip
            if how.startswith("SIG"):
                os.kill(app, getattr(signal, how))
            else:
                tmux("kill-session", "-t", f"r{n}")
            took, stalled = wait_ended(app)
            times.append(took)
            assert not (late := in_time(n, took, stalled, f"the {how}")), late
            assert on_disk(db)[STARRED]["starred"], f"round {n}: the star was not saved"
            if how.startswith("SIG"):
                while time.monotonic() < deadline and not (
                    code_file.exists() and code_file.read_text().strip()
                ):
                    time.sleep(0.05)
                assert code_file.read_text().strip() == str(128 + getattr(signal, how))
                tmux("kill-session", "-t", f"r{n}")
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
    print(f"{how}: {rounds} rounds, slowest {max(times):.2f} s")


def test_the_app_leaves_within_2_s_when_its_pty_is_closed(tmp_path):
    times = []
    for n in range(ROUNDS):
        db = tmp_path / f"state-{n}.json"
        pid, master = pty.fork()
        if pid == 0:  # the child: the app on the pty
            os.execve(PROGRAM[0], PROGRAM, env_for(db))
        try:
            seen = b""
            deadline = time.monotonic() + 60
            starred = False
            while b"1 starred" not in seen:
                assert time.monotonic() < deadline, "the app never showed the star"
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                seen = seen[-4096:] + chunk
                if not starred and b"30 papers" in seen:
                    os.write(master, b"s")
                    starred = True
        finally:
            os.close(master)  # the terminal window is gone
        took, stalled = wait_ended(pid)
        os.waitpid(pid, 0)
        times.append(took)
        assert not (late := in_time(n, took, stalled, "the pty closed")), late
        assert on_disk(db)[STARRED]["starred"], f"round {n}: the star was not saved"
    print(f"closed pty: {ROUNDS} rounds, slowest {max(times):.2f} s")
