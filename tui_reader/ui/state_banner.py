"""A lasting banner while the state file was not read whole, until the reader dismisses it.

``StateBanner.show_damage(messages)`` shows what of the reading state could not be
read (``StateStore.damage``: a damaged file moved aside or left alone, entries skipped,
journal lines not merged, a newer format), so that a reader who sees papers unread or
unstarred knows why. It stays, unlike a toast, until ``dismiss()`` (the app's ``!``);
damage found later shows it again. Messages are plain text, never markup, control
characters made visible. Hidden when there is nothing to say.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from ..sanitize import printable

DISMISS_KEY = "!"


class StateBanner(Static):
    """One or a few rows above the papers; see the module docstring."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.messages: tuple[str, ...] = ()
        self._dismissed: set[str] = set()
        self.display = False

    @property
    def shown(self) -> bool:
        return bool(self.display)

    def show_damage(self, messages: Sequence[str]) -> None:
        """Show ``messages`` unless each was dismissed already."""
        new = tuple(message for message in messages if message not in self._dismissed)
        if not new or (new == self.messages and self.display):
            return
        self.messages = new
        text = Text()
        text.append("The reading state was not read whole", style="bold")
        text.append(": some papers may look unread, unstarred or without their notes. ")
        text.append(" ".join(printable(message) for message in new))
        text.append(f"  ({DISMISS_KEY} dismisses this)", style="italic")
        self.update(text)
        self.display = True

    def dismiss(self) -> bool:
        """Hide the banner (its messages stay dismissed); whether it was shown."""
        if not self.display:
            return False
        self._dismissed.update(self.messages)
        self.messages = ()
        self.display = False
        return True
