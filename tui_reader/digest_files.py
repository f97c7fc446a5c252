"""Bytes of digest files -> text: the checks every file passes before a layout reads it.

``read_text(path)`` is the whole decoded text; ``read_pieces(path)`` the same in pieces
that each end before a ``## `` heading (so a large digest of the main layout streams);
``read_head(path)`` the first characters, for detecting the layout and its date;
``check_digest_file(path)`` the cheap test that a file could hold papers at all.
Each raises ``DigestError`` ("path: reason") for a file that is missing, unreadable,
a folder, empty, binary or not UTF-8, or that is not a regular file at all (a FIFO, a
device, a socket). ``open_digest(path)`` is the one way they open a file: the path is
stat'ed first and anything but a regular file refused without being opened; the open
itself is non-blocking and the type checked again on the descriptor, so a FIFO or a
terminal can never make a reader wait. ``not_a_file_reason(path)`` says why a path is
not a regular file (None when it is one, or does not exist). Newlines come out as
``\\n``; a BOM is dropped.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .formats.common import DigestError
from .store.files import kind_of

HEAD_SIZE = 1 << 16
BLOCK_SIZE = 1 << 22
# Any way a digest shows an arXiv id (``formats.ids``), found cheaply in raw bytes.
_ARXIV_REF_BYTES = re.compile(
    rb"arxiv\.org/(?:abs|pdf|html|format)/|arxiv:[ \t]?[a-z\d]|huggingface\.co/papers/\d"
    rb"|alphaxiv\.org/|data-arxiv-id"
    rb"|arxiv(?:[ \t]*id)?(?:\*\*)?[ \t]*:?(?:\*\*)?[ \t]*\d{4}\.\d{4}",
    re.IGNORECASE,
)


def read_error(path: Path, error: OSError) -> DigestError:
    """The one-line message for a digest file the system would not let us read."""
    if isinstance(error, FileNotFoundError):
        return DigestError(path, "no such file")
    if isinstance(error, IsADirectoryError):
        return DigestError(path, "is a folder, not a digest file")
    if isinstance(error, PermissionError):
        return DigestError(path, "permission denied")
    return DigestError(path, f"cannot be read ({error.strerror or error})")


def not_a_file_reason(path: Path) -> str | None:
    """``"is a FIFO (named pipe), not a file"`` and the like for what is not a regular
    file (a symlink is followed); None for a regular file or a path that gives no stat."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None  # open_digest says what is wrong with it
    reason = kind_of(mode)
    return None if reason is None else f"is {reason}"


def open_digest(path: Path) -> BinaryIO:
    """``path`` open for reading, or DigestError; never waits on a FIFO or a device."""
    reason = not_a_file_reason(path)
    if reason is not None:
        raise DigestError(path, reason)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ENXIO:  # a socket (or a device with nothing behind it)
            raise DigestError(path, "is not a regular file") from None
        raise read_error(path, error) from None
    except ValueError:  # a NUL byte in the name
        raise DigestError(path, "no such file") from None
    try:
        reason = kind_of(os.fstat(fd).st_mode)  # it may have changed since the stat
        if reason is not None:
            raise DigestError(path, f"is {reason}")
        os.set_blocking(fd, True)  # a regular file: reads as usual
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _check_binary(block: bytes, path: Path) -> None:
    if b"\x00" in block:
        raise DigestError(path, "is a binary file, not a digest")


def decode(piece: bytes, offset: int, path: Path) -> str:
    try:
        text = piece.decode("utf-8")
    except UnicodeDecodeError as error:
        position = offset + error.start
        raise DigestError(
            path, f"is not UTF-8 text (byte 0x{piece[error.start]:02x} at offset {position})"
        ) from None
    if offset == 0 and text.startswith("\ufeff"):
        text = text[1:]
    return unix_newlines(text)


def unix_newlines(text: str) -> str:
    if "\r" in text:
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_head(path: Path) -> str:
    """The first ``HEAD_SIZE`` bytes (cut at a line break) as text."""
    try:
        with open_digest(path) as handle:
            head = handle.read(HEAD_SIZE)
    except OSError as error:
        raise read_error(path, error) from None
    _check_binary(head, path)
    if not head.strip():
        raise DigestError(path, "the file is empty")
    # Cut at the last line break so a multi-byte character is never split.
    complete = head if len(head) < HEAD_SIZE else head[: head.rfind(b"\n") + 1]
    return decode(complete, 0, path)


def read_text(path: Path) -> str:
    """The whole decoded text: one read, decoded once (no copy into a buffer first)."""
    try:
        with open_digest(path) as handle:
            data = handle.read()
    except OSError as error:
        raise read_error(path, error) from None
    _check_binary(data, path)
    if not data or data.isspace():
        raise DigestError(path, "the file is empty")
    return decode(data, 0, path)


def read_pieces(path: Path) -> Iterator[str]:
    """The decoded text in pieces that each end at a ``## `` section boundary.

    Reading in blocks keeps the whole file from being in memory next to its papers.
    """
    handle = open_digest(path)
    with handle:
        pending = bytearray()
        offset = 0
        has_text = False
        while True:
            try:
                block = handle.read(BLOCK_SIZE)
            except OSError as error:
                raise read_error(path, error) from None
            if not block:
                break
            _check_binary(block, path)
            has_text = has_text or not block.isspace()  # isspace copies nothing
            pending += block
            cut = pending.rfind(b"\n## ")
            if cut <= 0:
                continue
            piece = bytes(pending[: cut + 1])
            del pending[: cut + 1]
            yield decode(piece, offset, path)
            offset += len(piece)
        if not has_text:
            raise DigestError(path, "the file is empty")
        if pending:
            yield decode(bytes(pending), offset, path)


def check_digest_file(path: Path) -> None:
    """Cheap checks before a digest is read in the background: DigestError if it is
    missing, unreadable, empty, binary, not UTF-8 at its start, or names no arXiv paper
    (no arXiv, Hugging Face papers or alphaXiv link, no ``arXiv:`` or ``arXiv ID`` id,
    no ``data-arxiv-id``) anywhere.

    Problems deeper in a large file are found when it is read.
    """
    read_head(path)
    try:
        with open_digest(path) as handle:
            tail = b""
            while block := handle.read(BLOCK_SIZE):
                if _ARXIV_REF_BYTES.search(tail + block):
                    return
                tail = block[-32:]
    except OSError as error:
        raise read_error(path, error) from None
    raise DigestError(path, "no papers found (no arXiv links or arXiv: ids)")
