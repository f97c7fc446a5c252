"""CountedTerms (the service's term counts) and the features made from them without copies."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import scipy.sparse

from tests.test_ranking import TOPICS, judge, make_paper, topic_corpus
from tui_reader.ranking import RelevanceModel, TextFeatures, term_counts
from tui_reader.ranking.counts import MAX_COUNT, CountedTerms
from tui_reader.ranking.text import HASH_SPACE


def counted_in_batches(papers, size: int, expected: int = 0) -> CountedTerms:
    counted = CountedTerms(HASH_SPACE)
    for start in range(0, len(papers), size):
        counted.append(term_counts(papers[start : start + size]), expected_rows=expected)
    return counted


def same_matrix(a, b) -> bool:
    return a.shape == b.shape and (a != b).nnz == 0


@pytest.mark.parametrize(("size", "expected"), [(1, 0), (5, 0), (7, 24), (100, 1000)])
def test_batches_make_the_matrix_of_all_papers_counted_at_once(size, expected):
    papers, _ = topic_corpus()
    counted = counted_in_batches(papers, size, expected)
    assert len(counted) == len(papers)
    whole = term_counts(papers)
    matrix = counted.matrix()
    assert matrix.dtype == np.uint16 and matrix.indices.dtype == np.int32
    assert same_matrix(matrix, whole)


def test_a_matrix_handed_out_stays_valid_while_more_papers_are_counted():
    papers, _ = topic_corpus(per_topic=10)
    counted = counted_in_batches(papers[:4], 4, expected=4)  # room for 4 papers only
    early = counted.matrix()
    snapshot = early.copy()
    for start in range(4, len(papers), 3):  # grows past its capacity, more than once
        counted.append(term_counts(papers[start : start + 3]))
    assert same_matrix(early, snapshot)
    assert same_matrix(counted.matrix(), term_counts(papers))


def test_replaced_rows_are_counted_again_and_the_others_kept():
    papers, _ = topic_corpus()
    counted = counted_in_batches(papers, 5)
    before = counted.matrix()
    snapshot = before.copy()
    newer = {
        0: dataclasses.replace(papers[0], abstract=TOPICS["robot"] + " " + TOPICS["video"]),
        7: dataclasses.replace(papers[7], title="T", abstract=""),
        len(papers) - 1: dataclasses.replace(papers[-1], abstract=TOPICS["graph"]),
    }
    counted.replace({i: term_counts([paper]) for i, paper in newer.items()})
    expected = [newer.get(i, paper) for i, paper in enumerate(papers)]
    assert same_matrix(counted.matrix(), term_counts(expected))
    assert same_matrix(before, snapshot)  # the earlier matrix is untouched
    counted.append(term_counts(papers[:2]))  # and counting goes on after a replace
    assert same_matrix(counted.matrix(), term_counts([*expected, *papers[:2]]))
    with pytest.raises(IndexError):
        counted.replace({len(counted): term_counts(papers[:1])})


def test_counts_above_the_uint16_range_are_capped():
    counted = CountedTerms(8)
    counts = scipy.sparse.csr_matrix(np.array([[3.0, 0, 70_000.0, 0, 0, 0, 0, 1.0]]))
    counted.append(counts)
    assert counted.matrix().toarray().tolist() == [[3, 0, MAX_COUNT, 0, 0, 0, 0, 1]]


def test_features_share_the_counts_columns_and_equal_those_built_at_once():
    papers, labels = topic_corpus()
    counted = counted_in_batches(papers, 7)
    counts = counted.matrix()
    features = TextFeatures.from_counts(papers, counts)
    # Only the weights are new memory: columns (the bulk) are the counts' own array.
    assert np.shares_memory(features.matrix.indices, counts.indices)
    whole = TextFeatures.build(papers)
    assert np.array_equal(features.matrix.toarray(), whole.matrix.toarray())
    model = RelevanceModel()
    assert (
        model.fit(papers, judge(labels, "quant", 12), features=features).scores
        == model.fit(papers, judge(labels, "quant", 12), features=whole).scores
    )


def test_one_off_terms_weigh_nothing_in_a_large_corpus():
    # From SMALL_CORPUS papers up, a term in one paper only is dropped: weight 0.
    papers = [make_paper(i, "shared words here", "common text again") for i in range(2000)]
    papers[5] = make_paper(5, "shared words here", "common text again zyzzyva")
    features = TextFeatures.build(papers)
    row = features.matrix[5]
    names = set(features.term_names(5).values())
    assert "zyzzyva" not in names and "shared" in names
    assert np.isclose(np.linalg.norm(row.data), 1.0)
    dropped = [c for c, w in zip(row.indices, row.data, strict=True) if features.idf[c] == 0]
    assert dropped and all(features.matrix[5, c] == 0 for c in dropped)
    assert np.array_equal(features.columns, np.flatnonzero(features.idf))


def test_counts_grow_in_place_until_a_matrix_views_them():
    papers, _ = topic_corpus(per_topic=10)
    counted = counted_in_batches(papers[:2], 2, expected=2)
    arrays = id(counted._indices), id(counted._counts)
    for start in range(2, 20, 2):  # past the room reserved for 2 papers: realloc
        counted.append(term_counts(papers[start : start + 2]))
    assert (id(counted._indices), id(counted._counts)) == arrays
    held = counted.matrix()
    for start in range(20, len(papers), 2):  # held views the arrays: grown into new ones
        counted.append(term_counts(papers[start : start + 2]))
    assert id(counted._indices) != arrays[0]
    assert same_matrix(held, term_counts(papers[:20]))
    assert same_matrix(counted.matrix(), term_counts(papers))


def test_weights_equal_tfidftransformer_over_the_kept_columns():
    # The weighing in place gives what TfidfTransformer gave on a matrix without the
    # one-off terms' columns (the method before), to the bit, one-off terms included.
    from sklearn.feature_extraction.text import TfidfTransformer

    base, _ = topic_corpus()
    papers = [
        make_paper(i, base[i % len(base)].title, f"{base[i % len(base)].abstract} once{i}x")
        for i in range(2100)
    ]
    counts = term_counts(papers)
    frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    columns = np.flatnonzero(frequency >= 2)
    expected = TfidfTransformer(sublinear_tf=True).fit_transform(counts[:, columns])
    features = TextFeatures.build(papers)
    assert np.array_equal(features.columns, columns) and len(columns) < np.count_nonzero(frequency)
    assert np.array_equal(features.matrix[:, columns].toarray(), expected.toarray())
    weighed = features.matrix.copy()
    weighed.eliminate_zeros()
    assert np.isin(weighed.indices, columns).all()  # the one-off terms weigh 0
