"""Real bibtex (plain, unsrt, alpha), biber and pdflatex on a generated 1,000-paper export.

Skipped only when the TeX tools are absent (``.ci/run`` installs them).
"""

from __future__ import annotations

import re

import pytest

from bench import bench_bibtex_tex as tex
from tui_reader.bibtex import format_entries

pytestmark = pytest.mark.skipif(
    not tex.available(), reason="bibtex, biber or pdflatex not installed"
)

_UNICODE_ERROR_RE = re.compile(r"^! LaTeX Error: Unicode character (.) \(U\+([0-9A-F]+)\)")


@pytest.fixture(scope="module")
def items():
    return tex.entries(1000)


def test_bibtex_and_biber_report_no_errors_on_1000_papers(items, tmp_path):
    warnings: list[str] = []
    text = format_entries(items, warnings=warnings)
    assert text.count("@misc{") == 1000
    figures = tex.build(text, tmp_path)
    for style in tex.STYLES:
        assert figures[style] == (0, 0), style  # (errors, warnings)
        bbl = (tmp_path / f"cite-{style}.bbl").read_text(encoding="utf-8", errors="replace")
        assert bbl.count("\\bibitem") == 1000, style
    read, errors, biber_warnings, broken = figures["biber"]
    assert (read, errors, biber_warnings, broken) == (1000, 0, 0, 0)
    # Typesetting fails only on characters LaTeX has no ASCII spelling for, and the
    # export named each of them in a warning.
    warned = "\n".join(warnings)
    for line in figures["latex"]:
        match = _UNICODE_ERROR_RE.match(line)
        assert match, line
        assert f"(U+{match.group(2)})" in warned, line


def test_biber_reads_the_utf8_export_whole(items, tmp_path):
    text = format_entries(items, utf8=True)
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    assert tex.run_biber(tmp_path) == (1000, 0, 0, 0)


def test_the_dotless_i_is_what_biber_breaks(tmp_path):
    """The check can fail: biber's reading of {\\'\\i} leaves a combining accent behind."""
    (tmp_path / "refs.bib").write_text(
        "@misc{a,\n  author = {Ana Mart{\\'\\i}nez},\n  title = {T},\n  year = {2024},\n}\n",
        encoding="utf-8",
    )
    assert tex.run_biber(tmp_path) == (1, 0, 0, 1)


def test_every_digest_layout_exports_with_no_bibtex_or_biber_error(tmp_path):
    """The papers of every layout sample (issue 19's families too: lists cut short
    with 'and others', math and emphasis in titles, TeX accents, HTML entities)."""
    from pathlib import Path

    from tui_reader.bibtex import assign_citation_keys
    from tui_reader.digest import load_library, parse_digest
    from tui_reader.exporters import Entry

    samples = Path(__file__).parent / "data" / "formats"
    papers = list(load_library([samples]).papers)
    papers += [p for path in samples.glob("wild/*.html") for p in parse_digest(path).papers]
    keys = assign_citation_keys(papers, {})
    warnings: list[str] = []
    text = format_entries([Entry(p, keys[p.arxiv_id], "") for p in papers], warnings=warnings)
    assert "and others}" in text and "\\$" not in text
    figures = tex.build(text, tmp_path)
    for style in tex.STYLES:
        assert figures[style] == (0, 0), style
    assert figures["biber"] == (len(papers), 0, 0, 0)
    warned = "\n".join(warnings)
    for line in figures["latex"]:
        match = _UNICODE_ERROR_RE.match(line)
        assert match and f"(U+{match.group(2)})" in warned, line
