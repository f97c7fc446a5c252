"""A paper's row as ``list --json`` prints it, and the details lines that hold it (format 4).

API: ``row_json(arxiv_id, details, digests, state)`` is a row's JSON text, the one
place its fields are named: ``paper_part(arxiv_id, details, digests)`` (the paper's
fields, up to and without the closing brace) followed by ``state_part(read, starred,
note)``.
``details_line(arxiv_id, details)`` is a paper's line of the snapshot's ``details``
table; ``row_part(line, arxiv_id)`` gives back the row's paper part of a line written
so, or None; ``details_of_value(value)`` turns a parsed line back into the details dict
the rest of the store knows (``paper_details.details_of``'s shape).

A format-4 details line holds the row itself::

    "2501.00001": {"id": "2501.00001", "version": 1, ... "digests": ["2025-01-03"],
     "stored": {"bold_spans": [...], "source": {...}, "digests": [...], "line": 12},
     "check": [LENGTH, CRC]}

on one line: the row's paper part exactly as ``paper_part`` writes it, then what a
``Paper`` needs besides (``stored``), then ``check``: the length in bytes of the paper
part and the CRC-32 of every byte of the line before ``, "check"``. A listing splices
the paper part with the state when the check holds, without parsing the line: the
bytes are then those the writer made from a validated dict (never a NaN, a lone
surrogate or another spacing), so the row is the slow path's to the byte. Any other
line (details that are not plain, a hand edit, a damaged line, an older format) is
parsed and goes through the ``Paper``, as before. Only plain details
(``paper_details.plain_details``) are written with a row; others as the details dict.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping
from json.encoder import encode_basestring
from typing import Any

from .paper_details import DETAILS_KEYS, digest_labels, plain_details
from .records import PaperState, encode_repaired

# ``encode`` without ``indent`` runs the C encoder (``indent`` runs the pure-Python one).
encode = _encode = json.JSONEncoder(ensure_ascii=False).encode
_dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
CHECK = b', "check": ['
_STORED = ("bold_spans", "source", "digests", "line")
_AS_IS = ("version", "title", "authors", "date", "url", "keywords", "categories",
          "topics", "cross_list", "replacement")  # fmt: skip
_CUT_SHORT = '"authors_cut_short": true, '  # only in the rows of such papers


def row_json(arxiv_id: str, details: Mapping, digests: list[str], state: PaperState) -> str:
    """A row of ``list --json`` as JSON text: a paper's details as the store keeps them
    (``details_of``), its digests' labels and its state. Written here rather than by
    the encoder, which took twice as long on a year of papers; the text is the
    encoder's to the byte (``_encode`` for any value of an unexpected type)."""
    return paper_part(arxiv_id, details, digests) + state_part(
        state.read, state.starred, state.note
    )


def paper_part(arxiv_id: str, details: Mapping, digests: list[str]) -> str:
    """The paper's fields of a row, in row order, without the closing brace."""
    d, version = details, details["version"]
    return (
        f'{{"id": {_str(arxiv_id)}, '
        f'"version": {version if type(version) is int else _encode(version)}, '
        f'"title": {_str(d["title"])}, "authors": {_strs(d["authors"])}, '
        f"{_CUT_SHORT if d.get('authors_cut_short') is True else ''}"
        f'"date": {_str(d["date"])}, "url": {_str(d["url"])}, '
        f'"abstract": {_str(d["abstract"] or None)}, "keywords": {_strs(d["keywords"])}, '
        f'"categories": {_strs(d["categories"])}, "comments": {_str(d["comments"] or None)}, '
        f'"journal_ref": {_str(d["journal_ref"] or None)}, '
        f'"summary": {_str(d["summary"] or None)}, "code": {_str(d["code_url"] or None)}, '
        f'"topics": {_strs(d["topics"])}, "cross_list": {_bool(d["cross_list"])}, '
        f'"replacement": {_bool(d["replacement"])}, "digests": {_strs(digests)}'
    )


def state_part(read: object, starred: object, note: object) -> str:
    """The state's fields of a row (a ``PaperState``'s, or a record's) and its closing
    brace."""
    return f', "read": {_bool(read)}, "starred": {_bool(starred)}, "note": {_str(note or None)}}}'


def _str(value: object) -> str:
    if type(value) is str:
        return encode_basestring(value)
    return "null" if value is None else _encode(value)


def _bool(value: object) -> str:
    return "true" if value is True else "false" if value is False else _encode(value)


def _strs(values: Iterable[object]) -> str:
    try:
        return f"[{', '.join(map(encode_basestring, values))}]"
    except TypeError:  # not all strings
        return _encode(list(values))


def details_line(arxiv_id: str, details: Mapping[str, Any]) -> bytes:
    """The ``details`` table's line of a paper (without its comma): the row and a
    check for plain details, else the details dict as it is (repaired if odd)."""
    row = _row_line(arxiv_id, details) if plain_details(details) else None
    return row if row is not None else encode_repaired({arxiv_id: details})[1:-1].encode()


def _row_line(arxiv_id: str, details: Mapping[str, Any]) -> bytes | None:
    try:
        part = paper_part(arxiv_id, details, digest_labels(details)).encode()
        stored = _dumps({name: details[name] for name in _STORED}).encode()
        key = _dumps(arxiv_id).encode()
    except (KeyError, TypeError, ValueError, AttributeError):  # a lone surrogate, ...
        return None
    line = b'%s: %s, "stored": %s' % (key, part, stored)
    return b"%s%s%d, %d]}" % (line, CHECK, len(part), zlib.crc32(line))


def row_part(data: bytes, arxiv_id: str, low: int = 0, high: int | None = None) -> str | None:
    """The row's paper part held by the details line ``data[low:high]``, written by
    ``details_line``; None unless the line is exactly as written (its check holds) and
    is ``arxiv_id``'s. (A run of lines is read at once: no copy is made of a line.)"""
    high = len(data) if high is None else high
    at = data.rfind(CHECK, low, high)
    if at < 0 or not data.endswith(b"]}", low, high):
        return None
    try:
        length, crc = map(int, data[at + len(CHECK) : high - 2].split(b", "))
    except ValueError:
        return None
    key = b'"%s": ' % arxiv_id.encode()
    start = low + len(key)
    view = memoryview(data)
    if (
        not data.startswith(key, low)
        or start + length > at
        or zlib.crc32(view[low:at]) != crc
        or not data.startswith(b'{"id": ', start)
    ):
        return None
    return str(view[start : start + length], "utf-8")


def details_of_value(value: dict) -> dict:
    """A parsed details line as the details dict (``details_of``'s shape): a line
    holding a row is turned back (best effort for a hand-edited one); any other dict
    is returned as it is."""
    stored = value.get("stored")
    if "check" not in value or type(stored) is not dict:
        return value
    details: dict[str, Any] = {}
    for name in DETAILS_KEYS:  # in details_of's order
        if name in _STORED:
            if name in stored:
                details[name] = stored[name]
        elif name in _AS_IS:
            if name in value:
                details[name] = value[name]
        else:
            row_name = "code" if name == "code_url" else name
            if row_name in value:
                details[name] = "" if value[row_name] is None else value[row_name]
    if value.get("authors_cut_short") is True:
        details["authors_cut_short"] = True
    return details
