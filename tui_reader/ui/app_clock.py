"""The app's real clock: ``time.monotonic``, and calls on a message pump's own loop.

``AppClock(owner)`` is a ``tui_reader.clock.Clock`` whose ``call_later`` is the owner's
Textual ``set_timer``: the call runs on the UI thread, between two messages, stops when
the owner closes, and an error in it stops the app as any handler's would. ``make_app``
uses it unless a clock is passed in (tests pass a ``FakeClock``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.message_pump import MessagePump

from ..clock import Cancel


class AppClock:
    def __init__(self, owner: MessagePump) -> None:
        self.owner = owner

    def now(self) -> float:
        return time.monotonic()

    def call_later(self, delay: float, callback: Callable[[], object]) -> Cancel:
        return self.owner.set_timer(delay, callback).stop
