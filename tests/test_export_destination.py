"""Where an export may go: only regular files or new paths, never the reading state.

Run against the installed command (a subprocess), as a script user meets it, and the
app's ``b`` dialog through the pilot. Devices are made with ``mknod`` in the test's own
folder (as root): a test never points an export at a device of the machine.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.app_helpers import loaded, new_app
from tests.conftest import SEED_DIGEST
from tests.special_files import FULL, make_device, make_fifo, make_socket
from tests.test_terminal import command
from tui_reader.ui.app import TriageScreen
from tui_reader.ui.screens.export_path import ExportPathScreen

FIRST = "2412.21188"


def run(*args: str, umask: int | None = None, timeout: float = 60):
    return subprocess.run(
        [*command(), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )


def state_file() -> Path:
    return Path(os.environ["DIGEST_READER_DB"])


def fingerprint(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file of ``folder``: its type and a hash of its bytes (regular files)."""
    seen = {}
    for path in sorted(folder.iterdir()):
        st = os.lstat(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(st.st_mode) else ""
        seen[path.name] = (stat.S_IFMT(st.st_mode), digest)
    return seen


@pytest.fixture
def starred() -> Path:
    """A state file with one starred paper (and its journal and lock beside it)."""
    assert run("mark", FIRST, "--star", "--digest", str(SEED_DIGEST)).returncode == 0
    assert state_file().exists()
    return state_file()


def assert_refused(result, *fragments: str) -> None:
    assert result.returncode == 2, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("digest-reader: error: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.mark.parametrize(
    "name",
    ["{}", "{}.journal", "{}.lock", "{}.corrupt-20250101-120000", "{}.drafts", ".{}.1.2.tmp"],
)
def test_export_never_writes_the_state_file_or_a_file_beside_it(starred, name):
    target = starred.parent / name.format(starred.name)
    before = fingerprint(starred.parent)
    for args in (["-o", str(target), "--force"], ["-o", str(target)]):
        result = run("export", *args)
        assert_refused(result, str(target), "reading state file")
        assert fingerprint(starred.parent) == before


def test_export_refuses_the_state_file_by_another_name(starred, tmp_path):
    before = fingerprint(starred.parent)
    link = tmp_path / "refs.bib"
    link.symlink_to(starred)
    assert_refused(run("export", "-o", str(link), "--force"), "reading state file")
    relative = starred.parent / ".." / starred.parent.name / starred.name
    assert_refused(run("export", "-o", str(relative), "--force"), "reading state file")
    hard = tmp_path / "hard.bib"
    os.link(starred, hard)
    assert_refused(run("export", "-o", str(hard), "--force"), "hard link")
    assert fingerprint(starred.parent) == before
    assert link.is_symlink()


def device(tmp_path: Path) -> Path:
    return make_device(tmp_path / "full", FULL)


def fifo(tmp_path: Path) -> Path:
    return make_fifo(tmp_path / "pipe.bib")


def unix_socket(tmp_path: Path) -> Path:
    return make_socket(tmp_path / "socket.bib")


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (device, "device"),
        (fifo, "FIFO"),
        (unix_socket, "socket"),
        (lambda tmp_path: tmp_path, "folder"),
    ],
)
@pytest.mark.parametrize("through_a_link", [False, True])
def test_export_writes_no_device_fifo_socket_or_folder(starred, tmp_path, make, kind,
                                                       through_a_link):  # fmt: skip
    target = make(tmp_path)
    kind_before = stat.S_IFMT(os.lstat(target).st_mode)
    given = target
    if through_a_link:
        given = tmp_path / "link.bib"
        given.symlink_to(target)
    result = run("export", "-o", str(given), "--force", timeout=30)  # a FIFO must not hang
    assert_refused(result, str(given), kind)
    assert stat.S_IFMT(os.lstat(target).st_mode) == kind_before


def test_a_new_export_gets_the_users_umask_and_a_replaced_one_keeps_its_mode(starred, tmp_path):
    target = tmp_path / "refs.bib"
    assert run("export", "-o", str(target), umask=0o022).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert "@misc{engelken2024sparse," in target.read_text()
    other = tmp_path / "group.bib"
    assert run("export", "-o", str(other), umask=0o002).returncode == 0
    assert stat.S_IMODE(other.stat().st_mode) == 0o664
    target.chmod(0o640)
    target.write_text("% old\n")
    assert run("export", "-o", str(target), "--force", umask=0o077).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert "@misc{engelken2024sparse," in target.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["group.bib", "refs.bib"]  # no temps


def test_export_through_a_link_replaces_the_file_not_the_link(starred, tmp_path):
    real = tmp_path / "library" / "refs.bib"
    real.parent.mkdir()
    real.write_text("% old\n")
    link = tmp_path / "refs.bib"
    link.symlink_to(real)
    assert run("export", "-o", str(link), "--force").returncode == 0
    assert link.is_symlink() and "@misc{engelken2024sparse," in real.read_text()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any file")
def test_a_read_only_file_is_not_replaced_even_with_force(starred, tmp_path):
    target = tmp_path / "refs.bib"
    target.write_text("% keep me\n")
    target.chmod(0o444)
    assert_refused(run("export", "-o", str(target), "--force"), "read-only")
    assert target.read_text() == "% keep me\n"


async def export_in_app(tmp_path: Path, path: str) -> tuple[object, list[str]]:
    app = new_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        await app.workers.wait_for_complete()
        before = fingerprint(tmp_path)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, ExportPathScreen)
        app.screen.query_one("Input").value = path
        await pilot.press("enter")
        # Refused at once: no question asked (a dialog would wait for ever).
        await asyncio.wait_for(app.workers.wait_for_complete(), timeout=60)
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        after = fingerprint(tmp_path)
    return (before, after), app.notifications_seen


@pytest.mark.parametrize("name", ["state.json", "state.json.journal", "state.json.lock"])
async def test_the_app_refuses_to_export_over_its_state_with_a_notification(tmp_path, name):
    (before, after), seen = await export_in_app(tmp_path, str(tmp_path / name))
    assert after == before
    assert any("Not exported" in note and "reading state file" in note for note in seen), seen


async def test_the_app_refuses_a_fifo_or_device_with_a_notification(tmp_path):
    pipe = fifo(tmp_path)
    (before, after), seen = await export_in_app(tmp_path, str(pipe))
    assert after == before and stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert any("Not exported" in note and "FIFO" in note for note in seen), seen
