"""The working copy: ``StateStore``, the store's public API (the front half).

Every change is applied to an in-memory working copy at once (under a lock held for
O(changed records)) and appended to the journal by the background thread shortly after
(``persist.Persistence``). Reads never touch the disk. See the package docstring for the
whole contract.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from tui_reader.model import Paper

from . import files, snapshot
from .changes import Changes
from .clock import Clock
from .details import DamagedDetails, load_many, resolve
from .news import News
from .paper_details import paper_or_none
from .persist import FOLD_AT_CLOSE_BELOW, Persistence
from .records import (
    DEFAULT_STATE,
    PaperState,
    SaveError,
    normalize_id,
    state_of,
)
from .rows import state_part
from .snapshot import PaperTable

_open_stores: set[StateStore] = set()
_open_stores_lock = threading.Lock()


def close_open_stores() -> None:
    """Close (and so flush) every store still open; for exit paths."""
    with _open_stores_lock:
        stores = list(_open_stores)
    for store in stores:
        try:
            store.close()
        except Exception:
            continue


atexit.register(close_open_stores)


class StateStore(Changes, News, Persistence):
    """Read / starred / note / tags per paper, citation keys and settings.

    Create with :meth:`open`. See the package docstring for the whole contract.
    """

    def __init__(
        self,
        path: Path,
        *,
        flush_interval: float,
        check_interval: float,
        on_external_change: Callable[[set[str]], None] | None,
        on_notice: Callable[[str], None] | None,
        read_only: bool = False,
        clock: Clock | None = None,
        sync: bool = False,
        watch: bool = False,
    ) -> None:
        self.watch_folder = watch
        self.notices: list[str] = []
        self.on_external_change = on_external_change
        self.on_notice = on_notice
        self.flush_interval = flush_interval
        self.check_interval = check_interval
        self._lock = threading.RLock()
        self._docs: dict[str, dict] = {}
        self._settings: dict[str, dict] = {}
        self._dirty: set[str] = set()
        self._dirty_details: set[str] = set()
        self._dirty_settings: set[str] = set()
        self._dirty_since: float | None = None
        self._undo: list[list[tuple[str, tuple, tuple]]] = []
        self._clock = clock or Clock()  # this copy's: its id orders its stamps
        self._closed = False
        self._pending_notices: list[str] = []
        self._pending_changes: set[str] = set()
        self._delivery_lock = threading.RLock()  # a callback may call flush()
        self._said: set[str] = set()  # messages about lasting conditions, said once
        self._damage: list[str] = []  # what of the state could not be read, said once
        self._loaded = threading.Event()  # set once the files have been read
        self._init_files(path, read_only, sync)

    # ------------------------------------------------------------------ life cycle

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        background: bool = True,
        flush_interval: float = 0.01,
        check_interval: float = 0.02,
        on_external_change: Callable[[set[str]], None] | None = None,
        on_notice: Callable[[str], None] | None = None,
        read_only: bool = False,
        lazy: bool = False,
        clock: Clock | None = None,
        sync: bool = False,
        watch: bool = False,
    ) -> StateStore:
        """Open the state file at ``path`` (which need not exist yet).

        ``flush_interval`` is the longest a change waits in memory before the background
        thread appends it to the journal; ``check_interval`` how often it looks for
        changes made by another copy (one ``stat`` per file). With ``background=False``
        nothing happens until ``flush()``, ``reload()`` or ``close()`` is called. With
        ``read_only`` nothing on disk is ever created, moved or written. With ``lazy``
        (and ``background``) the files are read by the background thread: ``open``
        returns at once with the settings read from the snapshot's first line, and every
        other call waits until the papers are loaded, so answers are always complete.
        ``clock`` stamps this copy's changes (``clock.Clock``; tests inject a wall clock).
        With ``sync`` this device keeps its own files in the folder of ``path`` (a folder
        that already holds device files is opened so anyway): ``devices``. With ``watch``
        (and ``background``) file events in the folder wake the thread
        (``folder_watch``), which then looks at the files every ``persist.SAFETY_POLL``
        seconds instead of every ``check_interval``.
        """
        store = cls(
            Path(path),
            flush_interval=flush_interval,
            check_interval=check_interval,
            on_external_change=on_external_change,
            on_notice=on_notice,
            read_only=read_only,
            clock=clock,
            sync=sync,
            watch=watch,
        )
        if lazy and background:
            store._settings.update(store._header_settings())
        else:
            store._initial_load()
        with _open_stores_lock:
            _open_stores.add(store)
        if background:
            store._start_thread()
        store._deliver()
        return store

    def _initial_load(self) -> None:
        """Read the files for the first time (at open, or first thing in the thread)."""
        if self._loaded.is_set():
            return
        try:
            with self._flush_lock:
                with contextlib.suppress(SaveError):  # reported; read again later
                    self._refresh()
                self._pending_changes.clear()
        finally:
            self._loaded.set()

    def _wait_loaded(self) -> None:
        if not self._loaded.is_set():
            self._loaded.wait()

    def wait_loaded(self, timeout: float | None = None) -> bool:
        """Wait until the files have been read (at once unless opened ``lazy``); for a
        worker thread, so that the UI thread never waits inside ``state()``."""
        return self._loaded.wait(timeout)

    def close(self) -> None:
        """Stop the background thread and write what is left. Idempotent."""
        if self._closed:
            return
        if self._thread is None:
            self._initial_load()
        self._stopping = True
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=30)  # a callback could hang it; the flush below is ours
        if not self.read_only:
            with self._flush_lock:
                if self._flush_locked() and self._journal.pending() and self._blocked is None:
                    size = self._snap_sig[2] if self._snap_sig and len(self._snap_sig) > 2 else 0
                    if size < FOLD_AT_CLOSE_BELOW:
                        self._needs_fold = True
                        self._flush_locked()
            self._deliver()
        self._closed = True
        with _open_stores_lock:
            _open_stores.discard(self)

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<StateStore {str(self.path)!r} papers={len(self._docs)}>"

    @property
    def unsaved(self) -> bool:
        """Whether some change is not on disk yet."""
        return bool(self._dirty or self._dirty_settings)

    @property
    def damage(self) -> tuple[str, ...]:
        """What of the state could not be read, one message each (empty: read whole): a
        damaged file (moved aside or left), entries skipped, journal lines not merged,
        details that cannot be read, a newer format. Odd values repaired, an upgrade
        from an older format or a save that failed are not damage."""
        with self._lock:
            return tuple(self._damage)

    @property
    def save_failing(self) -> bool:
        """Whether the last attempt to save failed (the reason is in ``notices``)."""
        return self._save_failing or (self._blocked is not None and self.unsaved)

    # ------------------------------------------------------------------ reading

    def _doc(self, arxiv_id: str) -> dict | None:
        self._wait_loaded()
        doc = self._docs.get(arxiv_id)
        if doc is None:
            doc = self._docs.get(self._lenient_id(arxiv_id))
        return doc

    def state(self, arxiv_id: str) -> PaperState:
        """The state of one paper; ``PaperState()`` when nothing is known about it."""
        doc = self._doc(arxiv_id)
        return DEFAULT_STATE if doc is None else state_of(doc)

    def known(self, arxiv_id: str) -> bool:
        return self._doc(arxiv_id) is not None

    def snapshot(self, arxiv_id: str) -> Paper | None:
        """The paper as it was when last starred, noted or tagged; None without details."""
        self._wait_loaded()
        doc = self._docs.get(arxiv_id)
        if doc is None:  # a versioned or odd id: normalised only when needed
            arxiv_id = self._lenient_id(arxiv_id)
            doc = self._docs.get(arxiv_id)
        kept = doc.get("paper") if doc is not None else None
        try:
            snap = resolve(kept, arxiv_id)  # read from the snapshot file when still there
        except (DamagedDetails, OSError) as error:
            snap = error
        snap = self._readable(arxiv_id, snap)
        return paper_or_none(arxiv_id, snap) if snap else None

    def states_and_details(
        self, ids: Iterable[str], *, rows: bool = False
    ) -> Iterator[tuple[str, PaperState | None, dict | str | None]]:
        """``(id, state, details)`` for each id (as ``ids()`` gives them), in order: the
        details as stored (``paper_or_none`` makes them a ``Paper``), None where
        ``snapshot`` finds none. With ``rows``, where the file holds the row as written
        (``rows.row_part``), the whole row as text with its state (``rows.state_part``)
        in place of the details, and None for the state (no ``PaperState`` is made).
        For listing many papers: adjacent lines of the file are read at once (the file
        keeps them in id order)."""
        self._wait_loaded()
        with self._lock:
            docs = [(arxiv_id, self._docs.get(arxiv_id)) for arxiv_id in ids]
        kept = ((arxiv_id, doc and doc.get("paper")) for arxiv_id, doc in docs)
        loaded = load_many(kept, rows=rows)
        for (arxiv_id, doc), (_, details) in zip(docs, loaded, strict=True):
            if type(details) is str:  # the row's paper part: the row is made here
                yield arxiv_id, None, details + state_part(doc["read"], doc["starred"], doc["note"])
                continue
            if type(details) is not dict:
                details = self._readable(arxiv_id, details)
            yield arxiv_id, DEFAULT_STATE if doc is None else state_of(doc), details or None

    def _readable(self, arxiv_id: str, details: Any) -> dict | None:
        """Details as read, or None after saying why they could not be."""
        if isinstance(details, DamagedDetails):
            self._damaged_details(arxiv_id)
            return None
        if isinstance(details, OSError):
            self._damage_notice(f"Could not read the details of {arxiv_id} ({details.strerror}).")
            self._deliver()
            return None
        return details

    def _damaged_details(self, arxiv_id: str) -> None:
        """Details found damaged when read: said once; the next save drops the line."""
        self._damage_notice(
            f"The details of {arxiv_id} in the state file {self.path} are damaged; its "
            "reading state is kept, its details are dropped at the next save."
        )
        if not self.read_only:
            self._needs_fold = True
            self._mark_dirty_since()
        self._deliver()

    def ids(
        self,
        *,
        starred: bool | None = None,
        read: bool | None = None,
        noted: bool | None = None,
        tag: str | None = None,
    ) -> list[str]:
        """Sorted ids of known papers matching every filter given (None: any)."""
        self._wait_loaded()
        with self._lock:
            docs = list(self._docs.items())
        return sorted(
            arxiv_id
            for arxiv_id, doc in docs
            if (starred is None or doc["starred"] == starred)
            and (read is None or doc["read"] == read)
            and (noted is None or bool(doc["note"]) == noted)
            and (tag is None or tag in doc["tags"])
        )

    def tag_counts(self) -> dict[str, int]:
        """Every tag in use with the number of papers carrying it, by tag name."""
        self._wait_loaded()
        with self._lock:
            docs = list(self._docs.values())
        counts: Counter[str] = Counter()
        for doc in docs:
            counts.update(doc["tags"].keys())
        return dict(sorted(counts.items()))

    def citation_keys(self) -> dict[str, str]:
        """Every assigned citation key, by arXiv id."""
        self._wait_loaded()
        with self._lock:
            docs = list(self._docs.items())
        return {arxiv_id: doc["citation_key"] for arxiv_id, doc in docs if doc["citation_key"]}

    def get_setting(self, name: str, default: Any = None) -> Any:
        doc = self._settings.get(name)
        return default if doc is None else doc["value"]

    # ------------------------------------------------------------------ persistence

    def flush(self) -> bool:
        """Write every change to disk now (appended to the journal and fsynced).

        Returns True when every change is on disk (or there was nothing to write), False
        when saving failed; the reason is in ``notices`` and the changes stay in memory.
        """
        self._wait_loaded()
        with self._flush_lock:
            ok = self._flush_locked()
        self._deliver()
        return ok and not self.unsaved

    def save_copy(self, target: str | os.PathLike[str]) -> tuple[bool, str]:
        """Write everything this copy knows to a new file ``target`` (a way out when the
        state file cannot be written). Never replaces an existing file. Returns (saved,
        a one-line message for the user)."""
        self._wait_loaded()
        path = Path(target)
        if os.path.lexists(path):
            return False, f"{path} exists; choose a new file name"
        with self._lock:
            docs = dict(self._docs)
            settings = dict(self._settings)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = snapshot.write(
                path, snapshot.header(settings, self._other_tables), PaperTable.from_docs(docs)
            ).temp
            os.link(temp, path)  # fails if the name was taken meanwhile: never replaces
            os.unlink(temp)
            files.fsync_dir(path.parent)
        except (OSError, ValueError) as exc:
            return False, f"Cannot write {path} ({getattr(exc, 'strerror', None) or exc})"
        return True, f"Saved the reading state of {len(docs):,} papers to {path}"

    def reload(self) -> set[str]:
        """Merge in what another copy wrote; return the ids whose state changed.

        ``on_external_change`` is called with the same ids.
        """
        self._wait_loaded()
        with self._flush_lock:
            self._next_scan = 0.0  # look for new devices and conflict copies too
            try:
                changed = self._refresh()
            except SaveError as exc:
                self._notice_once(str(exc))
                changed = set()
        self._deliver()
        return changed

    # ------------------------------------------------------------------ internals

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the state store is closed")

    @staticmethod
    def _lenient_id(arxiv_id: str) -> str:
        try:
            return normalize_id(arxiv_id)
        except ValueError:
            return arxiv_id
