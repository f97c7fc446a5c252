"""mark, list filters and export: the scripting side of the state file."""

from __future__ import annotations

import json
import os

import bibtexparser
import pytest

from tests.conftest import SEED_DIGEST
from tui_reader.cli import main

SEED = str(SEED_DIGEST)


def list_json(capsys, *args):
    assert main(["list", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_mark_then_list_reflects_the_state(capsys):
    assert main(["mark", "2412.21188", "http://arxiv.org/abs/2412.20767v1", "--star",
                 "--digest", SEED]) == 0  # fmt: skip
    assert capsys.readouterr().out == "2412.21188\tN*.\n2412.20767\tN*.\n"
    assert main(["mark", "2412.21188v1", "--read", "--note", "chaos in\ncortex"]) == 0
    capsys.readouterr()
    papers = {p["id"]: p for p in list_json(capsys, SEED)}
    assert papers["2412.21188"]["read"] is True
    assert papers["2412.21188"]["starred"] is True
    assert papers["2412.21188"]["note"] == "chaos in\ncortex"
    assert papers["2412.21140"]["read"] is False
    assert papers["2412.21140"]["note"] is None
    unread = list_json(capsys, SEED, "--unread")
    assert len(unread) == 29 and "2412.21188" not in {p["id"] for p in unread}


def test_list_starred_works_from_the_store_alone(capsys, tmp_path):
    copy = tmp_path / "digest.md"
    copy.write_bytes(SEED_DIGEST.read_bytes())
    assert main(["mark", "2412.20105", "--star", "--digest", str(copy)]) == 0
    copy.unlink()  # the digest is gone; the snapshot in the store remains
    capsys.readouterr()
    starred = list_json(capsys, "--starred")
    assert [p["id"] for p in starred] == ["2412.20105"]
    assert starred[0]["title"].startswith("ST$^3$ Accelerating")
    assert starred[0]["authors"][0] == "Jiedong Zhuang"
    assert starred[0]["starred"] is True


def test_mark_unknown_id_is_an_error(capsys):
    assert main(["mark", "2412.99999", "--star"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("digest-reader: error: 2412.99999: not in the state file")
    assert err.count("\n") == 1
    assert main(["mark", "2412.99999", "--star", "--digest", SEED]) == 2
    assert "not in the state file or the given digests" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["mark", "2412.21188"], "mark needs something to do"),
        (["mark", "not-an-id", "--read"], "not an arXiv id or arXiv URL: 'not-an-id'"),
    ],
)
def test_mark_usage_errors(capsys, args, message):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_state_follows_a_paper_across_digests(capsys, tmp_path):
    later = tmp_path / "2025-01-10.md"
    later.write_text(
        "# 2025-01-10\n\n## Sparse chaos in cortical circuits\n\n>Authors: Rainer Engelken\n\n"
        ">2024-12-30\n\n> http://arxiv.org/abs/2412.21188v2\n\nNew version.\n",
        encoding="utf-8",
    )
    assert main(["mark", "2412.21188", "--star", "--digest", SEED]) == 0
    capsys.readouterr()
    papers = list_json(capsys, SEED, str(later))
    merged = next(p for p in papers if p["id"] == "2412.21188")
    assert merged["starred"] is True and merged["version"] == 2
    assert merged["digests"] == ["2025-01-03", "2025-01-10"]


def test_export_starred_from_the_store_parses(capsys):
    assert main(["mark", "2412.21188", "2412.20767", "--star", "--digest", SEED]) == 0
    assert main(["mark", "2412.20767", "--note", "keyframes; 50% faster"]) == 0
    capsys.readouterr()
    assert main(["export"]) == 0
    out = capsys.readouterr().out
    library = bibtexparser.parse_string(out)
    assert not library.failed_blocks
    keys = sorted(entry.key for entry in library.entries)
    assert keys == ["chang2024keygs", "engelken2024sparse"]
    keygs = next(e for e in library.entries if e.key == "chang2024keygs")
    assert keygs["eprint"] == "2412.20767"
    assert "50\\% faster" in keygs["annote"]
    # keys are stable: a second export gives the same text
    assert main(["export"]) == 0
    assert capsys.readouterr().out == out


def test_export_nothing_starred_is_not_an_error(capsys, tmp_path):
    target = tmp_path / "refs.bib"
    assert main(["export", "-o", str(target)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no starred papers to export" in captured.err
    assert not target.exists()


def test_export_to_file_refuses_to_overwrite_without_force(capsys, tmp_path):
    assert main(["mark", "2412.21188", "--star", "--digest", SEED]) == 0
    target = tmp_path / "refs.bib"
    target.write_text("% my own bibliography\n")
    assert main(["export", "-o", str(target)]) == 2
    assert "exists; add --force" in capsys.readouterr().err
    assert target.read_text() == "% my own bibliography\n"
    assert main(["export", "-o", str(target), "--force"]) == 0
    assert "@misc{engelken2024sparse," in target.read_text()


def test_export_unwritable_path_is_exit_2(capsys, tmp_path):
    assert main(["mark", "2412.21188", "--star", "--digest", SEED]) == 0
    capsys.readouterr()
    assert main(["export", "-o", str(tmp_path / "no" / "such" / "dir" / "refs.bib")]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and err.count("\n") == 1
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        assert main(["export", "-o", str(locked / "refs.bib")]) == 2


def test_export_all_of_a_digest(capsys):
    assert main(["export", SEED, "--all", "--utf8"]) == 0
    library = bibtexparser.parse_string(capsys.readouterr().out)
    assert len(library.entries) == 30 and not library.failed_blocks


def test_db_option_and_env_choose_the_state_file(capsys, tmp_path, monkeypatch):
    db = tmp_path / "elsewhere" / "state.json"
    assert main(["--db", str(db), "mark", "2412.21188", "--star", "--digest", SEED]) == 0
    assert db.exists()
    capsys.readouterr()
    assert list_json(capsys, "--starred") == []  # the default file knows nothing
    monkeypatch.setenv("DIGEST_READER_DB", str(db))
    assert [p["id"] for p in list_json(capsys, "--starred")] == ["2412.21188"]


@pytest.mark.parametrize("command", [["list", "--starred"], ["export"], []])
def test_a_folder_as_state_file_is_refused_and_left_alone(capsys, tmp_path, command):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.tex").write_text("keep")
    assert main(["--db", str(folder), *command]) == 2
    err = capsys.readouterr().err
    assert f"the state file {folder} is a folder" in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]
