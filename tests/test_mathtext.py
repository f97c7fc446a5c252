"""LaTeX -> readable Unicode: the issue's examples, the seed digest and properties."""

from __future__ import annotations

import doctest
import subprocess
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader import mathtext
from tui_reader.digest import parse_digest
from tui_reader.mathtext import DisplayText, render_latex


@pytest.fixture(scope="module")
def seed_papers():
    from tests.conftest import SEED_DIGEST

    return parse_digest(SEED_DIGEST).papers


def paper(papers, arxiv_id):
    return next(p for p in papers if p.arxiv_id == arxiv_id)


def check_map(source: str, shown: DisplayText) -> None:
    """Text between converted units is copied unchanged, in order: nothing is dropped."""
    source_at = display_at = 0
    for source_start, source_end, display_start, display_end in shown.conversions:
        assert source_at <= source_start < source_end <= len(source)
        assert display_at <= display_start <= display_end <= len(shown.text)
        assert source[source_at:source_start] == shown.text[display_at:display_start]
        assert source[source_start] in "$\\}", source[source_start:source_end]
        if source[source_start] == "$":
            assert source[source_end - 1] == "$"
        source_at, display_at = source_end, display_end
    assert source[source_at:] == shown.text[display_at:]
    for start, end in (*shown.emphasis, *shown.math):
        assert 0 <= start < end <= len(shown.text)


# -- the examples ---------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"$\alpha$", "α"),
        (r"$\mathit{L_0}$", "L₀"),
        ("ST$^3$", "ST³"),
        ("ST$^3$ Accelerating Multimodal", "ST³ Accelerating Multimodal"),
        (r"($\textbf{ST}^{3}$)", "(ST³)"),
        (r"$\mathbf{30\%}$", "30%"),
        (r"less than 0.0003\% to GPU", "less than 0.0003% to GPU"),
        ("up to 87.5% of key-value heads", "up to 87.5% of key-value heads"),
        (r"$\ell_1$-penalized", "ℓ₁-penalized"),
        (r"$\ell_2$-error", "ℓ₂-error"),
        (r"$(s_0)^{3/2}$", "(s₀)³ᐟ²"),
        (r"$\log p$ over $n$", "log p over n"),
        (r"$\mathbf{2\times}$ faster", "2× faster"),
        (r"$\beta_2 \leq 0.5$", "β₂ ≤ 0.5"),
        (r"$O(n \log n)$", "O(n log n)"),
        (r"$a \times b \sim c \approx d$", "a × b ∼ c ≈ d"),
        (r"$x \in \mathbb{R}^n$", "x ∈ ℝⁿ"),
        (r"$\sum_i x_i \cdot y \rightarrow \infty$", "∑ᵢ xᵢ · y → ∞"),
        (r"$^{3}$ and $_0$", "³ and ₀"),
        (r"$\textbf{ReTaKe}$", "ReTaKe"),
        (r"$\mathrm{d}x$ $\text{if } y$ $\operatorname{argmax}$", "dx if y argmax"),
        (r"$\frac{a}{b}$ $\frac{n+1}{2}$ $\frac12$", "a/b (n+1)/2 1/2"),
        (r"$\sqrt{x}$ $\sqrt{n+1}$ $\sqrt[3]{x}$", "√x √(n+1) ∛x"),
        (r"$a\,b\;c\!d \quad e$", "abcd e"),
        (r"$\{x\}$ $x^{a b}$", "{x} xᵃᵇ"),
        (r"$\hat{y}$ $\not\in$", "ŷ ∉"),
        (r"$$x^2$$", "x²"),
        (r"$50%$", "50%"),
        (r"$\aleph_0$", "ℵ₀"),  # from pylatexenc's table
    ],
)
def test_examples(source: str, expected: str) -> None:
    shown = render_latex(source)
    assert shown.text == expected
    check_map(source, shown)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("$x^{3/2}$", ["x³ᐟ²", "x^(3/2)"]),
        ("$x_{ij}$", ["xᵢⱼ", "x_(ij)"]),
        ("$x_{KV}$", ["x_(KV)"]),
        ("$x_q$", ["x_q"]),
        (r"$\mathbb{R}^{d \times d}$", ["ℝ^(d×d)"]),
    ],
)
def test_scripts_without_unicode_fall_back_to_a_readable_form(source, expected) -> None:
    assert render_latex(source).text in expected


@pytest.mark.parametrize(
    "source",
    [
        "costs $5 and $10",
        "an unmatched $ stays",
        "$ x$ and $x $",  # pandoc: no space inside the delimiters
        "$a$5",  # a closer followed by a digit is not one
        "100% sure ~ 50%, x_i^2 {braces} }{",
        "a % is a percent sign % even twice",
        r"\foo stays \foo{x} and \\ too",
        r"\textbf{unclosed",
        "$x\n\ny$",  # math never spans paragraphs
        "A & B demand/supply (<1%)",
    ],
)
def test_what_is_not_latex_stays_as_written(source: str) -> None:
    assert render_latex(source).text == source


def test_unknown_math_commands_stay_as_written() -> None:
    assert render_latex(r"$\foo$").text == r"\foo"
    assert render_latex(r"$\foo{x_0}$").text == r"\foo{x₀}"


def test_escapes_outside_math() -> None:
    shown = render_latex(r"50\% \& 3\_a costs \$5 \#1")
    assert shown.text == "50% & 3_a costs $5 #1"
    check_map(r"50\% \& 3\_a costs \$5 \#1", shown)


def test_emphasis_commands_become_emphasis_spans() -> None:
    source = r"Pruning (\textbf{PVTP}) and \emph{VTA} or \textit{it} but \texttt{code}"
    shown = render_latex(source)
    assert shown.text == "Pruning (PVTP) and VTA or it but code"
    assert [shown.text[a:b] for a, b in shown.emphasis] == ["PVTP", "VTA", "it"]
    assert shown.display_span(source.index(r"\textbf"), source.index(")")) == (9, 13)


def test_accents() -> None:
    assert render_latex(r"Erd\H{o}s, G\"odel, \'{E}cole, na\"{\i}ve").text == (
        "Erdős, Gödel, École, naïve"
    )


def test_href_keeps_the_url() -> None:
    assert render_latex(r"see \href{https://x.org/a\_b}{the code}.").text == (
        "see the code <https://x.org/a_b>."
    )
    assert render_latex(r"\href{https://x.org}{https://x.org}").text == "https://x.org"
    assert render_latex(r"\url{https://x.org/a\%20b}").text == "https://x.org/a%20b"


def test_math_spans_are_reported() -> None:
    shown = render_latex(r"ST$^3$ uses $\mathit{L_0}$ masks")
    assert [shown.text[a:b] for a, b in shown.math] == ["³", "L₀"]


# -- the offset map -----------------------------------------------------------------


def test_display_span_around_converted_units() -> None:
    source = r"a $\mathit{L_0}$ b **c**"
    shown = render_latex(source)
    assert shown.text == "a L₀ b **c**"
    start = source.index("b")
    assert shown.display_span(start, start + 1) == (5, 6)
    # A span touching a converted unit covers the whole unit.
    inside = source.index("L_0")
    assert shown.display_span(inside, inside + 1) == (2, 4)
    assert shown.display_span(0, 3) == (0, 4)
    assert shown.display_offset(len(source)) == len(shown.text)


def test_identity_map_without_latex() -> None:
    shown = render_latex("plain title")
    assert shown == DisplayText("plain title", source_length=11)
    assert shown.display_span(2, 5) == (2, 5)
    assert shown.display_span(-3, 99) == (0, 11)
    assert shown.display_span(7, 2) == (7, 7)


# -- the seed digest -----------------------------------------------------------------


def test_every_seed_paper_renders(seed_papers) -> None:
    assert len(seed_papers) == 30
    for item in seed_papers:
        for source in (item.title, item.abstract):
            shown = render_latex(source)
            check_map(source, shown)
            for source_start, _, display_start, display_end in shown.conversions:
                if source[source_start] == "$":
                    assert "$" not in shown.text[display_start:display_end]
            # Checked through the public map too: every character outside a converted
            # unit keeps its place.
            covered = set()
            for source_start, source_end, _, _ in shown.conversions:
                covered.update(range(source_start, source_end))
            for position, char in enumerate(source):
                if position not in covered:
                    start, end = shown.display_span(position, position + 1)
                    assert (end - start, shown.text[start]) == (1, char)


def test_seed_titles_and_abstracts(seed_papers) -> None:
    st3 = paper(seed_papers, "2412.20105")
    assert render_latex(st3.title).text.startswith("ST³ Accelerating Multimodal")
    abstract = render_latex(st3.abstract).text
    assert "(ST³), a framework" in abstract
    assert "2× faster inference with only about 30% KV cache" in abstract
    assert "Pruning (PVTP)" in abstract
    assert "$" not in abstract and "\\" not in abstract

    assert "our method is based on L₀ masks" in render_latex(
        paper(seed_papers, "2412.20677").abstract
    ).text.replace("Our", "our")
    lasso = render_latex(paper(seed_papers, "2412.19963").abstract).text
    assert "ℓ₁-penalized" in lasso and "ℓ₂-error" in lasso and "log p over n" in lasso
    assert "(s₀)³ᐟ² (s₀: the number" in lasso
    compensation = render_latex(paper(seed_papers, "2412.20185").abstract).text
    assert "0.0003% to GPU memory" in compensation and "1.7% inference" in compensation
    gqa = render_latex(paper(seed_papers, "2412.20677").abstract).text
    assert "87.5% of key-value heads" in gqa


def test_survey_link_shows_its_url_once(seed_papers) -> None:
    url = "https://github.com/TreeAI-Lab/Awesome-KV-Cache-Management"
    shown = render_latex(paper(seed_papers, "2412.19442").abstract).text
    assert shown.count(url) == 1
    assert shown.endswith(f"is in: {url}.")


def test_rendering_an_abstract_is_fast(seed_papers) -> None:
    abstract = paper(seed_papers, "2412.20105").abstract
    render = mathtext._render.__wrapped__  # past the cache
    best = min(_timed(render, abstract) for _ in range(20))
    assert best < 1e-3


def _timed(function, argument) -> float:
    start = time.perf_counter()
    function(argument)
    return time.perf_counter() - start


def test_module_examples() -> None:
    assert doctest.testmod(mathtext).failed == 0


def test_importing_does_not_import_textual() -> None:
    code = "import sys, tui_reader.mathtext; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# -- properties -----------------------------------------------------------------------

LATEX_PIECES = st.sampled_from(
    [
        "$", "$$", "\\", "{", "}", "^", "_", "%", "~", " ", "\n\n", "a", "Z", "3", "0.5",
        "\\alpha", "\\%", "\\$", "\\&", "\\_", "\\textbf{", "\\emph{", "\\href{", "\\url{",
        "\\mathit{", "\\mathbb{", "\\frac", "\\sqrt", "\\sqrt[", "]", "\\left", "\\right.",
        "\\'", '\\"{', "\\foo", "\\log", "\\\\", "x_0", "^{3/2}", "\\not", "\\hat", "(", ")",
        "ü", "王", "**",
    ]
)  # fmt: skip
LATEXISH = st.lists(LATEX_PIECES | st.text(max_size=3), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(LATEXISH)
def test_render_never_raises_and_never_drops(source: str) -> None:
    shown = render_latex(source)
    check_map(source, shown)
    assert shown.source_length == len(source)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_renders(source: str) -> None:
    check_map(source, render_latex(source))


@settings(max_examples=200, deadline=None)
@given(st.text().filter(lambda text: "$" not in text and "\\" not in text))
def test_text_without_latex_is_unchanged(source: str) -> None:
    shown = render_latex(source)
    assert shown.text == source
    assert shown.conversions == () and shown.emphasis == () and shown.math == ()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", " ", "%", "\\%", "$", "x^2", "\\alpha", "\\textbf{", "}", "50"]),
        max_size=30,
    ).map("".join)
)
def test_percent_signs_survive(source: str) -> None:
    assert render_latex(source).text.count("%") == source.count("%")


@settings(max_examples=300, deadline=None)
@given(LATEXISH, st.integers(-5, 200), st.integers(-5, 200))
def test_display_span_is_within_bounds_and_ordered(source: str, start: int, end: int) -> None:
    shown = render_latex(source)
    shown_start, shown_end = shown.display_span(start, end)
    assert 0 <= shown_start <= shown_end <= len(shown.text)
    if 0 <= start <= end <= len(source):
        # Wider source spans never map to narrower display spans.
        wider = shown.display_span(max(start - 1, 0), min(end + 1, len(source)))
        assert wider[0] <= shown_start and shown_end <= wider[1]
