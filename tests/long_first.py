"""A pytest plugin (``-p tests.long_first`` in pyproject.toml): long tests start first.

xdist hands tests to its workers in collection order; a two-minute suite whose slowest
test happens to be collected last ends that test's length after everything else.
So the tests known to be long (the ``FIRST`` longest of those that take ``LONG``
seconds or more) are moved to the front, longest first; the rest keep their order,
so that a module's tests stay together and share its fixtures.

What is known: the seconds this checkout's last run measured (pytest's cache,
``.pytest_cache``), else those in ``long_tests.txt`` (``seconds node-id`` lines, for a
fresh clone). Each run records its own measurements, setup and call together, from the
controller (never from an xdist worker, which sees only its share).
"""

from __future__ import annotations

from pathlib import Path

import pytest

LONG = 3.0  # seconds
FIRST = 30  # tests at the most: a busy run measures many more above LONG
CACHE_KEY = "digest-reader/durations"
KNOWN = Path(__file__).with_name("long_tests.txt")

_measured: dict[str, float] = {}


def known_durations(config: pytest.Config) -> dict[str, float]:
    durations: dict[str, float] = {}
    for line in KNOWN.read_text(encoding="utf-8").splitlines():
        seconds, _, nodeid = line.partition(" ")
        if nodeid and not line.startswith("#"):
            durations[nodeid.strip()] = float(seconds)
    cache = getattr(config, "cache", None)  # None with -p no:cacheprovider
    if cache is not None:
        durations.update(cache.get(CACHE_KEY, {}))
    return durations


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    durations = known_durations(config)
    long = [item for item in items if durations.get(item.nodeid, 0.0) >= LONG]
    long.sort(key=lambda item: -durations[item.nodeid])  # stable: ties keep their order
    del long[FIRST:]
    chosen = {id(item) for item in long}
    items[:] = long + [item for item in items if id(item) not in chosen]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when in ("setup", "call"):
        _measured[report.nodeid] = _measured.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    cache = getattr(config, "cache", None)
    if hasattr(config, "workerinput") or cache is None or not _measured:
        return
    durations = cache.get(CACHE_KEY, {})
    durations.update({nodeid: round(seconds, 2) for nodeid, seconds in _measured.items()})
    cache.set(CACHE_KEY, durations)
