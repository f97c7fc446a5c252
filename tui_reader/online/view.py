"""What the rest of the program sees of a paper's fetched metadata.

The digest stays the source of what you saw: the list, the abstract and its keyword
highlights are the digest's. Fetched metadata changes only what a reference needs:

``arxiv_title(paper, meta) -> str | None``: arXiv's exact title, when it is usable and
says something else than the digest's (whitespace aside); None otherwise.
``for_export(paper, meta) -> Paper``: the paper with arXiv's title, authors,
categories, comments and journal_ref (the digest's where arXiv's are missing).
``publication(meta) -> Publication | None``: the venue service's conference or journal
(name, year, volume, pages), the published DOI (the service's, else the one the
authors gave arXiv) and arXiv's journal_ref; None when nothing says it was published.
``problems(arxiv_id, meta) -> list[OnlineWarning]``: why fetched data are not used.

A withdrawn paper, or an arXiv title whose TeX cannot be read (unbalanced braces or
an odd number of ``$``), leaves the digest's data in place and is named by
``problems``. Plain functions: no I/O, no Textual.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Paper
from .records import ArxivRecord, Metadata, OnlineWarning, Publication

__all__ = ["arxiv_title", "for_export", "problems", "publication", "usable_title"]

_UNESCAPED_DOLLAR_RE = re.compile(r"(?<!\\)\$")


def usable_title(title: str) -> bool:
    """True when ``title``'s TeX can be read: braces balanced, ``$`` paired."""
    depth = 0
    escaped = False
    for char in title:
        if escaped:
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and len(_UNESCAPED_DOLLAR_RE.findall(title)) % 2 == 0


def _usable(meta: Metadata | None) -> ArxivRecord | None:
    record = meta.arxiv if meta is not None else None
    if record is None or record.withdrawn or not usable_title(record.title):
        return None
    return record


def arxiv_title(paper: Paper, meta: Metadata | None) -> str | None:
    record = _usable(meta)
    if record is None or record.title == " ".join(paper.title.split()):
        return None
    return record.title


def for_export(paper: Paper, meta: Metadata | None) -> Paper:
    record = _usable(meta)
    if record is None:
        return paper
    return replace(
        paper,
        title=record.title,
        authors=record.authors or paper.authors,
        categories=record.categories or paper.categories,
        comments=record.comments or paper.comments,
        journal_ref=record.journal_ref or paper.journal_ref,
    )


def publication(meta: Metadata | None) -> Publication | None:
    if meta is None or (meta.arxiv is not None and meta.arxiv.withdrawn):
        return None
    venue, record = meta.venue, meta.arxiv
    doi = (venue.doi if venue else "") or (record.doi if record else "")
    journal_ref = record.journal_ref if record else ""
    if venue is None:
        if not doi and not journal_ref:
            return None
        return Publication("", doi=doi, journal_ref=journal_ref)
    return Publication(venue.kind, venue.name, venue.year, venue.volume, venue.pages, doi,
                       journal_ref)  # fmt: skip


def problems(arxiv_id: str, meta: Metadata | None) -> list[OnlineWarning]:
    record = meta.arxiv if meta is not None else None
    if record is None:
        return []
    where = f"arXiv:{arxiv_id}"
    if record.withdrawn:
        return [OnlineWarning(where, "withdrawn on arXiv; the digest's data are kept")]
    if not usable_title(record.title):
        return [OnlineWarning(where, f"arXiv's title has TeX that cannot be read "
                              f"({record.title!r}); the digest's title is kept")]  # fmt: skip
    return []
