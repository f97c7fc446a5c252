"""Run the whole test suite while the machine is kept busy, and say how it went.

    python bench/busy_suite.py                  # 4 CPU hogs, one run of the suite
    python bench/busy_suite.py --runs 3         # three runs in a row, one load
    python bench/busy_suite.py --hogs 0         # the same, with no added load
    python bench/busy_suite.py -- -k terminal   # arguments after -- go to pytest
    python bench/busy_suite.py --log out/ -- --durations=30   # keep each run's output

The load is ``stress-ng --cpu N`` (``N`` x ``yes > /dev/null`` where stress-ng is
missing), started before the first run and stopped after the last, whatever happens.
The suite runs as the README says (``python -m pytest -n auto``, with
``-p no:randomly``), with this interpreter. Each run prints its last pytest line, its
wall time and ``uptime`` before and after; the exit code is 1 if any run failed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def start_load(hogs: int) -> list[subprocess.Popen[bytes]]:
    if hogs <= 0:
        return []
    if shutil.which("stress-ng"):
        command = [["stress-ng", "--cpu", str(hogs), "--quiet"]]
    else:
        command = [["yes"]] * hogs
    return [
        subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        for args in command
    ]


def stop_load(hogs: list[subprocess.Popen[bytes]]) -> None:
    for hog in hogs:
        if hog.poll() is None:
            os.killpg(hog.pid, signal.SIGTERM)  # its own session: stress-ng's workers too
    for hog in hogs:
        try:
            hog.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(hog.pid, signal.SIGKILL)
            hog.wait()


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run_suite(pytest_args: list[str], log: Path | None) -> tuple[int, str, float]:
    """The exit code, pytest's failures and last line, and the wall time of one run
    (its whole output written to ``log``)."""
    command = [sys.executable, "-m", "pytest", "-n", "auto", "-q", "-p", "no:randomly",
               *pytest_args]  # fmt: skip
    start = time.monotonic()
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    wall = time.monotonic() - start
    if log is not None:
        log.write_text(result.stdout + result.stderr, encoding="utf-8")
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    failures = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    summary = "\n".join([*failures, lines[-1] if lines else result.stderr.strip()[-500:]])
    return result.returncode, summary, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hogs", type=int, default=4, help="CPU hogs to start (0: none)")
    parser.add_argument("--runs", type=int, default=1, help="runs of the suite in a row")
    parser.add_argument("--log", type=Path, help="a folder for each run's whole output")
    parser.add_argument("pytest_args", nargs="*", help="after --: passed to pytest")
    args = parser.parse_args()
    load = "stress-ng" if shutil.which("stress-ng") else "yes"
    print(f"load: {args.hogs} x {load}" if args.hogs > 0 else "load: none added", flush=True)
    hogs = start_load(args.hogs)
    failed = 0
    try:
        for run in range(1, args.runs + 1):
            before = uptime()
            log = None
            if args.log is not None:
                args.log.mkdir(parents=True, exist_ok=True)
                log = args.log / f"run-{run}.txt"
            code, summary, wall = run_suite(args.pytest_args, log)
            failed += code != 0
            print(f"run {run}: {summary}", flush=True)
            print(f"  wall {wall // 60:.0f} min {wall % 60:.0f} s (exit {code})")
            print(f"  uptime before: {before}")
            print(f"  uptime after:  {uptime()}", flush=True)
    finally:
        stop_load(hogs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
