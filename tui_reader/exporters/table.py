"""Entries -> CSV, one row per paper (RFC 4180: quoted where needed, CRLF line ends).

Columns: ``id, version, title, authors, date, digests, categories, url, doi, key,
tags, note, abstract``. Lists are joined with ``; `` (authors, digests, categories,
tags); the title loses its ``**`` markers; note and abstract keep their line breaks
(quoted, as CSV allows). Every cell is ``sanitize.spreadsheet_cell``'s: no control
character, and a cell that a spreadsheet would run as a formula (starting with
``= + - @``, tab or a line break, also after spaces) gets a leading ``'`` (OWASP's
advice against CSV injection); digest text is untrusted. A field the paper does not
have (a version an e-mail does not give) is an empty cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..sanitize import spreadsheet_cell
from .common import authors, doi, plain

if TYPE_CHECKING:
    from . import Entry

__all__ = ["COLUMNS", "format_csv"]

COLUMNS = (
    "id",
    "version",
    "title",
    "authors",
    "date",
    "digests",
    "categories",
    "url",
    "doi",
    "key",
    "tags",
    "note",
    "abstract",
)


def format_csv(entries: Sequence[Entry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for entry in entries:
        paper = entry.paper
        row = {
            "id": paper.arxiv_id,
            "version": "" if paper.version is None else str(paper.version),
            "title": plain(paper.title),
            "authors": "; ".join(authors(paper)),
            "date": paper.date.isoformat() if paper.date else "",
            "digests": "; ".join(digest.label for digest in paper.digests),
            "categories": "; ".join(paper.categories),
            "url": paper.abs_url,
            "doi": doi(paper),
            "key": entry.key,
            "tags": "; ".join(plain(tag) for tag in entry.tags),
            "note": entry.note.strip(),
            "abstract": paper.abstract.strip(),
        }
        writer.writerow([spreadsheet_cell(row[column]) for column in COLUMNS])
    return out.getvalue()
