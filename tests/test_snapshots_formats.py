"""SVG snapshots of what the other digest layouts add to the screen.

After an intended change of the look, review the report and run
``pytest tests/test_snapshots_formats.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

from tests.app_helpers import new_app
from tests.test_cli_formats import mixed_folder  # noqa: F401  (fixture)
from tests.test_snapshots import settle
from tui_reader.digest import ordered_digest_files

SAMPLES = Path(__file__).parent / "data" / "formats"


def test_an_ai_summary_paper(snap_compare, tmp_path):
    """The TL;DR above the abstract, the paper's category, no version in its id."""
    app = new_app(tmp_path, [SAMPLES / "ai-enhanced-daily.md"])
    assert snap_compare(app, terminal_size=(130, 36), run_before=settle)


def test_the_warnings_screen(snap_compare, tmp_path, monkeypatch, mixed_folder):  # noqa: F811
    """W after opening a folder with files that are not digests: one line per bad file."""
    monkeypatch.chdir(mixed_folder.parent)  # relative paths: the same picture on any machine
    app = new_app(tmp_path, ordered_digest_files([Path(mixed_folder.name)]))

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("W")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(130, 36), run_before=run_before)


def test_a_compact_email_paper(snap_compare, tmp_path):
    """Below 30 rows: the e-mail's subjects and comments on one line, cut to the width."""
    app = new_app(tmp_path, [SAMPLES / "arxiv-listing-email.txt"])
    assert snap_compare(app, terminal_size=(110, 24), run_before=settle)
