"""The detail pane's layout rules: compact metadata on low terminals, the note before
the abstract, running text near 100 columns, and the lines it draws."""

from __future__ import annotations

from tests.app_helpers import loaded, new_app
from tui_reader.ui.paper_detail import MEASURE

SECOND_TITLE = "Facilitating large language model Russian adaptation"


def screen_lines(detail) -> list[str]:
    height = detail.scrollable_content_region.height
    return [detail.render_line(y).text.rstrip() for y in range(height)]


def abstract_start(lines: list[str]) -> int:
    return next(n for n, line in enumerate(lines) if "networks exhibit" in line or
                line.startswith("The dynamics"))  # fmt: skip


async def test_below_30_rows_the_metadata_is_short_and_follows_the_title(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        lines = screen_lines(screen.detail)
        assert lines[0].startswith("Sparse chaos in cortical circuits")
        meta_end = lines.index("")
        assert meta_end == 3, lines[: meta_end + 1]  # the authors, then id, dates, state
        assert "Rainer Engelken" in lines[1]
        assert "2412.21188v1" in lines[2] and "unread" in lines[2]


async def test_from_30_rows_every_field_has_its_line(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await loaded(pilot)
        lines = screen_lines(screen.detail)
        for label in ("Authors", "Submitted", "arXiv", "Digests", "State"):
            assert any(line.startswith(label) for line in lines), label


async def test_the_note_comes_before_the_abstract(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        screen.triage.set_note(screen.current_paper(), "look at figure 3")
        screen.refresh_all()
        await pilot.pause()
        lines = screen_lines(screen.detail)
        note = lines.index("look at figure 3")
        assert lines[note - 1] == "Note"
        assert note < abstract_start(lines)


async def test_running_text_stops_near_100_columns_on_wide_terminals(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=(250, 50)) as pilot:
        screen = await loaded(pilot)
        detail = screen.detail
        assert detail.scrollable_content_region.width > MEASURE + 20
        lines = screen_lines(detail)
        abstract = lines[abstract_start(lines) :]
        assert max(len(line) for line in abstract) <= MEASURE
        assert max(len(line) for line in abstract) > MEASURE - 15  # it does fill the measure


async def test_moving_shows_the_next_paper_from_its_top(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("space")  # page down the first abstract
        assert screen.detail.scroll_y > 0
        await pilot.press("j")
        assert screen.detail.scroll_y == 0
        assert screen_lines(screen.detail)[0].startswith(SECOND_TITLE[:40])
