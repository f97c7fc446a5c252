"""The note editor."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from .confirm import ConfirmScreen


class NoteScreen(ModalScreen[str | None]):
    """Edits a note. Dismisses with the new text (empty: delete), or None to cancel."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.paper_title = title
        self.original = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog note-dialog"):
            yield Label(f"Note on: {self.paper_title}", classes="dialog-title", markup=False)
            # tab_behavior "focus" (the default): with "indent", TextArea takes escape.
            yield TextArea(self.original, id="note-text", soft_wrap=True)
            yield Label(
                "ctrl+s save · escape cancel · an empty note is deleted", classes="dialog-hint"
            )

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    @work
    async def action_cancel(self) -> None:
        if self.query_one(TextArea).text != self.original:
            discard = await self.app.push_screen_wait(
                ConfirmScreen("Discard the changes to this note?", yes="Discard", no="Keep editing")
            )
            if not discard:
                return
        self.dismiss(None)
