"""Keeping a store's working copy and the files on disk in step (the store's back half).

``Persistence`` is the base of ``StateStore``: it reads the snapshot and the journal,
merges what other copies wrote, appends this copy's changes to the journal (a flush),
folds the journal into a new snapshot when it has grown (outside the lock: only the
rename and the journal's cut are done holding it), and runs the background thread.

Rules: nothing here ever writes a file that is not ours (``files.resolve``), a newer
format or a read-only file (``_blocked``); a damaged snapshot is moved aside (kept) and
every intact record in it is kept; a flush returns True only when the change is on disk.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import files, snapshot
from .journal import Journal, paper_line, setting_line
from .lock import InterProcessLock
from .merge import merge_docs, merge_setting
from .records import (
    NewerSchemaError,
    NotOursError,
    SaveError,
    StateFileError,
    valid_setting,
    visible,
)

# Fold the journal into the snapshot when it is larger than this, or than an eighth of
# the snapshot (whichever is larger): replaying it at start stays cheap.
JOURNAL_FOLD_BYTES = 256 * 1024
# At close, fold a journal of any size into a snapshot this small (one tidy file).
FOLD_AT_CLOSE_BELOW = 8 * 1024 * 1024


class Persistence:
    """The file side of a store. Subclassed by ``StateStore``, never used alone."""

    def _init_files(self, path: Path, read_only: bool) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._blocked: str | None = None  # why this copy must never write the files
        self._unreadable = False  # not ours or a newer format: never even read again
        try:
            self._file = files.resolve(self.path)
        except NotOursError as exc:
            self._file = Path(os.path.realpath(self.path))
            self._block(exc.reason, unreadable=True)
        self._blocked_read_only = False  # blocked only until the file is writable again
        if not read_only and (reason := files.read_only_reason(self._file)) is not None:
            self._block(reason)
            self._blocked_read_only = True
        self._journal = Journal(self._file.with_name(self._file.name + ".journal"))
        self._file_lock = InterProcessLock(self._file.with_name(self._file.name + ".lock"))
        self._flush_lock = threading.RLock()
        self._table = snapshot.PaperTable()
        self._other_tables: dict[str, Any] = {}
        self._snap_sig: tuple | None = None  # None: never read successfully
        self._needs_fold = False  # the snapshot itself needs rewriting
        self._save_failing = False
        self._failures = 0
        self._retry_at = 0.0
        self._temps_cleaned = False
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ reading files

    def _load_snapshot(self) -> set[str]:
        """Read the snapshot if it changed and merge it in; returns ids that changed.

        Raises OSError for a failure that may pass (the file is read again later).
        """
        if self._unreadable:
            return set()
        sig = files.signature(self._file)
        if self._snap_sig is not None and sig == self._snap_sig:
            return set()
        try:
            found = files.read_bytes(self._file)
            with _no_gc():
                image = snapshot.Image.empty() if found is None else snapshot.parse(*found)
        except (NewerSchemaError, NotOursError) as exc:
            self._block(exc.reason, unreadable=True)
            return set()
        except StateFileError as exc:
            image = self._damaged(exc)
            if image is None:
                return set()
        self._report(image)
        first = self._snap_sig is None
        self._snap_sig = image.signature
        self._other_tables = image.other_tables
        if not first:
            with self._lock:
                known = list(self._docs)
            if any(arxiv_id not in image.papers for arxiv_id in known):
                self._needs_fold = True  # replaced by a file that lacks what we know
                self._mark_dirty_since()
        return self._merge_in(image.papers.items(), image.settings.items())

    def _damaged(self, error: StateFileError) -> snapshot.Image | None:
        """Keep the records still intact, move the damaged file aside (never overwrite)."""
        found = None
        with contextlib.suppress(OSError, StateFileError):
            found = files.read_bytes(self._file)
        image = snapshot.Image.empty()
        if found is not None:
            with contextlib.suppress(StateFileError):
                image = snapshot.parse(found[0], found[1], lenient=True)
        kept = len(image.papers)
        what = f"{kept} intact paper records were kept" if kept else "reading state starts empty"
        if self.read_only or self._blocked is not None:
            self._notice_once(
                f"The state file {self.path} is {error.reason}; it is left untouched ({what})."
            )
            image.raw = None
            image.signature = found[1] if found else files.MISSING
            return image
        try:
            with self._file_lock:
                backup = files.backup_path(self._file, "corrupt")
                os.rename(self._file, backup)
                files.fsync_dir(self._file.parent)
        except FileNotFoundError:
            return snapshot.Image.empty()
        except (OSError, TimeoutError) as exc:
            message = (
                f"The state file {self.path} is {error.reason} and cannot be moved aside "
                f"({getattr(exc, 'strerror', None) or exc}); it is left untouched and "
                "changes are kept in memory only until it can be."
            )
            self._notice_once(message)
            raise SaveError(message) from None
        self._notice(
            f"The state file {self.path} is {error.reason}; it was moved to {backup.name} "
            f"and {what}."
        )
        self._needs_fold = True  # a fresh, valid file at the next flush
        image.raw = None
        image.salvaged = False
        image.damaged = image.repaired = 0
        image.signature = files.MISSING
        return image

    def _report(self, image: snapshot.Image) -> None:
        """Say what was migrated or repaired in a freshly read snapshot, keeping a copy."""
        if self.read_only or self._blocked is not None:
            if image.damaged or image.repaired:
                self._notice_once(
                    f"The state file {self.path} has {image.damaged + image.repaired} "
                    "damaged or odd entries; they were skipped or repaired in memory and "
                    "the file is left untouched."
                )
            image.raw = None
            return
        if image.migrated_from is not None:
            kept = files.keep_copy(self._file, image.raw or b"", f"v{image.migrated_from}")
            where = f"the old file is kept as {kept.name}" if kept else "no copy could be kept"
            self._notice(
                f"Upgraded the state file {self.path} from format {image.migrated_from} to "
                f"{snapshot.SCHEMA_VERSION} ({where})."
            )
        if image.damaged or image.repaired:
            kept = files.keep_copy(self._file, image.raw or b"", "corrupt")
            where = f"the original is kept as {kept.name}" if kept else "no copy could be kept"
            parts = []
            if image.damaged:
                parts.append(f"skipped {image.damaged} damaged entries")
            if image.repaired:
                parts.append(f"repaired odd values in {image.repaired} entries")
            self._notice(f"In the state file {self.path}: {', '.join(parts)} ({where}).")
        if image.damaged or image.repaired or image.migrated_from is not None:
            self._needs_fold = True
            self._mark_dirty_since()
        image.raw = None

    def _read_journal(self) -> set[str]:
        entries = self._journal.read_new()
        return self._merge_in(entries.papers, entries.settings)

    def _merge_in(self, papers, settings) -> set[str]:
        """Merge records read from a file into the working copy; ids visibly changed."""
        changed: set[str] = set()
        papers = list(papers)
        for start in range(0, len(papers), 2000):  # let the UI thread in between batches
            with self._lock:
                docs = self._docs
                for arxiv_id, doc in papers[start : start + 2000]:
                    current = docs.get(arxiv_id)
                    new = merge_docs(current, doc)
                    if new is not current:
                        docs[arxiv_id] = new
                        if visible(new) != visible(current):
                            changed.add(arxiv_id)
        with self._lock:
            for name, doc in settings:
                current = self._settings.get(name)
                self._settings[name] = merge_setting(current, doc)
            self._pending_changes |= changed
        return changed

    def _refresh(self) -> set[str]:
        """Merge in whatever other copies wrote (no lock needed: files are replaced whole)."""
        try:
            changed = self._load_snapshot()
            if not self._unreadable:
                changed |= self._read_journal()
        except (OSError, NotOursError) as exc:
            message = (
                f"Could not read the state file {self.path} "
                f"({getattr(exc, 'strerror', None) or exc}); trying again shortly."
            )
            self._notice_once(message)
            raise SaveError(message) from None
        return changed

    # ------------------------------------------------------------------ writing files

    def _flush_locked(self) -> bool:
        try:
            self._write()
        except SaveError as exc:
            self._failures += 1
            self._retry_at = time.monotonic() + min(5.0, 0.25 * 2**self._failures)
            if not self._save_failing:
                self._save_failing = True
                if self._blocked is None:  # blocked: said already
                    self._notice_once(str(exc))
            return False
        if self._save_failing:
            self._save_failing = False
            self._said.clear()
            self._notice(f"Saving to {self.path} works again; all changes are saved.")
        self._failures = 0
        self._retry_at = 0.0
        return True

    def _save_error(self, exc: BaseException) -> SaveError:
        reason = getattr(exc, "strerror", None) or str(exc)
        return SaveError(
            f"Cannot save reading state to {self.path} ({reason}); changes are kept in "
            "memory and saving will be retried."
        )

    def _write(self) -> None:
        """Append this copy's changes to the journal; fold it in when it has grown."""
        with self._lock:
            pending = bool(self._dirty or self._dirty_settings)
        if not (pending or self._needs_fold):
            return
        if self.read_only:
            raise SaveError(f"The state file {self.path} was opened read-only; nothing is saved.")
        if self._blocked_read_only and files.read_only_reason(self._file) is None:
            self._blocked = None  # the user made the file writable again
            self._blocked_read_only = False
        if self._blocked is None:
            reason = files.read_only_reason(self._file)
            if reason is not None:
                self._block(reason)
                self._blocked_read_only = True
        if self._blocked is not None:
            raise self._blocked_error()
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            self._refresh()
            if self._blocked is not None:
                raise self._blocked_error()
            if self._snap_sig is None:
                raise SaveError(
                    f"Cannot save reading state to {self.path} (it could not be read yet); "
                    "changes are kept in memory and saving will be retried."
                )
            if self._snap_sig == files.MISSING:
                self._needs_fold = True  # the first write creates the snapshot itself
            with self._file_lock:
                if not self._temps_cleaned:
                    self._temps_cleaned = True
                    files.remove_stale_temps(self._file)
                self._read_journal()
                with self._lock:
                    papers = [(i, self._docs[i], i in self._dirty_details) for i in self._dirty]
                    settings = [(n, self._settings[n]) for n in self._dirty_settings]
                lines = [
                    paper_line(i, doc if details else _without_details(doc))
                    for i, doc, details in papers
                ]
                lines += [setting_line(name, doc) for name, doc in settings]
                if lines:
                    self._journal.append(lines)
        except (OSError, TimeoutError, ValueError) as exc:
            raise self._save_error(exc) from None
        with self._lock:
            for arxiv_id, doc, _details in papers:
                if self._docs.get(arxiv_id) is doc:
                    self._dirty.discard(arxiv_id)
                    self._dirty_details.discard(arxiv_id)
            for name, doc in settings:
                if self._settings.get(name) is doc:
                    self._dirty_settings.discard(name)
            self._dirty_since = time.monotonic() if (self._dirty or self._dirty_settings) else None
        if self._needs_fold or self._journal.offset > max(
            JOURNAL_FOLD_BYTES, (self._snap_sig[2] if len(self._snap_sig) > 2 else 0) // 8
        ):
            self._fold()

    def _blocked_error(self) -> SaveError:
        return SaveError(f"The state file {self.path} is {self._blocked}; changes are not saved.")

    def _fold(self) -> None:
        """Write a new snapshot holding everything, then cut the journal it holds."""
        try:
            with self._file_lock:
                self._read_journal()
                upto, expected = self._journal.offset, self._snap_sig
                if files.signature(self._file) != expected:
                    return  # another copy folded meanwhile: read its snapshot first
            with self._lock:
                docs = list(self._docs.items())
                settings = dict(self._settings)
            table = self._table
            for arxiv_id, doc in docs:
                table.set(arxiv_id, doc)
            temp = snapshot.write(self._file, snapshot.header(settings, self._other_tables), table)
            try:
                with self._file_lock:
                    if files.signature(self._file) != expected:
                        return
                    self._snap_sig = files.install(temp, self._file)
                    self._read_journal()
                    self._journal.cut(upto)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
        except (OSError, TimeoutError, ValueError) as exc:
            raise self._save_error(exc) from None
        self._needs_fold = False

    def _block(self, reason: str, *, unreadable: bool = False) -> None:
        self._unreadable = self._unreadable or unreadable
        if self._blocked is None:
            self._blocked = reason
            self._notice(
                f"The state file {self.path} is {reason}; it is left untouched and "
                "this session's changes will not be saved."
            )

    # ------------------------------------------------------------------ background

    def _start_thread(self) -> None:
        self._thread = threading.Thread(
            target=self._run, name=f"state-store:{self.path.name}", daemon=True
        )
        self._thread.start()

    def _header_settings(self) -> dict[str, dict]:
        """The settings in the snapshot's first line (our layout), read without the rest."""
        if self._unreadable:
            return {}
        with contextlib.suppress(OSError, ValueError, StateFileError):
            fd = os.open(self._file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            try:
                files.check_mode(os.fstat(fd).st_mode)
                head = os.read(fd, 1 << 20).split(b"\n", 1)[0]
            finally:
                os.close(fd)
            if head.endswith(b'"papers": {'):
                tables = json.loads(head + b"}}")
                settings = tables.get(snapshot.SETTINGS, {}) if type(tables) is dict else {}
                return {
                    name: valid
                    for name, doc in (settings if type(settings) is dict else {}).items()
                    if (valid := valid_setting(doc, deep=True)) is not None
                }
        return {}

    def _run(self) -> None:
        self._initial_load()
        self._deliver()
        next_check = time.monotonic() + self.check_interval
        while True:
            self._wake.clear()
            if self._stopping:
                return
            now = time.monotonic()
            with self._lock:
                since = self._dirty_since
            flush_at = None if since is None else max(since + self.flush_interval, self._retry_at)
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
                    if self._journal.changed() or files.signature(self._file) != self._snap_sig:
                        with self._flush_lock:
                            if not self._stopping:
                                self._refresh()
            except SaveError as exc:
                self._notice_once(str(exc))
            except Exception as exc:  # a bug must not silently end saving
                self._failures += 1
                self._retry_at = time.monotonic() + min(5.0, 0.25 * 2**self._failures)
                self._notice(f"Saving reading state failed unexpectedly: {exc!r}")
            self._deliver()

    # Provided by StateStore.
    _lock: threading.RLock
    _docs: dict[str, dict]
    _settings: dict[str, dict]
    _dirty: set[str]
    _dirty_details: set[str]
    _dirty_settings: set[str]
    _dirty_since: float | None
    _pending_changes: set[str]
    _said: set[str]
    flush_interval: float
    check_interval: float
    _notice: Callable[[str], None]
    _notice_once: Callable[[str], None]
    _deliver: Callable[[], None]
    _mark_dirty_since: Callable[[], None]
    _initial_load: Callable[[], None]


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic collector paused: parsing a large file makes millions of objects (no
    cycles) and would otherwise trigger full collections over and over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _without_details(doc: dict) -> dict:
    if "paper" not in doc:
        return doc
    return {name: value for name, value in doc.items() if name != "paper"}
