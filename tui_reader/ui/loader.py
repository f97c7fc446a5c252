"""Reading digests off the UI thread and handing papers over as they are read.

``read_digests(paths, worker, hand_over, finished, *, before_hand_over=None,
layout=None, on_batch=None)`` runs in a worker thread: it reads the files with the CLI's
``DigestLoader`` (a file that is not a digest is skipped with a warning, never an
error for the whole set), merges papers
with ``LibraryBuilder``, and calls ``hand_over(new_papers, replaced)`` at once with the
first papers, then at most every ``HANDOVER_INTERVAL`` seconds (each call waits for the
UI thread), and finally ``finished(warnings, skipped)``: the ``DigestWarning`` values
of the files read, and those of the files skipped (each once, in reading order).
``before_hand_over`` runs in the worker before each hand-over (the app waits there for
a large state file, so the UI thread never does). ``layout`` names the digest layout
of every file (``formats``); None detects it per file. ``on_batch`` sees each batch of
papers as its file gave them, before they are merged. A cancelled worker stops
between batches. Once all is read, ``gc.freeze()`` takes the loaded papers out of the
garbage collector's walks.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from textual.worker import Worker

from ..digest import DigestLoader, DigestWarning, LibraryBuilder
from ..model import Paper

HANDOVER_INTERVAL = 0.15  # seconds between hand-overs of loaded papers to the screen


def read_digests(
    paths: Sequence[Path],
    worker: Worker,
    hand_over: Callable[[list[Paper], list[tuple[int, Paper]]], None],
    finished: Callable[[list[DigestWarning], list[DigestWarning]], None],
    *,
    before_hand_over: Callable[[], object] | None = None,
    layout: str | None = None,
    on_batch: Callable[[list[Paper]], object] | None = None,
) -> None:
    builder = LibraryBuilder()
    handed_over = 0  # papers the screen already has
    replaced: set[int] = set()
    last_handover = 0.0

    def send() -> None:
        nonlocal handed_over, last_handover
        if before_hand_over is not None:
            before_hand_over()
        new = builder.papers[handed_over:]
        updated = [(i, builder.papers[i]) for i in sorted(replaced) if i < handed_over]
        handed_over = len(builder.papers)
        replaced.clear()
        hand_over(new, updated)
        last_handover = time.monotonic()

    loader = DigestLoader(paths, layout)
    for batch in loader.batches():
        if worker.is_cancelled:
            return
        if on_batch is not None:
            on_batch(batch)
        replaced.update(builder.add(batch))
        # The first papers go to the screen at once; after that, every
        # HANDOVER_INTERVAL, as each hand-over waits for the UI thread.
        if not handed_over or time.monotonic() - last_handover > HANDOVER_INTERVAL:
            send()
    send()
    # The papers live as long as the app: moved out of the collector's sight, a full
    # collection no longer walks 100,000 papers' objects while the user presses keys.
    gc.freeze()
    skipped = set(loader.skipped)
    warnings = [w for w in [*loader.warnings, *builder.warnings] if w not in skipped]
    finished(warnings, list(loader.skipped))
