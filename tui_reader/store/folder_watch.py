"""Waking a running store when a file of its folder changes, instead of polling fast.

``FolderWatch(folder, wake)`` runs a daemon thread with ``watchfiles`` on the state
folder (not its subfolders): every batch of events sets ``changed`` and ``wake`` (the
store's background thread's event), so that what another copy or another device's sync
wrote is read at once. ``working`` says whether the watch runs; when it cannot start
(``watchfiles`` missing, no inotify instance left) or breaks, ``working`` turns False
and the store goes back to its fast poll. ``stop()`` ends it within ``STEP_MS``. The
store keeps a slow safety poll meanwhile (``persist.SAFETY_POLL``): an engine writing
through another mount, or a file system that sends no events, is still followed.
"""

from __future__ import annotations

import threading
from pathlib import Path

STEP_MS = 200  # the watcher's idle wake-up: 5 a second, each a check of a flag in Rust
DEBOUNCE_MS = 100  # at most this long grouping one burst of events


class FolderWatch:
    def __init__(self, folder: Path, wake: threading.Event) -> None:
        self.folder = folder
        self.changed = threading.Event()
        self._wake = wake
        self._stop = threading.Event()
        self._failed = False
        self._thread = threading.Thread(target=self._run, name="state-watch", daemon=True)
        self._thread.start()

    @property
    def working(self) -> bool:
        return not self._failed and self._thread.is_alive()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        try:
            import watchfiles

            for _changes in watchfiles.watch(
                self.folder,
                recursive=False,
                step=STEP_MS,
                debounce=DEBOUNCE_MS,
                rust_timeout=0,
                stop_event=self._stop,
                raise_interrupt=False,
                ignore_permission_denied=True,
                watch_filter=None,
            ):
                self.changed.set()
                self._wake.set()
        except Exception:  # no watchfiles, no inotify left, the folder gone
            self._failed = True
            self._wake.set()
