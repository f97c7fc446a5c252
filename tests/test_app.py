"""The app driven as a user drives it: keys in, store and widgets checked."""

from __future__ import annotations

import pytest
from rich.console import Console

from tests.app_helpers import advance, detail_text, loaded, new_app, row_text, summary, until
from tests.conftest import SEED_DIGEST
from tui_reader.ui.app import TriageScreen
from tui_reader.ui.screens.confirm import ConfirmScreen
from tui_reader.ui.screens.digest_picker import DigestPickerScreen
from tui_reader.ui.screens.export_path import ExportPathScreen
from tui_reader.ui.screens.help import HelpScreen
from tui_reader.ui.screens.note import NoteScreen

SIZE = (120, 36)
FIRST, SECOND, THIRD = "2412.21188", "2412.21140", "2412.21102"


def state(app, arxiv_id):
    return app.store.state(arxiv_id)


async def test_opens_on_the_first_paper_with_counts(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert summary(app) == "2025-01-03 · 30 papers · 30 unread · 0 starred"
        assert screen.paper_list.cursor == 0
        text = detail_text(app)
        assert text.startswith("Sparse chaos in cortical circuits")
        assert "Rainer Engelken, Michael Monteforte, Fred Wolf" in text
        assert "2412.21188v1" in text and "https://arxiv.org/abs/2412.21188" in text
        assert "networks exhibit sparse chaos" in text
        assert "●" in row_text(app, 0) and "Sparse chaos" in row_text(app, 0)


MOVES = [
    (["j"], 1),
    (["down", "down"], 2),
    (["j", "j", "k"], 1),
    (["j", "up"], 0),
    (["G"], 29),
    (["end"], 29),
    (["G", "g"], 0),
    (["G", "home"], 0),
    (["pagedown"], None),
    (["pagedown", "pageup"], 0),
]


async def test_moving_in_the_list(tmp_path):
    app = new_app(tmp_path)  # one app for every move, each from the top of the list
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        for keys, expected in MOVES:
            screen.paper_list.move_to(0)
            await pilot.pause()
            await pilot.press(*keys)
            if expected is None:
                assert screen.paper_list.cursor > 5, keys
            else:
                assert screen.paper_list.cursor == expected, keys
            paper = screen.triage.paper_at(screen.paper_list.cursor)
            assert detail_text(app).startswith(paper.title.replace("$^3$", "³")), keys


async def test_held_j_and_jumps_mark_nothing(tmp_path):
    # Each key comes 0.1 s after the last on the app's clock, well inside the 5 s a
    # paper needs; the old rule (moving on marks the paper left) fails at once.
    app = new_app(tmp_path, read_after=5.0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        for key in [*["j"] * 12, "G", "g", "f", "f", "f", "f", "k"]:
            await pilot.press(key)
            await advance(pilot, 0.1)
        for key in ["slash", *"spars", "escape", "escape"]:
            await pilot.press(key)
            await advance(pilot, 0.1)
        assert screen.triage.counts().unread == 30
        assert "30 unread" in summary(app)


async def test_a_paper_on_screen_for_the_dwell_time_becomes_read(tmp_path):
    app = new_app(tmp_path, read_after=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await advance(pilot, 0.5)
        await pilot.press("j")
        await advance(pilot, 0.9)
        assert not state(app, SECOND).read  # not yet
        await advance(pilot, 0.1)
        assert state(app, SECOND).read
        assert not state(app, FIRST).read  # left before its time was up
        assert "29 unread" in summary(app)
        assert "●" not in row_text(app, 1) and "●" in row_text(app, 0)


async def test_each_move_starts_the_dwell_clock_again(tmp_path):
    # One timer serves every move (re-armed when it fires early): a paper passed after
    # 1.2 s is not read, nor the next one 1.2 s later, 2.4 s after the first move.
    app = new_app(tmp_path, read_after=2.0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("j")
        await advance(pilot, 1.2)
        await pilot.press("j")
        await advance(pilot, 1.2)
        assert screen.triage.counts().unread == 30
        third = screen.current_paper().arxiv_id
        await advance(pilot, 0.7)
        assert not app.store.state(third).read  # 1.9 s on it
        await advance(pilot, 0.1)
        assert app.store.state(third).read and screen.triage.counts().unread == 29


async def test_read_after_zero_marks_at_once(tmp_path):
    app = new_app(tmp_path, read_after=0)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("j")
        assert state(app, FIRST).read and state(app, SECOND).read


async def test_no_auto_read(tmp_path):
    app = new_app(tmp_path, auto_read=False, read_after=0)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("j", "j")
        await advance(pilot, 60.0)
        assert not state(app, FIRST).read and "30 unread" in summary(app)


async def test_space_at_the_end_marks_read_and_goes_on(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:  # every abstract fits: one page
        screen = await loaded(pilot)
        await pilot.press("space")
        assert state(app, FIRST).read
        assert screen.paper_list.cursor == 1
        assert not state(app, SECOND).read


async def test_space_on_the_last_unread_paper_says_all_read(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await loaded(pilot)
        for _ in range(30):
            await pilot.press("space")
        assert screen.triage.counts().unread == 0
        assert "0 unread" in summary(app)
        assert app.notifications_seen[-1] == "All 30 read."


async def test_space_and_J_wrap_round_to_unread_papers_above(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("G")
        await pilot.press("space")  # the last paper read; the only unread are above
        assert state(app, screen.triage.papers[29].arxiv_id).read
        assert screen.paper_list.cursor == 0
        assert "round to the top" in app.notifications_seen[-1]
        await pilot.press("K")  # and back round the other way
        assert screen.paper_list.cursor == 28
        assert "round to the bottom" in app.notifications_seen[-1]
        await pilot.press("J")
        assert screen.paper_list.cursor == 0


async def test_r_toggles_read_and_an_explicit_choice_sticks(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("r")
        assert state(app, FIRST).read
        await pilot.press("r")
        assert not state(app, FIRST).read
        await pilot.press("j")  # moving on does not override the explicit "unread"
        assert not state(app, FIRST).read


async def test_s_stars_and_unstars(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        assert state(app, FIRST).starred
        assert "1 starred" in summary(app)
        assert "★" in row_text(app, 0)
        assert "★ starred" in detail_text(app)
        snapshot = app.store.snapshot(FIRST)
        assert snapshot is not None and snapshot.title == "Sparse chaos in cortical circuits"
        await pilot.press("s")
        assert not state(app, FIRST).starred and "0 starred" in summary(app)


async def test_note_editor_saves_with_ctrl_s(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"compare with", "enter", *"Lyapunov", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        assert state(app, FIRST).note == "compare with\nLyapunov"
        assert "✎" in row_text(app, 0)
        assert "compare with\nLyapunov" in detail_text(app)
        assert "1 noted" in summary(app)


async def test_note_escape_asks_before_discarding_changes(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("n", *"draft", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # discard
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        assert state(app, FIRST).note == ""


async def test_note_escape_without_changes_closes_at_once(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("n", "escape")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)


async def test_an_emptied_note_is_deleted(tmp_path):
    app = new_app(tmp_path)
    app.store.set_note(FIRST, "old note")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("n", "ctrl+a")
        editor = app.screen.query_one("TextArea")
        editor.clear()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert state(app, FIRST).note == ""
        assert "Note deleted." in app.notifications_seen


async def test_undo_is_repeatable_and_undoes_mark_all(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("s", "r")
        assert state(app, FIRST).read and state(app, FIRST).starred
        await pilot.press("u")
        assert not state(app, FIRST).read and state(app, FIRST).starred
        assert app.notifications_seen[-1] == "Undone: “Sparse chaos in cortical circuits”."
        await pilot.press("u")
        assert not state(app, FIRST).starred
        await pilot.press("R")
        assert all(state(app, p.arxiv_id).read for p in app.triage.papers)
        assert "0 unread" in summary(app)
        await pilot.press("u")
        assert not any(state(app, p.arxiv_id).read for p in app.triage.papers)
        assert "30 unread" in summary(app)
        assert app.notifications_seen[-1].startswith("Undone: “Sparse chaos in cortical")
        assert app.notifications_seen[-1].endswith(", 28 more papers.")
        await pilot.press("u")
        assert "Nothing to undo." in app.notifications_seen


async def test_search_narrows_as_you_type_and_escape_clears(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("slash", *"keyframe")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # KeyGS by its title, ReTaKe by "keyframes" in its abstract
        assert [p.arxiv_id for p in screen.triage.papers_in_view()] == ["2412.20767", "2412.20504"]
        assert "search: keyframe (2)" in summary(app)
        await pilot.press(*" gaussian")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [p.arxiv_id for p in screen.triage.papers_in_view()] == ["2412.20767"]
        assert detail_text(app).startswith("KeyGS")
        await pilot.press("enter")  # back to the list, search kept
        assert screen.paper_list.has_focus and len(screen.triage.view) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert len(screen.triage.view) == 30
        assert screen.triage.paper_at(screen.paper_list.cursor).arxiv_id == "2412.20767"


async def test_search_terms_all_must_match(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("slash", *"quantization diffusion")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert {p.arxiv_id for p in screen.triage.papers_in_view()} == {"2412.19867"}


async def test_f_cycles_the_filter(tmp_path):
    app = new_app(tmp_path)
    app.store.set_starred([THIRD], True)
    app.store.set_note(SECOND, "n")
    app.store.set_read([FIRST], True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("f")
        assert screen.triage.filter == "unread" and len(screen.triage.view) == 29
        await pilot.press("f")
        assert [p.arxiv_id for p in screen.triage.papers_in_view()] == [THIRD]
        assert "filter: starred" in summary(app)
        await pilot.press("f")
        assert [p.arxiv_id for p in screen.triage.papers_in_view()] == [SECOND]
        await pilot.press("f")
        assert screen.triage.filter == "all" and len(screen.triage.view) == 30


async def test_o_and_p_open_arxiv_urls_built_from_the_id(tmp_path, monkeypatch):
    app = new_app(tmp_path)
    opened = []
    monkeypatch.setattr("tui_reader.ui.browser.open_link", lambda url: opened.append(url) or True)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert opened == ["https://arxiv.org/abs/2412.21188", "https://arxiv.org/pdf/2412.21188"]
        assert "Opened https://arxiv.org/pdf/2412.21188 in the browser." in app.notifications_seen


async def test_o_without_a_browser_says_so_and_copies_the_link(tmp_path, monkeypatch):
    app = new_app(tmp_path)
    copied = []
    monkeypatch.setattr("tui_reader.ui.browser.open_link", lambda url: False)
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert copied == ["https://arxiv.org/abs/2412.21188"]
        message = app.notifications_seen[-1]
        assert message.startswith("No browser could be started.")
        assert message.endswith("https://arxiv.org/abs/2412.21188")


async def test_c_copies_the_bibtex_entry(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("c")
        assert app.clipboard.startswith("@misc{engelken2024sparse,")
        assert state(app, FIRST).citation_key == "engelken2024sparse"


async def test_b_with_nothing_starred_says_so(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        assert any("No starred papers" in n for n in app.notifications_seen)


async def test_b_exports_and_asks_before_overwriting(tmp_path):
    target = tmp_path / "refs.bib"
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("s", "b")
        await pilot.pause()
        assert isinstance(app.screen, ExportPathScreen)
        field = app.screen.query_one("Input")
        field.value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "@misc{engelken2024sparse," in target.read_text()
        assert app.store.get_setting("export_path") == str(target.absolute())
        target.write_text("% mine\n")
        await pilot.press("b")
        await pilot.pause()
        assert app.screen.query_one("Input").value == str(target)  # remembered
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert target.read_text() == "% mine\n"
        await pilot.press("b", "enter")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "@misc{engelken2024sparse," in target.read_text()


async def test_space_pages_the_abstract_then_goes_to_the_next_unread(tmp_path):
    app = new_app(tmp_path)
    app.store.set_read([SECOND], True)
    async with app.run_test(size=(120, 14)) as pilot:
        screen = await loaded(pilot)
        detail = screen.detail
        assert detail.max_scroll_y > 0
        while not detail.at_end():
            await pilot.press("space")
        assert screen.paper_list.cursor == 0
        await pilot.press("space")
        assert screen.triage.paper_at(screen.paper_list.cursor).arxiv_id == THIRD


async def test_shift_j_and_k_jump_between_unread(tmp_path):
    app = new_app(tmp_path)
    app.store.set_read([SECOND, THIRD], True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("J")
        assert screen.paper_list.cursor == 3
        await pilot.press("K")  # passing the first paper did not read it
        assert screen.paper_list.cursor == 0
        await pilot.press("r", "K")  # nothing unread above: round to the bottom
        assert screen.paper_list.cursor == 29
        assert "round to the bottom" in app.notifications_seen[-1]


async def test_brackets_move_between_digests(tmp_path):
    later = tmp_path / "2025-01-04.md"
    later.write_text(
        "# 2025-01-04\n\n## A later paper\n\n>Authors: A. Author\n\n>2025-01-02\n\n"
        "> http://arxiv.org/abs/2501.00001v1\n\nText.\n\n## Another\n\n>Authors: B\n\n"
        ">2025-01-02\n\n> http://arxiv.org/abs/2501.00002v1\n\nMore.\n",
        encoding="utf-8",
    )
    app = new_app(tmp_path, [SEED_DIGEST, later])
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert summary(app).startswith(
            "2025-01-03 1/2 (30 unread) · of 2025-01-03 – 2025-01-04 · 32 papers"
        )
        await pilot.press("right_square_bracket")
        assert screen.paper_list.cursor == 30
        assert summary(app).startswith("2025-01-04 2/2 (2 unread) · of")
        # A divider row per digest, which the cursor never rests on.
        assert row_text(app, 0).startswith("── 2025-01-03 · 30 papers · 30 unread ──")
        assert row_text(app, 31).startswith("── 2025-01-04 · 2 papers · 2 unread ──")
        assert "A later paper" in row_text(app, 32)
        await pilot.press("k")
        assert screen.paper_list.cursor == 29 and "Latent" not in row_text(app, 31)
        await pilot.press("j")
        await pilot.press("j", "left_square_bracket")
        assert screen.paper_list.cursor == 30
        await pilot.press("left_square_bracket")
        assert screen.paper_list.cursor == 0


async def test_question_mark_lists_every_key(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=100, record=True)
        console.print(app.screen.keys_table())
        text = console.export_text()
        for description in ("Star", "Undo", "Mark all in view read", "Export the selection",
                            "Previous digest", "Next paper", "Quit"):  # fmt: skip
            assert description in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)


async def test_every_triage_action_is_in_the_command_palette(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        titles = {command.title for command in app.get_system_commands(screen)}
        for binding in TriageScreen.BINDINGS:
            assert (binding.tooltip or binding.description) in titles
        assert "Theme" in titles
        helps = {command.title: command.help for command in app.get_system_commands(screen)}
        assert helps["Next digest"] == "key: ]" and helps["Search"] == "key: /"
        assert "square" not in " ".join(helps.values())


async def test_theme_choice_is_remembered(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        app.theme = "nord"
        await pilot.pause()
    assert app.store.get_setting("theme") == "nord"
    again = new_app(tmp_path)
    again.store.set_setting("theme", "nord")
    async with again.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert again.theme == "nord"


async def test_narrow_terminal_stacks_the_panes(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        assert screen.has_class("-narrow")
        papers, detail = screen.paper_list.region, screen.detail.region
        assert detail.y > papers.y and papers.width == 80


async def test_q_quits(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("s", "q")
        await pilot.pause()
    assert app.return_code == 0
    app.store.close()
    from tui_reader.store import StateStore

    assert StateStore.open(tmp_path / "state.json", background=False).state(FIRST).starred


async def test_digest_text_is_never_markup_or_escape_codes(tmp_path, monkeypatch):
    hostile = tmp_path / "hostile.md"
    hostile.write_text(
        "# 2025-02-01\n\n## [bold red]Boo[/] \x1b[2J\x1b]0;pwned\x07 title\n\n"
        ">Authors: [link=https://evil.example]Eve[/link]\n\n>2025-01-30\n\n"
        "> http://evil.example/abs/2501.00001v1 arxiv.org/abs/2501.00001v1\n\n"
        "An abstract with [b]markup[/b], \x1b[31mred\x1b[0m and a **bold** word.\n",
        encoding="utf-8",
    )
    app = new_app(tmp_path, [hostile])
    opened = []
    monkeypatch.setattr("tui_reader.ui.browser.open_link", lambda url: opened.append(url))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        row = row_text(app, 0)
        assert "[bold red]Boo[/]" in row and "\x1b" not in row and "␛[2J" in row
        text = detail_text(app)
        assert "[link=https://evil.example]Eve[/link]" in text
        assert "[b]markup[/b]" in text and "\x1b" not in text
        await pilot.press("o")
        await app.workers.wait_for_complete()
        assert opened == ["https://arxiv.org/abs/2501.00001"]


async def test_user_words_are_highlighted(tmp_path):
    app = new_app(tmp_path, words=("LYAPUNOV",))
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        detail = screen.detail
        word_style = detail.get_component_rich_style("paper-detail--word")
        lines = [detail.render_line(y) for y in range(detail.scrollable_content_region.height)]
        segments = [seg for line in lines for seg in line if "Lyapunov" in seg.text]
        assert segments, "the word is on screen"
        assert all(seg.style.color == word_style.color and seg.style.underline
                   for seg in segments)  # fmt: skip


async def test_a_corrupt_state_file_is_kept_and_the_user_told(tmp_path):
    (tmp_path / "state.json").write_text('{"papers": {"1": {"read": tr')
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert any("corrupt" in note for note in app.notifications_seen)
        await pilot.press("s")
        assert state(app, FIRST).starred
    backups = list(tmp_path.glob("state.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_text() == '{"papers": {"1": {"read": tr'


async def test_notifications_show_digest_text_as_text(tmp_path):
    digest = tmp_path / "d.md"
    digest.write_text(
        "# 2025-02-01\n\n## Fine\n\n>Authors: A\n\n>2025-01-30\n\n"
        "> http://arxiv.org/abs/2501.00001v1\n\nText.\n\n"
        "## [bold red]Loud[/] \x1b[2J title\n\n>Authors: B\n\nNo URL line here.\n",
        encoding="utf-8",
    )
    app = new_app(tmp_path, [digest])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await loaded(pilot)
        await until(pilot, lambda: app.query("Toast"), "a toast")
        toasts = list(app.query("Toast"))
        assert toasts  # "1 warning — W lists them"; the warning itself is on that screen
        await pilot.press("W")
        await pilot.pause()
        shown = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "[bold red]Loud[/]" in shown
        assert "\x1b" not in shown


async def test_a_running_app_picks_up_another_copys_changes(tmp_path):
    from tui_reader.cli import connect_store
    from tui_reader.clock import FakeClock
    from tui_reader.store import StateStore
    from tui_reader.ui.app import make_app

    path = tmp_path / "state.json"
    store = StateStore.open(path, flush_interval=0.1, check_interval=0.1)
    app = make_app([SEED_DIGEST], store, clock=FakeClock())  # no dwell: only the star
    connect_store(app, store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            other = StateStore.open(path, background=False)
            other.set_starred(["2412.20767"], True)
            other.close()
            await until(pilot, lambda: "1 starred" in summary(app), "the other copy's star")
            assert "1 starred" in summary(app)
            assert state(app, "2412.20767").starred
    finally:
        store.close()


async def test_wide_terminal_keeps_the_panes_side_by_side(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await loaded(pilot)
        assert not screen.has_class("-narrow")
        papers, detail = screen.paper_list.region, screen.detail.region
        assert papers.y == detail.y and detail.x >= papers.right
        assert "Sparse chaos in cortical circuits" in row_text(app, 0)
        assert detail_text(app).startswith("Sparse chaos in cortical circuits")


async def test_shift_s_stars_reads_and_moves_on_as_one_undo(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("S")
        assert state(app, FIRST).starred and state(app, FIRST).read
        assert screen.paper_list.cursor == 1
        assert "29 unread" in summary(app) and "1 starred" in summary(app)
        await pilot.press("u")
        assert not state(app, FIRST).starred and not state(app, FIRST).read


async def test_the_same_toast_is_not_stacked(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        for _ in range(3):
            await pilot.press("u")
            await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert messages.count("Nothing to undo.") == 1


async def test_session_comes_back_on_the_same_paths(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("f", "slash", *"neural", "enter", "j", "O")
        await app.workers.wait_for_complete()
        await pilot.pause()
        paper = screen.current_paper()
        assert paper is not None and screen.triage.filter == "unread"
        assert screen.triage.sort == "date"
    app.store.close()

    again = new_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert screen.current_paper().arxiv_id == paper.arxiv_id
        assert screen.triage.filter == "unread" and screen.triage.sort == "date"
        assert screen.query_one("#search").value == "neural"
        assert "search: neural" in summary(again)
    again.store.close()

    fresh = new_app(tmp_path, restore=False)
    async with fresh.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert screen.paper_list.cursor == 0 and screen.triage.filter == "all"
        assert screen.triage.sort == "digest"
        assert screen.triage.search_hits is None


async def test_where_you_are_is_written_once_you_stay_not_per_key(tmp_path):
    from tui_reader.ui import app as app_module
    from tui_reader.ui.session import load_session

    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        before = load_session(app.store, app.paths)
        await pilot.press("j", "j", "j")
        await advance(pilot, app_module.SESSION_SAVE_DELAY - 0.1)
        assert load_session(app.store, app.paths) == before  # not on every key
        await advance(pilot, 0.1)
        assert load_session(app.store, app.paths).paper == screen.current_paper().arxiv_id
    app.store.close()


async def test_digest_picker_lists_digests_and_jumps(tmp_path):
    later = tmp_path / "2025-01-04.md"
    later.write_text(
        "# 2025-01-04\n\n## A later paper\n\n>Authors: A. Author\n\n>2025-01-02\n\n"
        "> http://arxiv.org/abs/2501.00001v1\n\nText.\n",
        encoding="utf-8",
    )
    app = new_app(tmp_path, [SEED_DIGEST, later])
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, DigestPickerScreen)
        options = app.screen.query_one("OptionList")
        lines = [str(options.get_option_at_index(i).prompt) for i in range(2)]
        assert lines[0].startswith("▶ 2025-01-03") and "30 papers" in lines[0]  # you are here
        assert "1 paper " in lines[1] and "1 unread" in lines[1]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        assert screen.current_paper().arxiv_id == "2501.00001"
        assert summary(app).startswith("2025-01-04 2/2 (1 unread)")


@pytest.mark.parametrize("width", [80, 100, 120])
async def test_footer_shows_q_and_help_first_and_never_cuts_a_label(tmp_path, width):
    app = new_app(tmp_path)
    async with app.run_test(size=(width, 24)) as pilot:
        await loaded(pilot)
        await pilot.pause()
        keys = list(app.screen.query("KeysFooter FooterKey"))
        assert [key.key for key in keys[:2]] == ["q", "question_mark"]
        right = max(key.region.right for key in keys)
        assert right <= width
        for key in keys:  # each label whole on screen
            assert key.region.width >= len(key.key_display) + len(key.description) + 1
        # Chosen by use: at 80 columns too, the keys of a day's triage are there.
        shown = {key.key for key in keys}
        assert {"space", "s", "n", "slash", "f", "t", "O", "b"} <= shown, shown
        if width >= 120:
            assert {"S", "r"} <= shown, shown


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (200, 60)])
async def test_toasts_never_cover_the_abstract(tmp_path, size):
    app = new_app(tmp_path)
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await loaded(pilot)
        await pilot.press("f", "O", "u")  # three different toasts
        await until(pilot, lambda: len(app.screen.query("Toast")) >= 3, "three toasts")
        toasts = list(app.screen.query("Toast"))
        assert len(toasts) == 3
        text = screen.detail.content_region
        for toast in toasts:
            assert not toast.region.overlaps(text), (toast.region, text)


async def test_space_pages_a_long_paper_before_it_counts_as_read(tmp_path):
    app = new_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        assert not screen.detail.at_end()  # at 80x24 the first abstract needs pages
        await pilot.press("space")
        assert not state(app, FIRST).read and screen.paper_list.cursor == 0
        presses = 1
        while screen.paper_list.cursor == 0 and presses < 20:
            await pilot.press("space")
            presses += 1
        assert state(app, FIRST).read and screen.paper_list.cursor == 1
        assert presses >= 2


async def test_choosing_unread_with_r_outlasts_the_dwell(tmp_path):
    app = new_app(tmp_path, read_after=1.5)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("r", "r")
        await advance(pilot, 2.0)
        assert not state(app, FIRST).read
