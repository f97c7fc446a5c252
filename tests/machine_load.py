"""How long a busy machine kept work waiting, for the few tests that time a promise.

    stall = CpuStall()            # when the timed stretch starts
    ...                           # the program does what it promises to do in time
    assert took <= LIMIT + stall.seconds()

A test of a wall-clock promise ("leaves within 2 s", "on disk within a second") adds
to its limit the seconds in which work that was ready to run had no CPU: Linux's
pressure stall information (``/proc/pressure/cpu``, the ``some`` line's total). On an
idle machine that is about nothing and the promise is checked as written; on a busy
one the program may be late by as long as the machine kept things waiting, and no more.
Where the kernel does not tell (no PSI), the load average stands in: the share of the
stretch in which more tasks wanted to run than there are CPUs.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PRESSURE = Path("/proc/pressure/cpu")


def _stalled_microseconds() -> int | None:
    try:
        for line in PRESSURE.read_text().splitlines():
            if line.startswith("some "):
                return int(line.rsplit("total=", 1)[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _overloaded_share() -> float:
    """Of the last minute, the share in which tasks waited for a CPU (an estimate)."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        return 0.0
    cpus = os.cpu_count() or 1
    return max(0.0, 1.0 - cpus / load) if load > cpus else 0.0


class CpuStall:
    """Seconds of CPU stall since it was made (see the module docstring)."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self._stalled = _stalled_microseconds()

    def seconds(self) -> float:
        now = _stalled_microseconds()
        if self._stalled is not None and now is not None:
            return (now - self._stalled) / 1e6
        return (time.monotonic() - self.started) * _overloaded_share()
