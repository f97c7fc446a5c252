"""Parse time and peak memory of the digest parser at 10,000 and 100,000 papers.

    python bench/bench_parse.py            # both sizes
    python bench/bench_parse.py 10000      # one size

Each measurement runs in a fresh subprocess, so one size's memory does not count
against the next. Time is the best of --repeat runs of ``parse_digest`` (wall clock);
peak memory is the traced Python heap (tracemalloc) of one more run, and the
process's peak RSS, which also counts the interpreter itself.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHILD = """
import gc, json, resource, sys, time, tracemalloc
from pathlib import Path
from tui_reader.digest import parse_digest
path, repeat = Path(sys.argv[1]), int(sys.argv[2])
times = []
for _ in range(repeat):
    start = time.perf_counter()
    papers = parse_digest(path).papers
    times.append(time.perf_counter() - start)
    count = len(papers)
    del papers
    gc.collect()
tracemalloc.start()
parsed = parse_digest(path)
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(json.dumps({"count": count, "best": min(times), "median": sorted(times)[len(times) // 2],
                  "peak": peak, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def measure(count: int, folder: Path, repeat: int) -> dict:
    sys.path.insert(0, str(REPO))
    from bench.synthetic import write_digests

    path = folder / f"digest-{count}.md"
    if not path.exists():
        write_digests(count, path)
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(repeat)],
        check=True, capture_output=True, text=True, cwd=REPO,
    )  # fmt: skip
    figures = json.loads(result.stdout)
    figures["size"] = path.stat().st_size
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("counts", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep generated digests in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"{'papers':>8} {'file MB':>8} {'best s':>7} {'median s':>9} "
              f"{'heap peak MB':>13} {'x file':>7} {'RSS MB':>7}")  # fmt: skip
        for count in args.counts:
            repeat = args.repeat if count <= 20_000 else max(2, args.repeat // 2)
            f = measure(count, folder, repeat)
            size_mb, peak_mb = f["size"] / 1e6, f["peak"] / 1e6
            print(f"{f['count']:>8} {size_mb:>8.1f} {f['best']:>7.2f} {f['median']:>9.2f} "
                  f"{peak_mb:>13.0f} {peak_mb / size_mb:>7.2f} {f['rss'] / 1e6:>7.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
