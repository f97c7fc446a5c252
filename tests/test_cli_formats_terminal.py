"""A badge-form digest in a real terminal: keywords highlighted, no badge Markdown."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.test_cli_formats import SAMPLES
from tests.test_terminal import terminal  # noqa: F401  (the fixture)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

# The SGR codes just before a word: what style the terminal draws it in.
STYLE_BEFORE = r"((?:\x1b\[[0-9;]*m)+){}"


def test_badge_digest_shows_keywords_highlighted(terminal):  # noqa: F811
    term = terminal(str(SAMPLES / "efficientpaper-badges.md"))
    term.wait_for("Autoregressive decoding with large language models (LLMs)")
    # A frame can reach tmux in parts on a busy machine: wait for the metadata line too.
    screen = term.wait_for("decoding, LLM, KV, cache")  # below 30 rows: the compact metadata
    assert "![" not in screen and "shields.io" not in screen and "F08080" not in screen
    styled = term.tmux("capture-pane", "-p", "-e", "-J", "-t", "app")
    line = next(line for line in styled.splitlines() if "Autoregressive" in line)
    for keyword in ("decoding", "LLM"):
        found = re.search(STYLE_BEFORE.format(keyword), line)
        assert found and "\x1b[1m" in found.group(1), (keyword, line)
    plain = re.search(STYLE_BEFORE.format("Autoregressive"), line)
    assert plain and "\x1b[1m" not in plain.group(1)
    term.press("q")
    term.wait_for("exit-code=0")
