"""Paper details (title, authors, abstract...) kept cold: read from the snapshot when asked.

The snapshot keeps every paper's details in its own ``details`` table, one paper per
line (``"2501.00001": {...},``), after the hot ``papers`` table (see ``snapshot``).
Opening a store parses only the hot table and notes where each details line is
(``index_lines``: a scan for newlines, no JSON parsing); a record read from the snapshot
holds a ``Details`` handle as its ``"paper"`` value instead of a dict, and
``Details.load(arxiv_id)`` reads and parses that one line when the details are wanted.
``load_many(pairs)`` reads many (a listing): lines that lie one after another in the file
(the writer puts them in id order, so a listing in id order finds long runs) are read
with one ``pread`` and parsed in place one after the other (``scan_once``); from a line
that holds anything unusual on, each line goes through ``parse_line`` on its own. A
line of format 4 that holds its row (``rows``) is turned back into the details dict;
for a listing, ``load_many(..., rows=True)`` gives the row's text without parsing it.

A handle keeps the snapshot it was read from open (``Backing``: a descriptor and the
index), so it stays readable after another copy replaced the file. Once a fold has
copied the lines into a new snapshot, ``retarget`` points the handles at it and the old
file is closed. A line that cannot be parsed raises ``DamagedDetails``: only that
paper's details are lost (its judgements are in the hot table), and a fold drops it.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator
from typing import Any

from .records import repair_value
from .rows import details_of_value, row_part


class DamagedDetails(ValueError):
    """A paper's details line cannot be parsed."""


class Backing:
    """An open snapshot file and where each paper's details line is in it."""

    __slots__ = ("fd", "index")

    def __init__(self, fd: int, index: dict[str, tuple[int, int]]) -> None:
        self.fd = fd
        self.index = index

    def __del__(self) -> None:  # the last handle let go of this file: close it
        with contextlib.suppress(OSError, TypeError):
            os.close(self.fd)

    def raw(self, arxiv_id: str) -> bytes | None:
        where = self.index.get(arxiv_id)
        if where is None:
            return None
        offset, length = where
        return os.pread(self.fd, length, offset)


class Details:
    """A handle on details kept in a snapshot file, shared by every record read from it."""

    __slots__ = ("backing",)

    def __init__(self, backing: Backing) -> None:
        self.backing = backing

    def raw(self, arxiv_id: str) -> bytes | None:
        """The line of ``arxiv_id`` (without its comma), or None when there is none."""
        return self.backing.raw(arxiv_id)

    def load(self, arxiv_id: str) -> dict | None:
        """The details of ``arxiv_id``; None when absent. Raises DamagedDetails, OSError."""
        raw = self.backing.raw(arxiv_id)
        return None if raw is None else parse_line(raw, arxiv_id)

    def __repr__(self) -> str:
        return f"<Details fd={self.backing.fd} papers={len(self.backing.index)}>"


RUN_BYTES = 1 << 20  # at most this much read and parsed at once


def load_many(pairs: Iterable[tuple[str, Any]], *, rows: bool = False) -> Iterator[tuple[str, Any]]:
    """``(arxiv_id, details)`` for each ``(arxiv_id, record's "paper" value)`` pair, in
    the order given: a handle is loaded (``DamagedDetails`` or the ``OSError`` in place
    of the dict when its line is damaged or unreadable: never raised), anything else
    passed through. Adjacent lines of one file are read with one ``pread``. With
    ``rows``, a line that holds its row (``rows.row_part``) gives the row's paper part
    as text instead of a dict, without being parsed."""
    run: list[str] = []
    backing: Backing | None = None
    handle: Details | None = None  # the last handle seen (one per file: most papers')
    start = end = 0
    for arxiv_id, value in pairs:
        if value is not handle or handle is None:
            if not isinstance(value, Details):
                yield from _load_run(backing, run, start, end, rows)
                run, backing = [], None
                yield arxiv_id, value
                continue
            handle = value
        where = handle.backing.index.get(arxiv_id)
        if where is None:
            yield from _load_run(backing, run, start, end, rows)
            run, backing = [], None
            yield arxiv_id, None
            continue
        offset, length = where
        if handle.backing is not backing or offset != end + 2 or end - start > RUN_BYTES:
            yield from _load_run(backing, run, start, end, rows)
            run, backing, start = [], handle.backing, offset
        run.append(arxiv_id)
        end = offset + length
    yield from _load_run(backing, run, start, end, rows)


def _load_run(
    backing: Backing | None, run: list[str], start: int, end: int, rows: bool
) -> Iterator[tuple[str, Any]]:
    if backing is None or not run:
        return
    try:
        raw = os.pread(backing.fd, end - start, start)
    except OSError as error:
        yield from ((arxiv_id, error) for arxiv_id in run)
        return
    if rows and len(raw) == end - start:
        yield from _row_lines(backing, raw, run, start)
        return
    values: list[dict] = []
    if len(raw) == end - start:
        with contextlib.suppress(UnicodeDecodeError):
            text = raw.decode()
            if "\\u" not in text:  # an escape may be a lone surrogate: parse_line repairs
                values = _scan_lines(text, run)
    yield from zip(run[: len(values)], values, strict=True)
    for arxiv_id in run[len(values) :]:  # from an unusual line on: each line on its own
        try:
            yield arxiv_id, parse_line(backing.raw(arxiv_id) or b"", arxiv_id)
        except (DamagedDetails, OSError) as error:
            yield arxiv_id, error


def _row_lines(
    backing: Backing, raw: bytes, run: list[str], start: int
) -> Iterator[tuple[str, Any]]:
    """Each line's row part (text), or its details parsed when it holds none."""
    index = backing.index
    for arxiv_id in run:
        offset, length = index[arxiv_id]
        low = offset - start
        part = row_part(raw, arxiv_id, low, low + length)
        if part is not None:
            yield arxiv_id, part
            continue
        try:
            yield arxiv_id, parse_line(raw[low : low + length], arxiv_id)
        except DamagedDetails as error:
            yield arxiv_id, error


def _scan_lines(text: str, run: list[str]) -> list[dict]:
    """The details of each line of ``text`` (``"id": {...}`` lines joined by ``,\\n``),
    parsed in place; as many as parsed before the first line that is not exactly one
    member holding a plain object (``parse_line`` then says what is wrong with it, or
    repairs a NaN)."""
    values: list[dict] = []
    scan, pos, last = _DECODER.scan_once, 0, len(text)
    for arxiv_id in run:
        head = f'"{arxiv_id}": '
        if not text.startswith(head, pos):
            break
        try:
            value, pos = scan(text, pos + len(head))
        except (StopIteration, ValueError, RecursionError, _Odd):
            break
        if type(value) is not dict or not (pos == last or text.startswith(",\n", pos)):
            break
        values.append(details_of_value(value))
        pos += 2
    return values


def resolve(value: Any, arxiv_id: str) -> dict | None:
    """A record's ``"paper"`` value as a dict (loading a handle); None when absent."""
    if isinstance(value, Details):
        return value.load(arxiv_id)
    return value


def parse_line(raw: bytes, arxiv_id: str) -> dict:
    """One details line (``"id": {...}``) -> the details dict, repaired if odd."""
    careful = False
    try:
        try:  # the usual case: strict UTF-8, no escapes, no NaN; one shared decoder
            text = raw.decode()
            if "\\u" in text:
                raise _Odd
            member = _DECODER.decode("{" + text + "}")
        except (_Odd, UnicodeDecodeError):  # maybe a lone surrogate, NaN or Infinity
            careful = True
            member = json.loads(b"{" + raw + b"}")
    except (ValueError, RecursionError):
        raise DamagedDetails(arxiv_id) from None
    value = member.get(arxiv_id) if len(member) == 1 else None
    if type(value) is not dict:
        raise DamagedDetails(arxiv_id)
    if careful:
        value = repair_value(value)[0]
    return details_of_value(value)


class _Odd(Exception):
    """A value that needs the careful path (never a ValueError: that means damaged)."""


def _odd_constant(name: str) -> float:
    raise _Odd


_DECODER = json.JSONDecoder(parse_constant=_odd_constant)


def index_lines(data: bytes, start: int, end: int) -> tuple[dict[str, tuple[int, int]], int]:
    """Where each details line of ``data[start:end]`` is: ({id: (offset, length)}, number
    of lines that are not a member). Only the shape of a line is checked here."""
    index: dict[str, tuple[int, int]] = {}
    damaged = 0
    find = data.find
    pos = start
    while pos < end:
        stop = find(b"\n", pos, end)
        if stop < 0:
            stop = end
        last = stop - 1
        if data[last] == 44:  # ord(","); bytes give ints: no slice per line
            last -= 1
        quote = find(b'"', pos + 1, last)
        if data[pos] != 34 or data[last] != 125 or quote < 0:  # '"', "}"
            if data[pos:stop].strip():
                damaged += 1
            pos = stop + 1
            continue
        key = data[pos + 1 : quote]
        try:
            if b"\\" in key:  # an escaped id (never written by us): decode it properly
                arxiv_id = json.JSONDecoder().raw_decode(data[pos:stop].decode())[0]
            else:
                arxiv_id = key.decode()
        except (ValueError, UnicodeDecodeError):
            damaged += 1
            pos = stop + 1
            continue
        index[arxiv_id] = (pos, last + 1 - pos)
        pos = stop + 1
    return index, damaged


def retarget(handles: set[Details], backing: Backing) -> None:
    """Point ``handles`` at a new snapshot holding their lines (after a fold)."""
    for handle in handles:
        handle.backing = backing
