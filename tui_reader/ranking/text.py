"""The text a paper is ranked by, and its TF-IDF features.

``paper_text(paper)`` is title + digest keywords + topics + abstract, so a paper
without an abstract (a replacement listing, a table row) is still described.

``TextFeatures.build(papers)`` gives each paper a row of TF-IDF weights over words and
two-word phrases (English stop words dropped, sublinear tf, rows L2-normalized) and
answers ``similar(index, k)`` by cosine. It runs in two steps so that a caller can do
the costly one as papers arrive: ``term_counts(papers)`` (tokenizing; stateless, so
batches can be counted separately and stacked: ``counts.CountedTerms`` keeps them in
one growing matrix) and ``TextFeatures.from_counts(papers, counts)`` (document
frequencies and weights, fast, computed in place: the features share the counts'
column array and add only a float32 weight per entry). ``similar`` leaves out papers
below ``SIMILAR_MIN``: nothing close is an empty answer, not a list of strangers.
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
# The cosine below which a paper is not "like" another: on the sample, a neighbour
# under 0.06 shares a digest keyword 5-19% of the time (two papers at random: 9%),
# from 0.06 on half the time (bench/bench_similar.py, docs/ranking.md).
SIMILAR_MIN = 0.06
_BLOCK = 1 << 20  # entries weighed at a time: bounds the temporaries (4 MB each)


# What the model reads of one paper, at most: a real one has a few thousand characters;
# a 10 MB abstract would hold the interpreter (and so the screen) for seconds.
TEXT_LIMIT = 20_000


def paper_text(paper: Paper) -> str:
    """What the model reads of a paper: title, keywords, topics, then the abstract (at
    most ``TEXT_LIMIT`` characters in all)."""
    parts = [paper.title, " ".join(paper.keywords[:200]), " ".join(paper.topics[:200]),
             paper.abstract]  # fmt: skip
    return "\n".join(part for part in parts if part)[:TEXT_LIMIT]


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
    """TF-IDF rows of ``papers`` (row i is paper i) over the ``HASH_SPACE`` hashed columns.

    A term dropped for occurring in one paper only keeps its place in the rows with the
    weight 0 (its ``idf`` is 0): the matrix then shares its column and row arrays with
    the counts it came from, so only the weights are new memory.
    """

    papers: Sequence[Paper]
    matrix: Any  # scipy.sparse.csr_matrix, float32, rows L2-normalized
    idf: Any  # numpy float32 array, one per hashed column: 0 for the terms dropped
    columns: Any  # numpy array: the hashed columns of the terms kept, ascending

    @property
    def terms(self) -> int:
        """Terms kept (in use): 0 means no words to learn from."""
        return len(self.columns)

    @classmethod
    def build(cls, papers: Sequence[Paper]) -> TextFeatures:
        return cls.from_counts(papers, term_counts(papers))

    @classmethod
    def from_counts(cls, papers: Sequence[Paper], counts: Any) -> TextFeatures:
        """Features from ``term_counts`` of the same papers, in the same order.

        ``counts`` is a CSR matrix of any number type (``term_counts`` gives float32,
        the service keeps uint16); the result shares its ``indices`` and ``indptr``.
        The weights are those of scikit-learn's ``TfidfTransformer(sublinear_tf=True)``
        in float32, computed here in place, a block at a time, so that no full-size
        temporary is made.
        """
        import numpy as np
        import scipy.sparse
        from sklearn.preprocessing import normalize

        if counts.shape[0] != len(papers):
            raise ValueError(f"term counts of {counts.shape[0]} papers for {len(papers)} papers")
        counts = counts.tocsr()
        indices = counts.indices
        frequency = np.zeros(counts.shape[1], dtype=np.int64)  # papers holding each term
        for start in range(0, len(indices), _BLOCK):
            frequency += np.bincount(indices[start : start + _BLOCK], minlength=counts.shape[1])
        kept = frequency >= (1 if len(papers) < SMALL_CORPUS else 2)
        # Smooth idf exactly as TfidfTransformer computes it for float32 counts.
        document_frequency = frequency.astype(np.float32) + np.float32(1.0)
        idf = np.full_like(document_frequency, len(papers) + 1, dtype=np.float32)
        idf /= document_frequency
        np.log(idf, out=idf)
        idf += np.float32(1.0)
        idf[~kept] = 0.0
        weights = np.empty(len(indices), dtype=np.float32)
        for start in range(0, len(indices), _BLOCK):
            block = weights[start : start + _BLOCK]
            block[:] = counts.data[start : start + _BLOCK]
            np.log(block, out=block)  # sublinear tf: 1 + log(tf)
            block += np.float32(1.0)
            block *= idf[indices[start : start + _BLOCK]]
        matrix = scipy.sparse.csr_matrix((weights, indices, counts.indptr), shape=counts.shape)
        normalize(matrix, copy=False)  # rows to unit length, in place
        return cls(papers, matrix, idf, np.flatnonzero(kept))

    def __len__(self) -> int:
        return self.matrix.shape[0]

    def term_names(self, index: int) -> dict[int, str]:
        """Paper ``index``'s terms (those kept) by the hashed column they weigh on."""
        terms = _hashing().build_analyzer()(paper_text(self.papers[index]))
        if not terms:
            return {}
        hashed = _hashing(analyzer=lambda term: [term]).transform(terms).indices
        names: dict[int, str] = {}
        for term, column in zip(terms, hashed, strict=True):
            if self.idf[column] > 0:
                names.setdefault(int(column), term)
        return names

    def similar(
        self, index: int, k: int = 10, at_least: float = SIMILAR_MIN
    ) -> list[tuple[int, float]]:
        """The ``k`` papers nearest to paper ``index`` by cosine, nearest first, of
        those at ``at_least`` or more (``SIMILAR_MIN``: below it a paper is no closer
        than one picked at random).

        The paper itself and papers sharing no term with it are left out; equal
        similarities keep digest order (the lower index first).
        """
        import numpy as np

        if not 0 <= index < len(self):
            raise IndexError(f"no paper at index {index}")
        row = slice(self.matrix.indptr[index], self.matrix.indptr[index + 1])
        query = np.zeros(self.matrix.shape[1], dtype=np.float32)  # paper ``index``, dense
        query[self.matrix.indices[row]] = self.matrix.data[row]
        sims = self.matrix @ query
        sims[index] = 0.0
        candidates = np.flatnonzero(sims >= max(at_least, 1e-6))
        if len(candidates) > k:
            # Keep everything at least as similar as the k-th, so ties are all seen.
            kth = np.partition(sims[candidates], len(candidates) - k)[len(candidates) - k]
            candidates = candidates[sims[candidates] >= kth]
        ordered = candidates[np.lexsort((candidates, -sims[candidates]))][:k]
        return [(int(i), float(sims[i])) for i in ordered]
