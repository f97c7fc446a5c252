"""The search box's engine and the tag editor's reading of what is typed."""

from __future__ import annotations

import pytest

from tests.conftest import SEED_DIGEST
from tui_reader.digest import load_library
from tui_reader.query import QueryIndex
from tui_reader.search_box import PLACEHOLDER, SearchBox, highlight_terms
from tui_reader.store import StateStore
from tui_reader.tag_edit import TagEdit, complete_last, parse_tag_edit, tags_on


@pytest.fixture
def papers():
    return load_library([SEED_DIGEST]).papers


@pytest.fixture
def store(tmp_path):
    store = StateStore.open(tmp_path / "state.json", background=False)
    yield store
    store.close()


def test_the_box_answers_as_the_query_engine_does(papers, store):
    box = SearchBox()
    store.set_read(papers[:3], True)
    for query in ("chaos", "author:engelken -is:read", "is:read", "title:sparse OR abs:neurons"):
        found = box.run(papers, query, store)
        assert found.error == ""
        assert found.hits == QueryIndex(papers).search(query, store), query
    assert box.run(papers, "is:read", store).hits == [0, 1, 2]
    assert box.run(papers, "   ", store).hits is None


def test_a_malformed_query_is_one_line_and_no_hits(papers, store):
    found = SearchBox().run(papers, "title:(sparse", store)
    assert found.hits is None and "\n" not in found.error and "column" in found.error
    found = SearchBox().run(papers, "colour:red", store)
    assert found.error.startswith("unknown field 'colour:'")


def test_the_index_follows_papers_still_arriving(papers, store):
    box = SearchBox()
    assert box.run(papers[:5], "id:2412", store).hits == [0, 1, 2, 3, 4]
    assert box.run(papers, "id:2412", store).hits == list(range(len(papers)))


def test_highlighted_terms_leave_out_negations_and_non_text_fields():
    assert highlight_terms('sparse "cortical circuits"') == ("sparse", "cortical circuits")
    assert highlight_terms("title:chao* -abs:noise author:wolf is:read tag:x date:2024") == (
        "chao",
        "wolf",
    )
    assert highlight_terms("(kw:pruning OR quant) NOT sparse") == ("pruning", "quant")


def test_the_placeholder_names_what_works():
    for form in (
        "words match from their start",
        '"a phrase"',
        "author:",
        "tag:",
        " OR ",
        "-word",
        "is:unread",
    ):
        assert form in PLACEHOLDER


@pytest.mark.parametrize(
    ("typed", "add", "remove"),
    [
        ("x", ("x",), ()),
        ("x  y +z", ("x", "y", "z"), ()),
        ("-old new", ("new",), ("old",)),
        ('"to read" -"done reading"', ("to read",), ("done reading",)),
        ('"unclosed quote', ("unclosed quote",), ()),
        ("x -x", (), ("x",)),  # the last word wins
        ("-x x", ("x",), ()),
        ("  - + ", (), ()),
    ],
)
def test_tag_edits(typed, add, remove):
    assert parse_tag_edit(typed) == TagEdit(add, remove)


def test_an_empty_edit_is_false():
    assert not parse_tag_edit("   ") and parse_tag_edit("a")


def test_completion_of_the_last_word():
    tags = ["to-read", "todo", "theory", "two words"]
    assert complete_last("t", tags) == "to-read"
    assert complete_last("x -tod", tags) == "x -todo"
    assert complete_last("+TH", tags) == "+theory"
    assert complete_last("to-read", tags) is None  # complete already
    assert complete_last("theory ", tags) is None and complete_last("", tags) is None
    assert complete_last("zz", tags) is None
    assert complete_last("tw", tags) is None  # a tag with a space needs quotes


def test_tags_on_counts_tags_of_states(store, papers):
    class State:
        def __init__(self, tags):
            self.tags = tags

    assert tags_on([State(("a", "b")), State(("a",)), store.state(papers[0].arxiv_id)]) == {
        "a": 2,
        "b": 1,
    }


def test_an_unclosed_quote_is_answered_while_typing_and_said(papers, store):
    found = SearchBox().run(papers, 'title:"sparse ch', store)
    assert found.error == "" and found.hits == [0]
    assert found.notice.startswith('the " at column 7 is not closed yet')
    assert SearchBox().run(papers, 'title:"sparse chaos"', store).notice == ""
    found = SearchBox().run(papers, 'date:2025-13 "x', store)  # a real error still wins
    assert found.hits is None and "no month 13" in found.error
