"""Journal lines the store cannot use (issue 17, item 6) are never merged, not even in
part, never dropped: they are counted in one notice and kept, line for line, in
``<state>.journal.rejected``, which no fold ever cuts. A last line still being written
is not unusable until its writer is gone."""

from __future__ import annotations

import json

from tests.conftest import SEED_DIGEST
from tests.store_helpers import command, on_disk
from tui_reader.store import StateStore

PAPER = "2412.21188"  # in the sample digest
OTHER = "2412.20767"

UNUSABLE = [
    b'{"v": 99, "p": "2412.21188", "d": {"read": false}}',  # a newer format
    b'{"p": "2412.21188", "d": {"read": false, "starred": "very", "note": "", "tags": [],'
    b' "citation_key": null, "updated_at": 9e9, "changed": {}}}',  # a wrong type
    b'{"p": "2412.21188", "d": {"read": false, "starred": true, "note": "half", "tags": [],'
    b' "citation_key": null, "updated_at": 9e9, "changed": {}, "colour": "red"}}',  # unknown key
    b'{"p": "2412.21188", "d": {"starred": true, "updated_at": 9e9}}',  # fields missing
    b'{"p": "not an id", "d": {}}',
    b'{"q": 1}',
    b"\xff\xfe binary \x00 garbage",
    b'{"p": "2412.21188", "d": {"re',  # torn, then followed by a later line
]


def journal(path):
    return path.with_name(path.name + ".journal")


def rejected(path):
    return path.with_name(path.name + ".journal.rejected")


def state_with_bad_lines(path) -> None:
    result = command("--db", str(path), "mark", PAPER, "--read", "--digest", str(SEED_DIGEST))
    assert result.returncode == 0, result.stderr
    with StateStore.open(path, background=False) as store:  # a journal beside the file
        store.set_note(OTHER, "good line before")
        assert store.flush()
        with journal(path).open("ab") as handle:
            handle.write(b"\n".join(UNUSABLE) + b"\n")
        store.set_note(OTHER, "good line after")
        assert store.flush()
        store._closed = True  # leave without folding, as a killed copy would


def test_every_unusable_line_is_said_once_never_merged_and_kept_by_the_fold(tmp_path):
    path = tmp_path / "state.json"
    state_with_bad_lines(path)
    result = command("--db", str(path), "mark", OTHER, "--star")
    assert result.returncode == 0, result.stderr
    doc = on_disk(path)
    # Nothing of any of them was merged: the paper is as the good lines left it.
    assert (doc[PAPER]["read"], doc[PAPER]["starred"], doc[PAPER]["note"]) == (True, False, "")
    assert (doc[OTHER]["note"], doc[OTHER]["starred"]) == ("good line after", True)
    warnings = [line for line in result.stderr.splitlines() if "journal" in line]
    assert len(warnings) == 1 and f"{len(UNUSABLE)} lines of the journal" in warnings[0]
    # mark folds at its end: the journal is cut, every unusable line is in the side file.
    assert rejected(path).read_bytes() == b"\n".join(UNUSABLE) + b"\n"
    assert not journal(path).exists()
    again = command("--db", str(path), "mark", OTHER, "--unstar")  # a later fold
    assert again.returncode == 0 and again.stderr == ""
    assert rejected(path).read_bytes() == b"\n".join(UNUSABLE) + b"\n"  # not cut, not doubled


def test_a_read_only_listing_says_how_many_and_leaves_them(tmp_path):
    path = tmp_path / "state.json"
    state_with_bad_lines(path)
    before = journal(path).read_bytes()
    result = command("--db", str(path), "list", "--noted")
    warnings = [line for line in result.stderr.splitlines() if "journal" in line]
    assert len(warnings) == 1 and "left in it untouched" in warnings[0], result.stderr
    assert journal(path).read_bytes() == before and not rejected(path).exists()


def test_a_last_line_still_being_written_is_waited_for(tmp_path):
    path = tmp_path / "state.json"
    reader = StateStore.open(path, background=False)
    writer = StateStore.open(path, background=False)
    writer.set_read(PAPER, True)
    assert writer.flush()
    reader.reload()
    line = json.dumps({"v": 5, "p": OTHER, "d": writer._docs[PAPER]}).encode()
    with journal(path).open("ab") as handle:  # a slow writer, half way through its line
        handle.write(line[:40])
    assert reader.reload() == set() and reader.notices == []
    with journal(path).open("ab") as handle:
        handle.write(line[40:] + b"\n")
    assert reader.reload() == {OTHER} and reader.notices == []
    reader.close()
    writer.close()
