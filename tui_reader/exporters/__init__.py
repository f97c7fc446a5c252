"""Papers -> text in the formats reference managers read. One module per format.

``Entry`` bundles a paper with what the reader added (citation key, note, tags) and,
once fetched (``tui_reader.online``), where it was published (``published``: BibTeX
writes ``@inproceedings``/``@article``, RIS ``CONF``/``JOUR`` with the venue, CSL-JSON
``paper-conference``/``article-journal``; each keeps the arXiv id).
``FORMATS`` maps a format name to ``(render, file extension)``; every ``render``
takes a sequence of entries and returns the whole text, ending with a newline (``""``
for no entries)::

    bibtex     BibTeX @misc entries (bibtex.py), tags as ``keywords``
    ris        RIS via rispy, for Zotero, Mendeley, EndNote (ris.py)
    csl-json   CSL-JSON as pandoc and Zotero read it (csl.py)
    csv        one row per paper (table.py)
    markdown   a reading list with notes (markdown.py)

Helpers: ``latex.py`` (text and math -> LaTeX, for BibTeX), ``names.py`` (family
names, group and junk authors), ``common.py`` (what RIS, CSL, CSV and Markdown share).

``render(name, entries, *, utf8=False)`` picks the format and writes a paper listed
twice once; ``utf8`` is BibTeX's option
(the other formats are always UTF-8). Renderers import their libraries (rispy, ...)
when called, not when this package is imported. Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Paper

if TYPE_CHECKING:
    from ..online.records import Publication

__all__ = ["FORMATS", "Entry", "render"]


@dataclass(frozen=True, slots=True)
class Entry:
    paper: Paper
    key: str  # the BibTeX citation key, also the CSL-JSON id
    note: str = ""
    tags: tuple[str, ...] = ()
    published: Publication | None = None  # the published version, when known


def _bibtex(entries: Sequence[Entry], utf8: bool) -> str:
    from ..bibtex import format_entries

    return format_entries(entries, utf8=utf8)


def _ris(entries: Sequence[Entry], utf8: bool) -> str:
    from .ris import format_ris

    return format_ris(entries)


def _csl(entries: Sequence[Entry], utf8: bool) -> str:
    from .csl import format_csl_json

    return format_csl_json(entries)


def _csv(entries: Sequence[Entry], utf8: bool) -> str:
    from .table import format_csv

    return format_csv(entries)


def _markdown(entries: Sequence[Entry], utf8: bool) -> str:
    from .markdown import format_markdown

    return format_markdown(entries)


FORMATS: dict[str, tuple[Callable[[Sequence[Entry], bool], str], str]] = {
    "bibtex": (_bibtex, ".bib"),
    "ris": (_ris, ".ris"),
    "csl-json": (_csl, ".json"),
    "csv": (_csv, ".csv"),
    "markdown": (_markdown, ".md"),
}


def render(name: str, entries: Sequence[Entry], *, utf8: bool = False) -> str:
    """The text of ``entries`` in format ``name``; ValueError for an unknown format."""
    try:
        renderer, _ = FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}; use one of {', '.join(FORMATS)}") from None
    first: dict[str, Entry] = {}
    for entry in entries:
        first.setdefault(entry.paper.arxiv_id, entry)
    unique = list(first.values())
    return renderer(unique, utf8) if unique else ""
