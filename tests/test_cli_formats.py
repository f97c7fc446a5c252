"""A folder of every digest layout, plus files that are not digests, through the CLI."""

from __future__ import annotations

import json
import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.conftest import SEED_DIGEST
from tui_reader.cli import main

SAMPLES = Path(__file__).parent / "data" / "formats"
BAD_FILES = ("README.md", "binary.md", "empty.md")


def mime_email(text: str) -> str:
    """The listing e-mail as a mail client saves it: MIME, quoted-printable."""
    header, _, body = text.partition("\n\n")
    message = EmailMessage()
    for line in header.splitlines():
        name, _, value = line.partition(": ")
        message[name] = value
    message.set_content(body, cte="quoted-printable")
    return message.as_string()


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "digests"
    (folder / "2025").mkdir(parents=True)
    for path in SAMPLES.iterdir():
        if path.suffix in (".md", ".txt"):
            shutil.copy(path, folder / path.name)
    shutil.copy(SEED_DIGEST, folder / "2025" / "2025-01-03.md")
    email_text = (SAMPLES / "arxiv-listing-email.txt").read_text(encoding="utf-8")
    (folder / "2025" / "mailing.eml").write_text(mime_email(email_text), encoding="utf-8")
    (folder / "empty.md").write_bytes(b"")
    (folder / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "picture.png").write_bytes(b"\x89PNG\x00")  # not a digest file name: ignored
    return folder


EXPECTED_PAPERS = 30 + 3 + 2 + 4 + 3 + 3  # seed, badges, 2024, e-mail (.txt = .eml), AI, table


def test_a_mixed_folder_lists_with_one_summary_line(mixed_folder, capsys):
    assert main(["list", str(mixed_folder)]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == EXPECTED_PAPERS
    assert captured.err == (
        "digest-reader: warning: 3 files skipped (README.md, binary.md, empty.md); "
        "--verbose lists them\n"
    )


def test_verbose_lists_one_line_per_bad_file(mixed_folder, capsys):
    assert main(["list", "--verbose", str(mixed_folder)]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f"digest-reader: warning: {mixed_folder / 'README.md'}: skipped: no papers found"
        " (no arXiv links or arXiv: ids)",
        f"digest-reader: warning: {mixed_folder / 'binary.md'}: skipped: is a binary file,"
        " not a digest",
        f"digest-reader: warning: {mixed_folder / 'empty.md'}: skipped: the file is empty",
    ]


def test_a_mixed_folder_lists_as_json_with_the_new_fields(mixed_folder, capsys):
    assert main(["list", "--json", str(mixed_folder)]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert len(rows) == EXPECTED_PAPERS
    mailed = rows["2501.03098"]
    assert mailed["version"] is None
    assert mailed["categories"] == ["cs.CL"]
    assert mailed["journal_ref"] == "Proc. ECIR 2025, pp. 1-15"
    assert mailed["url"] == "https://arxiv.org/abs/2501.03098"
    assert rows["2410.11520"]["replacement"] is True and rows["2410.11520"]["abstract"] is None
    assert rows["2412.18804"]["cross_list"] is True
    assert rows["2506.07001"]["summary"].startswith("A night-time dehazing network")
    assert rows["2503.10021"]["code"] == "https://github.com/example/voxel-tides"
    assert rows["2503.09876"]["topics"] == ["Point Cloud", "NeRF"]
    assert rows["2509.00102"]["keywords"] == ["low-bit", "quantization"]
    assert rows["2412.21188"]["comments"] is None  # the main layout has none
    # A digest is a file: the e-mail twice (.txt and .eml, same date) is two digests.
    assert mailed["digests"] == [
        "2025-01-07 (mailing.eml)",
        "2025-01-07 (arxiv-listing-email.txt)",
    ]
    assert rows["2409.07001"]["digests"] == ["2024-09-12 (efficientpaper-legacy.md)"]
    assert rows["2506.06812"]["digests"] == ["ai-enhanced-daily"]


def test_the_text_list_writes_no_version_it_does_not_know(mixed_folder, capsys):
    assert main(["list", str(mixed_folder / "arxiv-listing-email.txt")]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "2501.03117\tN..\tGradient Echoes: Detecting Memorised Training Examples from "
        "Optimiser State"
    )


def test_a_mixed_folder_marks_and_exports(mixed_folder, tmp_path, capsys):
    assert main(["mark", "2501.03117", "2509.01234", "--star", "--digest", str(mixed_folder)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "2501.03117\tN*.\n2509.01234\tN*.\n"
    assert captured.err.count("\n") == 1 and "3 files skipped" in captured.err
    output = tmp_path / "refs.bib"
    assert main(["export", str(mixed_folder), "-o", str(output)]) == 0
    text = output.read_text(encoding="utf-8")
    assert text.count("@misc{") == 2
    assert "primaryClass  = {cs.LG}," in text  # the e-mail's first category
    assert main(["export", "--all", str(mixed_folder), "-o", str(output), "--force"]) == 0
    assert output.read_text(encoding="utf-8").count("@misc{") == EXPECTED_PAPERS


def test_only_bad_files_is_one_error_line(mixed_folder, tmp_path, capsys):
    bad = tmp_path / "bad"
    bad.mkdir()
    for name in BAD_FILES:
        shutil.copy(mixed_folder / name, bad / name)
    for command in (["list"], ["export", "--all"], []):
        assert main([*command, str(bad)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("digest-reader: error: ")
        assert "no papers found (3 files skipped" in err


def test_format_forces_a_layout(tmp_path, capsys):
    assert main(["list", "--format", "arxiv-links", str(SAMPLES / "paper-table.md")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["2503.10021", "2503.09876", "2503.10102"]
    assert main(["list", "--format", "topic-table", str(SEED_DIGEST)]) == 2
    assert "no papers found" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["list", "--format", "nope", str(SEED_DIGEST)])


def test_a_starred_email_paper_exports_from_the_state_file_alone(capsys):
    email = SAMPLES / "arxiv-listing-email.txt"
    assert main(["mark", "2501.03117", "--star", "--digest", str(email)]) == 0
    capsys.readouterr()
    assert main(["export"]) == 0
    entry = capsys.readouterr().out
    assert "eprint        = {2501.03117}," in entry
    assert "primaryClass  = {cs.LG}," in entry  # the snapshot kept the categories
