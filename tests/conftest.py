"""Every test runs with its own state and config locations, never the user's."""

from __future__ import annotations

from pathlib import Path

import pytest

SEED_DIGEST = Path(__file__).resolve().parents[1] / "tui_reader" / "data" / "sample-2025-01-03.md"
# ../shared/digests next to the checkout (or next to a folder of worktrees).
SHARED_DIGESTS = next(
    (p / "shared" / "digests" for p in Path(__file__).resolve().parents[1:4]
     if (p / "shared" / "digests").is_dir()),
    Path(__file__).resolve().parents[2] / "shared" / "digests",
)  # fmt: skip


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
