"""The relevance model and paper similarity (tui_reader.ranking), without the app."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
from pathlib import Path

import pytest

from bench.bench_rank import average_precision
from tests.conftest import SEED_DIGEST
from tui_reader.digest import load_library
from tui_reader.model import DigestRef, Paper
from tui_reader.ranking import (
    RelevanceModel,
    TextFeatures,
    collect_judgements,
    judgement,
    paper_text,
)
from tui_reader.store import PaperState

DIGEST = DigestRef(dt.date(2025, 1, 3), Path("digest.md"))

TOPICS = {
    "quant": "quantization of weights to low bit integers with calibration and rounding error",
    "graph": "graph neural networks message passing over nodes and edges of molecules",
    "video": "video generation with temporal diffusion frames and motion consistency",
    "robot": "robot manipulation policies grasping objects with tactile feedback",
}


def make_paper(index: int, title: str, abstract: str = "", keywords=(), topics=()) -> Paper:
    return Paper(
        arxiv_id=f"2501.{index:05d}",
        version=1,
        title=title,
        authors=("A. Author",),
        date=DIGEST.date,
        url=f"http://arxiv.org/abs/2501.{index:05d}v1",
        abstract=abstract,
        bold_spans=(),
        keywords=tuple(keywords),
        source=DIGEST,
        digests=(DIGEST,),
        topics=tuple(topics),
    )


def topic_corpus(per_topic: int = 6) -> tuple[list[Paper], list[str]]:
    """Papers of four topics, interleaved so digest order mixes them; and each one's topic."""
    papers, labels = [], []
    for round_ in range(per_topic):
        for name, words in TOPICS.items():
            index = len(papers)
            shared = "we propose a method and evaluate it on standard benchmarks"
            papers.append(
                make_paper(
                    index,
                    f"{words.split()[0].title()} study {round_}",
                    f"{shared}. Our work on {words} improves results {round_}.",
                )
            )
            labels.append(name)
    return papers, labels


def judge(labels: list[str], liked: str, count: int) -> dict[int, bool]:
    """The first ``count`` papers read, those of ``liked`` starred."""
    return {i: labels[i] == liked for i in range(count)}


def test_importing_ranking_imports_neither_sklearn_nor_numpy_nor_textual():
    code = (
        "import sys, tui_reader.ranking\n"
        "heavy = [m for m in ('sklearn', 'numpy', 'scipy', 'textual') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_cli_and_the_app_start_without_the_ranking_or_its_libraries():
    code = (
        "import sys, tui_reader.cli, tui_reader.ui.app\n"
        "heavy = [m for m in ('sklearn', 'numpy', 'scipy', 'tui_reader.ranking')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_fallback_ranks_without_importing_sklearn():
    code = (
        "import sys\n"
        "from tests.test_ranking import topic_corpus, judge\n"
        "from tui_reader.ranking import RelevanceModel\n"
        "papers, labels = topic_corpus()\n"
        "ranking = RelevanceModel().fit(papers, judge(labels, 'quant', 8), ['tactile'])\n"
        "assert ranking.method == 'keywords', ranking.method\n"
        "assert 'sklearn' not in sys.modules\n"
    )
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


@pytest.mark.parametrize(("stars", "negatives"), [(2, 10), (10, 2), (0, 0)])
def test_below_the_threshold_the_keyword_fallback_ranks(stars, negatives):
    papers = [
        make_paper(0, "Plain paper", "nothing special here"),
        make_paper(1, "Another paper", "a method", keywords=("sparse",)),
        make_paper(2, "Tactile robots", "robot grasping with tactile sensing"),
        make_paper(3, "Sparse pruning", "we prune", keywords=("sparse", "pruning")),
    ]
    papers += [make_paper(4 + i, f"Filler {i}", "filler text") for i in range(20)]
    judgements = {4 + i: True for i in range(stars)}
    judgements |= {4 + stars + i: False for i in range(negatives)}
    ranking = RelevanceModel().fit(papers, judgements, words=["TACTILE", " "])
    assert ranking.method == "keywords"
    assert "learning needs 3 and 3" in ranking.detail
    # The user's word (3) beats two keywords (2), which beat one (1), which beats none.
    assert ranking.order(range(4)) == [2, 3, 1, 0]
    assert ranking.why(2) == ["tactile"]
    assert ranking.why(3) == ["sparse", "pruning"]
    assert ranking.why(0) == []


def test_the_fallback_prefers_keywords_of_starred_papers():
    papers = [
        make_paper(0, "One", "x", keywords=("pruning",)),
        make_paper(1, "Two", "x", keywords=("quantization",)),
        make_paper(2, "Starred", "x", keywords=("quantization",)),
    ]
    ranking = RelevanceModel().fit(papers, {2: True})
    assert ranking.order([0, 1]) == [1, 0]
    assert ranking.score(1) > ranking.score(0)


def test_at_the_threshold_the_model_learns_and_ranks_the_starred_topic_first():
    papers, labels = topic_corpus()
    judgements = judge(labels, "quant", 8)  # two quant papers starred, six others read
    judgements[8] = True  # a third star: 3 stars, 6 negatives
    ranking = RelevanceModel().fit(papers, judgements)
    assert ranking.method == "model"
    assert ranking.detail == "learned from 3 starred and 6 read-only papers"
    unread = [i for i in range(len(papers)) if i not in judgements]
    remaining_quant = [i for i in unread if labels[i] == "quant"]
    assert sorted(ranking.order(unread)[: len(remaining_quant)]) == remaining_quant
    # Digest order would have put them every fourth.
    assert unread[: len(remaining_quant)] != remaining_quant


def test_why_names_terms_of_the_starred_topic():
    papers, labels = topic_corpus()
    ranking = RelevanceModel().fit(papers, judge(labels, "graph", 12))
    best = ranking.order(range(12, len(papers)))[0]
    assert labels[best] == "graph"
    reasons = ranking.why(best, n=3)
    assert 1 <= len(reasons) <= 3
    assert any(word in TOPICS["graph"] for reason in reasons for word in reason.split())
    with pytest.raises(IndexError):
        ranking.why(len(papers))


def test_for_the_reader_the_training_examples_follow_and_say_so():
    papers, labels = topic_corpus()
    judgements = judge(labels, "quant", 12)
    ranking = RelevanceModel().fit(papers, judgements)
    order = ranking.for_reader()
    assert set(order[-len(judgements) :]) == set(judgements)
    assert ranking.order(order[: -len(judgements)]) == order[: -len(judgements)]
    starred = next(i for i, liked in judgements.items() if liked)
    read = next(i for i, liked in judgements.items() if not liked)
    assert ranking.judged(starred) is True and ranking.judged(read) is False
    assert ranking.judged(order[0]) is None
    flat = RelevanceModel().fit(papers, {0: True})  # the fallback knows its judgements too
    assert flat.judged(0) is True and flat.for_reader()[-1] == 0


def test_fitting_twice_gives_the_same_scores():
    papers, labels = topic_corpus()
    features = TextFeatures.build(papers)
    first = RelevanceModel().fit(papers, judge(labels, "video", 12), features=features)
    second = RelevanceModel().fit(papers, judge(labels, "video", 12))
    assert first.scores == second.scores


def test_equal_scores_keep_digest_order():
    papers, labels = topic_corpus()
    twin = papers[5]
    papers += [make_paper(len(papers) + i, twin.title, twin.abstract) for i in range(3)]
    ranking = RelevanceModel().fit(papers, judge(labels, "quant", 12))
    twins = [5, *range(len(papers) - 3, len(papers))]
    assert len({ranking.score(i) for i in twins}) == 1
    order = ranking.order(reversed(range(len(papers))))
    assert [i for i in order if i in twins] == twins
    # The fallback scores most papers 0: they too stay in digest order.
    flat = RelevanceModel().fit(papers, {})
    assert flat.order(reversed(range(len(papers)))) == list(range(len(papers)))


def test_a_paper_without_an_abstract_is_scored_from_title_keywords_and_topics():
    papers, labels = topic_corpus()
    bare = make_paper(
        len(papers), "Low bit quantization of weights", keywords=("calibration",), topics=("Quant",)
    )
    papers.append(bare)
    assert "calibration" in paper_text(bare) and "Quant" in paper_text(bare)
    ranking = RelevanceModel().fit(papers, judge(labels, "quant", 12))
    score = ranking.score(len(papers) - 1)
    assert math.isfinite(score)
    others = [i for i in range(12, len(papers) - 1) if labels[i] != "quant"]
    assert all(score > ranking.score(i) for i in others)
    assert ranking.why(len(papers) - 1)


def test_similar_finds_the_same_topic_first():
    papers, labels = topic_corpus()
    features = TextFeatures.build(papers)
    nearest = features.similar(6, k=5)
    assert len(nearest) == 5
    assert 6 not in [i for i, _ in nearest]
    assert labels[nearest[0][0]] == labels[6]
    sims = [s for _, s in nearest]
    assert sims == sorted(sims, reverse=True) and 0 < sims[0] <= 1.0001
    same_topic = sum(1 for i, _ in nearest if labels[i] == labels[6])
    assert same_topic == 5
    with pytest.raises(IndexError):
        features.similar(len(papers))


def test_similar_on_the_sample_digest():
    papers = load_library([SEED_DIGEST]).papers
    features = TextFeatures.build(papers)
    mbq = next(i for i, p in enumerate(papers) if p.title.startswith("MBQ"))
    nearest = [papers[i] for i, _ in features.similar(mbq, k=5, at_least=0.0)]
    about_quantization = ["quantiz" in (p.title + p.abstract).lower() for p in nearest]
    # 8 of the sample's 30 papers mention quantization; the nearest is one, and most of 5.
    assert about_quantization[0] and sum(about_quantization) >= 3
    # Of those, only the close ones are "like" it: two, both on quantization.
    close = [papers[i] for i, _ in features.similar(mbq, k=5)]
    assert close == nearest[:2] and all("quantiz" in p.abstract.lower() for p in close)
    # The neuroscience paper has no neighbour nearer than 0.032: nothing is close.
    assert features.similar(0, k=5) == [] and features.similar(0, k=5, at_least=0.0)


def test_a_sample_reader_of_quantization_gets_quantization_papers_first():
    papers = load_library([SEED_DIGEST]).papers
    liked = {i for i, p in enumerate(papers) if "quantization" in p.keywords}
    judgements = {i: i in liked for i in range(15)}  # read the first half, starred 3
    assert sum(judgements.values()) == 3
    ranking = RelevanceModel().fit(papers, judgements)
    assert ranking.method == "model"
    unread = list(range(15, len(papers)))
    order = ranking.order(unread)
    assert order[0] in liked
    assert "quantization" in ranking.why(order[0])
    relevant = liked & set(unread)
    assert average_precision(order, relevant) > 2 * average_precision(unread, relevant)


def test_judgement_of_a_state():
    assert judgement(read=True, starred=True) is True
    assert judgement(read=False, starred=True) is True
    assert judgement(read=True, starred=False) is False
    assert judgement(read=False, starred=False) is None
    papers = [make_paper(i, f"Paper {i}") for i in range(4)]
    states = {
        papers[0].arxiv_id: PaperState(read=True, starred=False),
        papers[1].arxiv_id: PaperState(read=False, starred=True),
        papers[3].arxiv_id: PaperState(read=False, starred=False),
    }
    got = collect_judgements(papers, lambda arxiv_id: states.get(arxiv_id, PaperState()))
    assert got == {0: False, 1: True}


def test_bad_judgement_index_and_mismatched_features_are_errors():
    papers, labels = topic_corpus()
    with pytest.raises(IndexError):
        RelevanceModel().fit(papers, {len(papers): True})
    features = TextFeatures.build(papers[:10])
    with pytest.raises(ValueError):
        RelevanceModel().fit(papers, judge(labels, "quant", 12), features=features)


def test_papers_with_no_usable_words_fall_back():
    papers = [make_paper(i, "the a", "") for i in range(8)]
    ranking = RelevanceModel().fit(papers, {i: i < 4 for i in range(8)})
    assert ranking.method == "keywords"
    assert TextFeatures.build(papers).similar(0) == []
