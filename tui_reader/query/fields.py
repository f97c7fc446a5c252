"""Per-field lookups of the query engine: which papers a ``field:value`` term matches.

Indexes are built on first use of their field and kept (papers do not change under an
index). All answers are lists of paper indices in paper order.

* ``TextField`` (``author``, ``title``, ``abs``, ``kw``): the field's case-folded text
  of every paper in one string, papers separated by a newline; a term matches at the
  start of a word (``author:han`` finds "Han" and "Song Han-Lin", not "Shane"), a
  phrase's spaces match any whitespace, a trailing ``*`` is dropped (it is a prefix
  match anyway). The regex runs in C over the whole string and jumps to the next paper
  after each hit.
* ``ListField`` (``cat``): exact values, or the archive of a category (``cat:cs``
  matches ``cs.LG``); ``value*`` is a prefix.
* ``DateField`` (``date``, ``digest``): ISO dates sorted once; ``2025``, ``2025-01``,
  ``2025-01-05`` and ranges ``A..B``, ``A..``, ``..B`` (ends included, at the
  precision written) are two bisections.
* ``id``: a prefix of ``arxiv_id`` + ``v`` + version (``id:2412`` is December 2024),
  ``arXiv:`` and URLs accepted.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence

from ..model import Paper
from .parse import QueryError, Term

__all__ = [
    "DateField",
    "IdField",
    "ListField",
    "TextField",
    "date_bounds",
    "find_word_starts",
    "line_text",
]

_DATE_RE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_TOP = "\uffff"


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


def find_word_starts(text: str, starts: list[int], needle: str) -> list[int]:
    """Lines of ``text`` where ``needle`` occurs at the start of a word.

    ``str.find`` in C from hit to hit, jumping to the next line after each match; a
    hit inside a word (preceded by a letter, digit or ``_``) is skipped.
    """
    found: list[int] = []
    if not needle:
        return list(range(len(starts)))
    find, last = text.find, len(starts) - 1
    check = needle[0].isalnum() or needle[0] == "_"
    position = find(needle)
    while position >= 0:
        if check and position and (text[position - 1].isalnum() or text[position - 1] == "_"):
            position = find(needle, position + 1)
            continue
        line = bisect_right(starts, position) - 1
        found.append(line)
        if line >= last:
            break
        position = find(needle, starts[line + 1])
    return found


class TextField:
    """Word-start search in one text field of every paper."""

    def __init__(self, papers: Sequence[Paper], text_of: Callable[[Paper], str]) -> None:
        self._text, self._starts = joined_lines([line_text(text_of(paper)) for paper in papers])

    def find(self, term: Term) -> list[int]:
        needle = " ".join(term.value.casefold().rstrip("*").split())
        return find_word_starts(self._text, self._starts, needle)


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
    if value.endswith("*"):
        return re.compile("\x1f" + re.escape(value.rstrip("*")))
    return re.compile("\x1f" + re.escape(value) + "[\x1f.]")


def date_bounds(term: Term) -> tuple[str, str]:
    """``(low, high)`` ISO strings: a date matches when ``low <= date < high``."""
    value = term.value.strip()
    low, dots, high = value.partition("..")
    if not dots:
        high = low
    for part in (low, high):
        if part and not _DATE_RE.fullmatch(part):
            raise QueryError(
                f"{term.field}: wants YYYY, YYYY-MM or YYYY-MM-DD, or a range A..B, not {value!r}",
                term.column,
            )
    if not low and not high:
        raise QueryError(f"{term.field}: needs a date or a range A..B", term.column)
    return low, (high + _TOP) if high else _TOP


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


def id_prefix(value: str) -> str:
    """The id text to look for: ``arXiv:`` and arXiv URLs reduced to the id."""
    value = value.strip().casefold()
    value = re.sub(r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/", "", value)
    return value.removeprefix("arxiv:").rstrip("*")


class IdField:
    """Papers whose ``id`` + ``v`` + version starts with a value."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self._ids = [f"{paper.arxiv_id}v{paper.version}".casefold() for paper in papers]
        self._text, self._starts = joined_lines(self._ids)

    def find(self, term: Term) -> list[int]:
        prefix = id_prefix(term.value)
        pattern = re.compile(r"(?m)^" + re.escape(prefix))
        return find_in_lines(pattern, self._text, self._starts)
