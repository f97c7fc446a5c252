"""What the network tells about a paper, as plain frozen dataclasses, and their JSON form.

``ArxivRecord``: one paper as arXiv's API has it (exact title, authors, abstract,
categories, comments, journal_ref, DOI, version, dates, withdrawn or not).
``Venue``: the published version as the venue service knows it (conference or journal,
its name, year, volume, pages, DOI, DBLP key). ``Metadata``: what is known of one
arXiv id from both sources (either may be None: not fetched, or not known there).
``Publication``: what an export writes of the published version (``view.publication``
makes it). ``OnlineWarning``: one line for the warnings screen.

``to_json(record)`` / ``arxiv_from_json(data)`` / ``venue_from_json(data)``: the
cache's form; a ``*_from_json`` raises ValueError for anything not of that shape, so
a damaged cache line is skipped, never half-used.

Nothing here does I/O or imports Textual.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

__all__ = [
    "ArxivRecord",
    "Metadata",
    "OnlineWarning",
    "Publication",
    "Venue",
    "arxiv_from_json",
    "to_json",
    "venue_from_json",
]


@dataclass(frozen=True, slots=True)
class ArxivRecord:
    arxiv_id: str  # without version, as the rest of the program spells it
    version: int | None
    title: str  # exact, line wrapping of the feed undone
    authors: tuple[str, ...]
    abstract: str
    primary_category: str = ""
    categories: tuple[str, ...] = ()
    comments: str = ""
    journal_ref: str = ""
    doi: str = ""  # the published version's DOI, as the authors gave it to arXiv
    published: str = ""  # ISO date of the first version
    updated: str = ""  # ISO date of this version
    withdrawn: bool = False


@dataclass(frozen=True, slots=True)
class Venue:
    kind: str  # "conference" or "journal"
    name: str  # the proceedings' or the journal's name
    year: int | None = None
    volume: str = ""
    pages: str = ""
    doi: str = ""
    dblp: str = ""


@dataclass(frozen=True, slots=True)
class Metadata:
    arxiv_id: str
    arxiv: ArxivRecord | None = None
    venue: Venue | None = None


def to_json(record: ArxivRecord | Venue) -> dict[str, object]:
    data = asdict(record)
    for name, value in data.items():
        if isinstance(value, tuple):
            data[name] = list(value)
    return data


def _build(cls, data: object, tuples: tuple[str, ...]):
    if type(data) is not dict:
        raise ValueError("not an object")
    values: dict[str, object] = {}
    for field in fields(cls):
        if field.name not in data:
            continue
        value = data[field.name]
        if field.name in tuples:
            if type(value) is not list or not all(type(item) is str for item in value):
                raise ValueError(f"{field.name}: not a list of strings")
            value = tuple(value)
        values[field.name] = value
    try:
        record = cls(**values)
    except TypeError as error:  # a required field is missing
        raise ValueError(str(error)) from None
    for field in fields(cls):
        value = getattr(record, field.name)
        expected = field.type
        ok = {
            "str": type(value) is str,
            "bool": type(value) is bool,
            "int | None": value is None or type(value) is int,
            "tuple[str, ...]": type(value) is tuple,
        }.get(expected)
        if not ok:
            raise ValueError(f"{field.name}: not a {expected}")
    return record


def arxiv_from_json(data: object) -> ArxivRecord:
    record = _build(ArxivRecord, data, ("authors", "categories"))
    if not record.arxiv_id:
        raise ValueError("no arxiv_id")
    return record


def venue_from_json(data: object) -> Venue:
    venue = _build(Venue, data, ())
    if venue.kind not in ("conference", "journal") or not venue.name:
        raise ValueError("not a venue")
    return venue


@dataclass(frozen=True, slots=True)
class Publication:
    """What an export says of the published version (``kind`` "" : none known, only a
    DOI or arXiv's free-text ``journal_ref``)."""

    kind: str  # "conference", "journal" or ""
    name: str = ""
    year: int | None = None
    volume: str = ""
    pages: str = ""
    doi: str = ""
    journal_ref: str = ""


@dataclass(frozen=True, slots=True)
class OnlineWarning:
    """One line for the warnings screen: where (``arXiv:ID``, a service) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"
