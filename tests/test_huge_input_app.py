"""The app stays responsive whatever the input: a huge paper is shown in part, honestly.

One 10 MB line of abstract froze the app for 40 s with ``q`` ignored. Every way a paper
can be huge (``tests.huge_inputs``) is shown bounded: the first screens of it and a line
saying how much is not shown; exports and ``list --json`` keep all of it. In tmux, the
installed app walks onto each huge paper (each within a generous deadline, where the
unbounded app took tens of seconds) and quits at once when ``q`` comes right after a
move onto the largest.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from tests.app_helpers import detail_text, loaded, new_app
from tests.huge_inputs import FAMILIES, huge_digest
from tests.test_terminal import command, terminal  # noqa: F401  (the fixture)

STEP = 20.0  # seconds to show a paper: generous (a bounded one takes well under one)
# Seconds for the app to be gone after q: generous, because leaving also waits for the
# ranking worker's import of scikit-learn when q comes in the first seconds (4-9 s on the
# sample digest at load 15, measured); the unbounded app took 28 s and more here.
QUIT = 20.0


@pytest.fixture(scope="module")
def huge_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("huge") / "2025-01-03.md"
    path.write_text(huge_digest())
    return path


def test_shown_part_cuts_at_a_space_and_counts_the_rest():
    from tui_reader.ui.rendering import shown_part

    text = "word " * 10_000
    head, hidden = shown_part(text, 1_000)
    assert len(head) <= 1_000 and head.endswith("word") and hidden == len(text) - len(head)
    assert shown_part("short", 1_000) == ("short", 0)
    lines, hidden = shown_part("a\n" * 5_000, 100_000)
    assert lines.count("\n") < 200 and hidden > 0  # many short lines are cut too


def test_field_text_joins_what_fits_and_counts_the_rest():
    from tui_reader.ui.rendering import field_text

    authors = [f"Author {i}" for i in range(100_000)]
    shown = field_text(authors)
    assert len(shown) < 2_100 and shown.endswith(f"and {100_000 - shown.count('Author '):,} more")
    assert field_text(["one", "two"]) == "one, two"
    long = field_text(["x" * 50_000])
    assert len(long) < 2_100 and "more characters" in long


async def test_every_huge_paper_is_shown_in_part_with_a_line_saying_so(tmp_path):
    from tui_reader.ui.rendering import SHOWN_CHARS, TITLE_CHARS

    digest = tmp_path / "2025-01-03.md"
    digest.write_text(huge_digest(scale=0.2))
    app = new_app(tmp_path, [digest])
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        shown = {}
        for family in FAMILIES:
            text = detail_text(app)
            assert text.startswith(family), text[:80]
            shown[family] = text
            await pilot.press("j")
            await pilot.pause()
    assert "more characters not shown here" not in shown["Small paper"]
    for family in ("Huge line", "Many short lines", "Huge title"):
        assert (
            "more characters not shown here (exports and `list --json` have them all)"
            in (shown[family])
        ), family
    assert len(shown["Huge line"]) < SHOWN_CHARS + 2_000
    assert len(shown["Huge title"]) < TITLE_CHARS + 2_000
    assert "Author 0, Author 1" in shown["Huge author list"] and "more" in shown["Huge author list"]
    assert "kw0, kw1" in shown["Huge keyword list"] and "more" in shown["Huge keyword list"]
    for family in ("Nested math", "Nested markdown"):
        assert len(shown[family]) < SHOWN_CHARS + 2_000


def test_the_whole_text_is_still_in_list_json(huge_file):
    result = subprocess.run([*command(), "list", str(huge_file), "--json"],
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    rows = {row["title"][:20]: row for row in json.loads(result.stdout)}
    assert len(rows["Huge line"]["abstract"]) > 8_000_000  # 10 MB less the ** markers
    assert len(rows["Huge author list"]["authors"]) == 100_000


def detail_shows(term, title: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pane = "\n".join(term.paper_view(term.screen()))
        if title in pane:
            return True
        time.sleep(0.1)
    return False


def wait_gone(term, timeout: float) -> float:
    start = time.monotonic()
    term.wait_for("exit-code=0", timeout=timeout)
    return time.monotonic() - start


def opened(term) -> None:
    """Until the whole digest is in the list (a key pressed before would be lost)."""
    assert detail_shows(term, "Small paper", 60), term.screen()  # loading 15 MB: generous
    deadline = time.monotonic() + 60
    while True:
        screen = term.screen()
        if FAMILIES[-1] in screen and "loading" not in screen:
            return
        assert time.monotonic() < deadline, screen
        time.sleep(0.1)


def test_the_app_walks_onto_every_huge_paper_and_quits(terminal, huge_file):  # noqa: F811
    term = terminal(str(huge_file))
    opened(term)
    for family in FAMILIES[1:]:
        term.press("j")
        assert detail_shows(term, family, STEP), f"{family} not shown in {STEP} s"
    term.press("q")
    assert wait_gone(term, QUIT) < QUIT


def test_q_right_after_moving_onto_a_10_mb_abstract_quits(terminal, huge_file):  # noqa: F811
    term = terminal(str(huge_file))
    opened(term)
    term.press("j", "q")
    assert wait_gone(term, QUIT) < QUIT
