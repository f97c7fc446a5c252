"""Two versions of a note side by side, and one key per choice between them.

``NoteConflictScreen(title, mine, saved)`` (``ModalScreen[Choice | None]``): the note
changed elsewhere while the reader edited it; ``m`` keeps mine, ``t`` keeps theirs
(the saved one), ``b`` keeps both (``note_versions.keep_both``); escape goes back to
the editor. ``DraftOfferScreen(title, draft, saved, *, more=0)``
(``ModalScreen[DraftChoice | None]``): a draft of this note was kept from an editor
that never saved; ``r`` restores it into the editor, ``d`` discards it; escape leaves
it for later. Both are readable at 80x24; every text is shown as text, never markup.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from ...note_drafts import NoteDraft
from ...note_versions import Choice
from ...sanitize import printable

DraftChoice = Literal["restore", "discard"]
Result = TypeVar("Result")


def note_pane(heading: str, text: str, pane_id: str) -> VerticalScroll:
    """One version of the note under its heading, scrolling when long."""
    shown = printable(text.strip(), keep_newlines=True) or "(no note)"
    pane = VerticalScroll(Static(shown, markup=False), id=pane_id, classes="note-version")
    pane.border_title = heading
    return pane


class ChoiceScreen(ModalScreen[Result]):
    """Buttons whose id is the choice; escape dismisses with None."""

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)  # type: ignore[arg-type]

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)  # type: ignore[arg-type]

    def action_back(self) -> None:
        self.dismiss(None)


class NoteConflictScreen(ChoiceScreen[Choice | None]):
    BINDINGS = [
        Binding("m", "choose('mine')", "Keep mine: save the text in the editor",
                id="note_conflict.mine"),
        Binding("t", "choose('theirs')", "Keep theirs: the note saved elsewhere",
                id="note_conflict.theirs"),
        Binding("b", "choose('both')", "Keep both: mine, a line, then theirs",
                id="note_conflict.both"),
        Binding("escape", "back", "Back to editing", id="note_conflict.back"),
    ]  # fmt: skip

    def __init__(self, title: str, mine: str, saved: str) -> None:
        super().__init__()
        self.paper_title = title
        self.mine = mine
        self.saved = saved

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog note-choice-dialog"):
            yield Label("This note was changed elsewhere while you edited it",
                        classes="dialog-title")  # fmt: skip
            yield Label(f"Note on: {self.paper_title}", classes="note-choice-paper",
                        markup=False)  # fmt: skip
            with Horizontal(classes="note-versions"):
                yield note_pane("Yours (in the editor)", self.mine, "note-mine")
                yield note_pane("Saved elsewhere", self.saved, "note-theirs")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep mine (m)", id="mine", variant="primary", compact=True)
                yield Button("Keep theirs (t)", id="theirs", compact=True)
                yield Button("Keep both (b)", id="both", compact=True)
            yield Label("both: yours, then a line, then theirs · escape back to editing",
                        classes="dialog-hint")  # fmt: skip


class DraftOfferScreen(ChoiceScreen[DraftChoice | None]):
    BINDINGS = [
        Binding("r", "choose('restore')", "Restore the draft into the editor",
                id="note_draft.restore"),
        Binding("d", "choose('discard')", "Discard the draft", id="note_draft.discard"),
        Binding("escape", "back", "Not now: keep the draft for later",
                id="note_draft.later"),
    ]  # fmt: skip

    def __init__(
        self, title: str, draft: NoteDraft, saved: str, *, device: str = "", more: int = 0
    ) -> None:
        super().__init__()
        self.paper_title = title
        self.draft = draft
        self.saved = saved
        self.device = device  # this device: a draft typed elsewhere says where
        self.more = more

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog note-choice-dialog"):
            yield Label("An unsaved draft of this note was kept", classes="dialog-title")
            yield Label(f"Note on: {self.paper_title}", classes="note-choice-paper",
                        markup=False)  # fmt: skip
            yield Label(self.about(), classes="note-choice-about", markup=False)
            with Horizontal(classes="note-versions"):
                yield note_pane("Draft (not saved)", self.draft.text, "note-draft")
                if self.saved.strip():
                    yield note_pane("Saved note", self.saved, "note-saved")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Restore draft (r)", id="restore", variant="primary", compact=True)
                yield Button("Discard draft (d)", id="discard", compact=True)
            yield Label("escape: not now (the draft stays)", classes="dialog-hint")

    def about(self) -> str:
        try:
            when = dt.datetime.fromtimestamp(self.draft.saved_at).strftime("%Y-%m-%d %H:%M")
        except (OverflowError, OSError, ValueError):  # a stamp from a broken clock
            when = "at an unknown time"
        parts = [f"Typed {when}"]
        if self.device and self.draft.device != self.device:
            parts[0] += f" on {self.draft.device}"
        if self.draft.base.strip() != self.saved.strip():
            parts.append("the saved note changed since: saving will show both")
        if self.more:
            noun = "draft" if self.more == 1 else "drafts"
            parts.append(f"{self.more} more {noun} of this note after this one")
        return "; ".join(parts) + "."
