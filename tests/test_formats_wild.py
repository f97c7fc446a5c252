"""The eleven families of issue 19, each in a sample of our own: every field as expected.

``tests/data/formats/wild/`` holds one sample per family (and a second, differently
written variant of most) with ``expected.json``: the layout detection must pick, the
digest's date, the warnings, and every field of every paper. The traps the issue names
are in them: ids cited in abstracts and comments (no phantom paper, no stolen title),
``et al.``, list numbers, ``[new 001]``, malformed links, ``&amp;``, TeX accents,
nested affiliations, HTML attributes, Hugging Face links, the RSS announce line.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import rispy

from tests.test_formats import as_json
from tui_reader.bibtex import assign_citation_keys, format_entries
from tui_reader.digest import parse_digest
from tui_reader.digest_files import check_digest_file, read_head
from tui_reader.exporters import Entry
from tui_reader.exporters.csl import format_csl_json
from tui_reader.exporters.ris import format_ris
from tui_reader.exporters.table import format_csv
from tui_reader.formats import detect_format
from tui_reader.formats.ids import mentions

WILD = Path(__file__).parent / "data" / "formats" / "wild"
EXPECTED = json.loads((WILD / "expected.json").read_text(encoding="utf-8"))
FIELD = {"id": "arxiv_id", "code": "code_url"}
# The samples whose papers cite other ids (in abstracts, comments, summaries).
CITING = [name for name in EXPECTED if name not in ("topic-bullets.md", "topic-bullets-variant.md",
                                                     "awesome-list-variant.md",
                                                     "paper-newsletter-variant.md")]  # fmt: skip


def wild_papers():
    return [paper for name in sorted(EXPECTED) for paper in parse_digest(WILD / name).papers]


def test_every_sample_has_an_expectation_and_a_line_in_the_readme():
    samples = {p.name for p in WILD.iterdir()} - {"expected.json", "README.md"}
    assert samples == set(EXPECTED)
    readme = (WILD / "README.md").read_text(encoding="utf-8")
    for name in samples:
        stem = name.split("-variant")[0].rsplit(".", 1)[0]
        assert f"`{stem}" in readme, name
    assert len({name.split("-variant")[0].rsplit(".", 1)[0] for name in samples}) == 11


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_is_detected_as_its_layout(name):
    assert EXPECTED[name]["layout"] == detect_format(read_head(WILD / name)).NAME
    check_digest_file(WILD / name)  # the cheap check finds ids however the file shows them


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_reads_every_field_as_expected(name):
    expected = EXPECTED[name]
    parsed = parse_digest(WILD / name)
    own_date = None if parsed.ref.named else parsed.ref.date
    assert as_json(own_date) == expected["digest_date"]
    assert [f"{w.line}: {w.message}" for w in parsed.warnings] == expected["warnings"]
    assert [p.arxiv_id for p in parsed.papers] == [p["id"] for p in expected["papers"]]
    for paper, want in zip(parsed.papers, expected["papers"], strict=True):
        for key, value in want.items():
            got = as_json(getattr(paper, FIELD.get(key, key)))
            assert got == value, (paper.arxiv_id, key, got)
        assert paper.url.startswith("https://arxiv.org/abs/")


@pytest.mark.parametrize("name", CITING)
def test_cited_ids_are_no_papers_and_lend_nothing(name):
    text = (WILD / name).read_text(encoding="utf-8")
    papers = parse_digest(WILD / name).papers
    ids = {paper.arxiv_id for paper in papers}
    cited = {m.arxiv_id for m in mentions(text)} - ids
    assert cited, "the sample holds the trap"
    for paper in papers:
        assert not any(arxiv_id in paper.title for arxiv_id in cited)
        assert not paper.title.startswith("arXiv:")


def test_titles_and_authors_carry_no_markup_numbers_or_et_al():
    for paper in wild_papers():
        assert not paper.title[:1].isdigit() and not paper.title.startswith("[")
        assert "**" not in paper.title and "*" not in paper.title and "\\$" not in paper.title
        assert "&amp;" not in paper.title + paper.abstract + " ".join(paper.authors)
        for name in paper.authors:
            assert "et al" not in name.lower() and "et.al" not in name.lower() and "(" not in name


def test_every_export_of_every_sample_is_valid_and_clean():
    papers = wild_papers()
    keys = assign_citation_keys(papers, {})
    entries = [Entry(paper, keys[paper.arxiv_id], "") for paper in papers]
    bibtex = format_entries(entries)
    assert bibtex.count("@misc{") == len(papers)
    assert "\\$" not in bibtex and "**" not in bibtex
    assert bibtex.count("and others},") == sum(
        p.authors_cut_short and bool(p.authors) for p in papers
    )
    records = rispy.loads(format_ris(entries))
    assert len(records) == len(papers)
    for record in records:
        assert "*" not in record["title"] and "**" not in record.get("abstract", "")
        assert not any("et al" in name for name in record.get("authors", []))
    items = json.loads(format_csl_json(entries))
    assert len(items) == len(papers)
    for item in items:
        assert "*" not in item["title"] and "\\$" not in item["title"]
    rows = list(csv.DictReader(io.StringIO(format_csv(entries))))
    assert [row["id"] for row in rows] == [paper.arxiv_id for paper in papers]
