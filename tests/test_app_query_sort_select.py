"""The search box's query language, sort and selection, driven as a user drives them."""

from __future__ import annotations

from tests.app_helpers import detail_text, loaded, new_app, row_text, settled, summary
from tui_reader.query import QueryIndex, sort_indices

SIZE = (120, 36)
FIRST, SECOND, THIRD = "2412.21188", "2412.21140", "2412.21102"


def shown_ids(app) -> list[str]:
    triage = app.triage
    return [triage.papers[i].arxiv_id for i in triage.view]


def current_id(app) -> str:
    return app.screen.current_paper().arxiv_id


async def search(pilot, query: str) -> None:
    """Open the box, put the query in it as typed text, wait for the worker."""
    box = pilot.app.screen.query_one("#search")
    if not box.has_focus:
        await pilot.press("slash")
    box.value = query
    await settled(pilot)  # the box's Changed starts the search's worker


QUERY_FORMS = [
    ("chaos", [FIRST]),  # a bare word, at a word start
    ('"sparse chaos"', [FIRST]),
    ("author:wolf", [FIRST]),
    ("au:han", None),
    ('title:"cortical circuits"', [FIRST]),
    ("abs:quantization", None),
    ("kw:sparse", None),
    ("id:2412.211", [FIRST, SECOND, THIRD]),
    ("digest:2025-01-03", None),
    ("date:..2024-12-29", None),
    ("LLM OR chaos", None),
    ("LLM -quantization", None),
    ("LLM NOT abs:quantization", None),
    ("(author:wolf OR author:chen) NOT title:sparse", None),
    ("is:starred", [SECOND]),
    ("is:read", [THIRD]),
    ("-is:read id:2412.211", [FIRST, SECOND]),
    ("is:noted", [THIRD]),
    ("note:ablation", [THIRD]),
]


async def test_every_query_form_narrows_the_list(tmp_path):
    # One app for all the forms (an app start per form cost 18 s of CPU): each search
    # replaces the last, and nothing here changes the state searched.
    app = new_app(tmp_path, auto_read=False)
    app.store.set_starred([SECOND], True)
    app.store.set_read([THIRD], True)
    app.store.set_note(THIRD, "Check the ablation")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        for query, expected in QUERY_FORMS:
            await search(pilot, query)
            engine = QueryIndex(app.triage.papers).search(query, app.store)
            found = [app.triage.papers[i].arxiv_id for i in engine]
            assert shown_ids(app) == found, query
            assert 0 < len(engine) < len(app.triage.papers) or query.startswith("digest")
            if expected is not None:
                assert shown_ids(app) == expected, query
            assert f"search: {query} ({len(engine)})" in summary(app), query
        assert not app.screen.query_one("#search-error").display


async def test_typed_keys_reach_the_query_engine_and_terms_are_highlighted(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"title:sparse -author:wolf")
        await settled(pilot)
        assert FIRST not in shown_ids(app) and shown_ids(app)
        assert app.triage.search_terms == ("sparse",)
        assert "sparse" in detail_text(app).casefold()


async def test_a_malformed_query_says_where_in_one_line_and_keeps_the_list(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await search(pilot, "chaos")
        assert shown_ids(app) == [FIRST]
        await search(pilot, "chaos OR (")
        error = app.screen.query_one("#search-error")
        message = str(error.render())
        assert error.display and "column" in message and "\n" not in message
        assert app.screen.query_one("#search").has_class("-invalid")
        assert shown_ids(app) == [FIRST]  # the last good view stays
        await search(pilot, "colour:red")
        assert "unknown field 'colour:'" in str(error.render())
        await search(pilot, "chaos OR author:han")
        assert not error.display and len(shown_ids(app)) == 2
        await pilot.press("escape")
        await pilot.pause()
        assert len(shown_ids(app)) == 30 and not error.display


async def test_every_bad_query_of_the_family_is_named_above_the_box(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        error = app.screen.query_one("#search-error")
        for query, fragment in (
            ("date:2025-13..2025-99", "no month 13"),
            ("cat:cs.LG", "no open digest has categories"),  # the sample has none
            ("id:hello.world", "id: wants an arXiv id"),
            ("=han", "needs a field"),
            ("chaos~", "fuzzy"),
        ):
            await search(pilot, query)
            assert error.display and fragment in str(error.render()), query
            assert app.screen.query_one("#search").has_class("-invalid")
        await search(pilot, 'title:"sparse ch')  # typing a phrase: answered, and said
        assert shown_ids(app) == [FIRST]
        assert error.display and error.has_class("-notice")
        assert 'the " at column 7 is not closed yet: searched as if' in str(error.render())
        assert not app.screen.query_one("#search").has_class("-invalid")
        await search(pilot, 'title:"sparse chaos"')
        assert not error.display


async def test_the_placeholder_says_what_works(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        placeholder = app.screen.query_one("#search").placeholder
        assert "author:" in placeholder and " OR " in placeholder and '"' in placeholder


async def test_o_cycles_the_sort_keeps_the_cursor_and_the_header_says_it(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("j", "j", "j", "j", "j")
        here = current_id(app)
        papers = app.triage.papers
        for name, label in [("date", "newest first"), ("title", "by title"),
                            ("author", "by first author")]:  # fmt: skip
            await pilot.press("O")
            await app.workers.wait_for_complete()
            await pilot.pause()
            order = sort_indices(papers, range(len(papers)), name)
            assert shown_ids(app) == [papers[i].arxiv_id for i in order], name
            assert f"sort: {label}" in summary(app)
            assert current_id(app) == here
        by_author = shown_ids(app)
        await pilot.press("O")
        await app.workers.wait_for_complete()  # choosing "for you" ran the ranking too
        await pilot.pause()
        assert "sort: for you" in summary(app)
        assert current_id(app) == here
        # The ranking worker hands over scores: the view re-sorts, the cursor stays.
        scores = [float(i % 7) for i in range(len(papers))]
        app.screen.scores_ready(scores)
        await pilot.pause()
        assert "sort: for you ·" in summary(app) or summary(app).endswith("sort: for you")
        ranked = [papers[i] for i in sorted(range(30), key=lambda i: (-scores[i], i))]
        assert shown_ids(app) == [p.arxiv_id for p in ranked] != by_author
        assert current_id(app) == here
        await pilot.press("O")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown_ids(app) == [p.arxiv_id for p in papers] and "sort:" not in summary(app)


async def test_a_sort_holds_under_a_search(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("O", "O")  # by title
        await app.workers.wait_for_complete()
        await search(pilot, "LLM")
        titles = [app.triage.papers[i].title.casefold() for i in app.triage.view]
        assert len(titles) > 3 and titles == sorted(titles)


async def test_x_selects_and_moves_on_a_selects_the_view_escape_clears(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("x", "x")
        assert screen.paper_list.cursor == 2
        assert [app.triage.papers[i].arxiv_id for i in app.triage.selection] == [FIRST, SECOND]
        assert "2 selected" in summary(app)
        assert row_text(app, 0).startswith("▌") and row_text(app, 1).startswith("▌")
        assert not row_text(app, 2).startswith("▌")
        await pilot.press("k", "x")  # unselect the second again
        assert len(app.triage.selection) == 1
        await search(pilot, "id:2412.211")
        await pilot.press("enter", "A")
        assert len(app.triage.selection) == 3 and "3 selected" in summary(app)
        await pilot.press("escape")  # the search goes first
        await pilot.pause()
        assert len(shown_ids(app)) == 30 and len(app.triage.selection) == 3
        await pilot.press("A")
        assert len(app.triage.selection) == 30
        await pilot.press("A")  # all were selected: all out
        assert len(app.triage.selection) == 0
        await pilot.press("x", "escape")
        await pilot.pause()
        assert len(app.triage.selection) == 0 and "selected" not in summary(app)


async def test_read_and_star_act_on_the_selection_as_one_undo_step(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("x", "j", "x", "G")  # FIRST and THIRD; the cursor elsewhere
        await pilot.press("r")
        assert [app.store.state(i).read for i in (FIRST, SECOND, THIRD)] == [True, False, True]
        assert app.store.state(app.triage.papers[29].arxiv_id).read is False
        await pilot.press("r")  # all read already: all unread
        assert not app.store.state(FIRST).read and not app.store.state(THIRD).read
        await pilot.press("s")
        assert app.store.state(FIRST).starred and app.store.state(THIRD).starred
        assert "2 starred" in summary(app)
        await pilot.press("u")
        assert not app.store.state(FIRST).starred and not app.store.state(THIRD).starred
        await pilot.press("u")
        assert app.store.state(FIRST).read and app.store.state(THIRD).read
        await pilot.press("X", "s")  # no selection: the current paper alone
        assert app.store.state(app.triage.papers[29].arxiv_id).starred
        assert not app.store.state(FIRST).starred


async def test_export_takes_the_selection_in_the_chosen_format(tmp_path):
    import rispy

    target = tmp_path / "picked.bib"
    app = new_app(tmp_path, auto_read=False)
    app.store.set_starred(["2412.20891"], True)  # starred, but not selected: not exported
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("x", "j", "x", "b")
        await pilot.pause()
        assert str(app.screen.query_one("#export-title").render()) == (
            "Export 2 selected papers to:"
        )
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("tab", "down", "enter")  # RIS: the path follows
        await app.workers.wait_for_complete()
        await pilot.pause()
    written = tmp_path / "picked.ris"
    assert not target.exists() and written.exists()
    records = rispy.loads(written.read_text(encoding="utf-8"))
    papers = {p.arxiv_id: p for p in app.triage.papers}
    assert [r["title"] for r in records] == [papers[FIRST].title, papers[THIRD].title]
    assert records[0]["authors"][0].startswith("Engelken")
    assert app.store.get_setting("export_format") == "ris"
    assert any("Exported 2 selected papers" in n for n in app.notifications_seen)


async def test_export_without_a_selection_takes_the_starred_papers(tmp_path):
    target = tmp_path / "starred.md"
    app = new_app(tmp_path, auto_read=False)
    app.store.set_starred([SECOND], True)
    app.store.set_note(SECOND, "Read section 3")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("b")
        await pilot.pause()
        assert "1 starred paper" in str(app.screen.query_one("#export-title").render())
        app.screen.query_one("#export-path").value = str(target)  # .md: Markdown
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    text = target.read_text(encoding="utf-8")
    assert "Read section 3" in text and app.triage.papers[1].title.split()[0] in text


async def test_help_and_palette_name_the_new_keys(tmp_path):
    from rich.console import Console

    from tui_reader.ui.screens.help import HelpScreen

    app = new_app(tmp_path)
    async with app.run_test(size=(130, 50)) as pilot:
        screen = await loaded(pilot)
        commands = {command.title for command in app.get_system_commands(screen)}
        for name in ("Add or remove tags (on the selection)", "Select all in view",
                     "Clear selection", "Select this paper, go to the next",
                     "Order: digest, date, title, first author, for you"):  # fmt: skip
            assert name in commands
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=130, record=True)
        console.print(app.screen.keys_table())
        text = console.export_text()
        for key, name in (("t", "Add or remove tags"), ("O", "Order: digest"),
                          ("x", "Select this paper"), ("A", "Select all")):  # fmt: skip
            assert any(key in line and name in line for line in text.splitlines()), name
