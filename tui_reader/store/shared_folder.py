"""The store's side of a shared state folder: other devices' files, conflict copies and
today's single file, read and merged (issue 21). A base of ``Persistence``.

``_init_folder(path, sync)`` decides which files are this copy's own: in sync mode (the
folder already holds device files, or ``sync`` asks for it) its device's
(``devices.device_file``), else ``path`` itself as before. ``_read_sources()`` finds
(again at most every ``SCAN_INTERVAL``) and reads every ``peers.Source`` of the folder
and merges what is new into the working copy, reporting the ids whose state changed like
any change from another copy; ``_sources_changed()`` is the background thread's cheap
check (stat calls; a listing of the folder when a scan is due). A conflict copy, and
today's single file once sync mode is on, must end up in this device's own snapshot: as
soon as one is read a fold is due, and ``_retire_sources()``, called by a fold once the
new snapshot is in place, moves each one that has not changed since it was read into
``<stem>.backups/`` beside it (today's single file under its own lock, so a copy of an
older program cannot append meanwhile). A read-only store reads all of them and moves
none.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from . import devices, peers, snapshot
from .fields import StoreFields
from .lock import InterProcessLock
from .merge import merge_setting
from .peers import CONFLICT, DEVICE, SINGLE, SYNC_TABLE, Source
from .records import NotOursError

SCAN_INTERVAL = 1.0  # how often the folder is listed for new devices and conflict copies


class SharedFolder(StoreFields):
    """Reading the files of the folder that are not this copy's own."""

    def _init_folder(self, path: Path, sync: bool) -> Path:
        """The path of this copy's own state file (see the module docstring)."""
        self.state_path = path  # as the caller named it: the folder's place
        self.device: str | None = None
        self._sources: dict[Path, Source] = {}
        self._next_scan = 0.0
        self._device_problem: str | None = None
        if not (sync or devices.in_sync_mode(path)):
            return path
        try:
            self.device = devices.device_id()
        except (ValueError, OSError) as exc:
            self._device_problem = str(getattr(exc, "strerror", None) or exc)
            return path
        return devices.device_file(path, self.device)

    def _scan_sources(self) -> None:
        self._next_scan = time.monotonic() + SCAN_INTERVAL
        path = self.state_path
        try:
            names = os.listdir(path.parent)
        except OSError:
            return
        wanted: dict[Path, tuple[Path | None, Path | None, str]] = {}
        device_of: dict[Path, str] = {}
        if self.device is not None:
            for device, snap in devices.device_files(path, names).items():
                if device != self.device:
                    wanted[snap] = (snap, snap.with_name(snap.name + devices.JOURNAL), DEVICE)
                    device_of[snap] = device
            if path.name in names or path.name + devices.JOURNAL in names:
                wanted[path] = (path, path.with_name(path.name + devices.JOURNAL), SINGLE)
        for copy, original in devices.conflict_copies(path, names):
            journal = original.endswith(devices.JOURNAL)
            wanted[copy] = (None, copy, CONFLICT) if journal else (copy, None, CONFLICT)
        for key, (snap, journal, kind) in wanted.items():
            if key not in self._sources:
                source = Source(snap, journal, self._clock, kind)
                source.device = device_of.get(key)
                self._sources[key] = source

    def _sources_changed(self) -> bool:
        if time.monotonic() >= self._next_scan:
            return True
        return any(source.changed() for source in list(self._sources.values()))

    def _read_sources(self, *, scan: bool = False) -> set[str]:
        """Merge what is new in the folder's other files; the ids whose state changed."""
        if scan or time.monotonic() >= self._next_scan:
            self._scan_sources()
        changed: set[str] = set()
        holds, journals = self._holds("holds"), self._holds("journals")
        for key, source in list(self._sources.items()):
            if not source.changed():
                continue
            source.known = holds.get(source.device) if source.device else None
            source.known_journal = journals.get(source.device) if source.device else None
            try:
                found = source.read()
            except NotOursError as exc:
                self._notice_once(f"{key} is {exc.reason}; it is not read.")
                continue
            except OSError as exc:  # e.g. being replaced right now: read again later
                self._notice_once(f"Could not read {key} ({exc.strerror or exc}); trying again.")
                continue
            if found.problem:
                self._notice_once(
                    f"{key} is {found.problem}; its intact records are merged and it is "
                    "read again when it changes."
                )
            if found.rejected:
                self._notice_once(
                    f"{found.rejected} lines of {source.journal and source.journal.path} "
                    "cannot be used and were not merged (they are left in it)."
                )
            if found.papers or found.settings:
                changed |= self._merge_in(found.papers, found.settings)
            if source.kind == CONFLICT and self.device is None:
                self._notice_once(
                    f"Conflict copies of {self.state_path.name} made by a sync engine were "
                    "merged: the folder is shared by several machines. Run `digest-reader "
                    "sync` on each of them, so that each writes only files of its own."
                )
            if source.kind != DEVICE and not self.read_only:
                self._needs_fold = True  # into our own snapshot, then moved aside
                self._mark_dirty_since()
        return changed

    def _covering_image(self, raw: bytes, signature: tuple, fd: int) -> snapshot.Image | None:
        """At the first read of this device's snapshot (``raw``, open on ``fd``): when
        another device's snapshot holds it whole (its ``holds`` name this one's id), that
        one is parsed instead, as this one's image (it has the same records and more, and
        it is not parsed a second time): one parse at open instead of two. Takes over
        ``fd`` (closed) when it returns an image; None otherwise."""
        if self.device is None or self._snap_sig is not None:
            return None
        own = peers.head_tables(raw)
        own_id = peers.sync_id(raw)
        if (
            own is None
            or own_id is None
            or own.get(snapshot.META) != snapshot.header({}, {})[snapshot.META]
        ):
            return None
        self._scan_sources()
        for source in self._sources.values():
            if source.kind != DEVICE or source.snapshot_path is None:
                continue
            table = peers.sync_table(peers.read_head(source.snapshot_path))
            holds = table.get("holds") if table else None
            if type(holds) is not dict or holds.get(self.device) != own_id:
                continue
            image = source.read_whole(self._clock)
            if image is None:
                continue
            os.close(fd)
            settings = peers.head_settings(own, self._clock)
            for name, doc in settings.items():
                image.settings[name] = merge_setting(image.settings.get(name), doc)
            image.signature = signature
            image.other_tables = {
                n: t for n, t in own.items() if n not in (snapshot.META, snapshot.SETTINGS)
            }
            return image
        return None

    def _holds(self, what: str) -> dict:
        """The other devices' snapshots (``holds``: by id) or journals (``journals``:
        [generation, offset]) that this device's own snapshot holds whole, as its last
        fold wrote them; none when it was not read as written."""
        table = self._other_tables.get(SYNC_TABLE)
        holds = table.get(what) if type(table) is dict and self._pristine else None
        return holds if type(holds) is dict else {}

    def _sync_table(self) -> dict:
        """For a fold of this device's snapshot: its new id, the other devices'
        snapshots it holds whole (those merged whole, or already held) and how far it
        holds their journals (what was read of them)."""
        holds = {
            source.device: source.held
            for source in self._sources.values()
            if source.kind == DEVICE and source.device and source.held
        }
        journals = {
            source.device: held
            for source in self._sources.values()
            if source.kind == DEVICE and source.device and (held := source.held_journal())
        }
        return {
            "id": secrets.token_hex(8),
            "device": self.device,
            "holds": holds,
            "journals": journals,
        }

    def _retire_sources(self) -> None:
        """After a fold: move each merged conflict copy or single file to the backups."""
        if self.read_only:
            return
        backups = self.state_path.with_name(devices.stem(self.state_path) + ".backups")
        who = self.device or "here"
        for key, source in list(self._sources.items()):
            if source.kind == DEVICE:
                continue
            try:
                if source.kind == SINGLE:
                    lock = InterProcessLock(key.with_name(key.name + ".lock"))
                    with lock:
                        if source.changed():
                            continue  # an older copy wrote meanwhile: merged next time
                        source.retire(backups, who)
                        rejected = key.with_name(key.name + devices.JOURNAL + ".rejected")
                        if os.path.lexists(rejected):
                            os.rename(rejected, backups / f"{rejected.name}.{who}")
                elif source.changed():
                    continue
                else:
                    source.retire(backups, who)
            except (OSError, TimeoutError, NotOursError) as exc:
                reason = getattr(exc, "strerror", None) or exc
                self._notice_once(
                    f"Could not move {key} into {backups} ({reason}); it was merged and is "
                    "left in place."
                )
                continue
            del self._sources[key]
