"""Rank papers by what the reader starred, and find papers like one another. No Textual.

    features = TextFeatures.build(papers)        # TF-IDF of every paper (sklearn here)
    ranking = RelevanceModel().fit(papers, {3: True, 7: False, ...}, words, features)
    ranking.order(range(len(papers)))            # indices, most likely to be starred first
    ranking.for_reader(indices)                  # the same, the judged papers last
    ranking.score(i), ranking.why(i, n=3)        # a float; the terms that pushed it most
    ranking.judged(i)                            # True / False: a training example
    features.similar(i, k=10)                    # [(index, cosine), ...], nearest first

Judgements map a paper's index in ``papers`` to True (starred: a positive) or False
(read and not starred: a negative); unjudged papers are absent (``judgement(read,
starred)`` gives the value for one paper's state; ``collect_judgements(papers,
store.state)`` all of them). With at least ``MIN_STARS``
positives and ``MIN_NEGATIVES`` negatives the ranking is a linear classifier
(LinearSVC, balanced class weights) on TF-IDF features of title + abstract + digest
keywords + topics (word 1-2 grams, sublinear tf); below that it is the transparent
keyword score of ``fallback.py``. ``Ranking.method`` says which one ranked.

Rules: the order is deterministic and ties keep digest order (the lower index first);
a paper without an abstract is scored from its title, keywords and topics. Importing
this package imports neither scikit-learn nor numpy: they are imported inside the
functions that fit or vectorize, which the app calls in a worker, never at start-up.
"""

from __future__ import annotations

from .fallback import keyword_ranking
from .model import MIN_NEGATIVES, MIN_STARS, RelevanceModel, collect_judgements, judgement
from .result import Ranking
from .text import TextFeatures, paper_text, term_counts

__all__ = [
    "MIN_NEGATIVES",
    "MIN_STARS",
    "Ranking",
    "RelevanceModel",
    "TextFeatures",
    "collect_judgements",
    "judgement",
    "keyword_ranking",
    "paper_text",
    "term_counts",
]
