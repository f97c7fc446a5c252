"""The attributes every part of ``StateStore`` shares, declared once (set in its
``__init__``), so that each mixin of the package type-checks on its own."""

from __future__ import annotations

import threading
from collections.abc import Callable

from .clock import Clock


class StoreFields:
    """Declarations only; ``working.StateStore.__init__`` and ``_init_files`` set them."""

    notices: list[str]
    on_external_change: Callable[[set[str]], None] | None
    on_notice: Callable[[str], None] | None
    flush_interval: float
    check_interval: float
    # The working copy, guarded by _lock (held for O(changed records) only).
    _lock: threading.RLock
    _docs: dict[str, dict]
    _settings: dict[str, dict]
    _dirty: set[str]
    _dirty_details: set[str]
    _dirty_settings: set[str]
    _dirty_since: float | None
    _undo: list[list[tuple[str, tuple, tuple]]]
    _clock: Clock
    _wake: threading.Event
    _loaded: threading.Event  # set once the files have been read (the initial load)
    # News for the callbacks.
    _delivery_lock: threading.RLock
    _pending_notices: list[str]
    _pending_changes: set[str]
    _said: set[str]
    _damage: list[str]
    # Methods one part provides to the others.
    _notice: Callable[[str], None]
    _notice_once: Callable[[str], None]
    _damage_notice: Callable[[str], None]
    _deliver: Callable[[], None]
    _mark_dirty_since: Callable[[], None]
    _initial_load: Callable[[], None]
    _check_open: Callable[[], None]
    _wait_loaded: Callable[[], None]
