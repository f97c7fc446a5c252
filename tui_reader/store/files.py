"""Files on disk: what a state path really is, reading it safely, writing atomically.

Rules: a path is followed through symlinks only to a regular file (or to where no file
exists yet); a folder, device, FIFO or socket is never opened for writing, never moved,
never has a lock file put beside it (``check_target`` raises ``NotOursError``). Reading
opens with ``O_NONBLOCK`` and checks the file type on the open descriptor, so a FIFO can
never hang the reader. Writing goes to a temporary file in the same folder, is fsynced
and renamed over the old file, then the folder is fsynced: the file is always whole.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from .records import NotOursError

MISSING = ("missing",)  # the signature of a file that does not exist


def signature(path: Path) -> tuple:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return MISSING
    except OSError as exc:
        return ("error", exc.errno)
    return stat_signature(st)


def stat_signature(st: os.stat_result) -> tuple:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def kind_of(mode: int) -> str | None:
    """A plain-words name for a file type that is not ours to touch, or None."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe), not a file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    return "not a regular file"


def resolve(path: Path) -> Path:
    """Where writes to ``path`` really go (symlinks followed); raises NotOursError."""
    try:
        real = Path(os.path.realpath(path, strict=False))
    except OSError as exc:  # pragma: no cover - realpath(strict=False) rarely raises
        raise NotOursError(f"unreachable ({exc.strerror or exc})") from None
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path) and not os.path.lexists(real):
            return real  # a dangling link: the file is created where it points
        if os.path.islink(path):
            raise NotOursError("a symlink that leads nowhere usable") from None
        return real
    except OSError as exc:  # ELOOP, EACCES on a folder on the way...
        raise NotOursError(f"unreachable ({exc.strerror or exc})") from None
    check_mode(st.st_mode)
    return real


def check_mode(mode: int) -> None:
    reason = kind_of(mode)
    if reason is not None:
        raise NotOursError(reason)


def read_only_reason(path: Path) -> str | None:
    """Why an existing regular file must not be replaced, or None."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not st.st_mode & 0o222:
        return (
            f"read-only (run `chmod u+w {path}` to let digest-reader save; "
            "this session's changes are kept in memory only)"
        )
    return None


def read_bytes(path: Path) -> tuple[bytes, tuple] | None:
    """The whole file and its signature; None when it does not exist.

    Raises NotOursError for what is not a regular file or cannot be read for good
    (permissions), OSError for a failure that may pass.
    """
    found = read_keeping_open(path)
    if found is None:
        return None
    os.close(found[2])
    return found[0], found[1]


def read_keeping_open(path: Path) -> tuple[bytes, tuple, int] | None:
    """``read_bytes``, plus a read-only descriptor on the file, for the caller to close."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise NotOursError("a folder, not a file") from None
    except PermissionError as exc:  # someone else's file: never moved, never replaced
        raise NotOursError(f"unreadable ({exc.strerror or exc})") from None
    except OSError as exc:
        if exc.errno in (getattr(os, "ENXIO", -1), getattr(os, "ELOOP", -1)):
            raise NotOursError(f"not a regular file ({exc.strerror})") from None
        raise
    try:
        st = os.fstat(fd)
        check_mode(st.st_mode)
        # One read of the size it has: no second copy of a 200 MB file to join.
        chunks = [os.read(fd, st.st_size + 1)] if st.st_size else []
        while chunk := os.read(fd, 1 << 22):  # it grew meanwhile (or has no size)
            chunks.append(chunk)
    except IsADirectoryError:
        os.close(fd)
        raise NotOursError("a folder, not a file") from None
    except BaseException:
        os.close(fd)
        raise
    return chunks[0] if len(chunks) == 1 else b"".join(chunks), stat_signature(st), fd


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # pragma: no cover - folders cannot be fsynced on Windows
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the rename is still atomic
    finally:
        os.close(fd)


def temp_prefix(path: Path) -> str:
    return f".{path.name}."


def temp_path(path: Path) -> Path:
    return path.with_name(f"{temp_prefix(path)}{os.getpid()}.{threading.get_ident()}.tmp")


def write_temp(path: Path, chunks: Iterable[bytes]) -> Path:
    """Write a complete new version of ``path`` beside it, fsynced; return its name."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = 0o600  # notes are private until the user says otherwise
    temp = temp_path(path)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp)  # left by a writer of our pid that died; never written through
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temp, flags | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return temp


def install(temp: Path, path: Path) -> tuple:
    """Rename a written temporary file over ``path``; return the new signature."""
    try:
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    fsync_dir(path.parent)
    return signature(path)


def write_atomic(path: Path, chunks: Iterable[bytes]) -> tuple:
    return install(write_temp(path, chunks), path)


def backup_path(path: Path, kind: str) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.{kind}-{stamp}")
    counter = 1
    while os.path.lexists(candidate):
        counter += 1
        candidate = path.with_name(f"{path.name}.{kind}-{stamp}-{counter}")
    return candidate


def keep_copy(path: Path, raw: bytes | None, kind: str) -> Path | None:
    """Keep ``raw`` (None: the file at ``path`` as it is now) beside ``path`` as
    ``<name>.<kind>-<time>``; None when impossible. A copy of the same kind with the
    same bytes (another copy of the program kept it first) is used instead."""
    if raw is not None:
        same = _same_copy(path, raw, kind)
        if same is not None:
            return same
    target = backup_path(path, kind)
    try:
        with contextlib.ExitStack() as stack:
            handle = stack.enter_context(open(target, "xb"))
            if raw is not None:
                handle.write(raw)
            else:
                source = stack.enter_context(open(path, "rb"))
                while chunk := source.read(1 << 22):
                    handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        return None
    return target


def _same_copy(path: Path, raw: bytes, kind: str) -> Path | None:
    prefix = f"{path.name}.{kind}-"
    try:
        names = [name for name in os.listdir(path.parent) if name.startswith(prefix)]
    except OSError:
        return None
    for name in names:
        candidate = path.parent / name
        try:
            if os.lstat(candidate).st_size == len(raw) and candidate.read_bytes() == raw:
                return candidate
        except OSError:
            continue
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or not a pid: leave its file alone
    return True


def remove_stale_temps(path: Path) -> None:
    """Remove temporary files of writers that died (those of live ones are in use)."""
    prefix = temp_prefix(path)
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        if name.startswith(prefix) and name.endswith(".tmp"):
            pid = name[: -len(".tmp")].split(".")[-2]
            if pid.isdigit() and _alive(int(pid)):
                continue
            with contextlib.suppress(OSError):
                os.unlink(path.parent / name)
