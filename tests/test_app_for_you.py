"""The "for you" order and papers like this one, driven as a user drives the app."""

from __future__ import annotations

import subprocess
import sys

from tests.app_helpers import advance, detail_text, loaded, new_app, row_text
from tests.conftest import SEED_DIGEST
from tui_reader.ranking.service import FIT_DEBOUNCE
from tui_reader.ui.app import RANK_AFTER
from tui_reader.ui.screens.similar import SimilarScreen

SIZE = (120, 36)
# The sample's papers on quantizing neural networks (their digest keywords say so;
# 7 and 23 carry the word too but are physics papers).
QUANTIZATION = {4, 13, 14, 25, 26, 27}
STARRED = (4, 14, 25)
# Read and not starred: language-model papers on other subjects (Russian adaptation,
# serving on GPUs, a survey), so what the stars share beyond "LLM" stands out.
READ_ONLY = (1, 11, 19)


async def go_to(pilot, index: int) -> None:
    """Move the cursor to paper ``index`` (digest order) as a user would."""
    await pilot.press("g", *["j"] * index)


async def ranked(pilot) -> None:
    """Wait until the ranking worker is idle and its result is shown."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def judge_quantization(pilot) -> None:
    """Star and read the three papers, read the three others (in digest order)."""
    sort = pilot.app.screen.triage.sort
    if sort == "for you":
        await pilot.press("y")
    for index in STARRED:
        await go_to(pilot, index)
        await pilot.press("s", "r")
    for index in READ_ONLY:
        await go_to(pilot, index)
        await pilot.press("r")
    if sort == "for you":
        await pilot.press("y")


async def test_for_you_lands_on_the_best_unjudged_paper_and_the_judged_follow(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await judge_quantization(pilot)
        await go_to(pilot, 2)
        await pilot.press("y")
        await ranked(pilot)
        triage = screen.triage
        assert triage.sort == "for you"
        assert screen.ranking.ranked.ranking.method == "model"
        assert "For you: learned from 3 starred and 3 read-only papers." in (app.notifications_seen)
        judged = set(STARRED) | set(READ_ONLY)
        # Ranking is for the papers not judged: they come first, the judged ones last,
        # the starred ones first of those (what you starred is most like itself).
        assert set(triage.view[-len(judged) :]) == judged
        assert set(triage.view[-len(judged) : -len(judged) + 3]) == set(STARRED)
        top = triage.view[0]
        assert top in QUANTIZATION - set(STARRED), triage.papers[top].title
        # y landed on it: the top of the list, the cursor there.
        assert screen.paper_list.cursor == 0 and screen.paper_list.scroll_offset.y == 0
        assert screen.current_paper().arxiv_id == triage.papers[top].arxiv_id
        why = next(line for line in detail_text(app).splitlines() if line.startswith("For you"))
        assert "quantization" in why and why.split()[2].startswith(("+", "-")), why
        assert row_text(app, 0).rstrip()[-1] in "▁▂▃▄▅▆▇█"
        # A training example says so, in its row and its For you line, with no score.
        await pilot.press("G")
        last = screen.paper_list.cursor
        assert (
            row_text(app, triage.row_of(last) - screen.paper_list.scroll_offset.y).rstrip()[-1]
            == "✓"
        )
        why = next(line for line in detail_text(app).splitlines() if line.startswith("For you"))
        assert "you read it: a training example" in why and "+" not in why, why
        # y again: digest order, no mark, no why-line, the cursor on the same paper.
        shown = triage.paper_at(screen.paper_list.cursor).arxiv_id
        await pilot.press("y")
        assert triage.view == list(range(len(triage.papers)))
        assert triage.paper_at(screen.paper_list.cursor).arxiv_id == shown
        assert "For you" not in detail_text(app)
        assert row_text(app, 0).rstrip()[-1] not in "▁▂▃▄▅▆▇█✓"


async def test_only_the_ranking_y_asked_for_moves_the_cursor(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await judge_quantization(pilot)
        await pilot.press("y")
        await ranked(pilot)
        triage = screen.triage
        top = screen.current_paper().arxiv_id
        assert screen.paper_list.cursor == 0
        await pilot.press("s")  # star it: a refit, which moves it among the judged
        await advance(pilot, FIT_DEBOUNCE)  # the refit waits for a pause in the stars
        await ranked(pilot)
        assert "learned from 4 starred" in screen.ranking.ranked.ranking.detail
        assert screen.current_paper().arxiv_id == top  # the cursor stayed with it
        assert screen.paper_list.cursor > 0 and triage.view[0] != triage.index_of(top)
        await pilot.press("y", "y")  # lands afresh, on the new best
        await ranked(pilot)
        assert screen.paper_list.cursor == 0
        assert triage.index_of(screen.current_paper().arxiv_id) not in triage.judged


async def test_a_star_refits_after_a_pause_and_the_cursor_stays(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        triage = screen.triage
        await pilot.press("y")
        await ranked(pilot)
        assert screen.ranking.ranked.ranking.method == "keywords"  # nothing judged yet
        assert "ranked by keywords" in detail_text(app)
        await judge_quantization(pilot)  # in digest order: y, judge, y again (a fit)
        await ranked(pilot)
        before = screen.ranking.ranked
        assert before.ranking.detail == "learned from 3 starred and 3 read-only papers"
        # Reading alone does not refit (the list would shift under the reader)...
        screen.paper_list.move_to(triage.position_of(triage.papers[28].arxiv_id))
        await pilot.press("r")
        await ranked(pilot)
        assert screen.ranking.ranked is before
        target = triage.papers[26].arxiv_id
        screen.paper_list.move_to(triage.position_of(target))
        await pilot.press("s")  # ...a star does, once a second has passed without another
        await advance(pilot, FIT_DEBOUNCE - 0.1)
        await pilot.pause(0.2)  # the worker looks at the clock every 0.1 s
        assert screen.ranking.ranked is before
        await advance(pilot, 0.1)
        await ranked(pilot)
        after = screen.ranking.ranked
        assert after.ranking.detail == "learned from 4 starred and 4 read-only papers"
        assert screen.current_paper().arxiv_id == target


async def test_the_ranking_starts_a_moment_after_loading(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await advance(pilot, RANK_AFTER - 0.01)
        assert not screen.ranking.started  # not under the first keys pressed
        await advance(pilot, 0.01)
        assert screen.ranking.started
        await ranked(pilot)
        assert screen.ranking.ranked.papers == len(screen.triage.papers)


async def test_papers_like_this_one_lists_neighbours_and_enter_jumps(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        triage = screen.triage
        await go_to(pilot, 14)  # low-bit LLM quantization
        await pilot.press("L")
        similar = app.screen
        assert isinstance(similar, SimilarScreen)
        await ranked(pilot)
        options = similar.query_one("OptionList")
        assert options.display and options.region.height > 3  # shown, whenever it came
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids and triage.papers[14].arxiv_id not in ids
        nearest = {triage.index_of(arxiv_id) for arxiv_id in ids[:3]}
        assert nearest & (QUANTIZATION - {14}), [triage.papers[i].title for i in nearest]
        line = str(options.get_option_at_index(0).prompt)
        assert "2025-01-03" in line and "●" in line  # digest and state (unread)
        await pilot.press("down", "enter")
        assert app.screen is screen
        assert screen.current_paper().arxiv_id == ids[1]


async def test_like_this_clears_a_filter_that_hides_the_chosen_paper(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        triage = screen.triage
        await go_to(pilot, 14)
        await pilot.press("s", "f", "f")  # starred only: the one paper
        assert triage.filter == "starred" and len(triage.view) == 1
        await pilot.press("L")
        await ranked(pilot)
        options = app.screen.query_one("OptionList")
        chosen = options.get_option_at_index(0).id
        await pilot.press("enter")
        assert triage.filter == "all"
        assert screen.current_paper().arxiv_id == chosen


async def test_escape_closes_papers_like_this_one(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("j", "L")
        await ranked(pilot)
        await pilot.press("escape")
        assert app.screen is screen
        assert screen.paper_list.cursor == 1


def test_importing_the_app_imports_no_ranking_code():
    code = (
        "import sys, tui_reader.ui.app\n"
        "heavy = [m for m in ('sklearn', 'numpy', 'scipy', 'tui_reader.ranking')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


async def test_two_digests_for_you_has_no_dividers_and_like_this_names_digests(tmp_path):
    later = tmp_path / "2025-01-04.md"
    later.write_text(
        "# 2025-01-04\n\n## Post-training quantization of large language models\n\n"
        ">Authors: A. Author\n\n>2025-01-02\n\n> http://arxiv.org/abs/2501.00001v1\n\n"
        "Low-bit **quantization** of weights for LLM inference with calibration.\n",
        encoding="utf-8",
    )
    app = new_app(tmp_path, [SEED_DIGEST, later], auto_read=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        triage = screen.triage
        assert row_text(app, 0).startswith("── 2025-01-03")
        await go_to(pilot, 14)  # low-bit LLM quantization, in the first digest
        await pilot.press("y")
        await ranked(pilot)
        assert triage.row_count() == len(triage.view) == 31  # no dividers in this order
        assert not any(row_text(app, y).startswith("──") for y in range(31))
        assert screen.current_paper().arxiv_id == triage.papers[14].arxiv_id
        await pilot.press("L")
        await ranked(pilot)
        options = app.screen.query_one("OptionList")
        lines = {
            options.get_option_at_index(i).id: str(options.get_option_at_index(i).prompt)
            for i in range(options.option_count)
        }
        assert "2025-01-04" in lines["2501.00001"]  # the later digest's paper, named so
        await pilot.press("escape", "y")
        assert row_text(app, 0).startswith("── 2025-01-03")  # digest order: dividers back
        assert screen.current_paper().arxiv_id == triage.papers[14].arxiv_id


async def test_like_this_says_nothing_is_close_rather_than_list_strangers(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("L")  # the first paper: neuroscience, nothing near it
        similar = app.screen
        await ranked(pilot)
        status = str(similar.query_one("#similar-status").render())
        assert status.startswith("Nothing in the open digests is close to this paper:")
        assert "cosine 0.06 or more" in status
        assert not similar.query_one("OptionList").display
