"""Triage's "for you" order: scores from the ranking sort the view, filters still apply."""

from __future__ import annotations

import pytest

from tests import test_triage

triage = test_triage.triage  # the fixture: the seed digest's Triage


def test_for_you_sorts_by_score_and_ties_keep_digest_order(triage):
    count = len(triage.papers)
    scores = [0.0] * count
    scores[7], scores[3], scores[20] = 2.0, 1.0, 1.0
    triage.set_scores(scores)
    assert triage.view == list(range(count))  # digest order until asked
    triage.set_sort("for you")
    assert triage.view[:3] == [7, 3, 20]
    assert triage.view[3:] == [i for i in range(count) if i not in (7, 3, 20)]
    triage.set_sort("digest")
    assert triage.view == list(range(count))


def test_new_scores_resort_and_the_caller_finds_its_paper(triage):
    triage.set_sort("for you")
    assert triage.view == list(range(len(triage.papers)))  # no scores yet: digest order
    current = triage.papers[5].arxiv_id
    triage.set_scores([float(i == 5) for i in range(len(triage.papers))])
    assert triage.position_of(current) == 0
    assert triage.score_of(5) == 1.0 and triage.score_of(0) == 0.0


def test_for_you_within_a_filter_and_papers_without_a_score_last(triage):
    store = triage.store
    store.set_starred([triage.papers[2], triage.papers[9]], True)
    triage.set_scores([float(i) for i in range(len(triage.papers) - 1)])  # the last unscored
    triage.set_sort("for you")
    assert triage.view[-1] == len(triage.papers) - 1
    assert triage.score_of(len(triage.papers) - 1) is None
    triage.set_filter("starred")
    assert triage.view == [9, 2]


def test_unknown_sort_is_refused(triage):
    with pytest.raises(ValueError, match="unknown sort"):
        triage.set_sort("random")
