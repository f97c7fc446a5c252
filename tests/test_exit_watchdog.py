"""The exit watchdog on a signal, driven by a fake clock: when a stuck app is ended.

``exit_cleanly_on_signals`` saves and asks the app to exit; an app still running
``grace`` seconds later is ended, but never before its save is done (and at the latest
``LOCK_TIMEOUT + 1`` s after the grace). ``test_terminal_close.py`` checks the same in a
real terminal; here each moment is exact, whatever the machine's load.
"""

from __future__ import annotations

import signal
import threading
import time

from tui_reader.cli.open_cmd import LEAVE_WITHIN, exit_cleanly_on_signals
from tui_reader.clock import FakeClock
from tui_reader.store import LOCK_TIMEOUT

SIGTERM_CODE = 128 + signal.SIGTERM


class StuckApp:
    """An app whose shutdown never finishes (as with its terminal gone)."""

    def __init__(self) -> None:
        self.exit_codes: list[int] = []

    def exit(self, return_code: int = 0) -> None:
        self.exit_codes.append(return_code)


class SlowStore:
    """A store whose flush returns when the test lets it."""

    def __init__(self, *, quick: bool) -> None:
        self.release = threading.Event()
        if quick:
            self.release.set()
        self.flushed = threading.Event()

    def flush(self) -> bool:
        self.release.wait(60)
        self.flushed.set()
        return True


def until(condition, seconds: float = 60.0) -> bool:
    """Wait for a thread's work; generous, it returns as soon as the condition holds."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def leave_on_sigterm(store: SlowStore):
    app, clock, ended = StuckApp(), FakeClock(), []
    context = exit_cleanly_on_signals(app, store, clock=clock, end_process=ended.append,
                                      terminal_fd=None)  # fmt: skip
    return app, clock, ended, context


def test_a_stuck_app_is_ended_at_the_grace_and_not_before():
    store = SlowStore(quick=True)
    app, clock, ended, context = leave_on_sigterm(store)
    with context:
        signal.raise_signal(signal.SIGTERM)
        assert app.exit_codes == [SIGTERM_CODE]  # asked to leave at once
        assert until(store.flushed.is_set)  # the save runs in its own thread
        clock.advance(LEAVE_WITHIN - 0.01)
        assert ended == []
        clock.advance(0.01)
        assert ended == [SIGTERM_CODE]
        clock.advance(LOCK_TIMEOUT + 2)
        assert ended == [SIGTERM_CODE]  # once


def test_the_watchdog_waits_for_the_save_to_finish():
    store = SlowStore(quick=False)
    _, clock, ended, context = leave_on_sigterm(store)
    with context:
        signal.raise_signal(signal.SIGTERM)
        clock.advance(LEAVE_WITHIN + 0.5)
        assert ended == []  # the grace is over, but the state is not on disk yet
        store.release.set()
        assert until(lambda: ended == [SIGTERM_CODE])  # ended by the save's own thread
        assert store.flushed.is_set()


def test_a_save_stuck_past_the_lock_timeout_does_not_hold_the_process():
    store = SlowStore(quick=False)
    _, clock, ended, context = leave_on_sigterm(store)
    try:
        with context:
            signal.raise_signal(signal.SIGTERM)
            clock.advance(LEAVE_WITHIN + LOCK_TIMEOUT + 0.99)
            assert ended == []
            clock.advance(0.01)
            assert ended == [SIGTERM_CODE]
    finally:
        store.release.set()
    assert until(store.flushed.is_set)
    assert ended == [SIGTERM_CODE]  # the late save ends nothing twice


def test_signals_are_handed_back_when_the_app_is_done():
    before = signal.getsignal(signal.SIGTERM)
    _, _, _, context = leave_on_sigterm(SlowStore(quick=True))
    with context:
        assert signal.getsignal(signal.SIGTERM) is not before
    assert signal.getsignal(signal.SIGTERM) is before
