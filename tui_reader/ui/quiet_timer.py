"""A call made once things have been quiet for a while, without a timer per event.

``QuietTimer(owner, delay, callback)``: ``restart()`` on every event (a cursor move)
puts the call ``delay`` seconds after the latest one; ``stop()`` cancels it; ``pending``
says whether a call is waiting.

Why not ``set_timer`` per event: each Textual timer is an asyncio task, made and
cancelled on every key of a held ``j``. Here a restart only reads the clock; one timer
is armed at a time, and when it fires before the quiet time is up it arms itself for
the rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer

EARLY = 0.02  # seconds: a timer due this close to the end calls back rather than re-arm


class QuietTimer:
    def __init__(self, owner: MessagePump, delay: float, callback: Callable[[], object]) -> None:
        self.owner = owner
        self.delay = delay
        self.callback = callback
        self._timer: Timer | None = None
        self._since = 0.0

    @property
    def pending(self) -> bool:
        return self._timer is not None

    def restart(self) -> None:
        self._since = time.monotonic()
        if self._timer is None:
            self._timer = self.owner.set_timer(self.delay, self._due)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _due(self) -> None:
        self._timer = None
        rest = self._since + self.delay - time.monotonic()
        if rest > EARLY:
            self._timer = self.owner.set_timer(rest, self._due)
        else:
            self.callback()
