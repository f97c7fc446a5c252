"""The journal: an append-only file of changes beside the snapshot (``<file>.journal``).

One JSON line per change, written under the inter-process lock and fsynced before a
flush reports success, so a flush costs what changed, never the whole history:

    {"v": 5, "p": "2501.00001", "d": {<paper record without unchanged details>}}
    {"v": 5, "s": "theme", "d": {"value": "nord", "updated_at": <stamp>}}

``v`` is the format of the record (``snapshot.SCHEMA_VERSION``); a line without one was
written by format 4 or before and is made current as it is read. A line is merged only
when its whole shape is known (``journal_lines``); any other is never merged, not even
in part, and never lost: the reader counts it (``Entries.rejected``, said in one
notice), and the fold that cuts it from the journal first appends it to
``<file>.journal.rejected`` (``keep_rejected``), a side file no fold ever cuts.

The state is the snapshot with every journal line merged into it (``merge``); merging is
idempotent, so a line that is also in the snapshot (the program died while folding the
journal in) does no harm. A last line without its newline may still be being written:
readers leave it until it is complete. Only a writer holding the lock knows its writer
is gone (``kill -9`` during an append): the next append ends it with a newline, and a
fold does the same (``end_torn_line``); it is then an unusable line like any other.

Each journal file begins with a header line naming its generation, a random id made
when the file is made (``{"journal": "9f2c..."}``); a fold replaces the file by one of
a new generation (or deletes it when nothing is left). Readers keep the generation and
an offset and read only what was appended since; a journal of another generation
(folded into a new snapshot by some copy, or deleted) is read again from its start,
and the reader then reads the snapshot again too (``Entries.restarted``). The
generation, not the file's inode, says which file a reader is in: a file system reuses
the inode of a deleted journal, and a reader that trusted it skipped another copy's
lines (issue 17). A journal without a header (written before) is known by its inode.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from . import files
from .clock import Clock, FutureStamps
from .journal_lines import read_line
from .ours import open_companion


@dataclass
class Rejected:
    """A line that cannot be used: where it is in this generation, and why."""

    offset: int
    raw: bytes
    problem: str


@dataclass
class Entries:
    """What one read of the journal found."""

    papers: list[tuple[str, dict]] = field(default_factory=list)
    settings: list[tuple[str, dict]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)  # lines that cannot be used
    repaired: int = 0  # lines used with odd values repaired
    restarted: bool = False  # the journal was replaced: read from its start


TORN = "torn: its writer stopped in the middle of it"
HEADER_START = b'{"journal": "'
HEADER_PEEK = 64  # bytes read to find a header: it is about 32


def header_line(generation: str) -> bytes:
    return b'{"journal": "%s"}\n' % generation.encode()


def new_generation() -> str:
    return secrets.token_hex(8)


def read_header(fd: int, size: int) -> tuple[str | None, int]:
    """(the generation named by the file's header, where the header ends); (None, 0)
    for a journal without one."""
    if size < len(HEADER_START):
        return None, 0
    head = os.pread(fd, min(size, HEADER_PEEK), 0)
    end = head.find(b"\n") + 1
    if not head.startswith(HEADER_START) or end == 0:
        return None, 0
    try:
        header = json.loads(head[:end])
    except ValueError:
        return None, 0
    generation = header.get("journal") if type(header) is dict else None
    return (generation, end) if type(generation) is str else (None, 0)


class Journal:
    """One copy's view of the journal file: where it has read up to."""

    def __init__(self, path: Path, clock: Clock) -> None:
        self.path = path
        self.clock = clock
        # Which file we are in: its generation, or (device, inode) for one without a
        # header; None before the first read.
        self.ident: str | tuple[int, int] | None = None
        self.offset = 0
        self.header_end = 0  # where the first change line starts
        self._seen: tuple | None = None  # the stat of the file when last read or written
        # The unusable lines of this generation read so far: a fold that cuts them
        # keeps them in the side file first (``persist``).
        self.rejected: list[Rejected] = []

    @property
    def generation(self) -> str | tuple[int, int] | None:
        return self.ident

    def pending(self) -> bool:
        """Whether changes were read from the journal (it is more than its header)."""
        return self.offset > self.header_end

    def size(self) -> int:
        try:
            return os.stat(self.path).st_size
        except OSError:
            return 0

    def changed(self) -> bool:
        """Whether there may be something new to read (one stat call)."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return self.ident is not None
        except OSError:
            return False
        return _seen(st) != self._seen or st.st_size != self.offset

    def read_new(self) -> Entries:
        """Parse every complete line appended since the last read. Raises OSError."""
        entries = Entries()
        try:
            fd = open_companion(self.path, os.O_RDONLY)
        except FileNotFoundError:
            if self.ident is not None:
                entries.restarted = True
            self.ident, self.offset, self.rejected = None, 0, []
            return entries
        try:
            st = os.fstat(fd)
            generation, header_end = read_header(fd, st.st_size)
            ident = generation or (st.st_dev, st.st_ino)
            if ident != self.ident or st.st_size < self.offset:
                entries.restarted = self.ident is not None
                self.ident, self.offset, self.header_end = ident, header_end, header_end
                self.rejected = []
            data = os.pread(fd, st.st_size - self.offset, self.offset) if st.st_size else b""
            self._seen = _seen(st)
        finally:
            os.close(fd)
        end = data.rfind(b"\n") + 1  # a last line without its end may still be written
        stamps = FutureStamps(self.clock)
        start = 0
        while start < end:
            stop = data.index(b"\n", start)
            line = data[start:stop]
            if line.strip():
                read = read_line(line, stamps)
                if read.kind == "p":
                    entries.papers.append((read.key, read.doc))
                elif read.kind == "s":
                    entries.settings.append((read.key, read.doc))
                elif read.problem:
                    entries.rejected.append(Rejected(self.offset + start, line, read.problem))
                entries.repaired += read.repaired
            start = stop + 1
        self.rejected += entries.rejected
        self.offset += end
        return entries

    def end_torn_line(self) -> None:
        """End a last line left without its newline (caller holds the lock: nobody is
        writing it, its writer is gone), so that it is read, as unusable."""
        try:
            fd = open_companion(self.path, os.O_RDWR | os.O_APPEND)
        except FileNotFoundError:
            return
        try:
            st = os.fstat(fd)
            if st.st_size and os.pread(fd, 1, st.st_size - 1) != b"\n":
                os.write(fd, b"\n")
                os.fsync(fd)
        finally:
            os.close(fd)

    def append(self, lines: list[bytes]) -> None:
        """Append lines and fsync them (caller holds the lock and has read all before).

        Raises OSError when they are not all on disk.
        """
        created = not os.path.lexists(self.path)
        fd = open_companion(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT)
        try:
            st = os.fstat(fd)
            prefix = b""
            if not st.st_size:
                prefix = header_line(new_generation())  # a new file: a new generation
            elif os.pread(fd, 1, st.st_size - 1) != b"\n":
                prefix = b"\n"  # a torn line left by a writer that died: end it
                if st.st_size > self.offset >= self.header_end:  # and keep it
                    torn = os.pread(fd, st.st_size - self.offset, self.offset)
                    self.rejected.append(Rejected(self.offset, torn, TORN))
            data = prefix + b"".join(lines)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
            st = os.fstat(fd)
            generation, header_end = read_header(fd, st.st_size)
        finally:
            os.close(fd)
        if created:
            files.fsync_dir(self.path.parent)
        ident = generation or (st.st_dev, st.st_ino)
        if ident != self.ident:
            self.header_end = header_end
        self.ident, self.offset, self._seen = ident, st.st_size, _seen(st)

    def cut(self, upto: int) -> None:
        """Drop the first ``upto`` bytes (folded into the snapshot). Caller holds the lock."""
        try:
            fd = open_companion(self.path, os.O_RDONLY)
        except FileNotFoundError:
            self.ident, self.offset = None, 0
            return
        try:
            st = os.fstat(fd)
            rest = os.pread(fd, max(0, st.st_size - upto), upto)
        finally:
            os.close(fd)
        # The folder is not fsynced: if the cut is lost in a crash, the whole journal
        # comes back, and replaying lines the snapshot already holds does nothing. (The
        # new snapshot's rename was made durable before this is called.) What is left
        # goes to a file of a new generation, so a reader that was in the old one knows
        # from the header that it must start again (so does a reader that finds the
        # file made anew by the next append).
        if not rest:
            os.unlink(self.path)
            self.ident, self.offset, self.header_end, self._seen = None, 0, 0, None
            self.rejected = []
            return
        generation = new_generation()
        header = header_line(generation)
        os.replace(files.write_temp(self.path, [header, rest]), self.path)
        st = os.stat(self.path)
        shift = len(header) - upto  # where the lines left are in the new file
        self.rejected = [
            Rejected(line.offset + shift, line.raw, line.problem)
            for line in self.rejected
            if line.offset >= upto
        ]
        self.ident, self.header_end = generation, len(header)
        self.offset, self._seen = st.st_size, _seen(st)

    def keep_rejected(self, upto: int) -> int:
        """Append the unusable lines before ``upto`` to the side file (``<journal>
        .rejected``: append-only, never cut), fsynced, before a fold cuts them from the
        journal. Returns how many. Raises OSError (the fold must then wait)."""
        lines = [line.raw + b"\n" for line in self.rejected if line.offset < upto]
        if lines:
            append_synced(self.rejected_path, lines)
        return len(lines)

    @property
    def rejected_path(self) -> Path:
        return self.path.with_name(self.path.name + ".rejected")


def append_synced(path: Path, lines: list[bytes]) -> None:
    """Append ``lines`` to a regular file (made 0600 if new) and fsync it."""
    created = not os.path.lexists(path)
    fd = open_companion(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        data = memoryview(b"".join(lines))
        while data:
            data = data[os.write(fd, data) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        files.fsync_dir(path.parent)


def _seen(st: os.stat_result) -> tuple:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
