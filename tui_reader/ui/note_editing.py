"""Writing notes: the editor, the drafts it keeps, and notes that change elsewhere.

``NoteActions`` is mixed into ``TriageScreen`` (which provides ``triage``,
``current_paper``, ``refresh_all`` and ``notify``):

* ``action_edit_note`` (``n``): a draft of the current paper's note left by an editor
  that never saved is offered first (``DraftOfferScreen``: restore or discard; escape
  leaves it); then ``NoteScreen`` edits the note. A saved note is set through
  ``Triage``; its draft is removed once the store has it on disk (a failed flush is
  tried again every ``DRAFT_FLUSH_RETRY`` seconds while the app runs).
* ``notes_changed_elsewhere(ids)``: the store merged outside changes; an open editor
  on one of those papers looks at its saved note again.
* ``keep_open_note()``: any thread (the signal path): the open editor's text becomes a
  draft now.
* ``announce_note_drafts()``: at start, one notification naming the papers with
  drafts waiting.

Drafts live beside the state file (``note_drafts.drafts_folder``); a draft equal to
the saved note is removed without asking once the store has everything on disk: there
is nothing in it to lose.
"""

from __future__ import annotations

import time

from textual import work
from textual.worker import get_current_worker

from ..note_drafts import DraftError, NoteDraft, NoteDrafts, drafts_folder
from ..note_versions import same_note
from .rendering import display_title
from .screens.note import NoteScreen
from .screens.note_choices import DraftOfferScreen

DRAFT_FLUSH_RETRY = 0.5  # seconds between tries to save a note before its draft goes

NAMED_DRAFTS = 3  # papers named in the notification at start; the rest are counted


class NoteActions:
    """The note half of ``TriageScreen``."""

    _note_drafts: NoteDrafts | None = None
    _note_editor: NoteScreen | None = None

    @property
    def note_drafts(self) -> NoteDrafts:
        if self._note_drafts is None:
            self._note_drafts = NoteDrafts(drafts_folder(self.triage.store.path))
        return self._note_drafts

    @work(exclusive=True, group="note")
    async def action_edit_note(self) -> None:
        paper = self.current_paper()
        if paper is None:
            return
        store, drafts, arxiv_id = self.triage.store, self.note_drafts, paper.arxiv_id
        title = display_title(paper.title)
        saved = store.state(arxiv_id).note
        text = base = saved
        offered = []
        for draft in drafts.offered(arxiv_id):
            if not same_note(draft.text, saved):
                offered.append(draft)
            elif not store.unsaved:
                drafts.remove(draft)  # saved, and on disk: nothing in it to lose
        if offered:
            draft = offered[0]
            choice = await self.app.push_screen_wait(
                DraftOfferScreen(title, draft, saved, device=drafts.device, more=len(offered) - 1)
            )
            if choice is None:
                return  # not now: the draft stays
            if choice == "restore":
                text, base = draft.text, draft.base
                self._adopt(draft)
            else:
                drafts.remove(draft)
        editor = NoteScreen(title, text, base=base, arxiv_id=arxiv_id, drafts=drafts,
                            saved_note=lambda: store.state(arxiv_id).note)  # fmt: skip
        self._note_editor = editor
        note = await self.app.push_screen_wait(editor)
        self._note_editor = None
        if note is None:
            return
        if not same_note(note, store.state(arxiv_id).note):
            self.triage.set_note(paper, note)
            self.refresh_all()
            self.notify("Note saved." if note.strip() else "Note deleted.", timeout=1.5)
        self._forget_draft_once_saved(editor)

    def _adopt(self, draft: NoteDraft) -> None:
        """The restored draft becomes this app's own (so a kill now keeps it too)."""
        drafts = self.note_drafts
        if draft.writer == drafts.writer:
            return
        try:
            drafts.keep(draft.arxiv_id, draft.title, draft.text, draft.base)
        except DraftError:
            return  # the old file stays: the editor says why it cannot keep drafts
        drafts.remove(draft)

    @work(thread=True, group="note-drafts")
    def _forget_draft_once_saved(self, closed: NoteScreen) -> None:
        worker = get_current_worker()
        # The draft goes once the note is on disk: a flush that fails (a full disk, a lock
        # held long on a busy machine) is tried again while the app runs; until then, and
        # if the app leaves first, the draft stays (offered on the next open).
        while not self.triage.store.flush():
            if worker.is_cancelled:
                return
            time.sleep(DRAFT_FLUSH_RETRY)
        editor = self._note_editor
        if editor is None or editor.arxiv_id != closed.arxiv_id:  # not while a new edit runs
            closed.drop_draft()

    def notes_changed_elsewhere(self, ids: set[str]) -> None:
        editor = self._note_editor
        if editor is not None and editor.arxiv_id in ids and editor.is_mounted:
            editor.saved_note_changed()

    def keep_open_note(self) -> None:
        editor = self._note_editor
        if editor is not None:
            editor.keep_draft_now()

    def announce_note_drafts(self) -> None:
        drafts = self.note_drafts
        waiting = drafts.pending()
        if waiting:
            titles = list(dict.fromkeys(draft.title or draft.arxiv_id for draft in waiting))
            named = ", ".join(f"“{title}”" for title in titles[:NAMED_DRAFTS])
            if len(titles) > NAMED_DRAFTS:
                named += f" and {len(titles) - NAMED_DRAFTS:,} more papers"
            noun = "draft" if len(waiting) == 1 else "drafts"
            self.notify(f"Unsaved note {noun} kept for {named}: press n on the paper to "
                        "restore or discard.", title="Note drafts", timeout=15)  # fmt: skip
        if drafts.unreadable:
            count = len(drafts.unreadable)
            noun = "file" if count == 1 else "files"
            self.notify(f"{count:,} note draft {noun} in {drafts.folder} could not be read; "
                        "they are left as they are.", title="Note drafts",
                        severity="warning", timeout=15)  # fmt: skip
