"""What a digest arriving, changing or going costs with a year of digests open.

    python bench/bench_library_update.py                 # 100,000 papers in 250 files
    python bench/bench_library_update.py 10000 --days 50 --runs 3

A folder of daily digests (``bench/synthetic.py``, cached under
/tmp/digest-reader-bench/) is loaded as the app loads it (``DigestLoader`` batches
into a ``Triage`` over a fresh state store), then each case is timed, as the app runs
it: reading the file (``read_when_quiet``, in the app's worker), the merge
(``OpenDigests.update``, in the worker) and putting it on the screen's model
(``Triage.apply_update``, on the UI thread: what a user could feel). The view is
filtered to unread papers, as in daily use. Cases, each undone before the next:

* newer: the newest day's file arrives (it was held back when loading);
* changed: the newest day's file is written again with one more paper;
* removed: the oldest day's file is deleted;
* older: an old day's file arrives late (digest order is no longer index order).

The median of ``--runs`` is shown, in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tui_reader.digest import DigestLoader, LibraryBuilder  # noqa: E402
from tui_reader.library_update import OpenDigests, readings_by_file  # noqa: E402
from tui_reader.store import StateStore  # noqa: E402
from tui_reader.triage import Triage  # noqa: E402
from tui_reader.watched_files import read_when_quiet  # noqa: E402

CACHE = Path("/tmp/digest-reader-bench")
EXTRA_PAPER = (
    "## One more paper\n\n>Authors: Ada Lovelace\n\n>2025-01-01\n\n"
    "> http://arxiv.org/abs/2599.99999v1\n\nAn abstract added later.\n"
)


def folder_for(papers: int, days: int) -> Path:
    from bench.synthetic import write_digests

    target = CACHE / f"year-{papers}-{days}d"
    if not target.exists():
        write_digests(papers, target, days=days)
    return target


def opened(folder: Path, store: StateStore) -> tuple[Triage, OpenDigests]:
    papers = [paper for batch in DigestLoader([folder]).batches() for paper in batch]
    builder = LibraryBuilder()
    builder.add(papers)
    triage = Triage(store)
    triage.add_papers(builder.papers)
    triage.set_filter("unread")
    return triage, OpenDigests(readings_by_file(papers), triage.papers, triage.digests)


def timed(case: Callable[[], tuple[list, list]], triage: Triage, library: OpenDigests
          ) -> tuple[float, float, float]:  # fmt: skip
    """(read, merge, apply) seconds of one case; ``case`` changes the files and says
    which were written and which removed."""
    written, removed = case()
    start = time.perf_counter()
    readings = [read_when_quiet(path, quiet=0)[0] for path in written]
    read = time.perf_counter()
    update = library.update(readings, removed)
    merged = time.perf_counter()
    triage.apply_update(update)
    return read - start, merged - read, time.perf_counter() - merged


def run(folder: Path) -> dict[str, tuple[float, float, float]]:
    files = sorted(folder.glob("*.md"))
    newest, oldest, old = files[-1], files[0], files[len(files) // 3]
    texts = {path: path.read_text(encoding="utf-8") for path in (newest, oldest, old)}
    figures = {}
    newest.unlink()  # held back: it arrives in the first case
    old.unlink()
    try:
        with tempfile.TemporaryDirectory() as scratch:
            store = StateStore.open(Path(scratch) / "state.json", background=False)
            triage, library = opened(folder, store)

            def write(path: Path, text: str) -> tuple[list, list]:
                path.write_text(text, encoding="utf-8")
                return [path], []

            def remove(path: Path) -> tuple[list, list]:
                path.unlink()
                return [], [path]

            figures["newer"] = timed(lambda: write(newest, texts[newest]), triage, library)
            figures["changed"] = timed(lambda: write(newest, texts[newest] + EXTRA_PAPER),
                                       triage, library)  # fmt: skip
            figures["removed"] = timed(lambda: remove(oldest), triage, library)
            figures["older"] = timed(lambda: write(old, texts[old]), triage, library)
            store.close()
    finally:
        for path, text in texts.items():
            path.write_text(text, encoding="utf-8")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("papers", nargs="?", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=250)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = folder_for(args.papers, args.days)
    runs = [run(folder) for _ in range(args.runs)]
    print(f"{args.papers:,} papers in {args.days} files; median of {args.runs} runs (ms)")
    print(f"{'case':<8} {'read':>7} {'merge':>7} {'apply':>7}   (read and merge: worker; "
          "apply: UI thread)")  # fmt: skip
    for case in runs[0]:
        read, merge, apply = (statistics.median(run[case][i] for run in runs) for i in range(3))
        print(f"{case:<8} {read * 1000:>7.0f} {merge * 1000:>7.0f} {apply * 1000:>7.0f}")


if __name__ == "__main__":
    main()
