"""The header line: date range, counts, filter and search, in one row of fixed height.

``SummaryBar.show(text)`` changes what it says. The bar's size never depends on its
text (one row, the screen's width), so a new text repaints this one row and never
asks the screen for a layout, which ``Static.update`` would (it cannot know that the
new text is no taller than the old). Text is plain: never parsed as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class SummaryBar(Widget, can_focus=False):
    """One row of plain text, repainted (not laid out again) when it changes."""

    DEFAULT_CSS = """
    SummaryBar {
        width: 1fr;
        height: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = ""

    @property
    def text(self) -> str:
        return self._text

    def show(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.refresh()

    def render(self) -> Text:
        return Text(self._text, no_wrap=True, overflow="ellipsis", end="")
