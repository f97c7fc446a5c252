"""``list --starred --json`` builds rows from the stored details as they are, and prints
exactly what it printed when every paper went through ``snapshot()`` and a ``Paper``."""

from __future__ import annotations

import contextlib
import io
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from tests.store_helpers import make_paper
from tui_reader.cli import main
from tui_reader.cli.common import paper_json, write_json_rows
from tui_reader.cli.list_cmd import unknown_paper_json
from tui_reader.store import StateStore, paper_details
from tui_reader.store import details as details_module
from tui_reader.store.details import index_lines


@pytest.fixture
def path() -> Path:
    return Path(os.environ["DIGEST_READER_DB"])


def slow_listing(path: Path) -> str:
    """The rows as they were made before: each paper's ``Paper`` from ``snapshot()``."""
    store = StateStore.open(path, background=False, read_only=True)
    rows = []
    for arxiv_id in store.ids(starred=True):
        state, paper = store.state(arxiv_id), store.snapshot(arxiv_id)
        rows.append(paper_json(paper, state) if paper else unknown_paper_json(arxiv_id, state))
    store.close()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        write_json_rows(rows)
    return out.getvalue()


def listed(capsys, code: int = 0) -> tuple[str, str]:
    """The listing's output and warnings; ``code`` 3 when a details line is damaged
    (the output is written, but the state was not read whole)."""
    capsys.readouterr()
    assert main(["list", "--starred", "--json"]) == code
    captured = capsys.readouterr()
    return captured.out, captured.err


def edit_line(path: Path, arxiv_id: str, old: bytes, new: bytes) -> None:
    """Replace ``old`` by ``new`` in the details line of ``arxiv_id``."""
    data = path.read_bytes()
    start = data.index(b'}, "details": {')
    line = data.index(f'\n"{arxiv_id}": {{'.encode(), start) + 1
    end = data.index(b"\n", line)
    assert old in data[line:end]
    path.write_bytes(data[:line] + data[line:end].replace(old, new, 1) + data[end:])


PAPERS = [
    make_paper(f"2501.{n:05d}", title=f"Paper {n}", abstract=f"Abstract {n}.\n\nMore. " * 20)
    for n in range(40)
]


def busy_store(path: Path) -> StateStore:
    """Newer changes in the journal, then odd values and hand edits in the snapshot;
    the store is left open (closing would fold the journal in)."""
    sparse = make_paper("2501.00100", version=None, date=None, abstract="", comments="")
    with StateStore.open(path, background=False) as store:
        store.set_starred([*PAPERS, sparse], True)
        store.set_note(PAPERS[1], 'a note with\ttab and "quotes"')
        store.set_tags([PAPERS[2]], add=["x", "y"])
        store.set_read([PAPERS[3].arxiv_id], True)
        store.set_starred(["2502.00001"], True)  # known by id only: no details
    store = StateStore.open(path, background=False)
    store.set_note(PAPERS[12], "noted in the journal")
    store.set_tags([replace(PAPERS[13], title="Retitled in the journal")], add=["z"])
    store.set_starred([PAPERS[14].arxiv_id], False)
    store.set_starred([make_paper("2503.00001", title="Starred in the journal")], True)
    store.set_starred(["2503.00002"], True)
    assert store.flush()
    assert path.with_name("state.json.journal").exists()
    edit_line(path, "2501.00004", b'"title": "Paper 4"', b'"title": "Paper \\ud800 4"')
    edit_line(path, "2501.00005", b'"version": 1', b'"version": "3"')  # not plain
    edit_line(path, "2501.00006", b'"line": 12', b'"line": 12.5')  # not plain, still read
    edit_line(path, "2501.00007", b'"source": {', b'"sauce": {')  # unreadable: unknown
    edit_line(path, "2501.00008", b'"title": "Paper 8"', b'"title": NaN')  # dropped: unknown
    edit_line(path, "2501.00009", b'"authors": [', b'"authors": [7, ')  # not plain
    edit_line(path, "2501.00010", b'"url": ', b'"url":')  # written otherwise, still plain
    edit_line(path, "2501.00011", b'"title": "Paper 11"', b'"title": \x00"Paper 11"')  # damaged
    data = path.read_bytes()
    path.write_bytes(data.replace(b'"note": "a note with', b'"note": "\\udc00 a note with', 1))
    return store


def test_the_fast_rows_equal_the_slow_ones_on_a_busy_store(path, capsys):
    store = busy_store(path)
    out, err = listed(capsys, 3)
    assert out == slow_listing(path)
    rows = {row["id"]: row for row in json.loads(out)}
    assert "2501.00014" not in rows and rows["2503.00001"]["title"] == "Starred in the journal"
    assert rows["2501.00004"]["title"] == "Paper \ufffd 4"
    assert rows["2501.00005"]["version"] == 3
    assert rows["2501.00001"]["note"] == '\ufffd a note with\ttab and "quotes"'
    for unknown in ("2501.00007", "2501.00008", "2501.00011", "2502.00001", "2503.00002"):
        assert rows[unknown]["details_unknown"] is True
    assert rows["2501.00100"]["abstract"] is None and rows["2501.00100"]["version"] is None
    assert "5 of these papers were marked by id" in err
    assert "2501.00011" in err and "damaged" in err
    store.close()


def test_plain_details_skip_the_paper_and_the_rest_go_through_it(path, capsys, monkeypatch):
    store = busy_store(path)
    through_paper: list[str] = []
    real = paper_details.paper_or_none

    def counting(arxiv_id, snap):
        through_paper.append(arxiv_id)
        return real(arxiv_id, snap)

    monkeypatch.setattr("tui_reader.cli.list_cmd.paper_or_none", counting)
    listed(capsys, 3)
    odd = ["2501.00005", "2501.00006", "2501.00007", "2501.00008", "2501.00009"]
    assert sorted(through_paper) == odd
    store.close()


def test_journal_changes_newer_than_the_snapshot_are_listed(path, capsys):
    with StateStore.open(path, background=False) as store:
        store.set_starred(PAPERS[:3], True)
    store = StateStore.open(path, background=False)
    store.set_tags([replace(PAPERS[0], title="A newer title")], add=["t"])
    store.set_note("2501.00001", "a newer note")
    store.set_starred(["2501.00002"], False)
    store.set_read(["2501.00001"], True)
    assert store.flush()
    out, _ = listed(capsys)
    rows = json.loads(out)
    assert [row["id"] for row in rows] == ["2501.00000", "2501.00001"]
    assert rows[0]["title"] == "A newer title" and rows[0]["abstract"] == PAPERS[0].abstract
    assert rows[1]["note"] == "a newer note" and rows[1]["read"] is True
    assert rows[1]["title"] == "Paper 1"
    assert out == slow_listing(path)
    store.close()


def test_details_are_written_in_id_order_and_read_in_runs(path, capsys, monkeypatch):
    with StateStore.open(path, background=False) as store:
        store.set_starred(list(reversed(PAPERS)), True)
    data = path.read_bytes()
    start = data.index(b'}, "details": {\n') + len(b'}, "details": {\n')
    index, _ = index_lines(data, start, len(data.rstrip()) - 2)
    assert list(index) == sorted(index) == [p.arxiv_id for p in PAPERS]
    reads: list[int] = []
    real = os.pread

    def counting(fd, length, offset):
        reads.append(length)
        return real(fd, length, offset)

    monkeypatch.setattr(details_module.os, "pread", counting)
    out, _ = listed(capsys)
    assert len(reads) == 1  # one run: every line at once
    assert [row["title"] for row in json.loads(out)] == [p.title for p in PAPERS]


def test_a_damaged_line_in_a_run_costs_only_its_own_details(path, capsys, monkeypatch):
    with StateStore.open(path, background=False) as store:
        store.set_starred(PAPERS, True)
    edit_line(path, "2501.00020", b'"title"', b'"title" "title"')
    monkeypatch.setattr(details_module, "RUN_BYTES", 4000)  # several runs
    out, err = listed(capsys, 3)
    rows = json.loads(out)
    assert [row["id"] for row in rows] == [p.arxiv_id for p in PAPERS]
    assert rows[20]["details_unknown"] is True and "2501.00020" in err
    assert [row["title"] for row in rows if row["id"] != "2501.00020"] == [
        p.title for p in PAPERS if p.arxiv_id != "2501.00020"
    ]
    assert out == slow_listing(path)


def test_the_text_listing_and_queries_still_work_from_the_state(path, capsys):
    with StateStore.open(path, background=False) as store:
        store.set_starred(PAPERS[:3], True)
        store.set_starred(["2502.00001"], True)
    capsys.readouterr()
    assert main(["list", "--starred"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t") == ["2501.00000v1", "N*.", "Paper 0"]
    assert lines[-1].split("\t") == ["2502.00001", "N*.", "(details unknown)"]
    assert main(["list", "--starred", "--json", "--query", 'title:"Paper 1"']) == 0
    assert [row["id"] for row in json.loads(capsys.readouterr().out)] == ["2501.00001"]
