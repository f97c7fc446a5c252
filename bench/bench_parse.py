"""Parse time and peak memory of the digest parser at 10,000 and 100,000 papers.

    python bench/bench_parse.py            # both sizes
    python bench/bench_parse.py 10000      # one size
    python bench/bench_parse.py --mixed 25000   # 250 files of every layout vs the main one

Each measurement runs in a fresh subprocess, so one size's memory does not count
against the next. Time is the best of --repeat runs of ``parse_digest``, as wall clock
and as CPU time (user + system, steadier on a shared machine); peak memory is the
traced Python heap (tracemalloc) of one more run, and the process's peak RSS, which
also counts the interpreter itself.

``--mixed N`` loads a folder of 250 generated files in every layout
(``bench.synthetic_layouts``) with ``load_library``, and a folder of 250 main-layout
files with the same number of papers, and prints the CPU time per paper of each, and
of each layout's files alone (each round loads every group once, so that a change of
the machine's load falls on all; the best round counts), and the mixed folder's time
over the main folder's in each round. ``--against DIR`` measures the build checked out
in DIR too (``git worktree add --detach DIR main``), one round of each build in turn:

    python bench/bench_parse.py --mixed 25000 --repeat 5 --against ../main-base
"""

from __future__ import annotations

import argparse
import json
import os
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
times, cpu = [], []
for _ in range(repeat):
    start, start_cpu = time.perf_counter(), time.process_time()
    papers = parse_digest(path).papers
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)
    count = len(papers)
    del papers
    gc.collect()
tracemalloc.start()
parsed = parse_digest(path)
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(json.dumps({"count": count, "best": min(times), "median": sorted(times)[len(times) // 2],
                  "cpu": min(cpu),
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


MIXED_CHILD = """
import gc, json, sys, time
from pathlib import Path
from tui_reader.digest import load_library
folders, repeat = [Path(p) for p in sys.argv[2:]], int(sys.argv[1])
groups = {}
for folder in folders:
    groups[f"{folder.name}/all"] = [folder]
    for path in sorted(folder.iterdir()):
        if path.stem[11:]:  # 2025-01-03-LAYOUT.md: the mixed folder, by layout
            groups.setdefault(f"{folder.name}/{path.stem[11:]}", []).append(path)
result = {name: {"count": 0, "cpu": []} for name in groups}
for _ in range(repeat):  # each round loads every group once: load changes touch all
    for name, paths in groups.items():
        start = time.process_time()
        library = load_library(paths)
        result[name]["cpu"].append(time.process_time() - start)
        result[name]["count"] = len(library.papers)
        assert not library.warnings, library.warnings[:3]
        del library
        gc.collect()
print(json.dumps(result))
"""


def _mixed_round(source: Path, folders: list[Path], repeat: int) -> dict:
    """CPU times of each group's loads by the build in ``source`` (a checkout)."""
    result = subprocess.run(
        [sys.executable, "-c", MIXED_CHILD, str(repeat), *map(str, folders)],
        check=True, capture_output=True, text=True, cwd=source,
        env={**os.environ, "PYTHONPATH": str(source)},
    )  # fmt: skip
    return json.loads(result.stdout)


def mixed(count: int, folder: Path, repeat: int, against: Path | None = None) -> None:
    """The table of ``--mixed``; with ``against`` (another checkout, main's build), both
    builds in turn, one round each at a time, so that the machine's load falls on both."""
    sys.path.insert(0, str(REPO))
    from bench.synthetic import write_digests
    from bench.synthetic_layouts import write_mixed

    mixed_folder, main_folder = folder / f"mixed-{count}", folder / f"main-{count}"
    if not mixed_folder.exists():
        write_mixed(count, mixed_folder, files=250)
    if not main_folder.exists():
        write_digests(count, main_folder, days=250)
    builds = {"this": REPO, **({"against": against} if against else {})}
    times: dict[str, dict] = {build: {} for build in builds}
    for _ in range(repeat if against else 1):
        for build, source in builds.items():
            rounds = 1 if against else repeat
            for name, f in _mixed_round(source, [main_folder, mixed_folder], rounds).items():
                known = times[build].setdefault(name, {"count": f["count"], "cpu": []})
                known["cpu"] += f["cpu"]
    main_all, mixed_all = f"{main_folder.name}/all", f"{mixed_folder.name}/all"
    for build, figures in times.items():
        if against:
            print(f"\n{build} build: {builds[build]}")
        base = figures[main_all]
        per_paper = min(base["cpu"]) / base["count"] * 1e6
        print(f"{'files':<28} {'papers':>7} {'CPU s':>7} {'us/paper':>9} {'x main':>7}")
        for name, f in figures.items():
            us = min(f["cpu"]) / f["count"] * 1e6
            print(f"{name:<28} {f['count']:>7} {min(f['cpu']):>7.3f} {us:>9.1f} "
                  f"{us / per_paper:>7.2f}")  # fmt: skip
        ratios = [m / a for m, a in zip(figures[mixed_all]["cpu"], base["cpu"], strict=True)]
        print("mixed/main, each round:", " ".join(f"{r:.2f}" for r in ratios))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("counts", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep generated digests in this folder")
    parser.add_argument(
        "--mixed", type=int, metavar="N", help="N papers in 250 files of every layout"
    )
    parser.add_argument(
        "--against", type=Path, metavar="DIR",
        help="with --mixed: also measure the build checked out in DIR, in turn with this one",
    )  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        if args.mixed:
            mixed(args.mixed, folder, args.repeat, args.against)
            return
        print(f"{'papers':>8} {'file MB':>8} {'best s':>7} {'median s':>9} {'CPU s':>6} "
              f"{'heap peak MB':>13} {'x file':>7} {'RSS MB':>7}")  # fmt: skip
        for count in args.counts:
            repeat = args.repeat if count <= 20_000 else max(2, args.repeat // 2)
            f = measure(count, folder, repeat)
            size_mb, peak_mb = f["size"] / 1e6, f["peak"] / 1e6
            print(f"{f['count']:>8} {size_mb:>8.1f} {f['best']:>7.2f} {f['median']:>9.2f} "
                  f"{f['cpu']:>6.2f} {peak_mb:>13.0f} {peak_mb / size_mb:>7.2f} "
                  f"{f['rss'] / 1e6:>7.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
