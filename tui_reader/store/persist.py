"""Keeping a store's working copy and the files on disk in step (the store's back half).

``Persistence`` is the base of ``StateStore``: it reads the snapshot and the journal,
merges what other copies wrote, appends this copy's changes to the journal (a flush),
folds the journal into a new snapshot when it has grown (outside the lock: only the
rename and the journal's cut are done holding it), and runs the background thread. In a
folder shared by devices (``shared_folder``) the files are this device's own, the other
devices' files are merged as they change, and a fold is followed by moving the conflict
copies it now holds to the backups. With ``watch_folder`` the thread wakes on file
events (``folder_watch``) and otherwise looks at the files every ``SAFETY_POLL``.

Rules: nothing here ever writes a file that is not ours (``files.resolve``, and the
journal, lock and side file only through ``ours.open_companion``: never through a
symlink, only a regular file), a newer format or a read-only file (``_blocked``); a
damaged snapshot of ours is moved aside (kept) and every intact record in it is kept; a
fold keeps the journal's unusable lines in the side file before it cuts them; a flush
returns True only when the change is on disk.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path
from typing import Any

from . import files, snapshot
from .details import Backing, retarget
from .folder_watch import FolderWatch
from .journal import Journal
from .journal_lines import paper_line, setting_line
from .loading import Loading
from .lock import InterProcessLock
from .ours import companion_problem
from .peers import SYNC_TABLE
from .records import (
    NotOursError,
    SaveError,
)
from .shared_folder import SharedFolder
from .snapshot import hot

# Fold the journal into the snapshot when it is larger than this, or than a part of the
# snapshot (whichever is larger): replaying it at start stays cheap. A device in a shared
# folder folds sooner: every device reads every other device's journal at open too.
JOURNAL_FOLD_BYTES = 256 * 1024
JOURNAL_FOLD_PART = 8
SHARED_JOURNAL_FOLD_PART = 32
RETRIED = "changes are kept in memory and saving will be retried."
# With a watch on the folder (``watch_folder``), how often the files are still looked at.
SAFETY_POLL = 1.0
# At close, fold a journal of any size into a snapshot this small (one tidy file).
FOLD_AT_CLOSE_BELOW = 8 * 1024 * 1024


class Persistence(Loading, SharedFolder):
    """The file side of a store. Subclassed by ``StateStore``, never used alone."""

    def _init_files(self, path: Path, read_only: bool, sync: bool = False) -> None:
        self.read_only = read_only
        self.path = self._init_folder(Path(path), sync)
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
        self._journal = Journal(self._file.with_name(self._file.name + ".journal"), self._clock)
        self._file_lock = InterProcessLock(self._file.with_name(self._file.name + ".lock"))
        for companion in (self._journal.path, self._file_lock.path, self._journal.rejected_path):
            problem = companion_problem(companion)
            if problem is not None:  # never written through, never read
                self._block(f"beside {companion.name}, which is {problem}", unreadable=True)
        if self._device_problem is not None:
            self._block(f"shared by devices, and {self._device_problem}")
        self._flush_lock = threading.RLock()
        self._table = snapshot.PaperTable()
        self._other_tables: dict[str, Any] = {}
        self._snap_sig: tuple | None = None  # None: never read successfully
        self._snap_fresh = False  # the snapshot was read after the journal last was
        self._needs_fold = False  # the snapshot itself needs rewriting
        self._pristine = True  # the snapshot read as it is (no repair, salvage, upgrade)
        self._save_failing = False
        self.save_problem: str | None = None  # what the last failed save ran into
        self._failures = 0
        self._retry_at = 0.0
        self._temps_cleaned = False
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        if sync and self.device is not None and not read_only:
            self._needs_fold = True  # this device's own snapshot, made at the first save

    def _flush_locked(self) -> bool:
        try:
            self._write()
        except SaveError as exc:
            self._failures += 1
            self._retry_at = time.monotonic() + min(5.0, 0.25 * 2**self._failures)
            self.save_problem = exc.problem
            if not self._save_failing:
                self._save_failing = True
                if self._blocked is None:  # blocked: said already
                    self._notice_once(str(exc))
            return False
        self.save_problem = None
        if self._save_failing:
            self._save_failing = False
            self._said.clear()
            self._notice(f"Saving to {self.path} works again; all changes are saved.")
        self._failures = 0
        self._retry_at = 0.0
        return True

    def _save_error(self, exc: BaseException) -> SaveError:
        reason = getattr(exc, "strerror", None) or str(exc)
        problem = f"Cannot save reading state to {self.path} ({reason})"
        return SaveError(f"{problem}; {RETRIED}", problem)

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
                problem = f"Cannot save reading state to {self.path} (it could not be read yet)"
                raise SaveError(f"{problem}; {RETRIED}", problem)
            if self._snap_sig == files.MISSING:
                self._needs_fold = True  # the first write creates the snapshot itself
            with self._file_lock:
                if not self._temps_cleaned:
                    self._temps_cleaned = True
                    files.remove_stale_temps(self._file)
                written = self._append_pending()
        except NotOursError as exc:  # a journal or lock that is not ours to write
            self._block(exc.reason, unreadable=True)
            raise self._blocked_error() from None
        except (OSError, TimeoutError, ValueError) as exc:
            raise self._save_error(exc) from None
        self._mark_written(*written)
        part = JOURNAL_FOLD_PART if self.device is None else SHARED_JOURNAL_FOLD_PART
        if self._needs_fold or self._journal.offset > max(
            JOURNAL_FOLD_BYTES, (self._snap_sig[2] if len(self._snap_sig) > 2 else 0) // part
        ):
            self._fold()

    def _append_pending(self) -> tuple[list, list]:
        """Append every pending change to the journal (the caller holds the file lock)."""
        self._read_journal()
        with self._lock:
            papers = [(i, self._docs[i], i in self._dirty_details) for i in self._dirty]
            settings = [(n, self._settings[n]) for n in self._dirty_settings]
        lines = [
            paper_line(i, doc if details and type(doc.get("paper")) is dict else hot(doc))
            for i, doc, details in papers
        ]
        lines += [setting_line(name, doc) for name, doc in settings]
        if lines:
            self._journal.append(lines)
        return papers, settings

    def _mark_written(self, papers: list, settings: list) -> None:
        with self._lock:
            for arxiv_id, doc, _details in papers:
                if self._docs.get(arxiv_id) is doc:
                    self._dirty.discard(arxiv_id)
                    self._dirty_details.discard(arxiv_id)
            for name, doc in settings:
                if self._settings.get(name) is doc:
                    self._dirty_settings.discard(name)
            self._dirty_since = time.monotonic() if (self._dirty or self._dirty_settings) else None

    def keep_in_journal(self) -> bool:
        """Append the changes made to a read-only store (the citation keys ``export``
        assigned) to the journal of the existing state file, so that they never change.

        The state file itself is never created, moved or rewritten (no fold). Does
        nothing when the file does not exist (there is nothing to keep them in yet).
        Returns True when the changes are on disk or there were none; False, with one
        notice, when the file is damaged, of another format, read-only or not ours.
        """
        with self._flush_lock:
            with self._lock:
                count = len(self._dirty) + len(self._dirty_settings)
            if not count:
                return True
            if self._snap_sig == files.MISSING:
                return False
            reason = self._refusal()
            try:
                if reason is None:
                    with self._file_lock:
                        if files.signature(self._file) == files.MISSING:
                            reason = "gone"  # deleted meanwhile: never created here
                        else:
                            self._mark_written(*self._append_pending())
            except (OSError, TimeoutError, ValueError) as exc:
                reason = f"cannot be written ({getattr(exc, 'strerror', None) or exc})"
            if reason is not None:
                self._notice(
                    f"{count} new citation keys were not stored: the state file {self.path} is "
                    f"{reason}. They may change in a later export."
                )
        self._deliver()
        return reason is None

    def _refusal(self) -> str | None:
        """Why a read-only store must not append to the journal, or None."""
        if self._blocked is not None or self._unreadable or self._snap_sig is None:
            return self._blocked or "unreadable"
        if not self._pristine:
            return "damaged, repaired or of an older format (a command that saves fixes it)"
        return files.read_only_reason(self._file)

    def _dropped_details(self, ids: list[str]) -> None:
        """A fold left out damaged details lines: keep a copy of the file that had them."""
        kept = files.keep_copy(self._file, None, "corrupt")
        where = f"a copy is kept as {kept.name}" if kept else "no copy could be kept"
        self._damage_notice(
            f"In the state file {self.path}: the details of {len(ids)} papers were damaged "
            f"and are dropped; their reading state is kept ({where})."
        )

    def _blocked_error(self) -> SaveError:
        problem = f"The state file {self.path} is {self._blocked}"
        return SaveError(f"{problem}; changes are not saved.", problem)

    def _fold(self) -> None:
        """Write a new snapshot holding everything, then cut the journal it holds."""
        try:
            with self._file_lock:
                self._journal.end_torn_line()  # its writer is gone: we hold the lock
                self._read_journal()
                upto, expected = self._journal.offset, self._snap_sig
                generation = self._journal.generation
                if files.signature(self._file) != expected:
                    return  # another copy folded meanwhile: read its snapshot first
            with self._lock:
                docs = list(self._docs.items())
                settings = dict(self._settings)
            if self.device is not None:  # which other devices' snapshots this one holds
                self._other_tables = {**self._other_tables, SYNC_TABLE: self._sync_table()}
            table = self._table
            for arxiv_id, doc in docs:
                table.set(arxiv_id, doc)
            written = snapshot.write(
                self._file, snapshot.header(settings, self._other_tables), table
            )
            temp = written.temp
            try:
                # The new file's details, for the handles once it is in place (same inode).
                backing = Backing(os.open(temp, os.O_RDONLY), written.index)
                if written.dropped:
                    self._dropped_details(written.dropped)
                with self._file_lock:
                    self._read_journal()
                    if (
                        files.signature(self._file) != expected
                        or self._journal.generation != generation
                    ):
                        return  # another copy folded meanwhile
                    self._journal.keep_rejected(upto)  # before the cut drops them
                    self._snap_sig = files.install(temp, self._file)
                    retarget(written.handles, backing)
                    self._journal.cut(upto)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
        except NotOursError as exc:
            self._block(exc.reason, unreadable=True)
            raise self._blocked_error() from None
        except (OSError, TimeoutError, ValueError) as exc:
            raise self._save_error(exc) from None
        self._needs_fold = False
        self._retire_sources()  # what they held is in the snapshot just installed

    def _block(self, reason: str, *, unreadable: bool = False, damage: bool = False) -> None:
        self._unreadable = self._unreadable or unreadable
        if self._blocked is None:
            self._blocked = reason
            say = self._damage_notice if damage else self._notice
            say(
                f"The state file {self.path} is {reason}; it is left untouched and "
                "this session's changes will not be saved."
            )

    # ------------------------------------------------------------------ background

    def _start_thread(self) -> None:
        self._thread = threading.Thread(
            target=self._run, name=f"state-store:{self.path.name}", daemon=True
        )
        self._thread.start()

    def _run(self) -> None:
        self._initial_load()
        self._deliver()
        watch = FolderWatch(self._file.parent, self._wake) if self.watch_folder else None
        try:
            self._run_loop(watch)
        finally:
            if watch is not None:
                watch.stop()

    def _run_loop(self, watch: FolderWatch | None) -> None:
        next_check = time.monotonic() + self.check_interval
        while True:
            self._wake.clear()
            if self._stopping:
                return
            now = time.monotonic()
            watching = watch is not None and watch.working
            if watching and watch.changed.is_set():  # type: ignore[union-attr]
                next_check = min(next_check, now)
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
                    if watching:
                        watch.changed.clear()  # type: ignore[union-attr]
                    next_check = now + (SAFETY_POLL if watching else self.check_interval)
                    if (
                        self._journal.changed()
                        or files.signature(self._file) != self._snap_sig
                        or self._sources_changed()
                    ):
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
