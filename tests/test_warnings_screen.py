"""The warnings screen on its own: order, plain text, scrolling, closing."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from tui_reader.digest import DigestWarning
from tui_reader.ui import app as app_module
from tui_reader.ui.screens.warnings import (
    WarningList,
    WarningsScreen,
    warning_rows,
    warnings_summary,
)

CSS = Path(app_module.__file__).with_name("app.tcss")
SKIPPED = [
    DigestWarning(Path("/d/README.md"), None, "skipped: no papers found"),
    DigestWarning(Path("/d/binary.md"), None, "skipped: is a binary file, not a digest"),
]
WARNINGS = [
    DigestWarning(Path("/d/2025-01-03.md"), 12, "paper 2501.00001 has no authors"),
    DigestWarning(Path("/d/x.md"), 7, "title [bold red]Boom[/] \x1b]0;owned\x07 kept"),
]


class Host(App[None]):
    CSS_PATH = CSS

    def __init__(self, skipped, warnings) -> None:
        super().__init__()
        self.skipped, self.warnings_given = skipped, warnings

    def on_mount(self) -> None:
        self.push_screen(WarningsScreen(self.skipped, self.warnings_given))


def screen_lines(app: App) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def test_rows_put_skipped_files_first_each_with_its_file_and_line():
    rows = warning_rows(SKIPPED, WARNINGS)
    lines = [row.where if row.heading else f"{row.where}  {row.message}" for row in rows]
    assert lines == [
        "Skipped files (2)",
        "/d/README.md  skipped: no papers found",
        "/d/binary.md  skipped: is a binary file, not a digest",
        "  ",
        "Warnings (2)",
        "/d/2025-01-03.md:12  paper 2501.00001 has no authors",
        "/d/x.md:7  title [bold red]Boom[/] ␛]0;owned␇ kept",
    ]


def test_the_summary_counts_what_there_is():
    assert warnings_summary(3, 2) == "3 files skipped, 2 warnings"
    assert warnings_summary(1, 0) == "1 file skipped"
    assert warnings_summary(0, 1) == "1 warning"
    assert warnings_summary(0, 0) == "no warnings"


async def test_the_screen_lists_every_warning_as_plain_text_and_escape_closes_it():
    app = Host(SKIPPED, WARNINGS)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WarningsScreen)
        shown = "\n".join(screen_lines(app))
        assert "Digest warnings — 2 files skipped, 2 warnings" in shown
        assert "/d/README.md  skipped: no papers found" in shown
        assert "/d/2025-01-03.md:12  paper 2501.00001 has no authors" in shown
        assert "title [bold red]Boom[/] ␛]0;owned␇ kept" in shown  # not markup, no escape
        assert shown.index("README.md") < shown.index("2025-01-03.md")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, WarningsScreen)


async def test_no_warnings_says_so():
    app = Host([], [])
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "Digest warnings — no warnings" in shown
        assert "No warnings: every digest file was read without a problem." in shown


async def test_fifty_thousand_warnings_scroll_to_the_last_one_drawing_only_what_shows():
    many = [DigestWarning(Path(f"/d/{n:05}.md"), n, f"warning {n}") for n in range(50_000)]
    app = Host(SKIPPED, many)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        warning_list = app.screen.query_one(WarningList)
        assert warning_list.has_focus
        assert warning_list.virtual_size.height == 2 + 1 + 1 + 1 + 50_000
        drawn: list[int] = []
        render_line = warning_list.render_line

        def counting(y: int):
            drawn.append(warning_list.scroll_offset.y + y)
            return render_line(y)

        warning_list.render_line = counting  # type: ignore[method-assign]
        await pilot.press("end")
        await pilot.pause()
        assert "/d/49999.md:49999  warning 49999" in "\n".join(screen_lines(app))
        assert 0 < len(set(drawn)) < 100  # the lines on screen, not 50,000
        await pilot.press("home", "pagedown")
        await pilot.pause()
        assert warning_list.scroll_y > 0


async def test_a_long_line_scrolls_sideways():
    long = [DigestWarning(Path("/d/a.md"), 1, "x" * 300 + " END")]
    app = Host([], long)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        assert "END" not in "\n".join(screen_lines(app))
        for _ in range(4):
            await pilot.press("ctrl+pagedown")  # a page to the right
        await pilot.pause()
        assert "END" in "\n".join(screen_lines(app))
