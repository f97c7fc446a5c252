"""An author list a digest cut short ("et al."): kept by the store, said by every export.

``Paper.authors_cut_short`` is true where the digest listed only the first authors;
``et al.`` is never an author. The store keeps the flag (and reads older details
without it as not cut short), ``list --json`` shows it, BibTeX ends the list with
``and others``, CSL-JSON with a ``{"literal": "others"}`` name (pandoc's reading of
BibTeX's ``and others``, which citeproc prints as "et al."), RIS with a note.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tests.store_helpers import make_paper
from tui_reader.bibtex import format_entry
from tui_reader.exporters import Entry
from tui_reader.exporters.csl import csl_item
from tui_reader.exporters.ris import CUT_SHORT_NOTE, ris_record
from tui_reader.formats.parts import author_names
from tui_reader.store.paper_details import (
    details_of,
    paper_from_snapshot,
    plain_details,
    snapshot_of,
)
from tui_reader.store.rows import details_line, details_of_value, paper_part, row_part

CUT = make_paper("2501.00009", authors=("Hana Novak", "Rui Zhang"), authors_cut_short=True)
WHOLE = make_paper("2501.00010")


@pytest.mark.parametrize(
    ("line", "names", "cut_short"),
    [
        ("Hana Novak et.al.", ("Hana Novak",), True),
        ("Hana Novak et al.", ("Hana Novak",), True),
        (
            "A. Aad, B. Abbott, et al. (29 additional authors not shown)",
            ("A. Aad", "B. Abbott"),
            True,
        ),
        ("Ana Lima and others", ("Ana Lima",), True),
        ("张三, 李四等", ("张三", "李四"), True),
        ("_Jian Wang, Jake Y. Chen, et al._", ("Jian Wang", "Jake Y. Chen"), True),
        ("Ana Lima, Bo Chen", ("Ana Lima", "Bo Chen"), False),
        ("B. Novak (1,3) ((1) Dept. of Physics, (3) CERN), C. Li", ("B. Novak", "C. Li"), False),
        ("M. Mould (Physics &amp; Astronomy; MIT), S. Vitale", ("M. Mould", "S. Vitale"), False),
        ("et al.", (), True),
    ],
)
def test_et_al_is_never_an_author(line, names, cut_short):
    assert author_names(line) == (names, cut_short)


def test_the_flag_survives_the_store_and_older_details_read_as_whole():
    snap = json.loads(json.dumps(snapshot_of(CUT)))
    assert snap["authors_cut_short"] is True and plain_details(snap)
    assert paper_from_snapshot(CUT.arxiv_id, snap) == CUT
    whole = snapshot_of(WHOLE)
    assert "authors_cut_short" not in whole  # other papers' details are as before
    assert paper_from_snapshot(WHOLE.arxiv_id, whole).authors_cut_short is False
    snap["authors_cut_short"] = "yes"  # not what the program writes: not plain, not set
    assert not plain_details(snap)
    assert paper_from_snapshot(CUT.arxiv_id, snap).authors_cut_short is False


def test_list_rows_say_so_and_the_spliced_row_is_the_slow_one():
    for paper in (CUT, WHOLE):
        details = snapshot_of(paper)
        labels = [ref.label for ref in paper.digests]
        line = details_line(paper.arxiv_id, details)
        part = paper_part(paper.arxiv_id, details, labels)
        assert row_part(line, paper.arxiv_id) == part
        row = json.loads(part + "}")
        assert row.get("authors_cut_short", False) is paper.authors_cut_short
        back = details_of_value(json.loads(b"{" + line + b"}")[paper.arxiv_id])
        assert back == details and list(back) == list(details)
    assert '"authors_cut_short"' not in paper_part(WHOLE.arxiv_id, details_of(WHOLE), [])


def test_bibtex_ends_with_and_others():
    entry = format_entry(CUT, "novak2025x")
    assert "author        = {Hana Novak and Rui Zhang and others}," in entry
    assert "others" not in format_entry(WHOLE, "k")
    alone = replace(CUT, authors=(), authors_cut_short=True)
    assert "author " not in format_entry(alone, "k")  # no "others" without a first author


def test_csl_json_ends_with_the_literal_others():
    names = csl_item(Entry(CUT, "k", ""))["author"]
    assert names[-1] == {"literal": "others"} and len(names) == 3
    assert {"literal": "others"} not in csl_item(Entry(WHOLE, "k", ""))["author"]


def test_ris_says_it_in_a_note_and_keeps_the_users_note():
    record = ris_record(Entry(CUT, "k", "my note"))
    assert record["authors"] == ["Novak, Hana", "Zhang, Rui"]
    assert record["notes"] == ["my note", CUT_SHORT_NOTE]
    assert "notes" not in ris_record(Entry(WHOLE, "k", ""))
