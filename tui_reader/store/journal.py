"""The journal: an append-only file of changes beside the snapshot (``<file>.journal``).

One JSON line per change, written under the inter-process lock and fsynced before a
flush reports success, so a flush costs what changed, never the whole history:

    {"p": "2501.00001", "d": {<paper record without unchanged details>}}
    {"s": "theme", "d": {"value": "nord", "updated_at": 1736000000.5}}

The state is the snapshot with every journal line merged into it (``merge``); merging is
idempotent, so a line that is also in the snapshot (the program died while folding the
journal in) does no harm. Readers keep an offset and read only what was appended since;
a journal replaced by a shorter one (folded into the snapshot by some copy) is read again
from its start. A torn last line (``kill -9`` during an append) is skipped: the next
append starts on a new line.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import files
from .records import ConstantSpotter, encode_repaired, suspect, valid_paper, valid_setting


@dataclass
class Entries:
    """What one read of the journal found."""

    papers: list[tuple[str, dict]] = field(default_factory=list)
    settings: list[tuple[str, dict]] = field(default_factory=list)
    skipped: int = 0  # lines that could not be used
    restarted: bool = False  # the journal was replaced: read from its start


def paper_line(arxiv_id: str, doc: dict) -> bytes:
    return (encode_repaired({"p": arxiv_id, "d": doc}) + "\n").encode()


def setting_line(name: str, doc: dict) -> bytes:
    return (encode_repaired({"s": name, "d": doc}) + "\n").encode()


def _parse_line(line: bytes, entries: Entries) -> None:
    spotter = ConstantSpotter()
    try:
        entry = json.loads(line, parse_constant=spotter)
    except (ValueError, RecursionError):
        entries.skipped += 1
        return
    deep = spotter.seen or suspect(line)
    if type(entry) is dict and type(entry.get("p")) is str:
        doc, _ = valid_paper(entry.get("d"), deep=deep)
        if doc is not None:
            entries.papers.append((entry["p"], doc))
            return
    elif type(entry) is dict and type(entry.get("s")) is str:
        doc = valid_setting(entry.get("d"), deep=deep)
        if doc is not None:
            entries.settings.append((entry["s"], doc))
            return
    entries.skipped += 1


class Journal:
    """One copy's view of the journal file: where it has read up to."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ident: tuple[int, int] | None = None
        self.offset = 0

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
        return (st.st_dev, st.st_ino) != self.ident or st.st_size != self.offset

    def read_new(self) -> Entries:
        """Parse every complete line appended since the last read. Raises OSError."""
        entries = Entries()
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(self.path, flags)
        except FileNotFoundError:
            if self.ident is not None:
                entries.restarted = True
            self.ident, self.offset = None, 0
            return entries
        try:
            st = os.fstat(fd)
            files.check_mode(st.st_mode)
            ident = (st.st_dev, st.st_ino)
            if ident != self.ident or st.st_size < self.offset:
                entries.restarted = self.ident is not None
                self.ident, self.offset = ident, 0
            data = os.pread(fd, st.st_size - self.offset, self.offset) if st.st_size else b""
        finally:
            os.close(fd)
        end = data.rfind(b"\n") + 1
        for line in data[:end].split(b"\n"):
            if line.strip():
                _parse_line(line, entries)
        self.offset += end
        return entries

    def append(self, lines: list[bytes]) -> None:
        """Append lines and fsync them (caller holds the lock and has read all before).

        Raises OSError when they are not all on disk.
        """
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
        created = not os.path.lexists(self.path)
        fd = os.open(self.path, flags, 0o600)
        try:
            st = os.fstat(fd)
            files.check_mode(st.st_mode)
            prefix = b""
            if st.st_size and os.pread(fd, 1, st.st_size - 1) != b"\n":
                prefix = b"\n"  # a torn line left by a writer that died: end it
            data = prefix + b"".join(lines)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
            st = os.fstat(fd)
        finally:
            os.close(fd)
        if created:
            files.fsync_dir(self.path.parent)
        self.ident, self.offset = (st.st_dev, st.st_ino), st.st_size

    def cut(self, upto: int) -> None:
        """Drop the first ``upto`` bytes (folded into the snapshot). Caller holds the lock."""
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(self.path, flags)
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
        # new snapshot's rename was made durable before this is called.)
        if not rest:
            os.unlink(self.path)
            self.ident, self.offset = None, 0
            return
        os.replace(files.write_temp(self.path, [rest]), self.path)
        st = os.stat(self.path)
        self.ident, self.offset = (st.st_dev, st.st_ino), st.st_size
