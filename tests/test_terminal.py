"""The installed ``digest-reader`` in a real terminal (tmux), as a user runs it.

What only a terminal shows: the start, keys as a terminal sends them (ctrl+s), signals,
a closed window, quitting and what is on disk after. Each step waits for the screen to
show a condition, with a deadline generous enough for a busy machine (``PATIENCE``),
never a fixed sleep. Counting a triage's keys is a pilot test (``test_triage_keys.py``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SEED_DIGEST

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

INSTALLED = Path(sys.executable).parent / "digest-reader"
PATIENCE = 60  # seconds a condition may take to show on a busy machine


def command() -> list[str]:
    if INSTALLED.exists():
        return [str(INSTALLED)]
    return [sys.executable, "-m", "tui_reader"]


class Terminal:
    """A tmux session on a private server, so tests never touch the user's tmux."""

    def __init__(self, tmp_path: Path, args: list[str], size=(120, 36)) -> None:
        self.socket = f"digest-reader-test-{uuid.uuid4().hex[:8]}"
        self.env = {
            "DIGEST_READER_DB": os.environ["DIGEST_READER_DB"],
            "DIGEST_READER_CONFIG": os.environ["DIGEST_READER_CONFIG"],
            "HOME": os.environ["HOME"],
            "TERM": "xterm-256color",
            # pytest's COLUMNS/LINES would reach the app through tmux, and Textual
            # believes them over the terminal: the window's own size, then.
            "COLUMNS": str(size[0]),
            "LINES": str(size[1]),
        }
        exports = " ".join(f"{k}={v}" for k, v in self.env.items())
        program = " ".join(f"'{part}'" for part in [*command(), *args])
        self.size = size
        self.tmux(
            "new-session", "-d", "-s", "app", "-x", str(size[0]), "-y", str(size[1]),
            "-c", str(tmp_path),  # the app's current folder: where exports go
            f"env {exports} {program}; echo exit-code=$?; sleep 60",
        )  # fmt: skip

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=60
        )
        return result.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-t", "app")  # -J: join wrapped lines

    def wait_until(self, holds: Callable[[str], bool], what: str,
                   timeout: float = PATIENCE) -> str:  # fmt: skip
        """The screen, once ``holds(screen)``; fails after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if holds(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{what} never showed; the screen shows:\n{self.screen()}")

    def wait_for(self, text: str, timeout: float = PATIENCE) -> str:
        return self.wait_until(lambda screen: text in screen, repr(text), timeout)

    def paper_view(self, screen: str) -> list[str]:
        """The header and the detail pane, where toasts never go: right of the list's
        border (``▕``) where the list is beside the pane; at 80 columns the rows between
        header and footer (the reading layout, whose toasts sit on the footer)."""
        lines = screen.splitlines()
        if self.size[0] >= 100:
            return lines[:1] + [right_of_list(line) for line in lines[1:-1]]
        return lines[:-1]

    def wait_for_change(self, before: str, timeout: float = 10) -> None:
        """Until the header or the detail pane differs from ``before``."""
        deadline = time.monotonic() + timeout
        while self.paper_view(self.screen()) == self.paper_view(before):
            if time.monotonic() > deadline:
                return
            time.sleep(0.02)

    def wait_until_still(self, quiet: float = 0.3, timeout: float = 10) -> str:
        """Until the header and detail pane have not changed for ``quiet`` seconds."""
        screen = self.screen()
        last, since = self.paper_view(screen), time.monotonic()
        deadline = since + timeout
        while time.monotonic() - since < quiet and time.monotonic() < deadline:
            time.sleep(0.05)
            screen = self.screen()
            if self.paper_view(screen) != last:
                last, since = self.paper_view(screen), time.monotonic()
        return screen

    def press(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "app", key)
            time.sleep(0.05)  # apart, so that escape and the next key are not one alt key

    def type(self, text: str) -> None:
        """Type ``text`` as it is, in one go (no key names, no escape in it)."""
        self.tmux("send-keys", "-t", "app", "-l", text)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


LIST_BORDER = "▕"


def left_of_list(line: str) -> str:
    """The list's part of a screen line (all of it where there is no border)."""
    return line.partition(LIST_BORDER)[0]


def right_of_list(line: str) -> str:
    """The detail pane's part of a screen line ("" where there is no border)."""
    return line.partition(LIST_BORDER)[2]


@pytest.fixture
def terminal(tmp_path):
    opened: list[Terminal] = []

    def start(*args: str, size=(120, 36)) -> Terminal:
        term = Terminal(tmp_path, list(args), size)
        opened.append(term)
        return term

    yield start
    for term in opened:
        term.close()


def list_starred() -> list[dict]:
    result = subprocess.run(
        [*command(), "list", "--starred", "--json"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def test_star_note_quit_and_the_state_is_there(terminal):
    term = terminal(str(SEED_DIGEST))
    term.wait_for("Sparse chaos in cortical circuits")
    term.wait_for("30 papers")
    term.press("j", "s")
    term.wait_for("1 starred")
    term.press("n")  # the note editor; ctrl+s as a terminal sends it (not XOFF) saves
    term.wait_for("ctrl+s save")
    term.type("read section 3")
    term.press("C-s")
    term.wait_for("1 noted")
    term.press("q")
    term.wait_for("exit-code=0")
    starred = list_starred()
    assert [paper["id"] for paper in starred] == ["2412.21140"]
    assert starred[0]["title"].startswith("Facilitating large language model Russian")
    assert starred[0]["note"] == "read section 3"


def test_no_path_opens_the_bundled_sample(terminal):
    term = terminal()
    term.wait_for("Sparse chaos in cortical circuits")
    term.wait_for("2025-01-03 · 30 papers ·")  # the header, once all are read
    term.press("q")
    term.wait_for("exit-code=0")


def test_closing_the_terminal_keeps_the_state(terminal):
    term = terminal(str(SEED_DIGEST))
    term.wait_for("30 papers")
    term.press("s")
    term.wait_for("1 starred")
    # Closing the window: tmux sends SIGHUP to the program in the pane.
    term.tmux("kill-server")
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline and not list_starred():
        time.sleep(0.2)
    assert [paper["id"] for paper in list_starred()] == ["2412.21188"]


def test_sigterm_saves_and_restores_the_terminal(terminal):
    term = terminal(str(SEED_DIGEST))
    term.wait_for("30 papers")
    term.press("j", "j", "s")
    term.wait_for("1 starred")
    pid = int(term.tmux("list-panes", "-t", "app", "-F", "#{pane_pid}").strip())
    app_pids = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    for child in app_pids.stdout.split():
        os.kill(int(child), 15)
    screen = term.wait_for("exit-code=")
    assert "Traceback" not in screen
    assert [paper["id"] for paper in list_starred()] == ["2412.21102"]


def test_bad_input_is_one_line_before_any_screen(terminal, tmp_path):
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"\x00\x01\x02\x03")
    term = terminal(str(binary))
    screen = term.wait_for("exit-code=2")
    assert f"digest-reader: error: {binary}: is a binary file" in screen
    assert "Traceback" not in screen


def test_narrow_terminal(terminal):
    term = terminal(str(SEED_DIGEST), size=(80, 24))
    term.wait_for("Sparse chaos in cortical circuits")
    screen = term.wait_for("Rainer Engelken")  # the detail pane, below the list
    first_title = next(i for i, line in enumerate(screen.splitlines()) if "Sparse chaos" in line)
    authors = next(i for i, line in enumerate(screen.splitlines()) if "Rainer Engelken" in line)
    assert authors > first_title
    term.press("q")
    term.wait_for("exit-code=0")


def two_down_in_found(screen: str) -> bool:
    """The search for "neural" is shown with the paper two rows down its list (or its
    last) in the detail pane: the list's row, cut at 46 columns, begins the title."""
    lines = screen.splitlines()
    found = re.search(r"search: neural \((\d+)\)", lines[0] if lines else "")
    if found is None or len(lines) < 4:
        return False
    row = lines[1 + min(2, int(found[1]) - 1)].partition("▕")[0]
    title = row[5:].strip().rstrip("…")
    return bool(title) and lines[1].partition("▕")[2].strip().startswith(title)


def test_relaunch_comes_back_on_the_same_paper_filter_and_search(terminal):
    # Without auto-read: the clock must not change what is unread between the two runs.
    term = terminal("--no-auto-read", str(SEED_DIGEST))
    term.wait_for("30 unread")
    term.press("f")
    term.wait_for("filter: unread")
    term.press("/")
    term.wait_for("words match from their start")  # the search box has the keys now
    term.type("neural")
    term.wait_for("search: neural")  # found, before j moves in what it found
    term.press("Enter", "j", "j")
    before = term.wait_until(two_down_in_found, "j twice in what was found").splitlines()
    term.press("q")
    term.wait_for("exit-code=0")
    term.close()

    again = terminal("--no-auto-read", str(SEED_DIGEST))
    after = again.wait_until(two_down_in_found, "the search and paper restored").splitlines()
    assert "filter: unread" in after[0]
    assert after[1] == before[1]  # the same paper's title heads the detail pane
    assert after[0] == before[0]
    again.press("q")
    again.wait_for("exit-code=0")
    again.close()

    fresh = terminal("--no-auto-read", str(SEED_DIGEST), "--fresh")
    screen = fresh.wait_for("30 unread")
    assert "filter" not in screen.splitlines()[0] and "search" not in screen.splitlines()[0]
    assert "Sparse chaos in cortical circuits" in screen.splitlines()[1]
