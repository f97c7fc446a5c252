"""Highlights stay readable: search hits, digest keywords and the user's own words are
at least 4.5:1 (WCAG AA) against what is behind them, in every built-in theme; so is
every list row's title, whatever the row's state (read, selected, under the cursor).

The colours are the ones the terminal gets: the detail pane's component styles as
Textual resolves them from ``app.tcss`` and the theme's variables. The two ANSI themes
leave colours to the terminal's palette, which the app cannot know; they are checked
against the palette Textual itself uses for ANSI colours (``App.ansi_theme``).
"""

from __future__ import annotations

from tests.app_helpers import loaded, new_app
from tui_reader.ui.component_styles import contrast_ratio, terminal_rgb

MINIMUM = 4.5
HIGHLIGHTS = ("search", "keyword", "word")


# The app's own measure (``ui/component_styles.py``, which keeps list rows readable);
# the known pairs below check it against WCAG's figures.
contrast = contrast_ratio
rgb = terminal_rgb


def test_the_ratio_matches_known_pairs():
    assert round(contrast((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast((119, 119, 119), (255, 255, 255)), 2) == 4.48
    assert contrast((200, 200, 200), (200, 200, 200)) == 1.0


async def test_highlights_are_readable_in_every_theme(tmp_path):
    app = new_app(tmp_path)
    failures = []
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        detail = app.screen.detail
        themes = sorted(app.available_themes)
        assert len(themes) >= 18
        for name in themes:
            app.theme = name
            await pilot.pause()
            palette = app.ansi_theme
            for kind in HIGHLIGHTS:
                style = detail.get_component_rich_style(f"paper-detail--{kind}")
                assert style.color is not None and style.bgcolor is not None
                ratio = contrast(rgb(style.color, palette, foreground=True),
                                 rgb(style.bgcolor, palette, foreground=False))  # fmt: skip
                if ratio < MINIMUM:
                    failures.append(f"{name} {kind}: {ratio:.2f}")
    assert not failures, failures


async def test_a_search_hit_stands_out_from_the_text_around_it(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        detail = app.screen.detail
        for name in ("textual-dark", "textual-light", "ansi-dark"):
            app.theme = name
            await pilot.pause()
            hit = detail.get_component_rich_style("paper-detail--search")
            assert hit.reverse and hit.bold, name


async def test_a_new_theme_redraws_the_cached_lines_in_its_colours(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        backgrounds = {}
        for name in ("textual-dark", "textual-light"):
            app.theme = name
            await pilot.pause()
            expected = screen.detail.rich_style.bgcolor
            for widget in (screen.detail, screen.paper_list):
                first = next(iter(widget.render_line(3)))  # text, not the cursor or bar
                assert first.style is not None and first.style.bgcolor == expected, name
            backgrounds[name] = expected
        assert backgrounds["textual-dark"] != backgrounds["textual-light"]


async def test_every_list_row_reads_in_every_theme(tmp_path):
    """A row's title at 4.5:1 on its background: read or unread, selected or not, under
    the cursor or not (a read title's grey once fell on the selection's blue at 3:1
    and on the cursor at 1.0:1, and some themes' own cursor text is at 2.4:1)."""
    app = new_app(tmp_path, auto_read=False)
    failures = []
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        triage, papers = screen.triage, screen.paper_list
        app.store.set_read([paper.arxiv_id for paper in triage.papers[:4]], True)
        for position in (0, 1, 4):
            triage.selection.toggle(triage.view[position])
        papers.move_to(0)
        rows = {  # list row -> its state
            0: "cursor, selected, read",
            1: "selected, read",
            2: "read",
            4: "selected, unread",
            5: "unread",
        }
        for name in sorted(app.available_themes):
            app.theme = name
            await pilot.pause()
            palette = app.ansi_theme
            for y, state in rows.items():
                title = max(papers.render_line(y), key=lambda segment: len(segment.text))
                color, background = title.style.color, title.style.bgcolor
                assert color is not None and background is not None, (name, state)
                ratio = contrast(rgb(color, palette, foreground=True),
                                 rgb(background, palette, foreground=False))  # fmt: skip
                if ratio < MINIMUM:
                    failures.append(f"{name} {state}: {ratio:.2f}")
            for y, state in ((3, "cursor, read"), (5, "cursor, unread")):  # unselected
                papers.move_to(y)
                await pilot.pause()
                title = max(papers.render_line(y), key=lambda segment: len(segment.text))
                ratio = contrast(rgb(title.style.color, palette, foreground=True),
                                 rgb(title.style.bgcolor, palette, foreground=False))  # fmt: skip
                if ratio < MINIMUM:
                    failures.append(f"{name} {state}: {ratio:.2f}")
            papers.move_to(0)
    assert not failures, failures
