"""The table of contents: one line per paper, drawn on demand.

A virtual list on the Line API: only the lines on screen are ever rendered, so it is
as quick with 100,000 papers as with 30 (a widget per row takes over 30 s to mount
10,000 rows).

The cursor is the reactive ``cursor`` (a position in the view); who shows the paper
under it watches it (``watch(paper_list, "cursor", ...)``), and ``move_to(..., force=True)``
runs those watchers even when the position stays, for a view rebuilt under it.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..sanitize import printable
from ..triage import Triage
from .component_styles import ComponentStyles

UNREAD_MARK = "●"
STAR_MARK = "★"
NOTE_MARK = "✎"
SELECTED_MARK = "▌"


def tags_label(tags: tuple[str, ...], room: int) -> str:
    """``#a #b`` in at most ``room`` cells (cut with …); "" without tags or room."""
    if not tags or room < 3:
        return ""
    label = " ".join(f"#{printable(tag)}" for tag in tags)
    if cell_len(label) > room:
        label = set_cell_size(label, room - 1) + "…"
    return label


SCORE_BARS = "▁▂▃▄▅▆▇█"  # the "for you" score, lowest to highest of the scores
JUDGED_MARK = "✓"  # in place of a score bar: a paper the ranking learned from


def score_bar(score: float, low: float, high: float) -> str:
    """One cell showing where ``score`` lies between ``low`` and ``high``."""
    if high <= low:
        return SCORE_BARS[0]
    level = int((score - low) / (high - low) * len(SCORE_BARS))
    return SCORE_BARS[max(0, min(level, len(SCORE_BARS) - 1))]


class PaperList(ScrollView, can_focus=True):
    """Papers of the current view; the cursor line is the paper in the detail pane."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Next paper", show=False, id="list.down"),
        Binding("k,up", "cursor_up", "Previous paper", show=False, id="list.up"),
        Binding("g,home", "first", "First paper", show=False, id="list.first"),
        Binding("G,end", "last", "Last paper", show=False, id="list.last"),
        Binding("pagedown", "page_down", "Page down the list", show=False, id="list.pagedown"),
        Binding("pageup", "page_up", "Page up the list", show=False, id="list.pageup"),
    ]

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--read",
        "paper-list--unread-mark",
        "paper-list--star-mark",
        "paper-list--note-mark",
        "paper-list--selected",
        "paper-list--selected-mark",
        "paper-list--tags",
        "paper-list--score",
        "paper-list--divider",
    }

    # No repaint of the whole list on a move: watch_cursor repaints the two lines that changed.
    cursor: reactive[int] = reactive(0, always_update=False, init=False, repaint=False)

    def __init__(
        self,
        triage: Triage,
        render_title: Callable[[str], str],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.triage = triage
        self.render_title = render_title
        self.score_range: tuple[float, float] | None = None  # set with the scores
        self._rich_styles = ComponentStyles(self)

    # -- the data changed ----------------------------------------------------------------

    def view_changed(self, cursor: int | None = None) -> None:
        """The view grew or was rebuilt: resize, move the cursor, redraw."""
        self.virtual_size = Size(self.size.width, self.triage.row_count())
        if cursor is not None:
            self.move_to(cursor, force=True)
        else:
            self.cursor = self._clamp(self.cursor)
        self.refresh()

    def move_to(self, position: int, *, force: bool = False) -> None:
        target = self._clamp(position)
        if target == self.cursor and force:
            self.mutate_reactive(PaperList.cursor)  # watchers run as for a move
        else:
            self.cursor = target

    def _clamp(self, position: int) -> int:
        return max(0, min(position, len(self.triage.view) - 1))

    # -- cursor ---------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(self.triage.row_of(old))
        self.refresh_line(self.triage.row_of(new))
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        """Keep the cursor's row on screen; when it leaves, scroll it to the middle, or
        a digest's divider to the top when the cursor is on the digest's first paper.

        Scrolling repaints every row of the list, a move within it two: a list that
        scrolled one row per ``j`` cost 4 ms more per key at 160x50 (measured). Half a
        page at a time also shows what comes next.
        """
        height = self.scrollable_content_region.height
        if not height:
            return  # not laid out yet: on_resize scrolls once the height is known
        row, top = self.triage.row_of(self.cursor), self.scroll_offset.y
        if top <= row < top + height:
            return
        above = self.triage.row(row - 1)
        top = row - 1 if above is not None and above < 0 else row - height // 2
        self.scroll_to(y=max(0, top), animate=False, force=True, immediate=True)

    def action_cursor_down(self) -> None:
        self.cursor = self._clamp(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.cursor = self._clamp(self.cursor - 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self._clamp(len(self.triage.view) - 1)

    def action_page_down(self) -> None:
        self.cursor = self._clamp(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self.cursor = self._clamp(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def on_click(self, event: events.Click) -> None:
        position = self.triage.row(self.scroll_offset.y + event.y)
        if position is not None and position >= 0:
            self.cursor = position

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.triage.row_count())
        self._scroll_to_cursor()

    # -- drawing --------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        styles = self._rich_styles
        base = styles()
        position = self.triage.row(self.scroll_offset.y + y)
        if position is not None and position < 0:  # a digest's divider: not a paper
            line = f"── {printable(self.triage.digest_line(-1 - position))} "
            style = base + styles("paper-list--divider")
            return Strip([Segment(set_cell_size(line + "─" * width, width), style)])
        paper = self.triage.paper_at(position) if position is not None else None
        if paper is None:
            return Strip.blank(width, base)
        selected = self.triage.view[position] in self.triage.selection
        if selected:
            base = styles.readable(base + styles("paper-list--selected"))
        if position == self.cursor:
            # A theme's cursor text can be under 4.5:1 on its cursor (textual-dark: 3.8,
            # gruvbox: 2.4): then black or white, whichever reads best.
            base = styles.readable(base + styles("paper-list--cursor"))
            if not self.has_focus:
                base = base + Style(dim=True)
        state = self.triage.store.state(paper.arxiv_id)
        blank = Segment(" ", base)

        def ink(component_class: str) -> Style:  # its colour over this row's background
            return styles.ink(component_class, base)

        def mark(shown: bool, symbol: str, component_class: str) -> Segment:
            return Segment(symbol, ink(component_class)) if shown else blank

        segments = [
            mark(selected, SELECTED_MARK, "paper-list--selected-mark"),
            mark(not state.read, UNREAD_MARK, "paper-list--unread-mark"),
            mark(state.starred, STAR_MARK, "paper-list--star-mark"),
            mark(bool(state.note), NOTE_MARK, "paper-list--note-mark"),
            blank,
        ]
        bar, judged = self._score_bar(position)
        title = self.render_title(paper.title)
        tags = tags_label(state.tags, max(0, width // 3))
        room = max(0, width - 5 - (cell_len(tags) + 1 if tags else 0) - (2 if bar else 0))
        if cell_len(title) > room:
            title = set_cell_size(title, max(0, room - 1)) + "…"
        text_style = ink("paper-list--read") if state.read else base
        segments.append(Segment(title, text_style))
        if tags:
            segments.append(Segment(" " * (room - cell_len(title) + 1), base))
            segments.append(Segment(tags, ink("paper-list--tags")))
        strip = Strip(segments)
        if not bar:
            return strip.adjust_cell_length(width, base)
        bar_style = ink("paper-list--read") if judged else base + styles("paper-list--score")
        score = Strip([blank, Segment(bar, bar_style)])
        return Strip.join([strip.adjust_cell_length(max(0, width - 2), base), score])

    def _score_bar(self, position: int) -> tuple[str, bool]:
        """The score mark at the row's right end, only in the "for you" order (a judged
        paper, which the ranking learned from, has ``JUDGED_MARK``), and whether it is
        that mark."""
        if self.triage.sort != "for you" or self.score_range is None:
            return "", False
        index = self.triage.view[position]
        if index in self.triage.judged:
            return JUDGED_MARK, True
        score = self.triage.score_of(index)
        return ("" if score is None else score_bar(score, *self.score_range)), False

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._rich_styles.clear()

    def on_focus(self) -> None:
        self.refresh_line(self.triage.row_of(self.cursor))

    def on_blur(self) -> None:
        self.refresh_line(self.triage.row_of(self.cursor))
