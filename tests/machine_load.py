"""How long a busy machine kept a process waiting, for the few tests that time a promise.

    waited = WaitedForCpu(pid)              # its main thread; every_thread=True: all
    ...                                     # waited.sample() while the process lives
    assert took <= LIMIT + waited.seconds()

A test of a wall-clock promise ("leaves within 2 s", "nothing older than 0.5 s is
lost") adds to its limit the time the process was ready to run but had no CPU: Linux's
per-thread ``schedstat`` (its second field, the run-queue wait). On an idle machine
that is about nothing and the promise is checked as written; on a busy one the process
may be late by as long as it was kept waiting, and no more. ``sample()`` keeps the
latest reading, so a process that has ended counts as it was last seen. Where Linux
keeps no schedstat, the machine's CPU pressure stands in (``/proc/pressure/cpu``, the
``some`` total), else the load average's share of time over the CPUs.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PRESSURE = Path("/proc/pressure/cpu")


def _waits(pid: int, every_thread: bool) -> dict[int, int] | None:
    """Nanoseconds each thread has waited for a CPU; None if Linux does not say."""
    tids = [pid]
    if every_thread:
        try:
            tids = [int(tid) for tid in os.listdir(f"/proc/{pid}/task")]
        except OSError:
            return None
    waits = {}
    for tid in tids:
        try:
            waits[tid] = int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            continue  # a thread that ended meanwhile
    return waits or None


def _pressure_microseconds() -> int | None:
    try:
        for line in PRESSURE.read_text().splitlines():
            if line.startswith("some "):
                return int(line.rsplit("total=", 1)[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _overloaded_share() -> float:
    load, cpus = os.getloadavg()[0], os.cpu_count() or 1
    return max(0.0, 1.0 - cpus / load) if load > cpus else 0.0


class WaitedForCpu:
    """See the module docstring."""

    def __init__(self, pid: int, *, every_thread: bool = False) -> None:
        self.pid, self.every_thread = pid, every_thread
        self.started = time.monotonic()
        self._first = _waits(pid, every_thread)
        self._last = dict(self._first or {})
        self._pressure = _pressure_microseconds()

    def sample(self) -> None:
        if self._first is not None:
            self._last.update(_waits(self.pid, self.every_thread) or {})

    def seconds(self) -> float:
        self.sample()
        if self._first is not None:
            return sum(ns - self._first.get(tid, 0) for tid, ns in self._last.items()) / 1e9
        now = _pressure_microseconds()
        if self._pressure is not None and now is not None:
            return (now - self._pressure) / 1e6
        return (time.monotonic() - self.started) * _overloaded_share()
