"""Export cost per format, the whole way the CLI and the app go (``export_papers``).

    .venv/bin/python bench/bench_export.py [--papers 10000] [--rounds 5]

Makes a synthetic digest (``bench/synthetic.py``: math, LaTeX specials, non-ASCII
names), reads it, and times ``export_papers(store, papers, "all", fmt=...)`` for each
format: the papers' selection, citation keys (assigned once, before the rounds), the
entries made safe for a file (``exporters.safe_entry``) and the text. Prints the CPU
time of each round (``time.process_time``: the machine's other load inflates it less
than wall time), best first. Run it in a checkout of another build to compare.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import generate_digest
from tui_reader.digest import load_library
from tui_reader.export import export_papers
from tui_reader.exporters import FORMATS
from tui_reader.store import StateStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        digest = Path(folder) / "2025-01-03.md"
        digest.write_text(generate_digest(args.papers), encoding="utf-8")
        papers = load_library([digest]).papers
        store = StateStore.open(Path(folder) / "state.json", background=False, read_only=True)
        export_papers(store, papers, "all")  # the keys, once
        print(f"{len(papers):,} papers, {args.rounds} rounds, CPU s (best first)")
        for fmt in FORMATS:
            times = []
            for _ in range(args.rounds):
                start = time.process_time()
                export_papers(store, papers, "all", fmt=fmt)
                times.append(time.process_time() - start)
            print(f"{fmt:<10} " + " ".join(f"{t:.2f}" for t in sorted(times)))
        store.close()


if __name__ == "__main__":
    main()
