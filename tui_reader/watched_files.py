"""The digest files below the open paths: which to watch, which changed, reading them whole.

API
---
``WatchedPaths(roots)``: the paths the user opened (folders and files).
    ``folders`` are watched with their subfolders; ``file_folders`` (the folders of
    the files opened one by one) without. ``relevant(path)`` says whether a file
    system event at ``path`` can matter. ``digest_files()`` fingerprints every digest
    file below the roots now (``digest.find_digest_files``). ``plan(touched, known,
    full=False) -> Plan``: from the paths events named (``full``: every root) and the
    fingerprints last seen, the files to ``read`` (new or changed), those ``removed``,
    and the roots that are gone (``roots_gone``).
``fingerprint(path) -> Fingerprint | None``: size, modification time and inode.
``read_when_quiet(path, layout=None, *, quiet, clock, sleep) -> (FileReading,
Fingerprint)``: reads a file once it has been still ``quiet`` seconds, again if it
changed while being read; DigestError as ``parse_digest``.

Rules
-----
* Ignored: names starting with a dot (dotfiles and ``.syncthing.*.tmp``, ``.#lock``
  files, anything below a hidden folder), Office's ``~$`` owner files, and files
  without a digest suffix (``*.swp``, ``*.md~``, ``*.part``, ``4913``...). A file
  opened by name is never ignored.
* A file is changed when its fingerprint is; touched without change, reading it again
  finds the same papers (``OpenDigests`` then says nothing).
* A path that no longer exists removes every known file at or below it; a folder that
  appears is looked through (its files may have been written before the watch saw it).
* An opened folder that is gone is reported (``roots_gone``), and its files are left
  alone: a folder moved or unmounted is not its digests deleted one by one. A file
  opened by name that is gone is removed like any other.
* Paths are absolute (``os.path.abspath``, symlinks kept), as are the events'.

Nothing here imports Textual; ``plan`` and ``read_when_quiet`` run in a worker thread.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .digest import DIGEST_SUFFIXES, find_digest_files, parse_digest
from .formats.common import DigestError
from .library_update import FileReading

__all__ = ["Fingerprint", "Plan", "WatchedPaths", "fingerprint", "read_when_quiet"]

QUIET = 1.0  # seconds a file must have been still before it is read
READ_ATTEMPTS = 5  # a file still changing after this many reads is taken as it is


class Fingerprint(NamedTuple):
    size: int
    mtime_ns: int
    inode: int

    @property
    def mtime(self) -> float:
        return self.mtime_ns / 1e9


def fingerprint(path: Path) -> Fingerprint | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return Fingerprint(stat.st_size, stat.st_mtime_ns, stat.st_ino)


@dataclass
class Plan:
    read: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    roots_gone: list[Path] = field(default_factory=list)


class WatchedPaths:
    def __init__(self, roots: Sequence[Path]) -> None:
        self.roots = [Path(os.path.abspath(root)) for root in dict.fromkeys(roots)]
        self.folders = [root for root in self.roots if root.is_dir()]
        self.files = [root for root in self.roots if root not in self.folders]
        self.file_folders = list(dict.fromkeys(
            file.parent for file in self.files
            if file.parent.is_dir() and not any(_below(file, folder) for folder in self.folders)
        ))  # fmt: skip

    def root_of(self, path: Path) -> Path | None:
        """The opened path ``path`` is (or is below); None if none."""
        if path in self.files:
            return path
        return next((folder for folder in self.folders if _below(path, folder)), None)

    def relevant(self, path: Path) -> bool:
        root = self.root_of(path)
        if root is None:
            return False
        if root == path:
            return True
        parts = path.relative_to(root).parts
        if any(part.startswith(".") for part in parts) or parts[-1].startswith("~$"):
            return False
        if path.suffix.lower() in DIGEST_SUFFIXES:
            return True
        # Other names matter only as a folder to look through or a path now gone (a
        # folder, maybe); files are editors' and sync engines' temporary files.
        return path.is_dir() or not path.exists()

    def digest_files(self) -> dict[Path, Fingerprint]:
        files, _ = find_digest_files(self.roots)
        found = {Path(os.path.abspath(path)): fingerprint(path) for path in files}
        return {path: print_ for path, print_ in found.items() if print_ is not None}

    def plan(self, touched: Iterable[Path], known: Mapping[Path, Fingerprint], *,
             full: bool = False) -> Plan:  # fmt: skip
        plan = Plan()
        for root in self.folders:
            if not root.exists() and any(_below(path, root) for path in known):
                plan.roots_gone.append(root)
        looked: dict[Path, Fingerprint] = {}
        gone_paths: list[Path] = []
        paths = self.roots if full else sorted(set(touched))
        for path in paths:
            root = self.root_of(path)
            if root is None or root in plan.roots_gone or not self.relevant(path):
                continue
            if path.is_dir():
                files, _ = find_digest_files([path])
                for file in files:
                    file = Path(os.path.abspath(file))
                    if self.relevant(file) and (print_ := fingerprint(file)) is not None:
                        looked[file] = print_
                gone_paths.extend(f for f in known if _below(f, path) and f not in looked)
            elif (print_ := fingerprint(path)) is not None:
                looked[path] = print_
            else:
                gone_paths.extend(f for f in known if _below(f, path))
        plan.read = sorted(path for path, print_ in looked.items() if known.get(path) != print_)
        plan.removed = sorted({path for path in gone_paths if not path.exists()})
        return plan


def _below(path: Path, folder: Path) -> bool:
    """``path`` is ``folder`` or inside it."""
    return path == folder or folder in path.parents


def read_when_quiet(
    path: Path,
    layout: str | None = None,
    *,
    quiet: float = QUIET,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], object] = time.sleep,
) -> tuple[FileReading, Fingerprint]:
    """The file's papers once it has stopped changing (a file written in several pieces
    is waited for; one that changes while read is read again)."""
    for _ in range(READ_ATTEMPTS):
        before = fingerprint(path)
        if before is None:
            raise DigestError(path, "no such file")
        age = clock() - before.mtime
        if 0 <= age < quiet:
            sleep(quiet - age)
            continue  # look again: written to since?
        parsed = parse_digest(path, layout)
        if fingerprint(path) == before:
            return FileReading.parsed(parsed), before
    parsed = parse_digest(path, layout)  # still changing: take it as it is now
    return FileReading.parsed(parsed), fingerprint(path) or before
