"""The orders papers can be listed in: ``sort_indices(papers, indices, sort) -> list[int]``.

``SORTS``: ``digest`` (as loaded: digest order, the default), ``date`` (submission
date, newest first; papers without a date last), ``title`` (case-folded, accents
ignored, a leading "A"/"An"/"The" kept), ``author`` (family name of the first author,
then given names; papers without authors last). Ties keep digest order (the sort is
stable), so ``indices`` in paper order give a deterministic result.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from ..exporters.names import family_name
from ..model import Paper

__all__ = ["SORTS", "sort_indices"]

SORTS = ("digest", "date", "title", "author")


def _fold(text: str) -> str:
    """Case-folded, without accents, so ``Émilie`` sorts beside ``Emma``."""
    text = text.casefold()
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _author_key(paper: Paper) -> tuple[bool, str, str]:

    names = [name for name in paper.authors if name.strip()]
    if not names:
        return (True, "", "")
    first = " ".join(names[0].split())
    family = family_name(first)
    return (False, _fold(family), _fold(first))


def sort_indices(papers: Sequence[Paper], indices: Sequence[int], sort: str) -> list[int]:
    """``indices`` (into ``papers``) in the order ``sort`` names; ValueError if unknown."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")
    if sort == "digest":
        return list(indices)
    if sort == "date":
        dated = [i for i in indices if papers[i].date is not None]
        undated = [i for i in indices if papers[i].date is None]
        # Stable and newest first: sort ascending on the negated ordinal.
        dated.sort(key=lambda i: -papers[i].date.toordinal())  # type: ignore[union-attr]
        return dated + undated
    if sort == "title":
        return sorted(indices, key=lambda i: _fold(" ".join(papers[i].title.split())))
    return sorted(indices, key=lambda i: _author_key(papers[i]))
