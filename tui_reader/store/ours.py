"""Whether a path is ours to use: a state file this program made, and files beside it.

API: ``refusal(path) -> str | None`` says in a few words why ``path`` must not be used
as a state file at all (None: it may), for a command to refuse before it starts:
not reachable (a folder on the way that cannot be searched), not a regular file (a
folder, a device, a FIFO, a socket, a symlink loop), unreadable (permissions), not
recognisably ours (``looks_ours``), or a journal, lock or side file beside it that is
a symlink or not a regular file (``companion_problem``). Nothing is created, moved or
written. ``open_companion(path, flags)`` opens such a file for the store: never through
a symlink, never anything but a regular file (``NotOursError`` naming it otherwise).
``ours_tables(tables)`` and ``looks_ours(raw)`` are the store's own rule, applied by
``snapshot.parse`` and before a damaged file is moved aside.

What is recognisably ours: a JSON object with our ``meta`` table (``{"schema": ...}``)
or our ``papers`` table (an object), or a TinyDB ``_default`` table holding a paper
with an arXiv id (format 0, the prototype's; an empty one too); an empty file (TinyDB's empty
database). A file that does not parse is ours when it begins as ours does (``{"meta":
{"schema"``, ``{"settings": {`` or ``{"papers": {``: a truncated file), or when it
still holds a record of ours (``"<id>": {"read": true, "starred": ...``, or a format-0
``"arxiv_id"``: a file damaged at its head). Anything else (another program's JSON or
TinyDB file, ``/etc/passwd``, a BibTeX file, a picture) is never moved, replaced or
written.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from tui_reader.model import parse_arxiv_id

from .files import kind_of
from .records import NotOursError

HEAD_BYTES = 1 << 16
_OUR_HEAD = re.compile(rb'\A\s*\{\s*(?:"meta"\s*:\s*\{\s*"schema"|"(?:settings|papers)"\s*:\s*\{)')
_OUR_RECORD = re.compile(
    rb'"[^"\\\n]{1,60}"\s*:\s*\{\s*"read"\s*:\s*(?:true|false)\s*,\s*"starred"\s*:'
    rb'|"arxiv_id"\s*:\s*"[^"\\\n]{1,60}"'
)
COMPANIONS = (".journal", ".lock", ".journal.rejected")
NOT_OURS = "not a digest-reader state file (its content is something else)"


def ours_tables(tables: Any) -> bool:
    """Whether parsed JSON is a state file of ours (any format, maybe damaged inside)."""
    if type(tables) is not dict:
        return False
    meta = tables.get("meta")
    if type(meta) is dict and "schema" in meta:
        return True
    if type(tables.get("papers")) is dict:
        return True
    default = tables.get("_default")
    if type(default) is dict and set(tables) <= {"_default", "settings"}:
        return not default or any(_arxiv_doc(doc) for doc in default.values())
    return False


def _arxiv_doc(doc: Any) -> bool:
    if type(doc) is not dict:
        return False
    try:
        parse_arxiv_id(str(doc.get("arxiv_id") or doc.get("id")))
    except ValueError:
        return False
    return True


def looks_ours(raw: bytes) -> bool:
    """Whether the bytes of a file are a state file of ours, even a damaged one."""
    if not raw.strip():
        return True  # an empty file is an empty database
    if _OUR_HEAD.match(raw, 0, HEAD_BYTES):
        return True
    try:
        return ours_tables(json.loads(raw))
    except (ValueError, RecursionError):
        return _OUR_RECORD.search(raw) is not None


def companion_problem(path: Path) -> str | None:
    """Why a journal, lock or side file beside the state file must not be used: a
    symlink (never written through) or not a regular file; None when it is missing or
    a regular file."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"unreachable ({exc.strerror or exc})"
    if stat.S_ISLNK(st.st_mode):
        return "a symlink (never written through)"
    return kind_of(st.st_mode)


def open_companion(path: Path, flags: int, mode: int = 0o600) -> int:
    """``os.open`` of a journal, lock or side file; raises NotOursError ("beside NAME,
    which is ...") for a symlink or anything but a regular file, OSError otherwise."""
    extra = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | extra | getattr(os, "O_BINARY", 0), mode)
    except OSError:
        problem = companion_problem(path)
        if problem is not None:
            raise NotOursError(f"beside {path.name}, which is {problem}") from None
        raise
    problem = kind_of(os.fstat(fd).st_mode)
    if problem is not None:
        os.close(fd)
        raise NotOursError(f"beside {path.name}, which is {problem}")
    return fd


def refusal(path: Path) -> str | None:
    """Why ``path`` must not be used as a state file, in words that follow "the state
    file PATH is"; None when it may (including when it does not exist yet)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None  # made by the first write (its folders too)
    except OSError as exc:  # EACCES: a folder on the way cannot be searched
        if exc.errno == errno.ELOOP:
            return "a symlink loop, not a file"
        return f"unreachable ({exc.strerror or exc}; check the folders on the way)"
    kind = kind_of(st.st_mode)
    if kind is not None:
        return kind
    real = Path(os.path.realpath(path))
    for suffix in COMPANIONS:
        problem = companion_problem(real.with_name(real.name + suffix))
        if problem is not None:
            return f"beside a {suffix[1:]} file that is {problem}"
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:  # permissions: someone else's file
        return f"unreadable ({exc.strerror or exc})"
    try:
        head = os.read(fd, HEAD_BYTES)
        if _OUR_HEAD.match(head):
            return None
        chunks = [head]
        while chunk := os.read(fd, 1 << 22):
            chunks.append(chunk)
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    finally:
        os.close(fd)
    return None if looks_ours(b"".join(chunks)) else NOT_OURS
