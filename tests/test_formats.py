"""Every layout sample reads exactly as its expected.json says.

The samples are copied from ``../shared/digests/formats/`` into ``tests/data/formats/``
so a fresh clone tests them too; when the shared folder is next to the checkout, a test
checks that the copies are the same files.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.conftest import SHARED_DIGESTS
from tui_reader.digest import parse_digest, parse_digest_text
from tui_reader.formats import FORMATS, detect_format, format_named

SAMPLES = Path(__file__).parent / "data" / "formats"
EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
LAYOUT_OF = {
    "efficientpaper-badges.md": "generator",
    "efficientpaper-legacy.md": "generator-2024",
    "arxiv-listing-email.txt": "arxiv-email",
    "ai-enhanced-daily.md": "ai-summary",
    "paper-table.md": "topic-table",
}
# expected.json's names for Paper fields where they differ.
FIELD = {"id": "arxiv_id", "code": "code_url"}


def as_json(value: object) -> object:
    if isinstance(value, tuple):
        return [as_json(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_every_sample_has_an_expectation_and_a_layout():
    samples = {p.name for p in SAMPLES.iterdir() if p.is_file()} - {"expected.json", "README.md"}
    assert samples == set(EXPECTED) == set(LAYOUT_OF)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_is_detected_as_its_layout(name):
    head = (SAMPLES / name).read_text(encoding="utf-8")[:65536]
    assert LAYOUT_OF[name] == detect_format(head).NAME


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_reads_as_expected(name):
    path = SAMPLES / name
    expected = EXPECTED[name]
    layout = format_named(LAYOUT_OF[name])
    reading = layout.read(path.read_text(encoding="utf-8"), path)
    assert as_json(reading.date) == expected["digest_date"]
    assert reading.warnings == []
    parsed = parse_digest(path)  # the loader picks the same layout and finds the same
    assert parsed.warnings == []
    assert [p.arxiv_id for p in parsed.papers] == [p["id"] for p in expected["papers"]]
    for paper, want in zip(parsed.papers, expected["papers"], strict=True):
        for key, value in want.items():
            if key.endswith("_starts"):
                got = getattr(paper, key.removesuffix("_starts"))
                assert got.startswith(value), (paper.arxiv_id, key, got)
            elif value is None:
                got = getattr(paper, FIELD.get(key, key))
                assert not got, (paper.arxiv_id, key, got)  # no such field in this layout
            else:
                got = as_json(getattr(paper, FIELD.get(key, key)))
                assert got == value, (paper.arxiv_id, key, got)
        assert paper.url.startswith(("http://arxiv.org/abs/", "https://arxiv.org/abs/"))
        assert " " not in paper.url and "](" not in paper.url


def test_badges_become_bold_keywords_in_the_abstract():
    paper = parse_digest(SAMPLES / "efficientpaper-badges.md").papers[0]
    assert "![" not in paper.abstract and "shields.io" not in paper.abstract
    assert [paper.abstract[s:e] for s, e in paper.bold_spans] == [
        "decoding", "LLM", "KV", "cache", "KV",
    ]  # fmt: skip
    assert "(LLMs) spends" in paper.abstract


@pytest.mark.parametrize(
    ("path", "keyword"),
    [
        ("decoding-F08080", "decoding"),
        ("low--bit-F08080", "low-bit"),
        ("snake__case-blue", "snake_case"),
        ("two_words-blue", "two words"),
        ("multi--head_attention-ff0", "multi-head attention"),
        ("percent%20space-red", "percent space"),
    ],
)
def test_badge_keyword_decodes_shields_escapes(path, keyword):
    from tui_reader.formats.generator import badge_keyword

    assert badge_keyword(path) == keyword


def test_undated_digest_takes_its_newest_papers_date_and_shows_its_name():
    path = SAMPLES / "efficientpaper-legacy.md"
    for parsed in (parse_digest(path), parse_digest_text(path.read_text(), path)):
        assert parsed.ref.date == dt.date(2024, 9, 12)
        assert parsed.ref.label == "2024-09-12 (efficientpaper-legacy.md)"
        assert all(paper.source == parsed.ref for paper in parsed.papers)


def test_the_email_keeps_replacements_and_marks_cross_lists():
    papers = parse_digest(SAMPLES / "arxiv-listing-email.txt").papers
    replacement = papers[-1]
    assert replacement.replacement and replacement.abstract == ""
    assert [p.cross_list for p in papers] == [False, False, True, False]
    assert all(p.version is None and p.versioned_id == p.arxiv_id for p in papers)
    assert papers[0].line == 11  # the arXiv: line


def test_the_topic_table_merges_a_paper_listed_under_two_topics():
    papers = parse_digest(SAMPLES / "paper-table.md").papers
    both = next(p for p in papers if p.arxiv_id == "2503.09876")
    assert both.topics == both.keywords == ("Point Cloud", "NeRF")
    assert papers[0].code_url == "https://github.com/example/voxel-tides"


def test_every_layout_has_the_interface():
    names = [module.NAME for module in FORMATS]
    assert len(set(names)) == len(names) and names[-1] == "arxiv-links"
    for module in FORMATS:
        assert callable(module.detect) and callable(module.read) and callable(module.head_date)
        assert module.DESCRIPTION and module.__doc__
    with pytest.raises(ValueError, match="unknown digest format 'nope'"):
        format_named("nope")


def test_copies_match_the_shared_samples():
    shared = SHARED_DIGESTS / "formats"
    if not shared.is_dir():
        pytest.skip("../shared/digests is not next to this checkout")
    for path in shared.iterdir():
        if path.name == "expected.json":
            continue
        assert (SAMPLES / path.name).read_bytes() == path.read_bytes(), path.name
    # Issue 19: "et al." is no author but a list cut short; otherwise the same.
    shared_expected = json.loads((shared / "expected.json").read_text(encoding="utf-8"))
    for sample in shared_expected.values():
        for paper in sample["papers"]:
            if paper.get("authors", [""])[-1:] == ["et al."]:
                paper["authors"] = paper["authors"][:-1]
                paper["authors_cut_short"] = True
    assert shared_expected == EXPECTED
