"""Digests that come, change and go while the app is open: the merge, without a UI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.watch_helpers import ids, opened, read, write_digest
from tui_reader.library_update import FileChange, describe
from tui_reader.store import StateStore


@pytest.fixture
def store(tmp_path):
    store = StateStore.open(tmp_path / "state.json", background=False)
    yield store
    store.close()


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "digests"
    write_digest(folder, "2025-01-03.md", "2025-01-03", ["2501.00001", "2501.00002", "2501.00003"])
    return folder


def test_the_core_does_not_import_textual():
    code = "import sys, tui_reader.library_update, tui_reader.view_updates; " \
           "assert 'textual' not in sys.modules"  # fmt: skip
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


def test_a_new_digest_adds_its_papers_at_the_next_indices(folder, store):
    triage, open_digests = opened(folder, store)
    new = write_digest(
        folder,
        "2025-01-10.md",
        "2025-01-10",
        ["2501.00010", ("2501.00003", 2, "Version two."), "2501.00011"],
    )
    update = open_digests.update(read=[read(new)])
    assert [p.arxiv_id for p in update.added] == ["2501.00010", "2501.00011"]
    assert update.entering == (3, 4) and update.leaving == () and update.place is None
    [(index, record)] = update.replaced  # the paper in both: newest version, both digests
    assert index == 2 and record.version == 2
    assert [ref.path.name for ref in record.digests] == ["2025-01-03.md", "2025-01-10.md"]
    assert update.changes == (FileChange("new", "2025-01-10", new=2, kept=1),)
    assert describe(update.changes) == "2025-01-10: 2 new papers (1 already open)"

    triage.apply_update(update)
    assert ids(triage) == ["2501.00001", "2501.00002", "2501.00003", "2501.00010", "2501.00011"]
    assert triage.counts().papers == 5 and triage.counts().unread == 5
    assert triage.papers[2].version == 2  # the record shown is the newest
    assert len(triage.digests) == 2 and triage.digest_line(1).startswith("2025-01-10 · 2 papers")


def test_a_changed_digest_says_what_came_went_and_changed(folder, store):
    triage, open_digests = opened(folder, store)
    path = write_digest(
        folder,
        "2025-01-03.md",
        "2025-01-03",
        [("2501.00001", 1, "A corrected abstract."), "2501.00003", "2501.00004"],
    )
    update = open_digests.update(read=[read(path)])
    assert update.changes == (FileChange("changed", "2025-01-03", new=1, gone=1, updated=1),)
    assert describe(update.changes) == "2025-01-03 changed: 1 new paper, 1 updated, 1 removed"
    assert update.leaving == (1,) and update.gone == frozenset({1})
    triage.apply_update(update)
    assert ids(triage) == ["2501.00001", "2501.00003", "2501.00004"]
    assert triage.papers[0].abstract == "A corrected abstract."
    assert triage.counts().papers == 3


def test_a_file_touched_or_written_again_the_same_is_no_change(folder, store):
    _, open_digests = opened(folder, store)
    again = open_digests.update(read=[read(folder / "2025-01-03.md")])
    assert again.empty and again.changes == ()
    # Written again with a blank line on top: every line number moves, nothing to say.
    path = folder / "2025-01-03.md"
    path.write_text("\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    shifted = open_digests.update(read=[read(path)])
    assert shifted.changes == () and shifted.entering == () and shifted.leaving == ()


def test_a_removed_digest_takes_its_papers_out_but_not_those_in_another(folder, store):
    new = write_digest(
        folder, "2025-01-10.md", "2025-01-10", ["2501.00010", ("2501.00003", 2, "Version two.")]
    )
    triage, open_digests = opened(folder, store)
    triage.toggle_star(triage.papers[3])  # 2501.00010, which will leave
    triage.selection.toggle(3)
    triage.selection.toggle(0)
    new.unlink()
    update = open_digests.update(removed=[new])
    assert update.changes == (FileChange("removed", "2025-01-10", gone=1, kept=1),)
    assert describe(update.changes) == ("2025-01-10 removed: 1 paper left the view; "
                                        "1 stay, in other digests")  # fmt: skip
    triage.apply_update(update)
    assert ids(triage) == ["2501.00001", "2501.00002", "2501.00003"]
    # The paper in both digests is the older digest's record again.
    assert triage.papers[2].version == 1 and len(triage.papers[2].digests) == 1
    assert triage.counts().starred == 0 and triage.counts().papers == 3
    assert store.state("2501.00010").starred  # its state stays
    assert list(triage.selection) == [0]  # a paper out of sight leaves the selection
    assert len(triage.digests) == 1 and triage.position_of("2501.00010") is None


def test_a_paper_in_two_digests_moves_to_the_one_left(folder, store):
    write_digest(folder, "2025-01-10.md", "2025-01-10", ["2501.00010", "2501.00002"])
    triage, open_digests = opened(folder, store)
    assert ids(triage) == ["2501.00001", "2501.00002", "2501.00003", "2501.00010"]
    (folder / "2025-01-03.md").unlink()
    update = open_digests.update(removed=[folder / "2025-01-03.md"])
    triage.apply_update(update)
    # 2501.00002 now sits with the digest that still holds it, in that digest's order.
    assert ids(triage) == ["2501.00010", "2501.00002"]
    assert triage.index_of("2501.00002") == 1  # the same index: one paper, one index
    assert triage.digest_table()[0][1:] == (2, 2)


def test_an_older_digest_takes_its_place_in_digest_order(folder, store):
    triage, open_digests = opened(folder, store)
    triage.set_filter("unread")
    old = write_digest(folder, "2024-12-20.md", "2024-12-20", ["2412.00001", "2412.00002"])
    update = open_digests.update(read=[read(old)])
    assert update.place is not None
    triage.apply_update(update)
    assert ids(triage) == ["2412.00001", "2412.00002", "2501.00001", "2501.00002", "2501.00003"]
    assert [ref.label for ref in triage.digests] == ["2024-12-20", "2025-01-03"]
    assert triage.row(0) == -1  # the older digest's divider comes first
    triage.set_filter("all")  # rebuilt from scratch: the same order
    assert ids(triage)[:2] == ["2412.00001", "2412.00002"]


def test_the_view_keeps_its_papers_filter_search_and_selection(folder, store):
    triage, open_digests = opened(folder, store)
    triage.set_filter("unread")
    triage.set_search([0, 1], ["paper"])
    triage.mark_read([triage.papers[1]])  # read under "unread": stays until the view changes
    triage.selection.toggle(1)
    new = write_digest(folder, "2025-01-10.md", "2025-01-10", ["2501.00010"])
    triage.apply_update(open_digests.update(read=[read(new)]))
    # The search has not seen the new paper yet (the app runs it again): the view is
    # what it was, the paper read under "unread" still in place.
    assert ids(triage) == ["2501.00001", "2501.00002"]
    assert triage.filter == "unread" and triage.search_terms == ("paper",)
    assert list(triage.selection) == [1]
    triage.set_search([0, 1, 3], ["paper"])
    assert ids(triage) == ["2501.00001", "2501.00010"]


def test_a_sorted_view_takes_new_papers_at_its_end_until_reordered(folder, store):
    triage, open_digests = opened(folder, store)
    triage.set_sort("title")
    new = write_digest(folder, "2025-01-10.md", "2025-01-10", ["2501.00000"])
    triage.apply_update(open_digests.update(read=[read(new)]))
    assert ids(triage)[-1] == "2501.00000"
    triage.reorder()
    assert ids(triage)[0] == "2501.00000"  # "Paper 2501.00000" sorts first by title


def test_a_digest_brought_back_brings_back_the_same_indices(folder, store):
    new = write_digest(folder, "2025-01-10.md", "2025-01-10", ["2501.00010"])
    triage, open_digests = opened(folder, store)
    text = new.read_text(encoding="utf-8")
    new.unlink()
    triage.apply_update(open_digests.update(removed=[new]))
    assert triage.counts().papers == 3
    new.write_text(text, encoding="utf-8")
    update = open_digests.update(read=[read(new)])
    assert update.added == () and update.entering == (3,)
    triage.apply_update(update)
    assert ids(triage)[-1] == "2501.00010" and len(triage.papers) == 4


def test_a_renamed_file_is_a_rename_not_papers_leaving_and_coming(folder, store):
    triage, open_digests = opened(folder, store)
    old = folder / "2025-01-03.md"
    renamed = old.rename(folder / "cs-2025-01-03.md")
    update = open_digests.update(read=[read(renamed)], removed=[old])
    assert update.changes == (FileChange("renamed", "2025-01-03", renamed_from="2025-01-03.md"),)
    assert describe(update.changes) == "2025-01-03.md renamed: now 2025-01-03"
    assert update.entering == () and update.leaving == ()
    triage.apply_update(update)
    assert triage.papers[0].source.path == renamed and triage.counts().papers == 3


def test_a_second_file_with_the_same_date_names_both(folder, store):
    triage, open_digests = opened(folder, store)
    other = write_digest(folder, "cs-CV.md", "2025-01-03", ["2501.00020"])
    update = open_digests.update(read=[read(other)])
    assert sorted(ref.label for ref in update.digests) == ["2025-01-03 (2025-01-03.md)",
                                                           "2025-01-03 (cs-CV.md)"]  # fmt: skip
    triage.apply_update(update)
    assert {paper.source.label for paper in triage.papers} == {
        "2025-01-03 (2025-01-03.md)", "2025-01-03 (cs-CV.md)"}  # fmt: skip
    other.unlink()
    update = open_digests.update(removed=[other])
    assert [ref.label for ref in update.digests] == ["2025-01-03"]


def test_many_files_at_once_are_summed_up():
    changes = [FileChange("new", f"2025-02-{day:02}", new=38) for day in range(1, 29)]
    changes += [FileChange("removed", "2025-01-03", gone=30), FileChange("removed", "x", gone=1)]
    assert describe(changes) == ("28 new digests: 1,064 new papers\n"
                                 "2 digests removed: 31 papers left the view")  # fmt: skip


def test_counts_kept_as_papers_come_and_go_equal_counting_afresh(folder, store):
    """The update counts only what comes, goes or changes digest: after a run of updates
    the counts, the digests' counts and the divider rows are what a full count gives."""
    triage, open_digests = opened(folder, store)
    triage.toggle_star(triage.papers[0])
    triage.mark_read(triage.papers[1:3])

    def check() -> None:
        counted = (triage.counts(), triage.digest_table(),
                   [triage.row(y) for y in range(triage.row_count())])  # fmt: skip
        homes = [0] * len(triage.digests)
        for index, paper in enumerate(triage.papers):
            if index not in triage.gone:
                homes[triage.home(paper)] += 1
        triage.recount()
        triage._view_reordered()
        assert [papers for _, papers, _ in triage.digest_table()] == homes
        assert counted == (triage.counts(), triage.digest_table(),
                           [triage.row(y) for y in range(triage.row_count())])  # fmt: skip

    b = write_digest(folder, "2025-01-10.md", "2025-01-10", ["2501.00010", "2501.00002"])
    triage.apply_update(open_digests.update(read=[read(b)]))
    check()
    c = write_digest(folder, "2025-01-17.md", "2025-01-17", ["2501.00017"])
    triage.apply_update(open_digests.update(read=[read(c)]))
    check()
    triage.mark_read([triage.papers[triage.index_of("2501.00017")]])
    (folder / "2025-01-03.md").unlink()  # 2501.00002 moves home to 2025-01-10
    triage.apply_update(open_digests.update(removed=[folder / "2025-01-03.md"]))
    check()
    old = write_digest(folder, "2024-12-20.md", "2024-12-20", ["2412.00001", "2501.00017"])
    twin = write_digest(folder, "twin.md", "2025-01-10", ["2501.00099"])  # relabels 01-10
    triage.apply_update(open_digests.update(read=[read(old), read(twin)]))
    check()
    assert triage.counts().papers == 5
