"""Two apps and a command-line loop on one state file: nothing acknowledged is lost.

Usage: ``python bench/bench_race.py [--seconds 60] [--seed N]``. Needs tmux.

Two copies of the installed app run in tmux (each on its own tmux server) and a loop
runs ``digest-reader mark`` as a script would, all on one state file and the same three
papers of the bundled sample digest, for ``--seconds``:

- each app, every half second, stars or unstars (``s``), marks read or unread (``r``),
  adds one of its own tags or removes a tag the paper has (``t``, then ``name`` or
  ``-name``), or moves to another of the three papers (``j``/``k``);
- the loop adds one of its own tags, removes one, writes a note (``--note``: the app's
  note editor is not driven here) or stars and unstars.

A change counts as acknowledged by the app when the app shows its effect (the
paper's detail pane: its State and Tags lines), and by the command when it exits 0; the
apps' changes are saved within milliseconds, and the apps must exit 0 at the end, which
they never do with a change that is not on disk. At the end the state on disk (a fresh
read-only open, with each field's and each tag's stamp) is compared with every change
by the clock order:

- **lost**: an acknowledged change whose field or tag holds another value on disk under
  a stamp older than the moment the change was asked for (a change made after that
  moment would carry a later stamp: stamps are never behind the wall clock);
- **phantom**: a value on disk that no change asked for at the moment its stamp says
  (a stale value written again under a new stamp, as the old list-of-tags merge did).

Then both apps must show what is on disk: for each paper, its read and star marks in
the list and its tags in the detail pane; the time until they do is measured from the
moment the last change finished. ``run(seconds, seed)`` returns the figures (the test
``tests/test_store_race.py`` runs a short race).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tui_reader.store import StateStore  # noqa: E402

SEED = REPO / "tui_reader" / "data" / "sample-2025-01-03.md"
PAPERS = ["2412.21188", "2412.21140", "2412.21102"]  # the first three rows of the sample
TITLES = [
    "Sparse chaos in cortical circuits",
    "Facilitating large language model Russian",
    "Exploring and Controlling Diversity",
]
MS = 10**12  # a stamp's milliseconds are stamp // MS (tui_reader.store.clock)
TOLERANCE_MS = 5
EDITOR = "name adds"  # the tag editor's hint line
INSTALLED = Path(sys.executable).parent / "digest-reader"


def program() -> list[str]:
    return [str(INSTALLED)] if INSTALLED.exists() else [sys.executable, "-m", "tui_reader"]


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class Change:
    """One change asked for: ``value`` None for a toggle whose outcome was not seen."""

    actor: str
    paper: str
    field: str  # "read", "starred", "note" or "tag:NAME"
    value: object
    sent_ms: int
    acked_ms: int | None = None  # None: not acknowledged


@dataclass
class Race:
    state: Path
    changes: list[Change] = field(default_factory=list)


class App:
    """The installed app in a tmux pane on a server of its own."""

    def __init__(self, name: str, state: Path, folder: Path) -> None:
        self.name = name
        self.socket = f"bench-race-{name}-{uuid.uuid4().hex[:8]}"
        self.row = 0  # the cursor's row among PAPERS
        env = {
            "DIGEST_READER_DB": str(state),
            "HOME": str(folder),
            "DIGEST_READER_CONFIG": str(folder / "none.toml"),
            "TERM": "xterm-256color",
            "COLUMNS": "120",
            "LINES": "36",
            "PYTHONPATH": str(REPO),
        }
        exports = " ".join(f"{key}='{value}'" for key, value in env.items())
        command = " ".join(
            f"'{part}'" for part in [*program(), "--no-auto-read", "--fresh", str(SEED)]
        )
        self.tmux(
            "new-session",
            "-d",
            "-s",
            "app",
            "-x",
            "120",
            "-y",
            "36",
            f"env {exports} {command}; echo exit-code=$?; sleep 600",
        )

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30
        )
        return result.stdout

    def screen(self) -> list[str]:
        return self.tmux("capture-pane", "-p", "-J", "-t", "app").splitlines()

    def keys(self, *keys: str) -> None:
        """Keys by tmux name (``j``, ``Enter``, ``Escape``)."""
        for key in keys:
            self.tmux("send-keys", "-t", "app", key)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "app", "-l", text)

    def wait(self, condition, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition(self.screen()):
                return True
            time.sleep(0.05)
        return False

    def shown(self, lines: list[str] | None = None) -> dict | None:
        """The current paper as the detail pane shows it, or None if it is not shown."""
        lines = self.screen() if lines is None else lines
        detail = [line.partition("▕")[2] for line in lines[1:]]  # right of the list
        if not any(TITLES[self.row] in line for line in detail[:3]):
            return None
        state = next((line for line in detail if line.strip().startswith("State")), None)
        if state is None:
            return None
        tags_line = next((line for line in detail if line.strip().startswith("Tags")), "")
        return {
            "read": "unread" not in state,
            "starred": "★" in state,
            "tags": {word[1:] for word in tags_line.split()[1:] if word.startswith("#")},
        }

    def close(self) -> int | None:
        self.keys("q")
        found = self.wait(lambda lines: any("exit-code=" in line for line in lines), 30)
        code = None
        if found:
            line = next(line for line in self.screen() if "exit-code=" in line)
            code = int(line.split("exit-code=")[1].split()[0])
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        return code


def app_step(app: App, race: Race, rng: random.Random, serial: int) -> None:
    """One action of an app, recorded when the app shows its effect."""
    if any(EDITOR in line for line in app.screen()):  # a tag editor left open: close it
        app.keys("Escape")
        app.wait(lambda lines: not any(EDITOR in line for line in lines), 10)
        return
    before = app.shown()
    if before is None:
        app.wait(lambda lines: app.shown(lines) is not None, 5)
        return
    roll = rng.random()
    paper = PAPERS[app.row]
    if roll < 0.15:  # move to another of the three papers
        target = rng.choice([row for row in range(len(PAPERS)) if row != app.row])
        app.keys(*(["j"] * (target - app.row) if target > app.row else ["k"] * (app.row - target)))
        app.row = target
        app.wait(lambda lines: app.shown(lines) is not None, 10)
        return
    if roll < 0.4:
        name, key, expected = "starred", "s", not before["starred"]
    elif roll < 0.6:
        name, key, expected = "read", "r", not before["read"]
    else:
        present = sorted(before["tags"])
        if present and rng.random() < 0.4:
            tag, expected = rng.choice(present), False
        else:
            tag, expected = f"{app.name}{serial % 5}", True
        name = f"tag:{tag}"
    change = Change(app.name, paper, name, expected, now_ms())
    race.changes.append(change)
    if name.startswith("tag:"):
        app.keys("t")
        if not app.wait(lambda lines: any(EDITOR in line for line in lines), 10):
            app.keys("Escape")
            change.value = None  # the editor never came up: nothing was asked
            return
        app.type(("" if expected else "-") + name[4:])
        app.keys("Enter")
        if not app.wait(lambda lines: not any(EDITOR in line for line in lines), 10):
            change.value = None  # still open: closed at the next step, maybe not saved
            return

        def seen(lines: list[str]) -> bool:
            shown = app.shown(lines)
            return shown is not None and (name[4:] in shown["tags"]) is expected
    else:
        app.keys(key)

        def seen(lines: list[str]) -> bool:
            shown = app.shown(lines)
            return shown is not None and shown[name] is expected

    if app.wait(seen, 10):
        change.acked_ms = now_ms()
    elif not name.startswith("tag:"):
        change.value = None  # a toggle whose outcome was not seen: it may be either


def cli_step(race: Race, rng: random.Random, serial: int, current: dict) -> None:
    paper = rng.choice(PAPERS)
    roll = rng.random()
    if roll < 0.35:
        tag = f"c{serial % 5}"
        args, changes = ["--tag", tag], [(f"tag:{tag}", True)]
    elif roll < 0.55:
        tags = sorted(current.get(paper, set())) or ["c0"]
        tag = rng.choice(tags)
        args, changes = ["--untag", tag], [(f"tag:{tag}", False)]
    elif roll < 0.8:
        note = f"note {serial} from the command line"
        args, changes = ["--note", note], [("note", note)]
    else:
        starred = rng.random() < 0.5
        args, changes = ["--star" if starred else "--unstar"], [("starred", starred)]
    sent = now_ms()
    recorded = [Change("cli", paper, name, value, sent) for name, value in changes]
    race.changes.extend(recorded)
    result = subprocess.run(
        [*program(), "--db", str(race.state), "mark", paper, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )
    if result.returncode == 0:
        acked = now_ms()
        for change in recorded:
            change.acked_ms = acked


def on_disk(state: Path) -> dict[str, dict]:
    """Each paper's fields and tags on disk: name -> (value, stamp). A state of format 4
    (main before issue 17: float seconds, one list of tags) is read too, so that the
    race can be run against it."""
    store = StateStore.open(state, background=False, read_only=True)
    try:
        facts: dict[str, dict] = {}
        for paper in PAPERS:
            doc = store._docs.get(paper)
            if doc is None:
                facts[paper] = {}
                continue
            changed = {name: _stamp(time) for name, time in doc["changed"].items()}
            fields = {name: (doc[name], changed[name]) for name in ("read", "starred", "note")}
            if isinstance(doc["tags"], list):  # format 4: the list's one time for every tag
                doc = {**doc, "tags": dict.fromkeys(doc["tags"], doc["changed"]["tags"])}
            fields.update({f"tag:{t}": (True, _stamp(s)) for t, s in doc["tags"].items()})
            for tag, stamp in doc.get("untagged", {}).items():
                fields[f"tag:{tag}"] = (False, _stamp(stamp))
            facts[paper] = fields
        return facts
    finally:
        store.close()


def _stamp(time: float | int) -> int:
    return int(time * 1000) * MS if isinstance(time, float) else time


def judge(race: Race, end_ms: int) -> dict:
    """Lost and phantom changes (see the module docstring)."""
    disk = on_disk(race.state)
    lost, phantoms = [], []
    for change in race.changes:
        if change.acked_ms is None or change.value is None:
            continue
        value, stamp = disk[change.paper].get(change.field, (None, 0))
        if change.field.startswith("tag:") and value is None:
            value = False
        if value != change.value and stamp // MS < change.sent_ms - TOLERANCE_MS:
            lost.append(change)
    for paper, fields in disk.items():
        for name, (value, stamp) in fields.items():
            if stamp == 0:
                continue  # never changed: the default
            ms = stamp // MS
            if not any(
                change.paper == paper
                and change.field == name
                and change.value in (value, None)
                and change.sent_ms - TOLERANCE_MS
                <= ms
                <= (change.acked_ms or end_ms) + TOLERANCE_MS
                for change in race.changes
            ):
                phantoms.append((paper, name, value, ms))
    return {"lost": lost, "phantoms": phantoms, "disk": disk}


def present_tags(fields: dict) -> set[str]:
    return {name[4:] for name, (value, _) in fields.items() if name.startswith("tag:") and value}


def converged(app: App, disk: dict, within: float) -> bool:
    """Whether the app shows what is on disk for every paper (moving through them),
    each within ``within`` seconds of being asked to."""
    for row, paper in enumerate(PAPERS):
        if row != app.row:
            app.keys(*(["j"] * (row - app.row) if row > app.row else ["k"] * (app.row - row)))
            app.row = row
        fields = disk[paper]
        want = {
            "read": fields.get("read", (False, 0))[0],
            "starred": fields.get("starred", (False, 0))[0],
            "tags": present_tags(fields),
        }
        if not app.wait(lambda lines, want=want: app.shown(lines) == want, within):
            return False
    return True


def seed_state(state: Path) -> None:
    result = subprocess.run(
        [*program(), "--db", str(state), "mark", *PAPERS, "--tag", "seed", "--digest", str(SEED)],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )
    if result.returncode != 0:
        raise SystemExit(f"could not seed the state: {result.stderr}")


def run(seconds: float, seed: int = 1, folder: Path | None = None, within: float = 2.0) -> dict:
    """Race for ``seconds``; the figures (see the module docstring). Each app must show
    each paper as it is on disk ``within`` seconds."""
    folder = Path(tempfile.mkdtemp(prefix="bench-race-")) if folder is None else folder
    state = folder / "state.json"
    race = Race(state)
    sent = now_ms()
    seed_state(state)
    race.changes += [Change("seed", paper, "tag:seed", True, sent, now_ms()) for paper in PAPERS]
    apps = [App(name, state, folder) for name in ("a", "b")]
    try:
        for app in apps:
            if not app.wait(lambda lines, app=app: app.shown(lines) is not None, 60):
                raise SystemExit(f"app {app.name} did not start:\n" + "\n".join(app.screen()))
        import threading

        stop = time.monotonic() + seconds
        current: dict[str, set[str]] = {}

        def app_loop(app: App, rng: random.Random) -> None:
            serial = 0
            while time.monotonic() < stop:
                app_step(app, race, rng, serial)
                serial += 1
                time.sleep(rng.uniform(0.3, 0.7))

        def cli_loop(rng: random.Random) -> None:
            serial = 0
            while time.monotonic() < stop:
                disk = on_disk(state)
                for paper in PAPERS:
                    current[paper] = present_tags(disk[paper])
                cli_step(race, rng, serial, current)
                serial += 1

        threads = [
            threading.Thread(target=app_loop, args=(app, random.Random(seed + n)))
            for n, app in enumerate(apps)
        ]
        threads.append(threading.Thread(target=cli_loop, args=(random.Random(seed + 9),)))
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        end = now_ms()
        ran = time.monotonic() - started
        result = judge(race, end)
        convergence = {}
        for app in apps:
            began = time.monotonic()
            ok = converged(app, result["disk"], within)
            convergence[app.name] = (time.monotonic() - began) if ok else None
    finally:
        codes = {app.name: app.close() for app in apps}
    acked = [change for change in race.changes if change.acked_ms is not None]
    by_kind: dict[str, int] = {}
    for change in acked:
        kind = f"{change.actor} {change.field.split(':')[0]}"
        by_kind[kind] = by_kind.get(kind, 0) + 1
    final = judge(race, end)  # again after the apps quit (they fold at close)
    return {
        "seconds": round(ran, 1),
        "changes asked": len(race.changes),
        "acknowledged": len(acked),
        "acknowledged by kind": dict(sorted(by_kind.items())),
        "lost": [vars(change) for change in final["lost"]],
        "phantoms": final["phantoms"],
        f"apps showed the disk within {within:g} s (seconds to check every paper)": convergence,
        "app exit codes": codes,
        "state": str(state),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("bench_race needs tmux")
    print(json.dumps(run(args.seconds, args.seed), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
