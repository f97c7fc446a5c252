"""What to highlight in an abstract, as spans of its display text.

    >>> from tui_reader.mathtext import render_latex
    >>> find_terms("Quantized models quantize", ["QUANTIZ", "model"])
    [(0, 7), (10, 15), (17, 24)]

``abstract_highlights(paper, display, words=..., search=...)`` gathers every kind of
highlight of one abstract, where ``display`` is ``render_latex(paper.abstract)``:

* ``"keyword"`` -- the digest's own ``**bold**`` terms (``paper.bold_spans``, mapped
  from the abstract's source offsets to the display text);
* ``"word"`` -- the user's own words (``--highlight``, the config file);
* ``"search"`` -- the terms of the current ``/`` search;
* ``"emphasis"`` / ``"math"`` -- ``\\textbf{...}`` and converted math, from ``display``.

The result is sorted by start, then by kind in ``KINDS`` order (least to most
important), so a widget that applies styles in list order lets the more important kind
win where spans overlap. Spans never overlap within one kind.
Plain data only: the UI turns these into Rich styles; nothing here imports Textual.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .mathtext import DisplayText
from .model import Paper

__all__ = ["KINDS", "Highlight", "abstract_highlights", "find_terms"]

KINDS = ("emphasis", "math", "keyword", "word", "search")
_RANK = {kind: rank for rank, kind in enumerate(KINDS)}


@dataclass(frozen=True, slots=True)
class Highlight:
    """``text[start:end]`` of the display text is highlighted as ``kind`` (one of KINDS)."""

    start: int
    end: int
    kind: str


def find_terms(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Every occurrence of any of ``terms`` in ``text``, case-insensitively, merged.

    Matches inside words too (``quantiz`` in ``Quantized``) and overlapping ones
    (``aa`` in ``aaa``); overlapping or adjacent spans are merged; blank terms are
    ignored. Spans are ``(start, end)`` offsets in ``text``, sorted.
    """
    spans: list[tuple[int, int]] = []
    for term in terms:
        term = term.strip()
        if not term:
            continue
        length = len(term)
        spans.extend(
            (match.start(), match.start() + length) for match in _term_pattern(term).finditer(text)
        )
    return _merge(spans)


@lru_cache(maxsize=256)
def _term_pattern(term: str) -> re.Pattern[str]:
    # A lookahead finds overlapping occurrences; IGNORECASE matches one character
    # against one, so offsets stay offsets of ``text`` (unlike ``casefold``).
    return re.compile(f"(?={re.escape(term)})", re.IGNORECASE)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if len(spans) < 2:
        return spans
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        last_start, last_end = merged[-1]
        if start <= last_end:
            if end > last_end:
                merged[-1] = (last_start, end)
        else:
            merged.append((start, end))
    return merged


def abstract_highlights(
    paper: Paper,
    display: DisplayText,
    *,
    words: Sequence[str] = (),
    search: Sequence[str] = (),
) -> list[Highlight]:
    """Every highlight of ``paper``'s abstract, as spans of ``display.text``.

    ``display`` must be ``render_latex(paper.abstract)``; ``words`` are the user's
    highlight words and ``search`` the terms of the current search.
    """
    found: list[Highlight] = []
    found.extend(Highlight(start, end, "emphasis") for start, end in display.emphasis)
    found.extend(Highlight(start, end, "math") for start, end in display.math)
    keywords = [display.display_span(start, end) for start, end in paper.bold_spans]
    found.extend(Highlight(start, end, "keyword") for start, end in _merge(keywords) if start < end)
    if words:
        found.extend(
            Highlight(start, end, "word") for start, end in find_terms(display.text, words)
        )
    if search:
        found.extend(
            Highlight(start, end, "search") for start, end in find_terms(display.text, search)
        )
    found.sort(key=lambda item: (item.start, _RANK.get(item.kind, len(KINDS)), item.end))
    return found
