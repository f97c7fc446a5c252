"""A state folder shared by two devices (issue 21): scale, and two Syncthing daemons.

    python bench/bench_sync.py                      # both parts
    python bench/bench_sync.py --scale-only --papers 20000 --changes 200000
    python bench/bench_sync.py --syncthing-only --seconds 60 --paused 20
    python bench/bench_sync.py --base /work/wt/sync-base   # also the build before
    python bench/bench_sync.py --syncthing-only --single --program "OTHER-BUILD-COMMAND"

**Scale.** Two devices share a year: 100,000 papers starred and noted (each with its
details), then random changes (read, note, tag) by both devices in turn until there
have been ``--changes`` in all; after each batch the device flushes and the other one
reads its files (``reload``), as two machines behind a sync engine would. The same
changes made to one single state file give the reference. Measured, each in a fresh
process, three runs: ``StateStore.open()`` until the first ``state()`` answers (what
the app's first paint waits for), and ``digest-reader list --starred --json`` (the
whole command, output to a file); and the bytes on disk of the folder against the
single file. With ``--base``, the build in that worktree (the code before this change)
builds its own folder and single file from the same changes at the same time (its
folding rules are part of what is measured), and opens and lists them; the rows of
both builds are interleaved, each with the load average when it ran.

**Syncthing.** ``tests/sync_scenario.py``: two daemons on 127.0.0.1, an app in tmux
and a ``mark`` loop on each side on the same 50 papers for ``--seconds``, side b
offline for ``--paused`` in the middle; then the time until both folders hold the same
files, tags acknowledged and lost, whether both sides list the same state, conflict
copies, and the folder's size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_store import make_paper  # noqa: E402
from bench.bench_store_scale import list_command  # noqa: E402
from tests.sync_helpers import open_as  # noqa: E402
from tui_reader.store import StateStore, peers  # noqa: E402

OPEN = """
import os, sys, time
start = time.perf_counter()
from tui_reader.store import StateStore
store = StateStore.open(sys.argv[1], background=False, read_only=True)
store.state("2300.10000")
times = os.times()
print(time.perf_counter() - start, times.user + times.system)
"""
BUILD = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from bench.bench_sync import build
build(Path(sys.argv[2]), Path(sys.argv[3]), *map(int, sys.argv[4:]))
"""


def changes(rng: random.Random, ids: list[str], count: int):
    for step in range(count):
        arxiv_id = rng.choice(ids)
        what = rng.randrange(3)
        if what == 0:
            yield "read", arxiv_id, rng.random() < 0.8
        elif what == 1:
            yield "note", arxiv_id, f"Relevant to chapter {step % 7}; checked {step}."
        else:
            yield "tag", arxiv_id, f"topic-{step % 40}"


def apply(store: StateStore, batch) -> None:
    for what, arxiv_id, value in batch:
        if what == "read":
            store.set_read([arxiv_id], value)
        elif what == "note":
            store.set_note(arxiv_id, value)
        else:
            store.set_tags([arxiv_id], add=[value])


def build(folder: Path, single: Path, papers: int, total: int, batches: int) -> None:
    """The two devices' folder and the single file, from the same changes."""
    made = [make_paper(i) for i in range(papers)]
    ids = [paper.arxiv_id for paper in made]
    start = time.perf_counter()
    one = StateStore.open(single, background=False)
    a = open_as("a", folder, sync=True)
    b = open_as("b", folder, sync=True)
    for store in (one, a):
        store.set_starred(made, True)
        for i, paper in enumerate(made):
            store.set_note(paper, f"Relevant to chapter {i % 7}; compare with the baseline.")
        assert store.flush()
    b.reload()
    rng = random.Random(7)
    left = total - 2 * papers
    size = max(1, left // batches)
    turn = 0
    while left > 0:
        batch = list(changes(rng, ids, min(size, left)))
        left -= len(batch)
        writer, reader = (a, b) if turn % 2 == 0 else (b, a)
        apply(writer, batch)
        apply(one, batch)
        assert writer.flush() and one.flush()
        reader.reload()
        turn += 1
    for store in (a, b, one):
        store.close()
    print(f"built {papers:,} papers, {total:,} changes in {turn} batches: "
          f"{time.perf_counter() - start:.0f} s")  # fmt: skip


def folder_bytes(folder: Path, names: tuple[str, ...]) -> int:
    return sum(
        p.stat().st_size for p in folder.iterdir() if p.is_file() and p.name.startswith(names)
    )


def sync_table(path: Path) -> dict:
    with path.open("rb") as handle:
        head = handle.readline().rstrip(b"\n")
    return json.loads(head + b"}}")[peers.SYNC_TABLE]


def timed_open(path: Path, env: dict, cwd: Path, runs: int) -> str:
    walls, cpus = [], []
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-c", OPEN, str(path)], cwd=cwd, env=env,
                                capture_output=True, text=True, check=True)  # fmt: skip
        wall, cpu = result.stdout.split()
        walls.append(float(wall))
        cpus.append(float(cpu))
    return (
        f"wall {min(walls):.2f}-{max(walls):.2f} s, CPU (the whole process) "
        f"{min(cpus):.2f}-{max(cpus):.2f} s"
    )


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def on_disk(folder: Path, single: Path, label: str) -> None:
    shared = folder_bytes(folder.parent, ("state.device-",))
    alone = folder_bytes(single.parent, ("state.json",))
    print(f"{label}, on disk: folder of 2 devices {shared / 1e6:.1f} MB, single file "
          f"{alone / 1e6:.1f} MB ({shared / alone:.2f}x)")  # fmt: skip
    for place in (folder.parent, single.parent):
        for name in sorted(os.listdir(place)):
            size = (place / name).stat().st_size
            print(f"    {place.name}/{name}: {size / 1e6:.1f} MB")
    for name in ("a", "b"):
        table = sync_table(folder.with_name(f"state.device-{name}.json"))
        print(f"    device {name}'s snapshot is {table['id']}; it holds {table['holds']}")


def scale(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        root = Path(args.keep or tmp)
        trees = [("this build", ROOT)] + (
            [("the build before", Path(args.base))] if args.base else []
        )
        places = {}
        for label, tree in trees:
            folder, single = root / label / "folder", root / label / "single"
            folder.mkdir(parents=True)
            single.mkdir()
            places[label] = (folder / "state.json", single / "state.json", tree)
        sizes = [str(args.papers), str(args.changes), str(args.batches)]
        builders = [
            subprocess.Popen([sys.executable, "-c", BUILD, str(tree), str(folder), str(single),
                              *sizes], cwd=tree, env=dict(os.environ, PYTHONPATH=str(tree)))
            for folder, single, tree in places.values()
        ]  # fmt: skip
        assert all(builder.wait() == 0 for builder in builders)
        for label, (folder, single, _tree) in places.items():
            on_disk(folder, single, label)
        out = root / "listed.json"
        rows = []
        for label, (folder, single, tree) in places.items():
            rows += [(f"{label}, folder of 2 devices, as device a", folder, tree, "a"),
                     (f"{label}, folder of 2 devices, as device b", folder, tree, "b"),
                     (f"{label}, single file", single, tree, "a")]  # fmt: skip
        for label, path, cwd, device in sorted(rows, key=lambda row: row[0].split(", ", 1)[1]):
            run_env = dict(os.environ, DIGEST_READER_DEVICE=device, PYTHONPATH=str(cwd))
            before = load()
            opened = timed_open(path, run_env, cwd, args.runs)
            run_env["DIGEST_READER_DB"] = str(path)
            listed = list_command(run_env, out, args.runs, cwd=cwd)
            print(f"{label} (load {before} .. {load()}): open until the first state() "
                  f"{opened}; {listed}")  # fmt: skip


def syncthing(args: argparse.Namespace) -> None:
    from tests import sync_scenario

    with tempfile.TemporaryDirectory(prefix="bench-syncthing-") as tmp:
        start = time.perf_counter()
        if args.program:
            sync_scenario.PROGRAM = args.program.split()
        outcome = sync_scenario.run(
            Path(tmp), seconds=args.seconds, paused=args.paused, sync=not args.single
        )
        sizes = outcome.folder_bytes.items()
        print(
            f"Syncthing, {'one single file' if args.single else 'device files'}, "
            f"{args.seconds:.0f} s with side b offline {args.paused:.0f} s: "
            f"{outcome.marks} mark commands, {outcome.app_keys} app keys; "
            f"{len(outcome.acknowledged)} tags acknowledged, {len(outcome.lost)} lost; "
            f"converged {outcome.converged:.1f} s after the loops stopped; same state on "
            f"both sides: {outcome.same}; conflict copies: {len(outcome.conflicts)}; "
            f"{outcome.starred} starred; apps behind: {outcome.apps_behind or 'none'}; folder "
            + ", ".join(f"{side} {size / 1e3:.0f} kB" for side, size in sizes)
            + f"; whole run {time.perf_counter() - start:.0f} s"
        )
        for line in outcome.lost[:10] + outcome.conflicts[:10]:
            print("    " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=1_000_000)
    parser.add_argument("--batches", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--base", help="a worktree of the build before")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--paused", type=float, default=20.0)
    parser.add_argument("--single", action="store_true", help="Syncthing: no `sync` (before)")
    parser.add_argument("--program", help="Syncthing: the command to run (another build)")
    parser.add_argument("--keep", help="scale: build the state in this folder and keep it")
    parser.add_argument("--scale-only", action="store_true")
    parser.add_argument("--syncthing-only", action="store_true")
    args = parser.parse_args()
    print(f"machine: {os.uname().machine}, {os.cpu_count()} cores; load {load()}")
    if not args.syncthing_only:
        scale(args)
    if not args.scale_only:
        syncthing(args)


if __name__ == "__main__":
    main()
