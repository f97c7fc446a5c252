"""The readers' fast paths give what the plain code they replace gives."""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.formats.arxiv_email import _mail_date, authors, decode_tex
from tui_reader.formats.common import LinePattern, squash

SPACES = st.text(alphabet="ab é\n\t\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000", max_size=40)


@settings(max_examples=500, deadline=None)
@given(SPACES)
def test_squash_is_split_and_join(text):
    assert squash(text) == " ".join(text.split())


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab#>:\n ", max_size=40),
       st.sampled_from(["#", "a+:", "(#|>)b", r"a\n#", "##?[ ]"]))  # fmt: skip
def test_a_line_pattern_finds_what_caret_in_multiline_mode_finds(text, pattern):
    plain = re.compile(f"^(?:{pattern})", re.MULTILINE)
    fast = LinePattern(pattern)
    assert (fast.search(text) is None) == (plain.search(text) is None)
    assert list(fast.starts(text)) == [m.start() for m in plain.finditer(text)]


@pytest.mark.parametrize(
    "names, expected",
    [
        ("A, B and C", ("A", "B", "C")),
        ("A, B, and C", ("A", "B", "C")),
        ("A,and (MIT)", ("A",)),  # the affiliation leaves " and " with nothing after it
        ("X and ", ("X",)),
        (" and X", ("X",)),
        ("Andrew Sand, Alexander\n  Anderson", ("Andrew Sand", "Alexander Anderson")),
        ("M\\\"uller and G\\'omez (Inst.)", ("Müller", "Gómez")),
    ],
)
def test_email_authors(names, expected):
    assert authors(names) == expected


def test_tex_accents_and_letters():
    assert decode_tex(r"Gonz\'alez, \c{C}elik, \ss a, \"{\i}, \v s") == "González, Çelik, ßa, ï, š"


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["Mon, ", "", "Xyz, "]),
    st.integers(0, 32),
    st.sampled_from(["Jan", "Feb", "Sep", "Dec", "Foo"]),
    st.sampled_from(["0000", "1999", "2025", "2100"]),
    st.integers(0, 25),
    st.integers(0, 61),
    st.sampled_from(["GMT", "+0100", "GMT   (812kb)"]),
)
def test_the_usual_mail_date_is_read_as_email_utils_reads_it(day, date, month, year, hour, s, tz):
    text = f"{day}{date} {month} {year} {hour:02d}:45:{s:02d} {tz}"
    try:
        expected = parsedate_to_datetime(text.split("(")[0].strip()).date()
    except (TypeError, ValueError, IndexError):
        expected = None
    assert _mail_date(text) == expected
