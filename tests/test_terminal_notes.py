"""Notes in a real terminal (tmux): typed text survives every way the app can end, and
a note written by the CLI while the editor is open is never silently overwritten.

Six copies of the app share one state file in tmux, each typing a note on its own
paper; each ends its own way: SIGTERM, SIGHUP, SIGQUIT, SIGINT (``kill -INT``), a closed
terminal (``tmux kill-session``) and ``kill -9``. The signals come as soon as the text
is on screen; ``kill -9`` gives no chance to save, so it comes once the draft is on
disk (the editor keeps it after a short quiet time). Then one app starts on the same
state: it names the drafts, offers each back on ``n``, and restoring and saving gives
exactly the typed text. The six are started at once, and one start checks them all,
to keep the test short.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import SEED_DIGEST
from tests.store_helpers import on_disk
from tests.test_terminal_close import PROGRAM, env_for, wait_ended
from tui_reader.digest import parse_digest
from tui_reader.note_drafts import drafts_folder, parse_draft
from tui_reader.note_versions import BOTH_SEPARATOR

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

FIRST = "2412.21188"  # the first paper of the seed digest
WAYS = ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGINT", "kill-session", "SIGKILL")
SIZE = (120, 36)
START_WITHIN = 90.0  # seconds: six apps starting at once on a busy machine
LEAVE_WITHIN = 5.0  # the app's own limit is 1.5 s after the signal


def typed_for(n: int, way: str) -> tuple[str, str]:
    return f"draft {n} through {way}: ünïcode ✓ — kept", f"second line of draft {n}"


class Panes:
    """tmux sessions on a private server, one app in each."""

    def __init__(self, db: Path, codes: Path) -> None:
        self.socket = f"notes-drafts-{uuid.uuid4().hex[:8]}"
        env = env_for(db)
        env.update(COLUMNS=str(SIZE[0]), LINES=str(SIZE[1]))
        self.exports = " ".join(f"{k}='{v}'" for k, v in env.items() if k in (
            "DIGEST_READER_DB", "DIGEST_READER_CONFIG", "TERM", "PYTHONPATH", "HOME", "PATH",
            "COLUMNS", "LINES", "LANG"))  # fmt: skip
        self.codes = codes

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, timeout=20).stdout  # fmt: skip

    def start(self, name: str, *args: str) -> None:
        program = " ".join(f"'{part}'" for part in [*PROGRAM[:-1], *args])  # not its digest
        code = self.codes / name
        self.tmux("new-session", "-d", "-s", name, "-x", str(SIZE[0]), "-y", str(SIZE[1]),
                  f"env {self.exports} {program}; echo $? > '{code}'; sleep 60")  # fmt: skip

    def screen(self, name: str) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-t", name)

    def wait_for(self, name: str, *texts: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen(name)
            if all(text in screen for text in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{name}: {texts!r} never showed; the screen:\n{screen}")
            time.sleep(0.05)

    def wait_gone(self, name: str, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while text in (screen := self.screen(name)):
            if time.monotonic() > deadline:
                raise AssertionError(f"{name}: {text!r} never went; the screen:\n{screen}")
            time.sleep(0.05)

    def keys(self, name: str, *keys: str) -> None:
        self.tmux("send-keys", "-t", name, *keys)

    def type(self, name: str, text: str) -> None:
        self.tmux("send-keys", "-t", name, "-l", text)

    def app_pid(self, name: str) -> int:
        shell = int(self.tmux("list-panes", "-t", name, "-F", "#{pane_pid}").strip())
        children = subprocess.run(["pgrep", "-P", str(shell)], capture_output=True, text=True)
        return int(children.stdout.split()[0])

    def exit_code(self, name: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        code = self.codes / name
        while not (code.exists() and code.read_text().strip()):
            assert time.monotonic() < deadline, f"{name}: the shell never saw the app end"
            time.sleep(0.05)
        return code.read_text().strip()

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def draft_on_disk(db: Path, arxiv_id: str) -> str | None:
    folder = drafts_folder(db)
    for path in folder.glob("*.json") if folder.is_dir() else ():
        draft = parse_draft(path.read_bytes())
        if draft is not None and draft.arxiv_id == arxiv_id:
            return draft.text
    return None


def test_the_typed_note_survives_every_way_the_app_can_end(tmp_path):
    db, codes = tmp_path / "state.json", tmp_path / "codes"
    codes.mkdir()
    papers = [paper.arxiv_id for paper in parse_digest(SEED_DIGEST).papers][: len(WAYS)]
    typed = {way: typed_for(n, way) for n, way in enumerate(WAYS)}
    panes = Panes(db, codes)
    left_to_the_signal = []  # the ways that had to keep the draft themselves
    ending: dict[str, int] = {}  # way -> the pid it ended
    started = time.monotonic()
    try:
        for way in WAYS:
            panes.start(way, "--no-auto-read", str(SEED_DIGEST))
        for n, way in enumerate(WAYS):
            panes.wait_for(way, "30 unread", timeout=START_WITHIN)
            panes.keys(way, *["j"] * n, "n")
            panes.wait_for(way, "Note on:")
            first, second = typed[way]
            panes.type(way, first)
            panes.keys(way, "Enter")
            panes.type(way, second)
            panes.wait_for(way, first, second)  # on screen: now it ends
            if way == "SIGKILL":  # no chance to save: once the quiet time kept it
                deadline = time.monotonic() + 30
                while draft_on_disk(db, papers[n]) != f"{first}\n{second}":
                    assert time.monotonic() < deadline, "the draft never reached the disk"
                    time.sleep(0.05)
            pid = panes.app_pid(way)
            if draft_on_disk(db, papers[n]) is None:
                left_to_the_signal.append(way)
            if way == "kill-session":
                panes.tmux("kill-session", "-t", way)
            else:
                os.kill(pid, getattr(signal, way))
            ending[way] = pid
        for way, pid in ending.items():  # how fast it leaves is test_terminal_close's
            took, _ = wait_ended(pid)  # a generous deadline: only a hang fails here
            assert took != float("inf"), f"{way}: still running"
            if way.startswith("SIG"):
                assert panes.exit_code(way) == str(128 + getattr(signal, way)), way

        panes.start("again", "--no-auto-read", "--fresh", str(SEED_DIGEST))
        screen = panes.wait_for("again", "30 unread", "Note drafts", timeout=START_WITHIN)
        assert "Unsaved note drafts kept for" in screen
        for n, way in enumerate(WAYS):
            first, second = typed[way]
            panes.keys("again", "g", *["j"] * n)
            panes.wait_for("again", f"arXiv     {papers[n]}v")  # its detail pane
            panes.keys("again", "n")
            panes.wait_for("again", "An unsaved draft of this note was kept", second)
            panes.keys("again", "r")
            panes.wait_for("again", "ctrl+s save", first, second)
            panes.keys("again", "C-s")
            panes.wait_for("again", f"{n + 1} noted")
            panes.wait_gone("again", "ctrl+s save")  # keys now go to the list, not the editor
        deadline = time.monotonic() + 30
        while draft_on_disk(db, papers[-1]) is not None:  # saved: the drafts go
            assert time.monotonic() < deadline, "a saved note's draft was never removed"
            time.sleep(0.05)
        panes.keys("again", "q")
        assert panes.exit_code("again") == "0"
    finally:
        panes.close()
    notes = {arxiv_id: record["note"] for arxiv_id, record in on_disk(db).items()}
    for n, way in enumerate(WAYS):
        assert notes.get(papers[n]) == "\n".join(typed[way]), way
    assert list(drafts_folder(db).glob("*.json")) == []
    print(
        f"drafts kept by the leaving path itself: {', '.join(left_to_the_signal) or 'none'}; "
        f"{time.monotonic() - started:.1f} s"
    )


def test_a_note_written_by_the_cli_while_the_editor_is_open_is_not_overwritten(tmp_path):
    """The app hears of the change by itself (its background check), says so in the
    editor at once, and saving asks: keep both."""
    db, codes = tmp_path / "state.json", tmp_path / "codes"
    codes.mkdir()
    panes = Panes(db, codes)
    try:
        panes.start("app", "--no-auto-read", str(SEED_DIGEST))
        panes.wait_for("app", "30 unread", timeout=START_WITHIN)
        panes.keys("app", "n")
        panes.wait_for("app", "Note on:")
        panes.type("app", "my words in the app")
        panes.wait_for("app", "my words in the app")
        mark = subprocess.run(
            [*PROGRAM[:-1], "mark", FIRST, "--note", "written by the CLI", "--digest",
             str(SEED_DIGEST)], env=env_for(db), capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert mark.returncode == 0, mark.stderr
        panes.wait_for("app", "This note was changed elsewhere since you opened it")
        panes.keys("app", "C-s")
        panes.wait_for("app", "Keep both (b)", "written by the CLI", "my words in the app")
        panes.keys("app", "b")
        panes.wait_for("app", "1 noted", "the note saved elsewhere")
        panes.keys("app", "q")
        assert panes.exit_code("app") == "0"
    finally:
        panes.close()
    assert on_disk(db)[FIRST]["note"] == (
        f"my words in the app\n\n{BOTH_SEPARATOR}\nwritten by the CLI"
    )
