"""The injectable clock: a fake one tests drive, and the quiet timer built on it."""

from __future__ import annotations

import threading

import pytest

from tui_reader.clock import FakeClock, SystemClock
from tui_reader.ui.quiet_timer import QuietTimer


def test_a_fake_clock_stands_still_until_advanced():
    clock = FakeClock(start=5.0)
    assert clock.now() == 5.0
    clock.advance(0.25)
    assert clock.now() == 5.25
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_calls_run_in_due_order_at_their_time_and_steps_add_up_exactly():
    clock = FakeClock()
    ran: list[tuple[str, float]] = []
    clock.call_later(0.8, lambda: ran.append(("late", clock.now())))
    clock.call_later(0.3, lambda: ran.append(("early", clock.now())))
    clock.call_later(0.3, lambda: ran.append(("early, asked second", clock.now())))
    clock.advance(0.2)
    assert ran == []
    clock.advance(0.1)
    assert ran == [("early", 0.3), ("early, asked second", 0.3)]
    for _ in range(4):
        clock.advance(0.1)  # 0.7: not yet, though the steps are not exact in binary
    assert len(ran) == 2
    clock.advance(0.1)
    assert ran[2] == ("late", 0.8)
    assert clock.pending == 0


def test_a_call_may_schedule_another_inside_the_same_advance():
    clock = FakeClock()
    ran: list[float] = []

    def again() -> None:
        ran.append(clock.now())
        if len(ran) < 3:
            clock.call_later(1.0, again)

    clock.call_later(1.0, again)
    clock.advance(2.5)
    assert ran == [1.0, 2.0]
    assert clock.now() == 2.5
    clock.advance(0.5)
    assert ran == [1.0, 2.0, 3.0]


def test_a_cancelled_call_never_runs():
    clock = FakeClock()
    ran: list[str] = []
    cancel = clock.call_later(1.0, lambda: ran.append("cancelled"))
    clock.call_later(1.0, lambda: ran.append("kept"))
    cancel()
    assert clock.pending == 1
    clock.advance(2.0)
    assert ran == ["kept"]


def test_the_system_clock_calls_back_from_a_daemon_thread():
    clock = SystemClock()
    before = clock.now()
    called = threading.Event()
    clock.call_later(0.01, called.set)
    assert called.wait(60)  # generous: a busy machine may run the thread late
    assert clock.now() - before >= 0.01
    stopped = threading.Event()
    clock.call_later(0.05, stopped.set)()  # cancelled at once
    assert not stopped.wait(0.2)


def test_the_quiet_timer_calls_once_things_have_been_quiet_for_its_delay():
    clock = FakeClock()
    calls: list[float] = []
    timer = QuietTimer(clock, 1.0, lambda: calls.append(clock.now()))
    timer.restart()
    clock.advance(0.6)
    timer.restart()  # an event: the call moves to 1.6
    clock.advance(0.9)
    assert calls == [] and timer.pending
    clock.advance(0.1)
    assert calls == [1.6] and not timer.pending
    clock.advance(5.0)
    assert calls == [1.6]  # once per quiet spell


def test_a_stopped_quiet_timer_never_calls():
    clock = FakeClock()
    calls: list[float] = []
    timer = QuietTimer(clock, 1.0, lambda: calls.append(clock.now()))
    timer.restart()
    clock.advance(0.5)
    timer.stop()
    assert not timer.pending
    clock.advance(5.0)
    assert calls == []
    assert clock.pending == 0  # its armed call was cancelled, not left to run
