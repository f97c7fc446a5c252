"""Changing the working copy: judgements, tags, undo, citation keys and settings.

``Changes`` is a base of ``StateStore`` (see the package docstring for the contract).
Every change is made under the store's lock, in O(changed records): a new record with
the changed fields (and tags) and their stamps, marked dirty for the next flush. A new
stamp comes from the store's clock (``clock.Clock``), later than every stamp of the
record it changes. A change of read, starred, note or tags is one undo step; undoing a
tag step adds back or removes again only the tags that step changed. Details of a
``Paper`` are built before the lock is taken.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tui_reader.model import Paper

from .details import DamagedDetails, resolve
from .fields import StoreFields
from .paper_details import snapshot_of
from .records import (
    EMPTY_DOC,
    JUDGEMENTS,
    clean_tags,
    dumps,
    judgements,
    normalize_id,
    repair_text,
    retagged,
)


def _same_details(arxiv_id: str, kept: Any, snap: dict) -> bool:
    if kept is None:
        return False
    try:
        return resolve(kept, arxiv_id) == snap  # one line read when still in the file
    except (DamagedDetails, OSError):
        return False


# Undo steps kept per session: enough for any real session, bounded for a long one.
UNDO_LIMIT = 10_000

Target = Paper | str


class Changes(StoreFields):
    """The changing half of ``StateStore``'s API."""

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
                    name: old
                    for name, old, new in zip(JUDGEMENTS, before, after, strict=True)
                    if old != new
                }
                if "tags" in values:  # only the tags this step changed
                    old, new = set(values["tags"]), set(after[JUDGEMENTS.index("tags")])
                    values["tags"] = sorted((set(current["tags"]) - (new - old)) | (old - new))
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
            stamp = self._clock.now(current["updated_at"] if current else 0)
            self._dirty_settings.add(name)
            self._mark_dirty_since()
            self._settings[name] = {"value": value, "updated_at": stamp}

    def _mark_dirty_since(self) -> None:
        with self._lock:
            if self._dirty_since is None:
                self._dirty_since = time.monotonic()
                self._wake.set()

    def _apply(
        self, arxiv_id: str, current: Mapping[str, Any], values: dict[str, Any], snap: dict | None
    ) -> bool:
        """Store ``current`` with ``values`` (and details); whether a judgement changed.

        ``values["tags"]`` is the sorted list of tags the paper is to have."""
        differs = {
            name: v
            for name, v in values.items()
            if (list(current[name]) if name == "tags" else current[name]) != v
        }
        if snap is not None and _same_details(arxiv_id, current.get("paper"), snap):
            snap = None
        if not differs and snap is None:
            return False
        doc = dict(current)
        times = dict(current["changed"])
        stamp = self._clock.now(current["updated_at"])
        for name, value in differs.items():
            if name == "tags":
                doc.update(retagged(current, value, stamp))
                if not doc["untagged"]:
                    del doc["untagged"]
            else:
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
