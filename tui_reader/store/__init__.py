"""The reader's judgements — read, starred, note, tags — kept so that they are never lost.

This package owns the state files: a TinyDB JSON snapshot (``snapshot``) holding, per
paper, what the reader decided about it, plus the citation keys the BibTeX export
assigned and a few app settings; and beside it an append-only journal (``journal``) of
the changes made since the snapshot was written. It is plain Python (no Textual) and
safe to use from the UI thread: every mutation is applied to an in-memory working copy
at once and appended to the journal by a background thread shortly afterwards.

Files of the package, one concern each: ``records`` (a record's fields and repairs of
odd values), ``clock`` (the stamps that order changes), ``checks`` (records read from a
file: completed, repaired or refused), ``files`` (what a path really is, safe reads,
atomic writes), ``lock`` (the inter-process lock), ``snapshot`` (the TinyDB file's
layout), ``details`` (paper details read from the snapshot only when asked),
``paper_details`` (a paper's details as stored, and back), ``salvage`` (what is intact
in a damaged file), ``migrations`` (older formats), ``tinydb_file`` (``open_tinydb``),
``journal`` (the append-only change log), ``journal_lines`` (its lines, each used only
when its whole shape is known), ``rows`` (a paper's row of ``list --json``; the
format-4 details line that holds it), ``merge`` (per-field and per-tag merging),
``devices``, ``peers`` and ``shared_folder`` (a folder shared by devices: other
devices' files and conflict copies, read and merged, never written), ``folder_watch``,
``loading`` (reading the files into memory), ``persist`` (writing, folding, the
background thread), ``news`` (notices and callbacks), ``changes`` (the changing API) and
``working`` (``StateStore``: life cycle, reading API, persistence API).

Public API
----------
``PaperState``
    Frozen dataclass: ``read``, ``starred``, ``note``, ``citation_key``, ``updated_at``,
    ``tags`` (a sorted tuple of distinct strings).
``StateStore.open(path, *, background=True, flush_interval=0.01, check_interval=0.02,
on_external_change=None, on_notice=None, read_only=False, lazy=False, clock=None,
sync=False, watch=False) -> StateStore``
    Read the files at ``path`` (the caller decides where it lives; missing folders are
    created on the first write). ``on_external_change(ids)`` is called when changes made
    by another running copy are merged in; ``on_notice(message)`` for every user-facing
    message, which is also appended to ``store.notices``. Both are plain attributes too,
    and are called from whichever thread found the news — usually the background thread,
    so a UI must marshal them to its own thread. Never while a store lock is held.
    ``read_only``: nothing on disk is ever created, moved or written (for ``list`` and
    ``export``), except what ``keep_in_journal()`` appends. ``clock`` (a
    ``clock.Clock``) stamps this copy's changes; tests inject one with their own wall
    clock.
    ``sync``: this device keeps its own files in the folder of ``path``
    (``devices``: ``<stem>.device-<id>.json`` and its journal) and reads every other
    device's; a folder that already holds device files is opened so without asking
    (``store.path`` is then this device's file, ``store.device`` its id).
    ``watch``: file events in the folder wake the background thread, which otherwise
    looks every second instead of every ``check_interval`` (``folder_watch``).

Reading (all O(1) except ``ids``, ``tag_counts`` and ``citation_keys``, which scan):
    ``state(arxiv_id) -> PaperState`` (defaults when unknown), ``known(arxiv_id) -> bool``,
    ``snapshot(arxiv_id) -> Paper | None`` (the paper as it was when starred, noted or
    tagged; its details are read from the file now, one line: opening parses only the
    judgements), ``ids(*, starred=None, read=None, noted=None, tag=None) -> list[str]``
    (sorted), ``tag_counts() -> dict[str, int]``, ``citation_keys() -> dict[str, str]``,
    ``states_and_details(ids, *, rows=False)`` (for listing many: ``(id, state, details
    dict | None)`` in order, adjacent details lines read at once;
    ``paper_details.plain_details`` says when the dict can stand for the ``Paper``;
    with ``rows``, a line that holds its row of ``list --json`` as written gives the
    whole row as text, unparsed, its state spliced in (and None for the state):
    ``rows.row_json`` is the one definition of a row),
    ``get_setting(name, default=None)``, ``unsaved`` and ``save_failing`` (properties),
    ``save_problem`` (what the last failed save ran into, without what happens next, for
    a command about to exit; None once saving works), ``damage`` (what of the state
    could not be read, one message each: a damaged file, entries skipped, journal lines
    not merged, a newer format; empty when read whole),
    ``wait_loaded(timeout=None) -> bool`` (for a worker: the files have been read).

Changing (targets are ``Paper`` objects or id strings; a versioned id is accepted):
    ``set_read(targets, read)``, ``set_starred(targets, starred)``, ``set_note(target,
    note)`` (a blank note deletes it) and ``set_tags(targets, *, add=(), remove=())``
    each make one undo step and return the set of ids whose state actually changed.
    Starring, noting or tagging a ``Paper`` stores its details; passing a ``Paper``
    whose details are kept refreshes them. ``undo() -> set[str] | None`` reverts the last
    step and returns the ids it changed (None when there is nothing to undo).
    ``set_citation_keys(mapping)`` only fills keys that are missing — an assigned key
    never changes. ``set_setting(name, value)`` (JSON values).

Persistence:
    ``flush() -> bool`` appends every change to the journal under the lock and fsyncs
    it (True when everything is on disk, False when saving failed — see ``notices``).
    ``reload() -> set[str]`` merges changes another copy wrote and returns their ids.
    ``keep_in_journal() -> bool`` (a read-only store, for ``export``): append its
    changes (the citation keys it assigned) to the journal of an existing, healthy state
    file, never creating, moving or rewriting the file; False with a notice otherwise.
    ``close()`` stops the thread and flushes; idempotent; also done at interpreter exit.
    A ``StateStore`` is a context manager. ``install_signal_flush(store)`` makes SIGTERM
    and SIGHUP exit through ``SystemExit`` so the store is flushed on the way out.
    ``paused_gc()``: a context with the cyclic collector off, for code that reads or
    walks a large state (millions of objects, none in a cycle).

Why the state survives
----------------------
* A flush appends one fsynced JSON line per changed record to ``<file>.journal`` under
  the inter-process lock (``<file>.lock``): it costs what changed, and ``kill -9`` loses
  at most the changes of the last ``flush_interval``. When the journal has grown, it is
  folded into a new snapshot written beside the old one, fsynced and renamed over it
  (outside the lock; only the rename and the cut of the journal hold it).
* Every field of a record, and every tag, keeps the stamp of its own last change (a
  hybrid logical clock: exact integers, ordered after everything the change replaced,
  the copy's id part of the order); merging takes the later change per field and per
  tag (an assigned citation key is never replaced). The merge is a pure, idempotent
  function of the records, so replaying the journal over a snapshot that already holds
  some of it does no harm, two copies changing different fields of one paper both win,
  and copies adding different tags keep them all. Stamps absurdly far ahead are
  repaired on read (one notice, a copy of the original kept).
* A damaged snapshot is never overwritten: it is moved to ``<file>.corrupt-<time>``
  and every intact record in it is kept (a damaged details line costs that paper's
  details only, never its judgements); odd values (numbers out of range, NaN, lone
  surrogates) are repaired on read with one notice and a copy of the original kept.
* A path that is not a regular file (a folder, a device, a FIFO, a socket, also behind a
  symlink), a file that is not recognisably ours or cannot be read, one beside a
  journal, lock or side file that is a symlink or not a regular file (``ours``), a
  read-only file and a file of a newer format are never written, moved or given a lock
  file: the store says so once and keeps the session's changes in memory; commands
  refuse such a path in one line before they start (``ours.refusal``).
* Conflict copies of its files left by a sync engine (Syncthing, Dropbox, Nextcloud)
  are merged on open and moved to ``<stem>.backups/`` only once this copy's own
  snapshot holds them; in a folder shared by devices, each device writes only its own
  files (``docs/sync.md``).
* Journal lines it cannot use are never merged and never lost: counted in one notice
  and kept in ``<file>.journal.rejected`` by the fold that cuts them. What of the state
  could not be read is in ``damage`` (``list`` and ``export`` exit 3; the app keeps a
  banner).
"""

from __future__ import annotations

import signal
from typing import Any

from . import working
from .loading import paused_gc
from .lock import LOCK_TIMEOUT
from .migrations import MIGRATIONS
from .records import PaperState, StateFileError
from .snapshot import SCHEMA_VERSION
from .working import StateStore, close_open_stores

__all__ = [
    "LOCK_TIMEOUT",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "AtomicJSONStorage",
    "PaperState",
    "StateFileError",
    "StateStore",
    "close_open_stores",
    "install_signal_flush",
    "open_tinydb",
    "paused_gc",
]


def __getattr__(name: str) -> Any:
    if name in ("AtomicJSONStorage", "open_tinydb"):  # TinyDB itself only when asked
        from . import tinydb_file

        return getattr(tinydb_file, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def install_signal_flush(store: StateStore | None = None) -> dict[int, Any]:
    """Make SIGTERM and SIGHUP save the state and exit cleanly.

    The handler raises ``SystemExit(128 + signal number)`` in the main thread, so
    ``finally`` blocks run, ``store`` (and every other open store) is closed — which
    flushes it — by the interpreter's exit hook, and a UI gets to restore the terminal.
    Flushing is not done inside the handler itself: the interrupted code may hold the
    store's locks. Call from the main thread; returns the previous handlers.
    """
    previous: dict[int, Any] = {}

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    if store is not None:
        with working._open_stores_lock:
            if not store._closed:
                working._open_stores.add(store)
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None:
            previous[signum] = signal.signal(signum, handler)
    return previous
