"""The header keeps what you have set in sight; the digest label and counts give way."""

from __future__ import annotations

import pytest

from tests.app_helpers import loaded, summary, year_app
from tui_reader.ui.header import SEPARATOR, Header

CONTEXT = (
    ("2025-01-03 1/57", 3, SEPARATOR),
    ("(66 unread)", 4, " "),
    ("of 2025-01-03 – 2025-02-28", 8, SEPARATOR),
    ("3,800 papers", 7, SEPARATOR),
    ("3,799 unread", 0, SEPARATOR),
    ("0 starred", 5, SEPARATOR),
)
QUERY = 'author:han title:"sparse attention" -is:read'


@pytest.mark.parametrize("width", [78, 80, 98, 118, 158, 198])
@pytest.mark.parametrize(
    ("settings", "query"),
    [
        ((None,), QUERY),
        (("filter: unread",), ""),
        (("sort: for you",), ""),
        (("12 selected", "filter: unread", None, "sort: newest first"), QUERY),
    ],
)
def test_what_you_set_is_whole_at_every_width(width, settings, query):
    lines = Header(CONTEXT, settings, query, 275).lines(width)
    assert all(len(line) <= width for line in lines)
    text = "\n".join(lines)
    for part in settings:
        if part is None and len(settings) == 4 and width < 80:
            # Four settings and a 44-column query in 78: only the query's middle goes.
            assert 'search: author:han title:"spa…' in text and 'ion" -is:read (275)' in text
            continue
        assert (part or f"search: {query} (275)") in text
    assert "3,799 unread" in lines[0]  # the count that never gives way


def test_the_counts_give_way_in_order():
    header = Header(CONTEXT)
    assert header.lines(200) == [
        "2025-01-03 1/57 (66 unread) · of 2025-01-03 – 2025-02-28 · 3,800 papers · "
        "3,799 unread · 0 starred"
    ]
    assert header.lines(72) == [
        "2025-01-03 1/57 (66 unread) · 3,800 papers · 3,799 unread · 0 starred"
    ]
    assert header.lines(50) == ["2025-01-03 1/57 (66 unread) · 3,799 unread"]
    assert header.lines(34) == ["2025-01-03 1/57 · 3,799 unread"]
    assert header.lines(10) == ["3,799 unread"]


def test_two_lines_depend_on_the_settings_not_the_counts():
    settings = ("filter: unread (3,799 shown)", None)
    one = Header(CONTEXT, settings, "chaos", 12).lines(120)
    assert len(one) == 1
    fewer = tuple((text.replace("3,799", "9"), drop, glue) for text, drop, glue in CONTEXT)
    assert len(Header(fewer, settings, "chaos", 12).lines(120)) == 1
    assert len(Header(CONTEXT, settings, QUERY * 2, 12).lines(120)) == 2


def test_a_query_too_long_for_its_line_is_cut_in_its_middle():
    query = " ".join(f"word{i}" for i in range(40))
    lines = Header(CONTEXT, (None, "sort: by title"), query, 3).lines(80)
    assert len(lines) == 2 and len(lines[1]) == 80
    assert lines[1].startswith("search: word0 word1") and "…" in lines[1]
    assert lines[1].endswith("word39 (3) · sort: by title")


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_header_of_a_year_of_digests_shows_the_search_and_sort(tmp_path, size):
    app = year_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        await pilot.press("f", "slash", *"author:chen", "enter", "O")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = summary(app)
        matches = len(app.triage.view)
        assert f"search: author:chen ({matches:,})" in text
        assert "filter: unread" in text and "sort: newest first" in text
        assert all(len(line) <= size[0] - 2 for line in text.splitlines())
        assert "unread" in text.splitlines()[0]
        await pilot.press("x", "x")
        assert "2 selected" in summary(app)
