"""What reading the whole sample with ``space`` costs: presses, CPU, and CPU per paper.

    python bench/bench_read_sample.py                       # this venv's digest-reader
    python bench/bench_read_sample.py --before /tmp/base/.venv/bin/digest-reader --runs 2

``bench_keys.py`` gives the CPU of one key; a layout that shows more of a paper per
key (the 80x24 reading layout: 22 rows instead of 13) costs more per key and needs
fewer keys. This measures the whole task instead: the installed command opens the
bundled sample with ``--no-auto-read`` in a tmux pane (socket ``-L
digest-reader-bench-read``) and a fresh state file, and ``space`` is pressed (every
0.15 s, each press waiting for the screen to change) until the header says 0 unread;
the process's CPU time (``/proc``, as ``bench_app.cpu_seconds``) from before the first
press until it has stood still for 0.5 s after the last. With ``--before`` the two
builds alternate, run by run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import bench_keys  # noqa: E402
from bench.bench_app import cpu_seconds, settle  # noqa: E402

bench_keys.SOCKET = "digest-reader-bench-read"
SAMPLE = REPO / "tui_reader" / "data" / "sample-2025-01-03.md"


def unread(lines: list[str]) -> int | None:
    header = lines[0] if lines else ""
    if " unread" not in header:
        return None
    count = header.split(" unread")[0].rsplit("· ", 1)[-1].replace(",", "")
    return int(count) if count.isdigit() else None


def read_the_sample(program: str, width: int, height: int) -> tuple[int, float]:
    """Presses of space and CPU seconds to read all 30 papers."""
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as scratch:
        state = Path(scratch) / "state.json"
        env = f"DIGEST_READER_DB={state} DIGEST_READER_CONFIG={Path(scratch) / 'none.toml'}"
        command = f"env {env} '{program}' --no-auto-read '{SAMPLE}'"
        pid = bench_keys.launch(command, width, height, lambda text: "30 unread" in text)
        try:
            before = cpu_seconds(pid)
            presses = 0
            while unread(bench_keys.screen()) != 0 and presses < 200:
                shown = bench_keys.screen()
                bench_keys.send("Space")
                presses += 1
                deadline = time.monotonic() + 5
                while bench_keys.screen() == shown and time.monotonic() < deadline:
                    time.sleep(0.01)
                time.sleep(0.15)
            return presses, settle(pid) - before
        finally:
            bench_keys.send("q")
            time.sleep(0.5)
            bench_keys.tmux("kill-server")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="80x24,120x36", help="terminal sizes, WxH,WxH")
    parser.add_argument("--runs", type=int, default=1, help="runs per build (median shown)")
    parser.add_argument("--program", default=str(Path(sys.executable).parent / "digest-reader"))
    parser.add_argument("--before", help="another build's digest-reader, run in turn")
    args = parser.parse_args()
    builds = {"after": args.program} if not args.before else {
        "before": args.before, "after": args.program}  # fmt: skip
    print(f"{'size':>7} {'build':>7} {'presses':>8} {'CPU ms':>8} {'per paper':>10}"
          f"   (median of {args.runs})", flush=True)  # fmt: skip
    for size in args.sizes.split(","):
        width, height = (int(n) for n in size.split("x"))
        results: dict[str, list[tuple[int, float]]] = {name: [] for name in builds}
        for run in range(args.runs):
            for name in list(builds) if run % 2 == 0 else list(builds)[::-1]:
                results[name].append(read_the_sample(builds[name], width, height))
        for name, runs in results.items():
            presses = statistics.median(p for p, _ in runs)
            cpu = statistics.median(c for _, c in runs) * 1000
            print(f"{size:>7} {name:>7} {presses:>8.0f} {cpu:>8.0f} {cpu / 30:>10.1f}",
                  flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
