"""Drafts of notes: what the reader typed in the note editor and has not saved yet.

A draft is kept on disk while the editor is open (after a short quiet time, and at once
when the app leaves on a signal or a lost terminal), so a crash, a kill or a closed
terminal loses at most the last moment of typing. The next time the editor opens on
that paper it offers the draft back; a draft is removed once the note is saved or the
reader discards it. Nothing here imports Textual.

API
---
``drafts_folder(state_path) -> Path``
    Where the drafts of a state file live: ``<state file>.drafts/`` beside it (one
    place to change when each device gets its own files in a synced folder).
``NoteDraft``
    Frozen dataclass: ``arxiv_id``, ``title`` (to name the paper before any digest is
    read), ``text`` (the typed text), ``base`` (the saved note the text was written
    over: saving the draft over a note that is no longer ``base`` must ask),
    ``saved_at`` (wall time), ``device`` (host name), ``pid``, ``writer`` (the
    ``NoteDrafts`` that wrote it).
``NoteDrafts(folder, *, device=None, pid=None, clock=time.time, writer=None)``
    ``keep(arxiv_id, title, text, base) -> NoteDraft`` writes this writer's draft of a
    paper (atomically, fsynced); ``forget(arxiv_id)`` removes this writer's draft of it;
    ``remove(draft)`` removes one draft (restored into an editor, discarded);
    ``offered(arxiv_id) -> list[NoteDraft]`` the drafts of a paper the reader may take
    back, newest first; ``pending() -> list[NoteDraft]`` every such draft, newest
    first; ``unreadable`` names the draft files the last scan could not read.
    ``keep`` raises ``DraftError`` (a one-line message) when the draft cannot be written.
``DraftKeeper(drafts, arxiv_id, title, base)``
    One editor's draft, written from any thread with the newest text always last:
    ``ticket()`` numbers a write when its text is taken (any thread); ``write(text,
    ticket) -> str`` keeps ``text`` (None, or ``base``: removes the draft) unless a
    later ticket was written already, and returns "" or the problem in one line.
``DraftError``
    An ``OSError`` whose ``str`` is one line for the reader.

Rules
-----
* A draft never becomes the note on its own and never looks like one: it lives in its
  own folder, in files marked ``"kind": "digest-reader note draft"``, and only goes
  into the editor when the reader restores it; saving it then goes through the editor's
  check against ``base``.
* Each writer (one app run) owns its files: ``<quoted id>.<writer>.json``. Two running
  copies editing one note never overwrite each other's draft, and a copy removes only
  its own files unless the reader restores or discards a draft. A draft whose writer is
  a live process on this device (another running copy's open editor) is not offered.
* Files that are not ours are never touched: a drafts folder that is a symlink or not a
  folder is refused; a draft is replaced by ``os.replace`` (never written through a
  symlink), read with ``O_NOFOLLOW`` only when it is a regular file of at most
  ``MAX_DRAFT_BYTES``, and a file that does not parse as a draft is left alone (and
  named in ``unreadable``).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import os
import secrets
import socket
import stat
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

DRAFT_KIND = "digest-reader note draft"
DRAFT_FORMAT = 1
MAX_DRAFT_BYTES = 64 * 1024 * 1024
STALE_TEMP_AGE = 60.0  # seconds: a temp file this old is left over from a kill


class DraftError(OSError):
    """A draft could not be kept; ``str`` is one line for the reader."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "the draft could not be kept"


@dataclass(frozen=True, slots=True)
class NoteDraft:
    arxiv_id: str
    title: str
    text: str
    base: str
    saved_at: float
    device: str
    pid: int
    writer: str


def drafts_folder(state_path: Path) -> Path:
    path = Path(state_path)
    return path.with_name(path.name + ".drafts")


def file_name(arxiv_id: str, writer: str) -> str:
    return f"{quote(arxiv_id, safe='')}.{writer}.json"


class NoteDrafts:
    def __init__(
        self,
        folder: Path,
        *,
        device: str | None = None,
        pid: int | None = None,
        clock: Callable[[], float] = time.time,
        writer: str | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.device = socket.gethostname() if device is None else device
        self.pid = os.getpid() if pid is None else pid
        self.clock = clock
        self.writer = writer or secrets.token_hex(6)
        self.unreadable: list[str] = []

    # -- writing ---------------------------------------------------------------------

    def keep(self, arxiv_id: str, title: str, text: str, base: str) -> NoteDraft:
        draft = NoteDraft(arxiv_id, title, text, base, self.clock(), self.device,
                          self.pid, self.writer)  # fmt: skip
        data = json.dumps({"kind": DRAFT_KIND, "format": DRAFT_FORMAT, **asdict(draft)})
        if len(data) > MAX_DRAFT_BYTES:
            raise DraftError(f"the note is too long to keep as a draft ({len(data):,} bytes)")
        self._write(file_name(arxiv_id, self.writer), data)
        return draft

    def forget(self, arxiv_id: str) -> None:
        self._unlink(file_name(arxiv_id, self.writer))

    def remove(self, draft: NoteDraft) -> None:
        self._unlink(file_name(draft.arxiv_id, draft.writer))

    def _write(self, name: str, data: str) -> None:
        try:
            self._make_folder()
            fd, temp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(fd, "w", encoding="ascii") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temp, self.folder / name)  # replaces a symlink, never its target
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
            self._sync_folder()
        except DraftError:
            raise
        except OSError as error:
            raise DraftError(f"could not keep the draft in {self.folder}: "
                             f"{error.strerror or error}") from error  # fmt: skip

    def _make_folder(self) -> None:
        try:
            info = os.lstat(self.folder)
        except FileNotFoundError:
            self.folder.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):
                self.folder.mkdir(mode=0o700)
            info = os.lstat(self.folder)
        if not stat.S_ISDIR(info.st_mode):
            raise DraftError(f"{self.folder} is not a folder: drafts are not kept there")

    def _sync_folder(self) -> None:
        with contextlib.suppress(OSError):
            fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def _unlink(self, name: str) -> None:
        if not self._folder_is_ours():
            return
        # Not removed (a folder that turned read-only): offered again, nothing lost.
        with contextlib.suppress(OSError):
            os.unlink(self.folder / name)  # unlink never follows a symlink
            self._sync_folder()

    def _folder_is_ours(self) -> bool:
        try:
            return stat.S_ISDIR(os.lstat(self.folder).st_mode)
        except OSError:
            return False

    # -- reading ---------------------------------------------------------------------

    def offered(self, arxiv_id: str) -> list[NoteDraft]:
        prefix = quote(arxiv_id, safe="") + "."
        return [draft for draft in self._scan(prefix) if draft.arxiv_id == arxiv_id]

    def pending(self) -> list[NoteDraft]:
        return self._scan("")

    def _scan(self, prefix: str) -> list[NoteDraft]:
        self.unreadable = []
        if not self._folder_is_ours():
            return []
        try:
            names = sorted(os.listdir(self.folder))
        except OSError:
            return []
        drafts = []
        for name in names:
            if name.startswith(".") and name.endswith(".tmp"):
                self._remove_stale_temp(name)
                continue
            if not name.startswith(prefix) or not name.endswith(".json"):
                continue
            draft = self._read(name)
            if draft is None:
                self.unreadable.append(name)
            elif not self._held_elsewhere(draft):
                drafts.append(draft)
        drafts.sort(key=lambda draft: draft.saved_at, reverse=True)
        return drafts

    def _read(self, name: str) -> NoteDraft | None:
        try:
            fd = os.open(self.folder / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_DRAFT_BYTES:
                return None
            with os.fdopen(os.dup(fd), "rb") as handle:
                raw = handle.read(MAX_DRAFT_BYTES + 1)
        except OSError:
            return None
        finally:
            os.close(fd)
        draft = parse_draft(raw)
        if draft is None or name != file_name(draft.arxiv_id, draft.writer):
            return None
        return draft

    def _held_elsewhere(self, draft: NoteDraft) -> bool:
        """Another running copy's open editor on this device writes it."""
        if draft.writer == self.writer or draft.device != self.device or draft.pid == self.pid:
            return False
        return process_alive(draft.pid)

    def _remove_stale_temp(self, name: str) -> None:
        with contextlib.suppress(OSError):
            info = os.lstat(self.folder / name)
            if stat.S_ISREG(info.st_mode) and self.clock() - info.st_mtime > STALE_TEMP_AGE:
                os.unlink(self.folder / name)


class DraftKeeper:
    def __init__(self, drafts: NoteDrafts, arxiv_id: str, title: str, base: str) -> None:
        self.drafts = drafts
        self.arxiv_id = arxiv_id
        self.title = title
        self.base = base
        self._tickets = itertools.count()
        self._lock = threading.Lock()
        self._written = -1  # the latest ticket written

    def ticket(self) -> int:
        return next(self._tickets)

    def write(self, text: str | None, ticket: int) -> str:
        with self._lock:
            if ticket <= self._written:
                return ""  # a newer text (or the removal) is on disk already
            self._written = ticket
            try:
                if text is None or text == self.base:
                    self.drafts.forget(self.arxiv_id)
                else:
                    self.drafts.keep(self.arxiv_id, self.title, text, self.base)
            except DraftError as error:
                return str(error)
        return ""


def parse_draft(raw: bytes) -> NoteDraft | None:
    """A draft from its file's bytes; None for anything that is not exactly one."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("kind") != DRAFT_KIND:
        return None
    if data.get("format") != DRAFT_FORMAT:
        return None
    texts = ("arxiv_id", "title", "text", "base", "device", "writer")
    if not all(isinstance(data.get(name), str) for name in texts):
        return None
    saved_at, pid = data.get("saved_at"), data.get("pid")
    if type(saved_at) not in (int, float) or not math.isfinite(saved_at):
        return None
    if type(pid) is not int or not data["arxiv_id"] or not data["writer"].isalnum():
        return None
    return NoteDraft(*(data[name] for name in ("arxiv_id", "title", "text", "base")),
                     float(saved_at), data["device"], pid, data["writer"])  # fmt: skip


def process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive
    except OSError:
        return False
    return True
