"""What a key press costs the user: the app's CPU per key, and the lag of a held key.

    python bench/bench_keys.py                       # 30, 10,000, 100,000 at 80x24 and 160x50
    python bench/bench_keys.py 10000 --sizes 160x50 --runs 3
    python bench/bench_keys.py --program /tmp/base/.venv/bin/digest-reader   # another build
    python bench/bench_keys.py 10000 --online        # each case offline, then enriching

For each number of papers and terminal size the installed command runs in a tmux pane
(socket ``-L digest-reader-bench-keys``) with a fresh state file and auto-read on, as
a user runs it.
Once every paper is loaded:

* held key: 150 presses of ``j`` at 30 keys/s, then the time from the last press until
  the detail pane shows the 151st paper's title (the screen is read every 5 ms);
* CPU per key: the process's user + system time from ``/proc/PID/stat`` around N
  presses spaced 80 ms (``j``, ``space``, ``s``, ``J``), and around typing a search
  (``/``, letters, escape), divided by the number of keys. ``j deep`` is ``j`` again
  from the bottom of the first screen (after ``PageDown``), where moves scroll the
  list. After the last press the bench waits until the CPU clock has stood still for
  0.5 s, so the frames that follow the key are counted, not just the key handler.

With ``--online`` each case runs twice in the same run: as above, then with
``online = true`` and the metadata services played back on 127.0.0.1
(``tests/online_helpers.FakeServices``, serving every paper of the digest), so the app
enriches in its background thread at arXiv's pace (a request every 3 s, 100 papers
each) while the keys are pressed; the ``requests`` column says how many it made
meanwhile (0 would mean the figures were taken with nothing going on).

30 papers is the bundled sample; larger digests come from ``bench/synthetic.py`` and
are cached under /tmp/digest-reader-bench/. Needs tmux and Linux's /proc.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_app import cpu_seconds, settle  # noqa: E402  (the same /proc clock)

CACHE = Path("/tmp/digest-reader-bench")
SOCKET = "digest-reader-bench-keys"
SESSION = "keys"
SAMPLE = REPO / "tui_reader" / "data" / "sample-2025-01-03.md"
SPACING = 0.08  # seconds between presses for the CPU figures
HELD_PRESSES, HELD_RATE = 150, 30.0
SEARCH_TEXT = "network"
ACTIONS = ("j", "space", "s", "J")


def tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=False
    ).stdout


def send(key: str) -> None:
    tmux("send-keys", "-t", SESSION, key)


def screen() -> list[str]:
    return tmux("capture-pane", "-p", "-t", SESSION).splitlines()


def digest_for(count: int) -> Path:
    if count <= 30:
        return SAMPLE
    from bench.synthetic import write_digests

    target = CACHE / f"digest-{count}.md"
    if not target.exists():
        write_digests(count, target)
    return target


def titles_of(path: Path) -> list[str]:
    """Titles in list order, as the app displays them."""
    from tui_reader.digest import DigestReader
    from tui_reader.ui.rendering import display_title

    return [display_title(paper.title) for batch in DigestReader(path).batches() for paper in batch]


def detail_region(lines: list[str], width: int) -> str:
    """The detail pane's text: right of the list, or below its bottom border (narrow)."""
    if width < 100:
        border = next((n for n, line in enumerate(lines) if line.startswith("▁▁▁▁")), 0)
        return "\n".join(lines[border + 1 :])
    # Right of the list's border, wherever the stylesheet puts it.
    return "\n".join(line.partition("▕")[2] for line in lines)


def launch(command: str, width: int, height: int, ready: Callable[[str], bool]) -> int:
    """Run ``command`` in a fresh pane; its pid once ``ready(screen text)`` and idle."""
    tmux("kill-server")
    tmux("new-session", "-d", "-s", SESSION, "-x", str(width), "-y", str(height),
         f"exec {command}")  # fmt: skip
    pid = int(tmux("display-message", "-p", "-t", SESSION, "#{pane_pid}").strip())
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if ready("\n".join(screen())):
            settle(pid)
            return pid
        time.sleep(0.05)
    raise RuntimeError(f"{command} never got ready:\n" + "\n".join(screen()))


def loaded(text: str) -> bool:
    return "papers" in text and "loading…" not in text


def start(path: Path, state: Path, width: int, height: int, program: str,
          services: object | None = None) -> int:  # fmt: skip
    config = state.parent / "config.toml"
    env = f"DIGEST_READER_DB={state} DIGEST_READER_CONFIG={config}"
    if services is not None:
        config.write_text("online = true\n")
        env += (f" DIGEST_READER_ARXIV_API={services.arxiv_url}"
                f" DIGEST_READER_VENUE_API={services.venue_url}")  # fmt: skip
    return launch(f"env {env} '{program}' '{path}'", width, height, loaded)


def services_for(path: Path):
    """The metadata services, played back on 127.0.0.1 for every paper of ``path``."""
    from tests.online_helpers import FakePaper, FakeServices
    from tui_reader.digest import DigestReader
    from tui_reader.online.arxiv_api import request_id

    served = {}
    for batch in DigestReader(path).batches():
        for paper in batch:
            served[request_id(paper.arxiv_id)] = FakePaper(
                request_id(paper.arxiv_id), paper.version or 1, paper.title + ": on arXiv",
                paper.authors, paper.abstract, s2={"venue": "Synthetic Conference",
                "publicationVenue": {"name": "Synthetic Conference", "type": "conference"}},
            )  # fmt: skip
    return FakeServices(served)


def held_key_lag(pid: int, title: str, width: int) -> float:
    """Seconds from the last of 150 presses at 30 keys/s until the final paper shows."""
    probe = title[:20]
    begin = time.perf_counter()
    for press in range(HELD_PRESSES):
        delay = begin + press / HELD_RATE - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        send("j")
    last = time.perf_counter()
    while time.perf_counter() - last < 10:
        if probe in detail_region(screen(), width):
            return time.perf_counter() - last
        time.sleep(0.005)
    raise RuntimeError(f"{title!r} never showed:\n" + "\n".join(screen()))


def cpu_per_key(pid: int, keys: list[str]) -> float:
    before = cpu_seconds(pid)
    for key in keys:
        send(key)
        time.sleep(SPACING)
    return (settle(pid) - before) / len(keys)


def measure(count: int, width: int, height: int, presses: int, program: str,
            online: bool = False) -> dict:  # fmt: skip
    path = digest_for(count)
    titles = titles_of(path)
    figures: dict[str, float] = {}
    with contextlib.ExitStack() as stack:
        scratch = stack.enter_context(tempfile.TemporaryDirectory())
        services = stack.enter_context(services_for(path)) if online else None
        pid = start(path, Path(scratch) / "state.json", width, height, program, services)
        asked = len(services.requests) if services is not None else 0
        try:
            if len(titles) > HELD_PRESSES:
                figures["held"] = held_key_lag(pid, titles[HELD_PRESSES], width)
                settle(pid)
            send("g")
            settle(pid)
            for action in ACTIONS:
                figures[action] = cpu_per_key(pid, [action] * presses)
            # A walk down the list past its first screen: every move may scroll it.
            send("g")
            send("PageDown")
            settle(pid)
            figures["j deep"] = cpu_per_key(pid, ["j"] * presses)
            search = ["/", *SEARCH_TEXT, "Escape"]
            figures["search"] = cpu_per_key(pid, search * max(1, presses // len(search)))
            figures["requests"] = len(services.requests) - asked if services is not None else 0
        finally:
            send("q")
            time.sleep(0.3)
            tmux("kill-server")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("counts", nargs="*", type=int, default=[30, 10_000, 100_000])
    parser.add_argument("--sizes", default="80x24,160x50", help="terminal sizes, WxH,WxH")
    parser.add_argument("--runs", type=int, default=1, help="runs per case (median shown)")
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--program", default=str(Path(sys.executable).parent / "digest-reader"),
                        help="the command to run (default: this venv's digest-reader)")  # fmt: skip
    parser.add_argument("--online", action="store_true",
                        help="each case also while enriching against local services")  # fmt: skip
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("bench_keys needs tmux")
    columns = [*ACTIONS, "search", "j deep"]
    modes = (False, True) if args.online else (False,)
    print(f"{'papers':>8} {'size':>7} {'online':>6} " + " ".join(f"{c:>7}" for c in columns)
          + f" {'held lag':>9} {'requests':>8}   (CPU ms per key; lag ms after the last of 150 j"
          f" at 30/s; median of {args.runs})", flush=True)  # fmt: skip
    for count in args.counts:
        for size in args.sizes.split(","):
            width, height = (int(n) for n in size.split("x"))
            for online in modes:
                runs = [measure(count, width, height, args.presses, args.program, online)
                        for _ in range(args.runs)]  # fmt: skip
                median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
                held = f"{median['held'] * 1000:>9.0f}" if "held" in median else f"{'-':>9}"
                print(f"{count:>8} {size:>7} {'yes' if online else 'no':>6} "
                      + " ".join(f"{median[c] * 1000:>7.1f}" for c in columns)
                      + f" {held} {median['requests']:>8.0f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
