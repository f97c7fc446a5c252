"""Per-field lookups of the query engine: which papers a ``field:value`` term matches.

Indexes are built on first use of their field and kept (papers do not change under an
index). All answers are lists of paper indices in paper order. Values arrive checked
(``values.checked``).

* ``TextField`` (``author``, ``title``, ``abs``, ``kw``): the field's case-folded text
  of every paper in one string, papers separated by a newline; a term matches at the
  start of a word (``author:han`` finds "Han" and "Song Han-Lin", not "Shane"), a
  phrase's spaces match any whitespace, a trailing ``*`` is dropped (it is a prefix
  match anyway). An exact term (``author:=han``) must also end where a word ends:
  "Han" and "Han-Lin", not "Hanning". ``field:*`` is every paper with some text
  there. ``str.find`` runs in C over the whole string and jumps to the next paper
  after each hit.
* ``ListField`` (``cat``): exact values, or the archive of a category (``cat:cs``
  matches ``cs.LG``); ``value*`` is a prefix; ``cat:*`` any category.
* ``DateField`` (``date``, ``digest``): ISO dates sorted once; ``2025``, ``2025-01``,
  ``2025-01-05`` and ranges ``A..B``, ``A..``, ``..B`` (ends included, at the
  precision written) are two bisections.
* ``id``: a prefix of ``arxiv_id`` + ``v`` + version (``id:2412`` is December 2024),
  ``arXiv:`` and URLs accepted; ``id:=2412.21188`` that id alone (any version).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence

from ..model import Paper
from .parse import Term
from .values import date_bounds, id_prefix

__all__ = [
    "DateField",
    "IdField",
    "ListField",
    "TextField",
    "find_word_starts",
    "line_text",
]


def find_in_lines(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[int]:
    """Indices of the lines (papers) of ``text`` holding ``pattern``; ``starts`` per line."""
    found: list[int] = []
    search, last = pattern.search, len(starts) - 1
    match = search(text)
    while match:
        line = bisect_right(starts, match.start()) - 1
        found.append(line)
        if line >= last:
            break
        match = search(text, starts[line + 1])
    return found


def joined_lines(lines: Sequence[str]) -> tuple[str, list[int]]:
    """``lines`` joined by newlines, and where each starts."""
    starts: list[int] = []
    position = 0
    for line in lines:
        starts.append(position)
        position += len(line) + 1
    return "\n".join(lines), starts


def line_text(text: str) -> str:
    """A field's text on one line, case-folded (line breaks and tabs become spaces)."""
    if "\n" in text or "\t" in text or "\r" in text:
        text = text.replace("\n\n", " ").replace("\n", " ").replace("\t", " ").replace("\r", " ")
    return text.casefold()


def _in_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def find_word_starts(
    text: str, starts: list[int], needle: str, *, whole: bool = False
) -> list[int]:
    """Lines of ``text`` where ``needle`` occurs at the start of a word (``whole``: and
    ends where a word ends).

    ``str.find`` in C from hit to hit, jumping to the next line after each match; a
    hit inside a word (preceded by a letter, digit or ``_``) is skipped, and with
    ``whole`` one followed by such a character.
    """
    found: list[int] = []
    if not needle:
        return list(range(len(starts)))
    find, last = text.find, len(starts) - 1
    check = _in_word(needle[0])
    check_end = whole and _in_word(needle[-1])
    size = len(needle)
    position = find(needle)
    while position >= 0:
        if (check and position and _in_word(text[position - 1])) or (
            check_end and position + size < len(text) and _in_word(text[position + size])
        ):
            position = find(needle, position + 1)
            continue
        line = bisect_right(starts, position) - 1
        found.append(line)
        if line >= last:
            break
        position = find(needle, starts[line + 1])
    return found


_HAS_TEXT = re.compile(r"(?m)^.*[^\s\x1f].*$")


class TextField:
    """Word-start search in one text field of every paper."""

    def __init__(self, papers: Sequence[Paper], text_of: Callable[[Paper], str]) -> None:
        self._text, self._starts = joined_lines([line_text(text_of(paper)) for paper in papers])

    def find(self, term: Term) -> list[int]:
        if term.value.strip() == "*":
            return find_in_lines(_HAS_TEXT, self._text, self._starts)
        needle = " ".join(term.value.casefold().rstrip("*").split())
        return find_word_starts(self._text, self._starts, needle, whole=term.exact)


class ListField:
    """Exact (case-folded) values per paper; ``a`` also matches ``a.b``; ``a*`` a prefix."""

    def __init__(
        self, papers: Sequence[Paper], values_of: Callable[[Paper], Iterable[str]]
    ) -> None:
        lines = ["\x1f" + "\x1f".join(values_of(paper)).casefold() + "\x1f" for paper in papers]
        self._text, self._starts = joined_lines(lines)

    def find(self, term: Term) -> list[int]:
        return find_in_lines(list_pattern(term.value), self._text, self._starts)


def list_pattern(value: str) -> re.Pattern[str]:
    value = value.casefold().strip()
    if value == "*":
        return re.compile("\x1f[^\x1f\n]")
    if value.endswith("*"):
        return re.compile("\x1f" + re.escape(value.rstrip("*")))
    return re.compile("\x1f" + re.escape(value) + "[\x1f.]")


class DateField:
    """Papers by ISO date (one or more per paper), answered by bisection."""

    def __init__(self, papers: Sequence[Paper], dates_of: Callable[[Paper], Iterable[str]]) -> None:
        pairs = sorted(
            (date, index) for index, paper in enumerate(papers) for date in dates_of(paper)
        )
        self._dates = [date for date, _ in pairs]
        self._indices = [index for _, index in pairs]

    def find(self, term: Term) -> list[int]:
        low, high = date_bounds(term)
        found = self._indices[bisect_left(self._dates, low) : bisect_left(self._dates, high)]
        return sorted(set(found))


class IdField:
    """Papers whose ``id`` + ``v`` + version starts with a value."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self._ids = [f"{paper.arxiv_id}v{paper.version}".casefold() for paper in papers]
        self._text, self._starts = joined_lines(self._ids)

    def find(self, term: Term) -> list[int]:
        prefix = id_prefix(term.value)
        end = ""
        if term.exact:  # the whole id: its version as given, else any version
            end = "$" if re.search(r"v\d+$", prefix) else r"v[^\n]*$"
        pattern = re.compile(r"(?m)^" + re.escape(prefix) + end)
        return find_in_lines(pattern, self._text, self._starts)
