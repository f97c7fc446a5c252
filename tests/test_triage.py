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
        "import sys, tui_reader.triage, tui_reader.export, tui_reader.sanitize, "
        "tui_reader.search, tui_reader.ui.session; "
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


def test_next_unread_goes_round_the_end(triage):
    papers = triage.papers
    triage.mark_read(papers[1:])
    assert triage.next_unread_round(29, 1) == (0, True)
    assert triage.next_unread_round(5, -1) == (0, False)
    assert triage.next_unread_round(0, 1) == (None, False)  # only itself is unread
    triage.mark_read([papers[0]])
    assert triage.next_unread_round(0, 1) == (None, False)
    assert triage.unread_in_view() == 0


def test_star_and_read_is_one_undo_step(triage):
    paper = triage.papers[3]
    triage.star_and_read(paper)
    assert triage.counts() == Counts(papers=30, unread=29, starred=1, noted=0)
    assert triage.undo() == {paper.arxiv_id}
    assert triage.counts() == Counts(papers=30, unread=30, starred=0, noted=0)
    triage.toggle_read(paper)
    triage.star_and_read(paper)  # already read: only the star changes
    assert triage.undo() == {paper.arxiv_id}
    assert triage.store.state(paper.arxiv_id).read
    assert not triage.store.state(paper.arxiv_id).starred


def two_digest_triage(tmp_path, store):
    later = tmp_path / "2025-01-04.md"
    later.write_text(
        "# 2025-01-04\n\n## A later paper\n\n>Authors: A. Author\n\n>2025-01-02\n\n"
        "> http://arxiv.org/abs/2501.00001v1\n\nText.\n",
        encoding="utf-8",
    )
    triage = Triage(store)
    triage.add_papers(load_library([SEED_DIGEST, later]).papers)
    return triage


def test_one_digest_has_no_dividers(triage):
    assert triage.row_count() == 30
    assert [triage.row(y) for y in (0, 29, 30)] == [0, 29, None]
    assert triage.row_of(7) == 7
    assert triage.digest_summary(0) is None


def test_a_divider_row_heads_each_digest(tmp_path, triage):
    two = two_digest_triage(tmp_path, triage.store)
    assert two.row_count() == 33
    assert two.row(0) == -1 and two.row(1) == 0 and two.row(31) == -2 and two.row(32) == 30
    assert two.row_of(0) == 1 and two.row_of(30) == 32
    assert two.digest_line(0) == "2025-01-03 · 30 papers · 30 unread"
    assert two.digest_line(1) == "2025-01-04 · 1 paper · 1 unread"
    two.mark_read(two.papers[:2])
    assert two.digest_line(0) == "2025-01-03 · 30 papers · 28 unread"
    assert two.digest_summary(5) == "2025-01-03 1/2 (28 unread)"
    assert two.digest_summary(30) == "2025-01-04 2/2 (1 unread)"
    assert [(ref.label, papers, unread) for ref, papers, unread in two.digest_table()] == [
        ("2025-01-03", 30, 28),
        ("2025-01-04", 1, 1),
    ]
    two.set_filter("unread")  # the view shrinks; the rows follow it
    assert two.row_count() == 28 + 1 + 2
    assert two.digest_position(1) == 28
    two.set_filter("starred")
    assert two.row_count() == 0 and two.digest_position(0) is None


def test_papers_arriving_in_batches_get_the_same_rows(tmp_path, triage):
    whole = two_digest_triage(tmp_path, triage.store)
    batched = Triage(triage.store)
    papers = list(whole.papers)
    for start in range(0, len(papers), 7):
        batched.add_papers(papers[start : start + 7])
    rows = [batched.row(y) for y in range(batched.row_count())]
    assert rows == [whole.row(y) for y in range(whole.row_count())]


def test_a_session_is_kept_per_set_of_paths(tmp_path, triage):
    from tui_reader.ui.session import Session, load_session, save_session, session_key

    store = triage.store
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    assert session_key([a, b]) == session_key([b, tmp_path / "." / "a.md"])
    assert session_key([a]) != session_key([a, b])
    assert load_session(store, [a, b]) == Session()
    save_session(store, [a, b], Session("2412.21188", "unread", "song han", "title"))
    assert load_session(store, [b, a]) == Session("2412.21188", "unread", "song han", "title")
    assert load_session(store, [a]) == Session()
    store.set_setting(session_key([a]), {"paper": 3, "filter": "all", "search": ""})
    assert load_session(store, [a]) == Session()  # malformed: a clean start


def test_a_session_without_a_known_sort_keeps_digest_order(tmp_path, triage):
    from tui_reader.ui.session import Session, load_session, session_key

    store, a = triage.store, tmp_path / "a.md"
    old = {"paper": "2412.21188", "filter": "all", "search": ""}  # written before sorts were kept
    store.set_setting(session_key([a]), old)
    assert load_session(store, [a]) == Session("2412.21188")
    store.set_setting(session_key([a]), {**old, "sort": "shoe size"})
    assert load_session(store, [a]).sort == "digest"


def undated_folder(tmp_path):
    """Seven digests: three dated by their heading, one by its papers (zeta.md), two
    with no date at all (alpha, beta), and one whose paper 1 is a newer version of a
    paper first seen in 2025-01-03 (its record then comes from the later file)."""

    def paper(i, date="2025-01-01", version=1):
        return (f"## Paper {i}\n\n>Authors: A. Author\n\n>{date}\n\n"
                f"> http://arxiv.org/abs/2501.{i:05d}v{version}\n\nText {i}.\n\n")  # fmt: skip

    folder = tmp_path / "digests"
    folder.mkdir()
    for day, ids in (("2025-01-03", [1, 2]), ("2025-01-05", [3, 4]), ("2025-01-07", [5])):
        (folder / f"{day}.md").write_text(f"# {day}\n\n" + "".join(paper(i) for i in ids))
    (folder / "2025-01-06.md").write_text("# 2025-01-06\n\n" + paper(11) + paper(1, version=2))
    (folder / "zeta.md").write_text("# Contents\n\n" + paper(6, "2025-01-04") + paper(7))
    (folder / "alpha.txt").write_text(
        "Links\n\nhttps://arxiv.org/abs/2501.00008 One\n\nhttps://arxiv.org/abs/2501.00009 Two\n"
    )
    (folder / "beta.txt").write_text("More\n\nhttps://arxiv.org/abs/2501.00010 Three\n")
    (folder / "2024-09-27.md").write_text("# 2024-09-29\n\n" + paper(12, "2024-09-26"))
    return folder


@pytest.mark.parametrize("batch", [1, 3, 100])
def test_one_digest_order_everywhere_undated_ones_last(tmp_path, batch):
    store = StateStore.open(tmp_path / "state.json", background=False)
    papers = load_library([undated_folder(tmp_path)]).papers
    triage = Triage(store)
    for start in range(0, len(papers), batch):
        triage.add_papers(papers[start : start + batch])
    labels = [ref.label for ref in triage.digests]
    assert labels == ["2024-09-29 (2024-09-27.md)", "2025-01-03", "2025-01-04 (zeta.md)",
                      "2025-01-05", "2025-01-06", "2025-01-07", "alpha", "beta"]  # fmt: skip
    # The list shows the digests in that order, and the header counts them so.
    homes = [triage.home(triage.papers[index]) for index in triage.view]
    assert homes == sorted(homes)
    positions, position = [0], 0
    while (position := triage.digest_start(position, 1)) is not None:  # ] from the top
        positions.append(position)
    numbers = [triage.digest_summary(p).rsplit(" (", 1)[0].rsplit(" ", 1)[-1] for p in positions]
    assert numbers == [f"{n}/8" for n in range(1, 9)]
    dividers = [-1 - row for y in range(triage.row_count()) if (row := triage.row(y)) < 0]
    assert dividers == list(range(8))
    assert [ref.label for ref, _, _ in triage.digest_table()] == labels  # the picker
    store.close()
