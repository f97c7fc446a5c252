"""``/`` search: every term must match somewhere; narrowing never changes the answer."""

from __future__ import annotations

import datetime as dt
import doctest
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synthetic import generate_digest
from tui_reader import search as search_module
from tui_reader.digest import parse_digest, parse_digest_text
from tui_reader.model import DigestRef, Paper
from tui_reader.search import SearchIndex, query_terms


@pytest.fixture(scope="module")
def seed_papers():
    from tests.conftest import SEED_DIGEST

    return parse_digest(SEED_DIGEST).papers


@pytest.fixture(scope="module")
def synthetic_papers():
    text = generate_digest(1500, seed=7)
    return parse_digest_text(text, Path("synthetic.md")).papers


PUNCTUATION = "\u00a0\u2010\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00ab\u00bb\u00b7"


def words_only(text: str) -> str:
    """Case-folded, every character that is not part of a word a space (the rule, by
    another route than the index's bytes)."""
    return "".join(
        char
        if (char.isalnum() and char.isascii())
        or char == "_"
        or (not char.isascii() and char not in PUNCTUATION)
        else " "
        for char in text.casefold()
    )


_folded: dict[int, tuple[Sequence[Paper], list[str]]] = {}


def folded_fields(papers: Sequence[Paper]) -> list[str]:
    """Each paper's searched fields as ``words_only`` sees them, each after a space,
    joined by NUL (which ``words_only`` never leaves in a term, so no term matches
    across two fields). Kept per list of papers: folding every abstract again for
    each query was most of this file's time."""
    kept = _folded.get(id(papers))
    if kept is None or kept[0] is not papers:  # the list is kept: its id stays its own
        texts = [
            "\0".join(" " + words_only(field) for field in (
                paper.versioned_id, paper.title, ", ".join(paper.authors), paper.abstract))
            for paper in papers
        ]  # fmt: skip
        kept = _folded[id(papers)] = (papers, texts)
    return kept[1]


def reference(papers: Sequence[Paper], query: str) -> list[int]:
    """The obvious, slow answer: every term found in some field where a word starts,
    punctuation counting as space on both sides."""
    terms = [" ".join(words_only(term).split()) for term in query_terms(query)]
    terms = [f" {term}" for term in terms if term]
    return [
        index
        for index, fields in enumerate(folded_fields(papers))
        if all(term in fields for term in terms)
    ]


def make_paper(index: int, title: str, authors: Sequence[str], abstract: str) -> Paper:
    ref = DigestRef(date=dt.date(2025, 1, 3), path=Path("made-up.md"))
    return Paper(
        arxiv_id=f"2501.{index:05d}",
        version=1,
        title=title,
        authors=tuple(authors),
        date=dt.date(2025, 1, 2),
        url=f"http://arxiv.org/abs/2501.{index:05d}v1",
        abstract=abstract,
        bold_spans=(),
        keywords=(),
        source=ref,
        digests=(ref,),
    )


# -- query_terms ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("", []),
        ("   ", []),
        ("kv cache", ["kv", "cache"]),
        ("  KV\tcache  ", ["KV", "cache"]),
        ('"attention heads" pruning', ["attention heads", "pruning"]),
        ('"attention   heads"', ["attention heads"]),
        ('pruning "attention he', ["pruning", "attention he"]),  # still typing
        ('"" x', ["x"]),
        ('a"b', ['a"b']),
    ],
)
def test_query_terms(query: str, terms: list[str]) -> None:
    assert query_terms(query) == terms


# -- the seed digest -------------------------------------------------------------------


def ids(papers, found):
    return [papers[index].arxiv_id for index in found]


def test_empty_query_returns_every_paper(seed_papers) -> None:
    index = SearchIndex(seed_papers)
    assert index.search("") == list(range(30))
    assert index.search('  "" ') == list(range(30))
    assert not index.built  # nothing to search, nothing built


def test_id_search(seed_papers) -> None:
    index = SearchIndex(seed_papers)
    assert ids(seed_papers, index.search("2412.20767")) == ["2412.20767"]
    assert ids(seed_papers, index.search("2412.20767v1")) == ["2412.20767"]
    assert ids(seed_papers, index.search("2412.2076")) == ["2412.20767"]


def test_author_search_is_case_insensitive(seed_papers) -> None:
    index = SearchIndex(seed_papers)
    for query in ("Engelken", "engelken", "ENGELKEN", "rainer engelken"):
        assert ids(seed_papers, index.search(query)) == ["2412.21188"], query


def test_every_term_must_match(seed_papers) -> None:
    index = SearchIndex(seed_papers)
    sparse = index.search("sparse")
    chaos = index.search("chaos")
    both = index.search("sparse chaos")
    assert both == sorted(set(sparse) & set(chaos))
    assert ids(seed_papers, both) == ["2412.21188"]
    assert index.search("sparse xyzzy") == []


def test_terms_may_match_different_fields(seed_papers) -> None:
    index = SearchIndex(seed_papers)
    # An author, a title word and an abstract word of the same paper.
    assert ids(seed_papers, index.search("Monteforte cortical Lyapunov")) == ["2412.21188"]


def test_phrases_match_as_written(seed_papers) -> None:
    index = SearchIndex(seed_papers)
    assert ids(seed_papers, index.search('"sparse chaos"')) == ["2412.21188"]
    assert index.search('"chaos sparse"') == []


def test_search_finds_latex_source_and_non_ascii(seed_papers) -> None:
    index = SearchIndex(seed_papers)
    assert ids(seed_papers, index.search(r"\mathit")) == ["2412.20677"]
    assert ids(seed_papers, index.search("0.0003")) == ["2412.20185"]


def test_results_match_the_reference_on_the_seed(seed_papers) -> None:
    index = SearchIndex(seed_papers)
    for query in ("kv", "KV cache", "model", "quantiz", "llm", "e", "2412.19", '"large language"'):
        assert index.search(query) == reference(seed_papers, query), query


# -- behaviour ---------------------------------------------------------------------


def test_terms_never_match_across_fields() -> None:
    papers = [make_paper(0, "ends with foo", ["bar Baz"], "plain words")]
    index = SearchIndex(papers)
    assert index.search("foo") == [0] and index.search("bar") == [0]
    assert index.search('"foo bar"') == []
    assert index.search('"foo, bar"') == []
    assert index.search("v1ends") == []


def test_case_folding_goes_beyond_lower() -> None:
    papers = [
        make_paper(0, "Die Straße", ["Jürgen Müller"], "ΣΊΣΥΦΟΣ"),
        make_paper(1, "x", ["y"], "z"),
    ]
    index = SearchIndex(papers)
    assert index.search("STRASSE") == [0]
    assert index.search("straße") == [0]
    assert index.search("MÜLLER") == [0]
    assert index.search("σίσυφοσ") == [0]


def test_separators_in_queries_or_text_are_plain_spaces() -> None:
    papers = [make_paper(0, "a\x00b", ["c\x1fd"], "e\x00f\x1fg")]
    index = SearchIndex(papers)
    assert index.search("a") == [0]
    assert index.search('"a b"') == [0]
    assert index.search('"e f g"') == [0]
    assert index.search("\x00") == [0]  # nothing left of the query: everything


def test_creating_an_index_touches_no_paper() -> None:
    class Untouchable(Sequence):
        def __len__(self) -> int:
            return 100_000

        def __getitem__(self, index):
            raise AssertionError("the index read a paper before the first search")

    index = SearchIndex(Untouchable())
    assert len(index) == 100_000 and not index.built


def test_build_is_idempotent(seed_papers) -> None:
    index = SearchIndex(seed_papers)
    index.build()
    blob = index._blob
    index.build()
    assert index.built and index._blob is blob
    assert ids(seed_papers, index.search("Engelken")) == ["2412.21188"]


def test_results_are_copies(seed_papers) -> None:
    index = SearchIndex(seed_papers)
    first = index.search("model")
    first.clear()
    assert index.search("model") == reference(seed_papers, "model")


def test_no_papers() -> None:
    index = SearchIndex([])
    assert index.search("x") == [] and index.search("") == []


# -- the scans agree with each other and with the reference ------------------------------

QUERIES = [
    "m", "model", "quantiz", "müller", "łukasz kowalski", "zzzq", "hep-th", "2501.0004",
    '"attention heads"', "sparse attention heads", "0.0003", "pivotkv cache", "ω", "ünïcode",
    r"\mathit{l_0}", "87.5%", "~700",
]  # fmt: skip


@pytest.mark.parametrize("plan", ["each", "jump", "rare"])
def test_every_scan_finds_the_same_papers_and_first_occurrences(synthetic_papers, plan) -> None:
    index = SearchIndex(synthetic_papers)
    index.build()
    for query in QUERIES:
        for term in search_module._prepared(query_terms(query)):
            expected = index._scan_whole(term, "each")
            assert index._scan_whole(term, plan) == expected, (plan, term)
            papers, positions = expected
            blob = bytes(index._blob)
            for paper, position in zip(papers, positions, strict=True):
                assert blob.find(term, index._starts[paper], index._ends[paper]) == position


@pytest.fixture(params=["planned", "always-each", "always-whole"])
def plan_mode(request, monkeypatch):
    """Run a test with the cost model's choice, then forcing each path through _narrow."""
    if request.param == "always-each":
        monkeypatch.setattr(search_module, "_NS_PER_PAPER", 0.0)
        monkeypatch.setattr(search_module, "_NS_PER_SCAN_STEP", 0.0)
    elif request.param == "always-whole":
        monkeypatch.setattr(search_module, "_NS_PER_PAPER", 1e9)
        monkeypatch.setattr(search_module, "_NS_PER_MERGE", 0.0)
    return request.param


def test_synthetic_queries_match_the_reference(synthetic_papers, plan_mode) -> None:
    index = SearchIndex(synthetic_papers)
    for query in QUERIES:
        assert index.search(query) == reference(synthetic_papers, query), (plan_mode, query)


def test_typing_and_backspacing_match_fresh_searches(synthetic_papers, plan_mode) -> None:
    index = SearchIndex(synthetic_papers)
    for query in ("quantization müller", '"attention heads" 2501.00', "pivotkv low-rank"):
        typed = [query[:end] for end in range(1, len(query) + 1)]
        for step in [*typed, *reversed(typed)]:
            assert index.search(step) == reference(synthetic_papers, step), (plan_mode, step)


def test_lengthening_a_term_at_its_start(synthetic_papers, plan_mode) -> None:
    index = SearchIndex(synthetic_papers)
    for query in ("quantiz", "müller", "2501.00042", "kowalski heads"):
        for start in range(len(query) - 1, -1, -1):
            step = query[start:]
            assert index.search(step) == reference(synthetic_papers, step), (plan_mode, step)


def test_a_term_reaching_before_the_first_paper(synthetic_papers) -> None:
    index = SearchIndex(synthetic_papers)
    first_id = synthetic_papers[0].arxiv_id
    assert index.search(first_id) == [0]
    assert index.search("x" + first_id) == reference(synthetic_papers, "x" + first_id) == []


# -- properties: narrowing gives the same results as a fresh search ------------------------

letters = st.sampled_from(list("abcAB ßsüÜ.-0"))
field_text = st.lists(letters, max_size=20).map("".join)


def make_papers(rows) -> list[Paper]:
    return [make_paper(i, title, authors, text) for i, (title, authors, text) in enumerate(rows)]


papers_strategy = st.lists(
    st.tuples(field_text, st.lists(field_text, min_size=1, max_size=2), field_text),
    max_size=25,
).map(make_papers)
query_strategy = st.lists(st.sampled_from(list('abcAB ßsüÜ.-0"')), max_size=8).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(papers_strategy, st.lists(query_strategy, min_size=1, max_size=12))
def test_a_used_index_answers_like_a_fresh_one(papers, queries) -> None:
    used = SearchIndex(papers)
    for query in queries:
        # Type the query forwards, backwards, then jump to it whole: all walk
        # through the history.
        for end in range(1, len(query) + 1):
            assert used.search(query[:end]) == reference(papers, query[:end])
        for start in range(len(query) - 1, -1, -1):
            assert used.search(query[start:]) == reference(papers, query[start:])
        fresh = SearchIndex(papers).search(query)
        assert used.search(query) == fresh == reference(papers, query)


def test_module_examples() -> None:
    assert doctest.testmod(search_module).failed == 0


def test_importing_does_not_import_textual() -> None:
    code = "import sys, tui_reader.search; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# -- terms match where words start ---------------------------------------------------------


def test_a_term_matches_at_the_start_of_a_word() -> None:
    papers = [
        make_paper(0, "Efficient inference", ["Song Han", "Ji Lin"], "We quantized the model."),
        make_paper(1, "Hardware for speech", ["Qingsong Wei"], "We enhance the hash."),
        make_paper(2, "Quantization of MoE", ["Han Song"], "Long songs, handled."),
    ]
    index = SearchIndex(papers)
    assert index.search("song han") == [0, 2]  # not Qingsong, enhance, hash
    assert index.search('"song han"') == [0]  # a phrase, in its order
    assert index.search("quantiz") == [0, 2]
    assert index.search("uantiz") == []
    assert index.search("ong") == []
    assert index.search("hance") == []
    assert index.search('"long songs"') == [2]
    assert index.search('"ong songs"') == []
    assert index.search("2501.00001") == [1]
    assert index.search("00001") == [1]  # digits after the dot start a word


def test_punctuation_is_a_space_on_both_sides() -> None:
    papers = [
        make_paper(0, "Notes", ["A"], "Cross-listed from hep-th; the “quantized” model…"),
        make_paper(1, "More", ["B"], "hep th and \x00control\x1fbytes"),
    ]
    index = SearchIndex(papers)
    assert index.search("hep-th") == [0, 1]
    assert index.search("quantiz") == [0]  # after a curly quote
    assert index.search("listed") == [0]
    assert index.search("control bytes") == [1]
    assert index.search("-") == [0, 1]  # nothing but punctuation: no term
