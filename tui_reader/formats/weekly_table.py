"""Weekly newsletter tables: ``| 1) **Title** - summary | [Paper](url), [Tweet](url) |``.

    ## Top ML Papers of the Week (July 7 - July 13) - 2025

    | **Paper**  | **Links** |
    | ------------- | ------------- |
    | 1) **Title** - a one-line summary | [Paper](https://arxiv.org/abs/2507.05001), [Tweet](...) |
    | 2) Title  A longer summary, <br> ● with bullets | [Paper](http://arxiv.org/abs/2502.04180) |

A row is a paper when its links cell links to arXiv (malformed links such as
``[Paper]([2507.05133](url))`` and ``[Paper]((url)`` included); a row that links
elsewhere (a journal, a blog) is skipped with a warning and lends nothing to the next
row. The title is the bold span after the row number, else the text up to `` - `` or
a double space; the rest is the summary (``Paper.summary``: this layout has no
abstract and no authors). A paper listed in several weeks is one paper.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model import DigestRef, Paper
from .common import DigestWarning, LinePattern, Reading, default_ref, make_paper, squash
from .ids import mentions
from .parts import abstract_text, title_text

NAME = "weekly-table"
DESCRIPTION = "weekly newsletter tables: | 1) **Title** - summary | [Paper](url), [Tweet](url) |"

_ROW = r"\|[ \t]*\d{1,3}\)[ \t]+\S[^\n]*\|[^\n|]*\[Paper\]"
_DETECT = LinePattern(_ROW, re.IGNORECASE)
_NUMBER_RE = re.compile(r"[ \t]*\d{1,3}\)[ \t]*")
_BOLD_TITLE_RE = re.compile(r"\*\*(.+?)\*\*[ \t]*(?:[-–—:][ \t]*)?(.*)$", re.S)
# Without bold: the title ends at a double space (the newer rows) or else at " - ".
_PLAIN_TITLES = (
    re.compile(r"(.{3,200}?)[ \t]{2,}(.*)$", re.S),
    re.compile(r"(.{3,200}?)[ \t]+[-–—][ \t]+(.*)$", re.S),
)
_BULLET_RE = re.compile(r"[ \t]*<br\s*/?>[ \t]*")


def detect(head: str) -> bool:
    """A ``| N) ... | [Paper](...) |`` row."""
    return _DETECT.search(head) is not None


def head_date(head: str) -> None:
    return None


def read(text: str, path: Path, ref: DigestRef | None = None) -> Reading:
    ref = ref or default_ref(path, None)
    reading = Reading([], [], None)
    papers: dict[str, Paper] = {}
    for number, line in enumerate(text.split("\n"), 1):
        if not line.startswith("|") or not _NUMBER_RE.match(line, 1):
            continue
        cells = line.strip().strip("|").rsplit("|", 1)
        if len(cells) < 2:
            continue
        paper_cell, links = cells
        found = mentions(links)
        if not found:
            reading.warnings.append(
                DigestWarning(path, number, "a row that links no arXiv paper; skipped")
            )
            continue
        if found[0].arxiv_id in papers:
            continue
        title, summary = _title_and_summary(_NUMBER_RE.sub("", paper_cell, count=1))
        papers[found[0].arxiv_id] = make_paper(
            ref,
            found[0].arxiv_id,
            found[0].version,
            title or f"arXiv:{found[0].arxiv_id}",
            (),
            None,
            line=number,
            summary=summary,
        )
    reading.papers.extend(papers.values())
    return reading


def _title_and_summary(cell: str) -> tuple[str, str]:
    cell = cell.strip()
    found = _BOLD_TITLE_RE.match(cell) if cell.startswith("**") else None
    found = found or _PLAIN_TITLES[0].match(cell) or _PLAIN_TITLES[1].match(cell)
    if not found:
        return title_text(cell), ""
    summary = _BULLET_RE.sub("\n", found.group(2))
    return title_text(found.group(1)), squash(abstract_text(summary)[0].replace("\n\n", " "))
