"""The clock that orders changes (issue 17, item 5), with an injected wall clock: a new
stamp is later than everything it has seen, even far in the future; absurd stamps are
scaled back or moved to now. The command-level cases are in ``test_store_future``."""

from __future__ import annotations

from tests.store_helpers import on_disk
from tui_reader.store import StateStore
from tui_reader.store.clock import COPY, MS, Clock, FutureStamps, from_seconds, seconds, stamp

PAPER = "2412.21188"  # in the sample digest


class StoppedClock:
    """A wall clock that stands still unless moved (an injected clock)."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_stamps_keep_increasing_while_the_wall_clock_stands_still_or_goes_back():
    wall = StoppedClock(1_736_000_000.0)
    clock = Clock(copy=7, wall=wall)
    first = clock.now()
    assert first == stamp(1_736_000_000_000, 0, 7)
    given = [first, clock.now(), clock.now()]
    wall.now -= 3600  # the clock is set back an hour
    given.append(clock.now())
    assert given == sorted(set(given))
    assert {s % COPY for s in given} == {7}


def test_a_new_stamp_is_later_than_anything_it_is_shown_however_far_ahead():
    clock = Clock(copy=1, wall=StoppedClock(1_736_000_000.0))
    for far in (stamp(10**15), stamp(1_736_000_000_000, COPY // COPY * 99_999, COPY - 1)):
        assert clock.now(after=far) > far
        assert clock.now() > far  # and everything after it, too


def test_copies_that_stamp_in_the_same_millisecond_are_still_ordered():
    wall = StoppedClock(1_736_000_000.0)
    a, b = Clock(copy=1, wall=wall), Clock(copy=2, wall=wall)
    assert a.now() != b.now() and b.now() > a.now() - 1


def test_older_times_in_seconds_keep_their_order_as_stamps():
    times = [0.0, 5.0, 1_736_000_000.0, 1_736_000_000.000001, 1_736_000_000.0005, 1_736_000_001.0]
    stamps = [from_seconds(t) for t in times]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert seconds(from_seconds(1_736_000_000.25)) == 1_736_000_000.25
    assert from_seconds(float("nan")) is None and from_seconds(-1.0) is None


def test_absurd_stamps_are_scaled_back_or_moved_to_now():
    wall = StoppedClock(1_736_000_000.0)
    stamps = FutureStamps(Clock(copy=3, wall=wall))
    now_ms = 1_736_000_000_000
    assert stamps.repair(stamp(now_ms)) == stamp(now_ms)  # not absurd: as it is
    assert stamps.repair(stamp(now_ms + 3_600_000)) == stamp(now_ms + 3_600_000)  # an hour
    assert stamps.count == 0
    assert stamps.repair(stamp(now_ms * 1000)) == stamp(now_ms)  # milliseconds as seconds
    assert stamps.repair(stamp(now_ms * 10**6)) == stamp(now_ms)  # microseconds
    assert stamps.repair(stamp(now_ms * 10**9)) == stamp(now_ms)  # nanoseconds
    year_2600 = stamp(20_000_000_000_000)
    moved = stamps.repair(year_2600)
    assert moved // MS == now_ms and moved % COPY == 3  # ordered as a change made now
    assert stamps.count == 4


def test_with_an_injected_clock_standing_still_the_last_change_wins_everywhere(tmp_path):
    path = tmp_path / "state.json"
    wall = StoppedClock(1_736_000_000.0)
    with StateStore.open(path, background=False, clock=Clock(copy=1, wall=wall)) as a:
        for flag in (True, False, True, False):
            a.set_starred(PAPER, flag)
            assert a.flush()
        a.set_note(PAPER, "b")
        a.set_note(PAPER, "a")  # a tie broken by the value's text would keep "b"
    assert not on_disk(path)[PAPER]["starred"] and on_disk(path)[PAPER]["note"] == "a"
