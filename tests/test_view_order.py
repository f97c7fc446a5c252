"""Sort, "for you" scores and the selection of the triage view, without a screen."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from tests import test_triage
from tests.conftest import SEED_DIGEST
from tui_reader.digest import load_library
from tui_reader.query import sort_indices
from tui_reader.selection import Selection
from tui_reader.store import StateStore
from tui_reader.triage import Triage
from tui_reader.view_order import APP_SORTS, FOR_YOU

triage = test_triage.triage  # the fixture: the seed digest's Triage


def ids(triage: Triage) -> list[str]:
    return [triage.papers[i].arxiv_id for i in triage.view]


def test_the_new_core_modules_do_not_import_textual():
    code = (
        "import sys, tui_reader.selection, tui_reader.view_order, tui_reader.search_box, "
        "tui_reader.tag_edit; assert 'textual' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


def test_selection_toggles_selects_all_and_clears():
    chosen = Selection()
    assert chosen.targets(4) == [4] and chosen.targets(None) == []
    assert chosen.toggle(7) is True and chosen.toggle(2) is True
    assert list(chosen) == [2, 7] and len(chosen) == 2 and 7 in chosen
    assert chosen.targets(4) == [2, 7]  # the selection, not the current paper
    assert chosen.toggle(7) is False and list(chosen) == [2]
    assert chosen.select_all([1, 2, 3]) == 2 and list(chosen) == [1, 2, 3]
    assert chosen.select_all([1, 2, 3]) == -3 and list(chosen) == []  # again: all out
    chosen.select_all([5, 6])
    assert chosen.clear() == 2 and chosen.targets(None) == []


def test_sorts_cycle_and_order_the_view_like_the_core(triage):
    papers = triage.papers
    assert triage.sort == "digest" and triage.sort_label() == "digest order"
    seen = []
    for _ in APP_SORTS:
        seen.append(triage.cycle_sort())
    assert seen == [*APP_SORTS[1:], "digest"]
    for name in ("date", "title", "author"):
        triage.set_sort(name)
        expected = sort_indices(papers, range(len(papers)), name)
        assert triage.view == expected, name
    assert [papers[i].title for i in triage.view] != [p.title for p in papers]
    triage.set_sort("digest")
    assert triage.view == list(range(len(papers)))
    with pytest.raises(ValueError, match="unknown sort"):
        triage.set_sort("colour")


def test_a_sort_survives_filter_and_search_and_new_papers(triage, tmp_path):
    triage.set_sort("title")
    triage.set_search([9, 3, 20, 1])
    titles = [triage.papers[i].title.casefold() for i in triage.view]
    assert sorted(triage.view) == [1, 3, 9, 20] and titles == sorted(titles)
    triage.set_search(None)
    triage.toggle_star(triage.papers[3])
    triage.set_filter("starred")
    assert triage.view == [3]
    triage.set_filter("all")
    # Papers loaded while sorted join the end (a sort of 100,000 papers per hand-over
    # would stall loading); reorder() at the end of loading puts them in place.
    store = StateStore.open(tmp_path / "other.json", background=False)
    later = Triage(store)
    later.set_sort("title")
    papers = load_library([SEED_DIGEST]).papers
    later.add_papers(papers[:10])
    first_ten = list(later.view)
    later.add_papers(papers[10:])
    assert later.view == first_ten + list(range(10, 30))
    later.reorder()
    assert later.view == triage.view
    store.close()


def test_for_you_waits_for_scores_then_ranks_and_keeps_ties_in_digest_order(triage):
    triage.set_sort("title")
    by_title = list(triage.view)
    triage.set_sort(FOR_YOU)
    assert triage.view == by_title  # no scores yet: the order stays
    assert triage.sort_label() == "for you (ranking…)"
    assert not triage.is_sorted()
    scores = [0.0] * len(triage.papers)
    scores[17], scores[4], scores[25] = 0.9, 0.5, 0.5
    scores[2] = math.nan  # no score: last
    triage.set_scores(scores[:-1])  # and paper 29 arrived after the ranking: last too
    assert triage.sort_label() == "for you"
    assert triage.view[:3] == [17, 4, 25]
    assert triage.view[-2:] == [2, 29]
    assert triage.view[3:-2] == [i for i in range(29) if i not in (17, 4, 25, 2)]
    triage.set_sort("digest")
    triage.set_scores([1.0 - i / 100 for i in range(30)][::-1])  # not for you: no re-sort
    assert triage.view == list(range(30))


def test_for_you_ranks_the_unjudged_papers_and_the_judged_follow(triage):
    triage.set_sort(FOR_YOU)
    scores = [i / 100 for i in range(30)]  # paper 29 best, paper 0 worst
    triage.set_scores(scores, judged=frozenset({29, 28, 3}))
    assert triage.view[:3] == [27, 26, 25]  # the best paper still to judge is on top
    assert triage.view[-3:] == [29, 28, 3]  # then the judged ones, best first too
    assert triage.judged == {29, 28, 3}
    triage.set_scores(scores)  # a ranking without judgements: plain score order
    assert triage.view[:2] == [29, 28]


def test_targets_are_the_selection_else_the_current_paper(triage):
    assert [p.arxiv_id for p in triage.targets(2)] == [triage.papers[2].arxiv_id]
    assert triage.targets(99) == [] and triage.targets(None) == []
    triage.selection.toggle(5)
    triage.selection.toggle(1)
    assert [p.arxiv_id for p in triage.targets(2)] == [
        triage.papers[1].arxiv_id,
        triage.papers[5].arxiv_id,
    ]


def test_prepare_sort_is_computed_once_per_set_of_papers(triage):
    first = triage.prepare_sort("author")
    assert triage.prepare_sort("author") is first
    assert sorted(first) == list(range(len(triage.papers)))


def test_starred_papers_come_from_the_digests_else_the_stores_snapshot(triage, tmp_path):
    gone = load_library([SEED_DIGEST]).papers[4]
    store = StateStore.open(tmp_path / "second.json", background=False)
    store.set_starred([gone], True)  # with its details, as the app stars
    store.set_starred(["2401.00001", triage.papers[7].arxiv_id], True)  # ids alone
    later = Triage(store)
    later.add_papers([p for p in triage.papers if p.arxiv_id != gone.arxiv_id])
    papers, missing = later.starred_papers()
    assert [p.arxiv_id for p in papers] == [gone.arxiv_id, triage.papers[7].arxiv_id]
    assert missing == ["2401.00001"]
    store.close()


def test_digest_dividers_show_only_in_digest_order(tmp_path, triage):
    two = test_triage.two_digest_triage(tmp_path, triage.store)
    assert two.row_count() == 33  # 31 papers and a divider per digest
    for name in ("date", "title", "author"):
        two.set_sort(name)
        assert two.row_count() == 31 and all(two.row(y) >= 0 for y in range(31)), name
        assert two.row_of(5) == 5
    two.set_sort("for you")
    two.set_scores([float(i % 3) for i in range(31)])
    assert two.row_count() == 31
    two.set_filter("unread")  # a rebuilt view under a sort: still no dividers
    assert two.row_count() == 31
    two.set_sort("digest")
    assert two.row_count() == 33 and two.row(0) == -1 and two.row(31) == -2
