"""The snapshot file: a TinyDB JSON database of every record, written whole and rarely.

Tables, every document keyed by a string: ``papers`` (arXiv id without version -> the
record of ``records``), ``settings`` (name -> ``value``, ``updated_at``) and ``meta``
(``schema`` -> ``version``). ``open_tinydb(path)`` opens it with TinyDB itself (through
``AtomicJSONStorage``).

The papers table is written a few hundred documents per line: still one JSON value, but
the writer re-encodes only the lines whose documents changed, the reader parses a line at
a time, and a damaged or truncated file gives back every line (and so every record) that
is still intact. Older layouts are upgraded by ``MIGRATIONS`` (keyed by the version they
upgrade from); a newer layout raises ``NewerSchemaError``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from tui_reader.model import parse_arxiv_id

from . import files
from .records import (
    FIELDS,
    ConstantSpotter,
    NewerSchemaError,
    StateFileError,
    encode_repaired,
    suspect,
    valid_paper,
    valid_setting,
)

SCHEMA_VERSION = 2
PAPERS, SETTINGS, META = "papers", "settings", "meta"
_BUCKETS = 256


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
        """The members of each non-empty bucket as JSON text, one string per bucket."""
        texts = self._texts
        for index, bucket in enumerate(self._buckets):
            if texts[index] is None:
                texts[index] = encode_repaired(bucket)[1:-1] if bucket else ""
        return [text for text in texts if text]


@dataclass
class Image:
    """What one read of the snapshot found (validated, repaired and migrated)."""

    papers: dict[str, dict]
    settings: dict[str, dict]
    other_tables: dict[str, Any]
    signature: tuple
    damaged: int = 0  # entries that were dropped
    repaired: int = 0  # entries whose odd values were repaired
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
    end = len(data.rstrip())
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


def salvage(text: str) -> dict[str, Any]:
    """Every paper record still intact in a damaged snapshot (maybe none)."""
    start = text.find('"papers"')
    if start < 0:
        return {}
    start = text.find("{", start)
    if start < 0:
        return {}
    decoder = json.JSONDecoder()
    papers: dict[str, Any] = {}
    pos, end = start + 1, len(text)
    while pos < end:
        while pos < end and text[pos] in " \t\r\n,":
            pos += 1
        try:
            key, pos = decoder.raw_decode(text, pos)
            while pos < end and text[pos] in " \t\r\n":
                pos += 1
            if type(key) is not str or text[pos : pos + 1] != ":":
                raise ValueError("not a member")
            pos += 1
            while pos < end and text[pos] in " \t\r\n":
                pos += 1
            value, pos = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            # Skip to the next line (the writer puts members on lines): maybe more intact.
            newline = text.find("\n", pos + 1)
            if newline < 0:
                break
            pos = newline + 1
            continue
        papers[key] = value
    return papers


def schema_version(tables: dict) -> int:
    meta = tables.get(META)
    if meta is None:
        return 0
    schema = meta.get("schema")
    if schema is None:
        return 0
    version = schema.get("version") if type(schema) is dict else None
    if type(version) is not int or version < 0:
        raise StateFileError("damaged (its format version is unreadable)")
    return version


def parse(raw: bytes, signature: tuple, *, lenient: bool = False) -> Image:
    """Bytes of a snapshot -> validated, migrated image. Raises StateFileError.

    With ``lenient``, a file that is not valid JSON as a whole gives the records still
    intact in it (``salvaged``) instead of raising.
    """
    if not raw or raw.isspace():
        return Image.empty(signature)  # TinyDB's own convention: empty file, empty db
    salvaged = False
    spotter = ConstantSpotter()
    try:
        tables = decode(raw, spotter)
    except UnicodeDecodeError:
        if not lenient:
            raise StateFileError("not UTF-8 text") from None
        tables, salvaged = {PAPERS: salvage(raw.decode("utf-8", "replace"))}, True
    except (ValueError, RecursionError):
        if not lenient:
            raise StateFileError("not valid JSON (truncated or damaged)") from None
        tables, salvaged = {PAPERS: salvage(raw.decode("utf-8", "replace"))}, True
    if type(tables) is not dict or any(type(table) is not dict for table in tables.values()):
        raise StateFileError("not a TinyDB database (wrong JSON shape)")
    version = schema_version(tables) if not salvaged else SCHEMA_VERSION
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"written by a newer digest-reader (format {version}, this one reads {SCHEMA_VERSION})"
        )
    migrated_from = version if version < SCHEMA_VERSION else None
    if salvaged:  # records of any format: make them current
        tables[PAPERS] = {k: _upgrade_doc(v) for k, v in tables[PAPERS].items()}
    while version < SCHEMA_VERSION:
        try:
            tables = MIGRATIONS[version](tables)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise StateFileError(f"not upgradable from format {version} ({exc})") from None
        version += 1
    deep = spotter.seen or suspect(raw)
    damaged = repaired = 0
    papers: dict[str, dict] = {}
    for key, doc in tables.get(PAPERS, {}).items():
        valid, fixed = valid_paper(doc, deep=deep)
        if valid is None:
            damaged += 1
        else:
            papers[key] = valid
            repaired += fixed
    settings = {}
    for name, doc in tables.get(SETTINGS, {}).items():
        valid_doc = valid_setting(doc, deep=deep)
        if valid_doc is None:
            damaged += 1
        else:
            settings[name] = valid_doc
            repaired += valid_doc != doc
    other = {name: t for name, t in tables.items() if name not in (PAPERS, SETTINGS, META)}
    image = Image(papers, settings, other, signature, damaged, repaired, migrated_from, salvaged)
    if damaged or repaired or salvaged or migrated_from is not None:
        image.raw = raw
    return image


def write(path: Path, header: Mapping[str, Any], papers: PaperTable) -> Path:
    """Write a whole snapshot to a temporary file beside ``path``; return its name."""
    head = encode_repaired({name: table for name, table in header.items() if name != PAPERS})
    head = head[:-1] + (', "papers": {' if len(head) > 2 else '"papers": {')
    lines = papers.lines()  # encodes only buckets that changed since the last write

    def chunks() -> Iterator[bytes]:
        yield head.encode() + b"\n"
        last = len(lines) - 1
        for index, line in enumerate(lines):
            yield line.encode() + (b",\n" if index < last else b"\n")
        yield b"}}\n"

    return files.write_temp(path, chunks())


def header(settings: Mapping[str, dict], other_tables: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(other_tables)
    result[META] = {"schema": {"version": SCHEMA_VERSION}}
    result[SETTINGS] = dict(settings)
    return result


class AtomicJSONStorage(Storage):
    """A TinyDB storage that never leaves a half-written file behind.

    ``write`` puts the whole database in a temporary file in the same folder, fsyncs it,
    renames it over the old file and fsyncs the folder. ``read`` raises
    :class:`StateFileError` for a file it cannot use, instead of guessing. It reads and
    writes the snapshot only: a running store's newest changes may still be in its
    journal. Do not write through it while a store has the file open.
    """

    def __init__(self, path: str | os.PathLike[str], create_dirs: bool = True) -> None:
        super().__init__()
        self.path = Path(path)
        self.create_dirs = create_dirs

    def read(self) -> dict[str, dict[str, Any]] | None:
        found = files.read_bytes(self.path)
        if found is None:
            return None
        image = parse(*found)
        tables: dict[str, dict[str, Any]] = dict(image.other_tables)
        tables[META] = {"schema": {"version": SCHEMA_VERSION}}
        tables[SETTINGS] = dict(image.settings)
        tables[PAPERS] = dict(image.papers)
        return tables

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.create_dirs:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        head = {name: table for name, table in data.items() if name != PAPERS}
        head.setdefault(META, {"schema": {"version": SCHEMA_VERSION}})
        files.install(write(self.path, head, PaperTable.from_docs(data.get(PAPERS, {}))), self.path)


class _KeyedTable(Table):
    """A TinyDB table whose document ids are strings (arXiv ids, setting names)."""

    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self):  # type: ignore[override]
        raise TypeError("documents here are keyed: insert Document(fields, doc_id=key)")


class _StateDB(TinyDB):
    table_class = _KeyedTable


def open_tinydb(path: str | os.PathLike[str]) -> TinyDB:
    """Open a state file's snapshot with TinyDB itself (for tools and tests).

    ``db.table("papers").get(doc_id="2501.01234")`` reads one paper. Do not write through
    it while a store has the file open.
    """
    return _StateDB(path, storage=AtomicJSONStorage)


# --------------------------------------------------------------------------- migrations


def _migrate_v0(tables: dict) -> dict:
    """Format 0 -> 1.

    Format 0 was the prototype's: no ``meta`` table; papers in TinyDB's ``_default``
    table under numeric doc ids, each with ``arxiv_id`` (possibly versioned), ``read``,
    ``star`` (or ``starred``), ``note`` and no timestamps. Several versions of one paper
    are combined: read or starred in any counts, distinct notes are joined. Documents
    without a usable id are dropped.
    """
    papers: dict[str, dict] = dict(tables.get(PAPERS, {}))
    for doc in tables.get("_default", {}).values():
        try:
            arxiv_id, _version = parse_arxiv_id(str(doc.get("arxiv_id") or doc.get("id")))
        except (AttributeError, ValueError):
            continue  # not a paper; the copy kept of the old file still has it
        note = doc.get("note") or doc.get("notes") or ""
        new = {
            "read": bool(doc.get("read")),
            "starred": bool(doc.get("starred", doc.get("star"))),
            "note": note.strip() if isinstance(note, str) else "",
            "citation_key": None,
            "updated_at": 0.0,
        }
        old = papers.get(arxiv_id)
        if old is not None:
            notes = [n for n in (old.get("note", ""), new["note"]) if n]
            new["read"] = new["read"] or bool(old.get("read"))
            new["starred"] = new["starred"] or bool(old.get("starred"))
            new["note"] = "\n\n".join(dict.fromkeys(notes))
        papers[arxiv_id] = new
    migrated = {name: t for name, t in tables.items() if name != "_default"}
    migrated[PAPERS] = papers
    migrated.setdefault(SETTINGS, {})
    migrated[META] = {"schema": {"version": 1}}
    return migrated


def _upgrade_doc(doc: Any) -> Any:
    if type(doc) is not dict or type(doc.get("changed")) is dict:
        return doc
    new = dict(doc)
    new.setdefault("tags", [])
    time = doc.get("updated_at", 0.0)
    new["changed"] = {name: time for name in FIELDS}
    return new


def _migrate_v1(tables: dict) -> dict:
    """Format 1 -> 2: tags (none yet) and one change time per field (the record's)."""
    migrated = dict(tables)
    migrated[PAPERS] = {k: _upgrade_doc(v) for k, v in tables.get(PAPERS, {}).items()}
    migrated[META] = {"schema": {"version": 2}}
    return migrated


# Keyed by the version a function upgrades *from*; each returns the next version's tables.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {0: _migrate_v0, 1: _migrate_v1}
