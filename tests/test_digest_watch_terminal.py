"""A digest dropped into an open folder appears in the installed app (tmux, real inotify).

The tmux server runs on a socket of its own (``Terminal``), never the user's. Every
wait is for a condition on screen, with a deadline generous enough for a busy machine.
"""

from __future__ import annotations

import os
import shutil
import time

import pytest

from tests.test_terminal import terminal  # noqa: F401  (the fixture)
from tests.watch_helpers import digest_text, write_digest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

DEADLINE = 60  # seconds: inotify, the settling time and a busy machine


def detail_title(term) -> str:
    """The first line of the detail pane (right of the list at 120 columns)."""
    lines = [line for line in term.paper_view(term.screen())[1:] if line.strip()]
    return lines[0].strip(" ▕") if lines else ""


def test_a_new_digest_appears_with_cursor_search_and_selection_kept(terminal, tmp_path):  # noqa: F811
    folder = tmp_path / "digests"
    write_digest(folder, "2025-01-03.md", "2025-01-03",
                 [f"2501.0000{n}" for n in range(1, 7)])  # fmt: skip
    term = terminal("--no-auto-read", str(folder))
    term.wait_for("6 unread", timeout=DEADLINE)
    term.press("j", "x")  # select the second paper; the cursor goes to the third
    term.wait_for("1 selected", timeout=DEADLINE)
    term.press("/")
    term.wait_for("words match from their start", timeout=DEADLINE)
    for key in "attention":
        term.press(key)
    term.wait_for("search: attention (6)", timeout=DEADLINE)
    term.press("Enter")
    term.wait_until_still()
    assert detail_title(term) == "Paper 2501.00003"

    # A mail filter saves the day's listing: written aside, then renamed into place.
    incoming = folder / ".incoming.tmp"
    incoming.write_text(digest_text("2025-01-10", ["2501.00010", ("2501.00011", 1, "Off topic."),
                                                   "2501.00012"]), "utf-8")  # fmt: skip
    os.replace(incoming, folder / "2025-01-10.md")

    term.wait_for("2025-01-10: 3 new papers", timeout=DEADLINE)
    screen = term.wait_for("Paper 2501.00012", timeout=DEADLINE)
    # (The header's end, where the query and its count are, is cut at 120 columns with
    # two digests open: issue 20's first point, not this test's.)
    header = screen.splitlines()[0]
    assert "9 papers" in header and "1 selected" in header
    assert "Paper 2501.00010" in screen
    assert "Paper 2501.00011" not in screen  # it does not match the search
    assert detail_title(term) == "Paper 2501.00003"  # the cursor stayed on its paper
    term.press("x")  # the cursor's paper is the third: selecting it makes two
    term.wait_for("2 selected", timeout=DEADLINE)
    # The query is still in its box once the toast over it has gone.
    deadline = time.monotonic() + DEADLINE
    while not any(line.strip("▊▎ ") == "attention" for line in term.screen().splitlines()):
        assert time.monotonic() < deadline, f"the search box is gone:\n{term.screen()}"
        time.sleep(0.2)
