"""``RelevanceModel``: a linear classifier of starred vs read-not-starred papers.

The method of arxiv-sanity-lite, offline: TF-IDF features (``text.TextFeatures``) and
scikit-learn's LinearSVC with balanced class weights, positives the starred papers,
negatives the papers read and not starred. Every paper is then scored by the signed
distance to the separating plane. ``why`` names the terms whose weight times their
TF-IDF value in that paper is largest. With fewer than ``MIN_STARS`` positives or
``MIN_NEGATIVES`` negatives it returns the keyword fallback (``fallback.py``) and
imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

from ..model import Paper
from .fallback import keyword_ranking
from .result import Ranking
from .text import TextFeatures

MIN_STARS = 3
MIN_NEGATIVES = 3
# LinearSVC's C: small, as arxiv-sanity-lite's 0.01-0.1, because few judgements
# against tens of thousands of terms overfit easily (bench/bench_rank.py chose it).
DEFAULT_C = 0.1


def judgement(read: bool, starred: bool) -> bool | None:
    """A paper's judgement from its state: True starred, False read only, None neither."""
    if starred:
        return True
    return False if read else None


class _State(Protocol):
    read: bool
    starred: bool


def collect_judgements(
    papers: Sequence[Paper], state_of: Callable[[str], _State]
) -> dict[int, bool]:
    """The judgements of ``papers`` from ``state_of(arxiv_id)`` (e.g. ``store.state``)."""
    judgements = {}
    for index, paper in enumerate(papers):
        state = state_of(paper.arxiv_id)
        if (judged := judgement(state.read, state.starred)) is not None:
            judgements[index] = judged
    return judgements


class RelevanceModel:
    """Fits a ``Ranking`` of papers from judgements; keeps no state between fits."""

    def __init__(
        self,
        *,
        min_stars: int = MIN_STARS,
        min_negatives: int = MIN_NEGATIVES,
        c: float = DEFAULT_C,
    ) -> None:
        self.min_stars = min_stars
        self.min_negatives = min_negatives
        self.c = c

    def fit(
        self,
        papers: Sequence[Paper],
        judgements: Mapping[int, bool],
        words: Iterable[str] = (),
        features: TextFeatures | None = None,
    ) -> Ranking:
        """Rank ``papers`` from ``judgements`` (index -> starred; see the package doc).

        ``features`` are ``TextFeatures.build(papers)`` when the caller keeps them
        (for ``similar`` or for fitting again after a star); built here otherwise.
        """
        for index in judgements:
            if not 0 <= index < len(papers):
                raise IndexError(f"judgement for index {index}, but there are {len(papers)} papers")
        stars = sum(1 for starred in judgements.values() if starred)
        negatives = len(judgements) - stars
        if not self.learns(judgements):
            return keyword_ranking(
                papers,
                judgements,
                words,
                detail=f"ranked by keywords: {stars} starred and {negatives} read-only "
                f"{'paper' if negatives == 1 else 'papers'}; "
                f"learning needs {self.min_stars} and {self.min_negatives}",
            )
        if features is None:
            features = TextFeatures.build(papers)
        elif len(features) != len(papers):
            raise ValueError(f"features of {len(features)} papers for {len(papers)} papers")
        if features.terms == 0:
            return keyword_ranking(papers, judgements, words, detail="no words to learn from")
        return self._fit_linear(features, judgements, stars, negatives)

    def learns(self, judgements: Mapping[int, bool]) -> bool:
        """Whether ``fit`` would train the classifier (and so needs the features)."""
        stars = sum(1 for starred in judgements.values() if starred)
        return stars >= self.min_stars and len(judgements) - stars >= self.min_negatives

    def _fit_linear(
        self, features: TextFeatures, judgements: Mapping[int, bool], stars: int, negatives: int
    ) -> Ranking:
        import numpy as np
        from sklearn.svm import LinearSVC

        judged = np.fromiter(sorted(judgements), dtype=np.int64, count=len(judgements))
        labels = np.fromiter((judgements[i] for i in judged), dtype=np.int8, count=len(judged))
        # Train over the kept terms only (the dropped ones are all zero): the same
        # problem, and the same solver choice, as a matrix without those columns.
        kept = features.columns
        judged_rows = features.matrix[judged][:, kept]
        classifier = LinearSVC(C=self.c, class_weight="balanced", random_state=0)
        classifier.fit(judged_rows, labels)
        weights = np.zeros(features.matrix.shape[1], dtype=np.float32)
        weights[kept] = classifier.coef_.ravel()
        scores = features.matrix @ weights + np.float32(classifier.intercept_[0])
        matrix = features.matrix

        def explain(index: int, n: int) -> list[str]:
            start, end = matrix.indptr[index], matrix.indptr[index + 1]
            columns = matrix.indices[start:end]
            pushes = matrix.data[start:end] * weights[columns]
            names = features.term_names(index)
            best = sorted(
                (i for i in range(len(columns)) if pushes[i] > 0),
                key=lambda i: (-pushes[i], names.get(int(columns[i]), "")),
            )
            found = (names.get(int(columns[i])) for i in best)
            return [name for name in found if name][:n]

        detail = f"learned from {stars} starred and {negatives} read-only papers"
        return Ranking(scores.tolist(), "model", detail, explain, dict(judgements))
