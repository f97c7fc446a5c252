"""The journal beside the snapshot, per-field merging, and tags."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.store_helpers import make_paper, on_disk
from tui_reader.store import PaperState, StateStore
from tui_reader.store import persist as persist_module
from tui_reader.store.clock import COPY, MS
from tui_reader.store.merge import merge_docs
from tui_reader.store.records import FIELDS, record_stamp


@pytest.fixture
def path(tmp_path):
    return tmp_path / "state.json"


def journal_lines(path) -> list[dict]:
    journal = path.with_name(path.name + ".journal")
    if not journal.exists():
        return []
    lines = [json.loads(line) for line in journal.read_bytes().splitlines() if line.strip()]
    return [line for line in lines if "journal" not in line]  # the header names the file


def test_a_flush_appends_what_changed_and_never_rewrites_the_snapshot(path):
    store = StateStore.open(path, background=False)
    paper = make_paper("2501.00001", abstract="A long abstract. " * 200)
    store.set_starred([paper], True)
    assert store.flush()  # the first write creates the snapshot
    before = path.stat()
    store.set_read(["2501.00001"], True)
    store.set_note("2501.00002", "a note")
    assert store.flush()
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino,
        before.st_mtime_ns,
        before.st_size,
    )
    lines = journal_lines(path)
    assert [line["p"] for line in lines] in (
        ["2501.00001", "2501.00002"],
        ["2501.00002", "2501.00001"],
    )
    assert all("paper" not in line["d"] for line in lines)  # details are not repeated
    assert on_disk(path)["2501.00001"]["read"]
    store.close()


def test_the_journal_is_folded_into_the_snapshot_when_it_grows(path, monkeypatch):
    monkeypatch.setattr(persist_module, "JOURNAL_FOLD_BYTES", 2000)
    store = StateStore.open(path, background=False)
    other = StateStore.open(path, background=False)
    for n in range(60):
        store.set_read([f"2501.{n:05d}"], True)
        assert store.flush()
    assert len(journal_lines(path)) < 30  # folded at least once
    snapshot = json.loads(path.read_text())["papers"]
    assert len(snapshot) >= 30
    assert other.reload() == {f"2501.{n:05d}" for n in range(60)}
    store.close()
    other.close()
    assert set(on_disk(path)) == {f"2501.{n:05d}" for n in range(60)}


def test_a_torn_last_line_is_skipped_and_the_next_append_starts_a_new_line(path):
    store = StateStore.open(path, background=False)
    store.set_read(["2501.00001"], True)
    store.flush()
    store.set_read(["2501.00002"], True)
    store.flush()
    journal = path.with_name("state.json.journal")
    journal.write_bytes(journal.read_bytes() + b'{"p": "2501.00003", "d": {"re')  # kill -9
    store.set_read(["2501.00004"], True)
    assert store.flush()
    reread = StateStore.open(path, background=False, read_only=True)
    assert reread.ids() == ["2501.00001", "2501.00002", "2501.00004"]
    (notice,) = reread.notices  # the torn line, ended by the next append, is said once
    assert "1 line of the journal" in notice and "torn" in notice
    reread.close()
    store.close()  # folds: the torn line goes to the side file, never lost
    rejected = path.with_name("state.json.journal.rejected")
    assert rejected.read_bytes() == b'{"p": "2501.00003", "d": {"re\n'
    assert not path.with_name("state.json.journal").exists()


def test_a_newer_note_survives_a_star_from_the_other_copy_just_before(path):
    a = StateStore.open(path, background=False)
    b = StateStore.open(path, background=False)
    a.set_note("2501.00001", "first")
    a.flush()
    b.reload()
    b.set_starred(["2501.00001"], True)  # older change to another field
    a.set_note("2501.00001", "newer note")
    a.flush()
    b.flush()  # b writes its whole record last, with its own (older) note
    for store in (a, b):
        store.reload()
        assert store.state("2501.00001").note == "newer note"
        assert store.state("2501.00001").starred
    a.close()
    b.close()
    assert on_disk(path)["2501.00001"]["note"] == "newer note"


def test_tags_are_added_removed_counted_filtered_and_undone(path):
    store = StateStore.open(path, background=False)
    paper = make_paper("2501.00001")
    assert store.set_tags([paper, "2501.00002"], add=["ml ", "sparse", "ml"]) == {
        "2501.00001",
        "2501.00002",
    }
    assert store.state("2501.00001").tags == ("ml", "sparse")
    assert store.snapshot("2501.00001") == paper  # tagging keeps the details
    assert store.set_tags("2501.00002", add=["ml"]) == set()  # nothing changed
    assert store.set_tags("2501.00002", remove=["sparse"], add=["zz"]) == {"2501.00002"}
    assert store.tag_counts() == {"ml": 2, "sparse": 1, "zz": 1}
    assert store.ids(tag="sparse") == ["2501.00001"]
    assert store.ids(tag="ml", starred=True) == []
    assert store.undo() == {"2501.00002"}
    assert store.state("2501.00002").tags == ("ml", "sparse")
    store.close()
    reread = StateStore.open(path, background=False)
    assert reread.state("2501.00002").tags == ("ml", "sparse")
    assert reread.tag_counts() == {"ml": 2, "sparse": 2}
    reread.close()


def test_tags_merge_per_field_between_two_copies(path):
    a = StateStore.open(path, background=False)
    b = StateStore.open(path, background=False)
    a.set_tags("2501.00001", add=["from-a"])
    b.set_read("2501.00001", True)
    a.flush()
    b.flush()
    a.reload()
    for store in (a, b):
        assert store.state("2501.00001") == PaperState(
            read=True,
            tags=("from-a",),
            updated_at=store.state("2501.00001").updated_at,
        )
    a.close()
    b.close()


def test_an_old_file_gains_tags_and_field_times(path):
    doc = {"read": True, "starred": True, "note": "n", "citation_key": None, "updated_at": 7.0}
    path.write_text(json.dumps({"meta": {"schema": {"version": 1}}, "papers": {"2501.1": doc}}))
    store = StateStore.open(path, background=False)
    assert "from format 1 to 5" in store.notices[0]
    assert store.state("2501.1") == PaperState(True, True, "n", None, 7.0, ())
    store.close()
    upgraded = json.loads(path.read_text())["papers"]["2501.1"]
    assert upgraded["tags"] == {} and upgraded["changed"] == dict.fromkeys(FIELDS, 7000 * MS)


def test_details_keep_every_optional_field_of_a_paper(path):
    paper = make_paper(
        "2501.00001",
        categories=("cs.LG", "stat.ML"),
        comments="10 pages",
        journal_ref="NeurIPS 2025",
        summary="TL;DR it works",
        code_url="https://github.com/x/y",
        topics=("Sparsity",),
        cross_list=True,
        replacement=True,
    )
    store = StateStore.open(path, background=False)
    store.set_starred([paper], True)
    store.close()
    reread = StateStore.open(path, background=False, read_only=True)
    assert reread.snapshot("2501.00001") == paper
    reread.close()


values = {
    "read": st.booleans(),
    "starred": st.booleans(),
    "note": st.sampled_from(["", "a", "b"]),
    "citation_key": st.sampled_from([None, "k1", "k2"]),
}
# Few stamps, so that records often tie; a tie only ever comes from one stamp made
# twice, but the merge must be a pure function of the records even then.
STAMPS = st.integers(0, 3).map(lambda n: n * COPY + 1) | st.integers(0, 3).map(lambda n: n * MS)


@st.composite
def records(draw):
    doc = {name: draw(strategy) for name, strategy in values.items()}
    doc["changed"] = {name: draw(STAMPS) for name in FIELDS}
    if draw(st.booleans()):
        doc["paper"] = {"title": draw(st.sampled_from(["t1", "t2"]))}
    facts = draw(
        st.dictionaries(st.sampled_from(["x", "y", "z"]), st.tuples(STAMPS, st.booleans()))
    )
    doc["tags"] = {tag: stamp for tag, (stamp, present) in sorted(facts.items()) if present}
    untagged = {tag: stamp for tag, (stamp, present) in sorted(facts.items()) if not present}
    if untagged:
        doc["untagged"] = untagged
    doc["updated_at"] = record_stamp(doc)
    return doc


@given(records(), records(), records())
def test_merging_is_commutative_associative_and_idempotent(a, b, c):
    assert merge_docs(a, a) == a
    assert merge_docs(a, b) == merge_docs(b, a)
    assert merge_docs(merge_docs(a, b), c) == merge_docs(a, merge_docs(b, c))
    merged = merge_docs(a, b)
    assert merge_docs(merged, b) == merged
    assert merged["updated_at"] == record_stamp(merged)
    # Every tag goes to its later fact, whichever record held it.
    for tag in {*a["tags"], *a.get("untagged", {}), *b["tags"], *b.get("untagged", {})}:
        facts = [
            (doc[table][tag], table == "tags")
            for doc in (a, b)
            for table in ("tags", "untagged")
            if tag in doc.get(table, {})
        ]
        assert (tag in merged["tags"]) is max(facts)[1]


def test_a_lazy_open_returns_at_once_and_every_answer_waits_for_the_papers(path, monkeypatch):
    import threading

    from tui_reader.store import snapshot as snapshot_module

    with StateStore.open(path, background=False) as store:
        store.set_note("2501.00001", "kept")
        store.set_setting("theme", "nord")
    real_parse = snapshot_module.parse
    let_parse, parsed = threading.Event(), threading.Event()

    def slow_parse(*args, **kwargs):
        let_parse.wait(60)  # a very large file: read once the test lets it
        try:
            return real_parse(*args, **kwargs)
        finally:
            parsed.set()

    monkeypatch.setattr(snapshot_module, "parse", slow_parse)
    store = StateStore.open(path, lazy=True)
    assert not parsed.is_set()  # the open did not wait for the papers
    assert store.get_setting("theme") == "nord"  # from the first line, at once
    notes: list[str] = []
    asking = threading.Thread(target=lambda: notes.append(store.state("2501.00001").note))
    asking.start()
    asking.join(0.2)
    assert asking.is_alive() and notes == []  # the answer waits for the papers
    let_parse.set()
    asking.join(60)
    assert notes == ["kept"]
    store.set_read(["2501.00002"], True)
    store.close()
    assert set(on_disk(path)) == {"2501.00001", "2501.00002"}
