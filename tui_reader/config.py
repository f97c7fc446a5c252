"""The user's defaults, from a small TOML file.

    # ~/.config/digest-reader/config.toml
    digests = "~/arxiv-digests"        # a folder or file, or a list of them
    highlight = ["sparse", "pruning"]  # extra words to highlight in abstracts
    auto_read = true                   # false: a paper becomes read only by r or space
    read_after = 2                     # seconds on screen before a paper is read (0: at once)
    online = false                     # true: fetch arXiv's metadata and venues (docs/online.md)
    arxiv_api = "https://export.arxiv.org/api/query"       # or a mirror
    venue_api = "https://api.semanticscholar.org/graph/v1" # "" turns the venue lookup off
    watch = true                       # false: digests added while the app is open wait for ctrl+r

Relative paths are taken from the config file's folder. A missing file means the
defaults; a broken one (not a regular file, not UTF-8, anything the TOML parser rejects,
including nesting too deep for it) is a ConfigError naming the file and the problem in
one line. A FIFO is never opened for reading in a way that could block.
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class Config:
    digests: tuple[Path, ...] = ()
    highlight: tuple[str, ...] = ()
    auto_read: bool = True
    read_after: float = 2.0
    online: bool = False
    arxiv_api: str = ""  # "": the default (or $DIGEST_READER_ARXIV_API)
    venue_api: str | None = None  # None: the default; "": no venue lookup
    watch: bool = True


KNOWN_KEYS = ("digests", "highlight", "auto_read", "read_after", "online", "arxiv_api",
              "venue_api", "watch")  # fmt: skip
MAX_BYTES = 1 << 20  # a config is a few lines; anything this large is not one


def _read_regular_file(path: Path) -> bytes | None:
    """The bytes of a regular file (None when missing); never blocks on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ConfigError(f"config {path}: is a folder, not a file") from None
    except OSError as error:
        raise ConfigError(f"config {path}: cannot be read ({error.strerror or error})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            kind = "a folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "not a regular file"
            raise ConfigError(f"config {path}: is {kind}, not a file")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            if sum(map(len, chunks)) > MAX_BYTES:
                raise ConfigError(f"config {path}: larger than {MAX_BYTES // 1024} KB")
        return b"".join(chunks)
    except OSError as error:
        raise ConfigError(f"config {path}: cannot be read ({error.strerror or error})") from None
    finally:
        os.close(fd)


def load_config(path: Path) -> Config:
    raw = _read_regular_file(path)
    if raw is None:
        return Config()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"config {path}: is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        message = str(error).splitlines()[0] if str(error) else "a syntax error"
        raise ConfigError(f"config {path}: not valid TOML ({message})") from None
    except RecursionError:
        raise ConfigError(f"config {path}: not valid TOML (nested too deeply)") from None
    except (ValueError, MemoryError) as error:
        raise ConfigError(f"config {path}: not valid TOML ({type(error).__name__})") from None

    unknown = sorted(set(data) - set(KNOWN_KEYS))
    if unknown:
        known = ", ".join(KNOWN_KEYS)
        raise ConfigError(f"config {path}: unknown setting {unknown[0]!r} (known: {known})")

    digests = _strings(data.get("digests", []))
    if digests is None or not all(digests):
        raise ConfigError(f"config {path}: 'digests' must be a path or a list of paths")
    highlight = _strings(data.get("highlight", []))
    if highlight is None:
        raise ConfigError(f"config {path}: 'highlight' must be a word or a list of words")
    auto_read, watch = data.get("auto_read", True), data.get("watch", True)
    for name, value in (("auto_read", auto_read), ("watch", watch)):
        if not isinstance(value, bool):
            raise ConfigError(f"config {path}: '{name}' must be true or false")

    read_after = data.get("read_after", 2.0)
    if (
        isinstance(read_after, bool)
        or not isinstance(read_after, (int, float))
        or not (0 <= read_after <= 3600)
    ):
        raise ConfigError(f"config {path}: 'read_after' must be seconds from 0 to 3600")

    online = data.get("online", False)
    if not isinstance(online, bool):
        raise ConfigError(f"config {path}: 'online' must be true or false")
    urls = {}
    for key in ("arxiv_api", "venue_api"):
        value = data.get(key)
        if value is None:
            continue
        if (
            not isinstance(value, str)
            or (value and not value.startswith(("http://", "https://")))
            or (key == "arxiv_api" and not value)
        ):
            raise ConfigError(f"config {path}: '{key}' must be an http(s) address")
        urls[key] = value

    base = path.parent
    return Config(
        digests=tuple(base / Path(d).expanduser() for d in digests),
        highlight=tuple(w.strip() for w in highlight if w.strip()),
        auto_read=auto_read,
        read_after=float(read_after),
        online=online,
        watch=watch,
        **urls,
    )


def _strings(value: object) -> list[str] | None:
    """A string or a list of strings as a list; None for anything else."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return None
