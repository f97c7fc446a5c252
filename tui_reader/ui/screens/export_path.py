"""Asks where to write the BibTeX file."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class ExportPathScreen(ModalScreen[str | None]):
    """Dismisses with the path typed (not yet checked), or None on escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, suggestion: str, count: int) -> None:
        super().__init__()
        self.suggestion = suggestion
        self.count = count

    def compose(self) -> ComposeResult:
        noun = "paper" if self.count == 1 else "papers"
        with Vertical(classes="dialog"):
            yield Label(f"Export {self.count} starred {noun} to BibTeX file:",
                        classes="dialog-title")  # fmt: skip
            yield Input(self.suggestion, id="export-path")
            yield Label("enter export · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        self.dismiss(value or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
