"""Time as the program reads it: one clock, passed in, so that tests can drive it.

    clock.now()                              # seconds; only differences mean anything
    cancel = clock.call_later(delay, call)   # call() once, ``delay`` seconds from now
    cancel()                                 # never, if it has not run yet

``Clock`` is the protocol every timer that decides behaviour takes (the dwell that marks
a paper read, the session writer, the ranking's delays, the exit watchdog): it comes in
through constructors and ``make_app``, never as a module global a test patches.

``SystemClock`` is real time: ``time.monotonic``, and each ``call_later`` a daemon
thread (``threading.Timer``), for code that lives in threads (the CLI's watchdog). The
app's own timers run on its message loop instead (``tui_reader.ui.app_clock``).

``FakeClock`` is for tests: time stands still until ``advance(seconds)``, which runs
every call that falls due, in order of due time, with ``now()`` at that call's time; a
call may schedule more, and those run in the same ``advance`` when they fall inside it.
Calls run in the thread that advances the clock. It counts whole nanoseconds, so that
steps add up exactly (0.7 s then 0.1 s is the 0.8 s a timer waits for). Nothing here
imports Textual.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable
from typing import Protocol

Cancel = Callable[[], None]


class Clock(Protocol):
    def now(self) -> float: ...

    def call_later(self, delay: float, callback: Callable[[], object]) -> Cancel: ...


class SystemClock:
    """Real time; ``call_later`` runs its call in a daemon thread of its own."""

    def now(self) -> float:
        return time.monotonic()

    def call_later(self, delay: float, callback: Callable[[], object]) -> Cancel:
        timer = threading.Timer(max(0.0, delay), callback)
        timer.daemon = True  # a pending call never keeps the process alive
        timer.start()
        return timer.cancel


class FakeClock:
    """A clock that moves only when told to; see the module docstring."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = _ns(start)
        self._due: list[tuple[int, int, Callable[[], object]]] = []
        self._cancelled: set[int] = set()
        self._order = itertools.count()  # ties run in the order they were asked for
        self._lock = threading.Lock()  # now() is read from worker threads too

    def now(self) -> float:
        with self._lock:
            return self._now / 1e9

    def call_later(self, delay: float, callback: Callable[[], object]) -> Cancel:
        with self._lock:
            number = next(self._order)
            heapq.heappush(self._due, (self._now + _ns(max(0.0, delay)), number, callback))

        def cancel() -> None:
            with self._lock:
                self._cancelled.add(number)

        return cancel

    @property
    def pending(self) -> int:
        """Calls scheduled and not yet run nor cancelled."""
        with self._lock:
            return sum(1 for _, number, _ in self._due if number not in self._cancelled)

    def advance(self, seconds: float) -> None:
        """Move time ``seconds`` on, running each call as its time comes."""
        if seconds < 0:
            raise ValueError("a clock never goes back")
        with self._lock:
            end = self._now + _ns(seconds)
        while True:
            with self._lock:
                if not self._due or self._due[0][0] > end:
                    self._now = end
                    return
                when, number, callback = heapq.heappop(self._due)
                self._now = max(self._now, when)
                if number in self._cancelled:
                    self._cancelled.discard(number)
                    continue
            callback()


def _ns(seconds: float) -> int:
    return round(seconds * 1e9)
