"""The note editor against a note that changes elsewhere, and the drafts it keeps (pilot).

A second ``StateStore`` on the same file stands for the CLI's ``mark ID --note`` or
another running copy; ``reload()`` delivers its change the way the background check
does (``on_external_change``).
"""

from __future__ import annotations

import asyncio
import os

from tests.app_helpers import loaded, new_app
from tests.test_app import FIRST, SECOND, SIZE, THIRD, state
from tests.test_app_unsaved import wait_for
from tests.test_note_drafts import dead_pid
from tui_reader.note_drafts import NoteDraft, NoteDrafts, drafts_folder
from tui_reader.note_versions import BOTH_SEPARATOR
from tui_reader.store import StateStore
from tui_reader.ui.app import TriageScreen
from tui_reader.ui.screens import note as note_screen
from tui_reader.ui.screens.confirm import ConfirmScreen
from tui_reader.ui.screens.note import NoteScreen
from tui_reader.ui.screens.note_choices import DraftOfferScreen, NoteConflictScreen

TYPED = "compare with — ünïcode ✓\nsecond line"


def noted_app(tmp_path, notes: dict[str, str]):
    store = StateStore.open(tmp_path / "state.json", background=False)
    for arxiv_id, note in notes.items():
        store.set_note(arxiv_id, note)
    store.close()
    app = new_app(tmp_path)
    app.store.on_external_change = app.triage_screen.state_changed_elsewhere
    return app


def app_with_draft_left(tmp_path, saved: str, text: str, base: str):
    """An app over a saved note of FIRST, beside a draft of it from a copy since killed."""
    app = noted_app(tmp_path, {FIRST: saved})
    killed = NoteDrafts(drafts_folder(tmp_path / "state.json"), pid=dead_pid())
    killed.keep(FIRST, "Sparse chaos", text, base)
    return app


async def press_to(pilot, key: str, screen: type) -> None:
    """Press ``key`` and wait until ``screen`` is on top."""
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, screen))


def write_elsewhere(tmp_path, app, arxiv_id: str, note: str) -> None:
    """Another copy sets the note; the app hears of it as from its background check."""
    with StateStore.open(tmp_path / "state.json", background=False) as other:
        other.set_note(arxiv_id, note)
        assert other.flush()
    app.store.reload()


def editor_text(app) -> str:
    return app.screen.query_one("#note-text").text


def notice(app) -> str:
    label = app.screen.query_one("#note-notice")
    return str(label.render()) if label.has_class("-shown") else ""


def drafts_on_disk(tmp_path) -> list[str]:
    folder = drafts_folder(tmp_path / "state.json")
    return (
        [name for name in os.listdir(folder) if not name.startswith(".")] if folder.exists() else []
    )


def kept_text(tmp_path, arxiv_id: str) -> str | None:
    """The text of the draft on disk (whichever writer), None when there is none."""
    folder = drafts_folder(tmp_path / "state.json")
    drafts = NoteDrafts(folder, device="a reader elsewhere")  # sees every writer's draft
    found = drafts.offered(arxiv_id)
    return found[0].text if found else None


async def test_saving_over_a_note_changed_elsewhere_asks_and_keeps_the_chosen(tmp_path):
    app = noted_app(tmp_path, {FIRST: "base 1", SECOND: "base 2", THIRD: "base 3"})
    theirs = {FIRST: "theirs 1", SECOND: "theirs 2", THIRD: "theirs 3"}
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        for key, arxiv_id, expected in (
            ("m", FIRST, "base 1 mine"),
            ("t", SECOND, "theirs 2, again"),
            ("b", THIRD, f"base 3 mine\n\n{BOTH_SEPARATOR}\ntheirs 3"),
        ):
            screen = app.screen
            assert isinstance(screen, TriageScreen)
            screen.paper_list.move_to(screen.triage.position_of(arxiv_id))
            await pilot.press("n", *" mine")
            write_elsewhere(tmp_path, app, arxiv_id, theirs[arxiv_id])
            await press_to(pilot, "ctrl+s", NoteConflictScreen)
            dialog = app.screen
            assert "base" in str(dialog.query_one("#note-mine Static").render())
            assert "theirs" in str(dialog.query_one("#note-theirs Static").render())
            if key == "m":  # escape first: back to the editor, nothing lost
                await press_to(pilot, "escape", NoteScreen)
                assert editor_text(app) == "base 1 mine"
                await press_to(pilot, "ctrl+s", NoteConflictScreen)
            if key == "t":  # changed again while the reader chooses: asked again
                write_elsewhere(tmp_path, app, arxiv_id, "theirs 2, again")
                await pilot.press("t")
                await wait_for(pilot, lambda shown=dialog: app.screen is not shown)
                again = app.screen
                assert isinstance(again, NoteConflictScreen)
                assert "again" in str(again.query_one("#note-theirs Static").render())
            await pilot.press(key)
            await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
            await pilot.pause()
            assert state(app, arxiv_id).note == expected, key
        await app.workers.wait_for_complete()
    assert drafts_on_disk(tmp_path) == []  # saved: no draft is left behind


async def test_the_editor_says_at_once_when_the_note_changes_elsewhere(tmp_path):
    app = noted_app(tmp_path, {FIRST: "base"})
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("n", *" mine")
        assert notice(app) == ""
        write_elsewhere(tmp_path, app, SECOND, "another paper")
        await pilot.pause()
        assert notice(app) == ""  # not this note
        write_elsewhere(tmp_path, app, FIRST, "theirs")
        await pilot.pause()
        assert "changed elsewhere" in notice(app) and "ctrl+s" in notice(app)
        assert editor_text(app) == "base mine"  # the reader's text is untouched
        write_elsewhere(tmp_path, app, FIRST, "base")  # back as it was: nothing to choose
        await pilot.pause()
        assert notice(app) == ""
        await press_to(pilot, "ctrl+s", TriageScreen)
        assert state(app, FIRST).note == "base mine"


async def test_the_draft_is_kept_after_a_quiet_time_and_discarding_removes_it(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("n", *"typed")
        await wait_for(pilot, lambda: kept_text(tmp_path, FIRST) == "typed", seconds=20)
        await press_to(pilot, "escape", ConfirmScreen)
        await pilot.press("y")  # discard
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        assert drafts_on_disk(tmp_path) == [] and state(app, FIRST).note == ""


async def test_leaving_keeps_the_draft_and_the_next_start_offers_it_back(tmp_path, monkeypatch):
    monkeypatch.setattr(note_screen, "DRAFT_QUIET", 600.0)  # only leaving writes it
    monkeypatch.setattr(note_screen, "DRAFT_MAX_WAIT", 600.0)
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("n", *"first", "enter")
        assert kept_text(tmp_path, FIRST) is None
        await asyncio.to_thread(app.keep_note_drafts)  # what the signal path calls
        assert kept_text(tmp_path, FIRST) == "first\n"
        await pilot.press(*"more")
    # The app left with the editor open (ctrl+q, a signal): its text is the draft.
    assert kept_text(tmp_path, FIRST) == "first\nmore"

    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert any("Sparse chaos in cortical circuits" in message and "draft" in message
                   for message in app.notifications_seen)  # fmt: skip
        await press_to(pilot, "n", DraftOfferScreen)
        assert "first\nmore" in str(app.screen.query_one("#note-draft Static").render())
        await press_to(pilot, "r", NoteScreen)
        assert editor_text(app) == "first\nmore"
        await press_to(pilot, "ctrl+s", TriageScreen)
        assert state(app, FIRST).note == "first\nmore"
        await app.workers.wait_for_complete()
    assert drafts_on_disk(tmp_path) == []


async def test_a_draft_beside_a_saved_note_can_be_discarded(tmp_path):
    app = app_with_draft_left(tmp_path, "saved note", "saved note and typing", "saved note")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await press_to(pilot, "n", DraftOfferScreen)
        offer = app.screen
        assert "and typing" in str(offer.query_one("#note-draft Static").render())
        assert "saved note" in str(offer.query_one("#note-saved Static").render())
        await pilot.press("escape")  # not now: the draft stays, no editor
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        assert kept_text(tmp_path, FIRST) == "saved note and typing"
        await press_to(pilot, "n", DraftOfferScreen)
        await press_to(pilot, "d", NoteScreen)
        assert editor_text(app) == "saved note"
        assert drafts_on_disk(tmp_path) == []
        await press_to(pilot, "escape", TriageScreen)
        assert state(app, FIRST).note == "saved note"


async def test_a_draft_that_was_saved_after_all_is_not_offered(tmp_path):
    app = app_with_draft_left(tmp_path, "the same text", "the same text\n", "")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.store.flush()  # the background thread's work (this store has none)
        await press_to(pilot, "n", NoteScreen)
        assert drafts_on_disk(tmp_path) == []


async def test_a_restored_draft_never_silently_overwrites_a_newer_note(tmp_path):
    """The draft began on "old"; the note is "newer" now (another device, the CLI)."""
    app = app_with_draft_left(tmp_path, "newer", "old and my draft", "old")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await press_to(pilot, "n", DraftOfferScreen)
        assert "changed since" in str(app.screen.query_one(".note-choice-about").render())
        await press_to(pilot, "r", NoteScreen)
        assert "changed elsewhere" in notice(app)
        await press_to(pilot, "ctrl+s", NoteConflictScreen)
        await press_to(pilot, "b", TriageScreen)
        assert state(app, FIRST).note == f"old and my draft\n\n{BOTH_SEPARATOR}\nnewer"


def test_the_conflict_dialog_at_80x24(snap_compare, tmp_path):
    app = noted_app(tmp_path, {FIRST: "Compare with the Lyapunov spectrum in section 3."})

    async def run_before(pilot):
        await loaded(pilot)
        await pilot.press("n", "enter", *"Also: the balanced-state argument, eq. 7.")
        write_elsewhere(tmp_path, app, FIRST, "Read with Engelken 2023; cite in chapter 2.")
        await press_to(pilot, "ctrl+s", NoteConflictScreen)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_a_draft_stamped_by_a_broken_clock_is_still_offered():
    for stamp in (1e300, -1e300, 1.7e12):
        draft = NoteDraft(FIRST, "T", "typed", "", stamp, "here", 1, "abc")
        assert DraftOfferScreen("T", draft, "").about() == "Typed at an unknown time."
