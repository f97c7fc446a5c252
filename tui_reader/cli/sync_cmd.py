"""``digest-reader sync``: keep the state in a folder that a sync engine or git carries.

API: ``run_sync(args) -> int``.

Rules: the state file named by ``--db`` / ``$DIGEST_READER_DB`` / the default names the
folder's place; this device's own files are made there (``store.devices``), today's
single file is upgraded into them with a copy kept in ``<stem>.backups``, and every
store opened on that path from then on (the app, ``list``, ``mark``...) reads every
device's files and writes only this device's. Run it once per machine; running it again
only says what is there. A change that did not reach the disk is exit 1.
"""

from __future__ import annotations

import argparse

from ..sanitize import printable
from ..store import StateStore
from ..store.devices import device_files
from .common import CommandError, chosen_state_path, save, warn


def run_sync(args: argparse.Namespace) -> int:
    path = chosen_state_path(args)
    store = StateStore.open(path, background=False, sync=True)
    try:
        if store.device is None:
            raise CommandError(store.notices[0] if store.notices else "no device id")
        save(store, "this device's files")
    finally:
        store.close()
        for notice in store.notices:
            warn(notice)
    devices = sorted(device_files(path))
    others = [d for d in devices if d != store.device]
    print(f"state folder: {printable(str(path.parent))}")
    print(
        f"this device: {printable(store.device)} (writes {printable(store.path.name)} and "
        "its .journal)"
    )
    print(f"other devices: {printable(', '.join(others)) if others else 'none yet'}")
    print("In git, ignore *.lock and .*.tmp; every other file can be committed.")
    return 0
