"""Digest strings -> Rich Text for the screen: LaTeX made readable, highlights styled.

The rules (what is math, what is highlighted) live in the core modules ``mathtext``
and ``highlight``; this module only maps their spans to styles. ``shortened(text,
cells)`` cuts a line of text for a title bar at a word's end, with an ellipsis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text

from ..highlight import abstract_highlights
from ..mathtext import render_latex
from ..model import Paper
from ..sanitize import printable

_LAYER = {"math": 0, "emphasis": 1, "keyword": 2, "word": 3, "search": 4}


@lru_cache(maxsize=4096)
def display_title(title: str) -> str:
    """A title as the list shows it: math rendered, control characters visible."""
    return printable(render_latex(title).text)


def title_text(title: str, style: Style) -> Text:
    return Text(display_title(title), style=style)


def abstract_text(
    paper: Paper,
    *,
    words: Sequence[str],
    search: Sequence[str],
    styles: Mapping[str, Style],
) -> Text:
    display = render_latex(paper.abstract)
    text = Text(printable(display.text, keep_newlines=True))
    highlights = abstract_highlights(paper, display, words=words, search=search)
    # Later styles win where spans overlap: a search hit shows over a keyword.
    for highlight in sorted(highlights, key=lambda h: _LAYER.get(h.kind, 0)):
        style = styles.get(highlight.kind)
        if style is not None:
            text.stylize(style, highlight.start, highlight.end)
    return text


def shortened(text: str, cells: int) -> str:
    """``text`` in at most ``cells`` cells: whole, or cut at the end of a word (mid-word
    only when its first word is longer than that) and ended with ``…``."""
    if cell_len(text) <= cells:
        return text
    cut = set_cell_size(text, max(0, cells - 1))
    if not text[len(cut)].isspace():  # the cut fell inside a word: back to its start
        cut = cut.rsplit(" ", 1)[0] if " " in cut.strip() else cut
    return cut.rstrip(" ,;:-–—") + "…"
