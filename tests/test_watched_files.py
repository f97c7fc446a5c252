"""Which files below the opened paths count, which changed, and reading one that is
still being written: the file-system side of watching, without a UI."""

from __future__ import annotations

import os

import pytest

from tests.watch_helpers import digest_text, write_digest
from tui_reader.formats.common import DigestError
from tui_reader.watched_files import WatchedPaths, fingerprint, read_when_quiet


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "digests"
    write_digest(folder, "2025-01-03.md", "2025-01-03", ["2501.00001"])
    write_digest(folder, "sub/2025-01-04.txt", "2025-01-04", ["2501.00002"])
    return folder


@pytest.mark.parametrize(
    ("name", "relevant"),
    [
        ("2025-01-10.md", True),
        ("sub/2025-01-10.MARKDOWN", True),
        ("listing.eml", True),
        (".syncthing.2025-01-10.md.tmp", False),  # Syncthing's temporary file
        (".2025-01-10.md", False),  # a dotfile
        (".stversions/2025-01-03.md", False),  # inside a hidden folder
        ("~$2025-01-10.md", False),  # Office's owner file
        ("2025-01-10.md.swp", False),  # vim
        ("2025-01-10.md~", False),  # a backup
        ("2025-01-10.md.part", False),  # a download
        ("gone-folder", True),  # does not exist: maybe a folder that went
    ],
)
def test_which_names_can_matter(folder, name, relevant):
    watched = WatchedPaths([folder])
    if not name.startswith("gone"):  # the event names a file that is there
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(digest_text("2025-01-10", ["2501.00010"]))
    assert watched.relevant(folder / name) is relevant


def test_a_file_without_suffix_is_not_a_folder(folder):
    (folder / "4913").write_text("vim checks it may write here")
    (folder / "new.d").mkdir()
    watched = WatchedPaths([folder])
    assert not watched.relevant(folder / "4913")
    assert watched.relevant(folder / "new.d")  # a folder, whatever its name
    assert not watched.relevant(folder.parent / "elsewhere.md")  # not below a root


def test_a_file_opened_by_name_counts_whatever_its_name(tmp_path):
    opened = tmp_path / "listing.html"
    opened.write_text(digest_text("2025-01-03", ["2501.00001"]))
    watched = WatchedPaths([opened])
    assert watched.relevant(opened) and watched.file_folders == [tmp_path]
    assert not watched.relevant(tmp_path / "other.md")  # its folder is not opened
    assert watched.folders == []


def test_the_plan_reads_new_and_changed_files_and_removes_gone_ones(folder):
    watched = WatchedPaths([folder])
    known = watched.digest_files()
    assert sorted(path.name for path in known) == ["2025-01-03.md", "2025-01-04.txt"]
    assert watched.plan([folder / "2025-01-03.md"], known).read == []  # unchanged
    new = write_digest(folder, "2025-01-10.md", "2025-01-10", ["2501.00010"])
    changed = folder / "2025-01-03.md"
    changed.write_text(changed.read_text() + "\n")
    (folder / "sub" / "2025-01-04.txt").unlink()
    plan = watched.plan([new, changed, folder / "sub" / "2025-01-04.txt"], known)
    assert plan.read == [changed, new]
    assert plan.removed == [folder / "sub" / "2025-01-04.txt"] and plan.roots_gone == []


def test_a_folder_that_appears_or_goes_is_looked_through(folder):
    watched = WatchedPaths([folder])
    known = watched.digest_files()
    moved = folder / "sub"
    moved.rename(folder / "2025")  # a folder renamed: gone here, new there
    plan = watched.plan([moved, folder / "2025"], known)
    assert plan.read == [folder / "2025" / "2025-01-04.txt"]
    assert plan.removed == [moved / "2025-01-04.txt"]


def test_a_full_look_finds_everything_and_a_gone_root_is_said(folder):
    watched = WatchedPaths([folder])
    known = watched.digest_files()
    write_digest(folder, "deep/er/2025-01-10.md", "2025-01-10", ["2501.00010"])
    assert watched.plan([], known, full=True).read == [folder / "deep/er/2025-01-10.md"]
    folder.rename(folder.parent / "elsewhere")
    plan = watched.plan([folder / "2025-01-03.md"], known)
    assert plan.roots_gone == [folder] and plan.read == [] and plan.removed == []


def test_a_file_still_being_written_is_read_once_it_is_still(tmp_path):
    path = tmp_path / "2025-01-10.md"
    path.write_text(digest_text("2025-01-10", ["2501.00001"]))
    now = [fingerprint(path).mtime + 0.1]  # written 0.1 s ago
    waits = []

    def sleep(seconds):  # meanwhile the writer adds the second paper
        waits.append(round(seconds, 3))
        if len(waits) == 1:
            path.write_text(digest_text("2025-01-10", ["2501.00001", "2501.00002"]))
            stamp = fingerprint(path).mtime
            now[0] = stamp + 0.5
            os.utime(path, ns=(int(stamp * 1e9), int(stamp * 1e9)))
        else:
            now[0] += seconds

    reading, print_ = read_when_quiet(path, quiet=1.0, clock=lambda: now[0], sleep=sleep)
    assert [p.arxiv_id for p in reading.papers] == ["2501.00001", "2501.00002"]
    assert waits == [0.9, 0.5] and print_ == fingerprint(path)


def test_a_file_with_a_time_in_the_future_is_read_at_once(tmp_path):
    path = write_digest(tmp_path, "2025-01-10.md", "2025-01-10", ["2501.00001"])
    future = fingerprint(path).mtime + 3600
    os.utime(path, (future, future))
    reading, _ = read_when_quiet(path, quiet=1.0, sleep=pytest.fail)
    assert len(reading.papers) == 1


def test_a_file_that_is_no_digest_or_gone_is_a_digest_error(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("milk, bread\n")
    with pytest.raises(DigestError, match="no papers found"):
        read_when_quiet(notes, quiet=0)
    with pytest.raises(DigestError, match="no such file"):
        read_when_quiet(tmp_path / "gone.md", quiet=0)
