"""Every test runs with its own state and config locations, never the user's.

Hypothesis runs without its wall-clock checks (``deadline``, the ``too_slow`` health
check): a busy machine must not fail a property. A test's own ``suppress_health_check``
replaces the list, so it names ``too_slow`` too.

Where ``PYTHONDONTWRITEBYTECODE`` is set (it is on the project's machines), every
process the suite starts (hundreds of CLI calls, apps in tmux, store children) would
compile the whole package from source again: 0.1 s of CPU per CLI call, a third of it.
So the package and the tests' helpers are compiled once, before any worker starts, into
their ``__pycache__`` folders (ignored by git), which Python reads even with that set.
"""

from __future__ import annotations

import compileall
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "any-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("any-machine")

SEED_DIGEST = Path(__file__).resolve().parents[1] / "tui_reader" / "data" / "sample-2025-01-03.md"
# ../shared/digests next to the checkout (or next to a folder of worktrees).
SHARED_DIGESTS = next(
    (p / "shared" / "digests" for p in Path(__file__).resolve().parents[1:4]
     if (p / "shared" / "digests").is_dir()),
    Path(__file__).resolve().parents[2] / "shared" / "digests",
)  # fmt: skip


def pytest_configure(config: pytest.Config) -> None:
    if sys.dont_write_bytecode and not hasattr(config, "workerinput"):
        root = Path(__file__).resolve().parents[1]
        for folder in ("tui_reader", "tests"):
            compileall.compile_dir(root / folder, quiet=1)


@pytest.fixture(autouse=True)
def isolated_locations(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("DIGEST_READER_DB", str(home / "state" / "state.json"))
    monkeypatch.setenv("DIGEST_READER_CONFIG", str(home / "config" / "digest-reader.toml"))
    return home


@pytest.fixture
def seed_digest() -> Path:
    return SEED_DIGEST
