"""RankingService: counting as papers arrive, debounced fits, similar papers, in a thread."""

from __future__ import annotations

import dataclasses
import queue
import subprocess
import sys
import threading
import time

import pytest

from tests.test_ranking import TOPICS, make_paper, topic_corpus
from tui_reader.clock import FakeClock
from tui_reader.ranking import TextFeatures
from tui_reader.ranking.service import RankedPapers, RankingService, SimilarPapers
from tui_reader.store import PaperState


class States:
    """A stand-in for ``store.state`` that tests change while the worker runs."""

    def __init__(self) -> None:
        self.states: dict[str, PaperState] = {}

    def __call__(self, arxiv_id: str) -> PaperState:
        return self.states.get(arxiv_id, PaperState())

    def judge(self, paper, *, starred: bool) -> None:
        self.states[paper.arxiv_id] = PaperState(read=True, starred=starred)


@pytest.fixture
def running():
    """Start a service in a thread; yields (service, results queue, states)."""
    started = []

    def start(**options):
        results: queue.Queue = queue.Queue()
        states = States()
        service = RankingService(states, publish=results.put, count_pause=0, **options)
        thread = threading.Thread(target=service.run, daemon=True)
        thread.start()
        started.append((service, thread))
        return service, results, states

    yield start
    for service, thread in started:
        service.stop()
        thread.join(PATIENCE)  # it may still be importing scikit-learn on a busy machine
        assert not thread.is_alive()


PATIENCE = 120  # seconds a busy machine may take; only a failing test waits this long


def next_result(results: queue.Queue, kind: type, timeout: float = PATIENCE):
    deadline = time.monotonic() + timeout
    while True:
        item = results.get(timeout=max(0.01, deadline - time.monotonic()))
        if isinstance(item, kind):
            return item


def test_importing_the_service_imports_nothing_heavy():
    code = (
        "import sys, tui_reader.ranking.service\n"
        "heavy = [m for m in ('sklearn', 'numpy', 'scipy', 'textual') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_papers_handed_over_in_batches_rank_as_one_list(running):
    papers, labels = topic_corpus(per_topic=8)
    service, results, states = running(count_chunk=7)
    for start in range(0, len(papers), 5):  # batches that do not line up with chunks
        service.add_papers(papers[start : start + 5])
    for index in range(16):
        states.judge(papers[index], starred=labels[index] == "graph")
    service.request_fit()
    ranked = next_result(results, RankedPapers)
    assert ranked.papers == len(papers)
    assert ranked.ranking.method == "model"
    unjudged = range(16, len(papers))
    top = ranked.ranking.order(unjudged)[:4]
    assert {labels[i] for i in top} == {"graph"}
    # The same scores as features built in one go: chunked counting changes nothing.
    direct = ranked.ranking.scores
    whole = TextFeatures.build(papers)
    from tui_reader.ranking import RelevanceModel, collect_judgements

    again = RelevanceModel().fit(papers, collect_judgements(papers, states), features=whole)
    assert direct == pytest.approx(again.scores, abs=1e-5)
    assert "graph" in " ".join(ranked.ranking.why(top[0]))


def test_a_fit_waits_for_its_deadline_and_the_last_request_wins(running):
    papers, _ = topic_corpus()
    clock = FakeClock()  # the deadlines are on it: exact, however busy the machine
    service, results, _ = running(clock=clock)
    service.add_papers(papers)
    service.request_fit(delay=0.4)
    clock.advance(0.2)
    service.request_fit(delay=0.4)  # a second star within the debounce moves the deadline
    clock.advance(0.3)  # past the first deadline, not the second
    deadline = time.monotonic() + PATIENCE
    while service.counted < len(papers):  # counted: only the deadline holds the fit back
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.3)  # the worker looks at the clock every 0.1 s
    assert results.empty(), "a fit before the last request's deadline"
    clock.advance(0.2)  # past it (exactly at it, 0.2 + 0.4 is a hair above 0.6 in floats)
    ranked = next_result(results, RankedPapers)
    assert ranked.ranking.method == "keywords"  # no judgements yet: the fallback
    clock.advance(1.0)
    time.sleep(0.3)
    assert results.empty(), "two requests inside the debounce make one fit"


def test_a_replaced_paper_is_counted_again(running):
    papers, _ = topic_corpus(per_topic=2)
    service, results, _ = running(count_chunk=3)
    service.add_papers(papers)
    service.request_fit()
    next_result(results, RankedPapers)
    newer = dataclasses.replace(papers[1], abstract=TOPICS["robot"])
    service.add_papers([], [(1, newer)])
    service.request_similar(1, k=3)
    similar = next_result(results, SimilarPapers)
    expected = TextFeatures.build([*papers[:1], newer, *papers[2:]]).similar(1, k=3)
    assert [i for i, _ in similar.neighbours] == [i for i, _ in expected]


def test_papers_arriving_after_a_fit_are_counted_before_the_next(running):
    papers, _ = topic_corpus()
    service, results, _ = running(count_chunk=4)
    service.add_papers(papers[:10])
    service.request_fit()
    assert next_result(results, RankedPapers).papers == 10
    service.add_papers(papers[10:])
    service.request_fit()
    assert next_result(results, RankedPapers).papers == len(papers)
    assert service.counted == len(papers)


def test_similar_names_the_paper_and_its_nearest(running):
    papers, labels = topic_corpus()
    service, results, _ = running()
    service.add_papers(papers)
    service.request_similar(0, k=4)
    similar = next_result(results, SimilarPapers)
    assert similar.index == 0 and similar.arxiv_id == papers[0].arxiv_id
    assert {labels[i] for i, _ in similar.neighbours} == {labels[0]}
    assert all(0 < cosine <= 1 for _, cosine in similar.neighbours)


def test_a_paper_without_an_abstract_is_ranked_too(running):
    papers, labels = topic_corpus()
    bare = make_paper(len(papers), "Graph neural networks for molecules")
    service, results, states = running()
    service.add_papers([*papers, bare])
    for index in range(12):
        states.judge(papers[index], starred=labels[index] == "graph")
    service.request_fit()
    ranking = next_result(results, RankedPapers).ranking
    assert ranking.order(range(12, len(papers) + 1)).index(len(papers)) < 4


def test_cancelled_stops_the_worker_while_idle():
    service = RankingService(States(), publish=lambda result: None)
    cancelled = threading.Event()
    thread = threading.Thread(target=service.run, args=(cancelled.is_set,), daemon=True)
    thread.start()
    cancelled.set()
    thread.join(PATIENCE)  # first it imports scikit-learn, seconds on a busy machine
    assert not thread.is_alive()


def test_run_until_idle_returns_and_a_request_asks_for_a_new_run():
    papers, _ = topic_corpus(per_topic=2)
    results: queue.Queue = queue.Queue()
    service = RankingService(States(), publish=results.put, count_pause=0)
    assert service.add_papers(papers) is True  # nobody runs: start one
    assert service.request_fit() is False  # one is (about to be) running
    service.run(until_idle=True)  # counts, fits, then returns: nothing left
    assert next_result(results, RankedPapers, timeout=0.1).papers == len(papers)
    assert service.request_similar(0, k=2) is True
    service.run(until_idle=True)
    assert next_result(results, SimilarPapers, timeout=0.1).index == 0
    assert service.request_fit(delay=0.2) is True
    asked = time.monotonic()
    service.run(until_idle=True)  # a pending fit keeps the run alive until it is done
    assert time.monotonic() - asked >= 0.15
    assert next_result(results, RankedPapers, timeout=0.1).papers == len(papers)
