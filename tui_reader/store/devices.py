"""A state folder shared by several machines: which files are whose (issue 21).

A sync engine (Syncthing, Dropbox, Nextcloud, a git repository) carries the folder of
the state file ``FILE`` (``--db FILE``, ``$DIGEST_READER_DB``, the default path) between
machines. So that no file is ever written by two machines, each device keeps its own
files beside ``FILE``: ``<stem>.device-<id>.json`` (its snapshot) with the usual journal,
lock and side file beside it (``<...>.json.journal`` ...). ``<stem>`` is ``FILE``'s name
without ``.json``. A device writes, folds and moves only its own files; it reads every
other device's files and merges them (``peers``).

API:
``device_id() -> str``: this machine's id: ``$DIGEST_READER_DEVICE`` when set (tests,
two "machines" on one host), else the one kept in ``device-id`` in the user's state
folder (``~/.local/state/digest-reader``: outside any synced folder), made once.
Raises ``ValueError`` for an id that cannot name a file.
``device_file(path, device)``: that device's snapshot beside ``path``.
``in_sync_mode(path)``: whether the folder of ``path`` holds device files (then every
store opened on ``path`` uses them); ``own_path(path)``: the file this machine writes
for ``path`` (its device file in sync mode, else ``path`` itself).
``device_files(path) -> dict[device, snapshot path]``: every device whose snapshot or
journal is in the folder.
``original_name(name) -> str | None``: the name of the file a sync engine's conflict
copy was made of (Syncthing ``x.sync-conflict-<date>-<time>-<who>.ext``, Dropbox
``x (… conflicted copy …).ext``, Nextcloud ``x_conflict-<date>-<time>.ext`` and ``x
(conflicted copy <date> <time>).ext``), None for any other name.
``conflict_copies(path) -> list[(copy, original)]``: the conflict copies in the folder
of ``path`` of the files that are ours there (the single file of today and its journal,
and every device's snapshot and journal).
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

DEVICE_ENV = "DIGEST_READER_DEVICE"
DEVICE_INFIX = ".device-"
_DEVICE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}\Z")
# What a sync engine puts into the name of a conflict copy (before the extension).
_CONFLICT_MARKS = (
    re.compile(r"\.sync-conflict-\d{8}-\d{6}-[A-Z0-9]{7}"),  # Syncthing
    re.compile(r" \([^()]*conflicted copy[^()]*\)"),  # Dropbox, Nextcloud (older)
    re.compile(r"_conflict-\d{8}-\d{6}"),  # Nextcloud
)
JOURNAL = ".journal"


def _state_folder() -> Path:
    from platformdirs import user_state_path

    return user_state_path("digest-reader", appauthor=False)


def device_id() -> str:
    """This machine's device id (see the module docstring). Raises ValueError."""
    given = os.environ.get(DEVICE_ENV)
    if given:
        if not _DEVICE_ID.match(given):
            raise ValueError(
                f"{DEVICE_ENV}={given!r} cannot name a device: use 1-40 lowercase letters, "
                "digits, '-' or '_'"
            )
        return given
    kept = _state_folder() / "device-id"
    try:
        known = kept.read_text(encoding="ascii").strip()
        if _DEVICE_ID.match(known):
            return known
    except (OSError, UnicodeDecodeError):
        pass
    made = secrets.token_hex(5)
    kept.parent.mkdir(parents=True, exist_ok=True)
    temp = kept.with_name(f".device-id.{os.getpid()}")
    temp.write_text(made + "\n", encoding="ascii")
    try:
        os.link(temp, kept)  # never replaces an id another process made meanwhile
    except FileExistsError:
        made = kept.read_text(encoding="ascii").strip()
    finally:
        os.unlink(temp)
    if not _DEVICE_ID.match(made):
        raise ValueError(f"the device id in {kept} is not one this program makes: {made!r}")
    return made


def stem(path: Path) -> str:
    name = path.name
    return name[: -len(".json")] if name.endswith(".json") and len(name) > 5 else name


def device_file(path: Path, device: str) -> Path:
    return path.with_name(f"{stem(path)}{DEVICE_INFIX}{device}.json")


def _device_pattern(path: Path) -> re.Pattern[str]:
    return re.compile(
        re.escape(stem(path) + DEVICE_INFIX) + r"([a-z0-9][a-z0-9_-]{0,39})\.json(?:\.journal)?\Z"
    )


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def device_files(path: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Every device with a snapshot or journal beside ``path``: its snapshot's path."""
    pattern = _device_pattern(path)
    found: dict[str, Path] = {}
    for name in _names(path.parent) if names is None else names:
        match = pattern.match(name)
        if match:
            found[match.group(1)] = device_file(path, match.group(1))
    return found


def in_sync_mode(path: Path) -> bool:
    return bool(device_files(path))


def own_path(path: Path) -> Path:
    """The file this machine writes for the state file ``path``."""
    return device_file(path, device_id()) if in_sync_mode(path) else path


def original_name(name: str) -> str | None:
    for mark in _CONFLICT_MARKS:
        found = mark.search(name)
        if found:
            return name[: found.start()] + name[found.end() :]
    return None


def conflict_copies(path: Path, names: list[str] | None = None) -> list[tuple[Path, str]]:
    """Conflict copies of our files beside ``path``: (the copy, the name it copies)."""
    names = _names(path.parent) if names is None else names
    ours = {path.name, path.name + JOURNAL}
    pattern = _device_pattern(path)
    found = []
    for name in sorted(names):
        original = original_name(name)
        if original is not None and (original in ours or pattern.match(original)):
            found.append((path.with_name(name), original))
    return found
