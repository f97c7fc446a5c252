"""Triage rules without a screen: counts, filters, jumps, digests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED_DIGEST
from tui_reader.digest import load_library
from tui_reader.store import StateStore
from tui_reader.triage import Counts, Triage


@pytest.fixture
def triage(tmp_path):
    store = StateStore.open(tmp_path / "state.json", background=False)
    triage = Triage(store)
    triage.add_papers(load_library([SEED_DIGEST]).papers)
    yield triage
    store.close()


def test_core_modules_do_not_import_textual():
    code = (
        "import sys, tui_reader.triage, tui_reader.export, tui_reader.sanitize; "
        "assert 'textual' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


def test_counts_follow_changes(triage):
    assert triage.counts() == Counts(papers=30, unread=30, starred=0, noted=0)
    first, second = triage.papers[0], triage.papers[1]
    triage.toggle_star(first)
    triage.set_note(second, "note")
    triage.mark_read([first, second])
    assert triage.counts() == Counts(papers=30, unread=28, starred=1, noted=1)
    triage.toggle_read(first)
    assert triage.counts().unread == 29
    assert triage.mark_read(triage.papers_in_view()) == 29
    assert triage.counts().unread == 0
    triage.undo()
    assert triage.counts().unread == 29


def test_filters_and_search_compose(triage):
    triage.toggle_star(triage.papers[5])
    triage.toggle_star(triage.papers[6])
    triage.set_filter("starred")
    assert [p.arxiv_id for p in triage.papers_in_view()] == ["2412.20767", "2412.20677"]
    triage.set_search([6, 7], ["x"])
    assert [p.arxiv_id for p in triage.papers_in_view()] == ["2412.20677"]
    triage.set_search(None)
    assert len(triage.view) == 2
    assert triage.cycle_filter() == "noted" and triage.view == []
    assert triage.cycle_filter() == "all" and len(triage.view) == 30
    with pytest.raises(ValueError):
        triage.set_filter("everything")


def test_view_is_stable_until_rebuilt(triage):
    triage.set_filter("unread")
    triage.mark_read([triage.papers[0]])
    assert len(triage.view) == 30  # still there: the list does not jump under the cursor
    triage.set_filter("unread")
    assert len(triage.view) == 29


def test_next_unread_both_ways(triage):
    triage.mark_read(triage.papers[1:4])
    assert triage.next_unread(0, 1) == 4
    assert triage.next_unread(4, -1) == 0
    triage.mark_read([triage.papers[0]])
    assert triage.next_unread(4, -1) is None
    assert triage.next_unread(-1, 1) == 4  # the first unread paper


def test_digest_jumps_over_several_digests(tmp_path):
    files = []
    for day, ids in ((1, [1, 2, 3]), (2, [4, 5]), (3, [6])):
        path = tmp_path / f"2025-01-0{day}.md"
        path.write_text(
            f"# 2025-01-0{day}\n\n"
            + "".join(
                f"## Paper {i}\n\n>Authors: A\n\n>2025-01-01\n\n> http://arxiv.org/abs/2501.0000{i}v1"
                "\n\nText.\n\n"
                for i in ids
            ),
            encoding="utf-8",
        )
        files.append(path)
    store = StateStore.open(tmp_path / "state.json", background=False)
    triage = Triage(store)
    triage.add_papers(load_library(files).papers)
    assert len(triage.digests) == 3
    assert triage.digest_start(0, 1) == 3
    assert triage.digest_start(3, 1) == 5
    assert triage.digest_start(5, 1) is None
    assert triage.digest_start(4, -1) == 3
    assert triage.digest_start(3, -1) == 0
    assert triage.digest_start(0, -1) is None
    assert triage.date_range() == "2025-01-01 – 2025-01-03"
    store.close()


def test_position_of_a_paper(triage):
    assert triage.position_of("2412.20767") == 5
    triage.set_search([0], ["x"])
    assert triage.position_of("2412.20767") is None
    assert triage.position_of("9999.99999") is None
