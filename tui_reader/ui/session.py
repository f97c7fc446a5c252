"""Where you were: the current paper, filter, search and sort, per set of opened paths.

``Session`` is what comes back on relaunch. ``load_session(store, paths)`` reads it
from the state file (a setting keyed by a hash of the resolved paths, so opening the
same digests again finds it and other sets keep their own); ``save_session`` writes it.
A missing or malformed entry is an empty ``Session``. Nothing here imports Textual.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..view_order import APP_SORTS

if TYPE_CHECKING:
    from ..store import StateStore


@dataclass(frozen=True, slots=True)
class Session:
    paper: str = ""  # arXiv id of the current paper
    filter: str = "all"
    search: str = ""
    sort: str = "digest"  # one of view_order.APP_SORTS


def session_key(paths: Sequence[Path]) -> str:
    resolved = sorted({str(Path(path).expanduser().resolve()) for path in paths})
    digest = hashlib.sha256("\n".join(resolved).encode("utf-8", "surrogateescape"))
    return f"session:{digest.hexdigest()[:20]}"


def load_session(store: StateStore, paths: Sequence[Path]) -> Session:
    raw = store.get_setting(session_key(paths))
    if not isinstance(raw, dict):
        return Session()
    values = {name: raw.get(name) for name in ("paper", "filter", "search")}
    if not all(isinstance(value, str) for value in values.values()):
        return Session()
    sort = raw.get("sort")  # absent from sessions written before it was kept
    return Session(**values, sort=sort if sort in APP_SORTS else "digest")  # type: ignore[arg-type]


def save_session(store: StateStore, paths: Sequence[Path], session: Session) -> None:
    store.set_setting(session_key(paths), asdict(session))
