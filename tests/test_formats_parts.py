"""The parts every reader shares: arXiv ids as pages show them, titles, emphasis."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_reader.formats.common import markdown_emphasis
from tui_reader.formats.ids import mentions
from tui_reader.formats.parts import abstract_text, category_codes, looks_like_names, title_text
from tui_reader.highlight import abstract_highlights
from tui_reader.mathtext import render_latex


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("https://arxiv.org/abs/2507.01234v2", [("2507.01234", 2, "link")]),
        ("http://export.arxiv.org/pdf/2507.01234.pdf", [("2507.01234", None, "link")]),
        ("https://arxiv.org/html/2501.00001v1", [("2501.00001", 1, "link")]),
        (
            "see arXiv:2401.01234 and arXiv 2507.09876",
            [("2401.01234", None, "text"), ("2507.09876", None, "text")],
        ),
        ("**ArXiv ID**: 2502.04420v5", [("2502.04420", 5, "text")]),
        ("https://huggingface.co/papers/2507.06001", [("2507.06001", None, "link")]),
        ("https://www.alphaxiv.org/abs/2507.06002", [("2507.06002", None, "link")]),
        ('<tr data-arxiv-id="2507.09901v2">', [("2507.09901", 2, "attribute")]),
        ("arXiv:hep-th/9901001v3", [("hep-th/9901001", 3, "text")]),
        ("https://arxiv.org/abs/MATH.gt/0309136", [("math.GT/0309136", None, "link")]),
        # Not ids: no month 13, no six-digit number, a version number, a plain number.
        ("arXiv 2513.01234, arXiv 2507.123456, v2.1234, 2507.01234", []),
        ("[![arXiv](https://img.shields.io/badge/arXiv-2401.01234-b31b1b.svg)]()", []),
    ],
)
def test_ids_are_found_wherever_readers_see_them(text, found):
    assert [(m.arxiv_id, m.version, m.kind) for m in mentions(text)] == found


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("3. Sparse Chaos", "Sparse Chaos"),
        ("1) **Sparse** Chaos", "Sparse Chaos"),
        ("[new 001] SE-Search: Agents", "SE-Search: Agents"),
        ("[replaced 003] A Title", "A Title"),
        ("[Rotor Cache](https://arxiv.org/abs/2509.01234)", "Rotor Cache"),
        ("Speech &amp; Audio", "Speech & Audio"),
        ("***KV** Footprints* of Models", "KV Footprints of Models"),
        (r"Scaling \$\lambda\$-Returns", r"Scaling $\lambda$-Returns"),
        ("<a href='x'>Ice &amp; Snow</a>", "Ice & Snow"),
        ("2025 in Review", "2025 in Review"),  # a number that is no list number stays
    ],
)
def test_titles_lose_markup_and_list_numbers(raw, title):
    assert title_text(raw) == title


def test_bold_inside_italic_is_the_keyword_and_both_render():
    text, spans = markdown_emphasis("We cut the ***KV** footprint* by half.")
    assert text == r"We cut the \emph{KV footprint} by half."
    assert [text[s:e] for s, e in spans] == ["KV"]
    shown = render_latex(text)
    assert shown.text == "We cut the KV footprint by half."
    paper_like = type("P", (), {"bold_spans": spans})()
    kinds = {(shown.text[h.start : h.end], h.kind) for h in abstract_highlights(paper_like, shown)}
    assert kinds == {("KV footprint", "emphasis"), ("KV", "keyword")}


@pytest.mark.parametrize(
    "text", ["A* search and B* trees", "2*3*4 = 24", "p < 0.05*", "**unclosed", "a ** b"]
)
def test_asterisks_that_are_not_emphasis_stay(text):
    assert markdown_emphasis(text) == (text, ())


@given(st.lists(st.sampled_from(["*", "**", "***", "a", " ", "word", "\n\n", "x*y"]), max_size=30))
def test_emphasis_spans_are_inside_the_text_and_hold_no_asterisk_pairs(parts):
    text, spans = markdown_emphasis("".join(parts))
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert "\n\n" not in text[start:end]


def test_abstracts_lose_html_and_keep_paragraphs():
    raw = "<ol><li>First part &amp; more.</li><li>Second <b>part</b>.</li></ol>"
    assert abstract_text(raw) == ("First part & more.\n\nSecond part.", ())


def test_names_and_categories():
    assert looks_like_names("Ingrid Solberg, Tomás Ferreira, Mei-Ling Chou")
    assert looks_like_names("Maarten van de Meent, Hassan Kovač")
    assert looks_like_names("张三，李四")
    assert not looks_like_names("We propose a method, and it works well.")
    assert not looks_like_names("[[code](https://github.com/example/x)]")
    assert category_codes("cs.CL; cs.IR, astro-ph.HE gr-qc `eess.AS` math.GT") == (
        "cs.CL", "cs.IR", "astro-ph.HE", "gr-qc", "eess.AS", "math.GT",
    )  # fmt: skip


def test_the_generators_own_layout_reads_emphasis_the_same_way():
    from pathlib import Path

    from tui_reader.digest import parse_digest_text

    text = (
        "# 2025-09-05\n\n## The *Sparse* **KV** Cache\n\n>Authors: Ana Lima\n\n>2025-09-01\n\n"
        "> http://arxiv.org/abs/2509.00001v1\n\nWe cut the ***KV** footprint* in half.\n"
    )
    paper = parse_digest_text(text, Path("d.md")).papers[0]
    assert paper.title == "The Sparse KV Cache"
    assert paper.abstract == r"We cut the \emph{KV footprint} in half."
    assert paper.keywords == ("KV",)
