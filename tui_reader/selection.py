"""Which papers the reader has marked to act on together, without the screen.

``Selection`` holds paper indices (into ``Triage.papers``, which only grows, so an
index names one paper for the whole session). It survives filter, search and sort
changes: the header shows its size, so a selection never acts out of sight unnoticed.

* ``toggle(index) -> bool``: in or out; returns whether it is now selected.
* ``select_all(indices) -> int``: add every one; if every one was already selected,
  take them all out instead (the same key undoes a select-all). Returns the change
  (positive: added, negative: removed).
* ``clear() -> int``: empty it; returns how many were selected.
* ``targets(current) -> list[int]``: what a verb (read, star, tag, export) acts on:
  the selection in paper order when there is one, else ``current`` alone (none when
  ``current`` is None).

Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

__all__ = ["Selection"]


class Selection:
    """A set of paper indices with the verbs the triage screen needs."""

    def __init__(self) -> None:
        self._chosen: set[int] = set()

    def __len__(self) -> int:
        return len(self._chosen)

    def __contains__(self, index: object) -> bool:
        return index in self._chosen

    def __iter__(self) -> Iterator[int]:
        return iter(sorted(self._chosen))

    def toggle(self, index: int) -> bool:
        if index in self._chosen:
            self._chosen.discard(index)
            return False
        self._chosen.add(index)
        return True

    def select_all(self, indices: Iterable[int]) -> int:
        wanted = set(indices)
        new = wanted - self._chosen
        if new:
            self._chosen |= new
            return len(new)
        self._chosen -= wanted
        return -len(wanted)

    def clear(self) -> int:
        count = len(self._chosen)
        self._chosen.clear()
        return count

    def targets(self, current: int | None) -> list[int]:
        if self._chosen:
            return sorted(self._chosen)
        return [] if current is None else [current]
