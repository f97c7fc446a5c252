"""CPU per ``j`` against the closest peer, both measured the same way in one run.

    python bench/bench_peer_keys.py --peer /tmp/peer/venv/bin/arxiv-viewer
    python bench/bench_peer_keys.py 10000 100000 --sizes 160x50,80x24 --runs 3 --peer ...

The peer is arxiv-subscription-viewer (``arxiv-viewer``, PyPI; needs Python >= 3.13:
``python3.13 -m venv /tmp/peer/venv && /tmp/peer/venv/bin/pip install
arxiv-subscription-viewer``). It reads arXiv's listing e-mail, which digest-reader also
reads, so both open the same file: N papers in that layout
(``bench/synthetic_layouts.py``, cached under /tmp/digest-reader-bench/). Each program
runs in a tmux pane with a fresh home (the peer) or state file (ours); once loaded and
idle, 60 presses of ``j`` spaced 80 ms, and the process's CPU time (``/proc``) until
it has stood still for 0.5 s, divided by the presses: ``bench_keys.py``'s method.
The programs alternate, run by run, so both see the same machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_app import settle  # noqa: E402
from bench.bench_keys import CACHE, cpu_per_key, launch, send, start, tmux  # noqa: E402


def email_digest_for(count: int) -> Path:
    from bench.synthetic_layouts import _papers, email_digest

    target = CACHE / f"email-{count}.txt"
    if not target.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        day = dt.date(2025, 1, 3)
        target.write_text(email_digest(_papers(random.Random(0), count, day, 0), day),
                          encoding="utf-8")  # fmt: skip
    return target


def measure(program: str, path: Path, size: tuple[int, int], presses: int, peer: bool) -> float:
    with tempfile.TemporaryDirectory() as scratch:
        if peer:
            command = f"env HOME={scratch} '{program}' browse -i '{path}' --no-restore"
            pid = launch(command, *size, lambda text: "Welcome" in text)
            send("Enter")  # the peer's welcome dialog
            settle(pid)
        else:
            pid = start(path, Path(scratch) / "state.json", *size, program)
        try:
            return cpu_per_key(pid, ["j"] * presses)
        finally:
            send("q")
            time.sleep(0.3)
            tmux("kill-server")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("counts", nargs="*", type=int, default=[10_000])
    parser.add_argument("--sizes", default="160x50", help="terminal sizes, WxH,WxH")
    parser.add_argument("--runs", type=int, default=3, help="runs per case (median shown)")
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--peer", required=True, help="the peer's arxiv-viewer command")
    parser.add_argument("--program", default=str(Path(sys.executable).parent / "digest-reader"))
    args = parser.parse_args()
    print(f"{'papers':>8} {'size':>7} {'ours':>7} {'peer':>7} {'ratio':>6}"
          "   (CPU ms per j, median of runs; each program alternately)", flush=True)  # fmt: skip
    for count in args.counts:
        path = email_digest_for(count)
        for size_text in args.sizes.split(","):
            size = tuple(int(n) for n in size_text.split("x"))
            ours, theirs = [], []
            for _ in range(args.runs):
                ours.append(measure(args.program, path, size, args.presses, peer=False))
                theirs.append(measure(args.peer, path, size, args.presses, peer=True))
            a, b = statistics.median(ours) * 1000, statistics.median(theirs) * 1000
            print(f"{count:>8} {size_text:>7} {a:>7.1f} {b:>7.1f} {a / b:>6.2f}"
                  f"   ours {[round(x * 1000, 1) for x in ours]}"
                  f" peer {[round(x * 1000, 1) for x in theirs]}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
