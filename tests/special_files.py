"""Files that are not regular files, made in a test's own folder: a FIFO, a socket, and
(as root) character devices made with ``mknod`` as copies of the machine's own nodes,
so that no test ever points at a device of the machine itself."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

FULL = (1, 7)  # /dev/full: every write fails
ZERO = (1, 5)  # /dev/zero: endless bytes
TTY = (5, 0)  # /dev/tty: a read waits for a key


def make_fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def make_socket(path: Path) -> Path:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()
    return path


def make_device(path: Path, numbers: tuple[int, int]) -> Path:
    """A character device node at ``path``; the test is skipped when not root."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(*numbers))
    except (PermissionError, AttributeError):
        pytest.skip("making a device needs root")
    return path
