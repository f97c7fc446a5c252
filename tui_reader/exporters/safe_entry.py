"""Entries whose every text is fit for a file: what every exporter is given.

``safe_entry(entry) -> Entry``: the paper's strings (title, authors, abstract, keywords,
comments, every field a layout fills, the digests' file names), the note, the tags and
the citation key (a state file edited by hand can hold anything) and the published
version's texts (from a network service), each through
``sanitize.clean_text``: no escape sequence, bell, C1 control or
bidirectional override reaches a BibTeX, RIS, CSL-JSON, CSV or Markdown file, raw or
JSON-escaped. The abstract's bold spans move with the characters dropped before them.
An entry with nothing to clean is returned as it is: its strings are joined and
checked at once (``sanitize.is_clean``), the usual case.
``safe_export_text(text)`` is the last check on a whole export (CSV excepted: its
cells are ``spreadsheet_cell``'s and its line ends CR LF): what an exporter wrote
around the entries cannot bring an unsafe character either.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from pathlib import Path

from ..model import DigestRef, Paper
from ..sanitize import clean_text, is_clean, removed_offsets
from . import Entry

__all__ = ["safe_entry", "safe_export_text"]

_FIELDS = tuple(field.name for field in dataclasses.fields(Paper))
# The fields that hold text, by their annotations (a field added later is covered too).
_TEXT_FIELDS = tuple(f.name for f in dataclasses.fields(Paper) if str(f.type).startswith("str"))
_TEXTS_FIELDS = tuple(
    f.name for f in dataclasses.fields(Paper) if str(f.type).startswith("tuple[str")
)


def safe_entry(entry: Entry) -> Entry:
    published = _published_strings(entry)
    if is_clean("\n".join([entry.key, entry.note, *entry.tags, *published,
                           *_strings(entry.paper)])):  # fmt: skip
        return entry
    return dataclasses.replace(
        entry,
        paper=_safe_paper(entry.paper),
        key=clean_text(entry.key, keep_newlines=False),
        note=clean_text(entry.note),
        tags=tuple(clean_text(tag, keep_newlines=False) for tag in entry.tags),
        published=_safe_published(entry.published),
    )


def _published_strings(entry: Entry) -> list[str]:
    """The published version's texts (from a network service: untrusted as well)."""
    if entry.published is None:
        return []
    return [v for v in dataclasses.astuple(entry.published) if isinstance(v, str)]


def _safe_published(published):
    if published is None:
        return None
    changes = {
        field.name: clean_text(value, keep_newlines=False)
        for field in dataclasses.fields(published)
        if isinstance(value := getattr(published, field.name), str)
    }
    return dataclasses.replace(published, **changes)


def safe_export_text(text: str) -> str:
    return clean_text(text)


def _strings(paper: Paper) -> list[str]:
    """Every string of ``paper`` (the digests' file names too)."""
    found = [value for name in _TEXT_FIELDS if isinstance(value := getattr(paper, name), str)]
    for name in _TEXTS_FIELDS:
        found.extend(getattr(paper, name))
    found.append(str(paper.source.path))
    found.extend(str(ref.path) for ref in paper.digests)
    return found


def _safe_paper(paper: Paper) -> Paper:
    changes: dict[str, object] = {}
    for name in _FIELDS:
        value = getattr(paper, name)
        cleaned = _clean_value(value)
        if cleaned is not value and cleaned != value:
            changes[name] = cleaned
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
