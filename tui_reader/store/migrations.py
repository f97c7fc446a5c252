"""Upgrading older snapshot formats, one version at a time.

``MIGRATIONS[v](tables)`` turns the tables of format ``v`` into those of ``v + 1``;
``schema_version(tables)`` says which format a file is. Format 0 was the prototype's
(``_default`` table), 1 had one time per record, 2 kept each paper's details inside its
record; 3 keeps them in their own ``details`` table, read only when asked; 4 writes
each details line as the paper's row of ``list --json`` with a check (``rows``); 5 (now)
stamps changes with a hybrid logical clock (integers, ``clock``) instead of float
seconds, and keeps a stamp per tag instead of one list of tags (``records``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tui_reader.model import parse_arxiv_id

from .checks import stamped_doc, stamped_setting
from .records import StateFileError

PAPERS, SETTINGS, META, DETAILS = "papers", "settings", "meta", "details"


def schema_version(tables: dict) -> int:
    meta = tables.get(META)
    if meta is None:
        return 0
    schema = meta.get("schema")
    if schema is None:
        return 0
    version = schema.get("version") if type(schema) is dict else None
    if type(version) is not int or version < 0:
        raise StateFileError("damaged (its format version is unreadable)")
    return version


def _migrate_v0(tables: dict) -> dict:
    """Format 0 -> 1.

    Format 0 was the prototype's: no ``meta`` table; papers in TinyDB's ``_default``
    table under numeric doc ids, each with ``arxiv_id`` (possibly versioned), ``read``,
    ``star`` (or ``starred``), ``note`` and no timestamps. Several versions of one paper
    are combined: read or starred in any counts, distinct notes are joined. Documents
    without a usable id are dropped.
    """
    papers: dict[str, dict] = dict(tables.get(PAPERS, {}))
    for doc in tables.get("_default", {}).values():
        try:
            arxiv_id, _version = parse_arxiv_id(str(doc.get("arxiv_id") or doc.get("id")))
        except (AttributeError, ValueError):
            continue  # not a paper; the copy kept of the old file still has it
        note = doc.get("note") or doc.get("notes") or ""
        new = {
            "read": bool(doc.get("read")),
            "starred": bool(doc.get("starred", doc.get("star"))),
            "note": note.strip() if isinstance(note, str) else "",
            "citation_key": None,
            "updated_at": 0.0,
        }
        old = papers.get(arxiv_id)
        if old is not None:
            notes = [n for n in (old.get("note", ""), new["note"]) if n]
            new["read"] = new["read"] or bool(old.get("read"))
            new["starred"] = new["starred"] or bool(old.get("starred"))
            new["note"] = "\n\n".join(dict.fromkeys(notes))
        papers[arxiv_id] = new
    migrated = {name: t for name, t in tables.items() if name != "_default"}
    migrated[PAPERS] = papers
    migrated.setdefault(SETTINGS, {})
    migrated[META] = {"schema": {"version": 1}}
    return migrated


def upgrade_doc(doc: Any) -> Any:
    if type(doc) is not dict or type(doc.get("changed")) is dict:
        return doc
    new = dict(doc)
    new.setdefault("tags", [])
    time = doc.get("updated_at", 0.0)
    new["changed"] = {name: time for name in _V2_FIELDS}
    return new


_V2_FIELDS = ("read", "starred", "note", "tags", "citation_key", "paper")  # formats 2-4


def _migrate_v1(tables: dict) -> dict:
    """Format 1 -> 2: tags (none yet) and one change time per field (the record's)."""
    migrated = dict(tables)
    migrated[PAPERS] = {k: upgrade_doc(v) for k, v in tables.get(PAPERS, {}).items()}
    migrated[META] = {"schema": {"version": 2}}
    return migrated


def _migrate_v2(tables: dict) -> dict:
    """Format 2 -> 3: nothing changes in the records; the writer now keeps each paper's
    details in the ``details`` table instead of inside its record."""
    return _renumbered(tables, 3)


def _migrate_v3(tables: dict) -> dict:
    """Format 3 -> 4: nothing changes in the records; the writer now writes each details
    line as the paper's row with a check (a line of format 3 is read as before)."""
    return _renumbered(tables, 4)


def _migrate_v4(tables: dict) -> dict:
    """Format 4 -> 5: times in seconds become stamps (``clock.from_seconds``, order
    kept), and each paper's list of tags a table of tags, each at the time the list
    last changed."""
    migrated = _renumbered(tables, 5)
    migrated[PAPERS] = {k: stamped_doc(v) for k, v in tables.get(PAPERS, {}).items()}
    settings = tables.get(SETTINGS, {})
    if type(settings) is dict:
        migrated[SETTINGS] = {k: stamped_setting(v) for k, v in settings.items()}
    return migrated


def _renumbered(tables: dict, version: int) -> dict:
    migrated = dict(tables)
    migrated[META] = {"schema": {"version": version}}
    return migrated


# Keyed by the version a function upgrades *from*; each returns the next version's tables.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {
    0: _migrate_v0,
    1: _migrate_v1,
    2: _migrate_v2,
    3: _migrate_v3,
    4: _migrate_v4,
}
