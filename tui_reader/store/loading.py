"""Reading the state files into a store's working copy (the base of ``Persistence``).

``Loading`` reads the snapshot when its signature changed (moving a damaged one of ours
aside and keeping every intact record, reporting migrations and repairs with a copy
kept), reads what was appended to the journal since the last read (again from the
snapshot when the journal is of another generation), reports journal lines it cannot
use, and merges both into the working copy per field and per tag (``paused_gc`` while
it makes millions of objects). What of the state could not be read goes to ``damage``
(``news``). Nothing here writes the state file itself; the only files it creates are
the copies kept of a damaged, repaired or upgraded file, and never for a read-only
store.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
from collections.abc import Iterator

from . import files, snapshot
from .checks import valid_setting
from .clock import FutureStamps
from .fields import StoreFields
from .journal import Entries
from .merge import merge_docs, merge_setting
from .ours import NOT_OURS, looks_ours
from .records import (
    NewerSchemaError,
    NotOursError,
    SaveError,
    StateFileError,
    visible,
)


class Loading(StoreFields):
    """The reading half of the file side; see ``persist.Persistence``."""

    def _load_snapshot(self, *, force: bool = False) -> set[str]:
        """Read the snapshot if it changed (or ``force``) and merge it in; returns ids
        that changed.

        Raises OSError for a failure that may pass (the file is read again later).
        """
        if self._unreadable:
            return set()
        sig = files.signature(self._file)
        if self._snap_sig is not None and sig == self._snap_sig and not force:
            return set()
        self._snap_fresh = True
        self._pristine = True
        try:
            found = files.read_keeping_open(self._file)
            with paused_gc():  # the image keeps the descriptor: details are read when asked
                covering = None if found is None else self._covering_image(*found)
                image = (
                    snapshot.Image.empty()
                    if found is None
                    else covering
                    or snapshot.parse(found[0], found[1], fd=found[2], clock=self._clock)
                )
            del found
        except (NewerSchemaError, NotOursError) as exc:
            # A newer format: nothing of it was read (damage, as for a damaged file).
            self._block(exc.reason, unreadable=True, damage=isinstance(exc, NewerSchemaError))
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
        with paused_gc():
            return self._merge_in(image.papers.items(), image.settings.items(), distinct=True)

    def _damaged(self, error: StateFileError) -> snapshot.Image | None:
        """Keep the records still intact, move the damaged file aside (never overwrite)."""
        found = None
        with contextlib.suppress(OSError, StateFileError):
            found = files.read_bytes(self._file)
        if found is not None and not looks_ours(found[0]):
            self._block(NOT_OURS, unreadable=True)  # another program's file: never moved
            return None
        image = snapshot.Image.empty()
        if found is not None:
            with contextlib.suppress(StateFileError):
                image = snapshot.parse(found[0], found[1], lenient=True, clock=self._clock)
        kept = len(image.papers)
        what = f"{kept} intact paper records were kept" if kept else "reading state starts empty"
        self._pristine = False
        if self.read_only or self._blocked is not None:
            self._damage_notice(
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
            problem = (
                f"The state file {self.path} is {error.reason} and cannot be moved aside "
                f"({getattr(exc, 'strerror', None) or exc})"
            )
            message = f"{problem}; it is left untouched and changes are kept in memory only."
            self._damage_notice(message)
            raise SaveError(message, problem) from None
        self._damage_notice(
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
        if image.damaged or image.repaired or image.salvaged or image.migrated_from is not None:
            self._pristine = False
        if self.read_only or self._blocked is not None:
            if image.damaged or image.repaired:
                say = self._damage_notice if image.damaged else self._notice_once
                say(
                    f"The state file {self.path} has {image.damaged + image.repaired} "
                    "damaged or odd entries; they were skipped or repaired in memory and "
                    "the file is left untouched."
                )
            image.raw = None
            return
        if image.damaged or image.repaired or image.migrated_from is not None:
            # One copy of the file as it was, and one line that says all that was done.
            old = image.migrated_from
            kept = files.keep_copy(
                self._file, image.raw or b"", "corrupt" if old is None else f"v{old}"
            )
            what = "the old file" if old is not None else "the original"
            where = f"{what} is kept as {kept.name}" if kept else "no copy could be kept"
            parts = (
                [] if old is None else [f"upgraded from format {old} to {snapshot.SCHEMA_VERSION}"]
            )
            if image.damaged:
                parts.append(f"skipped {image.damaged} damaged entries")
            if image.repaired:
                future = image.future and (
                    f", {image.future} of them change times in the future, now ordered as "
                    "changes made now"
                )
                parts.append(f"repaired odd values in {image.repaired} entries{future or ''}")
            say = self._damage_notice if image.damaged else self._notice
            say(f"In the state file {self.path}: {'; '.join(parts)} ({where}).")
        if image.damaged or image.repaired or image.migrated_from is not None:
            self._needs_fold = True
            self._mark_dirty_since()
        image.raw = None

    def _read_journal(self) -> set[str]:
        entries = self._journal.read_new()
        if entries.rejected or entries.repaired:
            self._report_journal(entries)
        changed = set()
        if entries.restarted and not self._snap_fresh:
            # Another copy folded the journal we were reading into a new snapshot: the
            # lines we had not read yet are in that snapshot, which we have not read.
            changed = self._load_snapshot(force=True)
        self._snap_fresh = False
        return changed | self._merge_in(entries.papers, entries.settings)

    def _report_journal(self, entries: Entries) -> None:
        """Say how many journal lines could not be used (never merged; kept in the side
        file by the next fold) or were repaired (a copy of the journal kept)."""
        journal = self._journal.path
        if entries.rejected:
            count = len(entries.rejected)
            one = count == 1
            kept = (
                "left in it untouched"
                if self.read_only
                else f"kept (in {self._journal.rejected_path.name} once the journal is folded)"
            )
            self._damage_notice(
                f"{count} {'line' if one else 'lines'} of the journal {journal} cannot be used "
                f"({entries.rejected[0].problem}) and {'was' if one else 'were'} not merged; "
                f"{'it is' if one else 'they are'} {kept}."
            )
        if entries.repaired and not self.read_only:
            copy = files.keep_copy(journal, None, "corrupt")
            where = f"a copy is kept as {copy.name}" if copy else "no copy could be kept"
            self._notice(
                f"In the journal {journal}: repaired odd values in {entries.repaired} lines "
                f"(such as a change time in the future; {where})."
            )
            self._needs_fold = True  # the repaired records replace the lines
            self._mark_dirty_since()

    def _merge_in(self, papers, settings, *, distinct: bool = False) -> set[str]:
        """Merge records read from a file into the working copy; ids visibly changed.

        ``distinct``: every id comes once (a snapshot's table; a journal may repeat one).
        """
        changed: set[str] = set()
        papers = list(papers)
        with self._lock:
            if distinct and not self._docs:  # the first read: nothing to merge with
                self._docs.update(papers)
                if self._loaded.is_set():  # the initial load reports no change (_initial_load)
                    unknown = visible(None)
                    changed = {i for i, doc in papers if visible(doc) != unknown}
                papers = []
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
                changed |= self._read_sources()
        except NotOursError as exc:  # the journal became a symlink, a folder, a FIFO...
            self._block(exc.reason, unreadable=True)
            problem = f"The state file {self.path} is {exc.reason}"
            raise SaveError(f"{problem}; changes are not saved.", problem) from None
        except OSError as exc:
            problem = (
                f"Could not read the state file {self.path} "
                f"({getattr(exc, 'strerror', None) or exc})"
            )
            message = f"{problem}; trying again shortly."
            self._damage_notice(message)
            raise SaveError(message, problem) from None
        return changed

    # ------------------------------------------------------------------ writing files

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
                stamps = FutureStamps(self._clock)
                return {
                    name: valid
                    for name, doc in (settings if type(settings) is dict else {}).items()
                    if (valid := valid_setting(doc, stamps=stamps, deep=True)[0]) is not None
                }
        return {}


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic collector paused: parsing a large file makes millions of objects (no
    cycles) and would otherwise trigger full collections over and over; so would
    reading every paper's details while those objects are alive (a listing)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
