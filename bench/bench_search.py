"""Benchmark ``/`` search: index build time and memory, and time per keystroke.

Run from the repository root:  python bench/bench_search.py [COUNT ...]

For each size (default 10,000 and 100,000 synthetic papers, generated into a temp dir
by ``bench.synthetic`` and parsed with ``parse_digest``) it prints

* the first-search index build: time (best of 3) and memory (the buffer itself and the
  traced Python heap it added);
* fresh searches: each query as if pasted into an empty search box (no history);
* typing: each query typed one character at a time, then erased again with
  backspace, as the search box sends it; every keystroke is one ``search`` call and
  is timed. Target: a keystroke <= 50 ms at 100,000 papers.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import write_digests
from tui_reader.digest import parse_digest
from tui_reader.search import SearchIndex

# Common words (in nearly every synthetic paper), medium (a bold keyword, an author
# name), rare (an old-style id, a word no paper has), ids, phrases and 2-3 terms.
QUERIES = [
    "model",
    "quantiz",
    "müller",
    "pivotkv",
    "hep-th",
    "2501.00042",
    "xylophone",
    '"attention heads"',
    "sparse attention",
    "łukasz kowalski",
    "model quantiz müller",
    "kv cache memory",
]


def timed(function, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def measure(count: int, folder: Path) -> None:
    path = folder / f"search-{count}.md"
    if not path.exists():
        write_digests(count, path)
    papers = parse_digest(path).papers
    print(f"\n== {len(papers):,} papers ({path.stat().st_size / 1e6:.0f} MB digest) ==")

    builds = []
    for _ in range(3):
        index = SearchIndex(papers)
        gc.collect()
        seconds, _ = timed(index.build)
        builds.append(seconds)
    del index
    gc.collect()
    tracemalloc.start()
    index = SearchIndex(papers)
    index.build()
    heap, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    buffer = len(index._blob)
    print(
        f"index build: best {min(builds) * 1000:.0f} ms (runs: "
        f"{', '.join(f'{s * 1000:.0f}' for s in builds)} ms); buffer {buffer / 1e6:.0f} MB, "
        f"heap added {heap / 1e6:.0f} MB (peak {peak / 1e6:.0f} MB)"
    )

    print(f"\n{'fresh query':<24} {'ms':>7} {'papers':>8}")
    for query in QUERIES:
        index._history.clear()  # as if pasted into an empty search box
        seconds, found = timed(index.search, query)
        print(f"{query:<24} {seconds * 1000:>7.1f} {len(found):>8}")

    print(f"\n{'typed query':<24} {'keys':>5} {'median':>7} {'max':>6}  ms per keystroke")
    every = []
    for query in QUERIES:
        index._history.clear()
        steps = [query[:end] for end in range(1, len(query) + 1)]
        steps += steps[-2::-1]  # backspace back to one character
        times = [timed(index.search, step)[0] * 1000 for step in steps]
        every.extend(times)
        shown = " ".join(f"{t:.0f}" for t in times[: len(query)])
        print(
            f"{query:<24} {len(times):>5} {statistics.median(times):>7.1f} {max(times):>6.1f}"
            f"  {shown}"
        )
    every.sort()
    over = sum(t > 50 for t in every)
    print(
        f"\nall {len(every)} keystrokes: median {statistics.median(every):.1f} ms, "
        f"90th percentile {every[int(len(every) * 0.9)]:.1f} ms, max {every[-1]:.1f} ms; "
        f"{over} over 50 ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("counts", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--keep", type=Path, help="keep generated digests in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for count in args.counts:
            measure(count, folder)


if __name__ == "__main__":
    main()
