"""The digest-reader command as a script user meets it: output, errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED_DIGEST
from tui_reader.cli import main

REPO = Path(__file__).resolve().parents[1]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui_reader", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def assert_one_line_error(result, *fragments):
    assert result.returncode == 2, result
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("digest-reader: error: ")
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_list_json_has_every_key(capsys):
    assert main(["list", str(SEED_DIGEST), "--json"]) == 0
    papers = json.loads(capsys.readouterr().out)
    assert len(papers) == 30
    first = papers[0]
    assert set(first) >= {
        "id", "version", "title", "authors", "date", "url", "abstract", "keywords", "digests",
    }  # fmt: skip
    assert first["id"] == "2412.21188"
    assert first["date"] == "2024-12-30"
    assert first["authors"] == ["Rainer Engelken", "Michael Monteforte", "Fred Wolf"]
    assert first["keywords"] == ["sparse"]
    assert first["digests"] == ["2025-01-03"]


def test_list_without_paths_uses_the_bundled_sample(capsys):
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 30
    assert lines[0] == "2412.21188v1\tN..\tSparse chaos in cortical circuits"


def test_list_without_paths_uses_the_configured_folder(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "digests"
    folder.mkdir()
    (folder / "d.md").write_text(
        "# 2025-02-01\n\n## Mine\n\n>Authors: A\n\n>2025-01-30\n\n"
        "> http://arxiv.org/abs/2501.00001v1\n\nText.\n",
        encoding="utf-8",
    )
    config = tmp_path / "config.toml"
    config.write_text('digests = "digests"\n', encoding="utf-8")
    monkeypatch.setenv("DIGEST_READER_CONFIG", str(config))
    assert main(["list"]) == 0
    assert capsys.readouterr().out == "2501.00001v1\tN..\tMine\n"


def test_malformed_entry_is_a_warning_on_stderr(tmp_path, capsys):
    path = tmp_path / "d.md"
    path.write_text(
        "# 2025-02-01\n\n## Good\n\n>Authors: A\n\n>2025-01-30\n\n"
        "> http://arxiv.org/abs/2501.00001v1\n\nText.\n\n## Broken\n\n>Authors: B\n\nNo url.\n",
        encoding="utf-8",
    )
    assert main(["list", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "2501.00001v1\tN..\tGood\n"
    assert captured.err == "digest-reader: warning: 1 warning in digests; --verbose lists them\n"
    assert main(["list", "--verbose", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        f"digest-reader: warning: {path}:13: 'Broken' has no arXiv URL line and was skipped\n"
    )


def bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty_folder = tmp_path / "no-md"
    empty_folder.mkdir()
    (empty_folder / "readme.txt").write_text("x")
    cases = {
        "missing": (tmp_path / "missing.md", "no such file or folder"),
        "folder without md": (empty_folder, "no papers found"),
        "empty": (tmp_path / "empty.md", "the file is empty"),
        "binary": (tmp_path / "binary.md", "is a binary file"),
        "not utf-8": (tmp_path / "latin1.md", "is not UTF-8 text"),
        "no papers": (tmp_path / "nopapers.md", "no papers found"),
    }
    cases["empty"][0].write_bytes(b"")
    cases["binary"][0].write_bytes(bytes(range(256)) * 4)
    cases["not utf-8"][0].write_bytes("# 2025-01-01\n\n## Résumé\n".encode("latin-1"))
    cases["no papers"][0].write_text("# Notes\n\nNothing here.\n", encoding="utf-8")
    return cases


@pytest.mark.parametrize(
    "case", ["missing", "folder without md", "empty", "binary", "not utf-8", "no papers"]
)
@pytest.mark.parametrize("command", [[], ["list"], ["list", "--json"]])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, case, command):
    path, message = bad_inputs(tmp_path)[case]
    assert main([*command, str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("digest-reader: error: ")
    assert str(path) in captured.err and message in captured.err


def test_unreadable_file(tmp_path, capsys):
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    path = tmp_path / "secret.md"
    path.write_text("## x\n")
    path.chmod(0)
    assert main(["list", str(path)]) == 2
    assert "permission denied" in capsys.readouterr().err


def test_unreadable_file_as_root_is_simulated(tmp_path, capsys, monkeypatch):
    path = tmp_path / "secret.md"
    path.write_text("## x\n")
    real_open = os.open  # digest files are opened with os.open (digest_files.open_digest)

    def deny(name, *args, **kwargs):
        if os.fspath(name) == str(path):
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    assert main(["list", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == f"digest-reader: error: {path}: permission denied\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("digests = [", "not valid TOML"),
        ("colour = 'red'\n", "unknown setting 'colour'"),
        ("digests = 3\n", "'digests' must be a path or a list of paths"),
        ("auto_read = 'yes'\n", "'auto_read' must be true or false"),
        ("highlight = [1]\n", "'highlight' must be a word or a list of words"),
    ],
)
def test_broken_config_is_a_clear_error(tmp_path, monkeypatch, capsys, content, message):
    config = tmp_path / "config.toml"
    config.write_text(content, encoding="utf-8")
    monkeypatch.setenv("DIGEST_READER_CONFIG", str(config))
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"digest-reader: error: config {config}: ")
    assert message in err and err.count("\n") == 1


def test_subprocess_errors_have_no_traceback(tmp_path):
    binary = tmp_path / "b.md"
    binary.write_bytes(b"\x00\x01\x02")
    assert_one_line_error(run_cli("list", str(binary)), str(binary), "binary")
    assert_one_line_error(run_cli(str(tmp_path / "gone.md")), "gone.md", "no such file")


def test_help_shows_examples_and_version_works():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "examples:" in result.stdout and "digest-reader list ~/digests --json" in result.stdout
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("digest-reader 0.")


def test_db_option_survives_the_subcommand_parser():
    from tui_reader.cli import build_parser, split_default_command

    parser = build_parser()
    args = parser.parse_args(split_default_command(["--db", "x.json", "list"]))
    assert args.db == "x.json"
    args = parser.parse_args(split_default_command(["list", "--db", "y.json"]))
    assert args.db == "y.json"
    args = parser.parse_args(split_default_command(["some.md"]))
    assert args.command == "open" and args.paths == [Path("some.md")]


LOADED = (
    "import runpy, sys\n"
    "sys.argv = ['digest-reader', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('tui_reader', run_name='__main__')\n"
    "finally:\n"
    "    names = ('tui_reader.digest', 'tui_reader.formats', 'tui_reader.config', "
    "'tui_reader.exporters', 'tui_reader.query', 'tui_reader.export', 'tinydb')\n"
    "    print(sorted(n for n in names if n in sys.modules), file=sys.stderr)\n"
)


def loaded_by(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, str]:
    """Run the command as a user would; the modules it loaded among the heavy ones."""
    result = subprocess.run(
        [sys.executable, "-c", LOADED, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "DIGEST_READER_DB": str(tmp_path / "state.json")},
        timeout=60,
    )
    return result, result.stderr.strip().splitlines()[-1]


def test_listing_from_the_state_file_loads_no_digest_reader_config_or_query(tmp_path):
    db = ["--db", str(tmp_path / "state.json")]
    assert main([*db, "mark", "2412.21188", "--star", "--digest", str(SEED_DIGEST)]) == 0
    result, loaded = loaded_by(tmp_path, "list", "--starred", "--json")
    assert json.loads(result.stdout)[0]["title"] == "Sparse chaos in cortical circuits"
    assert loaded == "[]"
    # The options that need them still load and check them.
    result, loaded = loaded_by(tmp_path, "list", "--starred", "--sort", "date", "--query", "x")
    assert result.returncode == 0 and "tui_reader.query" in loaded
    result, loaded = loaded_by(tmp_path, "list", "--starred", "--sort", "bogus")
    assert result.returncode == 2 and "choose from 'digest', 'date'" in result.stderr
    result, loaded = loaded_by(tmp_path, "export", "--format", "bogus")
    assert result.returncode == 2 and "choose from 'bibtex', 'ris'" in result.stderr
    result, _ = loaded_by(tmp_path, "list", "--layout", "bogus")
    assert result.returncode == 2 and "invalid choice: 'bogus'" in result.stderr
    result, _ = loaded_by(tmp_path, "--help")
    assert "{digest,date,title,author,relevance}" not in result.stdout  # list's own help
    assert "layouts (detected per file" in result.stdout and "arxiv-email" in result.stdout
