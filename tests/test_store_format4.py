"""Format 4: each details line holds the paper's row of ``list --json`` and a check.

A listing splices a line's row with the state, unparsed, only while the check holds;
anything else is parsed and goes through the ``Paper``, and the output is the same to
the byte. Format 3 (a file written by the format-3 code, ``tests/data/store``) is
listed as before and upgraded, a damaged line costing only its own details."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.store_helpers import make_paper
from tests.test_store_list_fast import PAPERS, edit_line, listed, slow_listing
from tui_reader.cli import main
from tui_reader.store import SCHEMA_VERSION, StateStore
from tui_reader.store import details as details_module
from tui_reader.store import snapshot as snapshot_module
from tui_reader.store.paper_details import details_of, snapshot_of
from tui_reader.store.rows import details_line, details_of_value, paper_part, row_part

V3 = Path(__file__).parent / "data" / "store" / "state-v3.json"
V3_LISTING = V3.with_name("state-v3.list.json")  # what the format-3 code listed


@pytest.fixture
def path() -> Path:
    import os

    return Path(os.environ["DIGEST_READER_DB"])


def parsed(line: bytes, arxiv_id: str) -> dict:
    return json.loads(b"{" + line + b"}")[arxiv_id]


def test_a_plain_line_gives_its_row_and_its_details_back():
    paper = make_paper("2501.00001")
    details = snapshot_of(paper)
    line = details_line(paper.arxiv_id, details)
    labels = [ref.label for ref in paper.digests]
    assert row_part(line, paper.arxiv_id) == paper_part(paper.arxiv_id, details, labels)
    back = details_of_value(parsed(line, paper.arxiv_id))
    assert back == details and list(back) == list(details)  # the same fields, in order
    empty = snapshot_of(make_paper("2501.00002", abstract="", comments="", version=None))
    back = details_of_value(parsed(details_line("2501.00002", empty), "2501.00002"))
    assert back == empty and list(back) == list(empty)


def test_a_line_not_exactly_as_written_gives_no_row():
    details = snapshot_of(make_paper("2501.00001"))
    line = details_line("2501.00001", details)
    assert row_part(line, "2501.00002") is None  # another paper's line
    assert row_part(line.replace(b"On the paper", b"On the Paper"), "2501.00001") is None
    assert row_part(line.replace(b'"url": ', b'"url":'), "2501.00001") is None
    assert row_part(line[:-1], "2501.00001") is None
    assert row_part(line[:200], "2501.00001") is None
    head, tail = line.rsplit(b'"check": [', 1)
    length, crc = tail[:-2].split(b", ")
    longer = head + b'"check": [%d, %s]}' % (int(length) + 10_000, crc)
    assert row_part(longer, "2501.00001") is None


def test_details_that_are_not_plain_are_stored_as_they_are():
    details = dict(snapshot_of(make_paper("2501.00001")), version="3")
    line = details_line("2501.00001", details)
    assert b'"check"' not in line and parsed(line, "2501.00001") == details
    odd = dict(details_of(make_paper("2501.00001")), title="bad \ud800 title")
    line = details_line("2501.00001", odd)
    assert b'"check"' not in line
    assert parsed(line, "2501.00001")["title"] == "bad \ufffd title"


def count_parses(monkeypatch) -> list[str]:
    """Ids of the details lines parsed (one at a time or in a run)."""
    seen: list[str] = []
    real_line, real_scan = details_module.parse_line, details_module._scan_lines

    def line(raw, arxiv_id):
        seen.append(arxiv_id)
        return real_line(raw, arxiv_id)

    def scan(text, run):
        values = real_scan(text, run)
        seen.extend(run[: len(values)])
        return values

    monkeypatch.setattr(details_module, "parse_line", line)
    monkeypatch.setattr(snapshot_module, "parse_line", line)
    monkeypatch.setattr(details_module, "_scan_lines", scan)
    return seen


def test_rows_are_spliced_unparsed_and_a_hand_edit_is_parsed(path, capsys, monkeypatch):
    with StateStore.open(path, background=False) as store:
        store.set_starred(PAPERS, True)
        store.set_note(PAPERS[3], "a note")
    assert json.loads(path.read_text())["meta"] == {"schema": {"version": SCHEMA_VERSION}}
    parses = count_parses(monkeypatch)
    out, _ = listed(capsys)
    assert parses == [] and out == slow_listing(path)
    edit_line(path, "2501.00002", b'"title": "Paper 2"', b'"title": "Paper Z"')
    parses.clear()
    out, _ = listed(capsys)
    assert parses == ["2501.00002"]  # its check fails: parsed, through the Paper
    assert json.loads(out)[2]["title"] == "Paper Z" and out == slow_listing(path)


def test_a_fold_copies_lines_as_written_and_writes_others_anew(path, monkeypatch):
    with StateStore.open(path, background=False) as store:
        store.set_starred(PAPERS[:4], True)
    edit_line(path, "2501.00001", b'"title": "Paper 1"', b'"title": "Paper Y"')
    edit_line(path, "2501.00002", b'"title": "Paper 2"', b'"title": \x00"Paper 2"')
    parses = count_parses(monkeypatch)
    with StateStore.open(path, background=False) as store:
        store.set_note(PAPERS[0].arxiv_id, "folded at close")
    assert sorted(set(parses)) == ["2501.00001", "2501.00002"]  # the others were copied
    data = path.read_bytes()
    lines = data[data.index(b'"details": {\n') + 13 : data.rindex(b"\n}}")].split(b",\n")
    ids = [PAPERS[0].arxiv_id, PAPERS[1].arxiv_id, PAPERS[3].arxiv_id]
    assert all(row_part(line, i) for line, i in zip(lines, ids, strict=True))
    store = StateStore.open(path, background=False, read_only=True)
    assert store.snapshot("2501.00001").title == "Paper Y"
    assert store.snapshot("2501.00002") is None and store.state("2501.00002").starred
    store.close()


def test_a_format_3_file_is_listed_as_before_and_left_alone(path, capsys):
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(V3, path)
    out, err = listed(capsys)
    assert out == V3_LISTING.read_text()
    assert "1 of these papers was marked by id" in err
    assert path.read_bytes() == V3.read_bytes()
    assert sorted(p.name for p in path.parent.iterdir()) == ["state.json"]


def test_a_format_3_file_is_upgraded_and_then_listed_from_its_rows(path, capsys, monkeypatch):
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(V3, path)
    store = StateStore.open(path, background=False)
    assert "from format 3 to 5" in store.notices[0]
    store.close()
    (kept,) = path.parent.glob("state.json.v3-*")
    assert kept.read_bytes() == V3.read_bytes()
    data = path.read_bytes()
    assert json.loads(data)["meta"] == {"schema": {"version": SCHEMA_VERSION}}
    assert data.count(b'"check": [') == 13  # every paper with details (not 2502.00001)
    parses = count_parses(monkeypatch)
    out, err = listed(capsys)
    assert out == V3_LISTING.read_text() and parses == []
    assert "1 of these papers was marked by id" in err


def test_a_damaged_format_3_file_loses_only_the_damaged_details(path, capsys):
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(V3, path)
    edit_line(path, "2501.00007", b'"title": "Paper 7"', b'"title": \x00"Paper 7"')
    damaged = path.read_bytes()
    store = StateStore.open(path, background=False)
    assert "from format 3 to 5" in store.notices[0]
    assert store.snapshot("2501.00007") is None and store.state("2501.00007").starred
    store.close()
    assert any("2501.00007" in notice for notice in store.notices)
    (kept,) = path.parent.glob("state.json.v3-*")
    assert kept.read_bytes() == damaged
    out, _ = listed(capsys)
    rows, before = json.loads(out), json.loads(V3_LISTING.read_text())
    assert [row["id"] for row in rows] == [row["id"] for row in before]
    for row, old in zip(rows, before, strict=True):
        if row["id"] == "2501.00007":
            assert row["details_unknown"] is True and row["starred"] is True
        else:
            assert row == old
    assert main(["list", "--starred"]) == 0  # the text listing reads the same file


def test_a_newer_format_is_refused_and_left_alone(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    newer = SCHEMA_VERSION + 1
    content = V3.read_bytes().replace(b'{"version": 3}', b'{"version": %d}' % newer, 1)
    path.write_bytes(content)
    store = StateStore.open(path, background=False)
    store.set_read(["2501.00001"], True)
    assert not store.flush()
    store.close()
    assert f"format {newer}, this one reads {SCHEMA_VERSION}" in store.notices[0]
    assert path.read_bytes() == content
