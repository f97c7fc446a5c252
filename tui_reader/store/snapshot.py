"""The snapshot file: a TinyDB JSON database of every record, written whole and rarely.

Tables, every document keyed by a string: ``papers`` (arXiv id without version -> the
record of ``records`` without its details: the hot judgements), ``details`` (arXiv id ->
the paper's details: title, authors, abstract...), ``settings`` (name -> ``value``,
``updated_at``) and ``meta`` (``schema`` -> ``version``). ``open_tinydb(path)`` opens
it with TinyDB itself (through ``AtomicJSONStorage``, which puts each paper's details
back into its record as ``"paper"``).

Layout (still one JSON value)::

    {"meta": ..., "settings": ..., "papers": {
    <a few hundred hot records>,
    ...
    }, "details": {
    "2501.00001": {...},
    ...
    }}

A details line of format 4 holds the paper's row of ``list --json`` and a check
(``rows``), so a listing need not parse it. The writer re-encodes only the hot lines
whose records changed and copies details lines it already has (a line of an older
format, or one whose check fails, is parsed and written anew); the reader parses the
hot lines a line at a time and only notes where each details line is (``details``), so
opening costs the judgements, not the abstracts.
A damaged or truncated file gives back every line (and so every record) still intact.
Older formats are upgraded by ``migrations.MIGRATIONS``; a newer one raises
``NewerSchemaError``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import files
from .checks import stamped_doc, valid_paper, valid_setting
from .clock import Clock, FutureStamps
from .details import Backing, DamagedDetails, Details, index_lines, parse_line
from .migrations import DETAILS, META, MIGRATIONS, PAPERS, SETTINGS, schema_version, upgrade_doc
from .ours import NOT_OURS, ours_tables
from .records import (
    EMPTY_DOC,
    ConstantSpotter,
    NewerSchemaError,
    NotOursError,
    StateFileError,
    encode_repaired,
    suspect,
)
from .rows import details_line, details_of_value, row_part
from .salvage import SEPARATOR_TEXT, salvage_tables

SCHEMA_VERSION = 5
_BUCKETS = 256
SEPARATOR = SEPARATOR_TEXT.encode()  # ends the hot table, opens the details table


class PaperTable:
    """The papers table, partitioned into buckets whose JSON text is cached.

    Each bucket becomes one line of the file. Documents are never mutated once stored
    (they are replaced), so a bucket's cached text is valid until ``set`` touches it.
    """

    __slots__ = ("_buckets", "_texts")

    def __init__(self) -> None:
        self._buckets: list[dict[str, dict]] = [{} for _ in range(_BUCKETS)]
        self._texts: list[str | None] = [None] * _BUCKETS

    @classmethod
    def from_docs(cls, docs: Mapping[str, dict]) -> PaperTable:
        table = cls()
        for key, doc in docs.items():
            table._buckets[hash(key) % _BUCKETS][key] = doc
        return table

    def get(self, key: str) -> dict | None:
        return self._buckets[hash(key) % _BUCKETS].get(key)

    def set(self, key: str, doc: dict) -> None:
        index = hash(key) % _BUCKETS
        bucket = self._buckets[index]
        if bucket.get(key) is not doc:
            bucket[key] = doc
            self._texts[index] = None

    def items(self) -> Iterator[tuple[str, dict]]:
        for bucket in self._buckets:
            yield from bucket.items()

    def __len__(self) -> int:
        return sum(len(bucket) for bucket in self._buckets)

    def lines(self) -> list[str]:
        """The hot members of each non-empty bucket as JSON text (details left out)."""
        texts = self._texts
        for index, bucket in enumerate(self._buckets):
            if texts[index] is None:
                docs = {key: hot(doc) for key, doc in bucket.items()}
                texts[index] = encode_repaired(docs)[1:-1] if docs else ""
        return [text for text in texts if text]


def hot(doc: dict) -> dict:
    """A record without its details (what the hot table and the journal hold)."""
    if "paper" not in doc:
        return doc
    return {name: value for name, value in doc.items() if name != "paper"}


@dataclass
class Image:
    """What one read of the snapshot found (validated, repaired and migrated)."""

    papers: dict[str, dict]
    settings: dict[str, dict]
    other_tables: dict[str, Any]
    signature: tuple
    damaged: int = 0  # entries that were dropped
    repaired: int = 0  # entries whose odd values were repaired
    future: int = 0  # of the repairs: stamps too far ahead (``clock.FutureStamps``)
    migrated_from: int | None = None
    salvaged: bool = False  # the file as a whole was damaged; intact records kept
    raw: bytes | None = field(default=None, repr=False)

    @classmethod
    def empty(cls, signature: tuple = files.MISSING) -> Image:
        return cls({}, {}, {}, signature)


def decode(data: str | bytes, parse_constant: Callable[[str], Any] | None = None) -> Any:
    """Parse a snapshot (text or UTF-8 bytes); our own line layout a line at a time.

    Given bytes, each line is decoded on its own, so no copy of the whole file as text
    is ever made (the file may be 200 MB).
    """
    b = isinstance(data, bytes)

    def loads(part: str | bytes) -> Any:
        return json.loads(part, parse_constant=parse_constant)

    first_nl = data.find(b"\n" if b else "\n")  # type: ignore[arg-type]
    end = _content_end(data)
    marker, closing = (b'"papers": {', b"}}") if b else ('"papers": {', "}}")
    if first_nl > 0 and data.endswith(marker, 0, first_nl) and data[end - 2 : end] == closing:  # type: ignore[arg-type]
        try:
            return _decode_lines(data, first_nl, end - 2, loads)
        except UnicodeDecodeError:
            raise
        except ValueError:
            pass  # not our layout after all: parse it whole
    return loads(data)


def _decode_lines(
    data: str | bytes, first_nl: int, body_end: int, loads: Callable[[str | bytes], Any]
) -> Any:
    b = isinstance(data, bytes)
    nl, comma, left, right = (b"\n", b",", b"{", b"}") if b else ("\n", ",", "{", "}")
    header = loads(data[:first_nl] + right + right)  # type: ignore[operator]
    if type(header) is not dict:
        raise ValueError("header is not an object")
    papers: dict[str, Any] = {}
    start = first_nl + 1
    if start < body_end and data[body_end - 1 : body_end] != nl:
        raise ValueError("body does not end a line")
    # One line at a time (no copy of the whole body: the file may be 200 MB).
    while start < body_end:
        end = data.index(nl, start)  # type: ignore[arg-type]
        last = end + 1 >= body_end
        line_end = end if last else end - 1
        if not last and data[line_end : line_end + 1] != comma:
            raise ValueError("line does not end with a comma")
        # Each line is a run of complete members, so {line} is an object and the union
        # of the lines is exactly the object the whole text describes.
        papers.update(loads(left + data[start:line_end] + right))  # type: ignore[operator]
        start = end + 1
    header[PAPERS] = papers
    return header


def parse(
    raw: bytes,
    signature: tuple,
    *,
    lenient: bool = False,
    fd: int | None = None,
    clock: Clock | None = None,
) -> Image:
    """Bytes of a snapshot -> validated, migrated image. Raises StateFileError.

    With ``lenient``, a file that is not valid JSON as a whole gives the records still
    intact in it (``salvaged``) instead of raising. Given ``fd`` (open on the file the
    bytes were read from; the image takes it over), details are left in the file behind
    a ``Details`` handle; without, they are parsed into the records. ``clock`` repairs
    stamps too far ahead (``clock.FutureStamps``).
    """
    owned = fd
    try:
        return _parse(raw, signature, lenient, fd, FutureStamps(clock or Clock()))
    except BaseException:
        if owned is not None:
            os.close(owned)
        raise


def _parse(
    raw: bytes, signature: tuple, lenient: bool, fd: int | None, stamps: FutureStamps
) -> Image:
    if not raw or raw.isspace():
        if fd is not None:
            os.close(fd)
        return Image.empty(signature)  # TinyDB's own convention: empty file, empty db
    salvaged = False
    spotter = ConstantSpotter()
    index: dict[str, tuple[int, int]] = {}
    bad_lines, hot_end = 0, None
    found = None
    try:
        found = _decode_layout(raw, spotter)
        if found is None:
            tables = decode(raw, spotter)
        else:
            tables, index, bad_lines, hot_end = found
    except UnicodeDecodeError:
        if not lenient:
            raise StateFileError("not UTF-8 text") from None
        tables, salvaged = salvage_tables(raw), True
    except (ValueError, RecursionError):
        if not lenient:
            raise StateFileError("not valid JSON (truncated or damaged)") from None
        tables, salvaged = salvage_tables(raw), True
    if not salvaged and found is None and not ours_tables(tables):
        raise NotOursError(NOT_OURS)  # another program's JSON: never moved or replaced
    if type(tables) is not dict or any(type(table) is not dict for table in tables.values()):
        raise StateFileError("not a TinyDB database (wrong JSON shape)")
    version = schema_version(tables) if not salvaged else SCHEMA_VERSION
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"written by a newer digest-reader (format {version}, this one reads {SCHEMA_VERSION})"
        )
    migrated_from = version if version < SCHEMA_VERSION else None
    if salvaged:  # records of any format: make them current
        tables[PAPERS] = {k: stamped_doc(upgrade_doc(v)) for k, v in tables[PAPERS].items()}
    while version < SCHEMA_VERSION:
        try:
            tables = MIGRATIONS[version](tables)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise StateFileError(f"not upgradable from format {version} ({exc})") from None
        version += 1
    # Details lines are checked when they are read (details.parse_line).
    deep = spotter.seen or suspect(raw, hot_end)
    damaged, repaired = bad_lines, 0
    papers: dict[str, dict] = {}
    for key, doc in tables.get(PAPERS, {}).items():
        valid, fixed = valid_paper(doc, stamps=stamps, deep=deep)
        if valid is None:
            damaged += 1
        else:
            papers[key] = valid
            repaired += fixed
    inline = tables.get(DETAILS)
    if type(inline) is dict:  # details parsed with the rest (a small or foreign file)
        for key, details in inline.items():
            if type(details) is dict:
                _attach(papers, key, details_of_value(details))
            else:
                damaged += 1
    if index:
        if fd is None:  # nobody to keep the file open: parse the details now
            for key, (offset, length) in index.items():
                try:
                    _attach(papers, key, parse_line(raw[offset : offset + length], key))
                except DamagedDetails:
                    damaged += 1
        else:
            handle = Details(Backing(fd, index))
            fd = None
            for key in index:
                _attach(papers, key, handle)
    if fd is not None:
        os.close(fd)
    settings = {}
    for name, doc in tables.get(SETTINGS, {}).items():
        valid_doc, fixed = valid_setting(doc, stamps=stamps, deep=deep)
        if valid_doc is None:
            damaged += 1
        else:
            settings[name] = valid_doc
            repaired += fixed
    other = {n: t for n, t in tables.items() if n not in (PAPERS, SETTINGS, META, DETAILS)}
    image = Image(papers, settings, other, signature, damaged, repaired, stamps.count,
                  migrated_from, salvaged)  # fmt: skip
    if damaged or repaired or salvaged or migrated_from is not None:
        image.raw = raw
    return image


@dataclass
class Written:
    """A snapshot written to a temporary file (not yet renamed over the real one)."""

    temp: Path
    index: dict[str, tuple[int, int]]  # where each details line is in it
    handles: set[Details]  # handles whose lines were copied into it
    dropped: list[str]  # papers whose details lines were damaged and left out


def write(path: Path, header: Mapping[str, Any], papers: PaperTable) -> Written:
    """Write a whole snapshot to a temporary file beside ``path``.

    Details kept behind a handle are copied line by line (each checked to parse), never
    re-encoded; those a change gave as a dict are encoded.
    """
    head = encode_repaired({n: t for n, t in header.items() if n not in (PAPERS, DETAILS)})
    head = head[:-1] + (', "papers": {' if len(head) > 2 else '"papers": {')
    lines = papers.lines()  # encodes only buckets that changed since the last write
    written = Written(Path(), {}, set(), [])

    def chunks() -> Iterator[bytes]:
        first = head.encode() + b"\n"
        offset = len(first)
        yield first
        last = len(lines) - 1
        for number, line in enumerate(lines):
            data = line.encode() + (b",\n" if number < last else b"\n")
            offset += len(data)
            yield data
        offset += len(SEPARATOR) - 1  # its newline ends the line before it
        yield SEPARATOR[1:]
        separator_comma = b""
        for arxiv_id, doc in sorted(papers.items()):  # id order: listings read runs
            line = _details_line(arxiv_id, doc.get("paper"), written)
            if line is None:
                continue
            yield separator_comma
            offset += len(separator_comma)
            written.index[arxiv_id] = (offset, len(line))
            offset += len(line)
            yield line
            separator_comma = b",\n"
        yield b"\n}}\n" if separator_comma else b"}}\n"

    written.temp = files.write_temp(path, chunks())
    return written


def _details_line(arxiv_id: str, value: Any, written: Written) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, Details):
        raw = value.raw(arxiv_id)
        if raw is None:
            return None
        written.handles.add(value)
        if row_part(raw, arxiv_id) is not None:  # as written: copied without parsing
            return raw
        try:  # never copy a damaged line into a new file; an older one is made current
            value = parse_line(raw, arxiv_id)
        except DamagedDetails:
            written.dropped.append(arxiv_id)
            return None
    return details_line(arxiv_id, value)


def _attach(papers: dict[str, dict], arxiv_id: str, details: dict | Details) -> None:
    """Give a record read from a file its details (a record of its own if it has none)."""
    doc = papers.get(arxiv_id)
    if doc is None:
        doc = dict(EMPTY_DOC)
        doc["changed"] = dict(EMPTY_DOC["changed"])
        doc["tags"] = {}
        papers[arxiv_id] = doc
    doc["paper"] = details  # a record just parsed: nobody else holds it yet


def _decode_layout(raw: bytes, spotter: ConstantSpotter) -> tuple[dict, dict, int, int] | None:
    """Our format-3 layout: (tables without details, details index, damaged lines, where
    the details start), or None when ``raw`` is laid out otherwise. Raises ValueError
    when it is damaged."""
    first_nl = raw.find(b"\n")
    if first_nl <= 0 or not raw.endswith(b'"papers": {', 0, first_nl):
        return None
    separator = raw.find(SEPARATOR, first_nl)
    end = _content_end(raw)
    if separator < 0 or raw[end - 2 : end] != b"}}":
        return None

    def loads(part: str | bytes) -> Any:
        return json.loads(part, parse_constant=spotter)

    tables = _decode_lines(raw, first_nl, separator + 1, loads)
    start = separator + len(SEPARATOR)
    if start > end - 2:
        raise ValueError("no details table")
    index, damaged = index_lines(raw, start, end - 2)
    return tables, index, damaged, start


def _content_end(data: str | bytes) -> int:
    """``len(data.rstrip())`` without copying a 200 MB file."""
    end = len(data)
    while end and data[end - 1 : end].isspace():
        end -= 1
    return end


def header(settings: Mapping[str, dict], other_tables: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(other_tables)
    result[META] = {"schema": {"version": SCHEMA_VERSION}}
    result[SETTINGS] = dict(settings)
    return result
