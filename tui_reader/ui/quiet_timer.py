"""A call made once things have been quiet for a while, without a timer per event.

``QuietTimer(clock, delay, callback)``: ``restart()`` on every event (a cursor move)
puts the call ``delay`` seconds after the latest one; ``stop()`` cancels it; ``pending``
says whether a call is waiting. Every decision reads ``clock`` (a
``tui_reader.clock.Clock``: the app's ``AppClock``, a test's ``FakeClock``).

Why not a timer per event: each Textual timer is an asyncio task, made and cancelled on
every key of a held ``j``. Here a restart only reads the clock; one timer is armed at a
time, and when it fires before the quiet time is up it arms itself for the rest.
"""

from __future__ import annotations

from collections.abc import Callable

from ..clock import Cancel, Clock

EARLY = 0.02  # seconds: a timer due this close to the end calls back rather than re-arm


class QuietTimer:
    def __init__(self, clock: Clock, delay: float, callback: Callable[[], object]) -> None:
        self.clock = clock
        self.delay = delay
        self.callback = callback
        self._cancel: Cancel | None = None
        self._since = 0.0

    @property
    def pending(self) -> bool:
        return self._cancel is not None

    def restart(self) -> None:
        self._since = self.clock.now()
        if self._cancel is None:
            self._cancel = self.clock.call_later(self.delay, self._due)

    def stop(self) -> None:
        if self._cancel is not None:
            self._cancel()
            self._cancel = None

    def _due(self) -> None:
        self._cancel = None
        rest = self._since + self.delay - self.clock.now()
        if rest > EARLY:
            self._cancel = self.clock.call_later(rest, self._due)
        else:
            self.callback()
