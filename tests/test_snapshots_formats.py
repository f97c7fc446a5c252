"""SVG snapshots of what the other digest layouts add to the screen.

After an intended change of the look, review the report and run
``pytest tests/test_snapshots_formats.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

from tests.app_helpers import new_app
from tests.test_snapshots import settle

SAMPLES = Path(__file__).parent / "data" / "formats"


def test_an_ai_summary_paper(snap_compare, tmp_path):
    """The TL;DR above the abstract, the paper's category, no version in its id."""
    app = new_app(tmp_path, [SAMPLES / "ai-enhanced-daily.md"])
    assert snap_compare(app, terminal_size=(130, 36), run_before=settle)
