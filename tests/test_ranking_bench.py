"""The ranking benchmark's own parts: topic-structured synthetic digests and its metrics."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest

from bench.bench_rank import average_precision, precision_at
from bench.synthetic import TOPICS, generate_digest, generate_labelled_digest
from tui_reader.digest import parse_digest


def test_without_topics_the_generator_writes_what_it_wrote_before_topics():
    # The digest hash of the generator as it was before topics existed (commit 368bfb0).
    text = generate_digest(300, seed=3) + "\n"
    assert hashlib.md5(text.encode()).hexdigest() == "27a833f8359d64e542d2037badeac46f"
    assert generate_labelled_digest(300, seed=3) == (text[:-1], {})


def test_topics_label_every_paper_and_put_their_words_in_it(tmp_path):
    text, labels = generate_labelled_digest(400, seed=1, topics=len(TOPICS))
    path = tmp_path / "topics.md"
    path.write_text(text, encoding="utf-8")
    papers = parse_digest(path).papers
    assert {p.arxiv_id for p in papers} == set(labels)
    counts = Counter(labels.values())
    assert set(counts) == set(range(len(TOPICS)))
    assert counts[0] > 2 * counts[len(TOPICS) - 1]  # unequal weights: the first is common
    for topic, (vocabulary, _keywords) in enumerate(TOPICS):
        words = set(vocabulary.split())
        own = [p for p in papers if labels[p.arxiv_id] == topic]
        carrying = [p for p in own if words & set((p.title + " " + p.abstract).lower().split())]
        assert len(carrying) > 0.7 * len(own)


def test_topics_out_of_range_are_refused():
    with pytest.raises(ValueError):
        generate_labelled_digest(5, topics=len(TOPICS) + 1)


def test_average_precision_and_precision_at_10():
    assert average_precision([1, 2, 3], {1}) == 1.0
    assert average_precision([2, 1, 3], {1}) == 0.5
    assert average_precision([1, 2, 3, 4], {1, 3}) == pytest.approx((1 + 2 / 3) / 2)
    assert precision_at(list(range(20)), {0, 5, 15}) == 0.2
    assert precision_at([4, 5], {5}) == 0.5
