"""The app in a real terminal: launch to first title, full load, memory, CPU per key.

    python bench/bench_app.py                 # sample, 10,000 and 100,000 papers
    python bench/bench_app.py 100000 --days 250

For each size, ``digest-reader PATH`` is started in a tmux pane (120x36) with a fresh
state file, and the pane is read every 10 ms:

* first title: from launching the process to the first paper's title on screen;
* loaded: until the header no longer says "loading…" (every paper read);
* peak RSS: the process's high-water mark (VmHWM) once loaded;
* CPU per key: the process's CPU time (user + system, from /proc) over 200 presses
  of ``j`` sent to the terminal after loading, divided by 200. Auto-read is on, so
  each press also marks a paper read. The presses start once the CPU clock has stood
  still for 0.5 s, so work the app does after loading (the "for you" ranking counts
  terms and fits in a worker) is not charged to the keys;
* settled: from launching to that moment (loading and the work after it done), and
  the process's CPU seconds by then.

``--program`` runs another build (e.g. the one before a change) instead of this
venv's ``digest-reader``; ``--no-ranking`` runs it with the "for you" ranking never
started, to tell the ranking's cost from the rest of the app's.

Needs tmux and Linux's /proc. Generated digests are kept in bench/out/.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out"
SOCKET = f"digest-reader-bench-{os.getpid()}"
SAMPLE_FIRST_TITLE = "Sparse chaos in cortical circuits"


def tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=False
    ).stdout


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", "bench")


PROGRAM: list[str] = []
# --no-ranking: the app with the "for you" ranking never started (its timer pushed out),
# to tell what the ranking costs from what the rest of the app does.
NO_RANKING = (
    "import sys, tui_reader.ui.app as app; app.RANK_AFTER = 1e9; "
    'from tui_reader.cli import main; sys.argv[0] = "digest-reader"; sys.exit(main())'
)


def program() -> list[str]:
    if PROGRAM:
        return PROGRAM
    installed = Path(sys.executable).parent / "digest-reader"
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "tui_reader"]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def settle(pid: int, quiet: int = 5) -> float:
    """Wait until the process's CPU clock has not moved for ``quiet`` tenths of a second."""
    last, still = cpu_seconds(pid), 0
    while still < quiet:
        time.sleep(0.1)
        now = cpu_seconds(pid)
        still = still + 1 if now == last else 0
        last = now
    return last


def first_title(path: Path) -> str:
    with (
        path.open(encoding="utf-8")
        if path.is_file()
        else open(sorted(path.glob("*.md"))[0], encoding="utf-8") as handle
    ):
        for line in handle:
            if line.startswith("## "):
                # The list shows what fits; 30 characters are always on screen at 120x36.
                return line[3:33].rstrip()
    raise ValueError(f"no paper in {path}")


def run_once(path: Path, state: Path, presses: int) -> dict[str, float]:
    title = first_title(path)
    env = f"DIGEST_READER_DB={state} DIGEST_READER_CONFIG={state.parent / 'none.toml'}"
    command = " ".join(f"'{part}'" for part in [*program(), str(path)])
    start = time.perf_counter()
    tmux("new-session", "-d", "-s", "bench", "-x", "120", "-y", "36",
         f"exec env {env} {command}")  # fmt: skip
    pid = int(tmux("display-message", "-p", "-t", "bench", "#{pane_pid}").strip())
    figures: dict[str, float] = {}
    deadline = start + 300
    while time.perf_counter() < deadline:
        text = screen()
        if "first" not in figures and title in text:
            figures["first"] = time.perf_counter() - start
        if "first" in figures and "papers" in text and "loading…" not in text:
            figures["loaded"] = time.perf_counter() - start
            break
        time.sleep(0.01)
    else:
        raise RuntimeError(f"the app did not finish loading; screen:\n{screen()}")
    before = settle(pid)
    figures["settled"] = time.perf_counter() - start
    figures["cpu_settled"] = before
    figures["rss"] = peak_rss(pid)
    for _ in range(presses):
        tmux("send-keys", "-t", "bench", "j")
    # Wait until the last press has been handled: the CPU clock stops moving.
    last = settle(pid)
    figures["cpu_per_key"] = (last - before) / presses
    tmux("send-keys", "-t", "bench", "q")
    time.sleep(0.5)
    tmux("kill-server")
    return figures


def digest_for(count: int, days: int) -> Path:
    if count <= 30:
        return REPO / "tui_reader" / "data" / "sample-2025-01-03.md"
    sys.path.insert(0, str(REPO))
    from bench.synthetic import write_digests

    target = OUT / (f"year-{count}-{days}d" if days > 1 else f"digest-{count}.md")
    if not target.exists():
        write_digests(count, target, days=days)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("counts", nargs="*", type=int, default=[30, 10_000, 100_000])
    parser.add_argument("--days", type=int, default=1, help="split into this many daily files")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--program", help="the command to run (default: this venv's)")
    parser.add_argument("--no-ranking", action="store_true",
                        help='never start the "for you" ranking (its cost told apart)')  # fmt: skip
    args = parser.parse_args()
    if args.program:
        PROGRAM.append(args.program)
    if args.no_ranking:
        python = Path(program()[0]).parent / "python"
        PROGRAM[:] = [str(python if python.exists() else sys.executable), "-c", NO_RANKING]
    if shutil.which("tmux") is None:
        sys.exit("bench_app needs tmux")
    print(f"{'papers':>8} {'files':>5} {'first title s':>14} {'loaded s':>9} "
          f"{'settled s':>10} {'CPU s':>6} {'peak RSS MB':>12} {'CPU/key ms':>11}"
          f"   (median of {args.runs} runs)")  # fmt: skip
    for count in args.counts:
        path = digest_for(count, args.days)
        runs = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as scratch:
                runs.append(run_once(path, Path(scratch) / "state.json", args.presses))
        files = len(list(path.glob("*.md"))) if path.is_dir() else 1
        median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        print(f"{count:>8} {files:>5} {median['first']:>14.2f} {median['loaded']:>9.2f} "
              f"{median['settled']:>10.2f} {median['cpu_settled']:>6.2f} "
              f"{median['rss'] / 1e6:>12.0f} {median['cpu_per_key'] * 1000:>11.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
