"""At 80x24: the paper takes the list's rows while you read, and every field can be seen."""

from __future__ import annotations

import pytest

from tests.app_helpers import detail_text, loaded, new_app


async def test_reading_keys_give_the_list_rows_to_the_paper_and_browsing_takes_them_back(
    tmp_path,
):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        papers, detail = screen.paper_list, screen.detail
        browsing = detail.size.height
        assert papers.size.height > 5 and not screen.reading_layout
        for key in ("space", "J", "K", "S"):
            await pilot.press(key)
            await pilot.pause()
            assert screen.reading_layout, key
            assert papers.size.height == 0 and detail.size.height == 22  # all but header, footer
            assert papers.has_focus  # j and k still work from here
            await pilot.press("j")
            await pilot.pause()
            assert not screen.reading_layout and detail.size.height == browsing


async def test_the_first_page_turn_skips_no_line(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        detail = screen.detail
        seen = detail.scrollable_content_region.height
        await pilot.press("space")
        await pilot.pause()
        # The pane grew; what it shows starts no lower than the first unseen row.
        assert detail.scroll_y <= seen
        assert detail.scroll_y + detail.scrollable_content_region.height > seen


async def test_the_wide_layout_has_no_reading_layout(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("space")
        assert not screen.reading_layout


def many_authors_digest(tmp_path):
    """A paper with 14 authors and 9 keywords: neither fits one line at 80 or 120."""
    authors = ", ".join(f"Xuejia{i} Chen{i}" for i in range(14))
    words = ["sparse", "attention", "quantization", "pruning", "KV cache", "low-rank",
             "distillation", "speculative decoding", "mixture of experts"]  # fmt: skip
    abstract = " ".join(f"We study **{word}** here." for word in words)
    path = tmp_path / "2025-01-10.md"
    path.write_text(
        "# 2025-01-10\n\n## Many authors\n\n"
        f">Authors: {authors}\n\n>2025-01-08\n\n> http://arxiv.org/abs/2501.01234v1\n\n"
        f"{abstract}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_every_field_can_be_seen_whole(tmp_path, size):
    """Authors and keywords wrap (no …); at 120 columns under the value column."""
    app = new_app(tmp_path, [many_authors_digest(tmp_path)], auto_read=False)
    async with app.run_test(size=size) as pilot:
        screen = await loaded(pilot)
        await pilot.pause()
        rows = [strip.text for strip in screen.detail._lines]
        shown = " ".join(" ".join(row.split()) for row in rows)
        paper = screen.current_paper()
        for name in paper.authors:
            assert name in shown, name
        for keyword in paper.keywords:
            assert keyword in shown, keyword
        assert "…" not in "".join(rows[:8])
        if size[0] >= 100:
            authors = next(i for i, row in enumerate(rows) if row.startswith("Authors"))
            value_column = rows[authors].index(paper.authors[0])
            assert rows[authors + 1][:value_column].strip() == ""  # aligned under the value
            assert rows[authors + 1][value_column] != " "
        assert "Authors" in detail_text(app) or size[1] < 30


async def test_help_fits_80x24_and_says_there_is_more_below(tmp_path):
    from tui_reader.ui.screens.help import HelpScreen

    app = new_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        dialog = help_screen.query_one(".help-dialog")
        assert dialog.region.bottom <= 24
        more = help_screen.query_one("#help-more")
        assert more.display and "more lines below" in str(more.render())
        hint = help_screen.query(".dialog-hint").last()
        assert hint.region.bottom <= dialog.region.bottom  # the hint is on screen
        scroll = help_screen.query_one("#help-scroll")
        for _ in range(100):
            await pilot.press("j")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y > 0
        assert not more.display
        from rich.console import Console

        console = Console(width=80, record=True)
        console.print(help_screen.reference())
        text = console.export_text()
        assert "author:=han" in text and "✓" in text
