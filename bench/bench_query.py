"""Benchmark the query language at 100,000 papers: every field, operators, negation.

Run from the repository root:  python bench/bench_query.py [COUNT]   (default 100,000)

Papers: ``bench.synthetic`` digests over 60 days, parsed with ``load_library``. State:
a real ``StateStore`` (temp file) with 2,000 papers read, 2,000 starred, 500 noted;
``tag:`` reads 1,000 tagged states through a wrapper (the store's tags live on another
branch; the query engine reads any state with a ``tags`` attribute).

For each query: CPU time (``time.process_time``, the machine is shared) of the first
run, which builds that field's index, and the median of 5 further runs on the same
``QueryIndex`` with its indexes built but its result caches emptied (the search
index's history of bare-word results and the query index's field-term results), so
no figure is a cache hit. Plain words go to ``SearchIndex`` (its own benchmark is
``bench_search.py``).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import write_digests
from tui_reader.digest import load_library
from tui_reader.query import QueryIndex
from tui_reader.query.parse import parse
from tui_reader.store import StateStore

QUERIES = [
    "sparse attention",
    "author:chen",
    'title:"sparse chaos"',
    "abs:quantization",
    "kw:pruning",
    "id:2501.0001",
    "date:2025-01-01..2025-01-15",
    "digest:2025-02",
    "is:unread",
    "is:starred",
    "note:again",
    "tag:to-cite",
    "-is:read",
    "author:müller OR author:chen",
    "(author:chen OR author:müller) title:sparse -is:read date:2025-01",
    "attention -abs:quantization",
    "-author:chen",
]
REPEATS = 5


@dataclass(frozen=True)
class Tagged:
    read: bool
    starred: bool
    note: str
    tags: tuple[str, ...]


class WithTags:
    """The store, with tags on 1,000 papers (until the store has tags of its own)."""

    def __init__(self, store: StateStore, tagged: set[str]) -> None:
        self._store, self._tagged = store, tagged

    def ids(self):
        return sorted(set(self._store.ids()) | self._tagged)

    def state(self, arxiv_id: str) -> Tagged:
        state = self._store.state(arxiv_id)
        tags = ("to-cite",) if arxiv_id in self._tagged else ()
        return Tagged(state.read, state.starred, state.note, tags)


def cpu(function) -> tuple[float, object]:
    start = time.process_time()
    result = function()
    return time.process_time() - start, result


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        write_digests(count, Path(folder) / "digests", days=60, seed=3)
        seconds, library = cpu(lambda: load_library([Path(folder) / "digests"]))
        papers = library.papers
        python = sys.version.split()[0]
        print(f"{len(papers):,} papers parsed in {seconds:.1f} s CPU (Python {python})")
        store = StateStore.open(Path(folder) / "state.json", background=False)
        store.set_read(papers[:2000], True)
        store.set_starred(papers[1000:3000], True)
        for paper in papers[5000:5500]:
            store.set_note(paper, "read again later")
        states = WithTags(store, {paper.arxiv_id for paper in papers[::100]})
        seconds, _ = cpu(lambda: parse("(a OR b) title:c"))
        print(f"first luqum parse (import + tables): {seconds * 1000:.0f} ms CPU")
        index = QueryIndex(papers)
        print(f"{'query':<68}{'hits':>8}{'first':>9}{'median':>9}")
        for query in QUERIES:
            first, found = cpu(lambda q=query: index.search(q, states))
            again = []
            for _ in range(REPEATS):
                index._search._history.clear()  # no cache hits: bare words ...
                index._cache.clear()  # ... nor field terms
                seconds, _ = cpu(lambda q=query: index.search(q, states))
                again.append(seconds)
            median = statistics.median(again)
            hits = len(found)  # type: ignore[arg-type]
            print(f"{query:<68}{hits:>8,}{first * 1000:>7.0f}ms{median * 1000:>7.1f}ms")
        store.close()


if __name__ == "__main__":
    main()
