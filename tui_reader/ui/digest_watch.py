"""Digests that arrive, change or go while the app is open: watched, read and merged
behind the screen.

``DigestWatch(screen, roots, *, layout=None, watching=True, settle=SETTLE, quiet=QUIET)``
is made by the app for its ``TriageScreen``:

* ``loading_started()`` (in the loader's thread, before it reads a file) fingerprints
  every digest file below ``roots``; ``loaded_batch(papers)`` keeps the loader's
  papers per file (``library_update.readings_by_file``).
* ``loading_finished(papers, digests)`` (UI thread): from then on changes count. Starts
  the watcher threads when ``watching`` (``watchfiles``, imported there, never on the
  start-up path; folders with their subfolders, the folders of files opened by name
  without), and looks once for files that changed while loading.
* ``files_changed(paths)`` (UI thread; what the watcher saw, or a test's list): after
  ``settle`` seconds without another event (at most ``SETTLE_LIMIT``), one worker
  thread works out what changed (``watched_files``), reads it (waiting for a file still
  being written) and merges it (``library_update``). Events during that wait for it.
  A watch that breaks (a file name that is not UTF-8 ends rust-notify's) starts again
  after ``RESTART_AFTER`` seconds and looks at everything; each problem is said once.
* ``reload()`` (``ctrl+r``, the palette): every file below the roots looked at now; the
  watchers start again (a folder that was gone and came back is watched again).
* ``idle``: nothing waiting or being read; ``watching_now``: a watcher thread runs.
  ``stop()`` on unmount: the watcher threads end within ``STEP_MS``.

Threads tell the screen through messages (``Changed``, ``Read`` with a
``WatchResult``, ``Failed``; ``post_message`` is thread-safe and never waits); the
screen shows them (``watching.DigestWatchActions``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from ..clock import Cancel
from ..digest import DigestWarning
from ..formats.common import DigestError
from ..library_update import FileReading, LibraryUpdate, OpenDigests, readings_by_file
from ..model import DigestRef, Paper
from ..search_box import Found, SearchBox
from ..watched_files import QUIET, Fingerprint, WatchedPaths, fingerprint, read_when_quiet

SETTLE = 0.5  # seconds without a file event before the changes are read
SETTLE_LIMIT = 5.0  # seconds: a steady trickle of events is read at least this often
STEP_MS = 400  # the watcher's wake-up (and quiet window): 2.5 wake-ups a second when idle
DEBOUNCE_MS = 3000  # at most this long grouping one burst of events
RESTART_AFTER = 5.0  # seconds before a watch that broke starts again


class DigestWatch:
    """Watches the opened paths and reads what changes (see the module docstring)."""

    def __init__(self, screen: Screen[Any], roots: Sequence[Path], *, layout: str | None = None,
                 watching: bool = True, settle: float = SETTLE, quiet: float = QUIET,
                 ) -> None:  # fmt: skip
        self.screen = screen
        self.paths = WatchedPaths(roots)
        self.layout = layout
        self.watching = watching
        self.settle = settle
        self.quiet = quiet
        self.library: OpenDigests | None = None  # made by the first read after loading
        self._opened: tuple[list[Paper], list[DigestRef]] | None = None  # loaded: papers, digests
        self._known: dict[Path, Fingerprint] = {}  # every digest file seen, as it was read
        self._loaded: list[Paper] = []
        self._pending: set[Path] = set()
        self._full = False  # the next read looks at every root (ctrl+r)
        self._busy = False
        self._first_event = self._last_event = 0.0
        self._timer: Cancel | None = None  # the settle timer on the screen's clock
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.said_gone: set[Path] = set()  # roots already said to be gone
        self.said_failures: set[str] = set()  # problems already said

    # -- loading ---------------------------------------------------------------------

    def loading_started(self) -> None:
        self._known = self.paths.digest_files()

    def loaded_batch(self, papers: list[Paper]) -> None:
        self._loaded.extend(papers)

    def loading_finished(self, papers: Sequence[Paper], digests: Sequence[DigestRef]) -> None:
        self._opened = (list(papers), list(digests))  # the worker builds the library from it
        if self.watching:
            self._start_watchers()
        self._pending.update(self.paths.roots)  # files written while loading
        self._full = True
        self._read_soon()

    # -- watching --------------------------------------------------------------------

    def _start_watchers(self) -> None:
        self._stop.set()
        self._stop = threading.Event()
        self._threads = []
        for targets, recursive in ((self.paths.folders, True), (self.paths.file_folders, False)):
            existing = [target for target in targets if target.is_dir()]
            if existing:
                thread = threading.Thread(target=self._watch, name="digest-watch", daemon=True,
                                          args=(existing, recursive, self._stop))  # fmt: skip
                thread.start()
                self._threads.append(thread)

    @property
    def watching_now(self) -> bool:
        """Whether a watcher thread is running."""
        return any(thread.is_alive() for thread in self._threads)

    def _watch(self, targets: list[Path], recursive: bool, stop: threading.Event) -> None:
        """In its own thread: post each group of changed paths to the screen. The watch
        breaks on some events (a file name that is not UTF-8 ends it for good): it starts
        again ``RESTART_AFTER`` seconds later, and everything is looked at, since events
        may have been missed meanwhile."""
        try:
            import watchfiles
        except ImportError as error:
            self.screen.post_message(self.Failed(str(error)))
            return
        while not stop.is_set():
            existing = [target for target in targets if target.is_dir()]
            if not existing:
                return  # every folder gone: ctrl+r watches them again once they are back
            try:
                for changes in watchfiles.watch(
                    *existing,
                    watch_filter=lambda _change, path: self.paths.relevant(Path(path)),
                    recursive=recursive,
                    step=STEP_MS,
                    debounce=DEBOUNCE_MS,
                    rust_timeout=0,
                    stop_event=stop,
                    raise_interrupt=False,
                    ignore_permission_denied=True,
                ):
                    paths = frozenset(Path(path) for _, path in changes)
                    self.screen.post_message(self.Changed(paths))
                return  # stopped
            except Exception as error:  # too many folders for inotify, an odd file name
                if stop.is_set():
                    return
                self.screen.post_message(self.Failed(f"{type(error).__name__}: {error}",
                                                     restarting=True))  # fmt: skip
            if stop.wait(RESTART_AFTER):
                return
            self.screen.post_message(self.Changed(frozenset(existing)))

    @property
    def idle(self) -> bool:
        """Nothing waiting to be read, nothing being read."""
        return not (self._busy or self._pending or self._timer is not None)

    def stop(self) -> None:
        self._stop.set()
        if self._timer is not None:
            self._timer()

    def files_changed(self, paths: Iterable[Path]) -> None:
        """Paths where something happened (UI thread): read them once things are quiet."""
        now = self.screen.clock.now()
        if not self._pending:
            self._first_event = now
        self._last_event = now
        self._pending.update(paths)
        self._read_soon()

    def reload(self) -> None:
        self._pending.update(self.paths.roots)
        self._full = True
        if self.watching:
            self._start_watchers()
        self.said_gone.clear()
        self._start_reading(manual=True)

    def _read_soon(self) -> None:
        if self.settle <= 0:
            self._start_reading()
        elif self._timer is None:
            self._timer = self.screen.clock.call_later(self.settle, self._settled)

    def _settled(self) -> None:
        self._timer = None
        now = self.screen.clock.now()
        quiet_for = now - self._last_event
        if quiet_for < self.settle and now - self._first_event < SETTLE_LIMIT:
            self._timer = self.screen.clock.call_later(self.settle - quiet_for, self._settled)
        else:
            self._start_reading()

    # -- reading (a worker thread) ------------------------------------------------------

    def _start_reading(self, manual: bool = False) -> None:
        if self._busy or self._opened is None or not (self._pending or manual):
            return
        self._busy = True
        touched, self._pending = frozenset(self._pending), set()
        full, self._full = self._full, False
        query = self.screen.active_search()
        self.screen.run_worker(partial(self._read, touched, full, manual, query), thread=True,
                               group="digest-watch", exit_on_error=False)  # fmt: skip

    def _read(self, touched: frozenset[Path], full: bool, manual: bool, query: str) -> None:
        worker = get_current_worker()
        try:
            if self.library is None:  # the first look: off the UI thread (0.1 s at 100,000)
                assert self._opened is not None
                self.library = OpenDigests(readings_by_file(self._loaded), *self._opened)
                self._loaded, self._opened = [], ([], [])
            library = self.library
            plan = self.paths.plan(touched, self._known, full=full)
            readings: list[FileReading] = []
            warnings: list[DigestWarning] = []
            for path in plan.read:
                if worker.is_cancelled:
                    return
                try:
                    reading, print_ = read_when_quiet(path, self.layout, quiet=self.quiet)
                except DigestError as error:
                    warnings.append(self._unreadable(path, error))
                    continue
                self._known[path] = print_
                readings.append(reading)
                warnings.extend(reading.warnings)
            for path in plan.removed:
                self._known.pop(path, None)
            removed = [path for path in plan.removed if path in library.files]
            update = library.update(readings, removed)
            found = None
            if query and not update.empty:  # the search, run again over the new papers
                box = SearchBox()
                found = (query, box, box.run(library.records, query, self.screen.triage.store))
            result = WatchResult(update, warnings, plan.roots_gone, manual, found)
        except Exception as error:  # a bug must not end watching silently
            self.screen.post_message(self.Failed(f"{type(error).__name__}: {error}", done=True))
            return
        self.screen.post_message(self.Read(result))

    def _unreadable(self, path: Path, error: DigestError) -> DigestWarning:
        print_ = fingerprint(path)
        if print_ is not None:
            self._known[path] = print_  # touched again unchanged: not read again
        assert self.library is not None
        if path in self.library.files:
            return DigestWarning(path, None, f"could not be read again ({error.reason}); "
                                             "its papers stay as they were")  # fmt: skip
        return error.as_warning()

    def read_done(self) -> None:
        """The screen has shown a result: read what came meanwhile."""
        self._busy = False
        if self._pending:
            self._read_soon()

    # -- messages to the screen ------------------------------------------------------

    @dataclass
    class Changed(Message):
        """The watcher saw something happen at ``paths``."""

        paths: frozenset[Path]

    @dataclass
    class Read(Message):
        """A worker read and merged what changed."""

        result: WatchResult

    @dataclass
    class Failed(Message):
        """Watching (or a read, ``done``) stopped on an error; ``text`` is one line.
        ``restarting``: the watch starts again on its own."""

        text: str
        done: bool = False
        restarting: bool = False


@dataclass
class WatchResult:
    update: LibraryUpdate
    warnings: list[DigestWarning]
    roots_gone: list[Path]
    manual: bool
    search: tuple[str, SearchBox, Found] | None = None  # query, its index, its result
