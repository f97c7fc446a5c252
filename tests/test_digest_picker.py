"""The digest picker (D): type to filter, rows that never wrap, file names where the
date alone misleads, the one digest order."""

from __future__ import annotations

import pytest

from tests.app_helpers import loaded, new_app, summary, year_app
from tests.test_triage import undated_folder
from tui_reader.ui.screens.digest_picker import DigestPickerScreen


def prompts(picker) -> list[str]:
    options = picker.query_one("OptionList")
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_typing_filters_and_enter_goes(tmp_path, size):
    app = year_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        screen = await loaded(pilot)
        await pilot.press("D")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, DigestPickerScreen)
        assert len(prompts(picker)) == 57
        await pilot.press(*"2025-02-1")
        await pilot.pause()
        shown = prompts(picker)
        assert [line[2:12] for line in shown] == [f"2025-02-1{d}" for d in range(10)]
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert summary(app).startswith("2025-02-12 41/57")
        await pilot.press("D", *"nothing like it")
        await pilot.pause()
        assert prompts(app.screen) == []
        await pilot.press("enter")  # nothing to go to: the picker stays
        assert isinstance(app.screen, DigestPickerScreen)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_rows_never_wrap_and_name_a_file_whose_date_differs(tmp_path, size):
    folder = undated_folder(tmp_path)
    long_name = folder / "2025-01-08-a-rather-long-file-name-for-a-digest-of-the-week.md"
    long_name.write_text(
        "# 2025-01-09\n\n## Paper 99\n\n>Authors: A. Author\n\n>2025-01-08\n\n"
        "> http://arxiv.org/abs/2501.00099v1\n\nText.\n",
        encoding="utf-8",
    )
    app = new_app(tmp_path, [folder], auto_read=False)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        await pilot.press("D")
        await pilot.pause()
        picker = app.screen
        options = picker.query_one("OptionList")
        lines = prompts(picker)
        assert lines[0].startswith("▶ 2024-09-29 (2024-09-27.md)")  # named: its name misleads
        assert [line.split()[-2:] for line in lines] == [[str(u), "unread"] for u in
                                                         (1, 2, 2, 2, 1, 1, 1, 2, 1)]  # fmt: skip
        cut = next(line for line in lines if "2025-01-09" in line)
        assert "(2025-01-08-a-rather" in cut and "…" in cut  # too long: cut, not wrapped
        assert all(len(line) <= options.scrollable_content_region.width for line in lines)
        assert options.virtual_size.height == len(lines)  # one row each: nothing wrapped
        await pilot.press(*"zeta", "enter")
        await pilot.pause()
        assert summary(app).startswith("2025-01-04 (zeta.md) 3/9")
