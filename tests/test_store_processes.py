"""Real processes: killed writers, two copies at once, and termination signals.

"Nothing older than half a second is lost" is a wall-clock promise: a busy machine may
delay the writer and its flusher by as long as it kept their threads waiting for a CPU
(``machine_load``), so that wait is allowed on top of ``OLD``, and the writer is killed
only once some of its changes are old enough to be checked even then.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.machine_load import WaitedForCpu
from tests.store_helpers import SHARED, crash_id, peer_read_value, spawn
from tui_reader.store import StateStore

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

CRASH_TRIALS = 60
PRELOADED = 3000  # papers already in the file, so that each write takes a while
OLD = 0.5  # seconds after which a change must be on disk
PATIENCE = 120  # seconds a busy machine may take to let a writer get that far


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A state file with some history the killed writers must never damage."""
    path = tmp_path_factory.mktemp("template") / "state.json"
    store = StateStore.open(path, background=False)
    store.set_read([f"2301.{n:05d}" for n in range(PRELOADED)], True)
    store.set_starred([f"2301.{n:05d}" for n in range(0, PRELOADED, 10)], True)
    store.close()
    return path


def wait_for_line(child: subprocess.Popen[str], expected: str, timeout: float = PATIENCE) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = child.stdout.readline()
        if line.strip() == expected:
            return
        if not line and child.poll() is not None:
            break
    child.kill()
    raise AssertionError(f"child never printed {expected!r}: {child.stderr.read()}")


def kill_when_old_enough(child: subprocess.Popen[str], after: float) -> tuple[float, float]:
    """Kill ``child`` ``after`` seconds from now, or later: once it has run ``OLD``
    seconds beyond what its threads waited for a CPU. Returns when it was killed and
    that wait."""
    waited = WaitedForCpu(child.pid, every_thread=True)
    time.sleep(after)
    while time.monotonic() - waited.started < OLD + waited.seconds() + 0.05:
        assert time.monotonic() - waited.started < PATIENCE, "the writer never got going"
        time.sleep(0.02)
    allowed = waited.seconds()
    killed_at = time.monotonic()
    child.kill()
    return killed_at, allowed


def check_intact(path: Path) -> StateStore:
    """The file parses, as JSON and as a state file, without any repair."""
    json.loads(path.read_bytes())
    store = StateStore.open(path, background=False)
    assert store.notices == []
    assert len(store.ids(read=True)) == PRELOADED
    return store


def crash_trial(template: Path, folder: Path, seed: int) -> tuple[int, float]:
    rng = random.Random(seed)
    folder.mkdir()
    path = folder / "state.json"
    shutil.copy(template, path)
    child = spawn("crash", path)
    if rng.random() < 0.1:
        time.sleep(rng.random() * 0.05)  # sometimes while it is still starting up
    else:
        wait_for_line(child, "ready")
        time.sleep(rng.random() * 0.25)
    child.kill()
    out, _ = child.communicate()
    flushed = [int(line.split()[1]) for line in out.splitlines() if line.startswith("flushed ")]
    last = max(flushed, default=-1)

    store = check_intact(path)
    starred = set(store.ids(starred=True))
    missing = [n for n in range(last + 1) if crash_id(n) not in starred]
    assert not missing, f"seed {seed}: flushed changes lost: {missing[:5]}"
    if last >= 0:
        assert int(store.state("2401.00000").note.removeprefix("n=")) >= last
    store.close()
    return last, time.monotonic()


def test_a_writer_killed_at_any_moment_never_damages_the_file(template, tmp_path):
    seed = random.randrange(1 << 30)
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [
            pool.submit(crash_trial, template, tmp_path / f"trial{n}", seed + n)
            for n in range(CRASH_TRIALS)
        ]
        results = [future.result() for future in futures]
    # The kills really landed in the middle of the work, not only before or after it.
    assert sum(1 for last, _ in results if last > 0) >= CRASH_TRIALS // 2


def test_a_killed_writer_loses_at_most_the_last_moments(template, tmp_path):
    """No explicit flush at all: the background thread alone saves the changes."""
    for trial in range(3):
        path = tmp_path / f"lazy{trial}" / "state.json"
        path.parent.mkdir()
        shutil.copy(template, path)
        child = spawn("lazy", path)
        wait_for_line(child, "ready")
        killed_at, allowed = kill_when_old_enough(child, 0.6 + 0.2 * trial)
        out, _ = child.communicate()
        changes = [line.split() for line in out.splitlines() if line.startswith("changed ")]
        assert changes
        store = check_intact(path)
        starred = set(store.ids(starred=True))
        # Anything changed 0.5 s before the kill (and the child's wait) must be there.
        old = [int(n) for _, n, at in changes if float(at) < killed_at - OLD - allowed]
        assert old and all(crash_id(n) in starred for n in old)
        store.close()


def test_two_processes_sharing_one_file_lose_nothing(tmp_path):
    path = tmp_path / "state.json"
    rounds = 400
    children = [
        spawn("peer", path, name, str(rounds), str(seed)) for name, seed in (("a", 1), ("b", 2))
    ]
    for child in children:
        wait_for_line(child, "ready")
    for child in children:  # start both at once, so that their changes interleave
        child.stdin.write("go\n")
        child.stdin.flush()
    for child in children:
        out, err = child.communicate(timeout=PATIENCE)
        assert child.returncode == 0, err
        assert out.startswith("done []"), out  # no notices in either copy
    store = StateStore.open(path, background=False)
    starred = set(store.ids(starred=True))
    for prefix in ("2502", "2503"):
        assert {f"{prefix}.{n:05d}" for n in range(rounds)} <= starred
    for k in range(SHARED):
        state = store.state(f"2504.{k:05d}")
        last = max(n for n in range(rounds) if n % SHARED == k)
        assert state.read == peer_read_value(last), f"a's last read mark of 2504.{k:05d} lost"
        assert state.note == f"note from b {last}", f"b's last note on 2504.{k:05d} lost"
    assert store.notices == []
    store.close()


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_a_termination_signal_saves_the_changes_and_exits_cleanly(tmp_path, signame):
    path = tmp_path / "state.json"
    child = spawn("sigterm", path)
    wait_for_line(child, "ready")
    assert not path.exists()  # nothing flushed yet: the interval is an hour
    signum = getattr(signal, signame)
    child.send_signal(signum)
    out, err = child.communicate(timeout=PATIENCE)
    assert child.returncode == 128 + signum, err
    assert "not interrupted" not in out
    assert "Traceback" not in err
    store = StateStore.open(path, background=False)
    assert store.ids(starred=True) == ["2501.00001", "2501.00002"]
    assert store.state("2501.00003").note == "written on the way out"
    assert store.get_setting("theme") == "textual-light"
    store.close()


SCALE = 100_000


@pytest.fixture(scope="module")
def large_template(tmp_path_factory) -> Path:
    """100,000 starred and noted papers, each with its details (written directly)."""
    from tests.store_helpers import make_paper
    from tui_reader.store import files, snapshot
    from tui_reader.store.paper_details import snapshot_of
    from tui_reader.store.records import FIELDS

    path = tmp_path_factory.mktemp("large") / "state.json"
    details = snapshot_of(make_paper("2301.00000", abstract="An abstract of some length. " * 30))
    times = dict.fromkeys(FIELDS, 1.0)
    docs = {
        f"23{n // 90_000 + 1:02d}.{n % 90_000 + 10_000:05d}": {
            "read": False, "starred": True, "note": f"note {n}", "tags": [],
            "citation_key": None, "updated_at": 1.0, "changed": times, "paper": details,
        }
        for n in range(SCALE)
    }  # fmt: skip
    header = snapshot.header({}, {})
    files.install(snapshot.write(path, header, snapshot.PaperTable.from_docs(docs)).temp, path)
    return path


def test_kill_9_at_100000_papers_loses_nothing_older_than_half_a_second(large_template, tmp_path):
    """A storm of kills, many around the first flush after the (slow) open."""
    rng = random.Random()
    for trial in range(4):
        path = tmp_path / f"storm{trial}" / "state.json"
        path.parent.mkdir()
        shutil.copy(large_template, path)
        child = spawn("lazy", path)
        wait_for_line(child, "ready", timeout=PATIENCE)
        killed_at, allowed = kill_when_old_enough(child, rng.uniform(0.55, 1.5))
        out, _ = child.communicate()
        changes = [line.split() for line in out.splitlines() if line.startswith("changed ")]
        store = StateStore.open(path, background=False, read_only=True)
        assert store.notices == [] and len(store.ids(starred=True)) >= SCALE
        starred = set(store.ids(starred=True))
        old = [int(n) for _, n, at in changes if float(at) < killed_at - OLD - allowed]
        assert old, "the kill came too early to test anything"
        lost = [n for n in old if crash_id(n) not in starred]
        assert not lost, f"trial {trial}: changes older than 0.5 s were lost: {lost[:5]}"
        store.close()
