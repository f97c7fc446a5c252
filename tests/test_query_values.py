"""Every field's value syntax: what cannot match is named, in one line with its column;
``=`` asks for whole words; a field no paper carries is named, not answered with 0."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_query import PAPERS, STORE, ids, paper
from tui_reader.query import QueryError, QueryIndex


@pytest.mark.parametrize(
    ("query", "column", "fragment"),
    [
        ("date:2025-13..2025-99", 6, "no month 13"),
        ("date:2025-02-30", 6, "2025-02-30 is not a day (2025-02 has days 01 to 28)"),
        ("date:2024-02-30", 6, "has days 01 to 29"),  # a leap year
        ("digest:2025-00", 8, "no month 00"),
        ("date:2025-03..2025-01", 6, "ends before it starts"),
        ("date:May", 6, "wants YYYY, YYYY-MM or YYYY-MM-DD"),
        ("date:=2025", 6, "date: has no = (whole words)"),
        ("is:=read", 4, "is: has no ="),
        ('author:""', 8, "author: needs a value"),
        ("title:=*", 7, "title:=* is not a value"),
        ("date:*", 6, "date:* is not a value"),
        ("author:han?", 8, "no wildcards"),
        ("title:sp*rse", 7, "no wildcards"),
        ("author:=han*", 8, "contradict"),
        ("=han", 1, "needs a field, as in author:=han"),
        ("sparse =han", 8, "needs a field"),
        ("id:hello.world", 4, "id: wants an arXiv id"),
        ("id:2412-21188", 4, "id: wants an arXiv id"),
        ("cat:cs..LG", 5, "cat: wants an arXiv category"),
        ("cat:42", 5, "cat: wants an arXiv category"),
        ("sparse^2", 1, "boosting (^) is not supported"),
        ("sparse~", 1, "fuzzy matching"),
        ('"sparse attention"~3', 1, "proximity"),
        ("/spa.se/", 1, "regular expressions"),
        ("is:bogus", 4, "unknown 'is:bogus'"),
    ],
)
def test_a_value_its_field_cannot_take_is_named(query, column, fragment):
    with pytest.raises(QueryError) as caught:
        QueryIndex(PAPERS).search(query, STORE)
    message = str(caught.value)
    assert "\n" not in message
    assert fragment in message, message
    assert caught.value.column == column, message


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("author:han", ["1", "5", "6"]),  # a word start: Han, Hanning, Han-Lin
        ("author:=han", ["1", "6"]),  # whole name parts only: a hyphen ends one
        ("author:=HAN", ["1", "6"]),
        ('author:="song han"', ["1"]),
        ('author:="song ha"', []),
        ("author:=ha", []),
        ("author:=lin", ["6"]),
        ("title:=sparse", ["1"]),
        ("title:=spars", []),
        ("abs:=gaussians", ["3"]),
        ("abs:=gaussian", []),
        ("id:=2501.00002", ["2"]),
        ("id:=2501.00002v3", ["2"]),
        ("id:=2501.00002v1", []),
        ("id:=2501.0000", []),
        ("tag:=ml", ["1"]),
        ("cat:=cs.cl", ["1", "2"]),
        ("cat:*", ["1", "2", "3"]),
        ("author:*", ["1", "2", "3", "4", "5", "6"]),
        ("date:2025-01-02", ["1", "5", "6"]),
        ("date:2025-03..2025", ["3"]),  # an end at a coarser precision
        ('title:"what?"', []),  # inside a phrase, ? is text
    ],
)
def test_exact_and_any_value(query, expected):
    papers = [
        *PAPERS,
        paper(5, "Hashing", ("Hanning Zhou",)),
        paper(6, "Names", ("Wei Han-Lin",)),
    ]
    found = QueryIndex(papers).search(query, STORE)
    assert [papers[i].arxiv_id[-1:] for i in found] == expected


def test_a_field_no_open_digest_carries_is_named():
    plain = [paper(1, "No categories here"), paper(2, "Nor here")]
    for query, fragment in (
        ("cat:cs.LG", "no open digest has categories"),
        ("-cat:cs.CV sparse", "no open digest has categories"),
        ("kw:pruning", "no open digest has keywords or topics"),
    ):
        with pytest.raises(QueryError, match=fragment):
            QueryIndex(plain).search(query, STORE)
    assert ids("cat:cs.LG") == ["1"]  # some papers carry them: an answer
    undated = [paper(1, "Undated", date=None)]
    with pytest.raises(QueryError, match="no open digest gives submission dates"):
        QueryIndex(undated).search("date:2025", STORE)


def whole_word_reference(text: str, needle: str) -> bool:
    """The slow answer: ``needle`` neither preceded nor followed by a word character."""
    text = " ".join(text.split()).casefold()

    def word(char: str) -> bool:
        return char.isalnum() or char == "_"

    start = text.find(needle)
    while start >= 0:
        end = start + len(needle)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (word(needle[0]) and word(before)) and not (word(needle[-1]) and word(after)):
            return True
        start = text.find(needle, start + 1)
    return False


@pytest.fixture(scope="module")
def synthetic():
    from pathlib import Path

    from bench.synthetic import generate_digest
    from tui_reader.digest import parse_digest_text

    return parse_digest_text(generate_digest(400, seed=9), Path("s.md")).papers


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_whole_words_match_a_slow_reference(synthetic, data):
    source = data.draw(st.sampled_from(synthetic))
    names = list(source.authors)
    text = " ".join(data.draw(st.sampled_from(names)).split()).casefold()
    words = text.split()
    start = data.draw(st.integers(0, len(words) - 1))
    needle = " ".join(words[start : start + data.draw(st.integers(1, 2))])
    if '"' in needle or "\\" in needle or needle.startswith("="):
        return
    found = QueryIndex(synthetic).search(f'author:="{needle}"')
    expected = [
        i
        for i, paper in enumerate(synthetic)
        if any(whole_word_reference(name, needle) for name in paper.authors)
    ]
    assert found == expected
    assert source in [synthetic[i] for i in found]
