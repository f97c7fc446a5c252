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
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from tui_reader.model import Paper

from . import files, snapshot
from .persist import FOLD_AT_CLOSE_BELOW, Persistence
from .records import (
    DEFAULT_STATE,
    EMPTY_DOC,
    JUDGEMENTS,
    PaperState,
    SaveError,
    clean_tags,
    dumps,
    judgements,
    normalize_id,
    paper_from_snapshot,
    repair_text,
    snapshot_of,
    state_of,
)
from .snapshot import PaperTable

# Undo steps kept per session: enough for any real session, bounded for a long one.
UNDO_LIMIT = 10_000

Target = Paper | str

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


class StateStore(Persistence):
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
    ) -> None:
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
        self._last_stamp = 0.0
        self._closed = False
        self._pending_notices: list[str] = []
        self._pending_changes: set[str] = set()
        self._delivery_lock = threading.RLock()  # a callback may call flush()
        self._said: set[str] = set()  # messages about lasting conditions, said once
        self._loaded = threading.Event()  # set once the files have been read
        self._init_files(path, read_only)

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
        """
        store = cls(
            Path(path),
            flush_interval=flush_interval,
            check_interval=check_interval,
            on_external_change=on_external_change,
            on_notice=on_notice,
            read_only=read_only,
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
                if self._flush_locked() and self._journal.offset and self._blocked is None:
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
        arxiv_id = self._lenient_id(arxiv_id)
        doc = self._doc(arxiv_id)
        snap = doc.get("paper") if doc is not None else None
        if not snap:
            return None
        try:
            return paper_from_snapshot(arxiv_id, snap)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # a hand-edited snapshot is ignored, not fatal

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
            counts.update(doc["tags"])
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

    # ------------------------------------------------------------------ changing

    def set_read(self, targets: Iterable[Target] | Target, read: bool) -> set[str]:
        """Mark papers read or unread; one undo step. Returns the ids that changed."""
        return self._change(targets, lambda doc: {"read": bool(read)}, details=False)

    def set_starred(self, targets: Iterable[Target] | Target, starred: bool) -> set[str]:
        """Star or unstar papers; one undo step. Returns the ids that changed."""
        return self._change(targets, lambda doc: {"starred": bool(starred)}, details=starred)

    def set_note(self, target: Target, note: str) -> set[str]:
        """Set one paper's note (surrounding whitespace removed; blank deletes it)."""
        if not isinstance(target, (Paper, str)):
            raise TypeError("set_note takes one Paper or one arXiv id")
        note = repair_text(str(note)).strip()
        return self._change((target,), lambda doc: {"note": note}, details=bool(note))

    def set_tags(
        self,
        targets: Iterable[Target] | Target,
        *,
        add: Iterable[str] = (),
        remove: Iterable[str] = (),
    ) -> set[str]:
        """Add and remove tags on papers; one undo step. Returns the ids that changed."""
        added = set(clean_tags(repair_text(str(tag)) for tag in add))
        removed = set(clean_tags(repair_text(str(tag)) for tag in remove))

        def change(doc: Mapping[str, Any]) -> dict[str, Any]:
            return {"tags": clean_tags((set(doc["tags"]) - removed) | added)}

        return self._change(targets, change, details=bool(added))

    def undo(self) -> set[str] | None:
        """Revert the last change step. Returns the ids it changed; None if none is left.

        The reverted values get a fresh change time, so they win a merge with another
        copy's older changes to the same fields.
        """
        self._wait_loaded()
        with self._lock:
            self._check_open()
            if not self._undo:
                return None
            group = self._undo.pop()
            changed: set[str] = set()
            for arxiv_id, before, after in reversed(group):
                current = self._docs.get(arxiv_id, EMPTY_DOC)
                values = {
                    name: list(old) if name == "tags" else old
                    for name, old, new in zip(JUDGEMENTS, before, after, strict=True)
                    if old != new
                }
                if self._apply(arxiv_id, current, values, None):
                    changed.add(arxiv_id)
            return changed

    def set_citation_keys(self, keys: Mapping[str, str]) -> None:
        """Assign citation keys to papers that have none; an assigned key never changes."""
        self._wait_loaded()
        with self._lock:
            self._check_open()
            for raw_id, key in keys.items():
                if not isinstance(key, str) or not key.strip():
                    raise ValueError(f"citation key for {raw_id!r} must be a non-empty string")
                arxiv_id = normalize_id(raw_id)
                current = self._docs.get(arxiv_id, EMPTY_DOC)
                if not current["citation_key"]:
                    self._apply(arxiv_id, current, {"citation_key": key.strip()}, None)

    def set_setting(self, name: str, value: Any) -> None:
        """Remember a small app preference (any JSON value)."""
        dumps(value)  # refuse what cannot be saved now, not later in the background
        with self._lock:
            self._check_open()
            current = self._settings.get(name)
            if current is not None and current["value"] == value:
                return
            stamp = self._stamp(current["updated_at"] if current else 0.0)
            self._dirty_settings.add(name)
            self._mark_dirty_since()
            self._settings[name] = {"value": value, "updated_at": stamp}

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
            )
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

    def _stamp(self, current: float) -> float:
        """A time later than ``current`` and every earlier stamp of this store."""
        stamp = max(time.time(), current + 1e-6, self._last_stamp + 1e-6)
        self._last_stamp = stamp
        return stamp

    def _mark_dirty_since(self) -> None:
        with self._lock:
            if self._dirty_since is None:
                self._dirty_since = time.monotonic()
                self._wake.set()

    def _apply(
        self, arxiv_id: str, current: Mapping[str, Any], values: dict[str, Any], snap: dict | None
    ) -> bool:
        """Store ``current`` with ``values`` (and details); whether a judgement changed."""
        differs = {name: v for name, v in values.items() if current[name] != v}
        if snap is not None and current.get("paper") == snap:
            snap = None
        if not differs and snap is None:
            return False
        doc = dict(current)
        times = dict(current["changed"])
        stamp = self._stamp(current["updated_at"])
        for name, value in differs.items():
            doc[name] = value
            times[name] = stamp
        if snap is not None:
            doc["paper"] = snap
            times["paper"] = stamp
            self._dirty_details.add(arxiv_id)
        doc["changed"] = times
        doc["updated_at"] = stamp
        # Dirty first: if a signal interrupts us between the two lines, the flush sees
        # an unchanged dirty document (harmless), never a changed clean one.
        self._dirty.add(arxiv_id)
        self._mark_dirty_since()
        self._docs[arxiv_id] = doc
        return bool(differs)

    def _change(
        self,
        targets: Iterable[Target] | Target,
        change: Callable[[Mapping[str, Any]], dict[str, Any]],
        *,
        details: bool,
    ) -> set[str]:
        self._wait_loaded()
        if isinstance(targets, (Paper, str)):
            targets = (targets,)
        wanted: dict[str, Paper | None] = {}
        for target in targets:
            if isinstance(target, Paper):
                wanted[target.arxiv_id] = target
            else:
                wanted.setdefault(normalize_id(target), None)
        # Details are built before taking the lock: they are the only costly part.
        snapshots = {arxiv_id: snapshot_of(paper) for arxiv_id, paper in wanted.items() if paper}
        changed: set[str] = set()
        group: list[tuple[str, tuple, tuple]] = []
        with self._lock:
            self._check_open()
            for arxiv_id in wanted:
                current = self._docs.get(arxiv_id, EMPTY_DOC)
                snap = snapshots.get(arxiv_id)
                if snap is not None and not (details or "paper" in current):
                    snap = None  # reading takes no details, but refreshes kept ones
                if self._apply(arxiv_id, current, change(current), snap):
                    changed.add(arxiv_id)
                    group.append((arxiv_id, judgements(current), judgements(self._docs[arxiv_id])))
            if group:
                self._undo.append(group)
                if len(self._undo) > UNDO_LIMIT:
                    del self._undo[0]
        return changed

    # ------------------------------------------------------------------ news

    def _notice(self, message: str) -> None:
        with self._lock:
            self.notices.append(message)
            self._pending_notices.append(message)

    def _notice_once(self, message: str) -> None:
        if message not in self._said:
            self._said.add(message)
            self._notice(message)

    def _deliver(self) -> None:
        """Call the callbacks with pending news; never under a store lock."""
        with self._delivery_lock:
            with self._lock:
                notices, self._pending_notices = self._pending_notices, []
                changes, self._pending_changes = self._pending_changes, set()
            if changes and self.on_external_change is not None:
                try:
                    self.on_external_change(changes)
                except Exception as exc:
                    notices.append(f"Showing changes from another copy failed: {exc!r}")
            if self.on_notice is not None:
                for message in notices:
                    try:
                        self.on_notice(message)
                    except Exception:
                        break  # nowhere left to report it; it is in self.notices
