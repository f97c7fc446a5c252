"""Issue 9's targets at 100,000 starred *and* noted papers (run: see bench_store.py --scale).

Every paper is starred and noted, so every record carries its details (abstract about
900 characters). Measures:

* the state's size on disk (snapshot and journal);
* ``StateStore.open()`` until the first ``state()`` answers (wall and CPU time);
* ``snapshot(id)``: one paper's details, read from the snapshot file when asked;
* ``flush()`` after one change, and how long it holds the inter-process lock;
* folding the journal into a new snapshot (background work), and its lock-held part;
* ``digest-reader list --starred --json``: the whole command as a user runs it (CPU
  and wall time, peak memory of the process; ``--list-only`` measures just that);
* the peak memory of a process that opened the store, against the state's size;
* how soon a second copy (another process) sees a toggle made in the first;
* ``kill -9`` storms: a writer killed at random moments; the newest change on disk must
  be younger than 0.5 s (changes are made every 10 ms).

CPU figures come from the process's own clock; the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_store import make_paper
from tui_reader.store import StateStore
from tui_reader.store import lock as lock_module

ROOT = Path(__file__).resolve().parent.parent
HELD: list[float] = []


class TimedLock(lock_module.InterProcessLock):
    """The store's lock, recording how long each outermost hold lasted."""

    def __enter__(self):
        result = super().__enter__()
        if self._depth == 1:
            self._since = time.perf_counter()
        return result

    def __exit__(self, *exc_info):
        if self._depth == 1:
            HELD.append(time.perf_counter() - self._since)
        super().__exit__(*exc_info)


def build(path: Path, count: int) -> None:
    store = StateStore.open(path, background=False)
    papers = [make_paper(i) for i in range(count)]
    store.set_starred(papers, True)
    for i, paper in enumerate(papers):
        store.set_note(paper, f"Relevant to chapter {i % 7}; compare with the baseline.")
    store.close()


def sizes(path: Path) -> str:
    journal = path.with_name(path.name + ".journal")
    size = path.stat().st_size + (journal.stat().st_size if journal.exists() else 0)
    return f"{size / 1e6:.1f} MB"


def child(code: str, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)  # fmt: skip


MEMORY = """
import sys
def peak():  # VmHWM: this process's peak resident memory since exec, in kB
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
from tui_reader.store import StateStore
base = peak()
store = StateStore.open(sys.argv[1], background=False)
store.state("2300.10000")
print(base, peak())
"""

WATCHER = """
import sys, time
from tui_reader.store import StateStore
def seen(ids):
    print(time.time(), flush=True)
store = StateStore.open(sys.argv[1], on_external_change=seen)
print("ready", flush=True)
sys.stdin.readline()
"""

WRITER = """
import sys, time
from tui_reader.store import StateStore
store = StateStore.open(sys.argv[1])
print("ready", flush=True)
n = 0
while True:
    store.set_note("2300.10000", f"n={n}")
    print(n, time.time(), flush=True)
    n += 1
    time.sleep(0.01)
"""


# Runs the command and reports its CPU time, wall time and peak memory. A small process
# of its own starts it: a child forked from this large one would count this one's
# memory in its peak (ru_maxrss keeps the high-water mark from before exec).
TIME_COMMAND = """
import os, subprocess, sys, time
with open(sys.argv[1], "wb") as out:
    start = time.perf_counter()
    process = subprocess.Popen(sys.argv[2:], stdout=out)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
print(status, usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss)
"""


def list_command(env: dict[str, str], out: Path, runs: int = 3, cwd: Path = ROOT) -> str:
    """``digest-reader list --starred --json`` as a user runs it: the whole process
    (interpreter start-up and imports included), its output to a file; CPU time
    (user + system) and peak memory from the kernel's accounting of the process."""
    cpus, walls, peaks = [], [], []
    command = [sys.executable, "-m", "tui_reader", "list", "--starred", "--json"]
    for _ in range(runs):
        timed = subprocess.run(
            [sys.executable, "-c", TIME_COMMAND, str(out), *command],
            cwd=cwd, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        status, cpu, wall, peak = timed.stdout.split()
        assert status == "0", timed.stderr
        cpus.append(float(cpu))
        walls.append(float(wall))
        peaks.append(int(peak) / 1e3)  # kB on Linux
    with out.open("rb") as listed:
        rows = len(json.load(listed))
    return (
        f"list --starred --json ({rows:,} papers, {runs} runs): CPU "
        f"{min(cpus):.2f}-{max(cpus):.2f} s, wall {min(walls):.2f}-{max(walls):.2f} s, "
        f"peak memory {max(peaks):.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--list-only", action="store_true")
    args = parser.parse_args()
    lock_module.InterProcessLock = TimedLock  # type: ignore[misc]
    import tui_reader.store.persist as persist

    persist.InterProcessLock = TimedLock  # type: ignore[misc]

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "state.json"
        t0 = time.perf_counter()
        build(path, args.papers)
        print(f"built {args.papers:,} starred and noted papers in {time.perf_counter() - t0:.1f} s")
        print(f"state on disk: {sizes(path)}")
        if args.list_only:
            env = dict(os.environ, DIGEST_READER_DB=str(path), PYTHONPATH=str(ROOT))
            print(list_command(env, Path(folder) / "listed.json", runs=5))
            return

        walls, cpus = [], []
        for _ in range(3):
            w, c = time.perf_counter(), time.process_time()
            store = StateStore.open(path, background=False)
            store.state("2300.10000")
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
            store.close()
        print(f"open() until the first state(): wall median {statistics.median(walls):.2f} s, "
              f"CPU median {statistics.median(cpus):.2f} s")  # fmt: skip

        store = StateStore.open(path, background=False, read_only=True)
        reads = []
        for index in range(0, args.papers, max(1, args.papers // 1000)):
            arxiv_id = make_paper(index).arxiv_id
            start = time.perf_counter()
            assert store.snapshot(arxiv_id) is not None
            reads.append(time.perf_counter() - start)
        store.close()
        print(f"snapshot(id), details read from the file: median "
              f"{statistics.median(reads) * 1e6:.0f} us, max {max(reads) * 1e6:.0f} us "
              f"over {len(reads):,} papers")  # fmt: skip

        start = time.perf_counter()
        lazy = StateStore.open(path, lazy=True)
        returned = time.perf_counter() - start
        lazy.state("2300.10000")
        behind = time.perf_counter() - start
        print(f"open(lazy=True), as the app does: returns in {returned * 1e3:.0f} ms (settings "
              f"ready); papers loaded behind it after {behind:.2f} s")  # fmt: skip
        lazy.close()

        store = StateStore.open(path, background=False)
        flushes = []
        HELD.clear()
        for i in range(20):
            store.set_read([f"2300.{10_000 + i:05d}"], True)
            start = time.perf_counter()
            assert store.flush()
            flushes.append(time.perf_counter() - start)
        held = list(HELD)
        print(f"flush() after one change: median {statistics.median(flushes) * 1e3:.1f} ms, "
              f"max {max(flushes) * 1e3:.1f} ms; lock held median "
              f"{statistics.median(held) * 1e3:.1f} ms, max {max(held) * 1e3:.1f} ms")  # fmt: skip
        HELD.clear()
        start = time.perf_counter()
        store._needs_fold = True
        store.set_read(["2300.10001"], False)
        assert store.flush()
        print(f"fold into a new snapshot (background): {time.perf_counter() - start:.2f} s, "
              f"lock held max {max(HELD) * 1e3:.1f} ms")  # fmt: skip
        store.close()

        env = dict(os.environ, DIGEST_READER_DB=str(path), PYTHONPATH=str(ROOT))
        print(list_command(env, Path(folder) / "listed.json"))

        memory = child(MEMORY, str(path), env=env)
        base, peak = map(int, memory.communicate()[0].split())
        print(f"memory of a process with the store open: {(peak - base) / 1e3:.0f} MB over "
              f"the interpreter's {base / 1e3:.0f} MB; state on disk {sizes(path)}")  # fmt: skip

        watcher = child(WATCHER, str(path), env=env)
        assert watcher.stdout.readline().strip() == "ready"
        mine = StateStore.open(path)
        latencies = []
        for i in range(20):
            time.sleep(0.2)
            sent = time.time()
            mine.set_starred(["2300.10002"], i % 2 == 1)
            latencies.append(float(watcher.stdout.readline()) - sent)
        mine.close()
        watcher.stdin.write("\n")
        watcher.stdin.flush()
        watcher.wait()
        median, worst_seen = statistics.median(latencies) * 1e3, max(latencies) * 1e3
        print(f"a toggle seen by the other copy (another process): median {median:.0f} ms, "
              f"max {worst_seen:.0f} ms")  # fmt: skip

        worst = 0.0
        for _ in range(args.kills):
            writer = child(WRITER, str(path), env=env)
            assert writer.stdout.readline().strip() == "ready"
            time.sleep(random.uniform(0.3, 1.5))
            os.kill(writer.pid, signal.SIGKILL)
            killed = time.time()
            made = [line.split() for line in writer.communicate()[0].splitlines()]
            check = StateStore.open(path, background=False, read_only=True)
            note = check.state("2300.10000").note
            check.close()
            n_disk = int(note.split("=")[1]) if note.startswith("n=") else -1
            newer = [float(t) for n, t in made if int(n) > n_disk]
            lost_age = killed - min(newer) if newer else 0.0
            worst = max(worst, lost_age)
        print(
            f"kill -9 x{args.kills}: oldest lost change {worst * 1e3:.0f} ms old "
            "(target: nothing older than 500 ms)"
        )


if __name__ == "__main__":
    main()
