"""The export dialog suggests the last path used, else a file named after what is
exported in the current folder (never $HOME/starred.bib)."""

from __future__ import annotations

from tests.app_helpers import loaded, new_app
from tui_reader.ui.outside import suggested_export_path
from tui_reader.ui.screens.export_path import ExportPathScreen


def test_the_suggestion_follows_the_last_export_and_names_what_is_exported(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert suggested_export_path(None, None, "starred", 3) == "./starred.bib"
    assert suggested_export_path(None, None, "selected", 2) == "./selection-2-papers.bib"
    assert suggested_export_path(None, None, "selected", 1) == "./selection-1-paper.bib"
    refs = str(tmp_path / "paper" / "refs.ris")
    assert suggested_export_path(refs, "starred", "starred", 3) == refs  # the last path
    assert suggested_export_path(refs, None, "starred", 3) == refs  # before export_what
    assert suggested_export_path(refs, "starred", "selected", 4) == str(
        tmp_path / "paper" / "selection-4-papers.bib"
    )  # the last folder, a name of its own
    chosen = str(tmp_path / "paper" / "selection-2-papers.bib")
    assert suggested_export_path(chosen, "selected", "starred", 3) == str(
        tmp_path / "paper" / "starred.bib"
    )
    here = str(tmp_path / "mine.bib")
    assert suggested_export_path(here, "selected", "selected", 5) == "./selection-5-papers.bib"
    assert suggested_export_path(here, "starred", "starred", 5) == "./mine.bib"


async def test_the_dialog_suggests_the_current_folder_then_remembers(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    app = new_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("x", "x", "b")
        await pilot.pause()
        assert isinstance(app.screen, ExportPathScreen)
        assert app.screen.query_one("Input").value == "./selection-2-papers.bib"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (work / "selection-2-papers.bib").read_text().count("@") == 2
        await pilot.press("X", "s", "b")  # the starred papers: named so, in that folder
        await pilot.pause()
        assert app.screen.query_one("Input").value == "./starred.bib"
