"""A title cut for a dialog's title bar ends at a word, with an ellipsis."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from tests.app_helpers import loaded, new_app
from tui_reader.ui.rendering import shortened

TITLE = "Facilitating large language model Russian adaptation with Learned Embedding Propagation"


def test_a_long_title_is_cut_at_a_word_with_an_ellipsis():
    assert shortened(TITLE, 56) == "Facilitating large language model Russian adaptation…"
    assert shortened("A short title", 56) == "A short title"
    assert shortened("Ab, cd, ef", 6) == "Ab…"  # no dangling comma
    assert shortened("x" * 80, 10) == "x" * 9 + "…"  # one long word: cut inside it


@given(st.text(alphabet=st.sampled_from("ab 中,"), max_size=60), st.integers(2, 40))
def test_never_wider_than_asked_and_a_prefix_of_the_text(text, cells):
    result = shortened(text, cells)
    assert cell_len(result) <= cells
    assert result == text or text.startswith(result[:-1].rstrip(" ,"))


async def test_the_like_this_dialog_title_is_cut_at_a_word(tmp_path):
    app = new_app(tmp_path, auto_read=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("j", "L")
        await pilot.pause()
        title = str(app.screen.query_one(".dialog-title").render())
        assert title == "Papers like “Facilitating large language model Russian adaptation…”"
