"""Digest strings -> Rich Text for the screen: LaTeX made readable, highlights styled.

The rules (what is math, what is highlighted) live in the core modules ``mathtext``
and ``highlight``; this module only maps their spans to styles.

What is shown is bounded, so one paper can never hold the screen up however large its
text (a 10 MB abstract took 40 s to lay out): ``shown_part(text, limit)`` is the start
of ``text`` that is shown (at most ``limit`` characters and ``SHOWN_LINES`` lines, cut
at a space near the end when there is one) and how many characters are left out;
``left_out(count)`` the line that says so; ``field_text(items)`` a metadata field
(authors, keywords, digests ...) joined up to ``FIELD_CHARS``, then ``… and N more``
(``fitting`` and ``more_items`` for a caller that styles each item).
``display_title`` shows at most ``TITLE_CHARS`` (``title_left_out`` counts the rest);
``abstract_text`` at most ``SHOWN_CHARS`` of the abstract (and its first
``SHOWN_HIGHLIGHTS`` highlights), returning what it left out. The whole text stays in
the paper: in exports and ``list --json``.
``shortened(text, cells)`` cuts a line of text for a title bar at a word's end, with an
ellipsis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text

from ..highlight import abstract_highlights
from ..mathtext import render_latex
from ..model import Paper
from ..sanitize import printable

_LAYER = {"math": 0, "emphasis": 1, "keyword": 2, "word": 3, "search": 4}
SHOWN_CHARS = 10_000  # of an abstract, a note or a TL;DR: five screens of a long abstract
SHOWN_LINES = 200  # of the same: many short lines cost as much as a long one
FIELD_CHARS = 2_000  # of one metadata field (authors, keywords, comments ...)
TITLE_CHARS = 1_000
SHOWN_HIGHLIGHTS = 1_000  # styled spans of one abstract: each is a segment to draw
_CUT_BACK = 80  # how far back from the limit a cut looks for a space


def shown_part(text: str, limit: int) -> tuple[str, int]:
    """The start of ``text`` to show (at most ``limit`` characters and ``SHOWN_LINES``
    lines) and the number of characters left out (0: all of it is shown)."""
    end = limit
    newline = -1
    for _ in range(SHOWN_LINES):
        newline = text.find("\n", newline + 1, end)
        if newline < 0:
            break
    else:
        end = newline
    if len(text) <= end:
        return text, 0
    space = text.rfind(" ", max(0, end - _CUT_BACK), end)
    if space > 0:
        end = space
    return text[:end], len(text) - end


def left_out(count: int) -> str:
    """The line below a text cut short."""
    noun = "character" if count == 1 else "characters"
    return f"… {count:,} more {noun} not shown here (exports and `list --json` have them all)"


def fitting(items: Sequence[str], joiner: str = ", ") -> int:
    """How many of ``items``, joined, fit in ``FIELD_CHARS`` (0: not even the first)."""
    room = FIELD_CHARS
    for count, item in enumerate(items):
        room -= len(item) + (len(joiner) if count else 0)
        if room < 0:
            return count
    return len(items)


def more_items(count: int) -> str:
    """What follows the items shown of a field when ``count`` are not."""
    return f" … and {count:,} more" if count else ""


def field_text(items: Sequence[str], joiner: str = ", ") -> str:
    """``items`` joined, as many as fit in ``FIELD_CHARS``, then ``… and N more``; one
    item longer than that is cut, and says by how much."""
    count = fitting(items, joiner)
    if not count and items:
        head, hidden = shown_part(items[0], FIELD_CHARS)
        return f"{head} … ({hidden:,} more characters)" + more_items(len(items) - 1)
    return joiner.join(items[:count]) + more_items(len(items) - count)


def title_left_out(title: str) -> int:
    """How many characters of ``title`` ``display_title`` does not show."""
    return shown_part(title, TITLE_CHARS)[1]


@lru_cache(maxsize=4096)
def display_title(title: str) -> str:
    """A title as the list shows it: math rendered, control characters visible, at most
    ``TITLE_CHARS`` of it (and ``…`` when there is more)."""
    head, hidden = shown_part(title, TITLE_CHARS)
    return printable(render_latex(head).text) + ("…" if hidden else "")


def title_text(title: str, style: Style) -> Text:
    return Text(display_title(title), style=style)


def abstract_text(
    paper: Paper,
    *,
    words: Sequence[str],
    search: Sequence[str],
    styles: Mapping[str, Style],
) -> tuple[Text, int]:
    """The abstract's first ``SHOWN_CHARS``, highlighted, and how many characters of it
    are not shown."""
    head, hidden = shown_part(paper.abstract, SHOWN_CHARS)
    if hidden:
        cut = len(head)
        spans = tuple((start, min(end, cut)) for start, end in paper.bold_spans if start < cut)
        paper = replace(paper, abstract=head, bold_spans=spans)
    display = render_latex(paper.abstract)
    text = Text(printable(display.text, keep_newlines=True))
    highlights = abstract_highlights(paper, display, words=words, search=search)
    # Later styles win where spans overlap: a search hit shows over a keyword.
    for highlight in sorted(highlights[:SHOWN_HIGHLIGHTS], key=lambda h: _LAYER.get(h.kind, 0)):
        style = styles.get(highlight.kind)
        if style is not None:
            text.stylize(style, highlight.start, highlight.end)
    return text, hidden


def shortened(text: str, cells: int) -> str:
    """``text`` in at most ``cells`` cells: whole, or cut at the end of a word (mid-word
    only when its first word is longer than that) and ended with ``…``."""
    if cell_len(text) <= cells:
        return text
    cut = set_cell_size(text, max(0, cells - 1))
    if not text[len(cut)].isspace():  # the cut fell inside a word: back to its start
        cut = cut.rsplit(" ", 1)[0] if " " in cut.strip() else cut
    return cut.rstrip(" ,;:-–—") + "…"
