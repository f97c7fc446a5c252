"""News for the user and the UI: notices and changes made by other copies.

``News`` is a base of ``StateStore``. ``_notice`` appends a one-line message to
``store.notices`` and queues it; ``_notice_once`` does so once per lasting condition;
``_damage_notice`` does so once and also keeps it in ``damage`` (what of the state could
not be read: the CLI's ``list`` and ``export`` exit 3 then, the app keeps a banner);
``_deliver`` calls ``on_external_change(ids)`` and ``on_notice(message)`` with what is
queued — never while a store lock is held, from whichever thread found the news.
"""

from __future__ import annotations

from .fields import StoreFields


class News(StoreFields):
    """Queued notices and changes, delivered to the callbacks outside every lock."""

    def _notice(self, message: str) -> None:
        with self._lock:
            self.notices.append(message)
            self._pending_notices.append(message)

    def _notice_once(self, message: str) -> None:
        if message not in self._said:
            self._said.add(message)
            self._notice(message)

    def _damage_notice(self, message: str) -> None:
        """A part of the state could not be read (or was lost): said once, and kept."""
        with self._lock:
            if message not in self._damage:
                self._damage.append(message)
        self._notice_once(message)

    def _deliver(self) -> None:
        """Call the callbacks with pending news; never under a store lock."""
        with self._delivery_lock:
            with self._lock:
                notices, self._pending_notices = self._pending_notices, []
                changes, self._pending_changes = self._pending_changes, set()
            if changes and self.on_external_change is not None:
                try:
                    self.on_external_change(changes)
                except Exception as exc:
                    notices.append(f"Showing changes from another copy failed: {exc!r}")
            if self.on_notice is not None:
                for message in notices:
                    try:
                        self.on_notice(message)
                    except Exception:
                        break  # nowhere left to report it; it is in self.notices
