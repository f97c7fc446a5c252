"""The inter-process lock every copy of the program takes to write the state files.

``InterProcessLock(path, timeout)`` is a context manager on ``<state file>.lock``
(``fcntl.flock``; ``msvcrt.locking`` on Windows). It is re-entrant for its owner and
gives up after ``timeout`` seconds with ``TimeoutError`` so that a stuck copy cannot hang
this one; the caller then retries later. It is held only to append to the journal or to
install a new snapshot: milliseconds.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from .ours import open_companion

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# How long a write waits for another copy to release the file lock before giving up
# (the flush is then retried later, like any failed save).
LOCK_TIMEOUT = 5.0


class InterProcessLock:
    """An exclusive lock on ``<state file>.lock``, shared by every copy of the program.

    Re-entrant for its owner (the store's flusher). Gives up after ``timeout`` seconds
    so a stuck copy cannot hang this one; the caller then retries later.
    """

    def __init__(self, path: Path, timeout: float | None = None) -> None:
        self.path = path
        self.timeout = LOCK_TIMEOUT if timeout is None else timeout
        self._fd: int | None = None
        self._depth = 0

    def __enter__(self) -> InterProcessLock:
        if self._depth:
            self._depth += 1
            return self
        fd = open_companion(self.path, os.O_RDWR | os.O_CREAT)  # never through a symlink
        deadline = time.monotonic() + self.timeout
        try:
            while not self._try_lock(fd):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.path.name} is held by another program")
                time.sleep(0.005)
            self._fd, self._depth = fd, 1
        except BaseException:  # a signal may land anywhere: never leak a held lock
            self._fd, self._depth = None, 0
            os.close(fd)
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                self._unlock(fd)
            finally:
                os.close(fd)

    @staticmethod
    def _try_lock(fd: int) -> bool:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True
        import msvcrt  # pragma: no cover - Windows (untested)

        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    @staticmethod
    def _unlock(fd: int) -> None:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return
        import msvcrt  # pragma: no cover - Windows (untested)

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
