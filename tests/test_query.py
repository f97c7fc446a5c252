"""The query language: every field, operator and error, checked against a slow reference."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.model import DigestRef, Paper
from tui_reader.query import QueryError, QueryIndex, UnclosedQuote, is_plain, sort_indices
from tui_reader.query.parse import And, Not, Or, Term, parse
from tui_reader.search import SearchIndex


def paper(
    number: int,
    title: str,
    authors: tuple[str, ...] = ("Ada Lovelace",),
    *,
    abstract: str = "An abstract.",
    date: dt.date | None = dt.date(2025, 1, 2),
    digest: str = "2025-01-03",
    keywords: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    version: int = 1,
) -> Paper:
    ref = DigestRef(dt.date.fromisoformat(digest), Path(f"{digest}.md"))
    return Paper(
        arxiv_id=f"2501.{number:05d}",
        version=version,
        title=title,
        authors=authors,
        date=date,
        url="",
        abstract=abstract,
        bold_spans=(),
        keywords=keywords,
        source=ref,
        digests=(ref,),
        categories=categories,
    )


PAPERS = [
    paper(1, "Sparse attention for long context", ("Song Han", "Ana María García"),
          abstract="We prune heads.", keywords=("sparse",), categories=("cs.LG", "cs.CL"),
          date=dt.date(2025, 1, 2)),
    paper(2, "Quantized KV caches", ("Shane Legg",), abstract="Sparse attention heads.",
          keywords=("quantization",), categories=("cs.CL",), date=dt.date(2025, 2, 10),
          digest="2025-02-11", version=3),
    paper(3, "Gaussian splatting in 3D", ("Zoë Müller", "Wei Chen"),
          abstract="Rendering with Gaussians.", categories=("cs.CV",),
          date=dt.date(2025, 3, 31), digest="2025-04-01"),
    paper(4, "Gemma technical report", ("Gemma Team",), abstract="A model. Attention.",
          date=None, digest="2025-04-01"),
]  # fmt: skip


@dataclass(frozen=True)
class FakeState:
    read: bool = False
    starred: bool = False
    note: str = ""
    tags: tuple[str, ...] = ()


class FakeStore:
    def __init__(self, states: dict[str, object]) -> None:
        self._states = states

    def ids(self):
        return sorted(self._states)

    def state(self, arxiv_id: str):
        return self._states.get(arxiv_id, FakeState())


STORE = FakeStore(
    {
        "2501.00001": FakeState(read=True, tags=("to-cite", "ML")),
        "2501.00002": FakeState(starred=True, note="Check the ablation in section 3"),
        "2501.00003": FakeState(read=True, starred=True, tags=("vision",)),
        "2501.09999": FakeState(starred=True, tags=("to-cite",)),  # not loaded
    }
)


def ids(query: str, store=STORE) -> list[int]:
    return [PAPERS[i].arxiv_id[-1:] for i in QueryIndex(PAPERS).search(query, store)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["1", "2", "3", "4"]),
        ("sparse", ["1", "2"]),
        ("author:han", ["1"]),  # a word start: not Shane
        ("author:garcía", ["1"]),
        ("author:MÜLLER", ["3"]),
        ('author:"gemma team"', ["4"]),
        ("title:sparse", ["1"]),
        ('title:"sparse attention"', ["1"]),
        ('title:"attention sparse"', []),
        ("abs:sparse", ["2"]),
        ("abs:gauss*", ["3"]),
        ("kw:quant", ["2"]),
        ("id:2501.00002", ["2"]),
        ("id:2501.00002v3", ["2"]),
        ("id:2501.00002v1", []),
        ("id:arXiv:2501.00003", ["3"]),
        ('id:"https://arxiv.org/abs/2501.00001"', ["1"]),
        ("arXiv:2501.00001", ["1"]),
        ("cat:cs.CL", ["1", "2"]),
        ("cat:cs", ["1", "2", "3"]),
        ("cat:cs.C*", ["1", "2", "3"]),
        ("cat:cs.cv", ["3"]),
        ("tag:to-cite", ["1"]),
        ("tag:ml", ["1"]),
        ("tag:to*", ["1"]),
        ("-tag:to-cite", ["2", "3", "4"]),
        ("note:ablation", ["2"]),
        ('note:"in section"', ["2"]),
        ("note:lation", []),
        ("digest:2025-04-01", ["3", "4"]),
        ("digest:2025-02", ["2"]),
        ("digest:2025-01..2025-02", ["1", "2"]),
        ("date:2025-01..2025-03", ["1", "2", "3"]),
        ("date:2025-02..", ["2", "3"]),
        ("date:..2025-01", ["1"]),
        ("date:2025", ["1", "2", "3"]),
        ("date:[2025-02 TO 2025-03-30]", ["2"]),
        ("is:unread", ["2", "4"]),
        ("is:read", ["1", "3"]),
        ("is:starred", ["2", "3"]),
        ("is:unstarred", ["1", "4"]),
        ("is:noted", ["2"]),
        ("is:tagged", ["1", "3"]),
        ("-is:read", ["2", "4"]),
        ("NOT is:read", ["2", "4"]),
        ("attention -sparse", ["4"]),
        ("attention AND NOT title:sparse", ["2", "4"]),
        ("title:sparse OR title:gaussian", ["1", "3"]),
        ("(title:sparse OR title:gaussian) is:read -tag:vision", ["1"]),
        ("title:(sparse OR gaussian)", ["1", "3"]),
        ("author:chen OR (kw:quantization is:starred)", ["2", "3"]),
        ('"attention heads"', ["2"]),
        ("tag:to-cite OR is:starred", ["1", "2", "3"]),
        ("au:han", ["1"]),
        ("müller", ["3"]),
        ("title:3D", ["3"]),
        ("+gaussian", ["3"]),
        ("Gaussians", ["3"]),
    ],
)
def test_query(query, expected):
    assert ids(query) == expected


def test_without_a_store_every_paper_is_unread_and_untagged():
    index = QueryIndex(PAPERS)
    assert index.search("is:unread") == [0, 1, 2, 3]
    assert index.search("is:starred OR tag:x") == []


@pytest.mark.parametrize(
    ("query", "column", "fragment"),
    [
        ("foo:bar", 1, "unknown field 'foo:'"),
        ("sparse (title:x", 16, "ends too early"),
        ("a ) b", 3, "unexpected ')'"),
        ("title:", 7, "ends too early"),
        ("a OR", 5, "ends too early"),
        ("is:bogus", 4, "unknown 'is:bogus'"),
        ("date:2025-1", 6, "YYYY-MM"),
        ("date:..", 6, "needs a date"),
        ("title:(a author:b)", 10, "field inside"),
        ("x title:[a TO b]", 9, "range"),
        ("a^..(", 2, "a number must follow"),
        ("(" * 2000 + "a" + ")" * 2000, None, "nests too deeply"),
    ],
)
def test_malformed_query_is_one_line_with_a_column(query, column, fragment):
    with pytest.raises(QueryError) as caught:
        QueryIndex(PAPERS).search(query, STORE)
    message = str(caught.value)
    assert "\n" not in message
    assert fragment in message
    assert caught.value.column == column
    if column is not None:
        assert message.endswith(f"(column {column})")


def test_an_unclosed_quote_is_named_not_closed_in_silence():
    for query in ('title:"sparse att', '"unclosed', 'a "b" "c'):
        with pytest.raises(UnclosedQuote, match="never closed"):
            QueryIndex(PAPERS).search(query, STORE)
    assert ids('title:"sparse att"') == ["1"]


def test_parse_tree():
    assert parse('a -b (c OR title:"d e")') == And(
        (
            Term(None, "a", False, 1),
            Not(Term(None, "b", False, 4)),
            Or((Term(None, "c", False, 7), Term("title", "d e", True, 18))),
        )
    )


def test_plain_queries_do_not_import_luqum():
    code = (
        "import sys\n"
        "from tui_reader.query import QueryIndex, is_plain\n"
        "assert is_plain('kv \"attention heads\" müller')\n"
        "QueryIndex([]).search('kv cache')\n"
        "assert 'luqum' not in sys.modules\n"
        "QueryIndex([]).search('author:x')\n"
        "assert 'luqum' in sys.modules\n"
        "assert 'textual' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("kv cache", True),
        ('"a b" c', True),
        ("kv-cache", True),
        ("author:x", False),
        ("-x", False),
        ("a OR b", False),
        ("(a)", False),
        ("or and not", True),
    ],
)
def test_is_plain(text, plain):
    assert is_plain(text) is plain


def test_bare_words_are_what_the_search_index_says():
    index = SearchIndex(PAPERS)
    query = QueryIndex(PAPERS, index)
    for words in ("sparse", "attention heads", "gemma", "2501.00003v1"):
        assert query.search(f"{words} -is:starred", STORE) == [
            i for i in index.search(words) if not STORE.state(PAPERS[i].arxiv_id).starred
        ]


WORDS = ["sparse", "attention", "gaussian", "han", "is:read", "tag:to-cite", "cat:cs"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
    st.lists(st.booleans(), min_size=4, max_size=4),
    st.booleans(),
)
def test_boolean_algebra_holds(words, negate, use_or):
    """OR is the union, AND the intersection, NOT the complement, of single terms."""
    index = QueryIndex(PAPERS)
    everyone = set(range(len(PAPERS)))
    parts, sets = [], []
    for word, neg in zip(words, negate, strict=False):
        found = set(index.search(word, STORE))
        parts.append(f"-{word}" if neg else word)
        sets.append(everyone - found if neg else found)
    query = (" OR " if use_or else " ").join(parts)
    expected = set.union(*sets) if use_or else set.intersection(*sets)
    assert index.search(query, STORE) == sorted(expected)


SYNTAX = [*':()"-+!^~*?[]{}/\\ \t', "AND", "OR", "NOT", "TO", "title:", "is:", "date:",
          "tag:", "a", "é", "2025", "..", "id:", "&&", "||", "1"]  # fmt: skip


@given(st.text(max_size=30) | st.lists(st.sampled_from(SYNTAX), max_size=12).map("".join))
@settings(max_examples=1500, deadline=None)
def test_any_text_is_an_answer_or_a_query_error(text):
    try:
        found = QueryIndex(PAPERS).search(text, STORE)
    except QueryError as error:
        assert "\n" not in str(error)
    else:
        assert found == sorted(set(found))
        assert all(0 <= i < len(PAPERS) for i in found)


def test_sort():
    everyone = list(range(len(PAPERS)))
    assert sort_indices(PAPERS, everyone, "digest") == everyone
    assert sort_indices(PAPERS, everyone, "date") == [2, 1, 0, 3]  # newest first, undated last
    assert sort_indices(PAPERS, everyone, "title") == [2, 3, 1, 0]
    # Han, Legg, Müller, Team
    assert sort_indices(PAPERS, everyone, "author") == [0, 1, 2, 3]
    assert sort_indices(PAPERS, [3, 1], "author") == [1, 3]
    with pytest.raises(ValueError, match="unknown sort"):
        sort_indices(PAPERS, everyone, "size")


@pytest.fixture(scope="module")
def synthetic():
    from bench.synthetic import generate_digest
    from tui_reader.digest import parse_digest_text

    return parse_digest_text(generate_digest(600, seed=5), Path("s.md")).papers


def word_start_reference(text: str, needle: str) -> bool:
    """The slow answer: ``needle`` somewhere not preceded by a letter, digit or _."""
    text = " ".join(text.split()).casefold()
    start = text.find(needle)
    while start >= 0:
        before = text[start - 1] if start else " "
        if not (needle[0].isalnum() or needle[0] == "_") or not (before.isalnum() or before == "_"):
            return True
        start = text.find(needle, start + 1)
    return False


FIELD_TEXTS = {  # a phrase never runs from one author's name into the next
    "author": lambda p: list(p.authors),
    "title": lambda p: [p.title],
    "abs": lambda p: [p.abstract],
}


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_field_terms_match_a_slow_reference(synthetic, data):
    field = data.draw(st.sampled_from(sorted(FIELD_TEXTS)))
    source = data.draw(st.sampled_from(synthetic))
    texts = FIELD_TEXTS[field](source)
    text = " ".join(data.draw(st.sampled_from(texts)).split()).casefold() if texts else ""
    start = data.draw(st.integers(0, max(len(text) - 1, 0)))
    needle = text[start : start + data.draw(st.integers(1, 12))].strip()
    if not needle or '"' in needle or "\\" in needle:
        return
    found = QueryIndex(synthetic).search(f'{field}:"{needle}"')
    expected = [
        i
        for i, paper in enumerate(synthetic)
        if any(word_start_reference(t, needle) for t in FIELD_TEXTS[field](paper))
    ]
    assert found == expected
