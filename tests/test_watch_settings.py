"""Watching is on by default; ``--no-watch`` and ``watch = false`` turn it off."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.app_helpers import loaded
from tests.watch_helpers import settled, watched_app, write_digest
from tui_reader.cli import main
from tui_reader.config import ConfigError, load_config


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "digests"
    write_digest(folder, "2025-01-03.md", "2025-01-03", ["2501.00001"])
    return folder


@pytest.fixture
def opened(monkeypatch):
    """What ``open`` asks of ``make_app``, with an app that does not run."""
    asked: dict = {}

    def make_app(files, store, **options):
        asked.update(options, files=files)
        return SimpleNamespace(
            return_code=0, is_running=False, run=lambda: None, exit=lambda **_: None,
            store_notice=lambda _: None, keep_note_drafts=lambda: None,
            triage_screen=SimpleNamespace(state_changed_elsewhere=lambda _: None),
        )  # fmt: skip

    monkeypatch.setattr("tui_reader.ui.app.make_app", make_app)
    return asked


@pytest.mark.parametrize(
    ("config", "args", "watch"),
    [
        ("", [], True),
        ("", ["--no-watch"], False),
        ("watch = false\n", [], False),
        ("watch = true\n", ["--no-watch"], False),
    ],
)
def test_open_watches_the_paths_given_unless_told_not_to(
    tmp_path, monkeypatch, folder, opened, config, args, watch
):
    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    monkeypatch.setenv("DIGEST_READER_CONFIG", str(path))
    assert main(["open", *args, str(folder)]) == 0
    assert opened["watch"] is watch and opened["roots"] == [folder]
    assert [file.name for file in opened["files"]] == ["2025-01-03.md"]


def test_watch_must_be_true_or_false(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("watch = 'no'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'watch' must be true or false"):
        load_config(path)


@pytest.mark.parametrize("watch", [True, False])
async def test_the_app_starts_a_watcher_only_when_watching(tmp_path, folder, watch):
    app = watched_app(tmp_path, folder, watch=watch)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await settled(pilot)
        assert app.triage_screen.digest_watch.watching_now is watch


def test_watchfiles_is_not_on_the_start_up_path():
    code = "import sys, tui_reader.ui.app; assert 'watchfiles' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])
