"""How long the app takes to show each kind of huge paper (``tests/huge_inputs.py``).

    .venv/bin/python bench/bench_huge_paper.py [--scale 1.0] [--settle 10]

Opens the app headless (Textual's pilot, 120x36) on a digest whose papers are a small
one, then one per way a text can be huge (a 10 MB line of abstract, 100,000 short lines,
a 1 MB title, 100,000 authors, 50,000 keywords, math and Markdown nested 100,000 deep),
waits ``--settle`` seconds for the background work of a start (the ranking's imports),
then moves onto each paper with ``j`` and prints the wall time until the screen is
drawn and the CPU time of the UI thread alone (``time.thread_time`` on it), which the
machine's other load does not inflate. Run it in a checkout of another build to
compare (copy this script and ``tests/huge_inputs.py`` there).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.huge_inputs import FAMILIES, huge_digest  # noqa: E402
from tui_reader.store import StateStore  # noqa: E402
from tui_reader.ui.app import make_app  # noqa: E402


async def measure(path: Path, state: Path, settle: float) -> list[tuple[str, float, float]]:
    store = StateStore.open(state, background=False)
    app = make_app([path], store, auto_read=False)
    rows = []
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await asyncio.sleep(settle)
        for family in FAMILIES[1:]:
            wall, cpu = time.perf_counter(), time.thread_time()
            await pilot.press("j")
            await pilot.pause()
            rows.append((family, time.perf_counter() - wall, time.thread_time() - cpu))
    store.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--settle", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "2025-01-03.md"
        path.write_text(huge_digest(args.scale))
        print(f"{path.stat().st_size / 1e6:.1f} MB digest (scale {args.scale}), {ROOT}")
        rows = asyncio.run(measure(path, Path(folder) / "state.json", args.settle))
    for family, wall, cpu in rows:
        print(f"{family:<20} wall {wall:7.2f} s   UI-thread CPU {cpu:7.2f} s")


if __name__ == "__main__":
    main()
