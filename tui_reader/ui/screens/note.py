"""The note editor.

``NoteScreen(title, text, *, base=None, arxiv_id="", saved_note=None, drafts=None,
clock=None)`` (``ModalScreen[str | None]``) dismisses with the note to save (empty: delete it), or
None when the reader cancels. ``base`` is the saved note the text is written over
(default: ``text``); ``saved_note()`` reads the saved note now; ``drafts`` keeps the
text as a draft (``note_drafts``) while the editor is open, on ``clock`` (its own
timers when None).

Rules:
* Saving over a saved note that is no longer ``base`` asks (``NoteConflictScreen``:
  keep mine, theirs or both); ``saved_note_changed()`` (the app calls it when the
  store reports an outside change to this paper) says so in the editor at once.
* Escape asks before dropping text that differs from ``base``; a discarded text's
  draft is removed. After a save the draft stays until the caller has the note on disk
  and calls ``drop_draft()`` (any thread).
* The text is kept as a draft ``DRAFT_QUIET`` seconds after typing stops (and at least
  every ``DRAFT_MAX_WAIT`` seconds of steady typing), written in a worker thread; when
  the editor goes away without being closed (the app is leaving); and by
  ``keep_draft_now()``, which any thread may call (the signal path). A
  ``note_drafts.DraftKeeper`` orders the writes, so an older text never lands after a
  newer one or after the draft was dropped. A text equal to ``base`` is not a draft.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from ...clock import Clock
from ...note_drafts import DraftKeeper, NoteDrafts
from ...note_versions import needs_choice, resolve, same_note
from ..app_clock import AppClock
from ..quiet_timer import QuietTimer
from .confirm import ConfirmScreen
from .note_choices import NoteConflictScreen

DRAFT_QUIET = 0.5  # seconds without typing before the draft is written
DRAFT_MAX_WAIT = 2.0  # seconds of steady typing at most between two drafts
CHANGED_ELSEWHERE = (
    "This note was changed elsewhere since you opened it: ctrl+s shows both and asks which to keep."
)


class NoteScreen(ModalScreen[str | None]):
    """Edits a note. Dismisses with the new text (empty: delete), or None to cancel."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(
        self,
        title: str,
        text: str,
        *,
        base: str | None = None,
        arxiv_id: str = "",
        saved_note: Callable[[], str] | None = None,
        drafts: NoteDrafts | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__()
        self.paper_title = title
        self.original = text
        self.base = text if base is None else base
        self.arxiv_id = arxiv_id
        self.saved_note = saved_note or (lambda: self.base)
        self._keeper = (
            DraftKeeper(drafts, arxiv_id, title, self.base)
            if drafts is not None and arxiv_id
            else None
        )
        # The draft's timers (a test may pass a FakeClock); its own timers by default.
        self.clock: Clock = clock or AppClock(self)
        self._editor: TextArea | None = None
        self._done = False
        self._draft_timer = QuietTimer(self.clock, DRAFT_QUIET, self.keep_draft)
        self._typing_since: float | None = None  # the first change not kept as a draft
        self._draft_problem = ""
        self._changed_elsewhere = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog note-dialog"):
            yield Label(f"Note on: {self.paper_title}", classes="dialog-title", markup=False)
            yield Label(id="note-notice", markup=False)
            # tab_behavior "focus" (the default): with "indent", TextArea takes escape.
            yield TextArea(self.original, id="note-text", soft_wrap=True)
            yield Label(
                "ctrl+s save · escape cancel · an empty note is deleted", classes="dialog-hint"
            )

    def on_mount(self) -> None:
        editor = self._editor = self.query_one(TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)
        self.saved_note_changed()

    # -- the saved note -----------------------------------------------------------------

    def saved_note_changed(self) -> None:
        """Look at the saved note again: say at once when it is no longer ``base``."""
        self._changed_elsewhere = not same_note(self.saved_note(), self.base)
        self._show_notice()

    def _show_notice(self) -> None:
        lines = [CHANGED_ELSEWHERE] if self._changed_elsewhere else []
        if self._draft_problem:
            lines.append(self._draft_problem)
        notice = self.query_one("#note-notice", Label)
        notice.update("\n".join(lines))
        notice.set_class(bool(lines), "-shown")

    # -- drafts -------------------------------------------------------------------------

    class DraftWritten(Message):
        def __init__(self, problem: str) -> None:
            super().__init__()
            self.problem = problem  # "" when the draft is on disk

    def on_text_area_changed(self) -> None:
        now = self.clock.now()
        if self._typing_since is None:
            self._typing_since = now
        if now - self._typing_since >= DRAFT_MAX_WAIT:
            self.keep_draft()
        else:
            self._draft_timer.restart()

    def keep_draft(self) -> None:
        """Write the text as a draft, off the UI thread (an fsync may take a while)."""
        self._draft_timer.stop()
        self._typing_since = None
        if self._editor is not None and self._keeper is not None and not self._done:
            self._write_in_background(self._editor.text, self._keeper.ticket())

    @work(thread=True, group="note-draft")
    def _write_in_background(self, text: str, ticket: int) -> None:
        if self._keeper is not None:
            self.post_message(self.DraftWritten(self._keeper.write(text, ticket)))

    def on_note_screen_draft_written(self, message: DraftWritten) -> None:
        problem = message.problem and f"Your text is not kept as a draft yet: {message.problem}."
        if problem != self._draft_problem:
            self._draft_problem = problem
            self._show_notice()

    def keep_draft_now(self) -> None:
        """From any thread (the app is leaving): write the text as a draft, now."""
        editor, keeper = self._editor, self._keeper
        if editor is not None and keeper is not None and not self._done:
            keeper.write(editor.text, keeper.ticket())

    def drop_draft(self) -> None:
        """From any thread: remove this editor's draft (a write under way is not redone)."""
        if self._keeper is not None:
            self._keeper.write(None, self._keeper.ticket())

    def on_unmount(self) -> None:
        self._draft_timer.stop()
        self.keep_draft_now()  # not closed by the reader: the app is leaving

    # -- closing ------------------------------------------------------------------------

    def _close(self, note: str | None) -> None:
        self._done = True
        self._draft_timer.stop()
        self.dismiss(note)

    @work(exclusive=True, group="note-save")
    async def action_save(self) -> None:
        mine = self.query_one(TextArea).text
        while needs_choice(self.base, saved := self.saved_note(), mine):
            choice = await self.app.push_screen_wait(
                NoteConflictScreen(self.paper_title, mine, saved)
            )
            if choice is None:
                return  # back to editing
            if same_note(self.saved_note(), saved):  # not changed again while choosing
                mine = resolve(choice, mine, saved)
                break
        self._close(mine)

    @work
    async def action_cancel(self) -> None:
        if self.query_one(TextArea).text != self.base:
            discard = await self.app.push_screen_wait(
                ConfirmScreen("Discard the changes to this note?", yes="Discard", no="Keep editing")
            )
            if not discard:
                return
        self.drop_draft()
        self._close(None)
