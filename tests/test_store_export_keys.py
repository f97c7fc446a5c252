"""``export`` opens the state read-only yet keeps the citation keys it assigns.

The keys go to the journal of an existing, healthy state file (appended under the lock,
fsynced); the state file itself is never created, moved or rewritten.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import bibtexparser

from tests.conftest import SEED_DIGEST
from tui_reader.cli import main
from tui_reader.store import StateStore

SECTION = """## {title}

>Authors: Rainer Engelken, Fred Wolf

>2024-12-30

> http://arxiv.org/abs/{arxiv_id}v1

An abstract about {title}.

"""


def digest(folder: Path) -> Path:
    """Two papers whose citation keys collide (same author, year, first title word)."""
    path = folder / "2025-01-03.md"
    path.write_text(
        "# 2025-01-03\n\n"
        + SECTION.format(title="Sparse chaos in circuits", arxiv_id="2412.10001")
        + SECTION.format(title="Sparse codes in cortex", arxiv_id="2412.20002")
    )
    return path


def keys_of(capsys) -> dict[str, str]:
    library = bibtexparser.parse_string(capsys.readouterr().out)
    return {entry["eprint"]: entry.key for entry in library.entries}


def test_a_key_export_assigned_never_changes(capsys, tmp_path):
    path = digest(tmp_path)
    state = Path(os.environ["DIGEST_READER_DB"])
    assert main(["mark", "2412.20002", "--star", "--digest", str(path)]) == 0
    before = state.stat()
    capsys.readouterr()
    assert main(["export"]) == 0
    first = keys_of(capsys)
    assert first == {"2412.20002": "engelken2024sparse"}
    after = state.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino,
        before.st_mtime_ns,
        before.st_size,
    )  # the state file itself is not rewritten: the key went to the journal
    journal = state.with_name(state.name + ".journal")
    assert '"citation_key": "engelken2024sparse"' in journal.read_text()
    # Now a paper that sorts first and has the same key base is starred too.
    assert main(["mark", "2412.10001", "--star", "--digest", str(path)]) == 0
    capsys.readouterr()
    assert main(["export"]) == 0
    second = keys_of(capsys)
    assert second["2412.20002"] == "engelken2024sparse"  # unchanged
    assert second["2412.10001"] == "engelken2024sparsea"
    assert main(["export"]) == 0
    assert keys_of(capsys) == second


def test_export_never_creates_a_state_file(capsys, tmp_path):
    state = Path(os.environ["DIGEST_READER_DB"])
    assert main(["export", "--all", str(SEED_DIGEST)]) == 0
    assert len(keys_of(capsys)) == 30
    assert not state.exists() and not state.parent.exists()


def test_export_leaves_a_damaged_file_alone_and_says_keys_were_not_kept(capsys, tmp_path):
    path = digest(tmp_path)
    state = Path(os.environ["DIGEST_READER_DB"])
    assert main(["mark", "2412.20002", "--star", "--digest", str(path)]) == 0
    StateStore.open(state, background=False).close()  # folded: one tidy file
    raw = state.read_bytes()
    data = json.loads(raw)
    data["papers"]["2412.99999"] = {"read": "not a bool"}  # one damaged entry
    state.write_text(json.dumps(data))
    content = state.read_bytes()
    capsys.readouterr()
    assert main(["export"]) == 3  # written, but the state was not read whole
    captured = capsys.readouterr()
    assert "engelken2024sparse" in captured.out
    assert "1 new citation keys were not stored" in captured.err
    assert state.read_bytes() == content
    assert sorted(p.name for p in state.parent.iterdir()) == ["state.json", "state.json.lock"]
