"""The detail pane's lines for layout-specific fields, from papers the readers give."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from rich.style import Style

from tui_reader.digest import load_library
from tui_reader.ui.paper_fields import (
    NO_ABSTRACT,
    REPLACEMENT_NO_ABSTRACT,
    abstract_notice,
    compact_fields,
    extra_fields,
    identifier,
    keywords_label,
    summary_lines,
)

SAMPLES = Path(__file__).parent / "data" / "formats"
STYLES = {"label": Style(bold=True), "summary": Style(italic=True), "code": Style(dim=True)}


@pytest.fixture(scope="module")
def papers():
    library = load_library([SAMPLES])
    return {paper.arxiv_id: paper for paper in library.papers}


def fields(paper) -> dict[str, str]:
    return {name: value.plain for name, value in extra_fields(paper, STYLES)}


def test_an_email_paper_shows_its_id_without_a_version_and_its_arxiv_fields(papers):
    paper = papers["2501.03098"]
    assert paper.version is None
    shown = identifier(paper)
    assert shown.plain == "2501.03098  https://arxiv.org/abs/2501.03098"
    assert "vNone" not in shown.plain
    assert fields(paper) == {
        "Subjects": "cs.CL",
        "Comments": "Accepted at ECIR 2025",
        "Journal": "Proc. ECIR 2025, pp. 1-15",
    }
    assert abstract_notice(paper) is None


def test_a_versioned_paper_keeps_its_version_and_only_the_id_link_is_a_link(papers):
    shown = identifier(papers["2509.01234"], Style(underline=True))
    assert shown.plain.startswith("2509.01234v2  ")
    links = {span.style.link for span in shown.spans if span.style.link}
    assert links == {"https://arxiv.org/abs/2509.01234"}


def test_a_cross_list_is_marked_after_its_categories(papers):
    assert fields(papers["2412.18804"])["Subjects"] == "stat.ML, cs.LG  (cross-listed here)"


def test_the_compact_block_puts_the_same_fields_on_one_line(papers):
    (line,) = compact_fields(papers["2412.18804"], STYLES)
    assert line.plain == "Subjects stat.ML, cs.LG  (cross-listed here)"
    (line,) = compact_fields(papers["2501.03098"], STYLES)
    assert line.plain == (
        "Subjects cs.CL · Comments Accepted at ECIR 2025 · Journal Proc. ECIR 2025, pp. 1-15"
    )
    labels = [
        line.plain[span.start : span.end] for span in line.spans if span.style == STYLES["label"]
    ]
    assert labels == ["Subjects ", " · Comments ", " · Journal "]
    assert compact_fields(papers["2509.01234"], STYLES) == []  # nothing beyond the usual
    assert "cross-listed" not in fields(papers["2501.03117"])["Subjects"]


def test_a_replacement_says_plainly_that_the_listing_has_no_abstract(papers):
    paper = papers["2410.11520"]
    assert paper.replacement and paper.abstract == ""
    assert abstract_notice(paper) == REPLACEMENT_NO_ABSTRACT
    assert fields(paper)["Comments"] == "v3: added ablations"


def test_a_topic_table_row_has_topics_a_code_link_shown_as_text_and_no_abstract(papers):
    paper = papers["2503.10021"]
    assert abstract_notice(paper) == NO_ABSTRACT
    assert keywords_label(paper) == "Topics"
    code = dict(extra_fields(paper, STYLES))["Code"]
    assert code.plain == "https://github.com/example/voxel-tides"
    assert all(span.style.link is None for span in code.spans)  # shown, never opened
    assert code.style == Style(dim=True)
    assert "Topics" not in fields(paper)  # already shown as the keywords line


def test_topics_beside_other_keywords_get_their_own_line(papers):
    paper = replace(papers["2509.01234"], topics=("LLM serving",))
    assert keywords_label(paper) == "Keywords"
    assert fields(paper)["Topics"] == "LLM serving"


def test_an_ai_summary_paper_has_a_tldr_block_and_its_category(papers):
    paper = papers["2506.07001"]
    label, summary = summary_lines(paper, STYLES)
    assert label.plain == "TL;DR" and label.style == Style(bold=True)
    assert summary.plain.startswith("A night-time dehazing network guided by monocular depth")
    assert summary.style == Style(italic=True)
    assert fields(paper) == {"Subjects": "cs.CV"}
    assert summary_lines(papers["2501.03098"], STYLES) == []


def test_digest_text_is_never_markup_and_control_characters_show(papers):
    paper = replace(
        papers["2506.07001"],
        summary="[bold red]boom[/] \x1b]0;owned\x07 $\\alpha$",
        comments="[link=https://evil.example]x[/link]",
        code_url="https://evil.example/\x1b[2J",
    )
    summary = summary_lines(paper, STYLES)[1]
    assert summary.plain.startswith("[bold red]boom[/] ␛]0;owned␇ ")
    assert "α" in summary.plain  # math is rendered like the abstract's
    assert fields(paper)["Comments"] == "[link=https://evil.example]x[/link]"
    assert "\x1b" not in fields(paper)["Code"]
    for _, value in extra_fields(paper, STYLES):
        assert all(span.style.link is None for span in value.spans if span.style)


def test_the_fields_module_does_not_import_textual():
    code = "import sys, tui_reader.ui.paper_fields; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
