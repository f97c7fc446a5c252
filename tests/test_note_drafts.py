"""Drafts of notes (``note_drafts``) and the choice between two versions of a note
(``note_versions``): plain functions and files, no app."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.store_helpers import REPO_ROOT
from tui_reader.note_drafts import (
    DRAFT_KIND,
    DraftError,
    DraftKeeper,
    NoteDrafts,
    drafts_folder,
    file_name,
    parse_draft,
)
from tui_reader.note_versions import BOTH_SEPARATOR, keep_both, needs_choice, resolve, same_note

TEXT = "first line — ünïcode ✓\n\n  indented\ttab\nlast line \udcff lone surrogate"


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def drafts_of(folder, *, writer=None, **options) -> NoteDrafts:
    return NoteDrafts(folder, device="here", writer=writer, **options)


def test_a_draft_comes_back_exactly_as_typed(tmp_path):
    folder = drafts_folder(tmp_path / "state.json")
    assert folder == tmp_path / "state.json.drafts"
    writer = drafts_of(folder, clock=lambda: 1000.0, pid=dead_pid())  # a run since killed
    kept = writer.keep("2412.21188", "Sparse chaos", TEXT, "the saved note")
    assert (folder / file_name("2412.21188", writer.writer)).is_file()
    assert not [name for name in os.listdir(folder) if name.endswith(".tmp")]
    for reader in (writer, drafts_of(folder)):  # the same run, and the next one
        (draft,) = reader.offered("2412.21188")
        assert draft == kept
        assert (draft.text, draft.base, draft.title) == (TEXT, "the saved note", "Sparse chaos")
        assert draft.saved_at == 1000.0
    assert writer.offered("2412.21140") == []
    assert writer.pending() == [kept]


def test_a_draft_file_is_marked_and_never_a_note(tmp_path):
    folder = tmp_path / "drafts"
    drafts_of(folder).keep("2412.21188", "T", "typed", "")
    (name,) = os.listdir(folder)
    data = json.loads((folder / name).read_text(encoding="ascii"))
    assert data["kind"] == DRAFT_KIND and data["format"] == 1
    assert "note" not in data  # nothing a reader of notes could take for one


def test_old_style_ids_are_quoted_into_one_file_name(tmp_path):
    drafts = drafts_of(tmp_path / "drafts")
    drafts.keep("hep-th/9901001", "Old", "text", "")
    (name,) = os.listdir(tmp_path / "drafts")
    assert name.startswith("hep-th%2F9901001.")
    assert [draft.arxiv_id for draft in drafts.offered("hep-th/9901001")] == ["hep-th/9901001"]


def test_each_writer_owns_its_files(tmp_path):
    folder = tmp_path / "drafts"
    mine, theirs = drafts_of(folder, clock=lambda: 2.0), drafts_of(folder, clock=lambda: 1.0)
    mine.keep("2412.21188", "T", "mine", "")
    theirs.keep("2412.21188", "T", "theirs", "")
    assert [draft.text for draft in mine.offered("2412.21188")] == ["mine", "theirs"]  # newest
    mine.forget("2412.21188")  # only my own file
    assert [draft.text for draft in mine.offered("2412.21188")] == ["theirs"]
    (draft,) = mine.offered("2412.21188")
    mine.remove(draft)  # the reader discarded it
    assert mine.offered("2412.21188") == [] and os.listdir(folder) == []


def test_a_live_copys_draft_is_not_offered_here(tmp_path):
    folder = tmp_path / "drafts"
    live = drafts_of(folder, pid=os.getppid())  # a process that is running
    live.keep("2412.21188", "T", "still being typed", "")
    assert drafts_of(folder).offered("2412.21188") == []
    assert drafts_of(folder).pending() == []
    elsewhere = NoteDrafts(folder, device="another machine")
    assert [draft.text for draft in elsewhere.offered("2412.21188")] == ["still being typed"]
    gone = drafts_of(folder, pid=dead_pid())
    gone.keep("2412.21140", "T", "left by a kill", "")
    assert [draft.text for draft in drafts_of(folder).pending()] == ["left by a kill"]


def test_a_draft_replaces_a_symlink_and_never_writes_through_it(tmp_path):
    folder = tmp_path / "drafts"
    drafts = drafts_of(folder)
    folder.mkdir()
    target = tmp_path / "not-ours.txt"
    target.write_text("someone else's file")
    link = folder / file_name("2412.21188", drafts.writer)
    link.symlink_to(target)
    drafts.keep("2412.21188", "T", "typed", "")
    assert target.read_text() == "someone else's file"
    assert not link.is_symlink() and [d.text for d in drafts.offered("2412.21188")] == ["typed"]


@pytest.mark.parametrize("kind", ["symlink", "file"])
def test_a_drafts_folder_that_is_not_ours_is_refused(tmp_path, kind):
    folder = tmp_path / "state.json.drafts"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if kind == "symlink":
        folder.symlink_to(elsewhere)
    else:
        folder.write_text("a file")
    drafts = drafts_of(folder)
    with pytest.raises(DraftError) as raised:
        drafts.keep("2412.21188", "T", "typed", "")
    assert "\n" not in str(raised.value) and str(folder) in str(raised.value)
    assert os.listdir(elsewhere) == []
    assert drafts.pending() == []
    drafts.forget("2412.21188")  # removes nothing anywhere
    assert folder.is_symlink() or folder.read_text() == "a file"


def test_a_folder_that_cannot_be_made_is_one_line(tmp_path):
    (tmp_path / "a file").write_text("")
    with pytest.raises(DraftError) as raised:
        drafts_of(tmp_path / "a file" / "drafts").keep("2412.21188", "T", "typed", "")
    assert "\n" not in str(raised.value) and "could not keep the draft" in str(raised.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_line(tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir(mode=0o500)
    try:
        with pytest.raises(DraftError) as raised:
            drafts_of(folder).keep("2412.21188", "T", "typed", "")
        assert "\n" not in str(raised.value)
    finally:
        folder.chmod(0o700)


def test_files_that_are_not_drafts_are_left_alone_and_named(tmp_path):
    folder = tmp_path / "drafts"
    drafts = drafts_of(folder)
    good = drafts.keep("2412.21188", "T", "typed", "")
    name = file_name("2412.21140", "abc123")
    wrong_types = {"kind": DRAFT_KIND, "format": 1, "arxiv_id": "2412.21140", "title": "T",
                   "text": ["not", "text"], "base": "", "saved_at": 1.0, "device": "d",
                   "pid": 1, "writer": "abc123"}  # fmt: skip
    bad = {
        "garbage.x1.json": b"{not json",
        "wrong-kind.x1.json": json.dumps({"kind": "note", "text": "x"}).encode(),
        name: json.dumps(wrong_types).encode(),
    }
    for bad_name, content in bad.items():
        (folder / bad_name).write_bytes(content)
    os.mkfifo(folder / "fifo.x1.json")  # read without blocking, and skipped
    (folder / "link.x1.json").symlink_to(folder / file_name(good.arxiv_id, good.writer))
    assert drafts.pending() == [good]
    assert sorted(drafts.unreadable) == sorted([*bad, "fifo.x1.json", "link.x1.json"])
    for bad_name, content in bad.items():
        assert (folder / bad_name).read_bytes() == content


def test_a_draft_whose_name_and_content_disagree_is_not_offered(tmp_path):
    folder = tmp_path / "drafts"
    drafts = drafts_of(folder)
    drafts.keep("2412.21188", "T", "typed", "")
    (name,) = os.listdir(folder)
    os.rename(folder / name, folder / name.replace("2412.21188", "2412.21140"))
    assert drafts.offered("2412.21140") == [] and drafts.offered("2412.21188") == []


def test_only_stale_temp_files_are_cleaned_up(tmp_path):
    folder = tmp_path / "drafts"
    now = [1e9]
    drafts = drafts_of(folder, clock=lambda: now[0])
    folder.mkdir()
    temp = folder / ".abc.tmp"
    temp.write_text("half a draft")
    os.utime(temp, (1e9 - 10, 1e9 - 10))
    drafts.pending()
    assert temp.exists()  # another copy may be writing it right now
    now[0] += 120
    drafts.pending()
    assert not temp.exists()


def test_a_keeper_never_lets_an_older_text_land_after_a_newer_one(tmp_path):
    drafts = drafts_of(tmp_path / "drafts")
    keeper = DraftKeeper(drafts, "2412.21188", "T", "saved")
    older, newer = keeper.ticket(), keeper.ticket()
    assert keeper.write("newer text", newer) == ""
    assert keeper.write("older text", older) == ""  # late: skipped
    assert [draft.text for draft in drafts.offered("2412.21188")] == ["newer text"]
    in_flight = keeper.ticket()
    keeper.write(None, keeper.ticket())  # the reader discarded it
    keeper.write("typed before the discard", in_flight)
    assert drafts.offered("2412.21188") == []
    keeper.write("typed", keeper.ticket())
    keeper.write("saved", keeper.ticket())  # back to the saved note: no draft
    assert drafts.offered("2412.21188") == []


def test_a_keeper_says_in_one_line_why_a_draft_was_not_kept(tmp_path):
    (tmp_path / "a file").write_text("")
    keeper = DraftKeeper(drafts_of(tmp_path / "a file" / "d"), "2412.21188", "T", "")
    problem = keeper.write("typed", keeper.ticket())
    assert problem.startswith("could not keep the draft") and "\n" not in problem


@pytest.mark.parametrize(
    "raw",
    [b"", b"[]", b'{"kind": "digest-reader note draft"}', b"\xff\xfe", b"[" * 100_000],
)
def test_parse_draft_refuses_what_is_not_a_draft(raw):
    assert parse_draft(raw) is None


def test_the_draft_and_version_modules_do_not_import_textual():
    code = ("import sys, tui_reader.note_drafts, tui_reader.note_versions; "
            "print('textual' in sys.modules)")  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO_ROOT, check=True)  # fmt: skip
    assert result.stdout.strip() == "False"


# -- two versions of a note ----------------------------------------------------------------


def test_saving_asks_only_when_the_saved_note_moved_and_differs_from_mine():
    assert not needs_choice("base", "base", "mine")  # nothing changed elsewhere
    assert not needs_choice("base", " base\n", "mine")  # the store strips whitespace
    assert not needs_choice("base", "mine", "mine\n")  # both wrote the same
    assert needs_choice("base", "theirs", "mine")
    assert needs_choice("base", "", "mine")  # deleted elsewhere
    assert needs_choice("", "theirs", "mine")  # written elsewhere while mine was new
    assert same_note("a\n", " a")


def test_each_choice_keeps_what_it_says():
    assert resolve("mine", "mine", "theirs") == "mine"
    assert resolve("theirs", "mine", "theirs") == "theirs"
    both = resolve("both", "mine\n", "\ntheirs")
    assert both == f"mine\n\n{BOTH_SEPARATOR}\ntheirs"
    assert both.index("mine") < both.index(BOTH_SEPARATOR) < both.index("theirs")
    assert keep_both("", "theirs") == "theirs" and keep_both("mine", "  ") == "mine"
    with pytest.raises(ValueError):
        resolve("neither", "a", "b")  # type: ignore[arg-type]
