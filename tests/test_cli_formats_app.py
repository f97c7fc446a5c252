"""The app opens a folder of every layout plus files that are not digests: every
paper, one toast, and W lists one line per bad file."""

from __future__ import annotations

from pathlib import Path

from tests.app_helpers import loaded, new_app
from tests.test_cli_formats import EXPECTED_PAPERS, SAMPLES, mixed_folder  # noqa: F401
from tui_reader.cli import main
from tui_reader.cli.open_cmd import app_paths
from tui_reader.digest import ordered_digest_files
from tui_reader.ui.app import DigestApp
from tui_reader.ui.screens.warnings import WarningList, WarningsScreen

BAD_FILES = ("README.md", "binary.md", "empty.md")


def listed(app) -> list[str]:
    warning_list = app.screen.query_one(WarningList)
    return [row.where + ("  " + row.message if row.message else "")
            for row in warning_list.rows]  # fmt: skip


async def test_the_app_opens_a_mixed_folder_and_lists_the_skipped_files(
    tmp_path,
    mixed_folder,  # noqa: F811
):
    app = new_app(tmp_path, ordered_digest_files([mixed_folder]))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        assert len(screen.triage.papers) == EXPECTED_PAPERS
        digest_toasts = [n for n in app._notifications if n.title == "Digests"]
        assert len(digest_toasts) == 1  # one toast, not one per file
        assert digest_toasts[0].message == (
            "3 files skipped (README.md, binary.md, empty.md) — W lists them"
        )
        assert "No papers could be loaded" not in "\n".join(app.notifications_seen)

        await pilot.press("W")
        await pilot.pause()
        assert isinstance(app.screen, WarningsScreen)
        rows = listed(app)
        assert rows[0] == "Skipped files (3)"
        for name in BAD_FILES:
            lines = [row for row in rows if row.startswith(str(mixed_folder / name))]
            assert len(lines) == 1, (name, rows)
            assert "skipped: " in lines[0]
        assert rows[1:4] == [
            f"{mixed_folder / 'README.md'}  skipped: no papers found"
            " (no arXiv links or arXiv: ids)",
            f"{mixed_folder / 'binary.md'}  skipped: is a binary file, not a digest",
            f"{mixed_folder / 'empty.md'}  skipped: the file is empty",
        ]
        assert len(rows) == 4  # the good digests of every layout give no false warning
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_warnings_with_a_line_are_listed_after_the_skipped_files(tmp_path):
    digest = tmp_path / "2025-01-06.md"
    digest.write_text(
        "# 2025-01-06\n\n"
        "## Good paper\n> Authors: Ada\n> https://arxiv.org/abs/2501.00001v1\n\nText.\n\n"
        "## No link here\n> Authors: Bob\n\nAbstract without a URL.\n",
        encoding="utf-8",
    )
    (tmp_path / "notes.md").write_text("just notes\n", encoding="utf-8")
    app = new_app(tmp_path, ordered_digest_files([tmp_path]))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        assert screen.digest_warnings, "the digest should have given a warning"
        toast = next(n for n in app._notifications if n.title == "Digests")
        count = len(screen.digest_warnings)
        noun = "warning" if count == 1 else "warnings"
        assert toast.message == f"1 file skipped (notes.md), {count} {noun} — W lists them"
        await pilot.press("W")
        await pilot.pause()
        rows = listed(app)
        assert rows[:2] == ["Skipped files (1)",
                            f"{tmp_path / 'notes.md'}  skipped: no papers found "
                            "(no arXiv links or arXiv: ids)"]  # fmt: skip
        assert rows[3] == f"Warnings ({count})"
        assert all(row.startswith(f"{digest}:") for row in rows[4:])


async def test_no_toast_when_every_file_reads_cleanly_and_w_says_so(tmp_path):
    app = new_app(tmp_path)  # the bundled sample
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        assert not [n for n in app._notifications if n.title == "Digests"]
        await pilot.press("W")
        await pilot.pause()
        assert listed(app) == ["No warnings: every digest file was read without a problem."]


async def test_the_palette_offers_the_warnings(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        commands = {command.title: command for command in app.get_system_commands(screen)}
        await commands["Digest warnings"].callback()  # the palette awaits it too
        await pilot.pause()
        assert isinstance(app.screen, WarningsScreen)


async def test_a_forced_layout_reaches_the_loader(tmp_path):
    ai_page = [SAMPLES / "ai-enhanced-daily.md"]
    detected = new_app(tmp_path / "a", ai_page)
    async with detected.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        assert screen.triage.papers[0].summary  # read by the AI-summary reader
    forced = new_app(tmp_path / "b", ai_page)
    forced.layout = "arxiv-links"  # what make_app(..., layout=) sets; the CLI test below
    async with forced.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        assert len(screen.triage.papers) == 3
        assert not any(paper.summary for paper in screen.triage.papers)  # the fallback reader


def test_open_passes_format_and_layout_to_the_app(tmp_path, monkeypatch):
    opened: list[str | None] = []
    monkeypatch.setattr(DigestApp, "run", lambda self, **_: opened.append(self.layout))
    sample = str(SAMPLES / "ai-enhanced-daily.md")
    assert main(["--db", str(tmp_path / "s.json"), "--format", "arxiv-links", sample]) == 0
    assert main(["--db", str(tmp_path / "s.json"), "open", "--layout", "ai-summary", sample]) == 0
    assert main(["--db", str(tmp_path / "s.json"), sample]) == 0
    assert opened == ["arxiv-links", "ai-summary", None]


def test_open_refuses_an_unknown_layout(capsys):
    sample = Path(SAMPLES / "ai-enhanced-daily.md")
    try:
        main(["open", "--format", "nope", str(sample)])
    except SystemExit as exit:
        assert exit.code == 2
    assert "invalid choice: 'nope'" in capsys.readouterr().err


def test_open_hands_the_app_the_paths_that_hold_no_digest(tmp_path, monkeypatch):
    opened: list[list[Path]] = []
    monkeypatch.setattr(DigestApp, "run", lambda self, **_: opened.append(self.paths))
    sample, missing, empty = SAMPLES / "ai-enhanced-daily.md", tmp_path / "nope.md", tmp_path / "e"
    empty.mkdir()
    args = ["--db", str(tmp_path / "s.json"), str(missing), str(sample), str(empty)]
    assert main(args) == 0
    assert opened == [[sample, missing, empty]]  # the digests first, then what holds none


async def test_the_app_lists_missing_paths_and_empty_folders_as_skipped(tmp_path):
    sample, missing, empty = SAMPLES / "ai-enhanced-daily.md", tmp_path / "nope.md", tmp_path / "e"
    empty.mkdir()
    app = new_app(tmp_path, app_paths([sample, missing, empty]))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        assert len(screen.triage.papers) == 3
        toasts = [n.message for n in app._notifications if n.title == "Digests"]
        assert toasts == ["2 files skipped (nope.md, e) — W lists them"]
        await pilot.press("W")
        await pilot.pause()
        assert isinstance(app.screen, WarningsScreen)
        assert listed(app) == [
            "Skipped files (2)",
            f"{missing}  no such file or folder",
            f"{empty}  the folder holds no digest files (.md, .markdown, .txt, .eml)",
        ]
