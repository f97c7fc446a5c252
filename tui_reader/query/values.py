"""What each field's value may be: a term is checked when the query is read.

``checked(term) -> Term`` returns the term as the lookups want it (an exact ``=``
taken off into ``Term.exact``) or raises ``QueryError`` with one line naming the
field, the value and what it wants, and the term's column. ``check_quotes(text)``
raises ``UnclosedQuote`` (a ``QueryError``) for a ``"`` that is never closed.
``date_bounds(term)`` turns a checked ``date:`` or ``digest:`` value into the ISO
bounds its lookup bisects.

The family, field by field (docs/query.md has the table):

* every field: a value is needed (``author:""`` names the problem); a trailing ``*``
  is allowed (a prefix, which word-start fields are anyway); ``field:*`` alone means
  "has any value" for the text and list fields.
* ``=value`` (``author:=han``, ``title:="sparse attention"``): whole words only, in
  ``author:`` ``title:`` ``abs:`` ``kw:`` ``note:``; the whole id in ``id:``; for
  ``cat:`` and ``tag:`` (exact already) it changes nothing. Not for ``date:``,
  ``digest:`` and ``is:``, nor for a bare word (no field to be whole in).
* ``?`` and a ``*`` inside a word value (Lucene's wildcards) are refused: a word
  already matches every word it starts. Inside a phrase they are text.
* ``date:`` / ``digest:``: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, real months and
  days, or a range ``A..B`` / ``A..`` / ``..B`` whose end is not before its start.
* ``id:``: an arXiv id or its start (``2412``, ``2412.21188v2``, ``hep-th/9901001``),
  ``arXiv:`` and arXiv URLs accepted.
* ``cat:``: an arXiv category or archive (``cs.LG``, ``math``, ``hep-th``).
* ``is:``: ``read``, ``unread``, ``starred``, ``unstarred``, ``noted``, ``tagged``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import replace

from .parse import QueryError, Term

__all__ = ["IS_VALUES", "UnclosedQuote", "check_quotes", "checked", "date_bounds", "id_prefix"]

IS_VALUES = ("read", "unread", "starred", "unstarred", "noted", "tagged")
WORD_FIELDS = ("author", "title", "abs", "kw", "note")
_EXACT_FIELDS = (*WORD_FIELDS, "id", "cat", "tag")
_ANY_VALUE_FIELDS = (*WORD_FIELDS, "cat", "tag")
_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_TOP = "\uffff"
_NEW_ID_RE = re.compile(r"\d{1,4}(?:\.\d{0,5}(?:v\d*)?)?")
_OLD_ID_RE = re.compile(r"([a-z][a-z-]*)(?:(\.[a-z-]*)?(/\d{0,7}(?:v\d*)?)?)")
# The archives of old-style ids (before April 2007): ``hep-th/9901001``.
OLD_ARCHIVES = (
    "acc-phys adap-org alg-geom ao-sci astro-ph atom-ph bayes-an chao-dyn chem-ph cmp-lg "
    "comp-gas cond-mat cs dg-ga funct-an gr-qc hep-ex hep-lat hep-ph hep-th math math-ph "
    "mtrl-th nlin nucl-ex nucl-th patt-sol physics plasm-ph q-alg q-bio quant-ph solv-int "
    "supr-con"
).split()
_CATEGORY_RE = re.compile(r"[a-z][a-z-]*(?:\.[a-z][a-z-]*)?")
_QUOTE_RE = re.compile(r'(?<!\\)"')


class UnclosedQuote(QueryError):
    """A ``"`` that is never closed. The app searches as if it were closed (the user
    is typing) and says so; the command line refuses the query."""


def check_quotes(text: str) -> None:
    quotes = [match.start() for match in _QUOTE_RE.finditer(text)]
    if len(quotes) % 2:
        raise UnclosedQuote('a " is opened here and never closed', quotes[-1] + 1)


def checked(term: Term) -> Term:
    """``term`` with its value checked for its field (see the module doc)."""
    field, value = term.field, term.value
    if value.startswith("="):
        if field is None:
            raise QueryError(
                f"{value!r}: = (whole words) needs a field, as in author:{value}", term.column
            )
        if field not in _EXACT_FIELDS:
            fields = " ".join(f"{name}:" for name in _EXACT_FIELDS)
            raise QueryError(f"{field}: has no = (whole words); {fields} have", term.column)
        value = value[1:].strip()
        term = replace(term, value=value, exact=True)
    if field is None:
        return term
    name = f"{field}:{'=' if term.exact else ''}"
    if not value.strip():
        raise QueryError(f"{name} needs a value", term.column)
    if value.strip() == "*":
        if field not in _ANY_VALUE_FIELDS or term.exact:
            raise QueryError(f"{name}* is not a value; give one", term.column)
        return term
    stem = value.rstrip("*")
    if term.exact and stem != value:
        raise QueryError(f"{name}{value}: = (whole words) and a trailing * (any ending) "
                         "contradict; drop one", term.column)  # fmt: skip
    if not term.phrase and ("?" in value or "*" in stem):
        raise QueryError(
            f"{name}{value}: no wildcards (? or * inside a value); a value already matches "
            "every word it starts",
            term.column,
        )
    if field in ("date", "digest"):
        date_bounds(term)
    elif field == "id":
        if not _is_id_start(id_prefix(value)):
            raise QueryError(
                f"id: wants an arXiv id or its start (2412.21188, 2412, hep-th/9901001), "
                f"not {value!r}",
                term.column,
            )
    elif field == "cat":
        if not _CATEGORY_RE.fullmatch(stem.strip().casefold()):
            raise QueryError(
                f"cat: wants an arXiv category or archive (cs.LG, math, hep-th), not {value!r}",
                term.column,
            )
    elif field == "is" and value.casefold() not in IS_VALUES:
        known = ", ".join(f"is:{name}" for name in IS_VALUES)
        raise QueryError(f"unknown 'is:{value}'; use {known}", term.column)
    return term


def _is_id_start(prefix: str) -> bool:
    """Whether ``prefix`` (case-folded) starts some arXiv id, new or old style."""
    if _NEW_ID_RE.fullmatch(prefix):
        return True
    old = _OLD_ID_RE.fullmatch(prefix)
    if old is None:
        return False
    archive, subject, number = old.groups()
    if subject or number:  # the archive is complete: it must be one
        return archive in OLD_ARCHIVES
    return any(name.startswith(archive) for name in OLD_ARCHIVES)


def id_prefix(value: str) -> str:
    """The id text to look for: ``arXiv:`` and arXiv URLs reduced to the id."""
    value = value.strip().casefold()
    value = re.sub(r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/", "", value)
    return value.removeprefix("arxiv:").rstrip("*")


def _date(text: str, term: Term) -> str:
    """``text`` (one end of a date value) as ISO at its precision, or QueryError."""
    match = _DATE_RE.fullmatch(text)
    if match is None:
        raise QueryError(
            f"{term.field}: wants YYYY, YYYY-MM or YYYY-MM-DD, or a range A..B, "
            f"not {term.value.strip()!r}",
            term.column,
        )
    year, month, day = match.groups()
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        raise QueryError(f"{term.field}: {text} has no month {month} (01 to 12)", term.column)
    if day is None:
        return f"{year}-{int(month):02d}"
    last = calendar.monthrange(int(year), int(month))[1]
    if not 1 <= int(day) <= last:
        raise QueryError(
            f"{term.field}: {text} is not a day ({year}-{int(month):02d} has days 01 to {last})",
            term.column,
        )
    return f"{year}-{int(month):02d}-{int(day):02d}"


def date_bounds(term: Term) -> tuple[str, str]:
    """``(low, high)`` ISO strings: a date matches when ``low <= date < high``."""
    value = term.value.strip()
    low, dots, high = value.partition("..")
    if not dots:
        high = low
    if not low.strip() and not high.strip():
        raise QueryError(f"{term.field}: needs a date or a range A..B", term.column)
    low = _date(low.strip(), term) if low.strip() else ""
    high = _date(high.strip(), term) if high.strip() else ""
    if low and high and low > high and not low.startswith(high):
        raise QueryError(f"{term.field}: the range {value} ends before it starts", term.column)
    return low, (high + _TOP) if high else _TOP
