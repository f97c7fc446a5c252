"""The reader's judgements — read, starred, note — kept so that they are never lost.

This module owns the state file: one TinyDB JSON database holding, per paper, what the
reader decided about it, plus the citation keys the BibTeX export assigned and a few app
settings. It is plain Python (no Textual) and safe to use from the UI thread: every
mutation is applied to an in-memory working copy at once and written by a background
thread shortly afterwards.

Public API
----------
``PaperState``
    Frozen dataclass: ``read``, ``starred``, ``note``, ``citation_key``, ``updated_at``.
``StateStore.open(path, *, background=True, flush_interval=0.5, check_interval=1.0,
on_external_change=None, on_notice=None) -> StateStore``
    Read the file at ``path`` (the caller decides where it lives; missing folders are
    created on the first write). ``on_external_change(ids)`` is called when changes made
    by another running copy are merged in; ``on_notice(message)`` for every user-facing
    message, which is also appended to ``store.notices``. Both are plain attributes too,
    and are called from whichever thread found the news — usually the background thread,
    so a UI must marshal them to its own thread. Never while a store lock is held.

Reading (all O(1) except ``ids`` and ``citation_keys``, which scan):
    ``state(arxiv_id) -> PaperState`` (defaults when unknown), ``known(arxiv_id) -> bool``,
    ``snapshot(arxiv_id) -> Paper | None`` (the paper as it was when starred or noted),
    ``ids(*, starred=None, read=None, noted=None) -> list[str]`` (sorted),
    ``citation_keys() -> dict[str, str]``, ``get_setting(name, default=None)``.

Changing (targets are ``Paper`` objects or id strings; a versioned id is accepted):
    ``set_read(targets, read) -> set[str]``, ``set_starred(targets, starred) -> set[str]``
    and ``set_note(target, note) -> set[str]`` (a blank note deletes it) each make one
    undo step and return the ids whose state actually changed. Starring or noting a
    ``Paper`` stores a snapshot of its metadata; passing a ``Paper`` whose snapshot
    exists refreshes it. ``undo() -> set[str] | None`` reverts the last step (None when
    there is nothing to undo). ``set_citation_keys(mapping)`` only fills keys that are
    missing — an assigned key never changes. ``set_setting(name, value)`` (JSON values).

Persistence:
    ``flush() -> bool`` merges with the file under a lock and writes it atomically now
    (True when everything is on disk, False when saving failed — see ``notices``).
    ``reload() -> set[str]`` merges changes another copy wrote and returns their ids.
    ``close()`` stops the thread and flushes; idempotent; also done at interpreter exit.
    A ``StateStore`` is a context manager. ``install_signal_flush(store)`` makes SIGTERM
    and SIGHUP exit through ``SystemExit`` so the store is flushed on the way out.

The file
--------
A TinyDB JSON database with three tables, every document keyed by a string:
``papers`` (arXiv id without version -> ``read``, ``starred``, ``note``,
``citation_key``, ``updated_at`` and, once starred or noted, ``paper``: a metadata
snapshot), ``settings`` (name -> ``value``, ``updated_at``) and ``meta``
(``schema`` -> ``version``). ``open_tinydb(path)`` opens it with TinyDB itself.
Older layouts are upgraded by the functions in ``MIGRATIONS`` (keyed by the version they
upgrade from); a copy of the old file is kept beside it.

The papers table is written a few hundred documents per line. That is still one JSON
value, but lets the writer re-encode only the lines whose documents changed and the
reader parse a line at a time, so neither holds the interpreter lock for long.

Why the state survives
----------------------
* Writes go to a temporary file in the same folder, are fsynced and renamed over the old
  file (then the folder is fsynced): the file is always a complete database.
  ``kill -9`` loses at most the changes of the last ``flush_interval``.
* Two copies can share one file: each write happens under an inter-process lock
  (``<file>.lock``), after re-reading the file if it changed, and merges per paper and
  field (three-way against what this copy last saw; when both sides changed the same
  field, the newer ``updated_at`` wins; an assigned citation key is never replaced).
  Nothing is ever deleted, so a merge is a union.
* A damaged or unreadable file is never overwritten: it is moved to
  ``<file>.corrupt-<timestamp>`` and the store starts empty; damaged single entries are
  skipped after a copy of the file is kept. A folder that cannot be written is reported
  once; changes stay in memory and saving is retried (and its recovery reported).
  A folder where the file should be is somebody's folder: it is never moved or
  written into; the store says so and keeps this session's changes in memory only.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import json
import os
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from tui_reader.model import DigestRef, Paper, parse_arxiv_id

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "AtomicJSONStorage",
    "PaperState",
    "StateStore",
    "install_signal_flush",
    "open_tinydb",
]

SCHEMA_VERSION = 1

PAPERS, SETTINGS, META = "papers", "settings", "meta"

# How long a write waits for another copy to release the file lock before giving up
# (the flush is then retried later, like any failed save).
LOCK_TIMEOUT = 5.0

# Undo steps kept per session: enough for any real session, bounded for a long one.
UNDO_LIMIT = 10_000

_EMPTY_DOC: dict[str, Any] = {
    "read": False,
    "starred": False,
    "note": "",
    "citation_key": None,
    "updated_at": 0.0,
}
_JUDGEMENTS = ("read", "starred", "note")
_ABSENT = object()
_MISSING = ("missing",)  # the signature of a file that does not exist


@dataclass(frozen=True, slots=True)
class PaperState:
    """What the reader decided about one paper."""

    read: bool = False
    starred: bool = False
    note: str = ""
    citation_key: str | None = None
    updated_at: float = 0.0


_DEFAULT_STATE = PaperState()


class StateFileError(ValueError):
    """The state file cannot be used as it is; ``reason`` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _NewerSchemaError(StateFileError):
    pass


class _FolderError(StateFileError):
    """A folder where the state file should be: someone's folder, never to be moved."""


class _SaveError(Exception):
    """Saving failed; the message is fit for the user."""


# --------------------------------------------------------------------------- file layer

_BUCKETS = 256
_dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


class _PaperTable:
    """The papers table, partitioned into buckets whose JSON text is cached.

    Each bucket becomes one line of the file. Documents are never mutated once stored
    (they are replaced), so a bucket's cached text is valid until ``set`` touches it.
    ``derive`` makes a copy that shares buckets until it writes to one.
    """

    __slots__ = ("_buckets", "_owned", "_texts")

    def __init__(self) -> None:
        self._buckets: list[dict[str, dict]] = [{} for _ in range(_BUCKETS)]
        self._texts: list[str | None] = [None] * _BUCKETS
        self._owned = [True] * _BUCKETS

    @classmethod
    def from_docs(cls, docs: Mapping[str, dict]) -> _PaperTable:
        table = cls()
        buckets = table._buckets
        for key, doc in docs.items():
            buckets[hash(key) % _BUCKETS][key] = doc
        return table

    def derive(self) -> _PaperTable:
        table = _PaperTable.__new__(_PaperTable)
        table._buckets = list(self._buckets)
        table._texts = list(self._texts)
        table._owned = [False] * _BUCKETS
        return table

    def get(self, key: str) -> dict | None:
        return self._buckets[hash(key) % _BUCKETS].get(key)

    def set(self, key: str, doc: dict) -> None:
        index = hash(key) % _BUCKETS
        if not self._owned[index]:
            self._buckets[index] = dict(self._buckets[index])
            self._owned[index] = True
        self._buckets[index][key] = doc
        self._texts[index] = None

    def items(self) -> Iterator[tuple[str, dict]]:
        for bucket in self._buckets:
            yield from bucket.items()

    def __len__(self) -> int:
        return sum(len(bucket) for bucket in self._buckets)

    def reuse_texts(self, old: _PaperTable, changed: set[int]) -> None:
        """Take ``old``'s encoded text for buckets that hold the very same documents.

        For use right after rebuilding from a file: a bucket not in ``changed`` holds
        exactly ``old``'s documents (maybe in another order, which JSON ignores).
        """
        for index in range(_BUCKETS):
            if index not in changed and len(self._buckets[index]) == len(old._buckets[index]):
                self._texts[index] = old._texts[index]

    def lines(self) -> list[str]:
        """The members of each non-empty bucket as JSON text, one string per bucket."""
        texts = self._texts
        for index, bucket in enumerate(self._buckets):
            if texts[index] is None:
                texts[index] = _dumps(bucket)[1:-1] if bucket else ""
        return [text for text in texts if text]


@dataclass
class _Image:
    """What one read of the state file found (validated and migrated)."""

    papers: _PaperTable
    settings: dict[str, dict]
    other_tables: dict[str, Any]
    signature: tuple
    damaged: int = 0  # entries that were skipped
    migrated_from: int | None = None
    raw: bytes | None = None  # the bytes read, kept when a backup may be needed

    @classmethod
    def empty(cls, signature: tuple = _MISSING) -> _Image:
        return cls(_PaperTable(), {}, {}, signature)


def _signature(path: Path) -> tuple:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return _MISSING
    except OSError as exc:
        return ("error", exc.errno)
    return _stat_signature(st)


def _stat_signature(st: os.stat_result) -> tuple:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _decode(text: str) -> Any:
    """Parse a state file; our own line layout is parsed a line at a time."""
    first_nl = text.find("\n")
    end = len(text.rstrip())
    if first_nl > 0 and text.endswith('"papers": {', 0, first_nl) and text[end - 2 : end] == "}}":
        try:
            return _decode_lines(text, first_nl, end - 2)
        except ValueError:
            pass  # not our layout after all: parse it whole
    return json.loads(text)


def _decode_lines(text: str, first_nl: int, body_end: int) -> Any:
    header = json.loads(text[:first_nl] + "}}")
    if type(header) is not dict:
        raise ValueError("header is not an object")
    body = text[first_nl + 1 : body_end]
    papers: dict[str, Any] = {}
    if body:
        if not body.endswith("\n"):
            raise ValueError("body does not end a line")
        lines = body[:-1].split("\n")
        last = len(lines) - 1
        loads = json.loads
        for index, line in enumerate(lines):
            if index < last:
                if not line.endswith(","):
                    raise ValueError("line does not end with a comma")
                line = line[:-1]
            # Each line is a run of complete members, so {line} is an object and the
            # union of the lines is exactly the object the whole text describes.
            papers.update(loads("{" + line + "}"))
    header[PAPERS] = papers
    return header


def _is_number(value: Any) -> bool:
    return type(value) is float or type(value) is int


def _valid_paper(doc: Any) -> dict | None:
    """The document, completed with defaults, or None when a field has the wrong type."""
    if type(doc) is not dict:
        return None
    get = doc.get
    if (
        type(get("read")) is bool
        and type(get("starred")) is bool
        and type(get("note")) is str
        and type(get("updated_at")) is float
        and "citation_key" in doc
    ):
        key = doc["citation_key"]
        if (key is None or type(key) is str) and type(get("paper", {})) is dict:
            return doc
        return None
    fixed = dict(doc)
    for name, default in _EMPTY_DOC.items():
        fixed.setdefault(name, default)
    if not (
        type(fixed["read"]) is bool
        and type(fixed["starred"]) is bool
        and type(fixed["note"]) is str
        and _is_number(fixed["updated_at"])
        and (fixed["citation_key"] is None or type(fixed["citation_key"]) is str)
        and type(fixed.get("paper", {})) is dict
    ):
        return None
    fixed["updated_at"] = float(fixed["updated_at"])
    if fixed["citation_key"] == "":
        fixed["citation_key"] = None
    return fixed


def _valid_setting(doc: Any) -> bool:
    return type(doc) is dict and "value" in doc and _is_number(doc.get("updated_at"))


def _schema_version(tables: dict) -> int:
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


def _parse(raw: bytes, signature: tuple) -> _Image:
    """Bytes of a state file -> validated, migrated image. Raises StateFileError."""
    if not raw or raw.isspace():
        return _Image.empty(signature)  # TinyDB's own convention: empty file, empty db
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise StateFileError("not UTF-8 text") from None
    try:
        tables = _decode(text)
    except (ValueError, RecursionError):
        raise StateFileError("not valid JSON (truncated or damaged)") from None
    if type(tables) is not dict or any(type(table) is not dict for table in tables.values()):
        raise StateFileError("not a TinyDB database (wrong JSON shape)")
    version = _schema_version(tables)
    if version > SCHEMA_VERSION:
        raise _NewerSchemaError(
            f"written by a newer digest-reader (format {version}, this one reads {SCHEMA_VERSION})"
        )
    migrated_from = version if version < SCHEMA_VERSION else None
    while version < SCHEMA_VERSION:
        try:
            tables = MIGRATIONS[version](tables)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise StateFileError(f"not upgradable from format {version} ({exc})") from None
        version += 1
    damaged = 0
    papers = _PaperTable()
    buckets = papers._buckets
    for key, doc in tables.get(PAPERS, {}).items():
        valid = _valid_paper(doc)
        if valid is None:
            damaged += 1
        else:
            buckets[hash(key) % _BUCKETS][key] = valid
    settings = {}
    for name, doc in tables.get(SETTINGS, {}).items():
        if _valid_setting(doc):
            settings[name] = doc
        else:
            damaged += 1
    other = {name: t for name, t in tables.items() if name not in (PAPERS, SETTINGS, META)}
    image = _Image(papers, settings, other, signature, damaged, migrated_from)
    if damaged or migrated_from is not None:
        image.raw = raw
    return image


def _read_image(path: Path) -> _Image:
    """Read and parse the file; a missing file is an empty image.

    Raises StateFileError for a file that cannot be used as it is (damaged, a folder,
    no permission to read), OSError for a failure that may pass (out of file handles,
    I/O errors) — the file is then left alone and read again later.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return _Image.empty()
    except PermissionError as exc:
        raise StateFileError(f"unreadable ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise _FolderError("a folder, not a file")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
    except IsADirectoryError:
        raise _FolderError("a folder, not a file") from None
    finally:
        os.close(fd)
    return _parse(b"".join(chunks), _stat_signature(st))


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # pragma: no cover - folders cannot be fsynced on Windows
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the rename is still atomic
    finally:
        os.close(fd)


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def _write_image(
    path: Path, header: dict[str, Any], papers: _PaperTable, *, create_dirs: bool = True
) -> tuple:
    """Write a whole database atomically; return the new file's signature."""
    folder = path.parent
    if create_dirs:
        folder.mkdir(parents=True, exist_ok=True)
    head = _dumps({name: table for name, table in header.items() if name != PAPERS})
    head = head[:-1] + (', "papers": {' if len(head) > 2 else '"papers": {')
    lines = papers.lines()  # encodes only buckets that changed since the last write
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = 0o600  # notes are private until the user says otherwise
    temp = folder / f"{_temp_prefix(path)}{os.getpid()}.{threading.get_ident()}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
            handle.write(head.encode())
            handle.write(b"\n")
            last = len(lines) - 1
            for index, line in enumerate(lines):
                handle.write(line.encode())
                handle.write(b",\n" if index < last else b"\n")
            handle.write(b"}}\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_dir(folder)
    return _signature(path)


class AtomicJSONStorage(Storage):
    """A TinyDB storage that never leaves a half-written file behind.

    ``write`` puts the whole database in a temporary file in the same folder, fsyncs it,
    renames it over the old file and fsyncs the folder, so the file on disk is always a
    complete database — the old one or the new one. ``read`` raises
    :class:`StateFileError` for a file it cannot use, instead of guessing.

    :class:`StateStore` does its I/O through ``load_image`` / ``write_image``, which
    carry what it needs on top of TinyDB's ``read``/``write`` (the file's signature,
    cached encodings). Writing through plain TinyDB bypasses the store's inter-process
    lock and merge: do it only when no store has the file open.
    """

    def __init__(self, path: str | os.PathLike[str], create_dirs: bool = True) -> None:
        super().__init__()
        self.path = Path(path)
        self.create_dirs = create_dirs

    def read(self) -> dict[str, dict[str, Any]] | None:
        image = self.load_image()
        if image.signature == _MISSING:
            return None
        tables: dict[str, dict[str, Any]] = dict(image.other_tables)
        tables[META] = {"schema": {"version": SCHEMA_VERSION}}
        tables[SETTINGS] = dict(image.settings)
        tables[PAPERS] = dict(image.papers.items())
        return tables

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        header = {name: table for name, table in data.items() if name != PAPERS}
        header.setdefault(META, {"schema": {"version": SCHEMA_VERSION}})
        papers = _PaperTable.from_docs(data.get(PAPERS, {}))
        self.write_image(header, papers)

    def load_image(self) -> _Image:
        return _read_image(self.path)

    def write_image(self, header: dict[str, Any], papers: _PaperTable) -> tuple:
        return _write_image(self.path, header, papers, create_dirs=self.create_dirs)


class _KeyedTable(Table):
    """A TinyDB table whose document ids are strings (arXiv ids, setting names)."""

    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self):  # type: ignore[override]
        raise TypeError("documents here are keyed: insert Document(fields, doc_id=key)")


class _StateDB(TinyDB):
    table_class = _KeyedTable


def open_tinydb(path: str | os.PathLike[str]) -> TinyDB:
    """Open a state file with TinyDB itself (for tools and tests).

    ``db.table("papers").get(doc_id="2501.01234")`` reads one paper. Do not write through
    it while a :class:`StateStore` has the file open.
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


# Keyed by the version a function upgrades *from*; each returns the next version's tables.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {0: _migrate_v0}


# --------------------------------------------------------------------------- snapshots


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def _ref_to_json(ref: DigestRef) -> dict[str, Any]:
    return {"date": _iso(ref.date), "path": str(ref.path)}


def _ref_from_json(data: Mapping[str, Any]) -> DigestRef:
    date = data.get("date")
    return DigestRef(dt.date.fromisoformat(date) if date else None, Path(data["path"]))


def _snapshot_of(paper: Paper) -> dict[str, Any]:
    return {
        "version": paper.version,
        "title": paper.title,
        "authors": list(paper.authors),
        "date": _iso(paper.date),
        "url": paper.url,
        "abstract": paper.abstract,
        "bold_spans": [list(span) for span in paper.bold_spans],
        "keywords": list(paper.keywords),
        "source": _ref_to_json(paper.source),
        "digests": [_ref_to_json(ref) for ref in paper.digests],
        "line": paper.line,
    }


def _paper_from_snapshot(arxiv_id: str, snap: Mapping[str, Any]) -> Paper:
    date = snap.get("date")
    digests = tuple(_ref_from_json(ref) for ref in snap.get("digests", ()))
    return Paper(
        arxiv_id=arxiv_id,
        version=int(snap["version"]),
        title=str(snap["title"]),
        authors=tuple(str(a) for a in snap.get("authors", ())),
        date=dt.date.fromisoformat(date) if date else None,
        url=str(snap.get("url", "")),
        abstract=str(snap.get("abstract", "")),
        bold_spans=tuple((int(s), int(e)) for s, e in snap.get("bold_spans", ())),
        keywords=tuple(str(k) for k in snap.get("keywords", ())),
        source=_ref_from_json(snap["source"]),
        digests=digests,
        line=int(snap.get("line", 0)),
    )


# --------------------------------------------------------------------------- merging


def _merge_docs(base: dict | None, ours: dict | None, theirs: dict | None) -> dict | None:
    """Three-way merge of one paper's document, field by field.

    A field only one side changed (relative to ``base``) takes that side's value; a
    field both changed takes the value of the document with the newer ``updated_at``
    (``theirs`` on a tie); an assigned citation key is never replaced.
    """
    if theirs is None or ours is theirs:
        return ours
    if ours is None:
        return theirs
    if base is None:
        base = _EMPTY_DOC
    ours_newer = ours["updated_at"] > theirs["updated_at"]
    result = dict(theirs)
    for name in ours.keys() | theirs.keys():
        if name == "updated_at":
            continue
        mine = ours.get(name, _ABSENT)
        other = theirs.get(name, _ABSENT)
        if mine == other:
            continue
        if name == "citation_key":
            take_mine = other is None or other is _ABSENT
        else:
            original = base.get(name, _ABSENT)
            if mine == original:
                continue
            take_mine = other == original or ours_newer
        if take_mine:
            if mine is _ABSENT:
                result.pop(name, None)
            else:
                result[name] = mine
    result["updated_at"] = max(ours["updated_at"], theirs["updated_at"])
    return result


def _visible(doc: Mapping[str, Any] | None) -> tuple:
    if doc is None:
        return (False, False, "", None)
    return (doc["read"], doc["starred"], doc["note"], doc["citation_key"])


def _judgements(doc: Mapping[str, Any]) -> tuple[bool, bool, str]:
    return (doc["read"], doc["starred"], doc["note"])


def _normalize_id(arxiv_id: str) -> str:
    return parse_arxiv_id(arxiv_id)[0]


# --------------------------------------------------------------------------- locking


class _InterProcessLock:
    """An exclusive lock on ``<state file>.lock``, shared by every copy of the program.

    Re-entrant for its owner (the store's flusher). Gives up after ``timeout`` seconds
    so a stuck copy cannot hang this one; the caller then retries later.
    """

    def __init__(self, path: Path, timeout: float = LOCK_TIMEOUT) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None
        self._depth = 0

    def __enter__(self) -> _InterProcessLock:
        if self._depth:
            self._depth += 1
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.timeout
        try:
            while not self._try_lock(fd):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.path.name} is held by another program")
                time.sleep(0.005)
            self._fd, self._depth = fd, 1
        except BaseException:  # a signal may land anywhere: never leak a held lock
            self._fd, self._depth = None, 0
            os.close(fd)
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                self._unlock(fd)
            finally:
                os.close(fd)

    @staticmethod
    def _try_lock(fd: int) -> bool:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True
        import msvcrt  # pragma: no cover - Windows (untested)

        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    @staticmethod
    def _unlock(fd: int) -> None:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return
        import msvcrt  # pragma: no cover - Windows (untested)

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


# --------------------------------------------------------------------------- the store

_open_stores: set[StateStore] = set()
_open_stores_lock = threading.Lock()


def _close_open_stores() -> None:
    with _open_stores_lock:
        stores = list(_open_stores)
    for store in stores:
        try:
            store.close()
        except Exception:
            continue


atexit.register(_close_open_stores)


Target = Paper | str


class StateStore:
    """Read / starred / note per paper, citation keys and settings, kept in one file.

    Create with :meth:`open`. See the module docstring for the whole contract.
    """

    def __init__(
        self,
        path: Path,
        *,
        flush_interval: float,
        check_interval: float,
        on_external_change: Callable[[set[str]], None] | None,
        on_notice: Callable[[str], None] | None,
    ) -> None:
        self.path = Path(path)
        self.notices: list[str] = []
        self.on_external_change = on_external_change
        self.on_notice = on_notice
        self.flush_interval = flush_interval
        self.check_interval = check_interval
        # A symlinked state file stays a symlink: the real file is replaced.
        self._file = Path(os.path.realpath(self.path))
        self._storage = AtomicJSONStorage(self._file)
        self._file_lock = _InterProcessLock(self._file.with_name(self._file.name + ".lock"))

        # The working copy, shared with the caller's thread; guarded by _lock, which is
        # only ever held for O(changed documents). Documents are replaced, never mutated.
        self._lock = threading.RLock()
        self._docs: dict[str, dict] = {}
        self._settings: dict[str, dict] = {}
        self._dirty: set[str] = set()
        self._dirty_settings: set[str] = set()
        self._needs_write = False  # the file itself needs rewriting (repaired, migrated)
        self._dirty_since: float | None = None
        self._undo: list[list[tuple[str, tuple, tuple]]] = []
        self._last_stamp = 0.0
        self._closed = False

        # What the file held when this copy last read or wrote it; guarded by _flush_lock.
        self._flush_lock = threading.Lock()
        self._table = _PaperTable()
        self._disk_settings: dict[str, dict] = {}
        self._other_tables: dict[str, Any] = {}
        self._signature: tuple | None = None  # None: never read successfully
        self._blocked: str | None = None  # why this copy must never write the file
        self._save_failing = False
        self._failures = 0
        self._retry_at = 0.0
        self._temps_cleaned = False

        # News for the callbacks, delivered outside every lock.
        self._pending_notices: list[str] = []
        self._pending_changes: set[str] = set()
        self._delivery_lock = threading.RLock()  # a callback may call flush()
        self._said: set[str] = set()  # messages about lasting conditions, said once

        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ life cycle

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        background: bool = True,
        flush_interval: float = 0.5,
        check_interval: float = 1.0,
        on_external_change: Callable[[set[str]], None] | None = None,
        on_notice: Callable[[str], None] | None = None,
    ) -> StateStore:
        """Open the state file at ``path`` (which need not exist yet).

        ``flush_interval`` is the longest a change waits in memory before the background
        thread starts writing it; ``check_interval`` how often it looks for changes made
        by another copy. With ``background=False`` nothing happens until ``flush()``,
        ``reload()`` or ``close()`` is called.
        """
        store = cls(
            Path(path),
            flush_interval=flush_interval,
            check_interval=check_interval,
            on_external_change=on_external_change,
            on_notice=on_notice,
        )
        with store._flush_lock:
            try:
                image = store._read_if_changed()
            except _SaveError:
                image = None  # reported; start empty and retry on the next flush
            except OSError as exc:
                image = None  # the file is left alone and read again at the next check
                store._notice(
                    f"Could not read the state file {store.path} ({exc.strerror or exc}); "
                    "trying again shortly."
                )
            if image is not None:
                store._install(image)
        with _open_stores_lock:
            _open_stores.add(store)
        if background:
            store._thread = threading.Thread(
                target=store._run, name=f"state-store:{store.path.name}", daemon=True
            )
            store._thread.start()
        store._deliver()
        return store

    def close(self) -> None:
        """Stop the background thread and write what is left. Idempotent."""
        if self._closed:
            return
        self._stopping = True
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=30)  # a callback could hang it; the flush below is ours
        self.flush()
        self._closed = True
        with _open_stores_lock:
            _open_stores.discard(self)

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<StateStore {str(self.path)!r} papers={len(self._docs)}>"

    # ------------------------------------------------------------------ reading

    def state(self, arxiv_id: str) -> PaperState:
        """The state of one paper; ``PaperState()`` when nothing is known about it."""
        doc = self._docs.get(arxiv_id)
        if doc is None:
            doc = self._docs.get(self._lenient_id(arxiv_id))
            if doc is None:
                return _DEFAULT_STATE
        return PaperState(
            doc["read"], doc["starred"], doc["note"], doc["citation_key"], doc["updated_at"]
        )

    def known(self, arxiv_id: str) -> bool:
        return arxiv_id in self._docs or self._lenient_id(arxiv_id) in self._docs

    def snapshot(self, arxiv_id: str) -> Paper | None:
        """The paper as it was when last starred or noted, or None without a snapshot."""
        arxiv_id = self._lenient_id(arxiv_id)
        doc = self._docs.get(arxiv_id)
        snap = doc.get("paper") if doc is not None else None
        if not snap:
            return None
        try:
            return _paper_from_snapshot(arxiv_id, snap)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # a hand-edited snapshot is ignored, not fatal

    def ids(
        self,
        *,
        starred: bool | None = None,
        read: bool | None = None,
        noted: bool | None = None,
    ) -> list[str]:
        """Sorted ids of known papers matching every filter given (None: any)."""
        with self._lock:
            docs = list(self._docs.items())
        return sorted(
            arxiv_id
            for arxiv_id, doc in docs
            if (starred is None or doc["starred"] == starred)
            and (read is None or doc["read"] == read)
            and (noted is None or bool(doc["note"]) == noted)
        )

    def citation_keys(self) -> dict[str, str]:
        """Every assigned citation key, by arXiv id."""
        with self._lock:
            docs = list(self._docs.items())
        return {arxiv_id: doc["citation_key"] for arxiv_id, doc in docs if doc["citation_key"]}

    def get_setting(self, name: str, default: Any = None) -> Any:
        doc = self._settings.get(name)
        return default if doc is None else doc["value"]

    # ------------------------------------------------------------------ changing

    def set_read(self, targets: Iterable[Target] | Target, read: bool) -> set[str]:
        """Mark papers read or unread; one undo step. Returns the ids that changed."""
        return self._set_judgement(targets, "read", bool(read))

    def set_starred(self, targets: Iterable[Target] | Target, starred: bool) -> set[str]:
        """Star or unstar papers; one undo step. Returns the ids that changed."""
        return self._set_judgement(targets, "starred", bool(starred))

    def set_note(self, target: Target, note: str) -> set[str]:
        """Set one paper's note (surrounding whitespace removed; blank deletes it)."""
        if not isinstance(target, (Paper, str)):
            raise TypeError("set_note takes one Paper or one arXiv id")
        return self._set_judgement((target,), "note", str(note).strip())

    def undo(self) -> set[str] | None:
        """Revert the last change step. Returns the ids it changed; None if none is left.

        The reverted values get a fresh ``updated_at``, so they win a merge with another
        copy's older changes to the same fields.
        """
        with self._lock:
            self._check_open()
            if not self._undo:
                return None
            group = self._undo.pop()
            changed: set[str] = set()
            for arxiv_id, before, after in reversed(group):
                current = self._docs.get(arxiv_id, _EMPTY_DOC)
                doc = dict(current)
                for name, old, new in zip(_JUDGEMENTS, before, after, strict=True):
                    if old != new:
                        doc[name] = old
                if _judgements(doc) == _judgements(current):
                    continue
                doc["updated_at"] = self._stamp(current)
                self._store(arxiv_id, doc)
                changed.add(arxiv_id)
            return changed

    def set_citation_keys(self, keys: Mapping[str, str]) -> None:
        """Assign citation keys to papers that have none; an assigned key never changes."""
        with self._lock:
            self._check_open()
            for raw_id, key in keys.items():
                if not isinstance(key, str) or not key.strip():
                    raise ValueError(f"citation key for {raw_id!r} must be a non-empty string")
                arxiv_id = _normalize_id(raw_id)
                current = self._docs.get(arxiv_id, _EMPTY_DOC)
                if current["citation_key"]:
                    continue
                doc = dict(current)
                doc["citation_key"] = key.strip()
                doc["updated_at"] = self._stamp(current)
                self._store(arxiv_id, doc)

    def set_setting(self, name: str, value: Any) -> None:
        """Remember a small app preference (any JSON value)."""
        _dumps(value)  # refuse what cannot be saved now, not later in the background
        with self._lock:
            self._check_open()
            current = self._settings.get(name)
            if current is not None and current["value"] == value:
                return
            stamp = self._stamp(current or {"updated_at": 0.0})
            self._mark_dirty_setting(name)
            self._settings[name] = {"value": value, "updated_at": stamp}

    # ------------------------------------------------------------------ persistence

    def flush(self) -> bool:
        """Merge with the file under the lock and write it now.

        Returns True when every change is on disk (or there was nothing to write), False
        when saving failed; the reason is in ``notices`` and the changes stay in memory.
        """
        with self._flush_lock:
            ok = self._flush_locked()
        self._deliver()
        return ok

    def reload(self) -> set[str]:
        """Merge in what another copy wrote; return the ids whose state changed.

        ``on_external_change`` is called with the same ids.
        """
        with self._flush_lock:
            try:
                changed = self._sync(write=False)
            except _SaveError as exc:
                self._notice_once(str(exc))
                changed = set()
        self._deliver()
        return changed

    # ------------------------------------------------------------------ internals: changes

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the state store is closed")

    @staticmethod
    def _lenient_id(arxiv_id: str) -> str:
        try:
            return _normalize_id(arxiv_id)
        except ValueError:
            return arxiv_id

    def _stamp(self, current: Mapping[str, Any]) -> float:
        """A time later than the document's own and every earlier stamp of this store."""
        stamp = max(time.time(), current["updated_at"] + 1e-6, self._last_stamp + 1e-6)
        self._last_stamp = stamp
        return stamp

    def _store(self, arxiv_id: str, doc: dict) -> None:
        # Dirty first: if a signal interrupts us between the two lines, the flush sees
        # an unchanged dirty document (harmless), never a changed clean one.
        self._dirty.add(arxiv_id)
        if self._dirty_since is None:
            self._dirty_since = time.monotonic()
            self._wake.set()
        self._docs[arxiv_id] = doc

    def _mark_dirty_setting(self, name: str) -> None:
        self._dirty_settings.add(name)
        if self._dirty_since is None:
            self._dirty_since = time.monotonic()
            self._wake.set()

    def _set_judgement(self, targets: Iterable[Target] | Target, name: str, value: Any) -> set[str]:
        if isinstance(targets, (Paper, str)):
            targets = (targets,)
        wanted: dict[str, Paper | None] = {}
        for target in targets:
            if isinstance(target, Paper):
                wanted[target.arxiv_id] = target
            else:
                wanted.setdefault(_normalize_id(target), None)
        takes_snapshot = name != "read" and bool(value)
        # Snapshots are built before taking the lock: they are the only costly part.
        snapshots = {arxiv_id: _snapshot_of(paper) for arxiv_id, paper in wanted.items() if paper}
        changed: set[str] = set()
        group: list[tuple[str, tuple, tuple]] = []
        with self._lock:
            self._check_open()
            for arxiv_id in wanted:
                current = self._docs.get(arxiv_id, _EMPTY_DOC)
                differs = current[name] != value
                snap = snapshots.get(arxiv_id)
                if snap is not None and (
                    not (takes_snapshot or "paper" in current) or current.get("paper") == snap
                ):
                    snap = None
                if not differs and snap is None:
                    continue
                doc = dict(current)
                doc[name] = value
                if snap is not None:
                    doc["paper"] = snap
                doc["updated_at"] = self._stamp(current)
                self._store(arxiv_id, doc)
                if differs:
                    changed.add(arxiv_id)
                    group.append((arxiv_id, _judgements(current), _judgements(doc)))
            if group:
                self._undo.append(group)
                if len(self._undo) > UNDO_LIMIT:
                    del self._undo[0]
        return changed

    # ------------------------------------------------------------------ internals: file

    def _notice(self, message: str) -> None:
        with self._lock:
            self.notices.append(message)
            self._pending_notices.append(message)

    def _notice_once(self, message: str) -> None:
        if message not in self._said:
            self._said.add(message)
            self._notice(message)

    def _request_write(self) -> None:
        """The file itself needs rewriting (repaired, migrated, missing our papers)."""
        with self._lock:
            self._needs_write = True
            if self._dirty_since is None:
                self._dirty_since = time.monotonic()
                self._wake.set()

    def _deliver(self) -> None:
        """Call the callbacks with pending news; never under a store lock."""
        with self._delivery_lock:
            with self._lock:
                notices, self._pending_notices = self._pending_notices, []
                changes, self._pending_changes = self._pending_changes, set()
            if changes and self.on_external_change is not None:
                try:
                    self.on_external_change(changes)
                except Exception as exc:
                    notices.append(f"Showing changes from another copy failed: {exc!r}")
            if self.on_notice is not None:
                for message in notices:
                    try:
                        self.on_notice(message)
                    except Exception:
                        break  # nowhere left to report it; it is in self.notices

    def _backup_path(self, kind: str) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        candidate = self._file.with_name(f"{self._file.name}.{kind}-{stamp}")
        counter = 1
        while os.path.lexists(candidate):
            counter += 1
            candidate = self._file.with_name(f"{self._file.name}.{kind}-{stamp}-{counter}")
        return candidate

    def _keep_copy(self, raw: bytes, kind: str) -> Path | None:
        target = self._backup_path(kind)
        try:
            with open(target, "xb") as handle:
                handle.write(raw)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            return None
        return target

    def _read_if_changed(self) -> _Image | None:
        """Read the file if it changed since this copy last read or wrote it.

        Returns None when it did not change (or must not be used). A damaged file is
        moved aside and read as empty; raises _SaveError when that is impossible.
        """
        if self._signature is not None and _signature(self._file) == self._signature:
            return None
        try:
            image = self._storage.load_image()
        except (_NewerSchemaError, _FolderError) as exc:
            return self._block(exc.reason)
        except StateFileError as exc:
            image = self._quarantine(exc)
            if image is None:
                return None
        if image.migrated_from is not None:
            kept = self._keep_copy(image.raw or b"", f"v{image.migrated_from}")
            where = f"the old file is kept as {kept.name}" if kept else "no copy could be kept"
            self._notice(
                f"Upgraded the state file {self.path} from format {image.migrated_from} to "
                f"{SCHEMA_VERSION} ({where})."
            )
        if image.damaged:
            kept = self._keep_copy(image.raw or b"", "corrupt")
            where = f"the original is kept as {kept.name}" if kept else "no copy could be kept"
            self._notice(
                f"Skipped {image.damaged} damaged entries in the state file {self.path} ({where})."
            )
        if image.damaged or image.migrated_from is not None:
            self._request_write()
        image.raw = None
        return image

    def _block(self, reason: str) -> None:
        if self._blocked is None:
            self._blocked = reason
            self._notice(
                f"The state file {self.path} was {reason}; it is left untouched and "
                "this session's changes will not be saved."
            )
        self._signature = _signature(self._file)
        return None

    def _quarantine(self, error: StateFileError) -> _Image | None:
        """Move a file we cannot use out of the way (never overwrite it)."""
        try:
            with self._file_lock:
                # Another copy may have replaced it with a good file meanwhile.
                try:
                    return self._storage.load_image()
                except (_NewerSchemaError, _FolderError) as exc:
                    return self._block(exc.reason)
                except StateFileError as exc:
                    error = exc
                backup = self._backup_path("corrupt")
                os.rename(self._file, backup)
                _fsync_dir(self._file.parent)
        except FileNotFoundError:
            return _Image.empty()
        except OSError as exc:
            message = (
                f"The state file {self.path} is {error.reason} and cannot be moved aside "
                f"({exc.strerror or exc}); it is left untouched and changes are kept in "
                "memory only until it can be."
            )
            self._notice_once(message)
            raise _SaveError(message) from None
        self._notice(
            f"The state file {self.path} is {error.reason}; it was moved to {backup.name} "
            "and reading state starts empty."
        )
        self._request_write()  # a fresh, valid file at the next flush
        return _Image.empty()

    def _install(self, image: _Image) -> None:
        """Take an image as both the file view and the working copy (at open)."""
        self._table = image.papers
        self._disk_settings = image.settings
        self._other_tables = image.other_tables
        self._signature = image.signature
        with self._lock:
            self._docs = dict(image.papers.items())
            self._settings = dict(image.settings)
        if image.damaged or image.migrated_from is not None:
            self._request_write()

    def _flush_locked(self) -> bool:
        try:
            self._sync(write=True)
        except _SaveError as exc:
            self._failures += 1
            self._retry_at = time.monotonic() + min(30.0, 0.5 * 2**self._failures)
            if not self._save_failing and self._blocked is None:  # blocked: said already
                self._save_failing = True
                self._notice_once(str(exc))
            return False
        if self._save_failing:
            self._save_failing = False
            self._said.clear()
            self._notice(f"Saving to {self.path} works again; all changes are saved.")
        self._failures = 0
        self._retry_at = 0.0
        return True

    def _cleanup_temps(self) -> None:
        """Remove temporary files of writers that died (only under the file lock)."""
        if self._temps_cleaned:
            return
        self._temps_cleaned = True
        prefix = _temp_prefix(self._file)
        try:
            names = os.listdir(self._file.parent)
        except OSError:
            return
        for name in names:
            if name.startswith(prefix) and name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(self._file.parent / name)

    def _sync(self, *, write: bool) -> set[str]:
        """Merge the file into memory and, with ``write``, memory into the file.

        Caller holds _flush_lock. Returns the ids whose visible state changed because of
        another copy. Raises _SaveError when writing fails.
        """
        changes: dict[str, dict] = {}
        setting_changes: dict[str, dict] = {}
        if write:
            with self._lock:
                changes = {arxiv_id: self._docs[arxiv_id] for arxiv_id in self._dirty}
                setting_changes = {name: self._settings[name] for name in self._dirty_settings}
                needs_write = self._needs_write
            if not (changes or setting_changes or needs_write):
                return set()
            if self._blocked is not None:
                raise _SaveError(
                    f"The state file {self.path} was {self._blocked}; changes are not saved."
                )
        old_table, old_settings = self._table, self._disk_settings
        try:
            if write:
                self._file.parent.mkdir(parents=True, exist_ok=True)
            with self._file_lock if write else contextlib.nullcontext():
                image = self._read_if_changed()
                if self._blocked is not None and write:
                    raise _SaveError(
                        f"The state file {self.path} was {self._blocked}; changes are not saved."
                    )
                if image is None and not write:
                    return set()
                external: set[str] = set()
                external_settings: set[str] = set()
                if image is None:
                    table, settings = old_table.derive(), dict(old_settings)
                    other_tables = self._other_tables
                    signature = self._signature
                else:
                    table, external, grown = self._rebase(old_table, image.papers)
                    settings = dict(image.settings)
                    for name, doc in old_settings.items():
                        if name not in settings:
                            settings[name] = doc
                            grown = True
                        elif settings[name] != doc:
                            external_settings.add(name)
                    external_settings |= image.settings.keys() - old_settings.keys()
                    other_tables = image.other_tables
                    signature = image.signature
                    if grown:
                        self._request_write()
                for arxiv_id, ours in changes.items():
                    base = old_table.get(arxiv_id)
                    theirs = table.get(arxiv_id)
                    table.set(arxiv_id, ours if theirs is base else _merge_docs(base, ours, theirs))
                for name, ours in setting_changes.items():
                    theirs = settings.get(name)
                    if (
                        theirs is None
                        or theirs == old_settings.get(name)
                        or ours["updated_at"] > theirs["updated_at"]
                    ):
                        settings[name] = ours
                if write:
                    self._cleanup_temps()
                    header = dict(other_tables)
                    header[META] = {"schema": {"version": SCHEMA_VERSION}}
                    header[SETTINGS] = settings
                    signature = self._storage.write_image(header, table)
        except (OSError, TimeoutError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            if not write:
                raise _SaveError(
                    f"Cannot read the state file {self.path} ({reason}); will try again."
                ) from None
            raise _SaveError(
                f"Cannot save reading state to {self.path} ({reason}); changes are kept in "
                "memory and saving will be retried."
            ) from None
        self._table, self._disk_settings, self._other_tables = table, settings, other_tables
        self._signature = signature
        visible = self._adopt(old_table, table, changes, external)
        self._adopt_settings(settings, setting_changes, external_settings)
        if write:
            with self._lock:
                self._needs_write = False
                if not self._dirty and not self._dirty_settings:
                    self._dirty_since = None
                elif self._dirty_since is not None:
                    self._dirty_since = time.monotonic()
        if visible:
            with self._lock:
                self._pending_changes |= visible
        return visible

    @staticmethod
    def _rebase(old: _PaperTable, papers: _PaperTable) -> tuple[_PaperTable, set[str], bool]:
        """The union of what we knew and what the file holds now.

        Unchanged documents keep their old objects (and so their cached encoding).
        Returns (table, ids the file changed, whether we know papers the file lacks).
        """
        table = _PaperTable()
        external: set[str] = set()
        for arxiv_id, doc in papers.items():
            known = old.get(arxiv_id)
            if known is not None and known == doc:
                table.set(arxiv_id, known)
            else:
                table.set(arxiv_id, doc)
                external.add(arxiv_id)
        grown = False
        for arxiv_id, doc in old.items():
            if table.get(arxiv_id) is None:
                table.set(arxiv_id, doc)
                grown = True
        table.reuse_texts(old, {hash(arxiv_id) % _BUCKETS for arxiv_id in external})
        return table, external, grown

    def _adopt(
        self,
        old_table: _PaperTable,
        table: _PaperTable,
        flushed: dict[str, dict],
        external: set[str],
    ) -> set[str]:
        """Bring the working copy up to date with the file view just read or written."""
        visible: set[str] = set()
        ids = list(flushed.keys() | external)
        for start in range(0, len(ids), 2000):  # let the UI thread in between batches
            with self._lock:
                for arxiv_id in ids[start : start + 2000]:
                    current = self._docs.get(arxiv_id)
                    new = table.get(arxiv_id)
                    if arxiv_id in flushed:
                        if current is flushed[arxiv_id]:
                            self._dirty.discard(arxiv_id)
                            result = new
                        else:  # changed again while we were writing
                            result = _merge_docs(flushed[arxiv_id], current, new)
                    elif arxiv_id in self._dirty:  # changed here while the file changed
                        result = _merge_docs(old_table.get(arxiv_id), current, new)
                    else:
                        result = new
                    if result is not current and result is not None:
                        self._docs[arxiv_id] = result
                        if _visible(result) != _visible(current):
                            visible.add(arxiv_id)
        return visible

    def _adopt_settings(
        self, settings: dict[str, dict], flushed: dict[str, dict], external: set[str]
    ) -> None:
        with self._lock:
            for name in flushed.keys() | external:
                current = self._settings.get(name)
                if name in flushed and current is flushed[name]:
                    self._dirty_settings.discard(name)
                    self._settings[name] = settings[name]
                elif name not in self._dirty_settings:
                    self._settings[name] = settings[name]

    # ------------------------------------------------------------------ background

    def _run(self) -> None:
        next_check = time.monotonic() + self.check_interval
        while True:
            self._wake.clear()
            if self._stopping:
                return
            now = time.monotonic()
            with self._lock:
                since = self._dirty_since
            flush_at = None
            if since is not None:
                flush_at = max(since + self.flush_interval, self._retry_at)
            due = next_check if flush_at is None else min(next_check, flush_at)
            if due > now:
                self._wake.wait(due - now)
                continue
            try:
                if flush_at is not None and now >= flush_at:
                    with self._flush_lock:
                        if not self._stopping:
                            self._flush_locked()
                if now >= next_check:
                    next_check = now + self.check_interval
                    with self._flush_lock:
                        if not self._stopping:
                            self._sync(write=False)
            except _SaveError as exc:
                self._notice_once(str(exc))  # (said once; a failed flush reported itself)
            except Exception as exc:  # a bug must not silently end saving
                self._failures += 1
                self._retry_at = time.monotonic() + min(30.0, 0.5 * 2**self._failures)
                self._notice(f"Saving reading state failed unexpectedly: {exc!r}")
            self._deliver()


def install_signal_flush(store: StateStore | None = None) -> dict[int, Any]:
    """Make SIGTERM and SIGHUP save the state and exit cleanly.

    The handler raises ``SystemExit(128 + signal number)`` in the main thread, so
    ``finally`` blocks run, ``store`` (and every other open store) is closed — which
    flushes it — by the interpreter's exit hook, and a UI gets to restore the terminal.
    Flushing is not done inside the handler itself: the interrupted code may hold the
    store's locks. Call from the main thread; returns the previous handlers.
    """
    previous: dict[int, Any] = {}

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    if store is not None:
        with _open_stores_lock:
            if not store._closed:
                _open_stores.add(store)
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None:
            previous[signum] = signal.signal(signum, handler)
    return previous
