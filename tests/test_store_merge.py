"""Two copies of the program on one state file, simulated with two stores in one process."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.store_helpers import make_paper, on_disk
from tui_reader.store import StateStore


@pytest.fixture
def pair(tmp_path: Path):
    path = tmp_path / "state.json"
    a = StateStore.open(path, background=False)
    b = StateStore.open(path, background=False)
    yield a, b
    a.close()
    b.close()


def test_neither_copy_overwrites_the_other(pair):
    a, b = pair
    a.set_starred(["2501.00001"], True)
    b.set_read(["2501.00002"], True)
    assert a.flush()
    assert b.flush()  # re-reads a's file before writing
    papers = on_disk(a.path)
    assert papers["2501.00001"]["starred"] and papers["2501.00002"]["read"]
    assert b.state("2501.00001").starred  # merged into b's memory while flushing
    assert a.reload() == {"2501.00002"}
    assert a.state("2501.00002").read


def test_different_fields_of_one_paper_are_both_kept(pair):
    a, b = pair
    a.set_read(["2501.00001"], True)
    a.flush()
    b.reload()
    a.set_starred(["2501.00001"], True)
    b.set_note("2501.00001", "from b")
    a.flush()
    b.flush()
    a.reload()
    for store in pair:
        state = store.state("2501.00001")
        assert (state.read, state.starred, state.note) == (True, True, "from b")


def test_papers_both_copies_created_independently_merge_field_by_field(pair):
    a, b = pair
    a.set_read(["2501.00001"], True)
    b.set_starred(["2501.00001"], True)
    a.flush()
    b.flush()
    a.reload()
    assert a.state("2501.00001") == b.state("2501.00001")
    assert a.state("2501.00001").read and a.state("2501.00001").starred


def test_the_same_field_changed_in_both_copies_goes_to_the_newer_change(pair):
    a, b = pair
    a.set_note("2501.00001", "older")
    time.sleep(0.002)
    b.set_note("2501.00001", "newer")
    b.flush()
    a.flush()  # a's change is older: it loses although it is written last
    a.reload()
    assert a.state("2501.00001").note == b.state("2501.00001").note == "newer"
    assert on_disk(a.path)["2501.00001"]["note"] == "newer"


def test_undo_wins_over_an_older_change_in_the_other_copy(pair):
    a, b = pair
    a.set_starred(["2501.00001"], True)
    a.flush()
    b.reload()
    b.set_starred(["2501.00001"], False)
    time.sleep(0.002)
    a.set_read(["2501.00002"], True)
    a.undo()  # nothing to do with 00001
    a.set_starred(["2501.00001"], False)
    a.set_starred(["2501.00001"], True)
    a.undo()  # unstars 00001 again, with a fresh timestamp
    b.flush()
    a.flush()
    assert not on_disk(a.path)["2501.00001"]["starred"]


def test_an_assigned_citation_key_is_never_replaced_by_the_other_copy(pair):
    a, b = pair
    a.set_citation_keys({"2501.00001": "first2025"})
    a.flush()
    time.sleep(0.002)
    b.set_citation_keys({"2501.00001": "second2025"})  # b has not seen a's key yet
    b.flush()
    assert on_disk(a.path)["2501.00001"]["citation_key"] == "first2025"
    assert b.citation_keys() == {"2501.00001": "first2025"}


def test_snapshots_and_settings_merge_too(pair):
    a, b = pair
    paper = make_paper("2501.00001")
    a.set_starred([paper], True)
    a.set_setting("theme", "nord")
    a.flush()
    b.set_setting("last_export", "/tmp/out.bib")
    b.flush()
    assert b.snapshot("2501.00001") == paper
    assert b.get_setting("theme") == "nord"
    a.reload()
    assert a.get_setting("last_export") == "/tmp/out.bib"


def test_reload_reports_changes_and_calls_the_callback(tmp_path):
    path = tmp_path / "state.json"
    seen: list[set[str]] = []
    a = StateStore.open(path, background=False, on_external_change=seen.append)
    b = StateStore.open(path, background=False)
    assert a.reload() == set()
    b.set_starred(["2501.00001", "2501.00002"], True)
    b.flush()
    assert a.reload() == {"2501.00001", "2501.00002"}
    assert seen == [{"2501.00001", "2501.00002"}]
    assert a.reload() == set()  # nothing new
    a.close()
    b.close()


def test_the_background_thread_picks_up_the_other_copys_changes(tmp_path):
    path = tmp_path / "state.json"
    arrived = threading.Event()
    seen: list[set[str]] = []

    def on_change(ids: set[str]) -> None:
        seen.append(ids)
        arrived.set()

    a = StateStore.open(path, check_interval=0.05, on_external_change=on_change)
    b = StateStore.open(path, background=False)
    b.set_note("2501.00001", "hello from b")
    b.flush()
    assert arrived.wait(60), "no external change reported"  # generous: a busy machine
    assert seen == [{"2501.00001"}]
    assert a.state("2501.00001").note == "hello from b"
    a.close()
    b.close()


def test_a_local_change_made_while_the_file_changed_is_kept(pair):
    a, b = pair
    a.set_read(["2501.00001"], True)
    a.flush()
    b.reload()
    b.set_note("2501.00001", "b")
    b.flush()
    a.set_starred(["2501.00001"], True)  # a is dirty when it reloads
    a.reload()
    assert a.state("2501.00001").starred and a.state("2501.00001").note == "b"
    a.flush()
    b.reload()
    assert b.state("2501.00001") == a.state("2501.00001")


def test_a_deleted_file_is_written_again_with_everything(pair):
    a, b = pair
    a.set_read(["2501.00001"], True)
    a.flush()
    a.path.unlink()
    b.set_read(["2501.00002"], True)
    b.flush()
    a.set_read(["2501.00003"], True)
    a.flush()
    assert set(on_disk(a.path)) == {"2501.00001", "2501.00002", "2501.00003"}


IDS = [f"2501.{n:05d}" for n in range(4)]
ACTIONS = st.lists(
    st.tuples(
        st.sampled_from("ab"),
        st.sampled_from(["read", "star", "note", "flush", "reload"]),
        st.sampled_from(IDS),
        st.booleans(),
    ),
    max_size=30,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS)
def test_two_copies_converge_and_lose_nothing_only_one_of_them_changed(tmp_path_factory, actions):
    """Any interleaving: both copies end equal, and a field only one copy ever changed
    holds that copy's last value."""
    path = tmp_path_factory.mktemp("pair") / "state.json"
    stores = {
        "a": StateStore.open(path, background=False),
        "b": StateStore.open(path, background=False),
    }
    last: dict[tuple[str, str], dict[str, object]] = {}
    for counter, (who, action, arxiv_id, flag) in enumerate(actions):
        store = stores[who]
        if action == "read":
            store.set_read([arxiv_id], flag)
            last.setdefault((arxiv_id, "read"), {})[who] = flag
        elif action == "star":
            store.set_starred([arxiv_id], flag)
            last.setdefault((arxiv_id, "starred"), {})[who] = flag
        elif action == "note":
            note = f"{who}{counter}" if flag else ""
            store.set_note(arxiv_id, note)
            last.setdefault((arxiv_id, "note"), {})[who] = note
        elif action == "flush":
            assert store.flush()
        else:
            store.reload()
    for _ in range(2):
        for store in stores.values():
            assert store.flush()
            store.reload()
    a, b = stores["a"], stores["b"]
    for arxiv_id in IDS:
        assert a.state(arxiv_id) == b.state(arxiv_id)
    for (arxiv_id, field), by_copy in last.items():
        if len(by_copy) == 1:
            (value,) = by_copy.values()
            assert getattr(a.state(arxiv_id), field) == value
    fresh = StateStore.open(path, background=False)
    for arxiv_id in IDS:
        assert fresh.state(arxiv_id) == a.state(arxiv_id)
    for store in (*stores.values(), fresh):
        store.close()
