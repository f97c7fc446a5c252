"""The snapshot through TinyDB itself: ``open_tinydb(path)`` and its storage.

``AtomicJSONStorage`` reads a snapshot with every paper's details put back into its
record (``"paper"``), and writes one in the snapshot's layout, atomically. It sees the
snapshot only: a running store's newest changes may still be in its journal.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from . import files
from .migrations import META, PAPERS, SETTINGS
from .snapshot import SCHEMA_VERSION, PaperTable, parse, write


class AtomicJSONStorage(Storage):
    """A TinyDB storage that never leaves a half-written file behind.

    ``write`` puts the whole database in a temporary file in the same folder, fsyncs it,
    renames it over the old file and fsyncs the folder. ``read`` raises
    :class:`StateFileError` for a file it cannot use, instead of guessing. It reads and
    writes the snapshot only: a running store's newest changes may still be in its
    journal. Do not write through it while a store has the file open.
    """

    def __init__(self, path: str | os.PathLike[str], create_dirs: bool = True) -> None:
        super().__init__()
        self.path = Path(path)
        self.create_dirs = create_dirs

    def read(self) -> dict[str, dict[str, Any]] | None:
        found = files.read_bytes(self.path)
        if found is None:
            return None
        image = parse(*found)  # without a descriptor: details parsed into the records
        tables: dict[str, dict[str, Any]] = dict(image.other_tables)
        tables[META] = {"schema": {"version": SCHEMA_VERSION}}
        tables[SETTINGS] = dict(image.settings)
        tables[PAPERS] = dict(image.papers)
        return tables

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.create_dirs:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        head = {name: table for name, table in data.items() if name != PAPERS}
        head.setdefault(META, {"schema": {"version": SCHEMA_VERSION}})
        papers = PaperTable.from_docs(data.get(PAPERS, {}))
        files.install(write(self.path, head, papers).temp, self.path)


class _KeyedTable(Table):
    """A TinyDB table whose document ids are strings (arXiv ids, setting names)."""

    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self):  # type: ignore[override]
        raise TypeError("documents here are keyed: insert Document(fields, doc_id=key)")


class _StateDB(TinyDB):
    table_class = _KeyedTable


def open_tinydb(path: str | os.PathLike[str]) -> TinyDB:
    """Open a state file's snapshot with TinyDB itself (for tools and tests).

    ``db.table("papers").get(doc_id="2501.01234")`` reads one paper. Do not write through
    it while a store has the file open.
    """
    return _StateDB(path, storage=AtomicJSONStorage)
