"""Where an export may be written, and writing it there whole.

API: ``export_destination(path, state) -> Destination`` is the one rule the CLI's
``export -o`` and the app's ``b`` dialog both ask; it raises ``DestinationError`` (one
line, naming the path) for a path an export must never write. ``write_export(path,
text, *, state, overwrite)`` asks it again and writes. ``Destination.exists`` tells a
caller to ask (the app) or to want ``--force`` (the CLI) before replacing a file.

Rules, whatever ``--force`` says:
* An export writes a regular file, or creates a new one. A folder, a device
  (``/dev/full``), a FIFO or a socket is refused, and so is a symlink to one; a symlink
  to a regular file (or to nowhere yet) is written through: its target is replaced and
  the link stays (``store.files.resolve`` says what a path really is).
* Never a file of the reading state: the state file ``state``, nor anything the store
  keeps beside it (``<state>.*``: journal, lock, backups, drafts; ``.<state>.*``: its
  temporary files), by the path given or the path it leads to, nor another name (a hard
  link) of the state file. Nor a file that is not writable (mode without ``w``).
* Whole or not at all: the text goes to a temporary file beside the target, is fsynced,
  and renamed over it; the folder is fsynced after. Just before the rename the target
  is checked again, so a file that became a device meanwhile is not replaced (a window
  of a few system calls remains; POSIX has no "rename unless it is a device").
* A new file gets the user's umask (``0666 & ~umask``, as any editor would make it);
  a replaced file keeps its mode (and, for root, its owner).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from ..store.files import install, kind_of, resolve
from ..store.records import NotOursError

__all__ = ["Destination", "DestinationError", "export_destination", "write_export"]

_TEMP_TRIES = 5


class DestinationError(Exception):
    """A path an export must never write; the message is one line that names it."""


@dataclass(frozen=True, slots=True)
class Destination:
    path: Path  # as given
    real: Path  # where the bytes go (symlinks followed)
    exists: bool


def export_destination(path: Path, state: Path | None) -> Destination:
    """What writing an export to ``path`` would replace, or DestinationError.

    ``state`` is the reading state file in use (None: no state file to protect).
    """
    try:
        real = resolve(path)
    except NotOursError as error:
        raise DestinationError(f"{path}: {error}; an export is written only to a file") from None
    which = _state_file_kind(real, state) if state is not None else None
    if which is not None:
        raise DestinationError(f"{path}: {which} {state}; an export never replaces it")
    exists = os.path.exists(real)  # resolve() has seen a regular file there, or nothing
    if exists and not os.access(real, os.W_OK):
        raise DestinationError(f"{path}: is read-only; an export does not replace it")
    return Destination(path, real, exists)


def _state_file_kind(real: Path, state: Path) -> str | None:
    """How ``real`` belongs to the reading state ``state`` (words for a message), or
    None when it does not: the file itself, another name of it, or a side file."""
    state = Path(state)
    resolved = Path(os.path.realpath(state))
    for folder, name in {(Path(os.path.realpath(state.parent)), state.name),
                         (resolved.parent, resolved.name)}:  # fmt: skip
        if real.parent != folder:
            continue
        if real.name == name:
            return "is the reading state file"
        if real.name.startswith((f"{name}.", f".{name}.")):
            return "is a file kept beside the reading state file"
    try:
        mine, theirs = os.stat(real), os.stat(state)
    except OSError:
        return None
    if (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino):
        return "is another name (a hard link) of the reading state file"
    return None


def write_export(path: Path, text: str, *, state: Path | None, overwrite: bool) -> Path:
    """Write ``text`` (UTF-8) to ``path`` whole or not at all; return where it went.

    Raises DestinationError for a path ``export_destination`` refuses, FileExistsError
    when the file exists and ``overwrite`` is false, OSError when it cannot be written.
    """
    destination = export_destination(path, state)
    if destination.exists and not overwrite:
        raise FileExistsError(17, "File exists", str(path))
    real = destination.real
    keep = _mode_and_owner(real) if destination.exists else None
    fd, temp = _new_temp(real)
    try:
        with os.fdopen(fd, "wb") as handle:
            if keep is not None:
                _restore(handle.fileno(), *keep)
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        _check_still_a_file(path, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    install(temp, real)  # renamed over it, the folder fsynced
    return real


def _new_temp(real: Path) -> tuple[int, Path]:
    """A new file beside ``real``, created with mode 0666 so the umask decides."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    for attempt in range(_TEMP_TRIES):
        temp = real.with_name(f".{real.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            if attempt == _TEMP_TRIES - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _mode_and_owner(real: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(real)
    except OSError:
        return None
    return stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid


def _restore(fd: int, mode: int, uid: int, gid: int) -> None:
    """Give the new file the mode (and owner, where allowed) of the one it replaces."""
    if hasattr(os, "fchown"):
        st = os.fstat(fd)
        if (st.st_uid, st.st_gid) != (uid, gid):
            with contextlib.suppress(OSError):  # only root may give a file away
                os.fchown(fd, uid, gid)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)


def _check_still_a_file(path: Path, real: Path) -> None:
    """The target is still nothing or a regular file (not a link, device or folder)."""
    try:
        st = os.lstat(real)
    except FileNotFoundError:
        return
    reason = "a symlink, not a file" if stat.S_ISLNK(st.st_mode) else kind_of(st.st_mode)
    if reason is not None:
        raise DestinationError(f"{path}: became {reason} while writing; left as it is")
