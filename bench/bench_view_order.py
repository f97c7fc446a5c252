"""Benchmark what the app does on the UI thread to sort and select at 100,000 papers.

Run from the repository root:  python bench/bench_view_order.py [COUNT]   (default 100,000)

Papers: ``bench.synthetic`` digests over 60 days, in a ``Triage`` over a real store.
CPU time (``time.process_time``; the machine is shared): ``prepare_sort`` (a sort's
rank of every paper, computed once in a worker thread), then the median of 5 runs of
what the UI thread does when the key is pressed: ``set_sort`` with the rank known,
``set_scores`` under "for you", a search applied under a sort, select-all and the
targets of a verb.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import write_digests
from tui_reader.digest import load_library
from tui_reader.store import StateStore
from tui_reader.triage import Triage

REPEATS = 5


def cpu_ms(function) -> float:
    start = time.process_time()
    function()
    return (time.process_time() - start) * 1000


def median_ms(function) -> float:
    return statistics.median(cpu_ms(function) for _ in range(REPEATS))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        write_digests(count, Path(folder) / "digests", days=60, seed=3)
        papers = load_library([Path(folder) / "digests"]).papers
        store = StateStore.open(Path(folder) / "state.json", background=False)
        triage = Triage(store)
        triage.add_papers(papers)
        print(f"{len(papers):,} papers (Python {sys.version.split()[0]})")
        rows = []
        for name in ("date", "title", "author"):
            rows.append((f"prepare_sort({name!r}) (worker, once)", cpu_ms(
                lambda n=name: triage.prepare_sort(n))))  # fmt: skip
        for name in ("date", "title", "author", "digest"):
            rows.append((f"set_sort({name!r}), rank known", median_ms(
                lambda n=name: triage.set_sort(n))))  # fmt: skip
        scores = [random.random() for _ in papers]
        triage.set_sort("for you")
        rows.append(("set_scores() under 'for you'", median_ms(lambda: triage.set_scores(scores))))
        half = range(0, len(papers), 2)
        triage.set_sort("title")
        rows.append(("set_search(50% of papers) under 'title'",
                     median_ms(lambda: triage.set_search(half))))  # fmt: skip
        triage.set_search(None)

        def select_all_and_back() -> None:
            triage.selection.select_all(triage.view)
            triage.targets(0)
            triage.selection.select_all(triage.view)

        rows.append(("select all in view, targets, unselect", median_ms(select_all_and_back)))
        for label, ms in rows:
            print(f"{label:<48}{ms:>8.0f} ms")
        store.close()


if __name__ == "__main__":
    main()
