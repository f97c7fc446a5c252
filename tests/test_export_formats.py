"""Exports in every format, each read back by its own reader (rispy, json, csv, markdown-it)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
import rispy
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.conftest import SEED_DIGEST
from tui_reader.digest import parse_digest
from tui_reader.exporters import FORMATS, Entry, render
from tui_reader.exporters.table import COLUMNS

FIXTURES = Path(__file__).parent / "fixtures"
PAPERS = parse_digest(SEED_DIGEST).papers
CHAOS = next(p for p in PAPERS if p.arxiv_id == "2412.21188")

# Digest text is untrusted: a title and names that try to break each format.
NASTY = dataclasses.replace(
    CHAOS,
    arxiv_id="2501.00042",
    title='**Bold** <script>x</script> [link](http://evil) "quoted", a; b\nER  - \n# head',
    authors=("Gemma Team", "Jean de La Fontaine", ":", "=HYPERLINK(1)", "Zoë Müller"),
    abstract="First paragraph.\n\nTY  - JOUR\nSecond, with\ttab & <b>html</b>.",
)


def entries(*papers, note="", tags=()):
    return [Entry(paper, f"key{i}", note, tuple(tags)) for i, paper in enumerate(papers)]


def test_zotero_ris_fixture_field_by_field():
    """Our RIS for the sample paper equals, field by field, a record Zotero imports whole."""
    short = dataclasses.replace(CHAOS, abstract=CHAOS.abstract.split(". ")[0] + ".")
    text = render("ris", entries(short, note="read section 3\nthen the appendix",
                                 tags=("chaos", "to-cite")))  # fmt: skip
    ours = rispy.loads(text)
    expected = rispy.loads((FIXTURES / "zotero-arxiv.ris").read_text(encoding="utf-8"))
    assert len(ours) == len(expected) == 1
    assert set(ours[0]) == set(expected[0])
    for field, value in expected[0].items():
        assert ours[0][field] == value, field


def test_ris_reads_back_and_untrusted_text_stays_in_its_field():
    text = render("ris", entries(CHAOS, NASTY, note="line one\nER  - \nline three"))
    records = rispy.loads(text)
    assert [r["accession_number"] for r in records] == ["arXiv:2412.21188", "arXiv:2501.00042"]
    nasty = records[1]
    assert nasty["title"].startswith("Bold <script>")  # ** markers gone, one line
    assert nasty["title"].endswith("a; b ER - # head")  # inside the value, not a line
    assert nasty["authors"] == ["Gemma Team", "de La Fontaine, Jean", "=HYPERLINK(1)",
                                "Müller, Zoë"]  # fmt: skip
    assert nasty["abstract"].startswith("First paragraph. TY - JOUR Second")
    assert nasty["notes"] == ["line one ER - line three"]
    for line in text.splitlines():
        assert line == "" or (line[:2].isupper() and line[2:6] == "  - ")


def test_csl_json_as_pandoc_and_zotero_read_it():
    items = json.loads(render("csl-json", entries(CHAOS, NASTY, note="a note", tags=("x", "y"))))
    chaos, nasty = items
    assert chaos == {
        "id": "key0",
        "type": "article",
        "title": "Sparse chaos in cortical circuits",
        "author": [
            {"family": "Engelken", "given": "Rainer"},
            {"family": "Monteforte", "given": "Michael"},
            {"family": "Wolf", "given": "Fred"},
        ],
        "issued": {"date-parts": [[2024, 12, 30]]},
        "publisher": "arXiv",
        "number": "arXiv:2412.21188",
        "DOI": "10.48550/arXiv.2412.21188",
        "URL": "https://arxiv.org/abs/2412.21188",
        "abstract": CHAOS.abstract,
        "keyword": "x, y",
        "note": "a note",
    }
    assert nasty["author"] == [
        {"literal": "Gemma Team"},
        {"family": "La Fontaine", "given": "Jean", "non-dropping-particle": "de"},
        {"literal": "=HYPERLINK(1)"},
        {"family": "Müller", "given": "Zoë"},
    ]
    # CSL titles hold HTML-like markup: the digest's own <script> is text, **x** italic.
    assert nasty["title"].startswith("<i>Bold</i> &lt;script&gt;x&lt;/script&gt;")


def test_csv_one_row_per_paper_and_no_formulas():
    text = render("csv", entries(CHAOS, NASTY, CHAOS, note="n1\nn2", tags=("a", "b")))
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [row["id"] for row in rows] == ["2412.21188", "2501.00042"]
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["authors"] == "Rainer Engelken; Michael Monteforte; Fred Wolf"
    assert rows[0]["tags"] == "a; b"
    assert rows[0]["note"] == "n1\nn2"
    assert rows[0]["abstract"] == CHAOS.abstract.strip()
    assert rows[1]["authors"].startswith("Gemma Team; Jean de La Fontaine; =HYPERLINK")
    assert rows[1]["title"].startswith("Bold <script>")
    formula = dataclasses.replace(CHAOS, title="=cmd|' /C calc'!A0", authors=("+1 Two",))
    (row,) = csv.DictReader(io.StringIO(render("csv", entries(formula)), newline=""))
    assert row["title"] == "'=cmd|' /C calc'!A0"
    assert row["authors"] == "'+1 Two"


def test_markdown_reading_list_renders_only_arxiv_links():
    text = render("markdown", entries(CHAOS, NASTY, note="first\n\n**not bold**", tags=("t",)))
    tokens = MarkdownIt("commonmark").parse(text)
    links = [
        child.attrs["href"]
        for token in tokens
        if token.children
        for child in token.children
        if child.type == "link_open"
    ]
    assert links == ["https://arxiv.org/abs/2412.21188", "https://arxiv.org/abs/2501.00042"]
    html = MarkdownIt("commonmark").render(text)
    assert "<script>" not in html and "<h1>Reading list</h1>" in html
    assert html.count("<h1>") == 1  # the title's "# head" is text
    assert "<strong>Sparse chaos in cortical circuits</strong>" in html
    assert "**not bold**" in html  # the note's asterisks are text
    assert html.count("<blockquote>") == 2
    items = [t for t in tokens if t.type == "list_item_open"]
    assert len(items) == 2


def test_markdown_note_lines_cannot_start_blocks():
    note = "# not a heading\n- not a list\n1. not a list\n> not nested\nplain Keng-Wei & co"
    html = MarkdownIt("commonmark").render(render("markdown", entries(CHAOS, note=note)))
    for tag in ("<h1>not", "<ul>", "<blockquote>\n<blockquote>"):
        assert tag not in html, tag
    assert html.count("<ol>") == 1  # the reading list itself
    assert "# not a heading<br />" in html  # the note's line breaks kept
    for text in ("# not a heading", "- not a list", "1. not a list", "&gt; not nested",
                 "plain Keng-Wei &amp; co"):  # fmt: skip
        assert text in html, text


def test_bibtex_format_writes_tags_as_keywords():
    text = render("bibtex", entries(CHAOS, note="n", tags=("to-cite", "a, b", "Müller")))
    (entry,) = bibtexparser.parse_string(text).entries
    assert entry["keywords"] == 'to-cite, a b, M{\\"u}ller'


def test_every_format_writes_nothing_for_no_papers():
    for name in FORMATS:
        assert render(name, []) == ""
    with pytest.raises(ValueError, match="unknown format"):
        render("docx", entries(CHAOS))


@settings(max_examples=60, deadline=None)
@given(
    st.text(max_size=40),
    st.lists(st.text(max_size=15), max_size=3),
    st.text(max_size=40),
    st.lists(st.text(max_size=10), max_size=3),
)
def test_any_text_reads_back_in_every_format(title, authors, note, tags):
    paper = dataclasses.replace(CHAOS, title=title, authors=tuple(authors))
    items = entries(paper, note=note, tags=tags)
    (record,) = rispy.loads(render("ris", items))
    assert record["accession_number"] == "arXiv:2412.21188"
    (item,) = json.loads(render("csl-json", items))
    assert item["number"] == "arXiv:2412.21188"
    rows = list(csv.DictReader(io.StringIO(render("csv", items), newline="")))
    assert len(rows) == 1 and rows[0]["id"] == "2412.21188"
    tokens = MarkdownIt("commonmark").parse(render("markdown", items))
    assert sum(t.type == "list_item_open" for t in tokens) == 1


def test_exporters_are_plain_python_and_import_their_libraries_when_used():
    code = (
        "import sys\n"
        "import tui_reader.export, tui_reader.exporters\n"
        "assert 'textual' not in sys.modules\n"
        "assert 'rispy' not in sys.modules and 'luqum' not in sys.modules\n"
        "from pathlib import Path\nfrom tui_reader.digest import parse_digest\n"
        f"papers = parse_digest(Path({str(SEED_DIGEST)!r})).papers\n"
        "from tui_reader.exporters import Entry, render\n"
        "render('ris', [Entry(papers[0], 'k')])\n"
        "assert 'rispy' in sys.modules and 'textual' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
