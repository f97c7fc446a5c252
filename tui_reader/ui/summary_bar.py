"""The header: where you are, the counts, and what you have set, in one row or two.

``SummaryBar.show(header)`` changes what it says (a ``header.Header``); the bar fits
it to its width (``Header.lines``) when it is drawn and again on a resize. The bar is
one row, or two when what you have set needs a line of its own: that depends on the
settings and the width only, so a new count repaints the rows and never asks the
screen for a layout, which ``Static.update`` would (it cannot know that the new text
is no taller than the old). Only a change of height (a long search typed, a
narrower terminal) lays the screen out, and posts ``SummaryBar.Rows`` so the screen
can move what sits below the header (the toasts of a narrow terminal). Text is
plain: never parsed as markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widget import Widget

from .header import Header


class SummaryBar(Widget, can_focus=False):
    """One or two rows of plain text, repainted (not laid out again) when they change."""

    DEFAULT_CSS = """
    SummaryBar {
        width: 1fr;
        height: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._header = Header((("", 0, ""),))
        self._lines: list[str] = [""]

    @property
    def text(self) -> str:
        return "\n".join(self._lines)

    def show(self, header: Header) -> None:
        if header != self._header:
            self._header = header
            self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        width = self.content_region.width or max(1, self.app.size.width - 2)
        lines = self._header.lines(width)
        if lines == self._lines:
            return
        rows = len(lines)
        if rows != len(self._lines):
            self.styles.height = rows  # the one case that lays the screen out
            self.post_message(self.Rows(rows))
        self._lines = lines
        self.refresh()

    @dataclass
    class Rows(Message):
        """The header now takes ``rows`` rows."""

        rows: int

    def render(self) -> Text:
        return Text("\n".join(self._lines), no_wrap=True, overflow="ellipsis", end="")
