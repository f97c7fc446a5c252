"""Entries whose every text is fit for a file: what every exporter is given.

``safe_entry(entry) -> Entry``: the paper's strings (title, authors, abstract, keywords,
comments, every field a layout fills, the digests' file names), the note and the tags,
each through ``sanitize.clean_text``: no escape sequence, bell, C1 control or
bidirectional override reaches a BibTeX, RIS, CSL-JSON, CSV or Markdown file, raw or
JSON-escaped. The abstract's bold spans move with the characters dropped before them.
An entry with nothing to clean is returned as it is (the usual case costs one scan).
``safe_export_text(text)`` is the last check on a whole export (CSV excepted: its
cells are ``spreadsheet_cell``'s and its line ends CR LF): what an exporter wrote
around the entries cannot bring an unsafe character either.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from pathlib import Path

from ..model import DigestRef, Paper
from ..sanitize import clean_text, removed_offsets
from . import Entry

__all__ = ["safe_entry", "safe_export_text"]


def safe_entry(entry: Entry) -> Entry:
    paper = _safe_paper(entry.paper)
    note = clean_text(entry.note)
    tags = tuple(clean_text(tag, keep_newlines=False) for tag in entry.tags)
    if paper is entry.paper and note == entry.note and tags == entry.tags:
        return entry
    return dataclasses.replace(entry, paper=paper, note=note, tags=tags)


def safe_export_text(text: str) -> str:
    return clean_text(text)


def _safe_paper(paper: Paper) -> Paper:
    changes: dict[str, object] = {}
    for field in dataclasses.fields(paper):
        value = getattr(paper, field.name)
        cleaned = _clean_value(value)
        if cleaned is not value and cleaned != value:
            changes[field.name] = cleaned
    if "abstract" in changes and paper.bold_spans:
        changes["bold_spans"] = _moved_spans(paper.abstract, paper.bold_spans)
    return dataclasses.replace(paper, **changes) if changes else paper


def _clean_value(value: object) -> object:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, DigestRef):
        name = str(value.path)
        cleaned = clean_text(name, keep_newlines=False)
        return value if cleaned == name else dataclasses.replace(value, path=Path(cleaned))
    if isinstance(value, tuple) and value and isinstance(value[0], (str, DigestRef)):
        items = tuple(_clean_value(item) for item in value)
        return value if items == value else items
    return value


def _moved_spans(abstract: str, spans: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """``spans`` of ``abstract`` as offsets of ``clean_text(abstract)``."""
    dropped = removed_offsets(abstract)
    return tuple(
        (start - bisect_left(dropped, start), end - bisect_left(dropped, end))
        for start, end in spans
    )
