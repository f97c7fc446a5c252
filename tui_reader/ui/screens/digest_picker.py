"""Go to a digest: every open digest with its date, papers and unread papers.

``DigestPickerScreen(rows, current)`` takes ``Triage.digest_table()`` rows
(``(DigestRef, papers, unread)``, in the one digest order) and the index of the
digest you are in; it dismisses with the chosen digest's index, or None on escape.

Typing filters the list (every word must be in the digest's label or its file name:
``2025-02``, ``zeta``); up/down and the page keys move, enter goes. Each row is fitted
to the list's width, the label cut with ``…`` if it must, so a row never wraps (the
"unread" count stayed on a line of its own); ``▶`` marks the digest you are in. An
``OptionList`` is fine here: a year of weekly digests is a few dozen rows, a year of
daily ones a few hundred.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ...model import DigestRef
from ...sanitize import printable

HERE = "▶ "
CHROME_ROWS = 10  # the dialog's border, padding, title, filter box and hint


def digest_row(
    ref: DigestRef, papers: int, unread: int, here: bool, label_cells: int, digits: int
) -> Text:
    """One row: ``▶`` where you are, the label in ``label_cells`` (cut with …), counts."""
    label = printable(ref.label)
    if cell_len(label) > label_cells:
        label = set_cell_size(label, max(0, label_cells - 1)) + "…"
    line = Text(HERE if here else "  ", style="bold")
    line.append(set_cell_size(label, label_cells), style="bold")
    line.append(f"  {papers:>{digits},} {'paper ' if papers == 1 else 'papers'}  ")
    line.append(f"{unread:>{digits},} unread", style="" if unread else "dim")
    line.no_wrap = True
    return line


class DigestPickerScreen(ModalScreen[int | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="digests.cancel"),
        Binding("down", "move('cursor_down')", "Next digest", show=False, id="digests.down"),
        Binding("up", "move('cursor_up')", "Previous digest", show=False, id="digests.up"),
        Binding("pagedown", "move('page_down')", "Page down", show=False, id="digests.pgdn"),
        Binding("pageup", "move('page_up')", "Page up", show=False, id="digests.pgup"),
    ]

    def __init__(self, rows: Sequence[tuple[DigestRef, int, int]], current: int | None) -> None:
        super().__init__()
        self.rows = list(rows)
        self.current = current
        self._shown: list[int] = list(range(len(self.rows)))  # rows passing the filter
        self._width = 0  # the list's width the rows were fitted to

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog digest-dialog"):
            yield Label(f"Go to digest ({len(self.rows)} open)", classes="dialog-title")
            yield Input(placeholder="type to filter: a date, a file name", id="digest-filter")
            yield OptionList(id="digest-options")
            yield Label("enter go · ↑↓ move · ▶ you are here · escape cancel",
                        classes="dialog-hint")  # fmt: skip

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        options = self.query_one(OptionList)
        options.styles.max_height = max(3, self.size.height * 9 // 10 - CHROME_ROWS)
        self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        """(Re)write the rows that pass the filter, fitted to the list's width."""
        options = self.query_one(OptionList)
        width = options.scrollable_content_region.width or options.size.width
        if width <= 0:
            return
        self._width = width
        digits = max((len(f"{max(p, u):,}") for _, p, u in self.rows), default=1)
        counts = 2 + digits + 7 + 2 + digits + 7  # "  1,234 papers  1,234 unread"
        labels = max((cell_len(printable(self.rows[i][0].label)) for i in self._shown), default=0)
        label_cells = max(4, min(labels, width - len(HERE) - counts - 1))
        highlighted = self._highlighted_row()
        options.clear_options()
        options.add_options(
            Option(digest_row(*self.rows[i], i == self.current, label_cells, digits), id=str(i))
            for i in self._shown
        )
        if self._shown:
            target = highlighted if highlighted in self._shown else self._shown[0]
            options.highlighted = self._shown.index(target)

    def _highlighted_row(self) -> int | None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not options.option_count:
            return self.current
        return int(options.get_option_at_index(options.highlighted).id or 0)

    def on_input_changed(self, event: Input.Changed) -> None:
        words = event.value.casefold().split()
        self._shown = [
            index
            for index, (ref, _, _) in enumerate(self.rows)
            if all(word in f"{ref.label} {ref.path.name}".casefold() for word in words)
        ]
        self._fill()

    def on_input_submitted(self) -> None:
        chosen = self._highlighted_row() if self._shown else None
        if chosen is not None:
            self.dismiss(chosen)

    def action_move(self, how: str) -> None:
        getattr(self.query_one(OptionList), f"action_{how}")()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
