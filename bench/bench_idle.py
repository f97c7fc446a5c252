"""What the app costs while nobody touches it: CPU per minute of an idle app, from /proc.

    python bench/bench_idle.py                          # this build, watching on and off
    python bench/bench_idle.py --base /work/wt/watch-base/.venv/bin/digest-reader
    python bench/bench_idle.py --seconds 20 --papers 2000 --days 10   # a short look

The installed command runs in a tmux pane (120x36, a socket of its own, a fresh state
file, no config) on a generated folder of daily digests (``bench/synthetic.py``,
cached under /tmp/digest-reader-bench/). Once the first screen shows every paper
(no "loading…"), start-up is left to settle (the ranking's fit, the first paper's
dwell clock and the session write come and go) until the process's CPU clock stands
still for ``--still`` seconds, or ``--settle-limit`` seconds have passed (an app that
ticks all the time never stands still that long). Then the process's user + system
time (``/proc/PID/stat``) is read over ``--seconds`` seconds and given as a percentage
of one core, with each thread's share (``/proc/PID/task``: the app is started by its
venv's python with each Python thread's name given to the OS), and the machine's load
over the same time (``/proc/loadavg``, and the share of all cores busy from
``/proc/stat``): a busy machine delays a process's wake-ups but adds little to its CPU
time.

Runs: this build with watching (the default) and with ``--no-watch``; with ``--base``,
another build (say a worktree of ``main``) as it starts by default; with
``--store-check S``, this build watching with the state store's poll for other copies'
changes every S seconds instead of 0.02 (set in the bench's launcher: what a slower
poll would save). Needs tmux and Linux's /proc.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CACHE = Path("/tmp/digest-reader-bench")
SOCKET = f"digest-reader-bench-idle-{os.getpid()}"
SESSION = "idle"
TICKS = os.sysconf("SC_CLK_TCK")
# The app run by its venv's python with each thread's name given to the OS (prctl), so
# /proc/PID/task/TID/comm says which thread spends the time. Costs nothing once started.
NAMED_THREADS = (
    "import ctypes, sys, threading; libc = ctypes.CDLL(None); "
    "run = threading.Thread.run\n"
    "def named(self):\n"
    "    libc.prctl(15, self.name[:15].encode(), 0, 0, 0)\n"
    "    run(self)\n"
    "threading.Thread.run = named\n"
    "import os\n"
    "if os.environ.get('BENCH_STORE_CHECK'):\n"  # --store-check: what a slower poll costs
    "    from tui_reader.store import StateStore\n"
    "    StateStore.open.__func__.__kwdefaults__['check_interval'] = "
    "float(os.environ['BENCH_STORE_CHECK'])\n"
    'from tui_reader.cli import main; sys.argv[0] = "digest-reader"; sys.exit(main())'
)


def tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=False
    ).stdout


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", SESSION)


def ticks_of(stat_path: Path) -> int:
    """utime + stime, in clock ticks, of a process or thread ``stat`` file."""
    fields = stat_path.read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def start_pane(command: str) -> int:
    """The pid of ``command`` in a new pane (again while the last server is still going)."""
    deadline = time.monotonic() + 30
    while True:
        tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "36", command)
        pid = tmux("display-message", "-p", "-t", SESSION, "#{pane_pid}").strip()
        if pid.isdigit():
            return int(pid)
        if time.monotonic() > deadline:
            raise RuntimeError(f"tmux would not start {command}")
        time.sleep(0.2)


def thread_ticks(pid: int) -> dict[str, int]:
    """CPU ticks per thread, by name (``name#tid`` where two share a name)."""
    ticks: dict[str, int] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = "main" if task.name == str(pid) else (task / "comm").read_text().strip()
            ticks[f"{name}#{task.name}" if name in ticks or name == "digest-reader" else name] = (
                ticks_of(task / "stat")
            )
        except (FileNotFoundError, ProcessLookupError):
            pass  # a thread that ended while we looked
    return ticks


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all cores since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def still_for(pid: int, seconds: float, limit: float) -> float:
    """Wait until the CPU clock has not moved for ``seconds`` (at most ``limit``);
    returns how long it took."""
    start = time.monotonic()
    last, since = ticks_of(Path(f"/proc/{pid}/stat")), time.monotonic()
    while time.monotonic() - since < seconds and time.monotonic() - start < limit:
        time.sleep(0.1)
        now = ticks_of(Path(f"/proc/{pid}/stat"))
        if now != last:
            last, since = now, time.monotonic()
    return time.monotonic() - start


@dataclass
class Idle:
    label: str
    percent: float  # of one core
    threads: list[tuple[str, float]]  # (thread name, percent), busiest first
    load: float  # 1-minute load average at the end
    machine: float  # share of all cores busy over the measurement, percent
    settle: float  # seconds start-up took to settle


def measure(label: str, command: list[str], folder: Path, seconds: float, still: float,
            settle_limit: float, extra_env: str = "") -> Idle:  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        state = Path(scratch) / "state.json"
        env = f"DIGEST_READER_DB={state} DIGEST_READER_CONFIG={Path(scratch) / 'none.toml'}"
        env = f"{env} {extra_env}".strip()
        program = shlex.join([*command, str(folder)])
        try:
            pid = start_pane(f"exec env {env} TERM=xterm-256color {program}")
            deadline = time.monotonic() + 300
            while True:
                text = screen()
                if "papers" in text and "loading…" not in text:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{label}: never loaded; the screen shows:\n{text}")
                time.sleep(0.05)
            settled = still_for(pid, still, settle_limit)
            before, threads_before = ticks_of(Path(f"/proc/{pid}/stat")), thread_ticks(pid)
            busy_before = machine_busy()
            start = time.monotonic()
            time.sleep(seconds)
            after, threads_after = ticks_of(Path(f"/proc/{pid}/stat")), thread_ticks(pid)
            elapsed = time.monotonic() - start
            busy_after = machine_busy()
        finally:
            tmux("send-keys", "-t", SESSION, "q")
            time.sleep(0.5)
            tmux("kill-server")
    threads = sorted(
        ((name, 100 * (ticks - threads_before.get(name, 0)) / TICKS / elapsed)
         for name, ticks in threads_after.items()),
        key=lambda item: -item[1],
    )  # fmt: skip
    busy = busy_after[0] - busy_before[0]
    total = busy_after[1] - busy_before[1]
    return Idle(
        label,
        100 * (after - before) / TICKS / elapsed,
        threads,
        float(Path("/proc/loadavg").read_text().split()[0]),
        100 * busy / total if total else 0.0,
        settled,
    )


def named_threads(program: str) -> list[str]:
    """``program`` (an installed ``digest-reader``) run by its venv's python, its threads
    named for the OS."""
    python = Path(program).parent / "python"
    return [str(python), "-c", NAMED_THREADS] if python.exists() else [program]


def folder_for(papers: int, days: int) -> Path:
    from bench.synthetic import write_digests

    target = CACHE / f"idle-{papers}-{days}d"
    if not target.exists():
        write_digests(papers, target, days=days)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=3000)
    parser.add_argument("--days", type=int, default=30, help="daily digest files")
    parser.add_argument("--seconds", type=float, default=60.0, help="measured idle time")
    parser.add_argument(
        "--still",
        type=float,
        default=3.0,
        help="start-up has settled once the CPU clock stood still this long",
    )
    parser.add_argument("--settle-limit", type=float, default=60.0)
    parser.add_argument(
        "--program",
        default=str(Path(sys.executable).parent / "digest-reader"),
        help="this build's command (default: this venv's digest-reader)",
    )
    parser.add_argument("--base", help="another build's command, run as it starts by default")
    parser.add_argument("--runs", type=int, default=1, help="rounds of every case")
    parser.add_argument(
        "--store-check",
        type=float,
        help="also run this build watching, with the state store looking for "
        "other copies' changes every this many seconds (default 0.02)",
    )
    args = parser.parse_args()  # fmt: skip
    if shutil.which("tmux") is None:
        sys.exit("bench_idle needs tmux")
    folder = folder_for(args.papers, args.days)
    this = named_threads(args.program)
    cases = [("watching", this, ""), ("--no-watch", [*this, "--no-watch"], "")]
    if args.base:
        cases.insert(0, ("base (default)", named_threads(args.base), ""))
    if args.store_check:
        check = f"BENCH_STORE_CHECK={args.store_check}"
        cases.append((f"store {args.store_check:g} s", this, check))
    print(f"{args.papers:,} papers in {args.days} files; {args.seconds:.0f} s idle per run; "
          f"load average before: {Path('/proc/loadavg').read_text().split()[0]}")  # fmt: skip
    print(
        f"{'case':<16} {'CPU %':>6} {'settle s':>9} {'load':>5} {'machine %':>10}  "
        "busiest threads (% of a core)"
    )
    for _ in range(args.runs):
        for label, command, extra_env in cases:
            idle = measure(label, command, folder, args.seconds, args.still, args.settle_limit,
                           extra_env)  # fmt: skip
            threads = ", ".join(f"{n}: {p:.2f}" for n, p in idle.threads[:4] if p > 0)
            print(f"{idle.label:<16} {idle.percent:>6.2f} {idle.settle:>9.1f} {idle.load:>5.2f} "
                  f"{idle.machine:>10.0f}  {threads or '-'}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
