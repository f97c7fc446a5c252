"""The text a paper is ranked by, and its TF-IDF features.

``paper_text(paper)`` is title + digest keywords + topics + abstract, so a paper
without an abstract (a replacement listing, a table row) is still described.

``TextFeatures.build(papers)`` gives each paper a row of TF-IDF weights over words and
two-word phrases (English stop words dropped, sublinear tf, rows L2-normalized) and
answers ``similar(index, k)`` by cosine. It runs in two steps so that a caller can do
the costly one as papers arrive: ``term_counts(papers)`` (tokenizing; stateless, so
batches can be counted separately and stacked with ``scipy.sparse.vstack``) and
``TextFeatures.from_counts(papers, counts)`` (document frequencies and weights, fast).
Terms are hashed into ``HASH_SPACE`` columns instead of kept in a vocabulary, which is
what makes counting stateless (and faster); ``term_names`` recovers a row's
terms by hashing that one paper's terms again.

scikit-learn, scipy and numpy are imported inside these functions, never at import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Paper

HASH_SPACE = 2**20
# Below this many papers every term counts; above it, a term must occur in two papers
# (a term seen once cannot link two papers, and most of them are one-off phrases).
SMALL_CORPUS = 2000


def paper_text(paper: Paper) -> str:
    """What the model reads of a paper: title, keywords, topics, then the abstract."""
    parts = [paper.title, " ".join(paper.keywords), " ".join(paper.topics), paper.abstract]
    return "\n".join(part for part in parts if part)


def _hashing(analyzer: Any = "word") -> Any:
    import numpy as np
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        analyzer=analyzer,
        ngram_range=(1, 2),
        stop_words="english" if analyzer == "word" else None,
        n_features=HASH_SPACE,
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )


def term_counts(papers: Sequence[Paper]) -> Any:
    """Term counts of ``papers``: a sparse matrix, one row per paper, hashed columns."""
    return _hashing().transform([paper_text(paper) for paper in papers])


@dataclass(eq=False)
class TextFeatures:
    """TF-IDF rows of ``papers`` (row i is paper i) over the terms kept."""

    papers: Sequence[Paper]
    matrix: Any  # scipy.sparse.csr_matrix, float32, rows L2-normalized
    columns: Any  # numpy array: the hashed column of each kept column, ascending

    @classmethod
    def build(cls, papers: Sequence[Paper]) -> TextFeatures:
        return cls.from_counts(papers, term_counts(papers))

    @classmethod
    def from_counts(cls, papers: Sequence[Paper], counts: Any) -> TextFeatures:
        """Features from ``term_counts`` of the same papers, in the same order."""
        import numpy as np
        from sklearn.feature_extraction.text import TfidfTransformer

        if counts.shape[0] != len(papers):
            raise ValueError(f"term counts of {counts.shape[0]} papers for {len(papers)} papers")
        counts = counts.tocsr()
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        least = 1 if len(papers) < SMALL_CORPUS else 2
        columns = np.flatnonzero(document_frequency >= least)
        kept = counts[:, columns]
        if columns.size == 0:
            matrix = kept.astype(np.float32)
        else:
            transformer = TfidfTransformer(sublinear_tf=True)
            matrix = transformer.fit_transform(kept).astype(np.float32).tocsr()
        return cls(papers, matrix, columns)

    def __len__(self) -> int:
        return self.matrix.shape[0]

    def term_names(self, index: int) -> dict[int, str]:
        """Paper ``index``'s terms by the feature column they weigh on."""
        import numpy as np

        terms = _hashing().build_analyzer()(paper_text(self.papers[index]))
        if not terms:
            return {}
        hashed = _hashing(analyzer=lambda term: [term]).transform(terms).indices
        position = np.searchsorted(self.columns, hashed)
        names: dict[int, str] = {}
        for term, column, at in zip(terms, hashed, position, strict=True):
            if at < len(self.columns) and self.columns[at] == column:
                names.setdefault(int(at), term)
        return names

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
