"""Unit tests of the state store: every public method, in one process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.machine_load import WaitedForCpu
from tests.store_helpers import REPO_ROOT, make_paper
from tui_reader.store import SCHEMA_VERSION, PaperState, StateStore, open_tinydb
from tui_reader.store.clock import MS
from tui_reader.store.details import resolve
from tui_reader.store.files import install
from tui_reader.store.records import FIELDS
from tui_reader.store.snapshot import PaperTable, decode, hot, write


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "state.json"


@pytest.fixture
def store(path: Path):
    store = StateStore.open(path, background=False)
    yield store
    store.close()


def reopen(store: StateStore) -> StateStore:
    store.close()
    return StateStore.open(store.path, background=False)


def test_the_store_does_not_import_textual():
    code = "import sys, tui_reader.store; assert 'textual' not in sys.modules, 'textual loaded'"
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True)


def test_opening_creates_nothing_and_the_first_write_creates_the_folders(path):
    store = StateStore.open(path, background=False)
    assert not path.parent.exists()
    assert store.flush()  # nothing to write
    assert not path.parent.exists()
    store.set_read(["2501.00001"], True)
    assert store.flush()
    assert path.is_file()
    store.close()


def test_unknown_papers_have_the_default_state(store):
    assert store.state("2501.00001") == PaperState()
    assert not store.known("2501.00001")
    assert store.snapshot("2501.00001") is None
    assert store.ids() == []


def test_set_read_returns_the_ids_that_actually_changed(store):
    assert store.set_read(["2501.00001", "2501.00002v3", "arXiv:2501.00003"], True) == {
        "2501.00001",
        "2501.00002",
        "2501.00003",
    }
    assert store.set_read(["2501.00001", "2501.00004"], True) == {"2501.00004"}
    assert store.state("2501.00002").read
    assert store.state("2501.00002v7").read  # a versioned id finds the paper
    assert store.known("2501.00002")
    assert store.set_read(["2501.00005"], False) == set()  # already unread: nothing stored
    assert not store.known("2501.00005")


def test_a_single_target_is_not_taken_for_an_iterable_of_characters(store):
    assert store.set_starred("2501.00001", True) == {"2501.00001"}
    assert store.set_read(make_paper("2501.00002"), True) == {"2501.00002"}


def test_an_invalid_id_is_refused(store):
    with pytest.raises(ValueError, match="not an arXiv id"):
        store.set_starred(["not an id"], True)


def test_starring_a_paper_keeps_a_snapshot_that_round_trips(store):
    paper = make_paper("2501.01234", version=2)
    assert store.set_starred([paper], True) == {"2501.01234"}
    assert store.snapshot("2501.01234") == paper
    store = reopen(store)
    assert store.snapshot("2501.01234") == paper
    assert store.state("2501.01234").starred
    store.close()


def test_an_old_style_id_round_trips(store):
    paper = make_paper("hep-th/9901001", url="https://arxiv.org/abs/hep-th/9901001")
    store.set_starred([paper], True)
    store = reopen(store)
    assert store.snapshot("hep-th/9901001") == paper
    assert store.ids(starred=True) == ["hep-th/9901001"]
    store.close()


def test_reading_takes_no_snapshot_but_refreshes_an_existing_one(store):
    store.set_read([make_paper("2501.00001")], True)
    assert store.snapshot("2501.00001") is None

    store.set_starred([make_paper("2501.00002", version=1)], True)
    newer = make_paper("2501.00002", version=3, title="Retitled")
    assert store.set_read([newer], True) == {"2501.00002"}
    assert store.snapshot("2501.00002") == newer
    newest = make_paper("2501.00002", version=4)
    assert store.set_read([newest], True) == set()  # state unchanged, snapshot refreshed
    assert store.snapshot("2501.00002") == newest
    store.set_starred([make_paper("2501.00002", version=5)], False)
    assert store.snapshot("2501.00002").version == 5  # kept after unstarring


def test_a_starred_id_string_has_no_snapshot(store):
    store.set_starred(["2501.00001"], True)
    assert store.state("2501.00001").starred
    assert store.snapshot("2501.00001") is None


def test_notes_are_trimmed_and_a_blank_note_deletes(store):
    paper = make_paper("2501.00001")
    assert store.set_note(paper, "  first thoughts\n\nmore  \n") == {"2501.00001"}
    assert store.state("2501.00001").note == "first thoughts\n\nmore"
    assert store.snapshot("2501.00001") == paper
    assert store.set_note("2501.00001", "first thoughts\n\nmore") == set()
    assert store.set_note("2501.00001", "   \n") == {"2501.00001"}
    assert store.state("2501.00001").note == ""
    with pytest.raises(TypeError):
        store.set_note(["2501.00001"], "x")  # type: ignore[arg-type]


def test_undo_reverts_steps_in_order_including_bulk_ones(store):
    ids = [f"2501.{n:05d}" for n in range(100)]
    store.set_read(ids, True)  # step 1 (bulk)
    store.set_starred(ids[:10], True)  # step 2 (bulk)
    store.set_note(ids[0], "hello")  # step 3
    store.set_read(ids[:50], True)  # no change: no step

    assert store.undo() == {ids[0]}
    assert store.state(ids[0]).note == ""
    assert store.state(ids[0]).starred
    assert store.undo() == set(ids[:10])
    assert store.ids(starred=True) == []
    assert store.undo() == set(ids)
    assert store.ids(read=True) == []
    assert store.undo() is None


def test_undo_gets_a_fresh_timestamp_and_keeps_later_changes_to_other_fields(store):
    store.set_starred(["2501.00001"], True)
    store.set_read(["2501.00001"], True)
    before = store._docs["2501.00001"]["changed"]["read"]
    assert store.undo() == {"2501.00001"}  # undoes the read
    assert store.state("2501.00001") == PaperState(
        read=False, starred=True, updated_at=store.state("2501.00001").updated_at
    )
    assert store._docs["2501.00001"]["changed"]["read"] > before
    store.set_note("2501.00001", "kept")
    store.set_read(["2501.00001"], True)
    store.set_note("2501.00001", "changed later")
    store.undo()  # the note
    store.undo()  # the read
    assert store.state("2501.00001").note == "kept"
    assert store.state("2501.00001").starred


def test_undo_is_saved(store):
    store.set_starred(["2501.00001"], True)
    store.flush()
    store.undo()
    store = reopen(store)
    assert not store.state("2501.00001").starred
    store.close()


def test_ids_filters(store):
    store.set_read(["2501.00001", "2501.00002"], True)
    store.set_starred(["2501.00002", "2501.00003"], True)
    store.set_note("2501.00004", "n")
    assert store.ids() == ["2501.00001", "2501.00002", "2501.00003", "2501.00004"]
    assert store.ids(starred=True) == ["2501.00002", "2501.00003"]
    assert store.ids(starred=True, read=False) == ["2501.00003"]
    assert store.ids(noted=True) == ["2501.00004"]
    assert store.ids(read=False, noted=False) == ["2501.00003"]


def test_citation_keys_are_assigned_once_and_never_change(store):
    store.set_starred(["2501.00001"], True)
    store.set_citation_keys({"2501.00001": "lovelace2025notes", "2501.00002v2": "turing2025"})
    assert store.citation_keys() == {"2501.00001": "lovelace2025notes", "2501.00002": "turing2025"}
    store.set_citation_keys({"2501.00001": "other", "2501.00003": "third"})
    assert store.citation_keys()["2501.00001"] == "lovelace2025notes"
    assert store.state("2501.00003").citation_key == "third"
    assert store.undo() is None or store.citation_keys()["2501.00001"] == "lovelace2025notes"
    with pytest.raises(ValueError):
        store.set_citation_keys({"2501.00009": " "})
    store = reopen(store)
    assert store.citation_keys() == {
        "2501.00001": "lovelace2025notes",
        "2501.00002": "turing2025",
        "2501.00003": "third",
    }
    store.close()


def test_settings(store):
    assert store.get_setting("theme") is None
    assert store.get_setting("theme", "textual-dark") == "textual-dark"
    store.set_setting("theme", "nord")
    store.set_setting("last_export", {"path": "/tmp/x.bib", "count": 3})
    with pytest.raises(TypeError):
        store.set_setting("bad", object())
    store = reopen(store)
    assert store.get_setting("theme") == "nord"
    assert store.get_setting("last_export") == {"path": "/tmp/x.bib", "count": 3}
    store.close()


def test_flush_without_changes_does_not_touch_the_file(store, path):
    store.set_read(["2501.00001"], True)
    store.flush()
    before = path.stat()
    time.sleep(0.01)
    assert store.flush()
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_close_is_idempotent_and_a_closed_store_refuses_changes(path):
    store = StateStore.open(path)
    store.set_read(["2501.00001"], True)
    store.close()
    store.close()
    with pytest.raises(RuntimeError, match="closed"):
        store.set_read(["2501.00002"], True)
    assert StateStore.open(path, background=False).state("2501.00001").read


def test_context_manager_closes(path):
    with StateStore.open(path) as store:
        store.set_starred(["2501.00001"], True)
    assert json.loads(path.read_text())["papers"]["2501.00001"]["starred"] is True


def test_the_file_is_a_tinydb_database(store, path):
    paper = make_paper("2501.00001")
    store.set_starred([paper], True)
    store.set_setting("theme", "nord")
    store.flush()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) == {"meta", "settings", "papers", "details"}
    assert data["meta"] == {"schema": {"version": SCHEMA_VERSION}}
    assert "paper" not in data["papers"]["2501.00001"]  # the hot record: judgements only
    assert data["details"]["2501.00001"]["title"] == paper.title
    db = open_tinydb(path)  # puts the details back into the record
    doc = db.table("papers").get(doc_id="2501.00001")
    assert doc["starred"] is True
    assert doc["paper"]["title"] == paper.title
    assert db.table("settings").get(doc_id="theme")["value"] == "nord"
    assert {"read", "starred", "note", "tags", "citation_key", "updated_at", "changed"} <= set(doc)


def test_a_file_written_through_tinydb_is_read(path):
    from tinydb.table import Document

    db = open_tinydb(path)
    fields = {"read": True, "starred": True, "note": "", "citation_key": None, "updated_at": 1.0}
    db.table("papers").insert(Document(fields, doc_id="2501.00001"))
    db.close()
    store = StateStore.open(path, background=False)
    assert store.state("2501.00001").starred
    assert store.notices == []
    store.close()


def test_a_one_line_file_as_tinydbs_json_storage_writes_it_is_read(path):
    stamp = 2000 * MS  # 2.0 s
    doc = {"read": True, "starred": False, "note": "x", "citation_key": "k1", "tags": {},
           "updated_at": stamp, "changed": dict.fromkeys(FIELDS, stamp)}  # fmt: skip
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"meta": {"schema": {"version": 5}}, "papers": {"2501.00001": doc}}))
    store = StateStore.open(path, background=False)
    assert store.state("2501.00001") == PaperState(True, False, "x", "k1", 2.0)
    assert store.notices == []
    store.close()


def test_many_papers_survive_a_round_trip(store):
    ids = [f"2501.{n:05d}" for n in range(3000)]
    store.set_read(ids, True)
    store.set_starred(ids[::7], True)
    for n in range(0, 3000, 101):
        store.set_note(ids[n], f'note {n} with "quotes", commas,\nand lines')
    store.flush()
    lines = store.path.read_text().splitlines()
    assert len(lines) > 3  # several lines of documents
    expected = {i: store.state(i) for i in ids}
    store = reopen(store)
    assert {i: store.state(i) for i in ids} == expected
    store.close()


def test_changes_reach_the_disk_within_a_second(path):
    # Within a second, plus what a busy machine kept this process waiting for a CPU.
    waited = WaitedForCpu(os.getpid(), every_thread=True)
    store = StateStore.open(path)  # default flush interval
    store.set_starred(["2501.00001"], True)
    changed_at = time.monotonic()
    while not (path.exists() and "2501.00001" in json.loads(path.read_text())["papers"]):
        assert time.monotonic() - changed_at < 60, "the change never reached the disk"
        time.sleep(0.01)
    took = time.monotonic() - changed_at
    assert took <= 1.0 + waited.seconds(), f"on disk after {took:.2f} s"
    store.close()


def test_no_temporary_files_are_left_and_stale_ones_are_removed(store, path):
    store.set_read(["2501.00001"], True)
    store.flush()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    stale = path.parent / f".{path.name}.{dead.stdout.strip()}.1.tmp"
    stale.write_text("left by a killed writer")
    in_use = path.parent / f".{path.name}.{os.getpid()}.99.tmp"  # a live writer's
    in_use.write_text("being written")
    store = reopen(store)
    store.set_read(["2501.00002"], True)
    store.flush()
    names = sorted(p.name for p in path.parent.iterdir())
    assert names == [in_use.name, "state.json", "state.json.journal", "state.json.lock"]
    store.close()


def test_a_symlinked_state_file_stays_a_symlink(tmp_path):
    real = tmp_path / "real" / "state.json"
    real.parent.mkdir()
    link = tmp_path / "state.json"
    link.symlink_to(real)
    store = StateStore.open(link, background=False)
    store.set_read(["2501.00001"], True)
    store.close()
    assert link.is_symlink()
    assert "2501.00001" in json.loads(real.read_text())["papers"]


def test_mutations_stay_cheap_with_many_papers(store):
    store.set_read([f"2501.{n:05d}" for n in range(20_000)], True)
    store.flush()
    start = time.thread_time()  # CPU time: a busy machine does not make it longer
    for n in range(200):
        store.set_starred([f"2501.{n:05d}"], n % 2 == 0)
    assert (time.thread_time() - start) / 200 < 0.005


JSON_TEXT = st.text(st.characters(max_codepoint=0x2FFF, exclude_categories=("Cs",)))
DOCS = st.dictionaries(
    JSON_TEXT,
    st.fixed_dictionaries(
        {"read": st.booleans(), "note": JSON_TEXT, "updated_at": st.floats(0, 2e9)},
        optional={"paper": st.dictionaries(JSON_TEXT, JSON_TEXT, max_size=3)},
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(docs=DOCS, settings_value=JSON_TEXT)
def test_the_line_reader_agrees_with_json_loads_on_what_the_writer_writes(
    tmp_path_factory, docs, settings_value
):
    path = tmp_path_factory.mktemp("layout") / "state.json"
    header = {"meta": {"schema": {"version": 1}}, "settings": {"s": {"value": settings_value}}}
    install(write(path, header, PaperTable.from_docs(docs)).temp, path)
    text = path.read_text(encoding="utf-8")
    tables = json.loads(text)
    assert decode(text) == tables
    details = tables.pop("details")
    assert {k: v for k, v in docs.items() if "paper" in v} == {
        k: tables["papers"][k] | {"paper": v} for k, v in details.items()
    }
    assert {k: hot(v) for k, v in docs.items()} == tables["papers"]
    store = StateStore.open(path, background=False, read_only=True)  # the lazy reader
    kept = {k: resolve(store._docs[k].get("paper"), k) for k in docs}
    assert kept == {k: v.get("paper") for k, v in docs.items()}
    store.close()


@settings(max_examples=150, deadline=None)
@given(
    data=st.recursive(
        st.none() | st.booleans() | JSON_TEXT, lambda c: st.dictionaries(JSON_TEXT, c)
    )
)
def test_the_line_reader_agrees_with_json_loads_on_any_layout(data):
    for text in (
        json.dumps({"papers": data}, indent=1),
        json.dumps({"x": data, "papers": data}).replace(", ", ",\n"),
        '{"papers": {\n' + json.dumps(data)[1:-1] + "\n}}",
    ):
        try:
            expected = json.loads(text)
        except ValueError:
            continue
        assert decode(text) == expected
