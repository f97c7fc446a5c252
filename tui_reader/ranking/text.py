"""The text a paper is ranked by, and its TF-IDF features (built once per set of papers).

``paper_text(paper)`` is title + digest keywords + topics + abstract, so a paper
without an abstract (a replacement listing, a table row) is still described.
``TextFeatures.build(papers)`` vectorizes them (word 1-2 grams, sublinear tf, English
stop words removed, rows L2-normalized) and answers ``similar(index, k)`` by cosine.
scikit-learn and numpy are imported inside ``build``, never at module import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import Paper

# Below this many papers every term counts; above it, a term must occur in two papers
# (a term seen once cannot link two papers, and dropping them halves the vocabulary).
SMALL_CORPUS = 2000


def paper_text(paper: Paper) -> str:
    """What the model reads of a paper: title, keywords, topics, then the abstract."""
    parts = [paper.title, " ".join(paper.keywords), " ".join(paper.topics), paper.abstract]
    return "\n".join(part for part in parts if part)


@dataclass(eq=False)
class TextFeatures:
    """TF-IDF rows of ``papers`` (row i is paper i), and the names of their columns."""

    matrix: Any  # scipy.sparse.csr_matrix, float32, rows L2-normalized
    vectorizer: Any  # the fitted sklearn TfidfVectorizer
    _terms: Sequence[str] | None = field(default=None, repr=False)

    @classmethod
    def build(cls, papers: Sequence[Paper]) -> TextFeatures:
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(
            ngram_range=(1, 2),
            sublinear_tf=True,
            stop_words="english",
            min_df=1 if len(papers) < SMALL_CORPUS else 2,
            dtype=np.float32,
        )
        texts = [paper_text(paper) for paper in papers]
        try:
            matrix = vectorizer.fit_transform(texts).tocsr()
        except ValueError:
            # No paper has a single usable term (e.g. only stop words): an empty matrix.
            from scipy.sparse import csr_matrix

            matrix = csr_matrix((len(papers), 0), dtype=np.float32)
            vectorizer = None
        return cls(matrix, vectorizer)

    def __len__(self) -> int:
        return self.matrix.shape[0]

    @property
    def terms(self) -> Sequence[str]:
        """The term (word or two-word phrase) of each column."""
        if self._terms is None:
            self._terms = [] if self.vectorizer is None else self.vectorizer.get_feature_names_out()
        return self._terms

    def similar(self, index: int, k: int = 10) -> list[tuple[int, float]]:
        """The ``k`` papers nearest to paper ``index`` by cosine, nearest first.

        The paper itself and papers sharing no term with it are left out; equal
        similarities keep digest order (the lower index first).
        """
        import numpy as np

        if not 0 <= index < len(self):
            raise IndexError(f"no paper at index {index}")
        sims = (self.matrix @ self.matrix[index].T).toarray().ravel()
        sims[index] = 0.0
        candidates = np.flatnonzero(sims > 1e-6)
        if len(candidates) > k:
            # Keep everything at least as similar as the k-th, so ties are all seen.
            kth = np.partition(sims[candidates], len(candidates) - k)[len(candidates) - k]
            candidates = candidates[sims[candidates] >= kth]
        ordered = candidates[np.lexsort((candidates, -sims[candidates]))][:k]
        return [(int(i), float(sims[i])) for i in ordered]
