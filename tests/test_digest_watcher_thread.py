"""The watcher thread itself, on real inotify: what it reports, and that it goes on
after the watch breaks. Conditions are waited for with generous deadlines."""

from __future__ import annotations

import os
import threading
import time

import pytest

from tui_reader.ui import digest_watch
from tui_reader.ui.digest_watch import DigestWatch

DEADLINE = 60.0


class Screen:
    """Stands in for the triage screen: keeps what the thread posts."""

    def __init__(self) -> None:
        self.posted: list[object] = []

    def post_message(self, message: object) -> bool:
        self.posted.append(message)
        return True


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.05)


def changed_paths(screen: Screen) -> set:
    return {path for m in screen.posted if isinstance(m, DigestWatch.Changed) for path in m.paths}


def written_until_seen(path, screen: Screen) -> None:
    """Write ``path`` again and again until the watcher reports it (until its watch is in
    place, a file written is not seen)."""
    deadline = time.monotonic() + DEADLINE
    while path not in changed_paths(screen):
        assert time.monotonic() < deadline, f"the watcher never reported {path.name}"
        path.write_text(str(time.monotonic()))
        time.sleep(0.2)


@pytest.fixture
def watching(tmp_path, monkeypatch):
    monkeypatch.setattr(digest_watch, "RESTART_AFTER", 0.2)
    folder = tmp_path / "digests"
    folder.mkdir()
    screen = Screen()
    watch = DigestWatch(screen, [folder])  # type: ignore[arg-type]
    stop = threading.Event()
    thread = threading.Thread(target=watch._watch, args=([folder], True, stop), daemon=True)
    thread.start()
    yield folder, screen
    stop.set()
    thread.join(timeout=DEADLINE)
    assert not thread.is_alive()


def test_the_watcher_reports_digests_and_not_temporary_files(watching):
    folder, screen = watching
    written_until_seen(folder / "probe.md", screen)
    (folder / ".syncthing.x.md.tmp").write_text("partial")
    (folder / "x.md.swp").write_text("vim")
    (folder / "2025-01-10.md").write_text("a digest")
    wait_for(lambda: folder / "2025-01-10.md" in changed_paths(screen), "the digest reported")
    assert not {folder / ".syncthing.x.md.tmp", folder / "x.md.swp"} & changed_paths(screen)


def test_a_file_name_that_is_not_utf8_does_not_end_watching(watching):
    folder, screen = watching
    written_until_seen(folder / "probe.md", screen)
    with open(os.path.join(os.fsencode(folder), b"bad\xff.md"), "w") as handle:
        handle.write("x")  # rust-notify cannot give this name to Python: its watch ends
    wait_for(lambda: any(isinstance(m, DigestWatch.Failed) and m.restarting
                         for m in screen.posted), "the broken watch said")  # fmt: skip
    # It starts again, looks at everything (events may have been missed), and sees more.
    wait_for(lambda: [m for m in screen.posted if isinstance(m, DigestWatch.Changed)
                      and m.paths == {folder}], "everything looked at again")  # fmt: skip
    written_until_seen(folder / "2025-01-11.md", screen)
