"""Highlights stay readable: search hits, digest keywords and the user's own words are
at least 4.5:1 (WCAG AA) against what is behind them, in every built-in theme.

The colours are the ones the terminal gets: the detail pane's component styles as
Textual resolves them from ``app.tcss`` and the theme's variables. The two ANSI themes
leave colours to the terminal's palette, which the app cannot know; they are checked
against the palette Textual itself uses for ANSI colours (``App.ansi_theme``).
"""

from __future__ import annotations

from rich.color import Color, ColorType
from rich.terminal_theme import TerminalTheme

from tests.app_helpers import loaded, new_app

MINIMUM = 4.5
HIGHLIGHTS = ("search", "keyword", "word")


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rgb(color: Color, palette: TerminalTheme, *, foreground: bool) -> tuple[int, int, int]:
    if color.type == ColorType.DEFAULT:
        default = palette.foreground_color if foreground else palette.background_color
        return tuple(default)  # type: ignore[return-value]
    return tuple(color.get_truecolor(palette))  # type: ignore[return-value]


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
