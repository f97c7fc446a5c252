"""Topic tables: one Markdown table of papers per topic, no abstracts.

    ## Updated on 2025.03.14

    ## Point Cloud

    |Publish Date|Title|Authors|PDF|Code|
    |---|---|---|---|---|
    |**2025-03-13**|**Voxel Tides**|Hugo Marchand et.al.|[2503.10021](http://arxiv.org/abs/2503.10021)|**[link](https://github.com/x/y)**|

Columns are found by their header names, so their order may vary. The ``## `` heading
above a table is its topic; a paper listed under several topics is one paper with all
of them (as ``topics`` and as ``keywords``). ``et.al.`` is not an author: the list is
cut short (``Paper.authors_cut_short``).
``Updated on`` is the digest's date.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..model import DigestRef, absurd_version, version_number
from .common import (
    ARXIV_REF_RE,
    DigestWarning,
    LinePattern,
    Reading,
    default_ref,
    make_paper,
    parse_date,
    plain_title,
)
from .parts import author_names

NAME = "topic-table"
DESCRIPTION = "topic tables: |Publish Date|Title|Authors|PDF|Code| under ## topic headings"

_HEADER_RE = re.compile(r"\|[ \t]*Publish Date[ \t]*\|(?:.*\|)?[ \t]*Title[ \t]*\|", re.I)
_DETECT = LinePattern(_HEADER_RE.pattern, re.I)
_UPDATED_RE = re.compile(r"^#+[ \t]+Updated on[ \t]+(\d{4})[.\-/](\d{2})[.\-/](\d{2})", re.I | re.M)
_LINK_TARGET_RE = re.compile(r"\]\(\s*(\S+?)\s*\)")


def detect(head: str) -> bool:
    """A ``|Publish Date|...|Title|`` table header."""
    return _DETECT.search(head) is not None


def head_date(head: str) -> dt.date | None:
    match = _UPDATED_RE.search(head)
    if not match:
        return None
    return parse_date("-".join(match.groups()))


def read(text: str, path: Path, ref: DigestRef | None = None) -> Reading:
    date = head_date(text)
    ref = ref or default_ref(path, date)
    reading = Reading([], [], date)
    rows: dict[str, dict] = {}
    topic = ""
    columns: dict[str, int] = {}
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            if not heading.lower().startswith("updated on"):
                topic, columns = plain_title(heading), {}
            continue
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if _HEADER_RE.match(line):
            columns = {name.lower(): index for index, name in enumerate(cells)}
            continue
        if not columns or not line.strip("|-: \t"):  # a |---|:--| rule
            continue
        _row(cells, columns, topic, number, path, rows, reading)
    for row in rows.values():
        topics = tuple(row["topics"])  # also the keywords: the only ones this layout has
        reading.papers.append(
            make_paper(
                ref,
                row["id"],
                row["version"],
                row["title"],
                row["authors"],
                row["date"],
                line=row["line"],
                keywords=topics,
                topics=topics,
                code_url=row["code"],
                authors_cut_short=row["cut_short"],
            )
        )
    return reading


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else ""


def _row(
    cells: list[str],
    columns: dict[str, int],
    topic: str,
    number: int,
    path: Path,
    rows: dict[str, dict],
    reading: Reading,
) -> None:
    found = ARXIV_REF_RE.search(_cell(cells, columns, "pdf")) or ARXIV_REF_RE.search(
        "|".join(cells)
    )
    if found is None:
        reading.warnings.append(DigestWarning(path, number, "a table row without an arXiv link"))
        return
    arxiv_id = found.group(1)
    if absurd := absurd_version(found.group(2)):
        reading.warnings.append(DigestWarning(path, number, f"{arxiv_id}: {absurd}"))
    row = rows.get(arxiv_id)
    if row is not None:
        if topic and topic not in row["topics"]:
            row["topics"].append(topic)
        return
    authors, cut_short = author_names(_cell(cells, columns, "authors"))
    code = _LINK_TARGET_RE.search(_cell(cells, columns, "code"))
    rows[arxiv_id] = {
        "id": arxiv_id,
        "version": version_number(found.group(2)),
        "title": plain_title(_cell(cells, columns, "title")) or arxiv_id,
        "authors": authors,
        "cut_short": cut_short,
        "date": parse_date(_cell(cells, columns, "publish date").strip("* ")),
        "code": code.group(1) if code else "",
        "topics": [topic] if topic else [],
        "line": number,
    }
