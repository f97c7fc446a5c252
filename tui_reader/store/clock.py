"""Change stamps: a hybrid logical clock with exact integer order.

Every change to a field, a tag or a setting carries a stamp, and merging keeps the
change with the larger stamp (``merge``). A stamp is one integer whose decimal digits
read as three parts, compared in this order::

    stamp = milliseconds * MS + counter * COPY + copy
          = 1736000000123 00004 0517342
            wall time (ms) counter  the copy that made it

``Clock.now(after)`` gives a stamp later than ``after`` (the stamps of the record or
setting being changed) and than every stamp the clock gave before, whatever the wall
clock says: the wall time when it is ahead, else the larger logical time plus one (the
counter counts changes within a millisecond and carries into it). So a new change is
ordered after everything it replaces, exactly, even when what it replaces carries a
time from the future (``max(now, old + 1e-6)`` stopped advancing near 1.7e10 s, and
ties then went to the value's text: issue 17). The copy's id (random, made when a
store opens; 0 for stamps converted from older formats) is part of the total order,
so two copies that change one field in the same millisecond are still ordered, the
same way by every reader: merging stays a pure function of the records.

Older formats kept seconds as floats: ``from_seconds`` turns them into stamps,
keeping their order (the microseconds become the counter). ``FutureStamps`` repairs
absurd stamps when a file is read: one more than a day ahead of the reader's wall
clock. A stamp that reads as a plausible time once taken as milliseconds, microseconds
or nanoseconds in a seconds field is scaled back; any other is moved to the reader's
now (the change is ordered when it was first seen). The reader counts them, so the
store can say so once and keep a copy of the original file.
"""

from __future__ import annotations

import math
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

MS = 10**12  # a stamp's milliseconds are ``stamp // MS``
COPY = 10**7  # the copy's id is ``stamp % COPY``; the counter lies between
COUNTER_LIMIT = MS // COPY  # changes within one millisecond before it carries over
MAX_AHEAD_MS = 24 * 3600 * 1000  # further ahead of the reader's clock is absurd
EARLIEST_MS = 946_684_800_000  # 2000-01-01: a scaled time before it is not plausible


def stamp(ms: int, counter: int = 0, copy: int = 0) -> int:
    return ms * MS + counter * COPY + copy


def seconds(value: int) -> float:
    """The wall time of a stamp, in seconds (``PaperState.updated_at``)."""
    return (value // MS) / 1000


def from_seconds(value: Any) -> int | None:
    """A time of an older format (seconds) as a stamp, order kept; None if it is not a
    finite time that is not negative."""
    if type(value) is int:
        micros = value * 1_000_000 if value >= 0 else None
    elif type(value) is float and math.isfinite(value) and value >= 0:
        micros = round(value * 1_000_000)
    else:
        return None
    return None if micros is None else stamp(micros // 1000, micros % 1000)


class Clock:
    """Gives stamps later than everything it gave and everything it is shown.

    ``copy`` is this copy's id (1 to ``COPY - 1``; random by default); ``wall`` the
    wall clock in seconds (``time.time``; tests inject their own). Thread-safe.
    """

    def __init__(self, copy: int | None = None, wall: Callable[[], float] = time.time) -> None:
        self.copy = secrets.randbelow(COPY - 1) + 1 if copy is None else copy
        self.wall = wall
        self._last = 0  # the logical time (ms * COUNTER_LIMIT + counter) last given
        self._lock = threading.Lock()

    def now(self, after: int = 0) -> int:
        """A new stamp, later than ``after`` and than every stamp given before."""
        wall_logical = int(self.wall() * 1000) * COUNTER_LIMIT
        with self._lock:
            logical = max(wall_logical, self._last + 1, after // COPY + 1)
            self._last = logical
        return logical * COPY + self.copy

    def limit(self) -> int:
        """The largest stamp that is not absurd now (a day ahead of the wall clock)."""
        return stamp(int(self.wall() * 1000) + MAX_AHEAD_MS + 1) - 1


class FutureStamps:
    """One read of a file: repairs absurd stamps (see the module docstring), counting
    them in ``count``."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.limit = clock.limit()
        self.count = 0

    def repair(self, value: int) -> int:
        """``value`` if it is not absurd, else its repair (counted)."""
        if value <= self.limit:
            return value
        self.count += 1
        millis = value // MS
        limit_ms = self.limit // MS
        for scale in (1000, 10**6, 10**9):  # a smaller unit taken for seconds
            if EARLIEST_MS <= millis // scale <= limit_ms:
                return stamp(millis // scale)
        return self.clock.now()
