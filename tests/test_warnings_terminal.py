"""A folder with files that are not digests, in a real terminal: one toast, then W."""

from __future__ import annotations

import shutil

import pytest

from tests.test_cli_formats import mixed_folder  # noqa: F401  (the fixture)
from tests.test_terminal import terminal  # noqa: F401  (the fixture)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def test_w_lists_the_skipped_files(terminal, mixed_folder):  # noqa: F811
    term = terminal(str(mixed_folder), size=(200, 40))  # room for a long temporary path
    term.wait_for("45 papers")
    term.wait_for("3 files skipped (README.md, binary.md, empty.md)")  # the toast
    term.press("W")
    skipped = [f"{mixed_folder / name}  skipped" for name in ("README.md", "binary.md", "empty.md")]
    # The title may be on screen a frame before the list under it: wait for the whole.
    screen = term.wait_until(
        lambda screen: "Skipped files (3)" in screen and all(s in screen for s in skipped),
        "the three skipped files",
    )
    assert "Digest warnings — 3 files skipped" in screen
    for line in skipped:
        assert len([shown for shown in screen.splitlines() if line in shown]) == 1, screen
    term.press("Escape")
    term.wait_until(lambda screen: "Skipped files" not in screen, "the warnings screen closed")
    term.press("q")
    term.wait_for("exit-code=0")
