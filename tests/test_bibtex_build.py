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
