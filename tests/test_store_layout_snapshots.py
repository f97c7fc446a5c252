"""A starred paper's details, as the state file keeps them, for every digest layout."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tui_reader.digest import load_library
from tui_reader.store import StateStore
from tui_reader.store.paper_details import paper_from_snapshot, snapshot_of

SAMPLES = Path(__file__).parent / "data" / "formats"
PAPERS = load_library([SAMPLES]).papers


def unnamed(paper):
    """The paper with its digests' ``named`` flag cleared (a label detail, not stored)."""
    return replace(
        paper,
        source=replace(paper.source, named=False),
        digests=tuple(replace(ref, named=False) for ref in paper.digests),
    )


@pytest.mark.parametrize("paper", PAPERS, ids=lambda paper: paper.arxiv_id)
def test_a_snapshot_reads_back_as_the_same_paper(paper):
    snap = json.loads(json.dumps(snapshot_of(paper)))  # as it is on disk
    assert paper_from_snapshot(paper.arxiv_id, snap) == unnamed(paper)


def test_an_email_paper_starred_and_reopened_keeps_no_version_and_its_fields(tmp_path):
    paper = next(p for p in PAPERS if p.arxiv_id == "2501.03098")
    assert paper.version is None and paper.journal_ref
    path = tmp_path / "state.json"
    store = StateStore.open(path, background=False)
    store.set_starred([paper], True)
    store.close()
    reopened = StateStore.open(path, background=False)
    try:
        kept = reopened.snapshot(paper.arxiv_id)
    finally:
        reopened.close()
    assert kept is not None
    assert kept.version is None
    assert kept.versioned_id == "2501.03098"
    assert (kept.categories, kept.comments, kept.journal_ref) == (
        ("cs.CL",), "Accepted at ECIR 2025", "Proc. ECIR 2025, pp. 1-15")  # fmt: skip


def test_a_snapshot_written_before_the_new_fields_still_reads():
    paper = next(p for p in PAPERS if p.arxiv_id == "2509.01234")
    old = {key: value for key, value in snapshot_of(paper).items()
           if key in ("version", "title", "authors", "date", "url", "abstract", "bold_spans",
                      "keywords", "source", "digests", "line")}  # fmt: skip
    read = paper_from_snapshot(paper.arxiv_id, old)
    assert read.version == 2 and read.categories == () and read.summary == ""
