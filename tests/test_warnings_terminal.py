"""A folder with files that are not digests, in a real terminal: one toast, then W."""

from __future__ import annotations

import shutil
import time

import pytest

from tests.test_cli_formats import mixed_folder  # noqa: F401  (the fixture)
from tests.test_terminal import terminal  # noqa: F401  (the fixture)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def test_w_lists_the_skipped_files(terminal, mixed_folder):  # noqa: F811
    term = terminal(str(mixed_folder), size=(200, 40))  # room for a long temporary path
    term.wait_for("45 papers")
    term.wait_for("3 files skipped (README.md, binary.md, empty.md)")  # the toast
    term.press("W")
    screen = term.wait_for("Skipped files (3)")
    assert "Digest warnings — 3 files skipped" in screen
    for name in ("README.md", "binary.md", "empty.md"):
        lines = [line for line in screen.splitlines() if f"{mixed_folder / name}  skipped" in line]
        assert len(lines) == 1, (name, screen)
    term.press("Escape")
    deadline = time.monotonic() + 10
    while "Skipped files" in term.screen() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "Skipped files" not in term.screen()
    term.press("q")
    term.wait_for("exit-code=0")
