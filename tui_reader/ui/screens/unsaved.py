"""Unsaved changes: a lasting warning while saving fails, and a question before quitting.

``UnsavedGuard(app, store)`` is the app's one collaborator for this. ``start()`` checks
the store twice a second and keeps an error notification on screen for as long as the
store's changes cannot be saved (the store itself keeps retrying in the background).
``request_quit()`` saves (again while changes arrive meanwhile, up to ``FLUSH_TRIES``
flushes), and when that fails asks with ``UnsavedScreen``: retry, save a
copy to another path (``SaveCopyScreen``), quit anyway (the app then exits with code 1
and says what was lost) or cancel. The app never exits 0 with changes not on disk, and
never says changes are lost that are on disk: while the question is open, saving that
works again (the disk freed up, the file made writable) answers it (the app quits with
code 0), and "quit anyway" saves once more before it says anything was lost.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.notifications import Notification, Notify
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from tui_reader.store import StateStore

EXIT_NOT_SAVED = 1


def _reason(store: StateStore) -> str:
    return store.notices[-1] if store.notices else f"{store.path} cannot be written"


class UnsavedScreen(ModalScreen[str]):
    """Dismisses with ``"retry"``, ``"save-as"``, ``"quit"`` or ``"cancel"``."""

    BINDINGS = [
        Binding("r", "choose('retry')", "Retry", id="unsaved.retry"),
        Binding("s", "choose('save-as')", "Save elsewhere", id="unsaved.save_as"),
        Binding("q", "choose('quit')", "Quit anyway", id="unsaved.quit"),
        Binding("escape", "choose('cancel')", "Back", id="unsaved.cancel"),
    ]

    def __init__(self, reason: str, store: StateStore | None = None) -> None:
        super().__init__()
        self.reason = reason
        self.store = store

    def on_mount(self) -> None:
        if self.store is not None:
            self.set_interval(0.25, self.check_saved)

    def check_saved(self) -> None:
        """Saving works again (the store retries on its own): nothing is lost any more."""
        if self.store is not None and not self.store.unsaved and self.is_active:
            self.dismiss("retry")  # the retry finds everything on disk: the app quits

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Your changes are not saved.", classes="dialog-title")
            yield Label(self.reason, classes="dialog-question", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Retry (r)", id="retry", variant="primary")
                yield Button("Save elsewhere (s)", id="save-as")
                yield Button("Quit anyway (q)", id="quit", variant="error")
            yield Label("escape goes back to the app", classes="dialog-hint")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(str(event.button.id))

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class SaveCopyScreen(ModalScreen[str | None]):
    """Asks for a new file to save the whole state to; None on escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="save_copy.cancel")]

    def __init__(self, suggestion: str) -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Save the reading state to a new file:", classes="dialog-title")
            yield Input(self.suggestion, id="save-copy-path")
            yield Label("enter save · escape back", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


FLUSH_TRIES = 5  # flushes at quit while changes keep arriving (each saves all before it)


class UnsavedGuard:
    """Watches one store for one app; see the module docstring."""

    def __init__(self, app: App, store: StateStore) -> None:
        self.app = app
        self.store = store
        self.warning: Notification | None = None
        self.quitting = False

    def start(self) -> None:
        self.app.set_interval(0.5, self.check)

    def check(self) -> None:
        failing = self.store.save_failing and self.store.unsaved
        if failing and self.warning is None:
            self.warning = Notification(
                f"Changes are NOT saved and saving keeps being retried: {_reason(self.store)}",
                title="Not saved",
                severity="error",
                timeout=365 * 24 * 3600,
            )
            self.app.post_message(Notify(self.warning))
        elif not failing and self.warning is not None:
            self.app._unnotify(self.warning)
            self.warning = None

    def request_quit(self) -> None:
        """Quit (the app's priority ``q``); pressed again on the question: quit anyway."""
        if self.quitting and isinstance(self.app.screen, UnsavedScreen):
            self.app.screen.dismiss("quit")
        elif not self.quitting:
            self.quitting = True
            self.app.run_worker(self._quit(), group="quit", exclusive=True)

    async def _quit(self) -> None:
        try:
            while True:
                if await self._flushed():
                    self.app.exit()
                    return
                choice = await self.app.push_screen_wait(
                    UnsavedScreen(_reason(self.store), self.store)
                )
                if choice == "retry":
                    continue
                if choice == "save-as" and await self._save_copy():
                    return
                if choice == "quit":
                    if await self._flushed():  # saved meanwhile after all
                        self.app.exit()
                        return
                    self.app.exit(
                        return_code=EXIT_NOT_SAVED,
                        message=f"digest-reader: changes were NOT saved: {_reason(self.store)}",
                    )
                    return
                if choice == "cancel":
                    return
        finally:
            self.quitting = False

    async def _flushed(self) -> bool:
        """Flush in a thread; a flush that saved but found a change made meanwhile (the
        UI runs on: the session writer) is tried again, a failing save is not."""
        for _ in range(FLUSH_TRIES):
            if await asyncio.to_thread(self.store.flush):
                return True
            if self.store.save_failing:
                return False
        return False

    async def _save_copy(self) -> bool:
        suggestion = str(Path.home() / "digest-reader-state.json")
        answer = await self.app.push_screen_wait(SaveCopyScreen(suggestion))
        if answer is None:
            return False
        target = Path(answer).expanduser()
        saved, message = await asyncio.to_thread(self.store.save_copy, target)
        if not saved:
            self.app.notify(message, title="Not saved", severity="error", timeout=10)
            return False
        self.app.exit(
            return_code=EXIT_NOT_SAVED,
            message=f"digest-reader: {message}; the state file {self.store.path} was not "
            "updated (open the copy with --db).",
        )
        return True
