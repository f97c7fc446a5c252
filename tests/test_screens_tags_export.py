"""The tag editor and the export dialog, each pushed on its own over a bare app."""

from __future__ import annotations

from textual.app import App

from tui_reader.tag_edit import TagEdit
from tui_reader.ui.screens.export_path import ExportChoice, ExportPathScreen, with_suffix
from tui_reader.ui.screens.tags import TagScreen


class Host(App[None]):
    def __init__(self, screen) -> None:
        super().__init__()
        self.dialog = screen
        self.result: object = "not dismissed"

    def on_mount(self) -> None:
        def done(result) -> None:
            self.result = result

        self.push_screen(self.dialog, done)


def label(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_the_tag_editor_completes_from_tags_in_use_and_returns_the_edit():
    screen = TagScreen("3 selected papers", {"ml": 2}, 3, {"theory": 1, "to-read": 5, "ml": 2})
    app = Host(screen)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert label(app, "#tags-now") == "now: ml (2/3)"
        assert label(app, "#tags-in-use") == "in use: to-read (5) · ml (2) · theory (1)"
        await pilot.press("t", "tab")  # the most used tag that fits
        field = app.screen.query_one("#tags-input")
        assert field.value == "to-read"
        await pilot.press("space", "-", "m", "tab", "space", "T", "h")
        await pilot.pause()
        await pilot.press("tab")
        assert field.value == "to-read -ml theory"  # the spelling in use
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == TagEdit(("to-read", "theory"), ("ml",))


async def test_the_tag_editor_cancels_on_escape_and_on_nothing_typed():
    for keys in (["x", "escape"], ["enter"]):
        app = Host(TagScreen("A paper", {}, 1, {}))
        async with app.run_test() as pilot:
            await pilot.pause()
            assert label(app, "#tags-now") == "now: no tags yet"
            await pilot.press(*keys)
            await pilot.pause()
        assert app.result is None


async def test_a_tag_title_is_never_markup():
    app = Host(TagScreen("[bold red]x[/] \x1b[31m", {"[b]t": 1}, 1, {"[b]t": 1}))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "[bold red]x[/]" in label(app, ".dialog-title")
        assert "\x1b" not in label(app, ".dialog-title")
        assert label(app, "#tags-now") == "now: [b]t"


def test_the_suffix_follows_the_format():
    assert with_suffix("~/refs.bib", "ris") == "~/refs.ris"
    assert with_suffix("~/refs", "csl-json") == "~/refs.json"
    assert with_suffix("~/refs.v2.MD", "csv") == "~/refs.v2.csv"
    assert with_suffix("~/refs.txt", "markdown") == "~/refs.txt.md"
    assert with_suffix("~/dir/", "ris") == "~/dir/" and with_suffix("", "ris") == ""


async def test_the_export_dialog_picks_a_format_and_says_which_papers():
    app = Host(ExportPathScreen("/tmp/starred.bib", 2, "selected"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert label(app, "#export-title") == "Export 2 selected papers to:"
        path = app.screen.query_one("#export-path")
        await pilot.press("tab", "down")  # to the formats, one down: RIS
        await pilot.pause()
        assert path.value == "/tmp/starred.ris"
        await pilot.press("down", "down")
        await pilot.pause()
        assert path.value == "/tmp/starred.csv"
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == ExportChoice("/tmp/starred.csv", "csv")


async def test_typing_a_known_suffix_chooses_its_format():
    app = Host(ExportPathScreen("/tmp/out", 1, fmt="markdown"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        path = app.screen.query_one("#export-path")
        assert path.value == "/tmp/out.md"
        assert label(app, "#export-title") == "Export 1 starred paper to:"
        path.value = "/tmp/refs.json"
        await pilot.pause()
        assert app.screen.query_one("#export-format").highlighted == 2
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == ExportChoice("/tmp/refs.json", "csl-json")


async def test_the_export_dialog_cancels():
    app = Host(ExportPathScreen("/tmp/x.bib", 1))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None
