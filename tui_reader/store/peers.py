"""Files of the state that this copy reads and merges but never writes (issue 21).

A ``Source`` is one snapshot and its journal (either may be missing) that another device
wrote into the shared state folder, or that a sync engine left as a conflict copy, or
today's single state file being upgraded to the folder of device files. The store reads
each source as it reads its own files (``snapshot.parse``, ``journal.Journal``), merges
what it finds per field and per tag (``merge``), and never creates, moves, cuts or
appends to a source's files: only ``retire`` moves a conflict copy or an upgraded file
into the backup folder, and only after everything read from it is in this device's own
snapshot on disk.

A source's files may arrive late, out of order or half-synced: a snapshot that does not
parse whole gives every intact record (and is read again when it changes; it is never
moved aside, it is not ours), a journal's last line without its newline is left until
it is whole, a journal of another generation is read from its start. Merging is
idempotent and commutative, so whatever was merged stays right whatever arrives next.

API: ``Source(snapshot, journal, clock, kind)``; ``changed() -> bool`` (stat calls
only); ``read() -> Read`` (what is new since the last read: papers, settings, the
journal lines that cannot be used, a problem to tell); ``retire(folder, device)`` moves
the source's files into ``folder`` (named with the time and the device that moved
them) and returns the new paths.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import files, snapshot
from .checks import valid_setting
from .clock import Clock, FutureStamps
from .journal import HEADER_PEEK, Journal, header_line
from .records import NewerSchemaError, NotOursError, StateFileError

DEVICE = "device"  # another device's own files: read for as long as they are there
CONFLICT = "conflict"  # a sync engine's conflict copy: merged, then moved to the backups
SINGLE = "single"  # today's single file, upgraded to device files: merged, then moved


@dataclass
class Read:
    papers: list[tuple[str, dict]] = field(default_factory=list)
    settings: list[tuple[str, dict]] = field(default_factory=list)
    rejected: int = 0  # journal lines that cannot be used: never merged
    problem: str | None = None  # a snapshot that could not be read whole, in words


class Source:
    """One snapshot and journal of the folder that this copy only reads."""

    def __init__(
        self, snapshot_path: Path | None, journal_path: Path | None, clock: Clock, kind: str
    ) -> None:
        self.snapshot_path = snapshot_path
        self.journal = Journal(journal_path, clock) if journal_path is not None else None
        self.clock = clock
        self.kind = kind
        self.signature: tuple | None = None  # of the snapshot when last read
        # The id (``sync_id``) of the snapshot merged whole, or None; and the id of one
        # that this copy's own snapshot already holds whole (it is then not parsed).
        self.held: str | None = None
        self.known: str | None = None
        # Likewise for the journal: (generation, offset) this copy's own snapshot holds;
        # a journal still of that generation is read on from there.
        self.known_journal: list | None = None
        self.device: str | None = None  # the device whose own files these are

    @property
    def paths(self) -> list[Path]:
        found = [self.snapshot_path] if self.snapshot_path is not None else []
        return found + ([self.journal.path] if self.journal is not None else [])

    def changed(self) -> bool:
        if self.snapshot_path is not None and files.signature(self.snapshot_path) != self.signature:
            return True
        return self.journal is not None and self.journal.changed()

    def read(self) -> Read:
        """What is new in the source since the last read. Raises OSError."""
        result = Read()
        if self.snapshot_path is not None:
            self._read_snapshot(result)
        if self.journal is not None:
            with contextlib.suppress(FileNotFoundError):
                if self.journal.ident is None and self.known_journal:
                    self._skip_held_lines(*self.known_journal)
                entries = self.journal.read_new()
                result.papers += entries.papers
                result.settings += entries.settings
                result.rejected += len(entries.rejected)
        return result

    def _skip_held_lines(self, generation: object, offset: object) -> None:
        """Start reading the journal at ``offset`` when it is still of ``generation``:
        the lines before are in this copy's own snapshot (a fold read them)."""
        assert self.journal is not None
        if type(generation) is not str or type(offset) is not int:
            return
        head = read_head(self.journal.path)[:HEADER_PEEK]
        if head.startswith(header_line(generation)) and offset >= len(head.split(b"\n")[0]):
            self.journal.ident, self.journal.offset = generation, offset
            self.journal.header_end = len(header_line(generation))

    def held_journal(self) -> list | None:
        """(generation, offset) of what was read of the journal, for the next fold."""
        journal = self.journal
        if journal is None or type(journal.ident) is not str:
            return None
        return [journal.ident, journal.offset]

    def _read_snapshot(self, result: Read) -> None:
        assert self.snapshot_path is not None
        sig = files.signature(self.snapshot_path)
        if sig == self.signature:
            return
        try:
            found = files.read_keeping_open(self.snapshot_path)
        except NotOursError as exc:
            self.signature = sig
            result.problem = exc.reason
            return
        if found is None:
            self.signature = files.MISSING
            return
        raw, signature, fd = found
        token = sync_id(raw)
        self.held = None
        if token is not None and token == self.known:
            os.close(fd)  # already in this copy's own snapshot, whole: nothing to merge
            self.signature, self.held = signature, token
            return
        try:
            image = snapshot.parse(raw, signature, fd=fd, clock=self.clock)
        except NewerSchemaError as exc:
            result.problem = exc.reason
            image = None
        except StateFileError as exc:  # half-synced or damaged: what is intact
            try:
                image = snapshot.parse(raw, signature, lenient=True, clock=self.clock)
            except StateFileError:
                image = None
            result.problem = exc.reason
        self.signature = signature
        if image is not None:
            whole = not (image.damaged or image.repaired or image.salvaged or result.problem)
            self.held = token if whole and image.migrated_from is None else None
            result.papers += image.papers.items()
            result.settings += image.settings.items()
            image.raw = None

    def read_whole(self, clock: Clock) -> snapshot.Image | None:
        """The snapshot parsed, when it is whole and as written (else None, nothing
        kept): it then counts as read and merged (``signature``, ``held``)."""
        assert self.snapshot_path is not None
        try:
            found = files.read_keeping_open(self.snapshot_path)
        except (OSError, NotOursError):
            return None
        if found is None:
            return None
        raw, signature, fd = found
        try:
            image = snapshot.parse(raw, signature, fd=fd, clock=clock)
        except StateFileError:
            return None
        if image.damaged or image.repaired or image.salvaged or image.migrated_from is not None:
            return None
        self.signature, self.held = signature, sync_id(raw)
        image.raw = None
        return image

    def retire(self, folder: Path, device: str) -> list[Path]:
        """Move the source's files into ``folder``; the new paths. Raises OSError."""
        folder.mkdir(parents=True, exist_ok=True)
        moved = []
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for path in self.paths:
            if not os.path.lexists(path):
                continue
            target = folder / f"{path.name}.{stamp}.{device}"
            counter = 1
            while os.path.lexists(target):
                counter += 1
                target = folder / f"{path.name}.{stamp}.{device}-{counter}"
            os.rename(path, target)
            moved.append(target)
        if moved:
            files.fsync_dir(folder)
            files.fsync_dir(self.paths[0].parent)
        return moved


SYNC_TABLE = "sync"  # in a device's snapshot: {"id": ..., "holds": {device: id}}


def head_tables(raw: bytes) -> dict | None:
    """The tables of a snapshot's first line (all but the papers and details), or None
    when it is not laid out as this program writes it."""
    head = raw[: 1 << 20].split(b"\n", 1)[0]
    if not head.endswith(b'"papers": {'):
        return None
    try:
        tables = json.loads(head + b"}}")
    except ValueError:
        return None
    return tables if type(tables) is dict else None


def read_head(path: Path) -> bytes:
    """The first MB of a file (b"" when it cannot be read)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return b""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.pread(fd, 1 << 20, 0)
    except OSError:
        return b""
    finally:
        os.close(fd)


def sync_table(raw: bytes) -> dict | None:
    tables = head_tables(raw)
    table = tables.get(SYNC_TABLE) if tables is not None else None
    return table if type(table) is dict else None


def sync_id(raw: bytes) -> str | None:
    """The id a device's snapshot names itself by, read from its first line only."""
    table = sync_table(raw)
    found = table.get("id") if table is not None else None
    return found if type(found) is str else None


def head_settings(tables: dict, clock: Clock) -> dict[str, dict]:
    """The valid settings of a snapshot's first line."""
    settings = tables.get(snapshot.SETTINGS)
    stamps = FutureStamps(clock)
    return {
        name: valid
        for name, doc in (settings if type(settings) is dict else {}).items()
        if (valid := valid_setting(doc, stamps=stamps, deep=True)[0]) is not None
    }
