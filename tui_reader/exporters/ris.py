"""Entries -> RIS (written by rispy) that Zotero, Mendeley and EndNote import.

One record per paper, tags as Zotero's RIS translator maps them on import::

    TY  - JOUR                    (Zotero: journal article; RIS has no preprint type)
    TI  - title                   (``**`` emphasis markers removed)
    AU  - Family, Given           (one per author, in order; a group name as written)
    PY  - 2024
    DA  - 2024/12/30              (the submission date in the digest)
    T2  - arXiv                   (publication)
    PB  - arXiv
    AN  - arXiv:2412.21188        (archive ID)
    DO  - 10.48550/arXiv.2412.21188
    UR  - https://arxiv.org/abs/2412.21188
    AB  - abstract, on one line
    KW  - each tag                (Zotero: tags)
    N1  - the note, on one line   (Zotero: a child note)
    N1  - Only the first authors are listed (et al.).   (when the digest cut the list short)
    ER  -

A paper published at a conference (``Entry.published``) is ``TY  - CONF`` with the
proceedings as ``T2``, in a journal ``TY  - JOUR`` with the journal as ``T2`` and
``VL``; both get the venue's ``PY``, ``SP``/``EP`` and the published ``DO``, and
keep ``AN  - arXiv:ID`` and the arXiv ``UR`` (``PB  - arXiv`` is left out).

Every value is one line: line breaks in abstracts and notes become spaces, so no
value can end the record or start a new tag.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .common import authors, doi, person, plain
from .names import is_group_name

if TYPE_CHECKING:
    from . import Entry

__all__ = ["CUT_SHORT_NOTE", "format_ris", "ris_record"]

# RIS has no way to mark an author list as incomplete ("et al." would be read as a
# name), so an export says it in words, as a note.
CUT_SHORT_NOTE = "Only the first authors are listed (et al.)."


def _ris_name(name: str) -> str:
    if is_group_name(name):
        return name
    parts = person(name)
    family = " ".join(filter(None, (parts.get("non-dropping-particle"), parts["family"])))
    given = parts["given"] + (f", {parts['suffix']}" if "suffix" in parts else "")
    return f"{family}, {given}" if given else family


def ris_record(entry: Entry) -> dict[str, object]:
    """The rispy record (a dict of rispy's field names) of one entry."""
    paper = entry.paper
    record: dict[str, object] = {"type_of_reference": "JOUR", "title": plain(paper.title)}
    names = [_ris_name(name) for name in authors(paper)]
    if names:
        record["authors"] = names
    if paper.date is not None:
        record["year"] = str(paper.date.year)
        record["date"] = paper.date.strftime("%Y/%m/%d")
    published = entry.published
    if published is not None and published.kind in ("conference", "journal") and published.name:
        record["type_of_reference"] = "CONF" if published.kind == "conference" else "JOUR"
        record["secondary_title"] = plain(published.name)
        if published.year is not None:
            record["year"] = str(published.year)
        if published.kind == "journal" and plain(published.volume):
            record["volume"] = plain(published.volume)
        first, _, last = plain(published.pages).replace("\u2013", "-").partition("-")
        if first.strip():
            record["start_page"] = first.strip()
        if last.strip("- "):
            record["end_page"] = last.strip("- ")
    else:
        record["secondary_title"] = "arXiv"
        record["publisher"] = "arXiv"
    record["accession_number"] = f"arXiv:{paper.arxiv_id}"
    record["doi"] = plain(published.doi) if published and published.doi else doi(paper)
    record["urls"] = [paper.abs_url]
    if paper.abstract.strip():
        record["abstract"] = plain(paper.abstract)
    tags = [plain(tag) for tag in entry.tags if plain(tag)]
    if tags:
        record["keywords"] = tags
    notes = [plain(entry.note)] if entry.note.strip() else []
    if names and paper.authors_cut_short:  # RIS has no "et al." of its own: said in a note
        notes.append(CUT_SHORT_NOTE)
    if notes:
        record["notes"] = notes
    return record


def format_ris(entries: Sequence[Entry]) -> str:
    import rispy

    class Writer(rispy.RisWriter):
        def set_header(self, count: int) -> str:
            return ""  # rispy's "1." before each record is not RIS

    records = [ris_record(entry) for entry in entries]
    return rispy.dumps(records, implementation=Writer) if records else ""
