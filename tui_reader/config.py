"""The user's defaults, from a small TOML file.

    # ~/.config/digest-reader/config.toml
    digests = "~/arxiv-digests"        # a folder or file, or a list of them
    highlight = ["sparse", "pruning"]  # extra words to highlight in abstracts
    auto_read = true                   # false: a paper becomes read only by r or space
    read_after = 2                     # seconds on screen before a paper is read (0: at once)

Relative paths are taken from the config file's folder. A missing file means the
defaults; a broken one is a ConfigError naming the file and the problem.
"""

from __future__ import annotations

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


KNOWN_KEYS = ("digests", "highlight", "auto_read", "read_after")


def load_config(path: Path) -> Config:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except IsADirectoryError:
        raise ConfigError(f"config {path}: is a folder, not a file") from None
    except OSError as error:
        raise ConfigError(f"config {path}: cannot be read ({error.strerror or error})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"config {path}: is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config {path}: not valid TOML ({error})") from None

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
    auto_read = data.get("auto_read", True)
    if not isinstance(auto_read, bool):
        raise ConfigError(f"config {path}: 'auto_read' must be true or false")

    read_after = data.get("read_after", 2.0)
    if (
        isinstance(read_after, bool)
        or not isinstance(read_after, (int, float))
        or not (0 <= read_after <= 3600)
    ):
        raise ConfigError(f"config {path}: 'read_after' must be seconds from 0 to 3600")

    base = path.parent
    return Config(
        digests=tuple(base / Path(d).expanduser() for d in digests),
        highlight=tuple(w.strip() for w in highlight if w.strip()),
        auto_read=auto_read,
        read_after=float(read_after),
    )


def _strings(value: object) -> list[str] | None:
    """A string or a list of strings as a list; None for anything else."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return None
