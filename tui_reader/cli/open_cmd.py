"""``digest-reader open`` (the default command): run the app over the digests.

API: ``run_open(args) -> int``; ``connect_store(app, store)`` routes the store's news to
the app's thread; ``exit_cleanly_on_signals(app, store, keep=...)`` (a context manager)
saves and leaves on SIGTERM, SIGHUP, SIGQUIT, SIGINT or a terminal that went away,
calling ``keep()`` first (the app keeps an open note editor's text as a draft).

Rules: the UI (Textual) is imported only here, inside ``run_open``, when the app runs;
the state file is read behind the screen; the command never exits 0 with changes that
are not on disk. The metadata cache is always read; the app fetches more only with
``--online`` or ``online = true`` (``app_online``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..clock import Clock, SystemClock
from ..config import load_config
from ..digest import (
    DigestError,
    check_digest_file,
    find_digest_files,
    no_papers_error,
    ordered_digest_files,
)
from ..locations import config_path
from ..store import LOCK_TIMEOUT, StateStore
from .common import EXIT_NOT_SAVED, chosen_state_path, digest_paths, warn


def run_open(args: argparse.Namespace) -> int:
    config = load_config(config_path())
    paths = digest_paths(args.paths, config)
    files, problems = find_digest_files(paths)
    readable = []
    for path in files:
        try:
            check_digest_file(path)
            readable.append(path)
        except DigestError as error:
            problems.append(error.as_warning())
    if not readable:
        raise no_papers_error(paths, problems)
    files = app_paths(paths)
    words = [*config.highlight, *(w for w in args.highlight if w.strip())]
    auto_read = config.auto_read and not args.no_auto_read

    from ..ui.app import make_app  # the UI only when the app runs

    # Read behind the screen; file events wake it when another copy or device writes.
    store = StateStore.open(chosen_state_path(args), lazy=True, watch=True)
    try:
        app = make_app(files, store, words=words, auto_read=auto_read,
                       read_after=config.read_after, restore=not args.fresh,
                       layout=args.layout, online=app_online(args, config), roots=paths,
                       watch=config.watch and not args.no_watch)  # fmt: skip
        connect_store(app, store)
        with exit_cleanly_on_signals(app, store, keep=app.keep_note_drafts):
            app.run()
    finally:
        store.close()
    for notice in store.notices:
        warn(notice)
    code = app.return_code or 0
    if store.unsaved and code == 0:  # never exit 0 with changes not on disk
        warn(f"changes were NOT saved to {store.path}")
        code = EXIT_NOT_SAVED
    return code


def app_online(args: argparse.Namespace, config) -> dict[str, object]:
    """The app's metadata cache (always read: it is local) and whether to fetch more
    (``--online`` or ``online = true``; never with ``--offline``)."""
    from ..online.cache import MetadataCache, cache_path
    from .enrich_cmd import online_mode

    online = online_mode(args, config) == "online"
    where = None
    if online:
        from ..online.enrich import endpoints

        where = endpoints(config)
    cache = MetadataCache(cache_path(chosen_state_path(args)), writable=online)
    return {"cache": cache, "online": online, "where": where}


def app_paths(paths: Sequence[Path]) -> list[Path]:
    """What the app reads: every digest file below ``paths``, oldest first, then each
    path that holds none (missing, or a folder without digest files). The app reads
    every file again and lists what it skipped, those paths too, in its warnings (W)."""
    _, problems = find_digest_files(paths)
    return [*ordered_digest_files(paths), *dict.fromkeys(problem.path for problem in problems)]


def connect_store(app, store: StateStore) -> None:
    """Route the store's news (from its own thread) to the app's thread."""

    def on_thread(callback):
        def deliver(*args: object) -> None:
            # RuntimeError: the app is closing, there is nothing left to show it on.
            with contextlib.suppress(RuntimeError):
                if app.is_running:
                    app.call_from_thread(callback, *args)

        return deliver

    store.on_external_change = on_thread(app.triage_screen.state_changed_elsewhere)
    store.on_notice = on_thread(app.store_notice)


# How long the app may take to leave after a signal or a lost terminal; past it the
# process ends itself (after the save), whatever the UI's threads are stuck in.
LEAVE_WITHIN = 1.5
TERMINAL_CHECK = 1.0  # seconds between looks at a terminal that did not say it hung up
# SIGINT too: in the app ctrl+c is a key (copy in the note editor), so a SIGINT comes
# from `kill -INT`, and Python's KeyboardInterrupt would skip the drafts and the save.
LEAVING_SIGNALS = ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGINT")


@contextmanager
def exit_cleanly_on_signals(app, store: StateStore, *, grace: float = LEAVE_WITHIN,
                            terminal_fd: int | None = None,
                            keep: Callable[[], object] | None = None,
                            clock: Clock | None = None,
                            end_process: Callable[[int], object] = os._exit,
                            ) -> Iterator[None]:  # fmt: skip
    """SIGTERM, SIGHUP, SIGQUIT, SIGINT or a terminal that went away: save, then leave.

    ``keep()`` (what the app holds only in its widgets: an open note's text) and then
    the store's flush run in a thread (the interrupted main thread may be inside the
    store) and the app is asked to exit with code 128 + the signal's number. A watchdog
    on ``clock`` (real time unless one is passed in) then ends the process with
    ``end_process`` (``os._exit``) if it is still running ``grace`` seconds later, once
    the save is done (at the latest ``LOCK_TIMEOUT + 1`` seconds after that, the longest
    a save waits for another copy's lock): with the terminal gone, Textual's output
    thread dies on EIO and its bounded queue blocks the shutdown forever, and its input
    thread spins on EOF. A thread waits for the terminal (``terminal_fd``, default
    stdin) to hang up (``poll``, which keys do not wake) and treats a hang-up that came
    without SIGHUP the same way.
    """
    clock = clock or SystemClock()
    leaving = threading.Event()

    def leave(code: int) -> None:
        if leaving.is_set():
            return
        leaving.set()
        guard = threading.Lock()
        done: set[str] = set()  # of "saved", "overdue", "ended"

        def settle(what: str) -> None:
            """Once the save has ended and the grace has run out (or the save is stuck
            past its lock's timeout), end the process, once."""
            with guard:
                done.add(what)
                due = {"saved", "overdue"} <= done or "late" in done
                if "ended" in done or not due:
                    return
                done.add("ended")
            end_process(code)

        def save() -> None:
            try:
                if keep is not None:
                    with contextlib.suppress(Exception):  # the state is saved regardless
                        keep()
                store.flush()
            finally:
                settle("saved")

        threading.Thread(target=save, name="save-on-signal", daemon=True).start()
        # Still here after the grace: the UI is stuck. Leave once the save is done
        # (saving matters more than speed), and after a save stuck past its lock's
        # timeout, leave anyway.
        clock.call_later(grace, lambda: settle("overdue"))
        clock.call_later(grace + LOCK_TIMEOUT + 1.0, lambda: settle("late"))
        with contextlib.suppress(Exception):
            app.exit(return_code=code)

    def handler(signum: int, frame: object) -> None:
        leave(128 + signum)

    def watch_terminal(fd: int) -> None:
        import select
        import termios

        # Registered for no event: only a hang-up or an error wakes the poll, never a
        # key, so an idle app is not woken; tcgetattr every TERMINAL_CHECK in case a
        # terminal hangs up without saying so.
        hangup = select.poll()
        hangup.register(fd, 0)
        while not leaving.is_set():
            try:
                woke = hangup.poll(TERMINAL_CHECK * 1000)
                termios.tcgetattr(fd)
            except termios.error:
                woke = True
            except (OSError, RuntimeError):
                return
            if woke:
                leave(128 + signal.SIGHUP)  # app.exit is safe from another thread
                return

    previous = {}
    for name in LEAVING_SIGNALS:
        signum = getattr(signal, name, None)
        if signum is not None:
            previous[signum] = signal.signal(signum, handler)
    fd = sys.stdin.fileno() if terminal_fd is None and sys.stdin.isatty() else terminal_fd
    if fd is not None and os.name == "posix":
        threading.Thread(target=watch_terminal, args=(fd,), name="terminal-watch",
                         daemon=True).start()  # fmt: skip
    try:
        yield
    finally:
        leaving.set()  # stops the terminal watch; a running watchdog still ends us
        for signum, old in previous.items():
            signal.signal(signum, old)
