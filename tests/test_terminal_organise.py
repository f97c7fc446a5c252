"""Tags, a query, a selection and a RIS export in the installed command, in tmux.

The tmux server runs on a socket of its own (``Terminal``'s, random), never the user's
nor another test run's.
"""

from __future__ import annotations

import shutil
import time

import pytest

from tests.conftest import SEED_DIGEST
from tests.test_terminal import PATIENCE, Terminal

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

SECOND, THIRD = "2412.21140", "2412.21102"


def test_tag_three_query_select_two_export_ris(tmp_path):
    import rispy

    from tui_reader.digest import load_library

    target = tmp_path / "picked.ris"
    term = Terminal(tmp_path, ["--no-auto-read", str(SEED_DIGEST)])
    try:
        term.wait_for("30 unread")
        # Tag the first three papers: select them, t, "x", enter.
        term.press("x", "x", "x")
        term.wait_for("3 selected")
        term.press("t")
        term.wait_for("Tags of 3 papers selected")
        term.press("x", "Enter")
        term.wait_for("Tags +x on 3 papers")
        term.press("X")  # clear the selection
        term.wait_for("Selection cleared")
        term.press("g", "r")  # the first paper is read now
        term.wait_for("29 unread")
        term.press("/")
        term.wait_for("words match from their start")  # the search box has the keys now
        term.type("tag:x -is:read")
        term.wait_for("search: tag:x -is:read (2)")
        term.press("Enter", "g", "x", "x")  # select both
        term.wait_for("2 selected")
        term.press("b")
        term.wait_for("Export 2 selected papers to:")
        term.wait_for("selection-2-papers.bib")  # the suggestion
        term.press("C-u")  # empty the path field
        # Typed in the same read as ctrl+u, the path was lost (seen under load): wait.
        term.wait_until(lambda screen: "selection-2-papers" not in screen, "the field emptied")
        term.type(target.name)  # the app runs in tmp_path: a name that fits the field
        term.wait_for("picked.ris")
        term.press("Enter")
        term.wait_for("Exported 2")  # the toast wraps the rest with the long path
        deadline = time.monotonic() + PATIENCE
        while not target.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        term.press("q")
        screen = term.wait_for("exit-code=0")
        assert "Traceback" not in screen
    finally:
        term.close()
    records = rispy.loads(target.read_text(encoding="utf-8"))
    papers = {p.arxiv_id: p for p in load_library([SEED_DIGEST]).papers}
    assert [r["title"] for r in records] == [papers[SECOND].title, papers[THIRD].title]
    for record, arxiv_id in zip(records, (SECOND, THIRD), strict=True):
        first_author = papers[arxiv_id].authors[0].split()[-1]
        assert record["authors"][0].startswith(first_author)
        assert len(record["authors"]) == len(papers[arxiv_id].authors)
        assert record["accession_number"] == f"arXiv:{arxiv_id}"
        assert record["urls"] == [f"https://arxiv.org/abs/{arxiv_id}"]
        assert "x" in record.get("keywords", [])
