"""The metadata cache: every answer of the services, fetched once, kept beside the state.

    cache = MetadataCache(cache_path(state_path), writable=not offline)
    warnings = cache.load()                 # damaged lines skipped, each named
    cache.metadata("2412.20930")            # Metadata | None
    cache.answered("2412.20930", ARXIV)     # asked before (a record, or "not known")
    cache.add([CacheLine(...), ...])        # remembered now, appended to the file

One file, append-only JSON lines, each one paper's answer from one source with the
time it was fetched::

    {"id": "2412.20930", "source": "arxiv", "fetched": 1765000000.0, "record": {...}}
    {"id": "2501.99999", "source": "arxiv", "fetched": 1765000003.0, "record": null}

``record`` null: the source does not know the paper (asked, so not asked again). The
last line for an id and source wins. ``cache_path(state)`` is the one place that names
the file (``<state>.metadata.jsonl``; in a folder shared by devices, beside this
device's own state file: one cache per device).

Rules: the state file itself is never opened. A damaged line (torn by a crash, not
JSON, not of the shape) is skipped with a warning; the next append starts on a new
line. A read-only cache (``writable=False``: ``--offline``) never creates or writes
the file. A path that is a symlink, a folder, a device, a FIFO or a socket is never
written (``CacheError``); reading opens without blocking and checks the file type on
the open descriptor. ``add`` keeps the answers in memory even when the file cannot be
written, and raises ``CacheError`` (one line) to say so.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

from ..store.devices import own_path
from ..store.files import kind_of
from .records import ArxivRecord, Metadata, Venue, arxiv_from_json, to_json, venue_from_json

__all__ = ["ARXIV", "VENUE", "CacheError", "CacheLine", "MetadataCache", "cache_path"]

ARXIV = "arxiv"
VENUE = "venue"
SUFFIX = ".metadata.jsonl"
MAX_BYTES = 1 << 30


def cache_path(state_path: Path) -> Path:
    """Where the cache of the state file ``state_path`` lives: beside this device's own
    files when the state folder is shared by devices (``store.devices``), so that no
    two machines ever append to one cache file through a sync engine."""
    with contextlib.suppress(ValueError, OSError):  # no device id: the store says why
        state_path = own_path(state_path)
    return state_path.with_name(state_path.name + SUFFIX)


class CacheError(Exception):
    """The cache file cannot be read or written; the message is one line."""


@dataclass(frozen=True, slots=True)
class CacheLine:
    arxiv_id: str
    source: str  # ARXIV or VENUE
    fetched: float  # seconds since the epoch
    record: ArxivRecord | Venue | None

    def encode(self) -> bytes:
        record = to_json(self.record) if self.record is not None else None
        line = {"id": self.arxiv_id, "source": self.source, "fetched": self.fetched,
                "record": record}  # fmt: skip
        return (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _decode(raw: bytes) -> CacheLine:
    data = json.loads(raw)
    if type(data) is not dict:
        raise ValueError("not an object")
    arxiv_id, source, fetched, record = (data.get(k) for k in ("id", "source", "fetched", "record"))
    if type(arxiv_id) is not str or not arxiv_id or type(fetched) not in (int, float):
        raise ValueError("no id or fetch time")
    if source == ARXIV:
        parsed = arxiv_from_json(record) if record is not None else None
        if parsed is not None and parsed.arxiv_id != arxiv_id:
            raise ValueError("the record is another paper's")
    elif source == VENUE:
        parsed = venue_from_json(record) if record is not None else None
    else:
        raise ValueError(f"unknown source {source!r}")
    return CacheLine(arxiv_id, source, float(fetched), parsed)


class MetadataCache:
    def __init__(self, path: Path, *, writable: bool = True) -> None:
        self.path = path
        self.writable = writable
        self._lock = threading.Lock()
        self._arxiv: dict[str, ArxivRecord | None] = {}
        self._venue: dict[str, Venue | None] = {}

    # -- reading ---------------------------------------------------------------------

    def load(self) -> list[str]:
        """Read the file (a missing one is empty); the warnings, one line each."""
        try:
            raw = self._read()
        except CacheError as error:
            return [str(error)]
        warnings = []
        lines = raw.split(b"\n")
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                self._remember(_decode(line))
            except (ValueError, RecursionError, TypeError) as error:
                torn = number == len(lines) and not raw.endswith(b"\n")
                why = "cut short (the last write did not finish)" if torn else str(error)
                warnings.append(f"{self.path.name}:{number}: damaged line skipped ({why})")
        return warnings

    def _read(self) -> bytes:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(self.path, flags)
        except FileNotFoundError:
            return b""
        except OSError as error:
            raise CacheError(f"{self.path}: cannot be read ({error.strerror or error})") from None
        try:
            st = os.fstat(fd)
            reason = kind_of(st.st_mode)
            if reason is not None:
                raise CacheError(f"{self.path}: is {reason}; not read")
            if st.st_size > MAX_BYTES:
                raise CacheError(f"{self.path}: larger than {MAX_BYTES >> 20} MB; not read")
            chunks = []
            while chunk := os.read(fd, 1 << 22):
                chunks.append(chunk)
            return b"".join(chunks)
        except OSError as error:
            raise CacheError(f"{self.path}: cannot be read ({error.strerror or error})") from None
        finally:
            os.close(fd)

    def _remember(self, line: CacheLine) -> None:
        with self._lock:
            table = self._arxiv if line.source == ARXIV else self._venue
            table[line.arxiv_id] = line.record  # type: ignore[assignment]

    def answered(self, arxiv_id: str, source: str) -> bool:
        return arxiv_id in (self._arxiv if source == ARXIV else self._venue)

    def arxiv_record(self, arxiv_id: str) -> ArxivRecord | None:
        return self._arxiv.get(arxiv_id)

    def metadata(self, arxiv_id: str) -> Metadata | None:
        arxiv, venue = self._arxiv.get(arxiv_id), self._venue.get(arxiv_id)
        if arxiv is None and venue is None:
            return None
        return Metadata(arxiv_id, arxiv, venue)

    def all(self) -> dict[str, Metadata]:
        """Every paper with something known, by id (a new dict: safe to hand over)."""
        with self._lock:
            ids = [i for i, r in self._arxiv.items() if r is not None]
            ids += [i for i, v in self._venue.items() if v is not None and i not in self._arxiv]
        return {arxiv_id: meta for arxiv_id in ids if (meta := self.metadata(arxiv_id))}

    # -- writing ---------------------------------------------------------------------

    def add(self, lines: list[CacheLine]) -> None:
        """Remember ``lines`` and append them to the file (unless read-only)."""
        for line in lines:
            self._remember(line)
        if not self.writable or not lines:
            return
        self._append(b"".join(line.encode() for line in lines))

    def _append(self, data: bytes) -> None:
        path = self.path
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            st = None
        except OSError as error:
            raise CacheError(f"{path}: cannot be written ({error.strerror or error})") from None
        if st is not None:
            if stat.S_ISLNK(st.st_mode):
                raise CacheError(f"{path}: is a symlink; the cache is not written through it")
            reason = kind_of(st.st_mode)
            if reason is not None:
                raise CacheError(f"{path}: is {reason}; not written")
        flags = (os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_NONBLOCK", 0))  # fmt: skip
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, flags, 0o600)
        except OSError as error:
            raise CacheError(f"{path}: cannot be written ({error.strerror or error})") from None
        try:
            st = os.fstat(fd)
            reason = kind_of(st.st_mode)
            if reason is not None:
                raise CacheError(f"{path}: is {reason}; not written")
            if st.st_size and os.pread(fd, 1, st.st_size - 1) != b"\n":
                data = b"\n" + data  # after a torn line: start on a line of our own
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        except OSError as error:
            raise CacheError(f"{path}: cannot be written ({error.strerror or error})") from None
        finally:
            with contextlib.suppress(OSError):
                os.close(fd)
