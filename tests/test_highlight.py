"""Highlights of an abstract: the digest's keywords, the user's words, search terms."""

from __future__ import annotations

import dataclasses
import doctest
import itertools
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader import highlight
from tui_reader.digest import parse_digest
from tui_reader.highlight import KINDS, Highlight, abstract_highlights, find_terms
from tui_reader.mathtext import render_latex


@pytest.fixture(scope="module")
def seed_papers():
    from tests.conftest import SEED_DIGEST

    return parse_digest(SEED_DIGEST).papers


def paper(papers, arxiv_id):
    return next(p for p in papers if p.arxiv_id == arxiv_id)


def shown(display, items, kind):
    return [display.text[item.start : item.end] for item in items if item.kind == kind]


# -- find_terms ----------------------------------------------------------------------


def test_terms_match_case_insensitively_inside_words() -> None:
    text = "We quantized the model. Quantization helps; QUANTIZE it."
    spans = find_terms(text, ["QUANTIZ"])
    assert [text[a:b] for a, b in spans] == ["quantiz", "Quantiz", "QUANTIZ"]


def test_overlapping_and_adjacent_spans_merge() -> None:
    assert find_terms("aaaa", ["aa"]) == [(0, 4)]
    assert find_terms("abcd", ["ab", "cd"]) == [(0, 4)]
    assert find_terms("abcd", ["abc", "bcd"]) == [(0, 4)]
    assert find_terms("ab cd", ["ab", "cd"]) == [(0, 2), (3, 5)]


def test_blank_terms_are_ignored() -> None:
    assert find_terms("some text", ["", "  ", "\t"]) == []
    assert find_terms("", ["x"]) == []


def test_terms_are_literal_not_patterns() -> None:
    assert find_terms("a.b a+b (x)", ["a+b", "(x)", "."]) == [(1, 2), (4, 7), (8, 11)]


def test_offsets_survive_characters_whose_case_changes_length() -> None:
    text = "İstanbul STRASSE straße"
    assert [text[a:b] for a, b in find_terms(text, ["stanbul", "strasse"])] == [
        "stanbul",
        "STRASSE",
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.lists(st.text(max_size=4), max_size=4))
def test_find_terms_spans_are_sorted_disjoint_and_match(text, terms) -> None:
    spans = find_terms(text, terms)
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end < start
    wanted = [term.strip().lower() for term in terms if term.strip()]
    for start, end in spans:
        assert 0 <= start < end <= len(text)
    for term in wanted:
        position = text.lower().find(term)
        if position >= 0 and len(text.lower()) == len(text):
            assert any(a <= position and position + len(term) <= b for a, b in spans)


# -- abstract_highlights ----------------------------------------------------------------


def test_digest_keywords_land_on_the_display_text(seed_papers) -> None:
    retake = paper(seed_papers, "2412.20504")
    display = render_latex(retake.abstract)
    items = abstract_highlights(retake, display)
    keywords = shown(display, items, "keyword")
    assert keywords and set(keywords) == {"KV"}
    start = display.text.index("PivotKV")
    assert any(item.kind == "keyword" and item.start == start + 5 for item in items)
    # ``$\textbf{ReTaKe}$`` came before them and shrank.
    assert "ReTaKe" in shown(display, items, "math")


def test_keywords_after_math_that_changed_length(seed_papers) -> None:
    gqa = paper(seed_papers, "2412.20677")
    assert r"$\mathit{L_0}$" in gqa.abstract
    display = render_latex(gqa.abstract)
    items = abstract_highlights(gqa, display)
    keywords = [item for item in items if item.kind == "keyword"]
    assert len(keywords) == len(gqa.bold_spans)
    assert [display.text[k.start : k.end] for k in keywords] == [
        gqa.abstract[a:b] for a, b in gqa.bold_spans
    ]
    math_end = display.text.index("L₀") + 2
    assert any(k.start > math_end for k in keywords)


def test_every_seed_keyword_maps_to_its_text(seed_papers) -> None:
    for item in seed_papers:
        display = render_latex(item.abstract)
        keywords = shown(display, abstract_highlights(item, display), "keyword")
        expected = [item.abstract[a:b] for a, b in item.bold_spans]
        if item.arxiv_id == "2412.19442":
            # ``\href{...**KV**...}{...**KV**...}`` shows its url once, so once.
            assert expected[-2:] == ["KV", "KV"]
            expected.pop()
        assert keywords == expected


def test_user_words_and_search_terms(seed_papers) -> None:
    mbq = paper(seed_papers, "2412.19509")
    display = render_latex(mbq.abstract)
    items = abstract_highlights(mbq, display, words=["QUANTIZ"], search=["vision", ""])
    words = shown(display, items, "word")
    assert words and all(word.lower() == "quantiz" for word in words)
    assert {"quantiz", "Quantiz"} <= set(words)
    assert {term.lower() for term in shown(display, items, "search")} == {"vision"}


def test_emphasis_and_math_come_from_the_display(seed_papers) -> None:
    st3 = paper(seed_papers, "2412.20105")
    display = render_latex(st3.abstract)
    items = abstract_highlights(st3, display)
    assert shown(display, items, "emphasis") == ["PVTP", "VTA"]
    assert shown(display, items, "math") == ["ST³", "ST³", "2×", "30%", "ST³"]


def test_highlights_are_sorted_by_start_then_kind(seed_papers) -> None:
    st3 = paper(seed_papers, "2412.20105")
    display = render_latex(st3.abstract)
    items = abstract_highlights(st3, display, words=["token"], search=["visual token"])
    keys = [(item.start, KINDS.index(item.kind)) for item in items]
    assert keys == sorted(keys)
    assert {item.kind for item in items} == set(KINDS)
    for item in items:
        assert 0 <= item.start < item.end <= len(display.text)


def test_plain_abstract_without_bold_spans(seed_papers) -> None:
    plain = dataclasses.replace(paper(seed_papers, "2412.21140"), bold_spans=(), keywords=())
    display = render_latex(plain.abstract)
    assert abstract_highlights(plain, display) == []
    assert abstract_highlights(plain, display, search=["LLM"])[0] == Highlight(
        display.text.index("LLM"), display.text.index("LLM") + 3, "search"
    )


def test_module_examples() -> None:
    assert doctest.testmod(highlight).failed == 0


def test_importing_does_not_import_textual() -> None:
    code = "import sys, tui_reader.highlight; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
