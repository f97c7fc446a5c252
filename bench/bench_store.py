"""How fast is the state store with 100,000 papers?  Run: ``python bench/bench_store.py``.

Builds a state file of 100,000 papers (90% read, 5% starred and 2% noted with metadata
snapshots) in a temporary folder, then measures on the calling thread:

* one star toggle (median and p99), with the background thread idle and with it
  flushing every 50 ms while the toggles run (the interpreter lock is shared);
* ``flush()`` after one change: the first after a cold open (every line of the file
  encoded once) and the steady state (only the changed lines re-encoded);
* a cold ``StateStore.open()`` (wall time, and the calling thread's CPU time, which a
  busy machine changes less);
* merging in a change another copy wrote (``reload()``; background-thread work);
* the file size.

Targets: toggle <= 5 ms, flush <= 0.5 s, open <= 0.5 s.

``--scale [--papers N] [--kills K] [--list-only]`` measures issue 9's targets at 100,000 papers that
are all starred and noted instead (``bench_store_scale.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui_reader.model import DigestRef, Paper
from tui_reader.store import StateStore


def make_paper(index: int) -> Paper:
    arxiv_id = f"{2300 + index // 90_000:04d}.{index % 90_000 + 10_000:05d}"
    ref = DigestRef(dt.date(2025, 1, 3), Path("/home/reader/digests/2025-01-03.md"))
    abstract = (
        "We study the behaviour of large language models under distribution shift and "
        "propose a simple method that improves calibration on held-out data. "
    ) * 6
    return Paper(
        arxiv_id=arxiv_id,
        version=2,
        title=f"A study of calibration under distribution shift, part {index}",
        authors=("Alice Example", "Bob Example", "Carol Example", "Dan Example"),
        date=dt.date(2025, 1, 2),
        url=f"https://arxiv.org/abs/{arxiv_id}v2",
        abstract=abstract,
        bold_spans=((4, 12), (40, 52)),
        keywords=("calibration", "distribution shift"),
        source=ref,
        digests=(ref,),
        line=10 + index,
    )


def build(path: Path, count: int) -> list[Paper]:
    papers = [make_paper(i) for i in range(count)]
    store = StateStore.open(path, background=False)
    store.set_read([p.arxiv_id for i, p in enumerate(papers) if i % 10], True)
    store.set_starred([p for i, p in enumerate(papers) if i % 20 == 0], True)
    for i in range(0, count, 50):
        store.set_note(papers[i], f"Relevant to chapter {i % 7}; compare with the baseline.")
    store.close()
    return papers


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def time_toggles(store: StateStore, papers: list[Paper], rounds: int) -> list[float]:
    costs = []
    for i in range(rounds):
        paper = papers[(i * 7919) % len(papers)]
        starred = store.state(paper.arxiv_id).starred
        start = time.perf_counter()
        store.set_starred([paper], not starred)
        costs.append(time.perf_counter() - start)
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--toggles", type=int, default=5_000)
    parser.add_argument("--scale", action="store_true",
                        help="issue 9 targets: 100,000 starred and noted papers")  # fmt: skip
    args, rest = parser.parse_known_args()
    if args.scale:
        from bench import bench_store_scale

        sys.argv = [sys.argv[0], "--papers", str(args.papers), *rest]
        bench_store_scale.main()
        return

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "state.json"
        t0 = time.perf_counter()
        papers = build(path, args.papers)
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}"
        )
        print(f"built {args.papers:,} papers in {time.perf_counter() - t0:.1f} s")
        print(f"file size: {path.stat().st_size / 1e6:.1f} MB")

        opens, open_cpus = [], []
        for _ in range(5):
            start, cpu = time.perf_counter(), time.thread_time()
            store = StateStore.open(path, background=False)
            opens.append(time.perf_counter() - start)
            open_cpus.append(time.thread_time() - cpu)
            store.close()
        print(
            f"cold open(): median {statistics.median(opens) * 1e3:.0f} ms, "
            f"max {max(opens) * 1e3:.0f} ms; CPU of the calling thread median "
            f"{statistics.median(open_cpus) * 1e3:.0f} ms"
        )

        store = StateStore.open(path, background=False)
        store.set_starred([papers[1]], True)
        start = time.perf_counter()
        store.flush()
        first = time.perf_counter() - start
        flushes, flush_cpus = [], []
        for i in range(10):
            store.set_starred([papers[3 + i]], True)
            start, cpu = time.perf_counter(), time.thread_time()
            store.flush()
            flushes.append(time.perf_counter() - start)
            flush_cpus.append(time.thread_time() - cpu)
        store.close()
        print(
            f"flush(): first after open {first * 1e3:.0f} ms, "
            f"steady median {statistics.median(flushes) * 1e3:.0f} ms, "
            f"max {max(flushes) * 1e3:.0f} ms; CPU median "
            f"{statistics.median(flush_cpus) * 1e3:.1f} ms"
        )

        a = StateStore.open(path, background=False)
        b = StateStore.open(path, background=False)
        a.flush()
        reloads, after = [], []
        for i in range(5):
            b.set_note(papers[100 + i], f"from the other copy {i}")
            b.flush()
            start = time.perf_counter()
            a.reload()
            reloads.append(time.perf_counter() - start)
            a.set_read([papers[200 + i]], False)
            start = time.perf_counter()
            a.flush()
            after.append(time.perf_counter() - start)
        a.close()
        b.close()
        print(
            f"reload() after another copy wrote (background thread): median "
            f"{statistics.median(reloads) * 1e3:.0f} ms; the next flush() "
            f"{statistics.median(after) * 1e3:.0f} ms"
        )

        for label, interval in (("background idle", 3600.0), ("flushing every 50 ms", 0.05)):
            store = StateStore.open(path, flush_interval=interval)
            store.flush()  # encode every line once, outside the measurement
            costs = time_toggles(store, papers, args.toggles)
            store.close()
            print(
                f"star toggle ({label}): median {statistics.median(costs) * 1e3:.3f} ms, "
                f"p99 {percentile(costs, 0.99) * 1e3:.3f} ms, max {max(costs) * 1e3:.1f} ms "
                f"over {len(costs):,} toggles"
            )


if __name__ == "__main__":
    main()
