"""list --query/--sort and export --format/--query/--sort, as a script would use them."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
import rispy

from tests.conftest import SEED_DIGEST
from tui_reader.cli import main

SEED = str(SEED_DIGEST)


def ids(capsys, *args) -> list[str]:
    assert main(["list", SEED, *args, "--json"]) == 0
    return [paper["id"] for paper in json.loads(capsys.readouterr().out)]


def test_list_query_fields_and_operators(capsys):
    everyone = ids(capsys)
    assert len(everyone) == 30
    chaos = ids(capsys, "--query", 'title:"sparse chaos"')
    assert chaos == ["2412.21188"]
    either = ids(capsys, "--query", "author:engelken OR author:zhuang")
    assert sorted(either) == ["2412.20105", "2412.21188"]
    assert either == [i for i in everyone if i in either]  # digest order
    not_chaos = ids(capsys, "--query", '-title:"sparse chaos"')
    assert len(not_chaos) == 29 and "2412.21188" not in not_chaos
    assert ids(capsys, "--query", "id:2412.21188 is:unread") == ["2412.21188"]
    assert (
        main(["mark", "2412.21188", "--read", "--star", "--note", "cortex", "--digest", SEED]) == 0
    )
    capsys.readouterr()
    assert ids(capsys, "--query", "id:2412.21188 is:unread") == []
    assert ids(capsys, "--query", "is:starred note:cortex") == ["2412.21188"]
    assert ids(capsys, "--query", "date:2024-12-30 -is:read") == [
        i for i in ids(capsys, "--query", "date:2024-12-30") if i != "2412.21188"
    ]


def test_list_sort(capsys):
    assert main(["list", SEED, "--sort", "title"]) == 0
    titles = [line.split("\t")[2] for line in capsys.readouterr().out.splitlines()]
    assert titles == sorted(titles, key=str.casefold)
    assert main(["list", SEED, "--sort", "date", "--json"]) == 0
    dates = [paper["date"] for paper in json.loads(capsys.readouterr().out)]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("title:(sparse", "column 14"),
        ("colour:red", "unknown field 'colour:'"),
        ("is:maybe", "unknown 'is:maybe'"),
        ("date:May", "YYYY-MM"),
    ],
)
def test_bad_query_is_one_line_and_exit_2(capsys, query, fragment):
    assert main(["list", SEED, "--query", query]) == 2
    err = capsys.readouterr().err
    assert err.startswith("digest-reader: error: --query: ")
    assert fragment in err and err.count("\n") == 1
    assert main(["export", SEED, "--query", query, "--format", "ris"]) == 2
    assert fragment in capsys.readouterr().err


def test_export_query_format_sort(capsys, tmp_path):
    out = tmp_path / "refs.ris"
    assert main(["export", SEED, "--query", "author:chen", "--sort", "title", "--format", "ris",
                 "-o", str(out)]) == 0  # fmt: skip
    err = capsys.readouterr().err
    records = rispy.loads(out.read_text(encoding="utf-8"))
    assert f"wrote {len(records)} papers (ris) to {out}" in err
    assert len(records) >= 2
    titles = [record["title"] for record in records]
    assert titles == sorted(titles, key=str.casefold)
    assert all(any("Chen" in name for name in record["authors"]) for record in records)
    assert main(["export", SEED, "--query", "author:chen", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert {row["title"] for row in rows} == set(titles)


def test_export_formats_of_starred_papers_from_the_store_alone(capsys):
    assert main(["mark", "2412.21188", "--star", "--note", "n", "--digest", SEED]) == 0
    capsys.readouterr()
    for fmt in ("bibtex", "ris", "csl-json", "csv", "markdown"):
        assert main(["export", "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "2412.21188" in out, fmt
    assert main(["export", "--format", "csl-json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert item["id"] == "engelken2024sparse" and item["note"] == "n"


def test_export_query_matching_nothing_writes_nothing(capsys, tmp_path):
    out = tmp_path / "none.ris"
    assert main(["export", SEED, "--query", "title:zzzzzz", "--format", "ris", "-o", str(out)]) == 0
    assert "no papers matching the query to export" in capsys.readouterr().err
    assert not out.exists()


def test_installed_command_exports_a_query_as_ris(tmp_path):
    """The console script, as a user runs it: a query, RIS on stdout, no traceback."""
    import os
    import shutil
    import subprocess

    command = shutil.which("digest-reader") or str(Path(sys.executable).parent / "digest-reader")
    env = {**os.environ, "DIGEST_READER_DB": str(tmp_path / "state.json")}
    done = subprocess.run(
        [command, "export", SEED, "--query", 'title:"sparse chaos" OR author:zhuang',
         "--format", "ris"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    records = rispy.loads(done.stdout)
    assert sorted(r["accession_number"] for r in records) == [
        "arXiv:2412.20105",
        "arXiv:2412.21188",
    ]
    bad = subprocess.run([command, "list", SEED, "--query", "title:("],
                         capture_output=True, text=True, env=env, timeout=60)  # fmt: skip
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_export_starred_and_a_query_is_both(capsys):
    assert main(["mark", "2412.21188", "2412.20105", "--star", "--digest", SEED]) == 0
    capsys.readouterr()
    assert main(["export", SEED, "--starred", "--query", "author:zhuang", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert [row["id"] for row in rows] == ["2412.20105"]


@pytest.mark.parametrize(
    "spelling",
    [["--to", "ris"], ["--format", "ris"], ["-f", "ris"]],  # the old two: hidden aliases
)
def test_export_writes_the_format_given_by_to_or_an_old_spelling(capsys, spelling):
    assert main(["export", SEED, "--all", *spelling]) == 0
    assert capsys.readouterr().out.startswith("TY  - ")


@pytest.mark.parametrize("spelling", ["--layout", "--format"])  # --format: a hidden alias
def test_the_input_layout_is_layout_everywhere_format_still_works(capsys, spelling):
    assert main(["list", SEED, spelling, "generator", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 30


def test_help_says_layout_for_input_and_to_for_output(capsys):
    for command in ("list", "open", "mark", "similar", "export"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = capsys.readouterr().out
        assert "--layout NAME" in text and "--format" not in text, command
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    assert "--to {bibtex,ris,csl-json,csv,markdown}" in capsys.readouterr().out
