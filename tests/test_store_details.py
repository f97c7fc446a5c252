"""Paper details kept cold: parsed only when asked, never lost with the judgements."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.store_helpers import make_paper
from tui_reader.store import SCHEMA_VERSION, StateStore, open_tinydb
from tui_reader.store import details as details_module
from tui_reader.store.details import Details


@pytest.fixture
def path(tmp_path):
    return tmp_path / "state.json"


PAPERS = [make_paper(f"2501.{n:05d}", abstract=f"Abstract number {n}. " * 40) for n in range(5)]


def starred_file(path: Path) -> None:
    with StateStore.open(path, background=False) as store:
        store.set_starred(PAPERS, True)
        store.set_note(PAPERS[1], "a note")
        store.set_read([PAPERS[2].arxiv_id], True)


def details_line(lines: list[bytes], arxiv_id: str) -> int:
    """The number of ``arxiv_id``'s line in the details table (after the hot table)."""
    start = lines.index(b'}, "details": {')
    prefix = f'"{arxiv_id}": {{'.encode()
    (number,) = [n for n, line in enumerate(lines) if n > start and line.startswith(prefix)]
    return number


def damage_details_line(path: Path, arxiv_id: str) -> None:
    """Break the JSON inside one details line, keeping its shape (id first, brace last)."""
    lines = path.read_bytes().split(b"\n")
    number = details_line(lines, arxiv_id)
    line = lines[number]
    lines[number] = line[:40] + b'"\x00 {[' + line[60:]
    path.write_bytes(b"\n".join(lines))


def test_opening_parses_no_details_until_one_is_asked_for(path, monkeypatch):
    starred_file(path)
    parsed: list[str] = []
    real = details_module.parse_line

    def counting(raw, arxiv_id):
        parsed.append(arxiv_id)
        return real(raw, arxiv_id)

    monkeypatch.setattr(details_module, "parse_line", counting)
    store = StateStore.open(path, background=False)
    assert store.ids(starred=True) == [p.arxiv_id for p in PAPERS]
    assert store.state(PAPERS[1].arxiv_id).note == "a note"
    assert isinstance(store._docs[PAPERS[0].arxiv_id]["paper"], Details)
    assert parsed == []
    assert store.snapshot(PAPERS[3].arxiv_id) == PAPERS[3]
    assert parsed == [PAPERS[3].arxiv_id]
    store.close()


def test_a_damaged_details_line_loses_only_that_papers_details(path):
    starred_file(path)
    bad = PAPERS[2].arxiv_id
    damage_details_line(path, bad)
    with pytest.raises(ValueError):
        json.loads(path.read_bytes())  # the file as a whole is damaged
    store = StateStore.open(path, background=False)
    assert store.notices == []  # nothing parsed the line yet
    assert store.ids(starred=True) == [p.arxiv_id for p in PAPERS]  # every judgement kept
    assert store.state(bad).read and store.state(bad).starred
    assert store.snapshot(bad) is None
    assert "details of 2501.00002" in store.notices[0] and "damaged" in store.notices[0]
    for paper in PAPERS:
        if paper.arxiv_id != bad:
            assert store.snapshot(paper.arxiv_id) == paper
    assert store.flush()  # the next save drops the damaged line, keeping a copy
    store.close()
    assert len(list(path.parent.glob("state.json.corrupt-*"))) == 1
    data = json.loads(path.read_bytes())  # whole and valid again
    assert bad in data["papers"] and bad not in data["details"]
    reread = StateStore.open(path, background=False)
    assert reread.notices == []
    assert reread.state(bad).starred and reread.snapshot(bad) is None
    assert [reread.snapshot(p.arxiv_id) for p in PAPERS if p.arxiv_id != bad] == [
        p for p in PAPERS if p.arxiv_id != bad
    ]
    reread.close()


def test_a_details_line_cut_short_is_skipped_with_a_copy_kept(path):
    starred_file(path)
    lines = path.read_bytes().split(b"\n")
    number = details_line(lines, "2501.00003")
    lines[number] = lines[number][:100]  # no closing brace: not even shaped like a member
    path.write_bytes(b"\n".join(lines))
    store = StateStore.open(path, background=False)
    assert "skipped 1 damaged entries" in store.notices[0]
    assert store.state("2501.00003").starred and store.snapshot("2501.00003") is None
    assert store.snapshot("2501.00004") == PAPERS[4]
    store.close()
    assert json.loads(path.read_bytes())["papers"]["2501.00003"]["starred"] is True
    assert len(list(path.parent.glob("state.json.corrupt-*"))) == 1


def test_details_of_a_paper_starred_now_are_readable_before_and_after_a_flush(path):
    starred_file(path)
    store = StateStore.open(path, background=False)
    new = make_paper("2502.00001", title="Starred in this session")
    store.set_starred([new], True)
    assert store.snapshot(new.arxiv_id) == new  # before any flush
    assert store.flush()
    assert store.snapshot(new.arxiv_id) == new  # after the flush (in the journal)
    store._needs_fold = True
    store.set_read([new.arxiv_id], True)
    assert store.flush()  # folded into a new snapshot: every handle moves to it
    assert store.snapshot(new.arxiv_id) == new
    assert all(store.snapshot(p.arxiv_id) == p for p in PAPERS)
    store.close()
    reread = StateStore.open(path, background=False, read_only=True)
    assert reread.snapshot(new.arxiv_id) == new and reread.state(new.arxiv_id).read
    reread.close()


def test_two_copies_read_each_others_details_across_folds(path):
    starred_file(path)
    a = StateStore.open(path, background=False)
    b = StateStore.open(path, background=False)
    new = make_paper("2502.00002", title="Starred by a")
    a.set_starred([new], True)
    assert a.flush()
    b.reload()
    assert b.snapshot(new.arxiv_id) == new  # from a's journal line
    a.close()  # a small state: folded into a new snapshot at close
    assert "2502.00002" in json.loads(path.read_bytes())["details"]
    b.reload()  # b reads the new snapshot; its handles point there
    assert b.snapshot(new.arxiv_id) == new
    assert all(b.snapshot(p.arxiv_id) == p for p in PAPERS)
    b.set_note(PAPERS[0], "from b")
    b._needs_fold = True
    assert b.flush()
    b.close()
    c = StateStore.open(path, background=False, read_only=True)
    assert c.snapshot(new.arxiv_id) == new and c.state(PAPERS[0].arxiv_id).note == "from b"
    assert all(c.snapshot(p.arxiv_id) == p for p in PAPERS)
    c.close()


def test_a_fold_lets_go_of_the_snapshot_it_replaced(path):
    starred_file(path)
    store = StateStore.open(path, background=False)
    for n in range(3):
        store._needs_fold = True
        store.set_read([PAPERS[n].arxiv_id], n % 2 == 0)
        assert store.flush()
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        pytest.skip("no /proc here")
    deleted = [
        target
        for name in os.listdir(fds)
        if (target := _readlink(fds / name)) and target.endswith("(deleted)") and "state" in target
    ]
    assert deleted == []  # no replaced snapshot kept open
    assert all(store.snapshot(p.arxiv_id) == p for p in PAPERS)
    store.close()


def _readlink(link: Path) -> str:
    try:
        return os.readlink(link)
    except OSError:
        return ""


def test_a_format_2_file_with_details_inside_records_is_upgraded(path):
    details = {"title": "Old title", "version": 1, "source": {"date": None, "path": "/d.md"}}
    record = {
        "read": True, "starred": True, "note": "n", "tags": [], "citation_key": None,
        "updated_at": 5.0, "changed": dict.fromkeys(
            ("read", "starred", "note", "tags", "citation_key", "paper"), 5.0
        ), "paper": details,
    }  # fmt: skip
    content = json.dumps({"meta": {"schema": {"version": 2}}, "papers": {"2501.00001": record}})
    path.write_text(content)
    store = StateStore.open(path, background=False)
    assert "from format 2 to 5" in store.notices[0]
    assert store.snapshot("2501.00001").title == "Old title"
    store.close()
    (kept,) = path.parent.glob("state.json.v2-*")
    assert kept.read_text() == content
    data = json.loads(path.read_text())
    assert data["meta"]["schema"]["version"] == SCHEMA_VERSION
    assert data["details"]["2501.00001"] == details and "paper" not in data["papers"]["2501.00001"]
    assert open_tinydb(path).table("papers").get(doc_id="2501.00001")["paper"] == details


def test_the_merge_never_reads_details_still_in_a_file(path, monkeypatch):
    starred_file(path)
    a = StateStore.open(path, background=False)
    b = StateStore.open(path, background=False)
    a._needs_fold = True
    a.set_read(["2501.00004"], True)
    assert a.flush()  # a new snapshot: b must merge every record of it

    def refuse(raw, arxiv_id):
        raise AssertionError("a merge parsed details")

    monkeypatch.setattr(details_module, "parse_line", refuse)
    b.reload()
    assert b.state("2501.00004").read
    monkeypatch.undo()
    assert all(b.snapshot(p.arxiv_id) == p for p in PAPERS)
    a.close()
    b.close()


def test_odd_values_in_a_details_line_are_repaired_when_read(path):
    starred_file(path)
    lines = path.read_bytes().split(b"\n")
    number = details_line(lines, "2501.00001")
    lines[number] = (
        b'"2501.00001": {"version": 1, "title": "bad \\udfff", "line": NaN, '
        b'"source": {"date": null, "path": "/d.md"}},'
    )
    path.write_bytes(b"\n".join(lines))
    store = StateStore.open(path, background=False)
    paper = store.snapshot("2501.00001")
    assert paper is not None and paper.title == "bad \ufffd"
    store.set_note(paper, "refreshed")  # details given again: written, repaired
    assert store.flush()
    store.close()
    json.loads(path.read_bytes())  # writable and valid


def test_a_file_cut_short_in_its_details_keeps_every_judgement_and_intact_details(path):
    starred_file(path)
    raw = path.read_bytes()
    lines = raw.split(b"\n")
    number = details_line(lines, "2501.00003")
    cut = len(b"\n".join(lines[:number])) + 50  # in the middle of 2501.00003's details
    path.write_bytes(raw[:cut])
    store = StateStore.open(path, background=False)
    assert "5 intact paper records were kept" in store.notices[0]
    assert store.ids(starred=True) == [p.arxiv_id for p in PAPERS]
    assert store.snapshot("2501.00003") is None
    before = {p.arxiv_id for p in PAPERS if details_line(lines, p.arxiv_id) < number}
    for paper in PAPERS:  # every details line wholly before the cut is intact
        wanted = paper if paper.arxiv_id in before else None
        assert store.snapshot(paper.arxiv_id) == wanted
    store.close()
    assert len(list(path.parent.glob("state.json.corrupt-*"))) == 1
    json.loads(path.read_bytes())
