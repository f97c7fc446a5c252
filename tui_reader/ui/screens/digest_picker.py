"""Go to a digest: every open digest with its date, papers and unread papers.

``DigestPickerScreen(rows, current)`` takes ``Triage.digest_table()`` rows
(``(DigestRef, papers, unread)``) and the index of the digest you are in; it dismisses
with the chosen digest's index, or None on escape. An ``OptionList`` is fine here: a
year of weekly digests is a few dozen rows, a year of daily ones a few hundred.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ...model import DigestRef
from ...sanitize import printable


class DigestPickerScreen(ModalScreen[int | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="digests.cancel")]

    def __init__(self, rows: Sequence[tuple[DigestRef, int, int]], current: int | None) -> None:
        super().__init__()
        self.rows = list(rows)
        self.current = current

    def compose(self) -> ComposeResult:
        width = max((len(printable(ref.label)) for ref, _, _ in self.rows), default=10)
        options = []
        for index, (ref, papers, unread) in enumerate(self.rows):
            line = Text(printable(ref.label).ljust(width), style="bold")
            line.append(f"  {papers:>6,} {'paper ' if papers == 1 else 'papers'}  ")
            line.append(f"{unread:>6,} unread", style="" if unread else "dim")
            if index == self.current:
                line.append("  ← you are here", style="italic")
            options.append(Option(line, id=str(index)))
        with Vertical(classes="dialog digest-dialog"):
            yield Label(f"Go to digest ({len(self.rows)} open)", classes="dialog-title")
            yield OptionList(*options, id="digest-options")
            yield Label("enter go · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.current if self.current is not None else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
