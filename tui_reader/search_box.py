"""What the app's search box does, without the app: query text -> a result to show.

``SearchBox(papers)`` keeps one ``QueryIndex`` (with its ``SearchIndex``) over the
papers loaded so far, rebuilt only when more papers have arrived (or
``set_other_titles`` gave arXiv's titles that differ from the digests', which the
search then matches too), so the field indexes
and result caches serve every keystroke. ``run(query, states) -> Found``:

* ``Found.hits``: matching paper indices (paper order), or None for an empty query
  (no search: every paper);
* ``Found.terms``: the words to highlight in the detail pane -- bare words and
  phrases, and the values of ``title:``, ``abs:``, ``author:`` and ``kw:`` terms, but
  nothing under a NOT;
* ``Found.error``: the ``QueryError``'s one-line message when the query cannot be
  read (``hits`` is then None and the screen keeps its last view);
* ``Found.notice``: a one-line remark on a query that was answered anyway: an
  unclosed ``"`` (the user is typing) is closed at the end, and the box says so
  (the command line refuses it: ``query.UnclosedQuote``).

It runs in a worker thread: the store is read through ``states`` (its ``ids`` and
``state`` take its lock). Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .model import Paper
from .query import QueryError, QueryIndex, StateSource, UnclosedQuote, is_plain
from .search import SearchIndex, query_terms

__all__ = ["PLACEHOLDER", "Found", "SearchBox", "highlight_terms"]

PLACEHOLDER = (
    'words match from their start · "a phrase" · author: title: abs: kw: tag: cat: id: '
    "date:2025-01..2025-03 is:unread · author:=han whole words · a OR b · -word"
)
_HIGHLIGHTED_FIELDS = frozenset({None, "title", "abs", "author", "kw"})


@dataclass(frozen=True, slots=True)
class Found:
    hits: list[int] | None
    terms: tuple[str, ...] = ()
    error: str = ""
    notice: str = ""


def highlight_terms(query: str) -> tuple[str, ...]:
    """The words of ``query`` worth highlighting in a paper (raises QueryError)."""
    if is_plain(query):
        return tuple(query_terms(query))
    from .query.parse import And, Not, Or, Term, parse

    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, Term):
            value = node.value.rstrip("*").strip()
            if node.field in _HIGHLIGHTED_FIELDS and value and value not in found:
                found.append(value)
        elif isinstance(node, (And, Or)):
            for child in node.children:
                walk(child)
        elif not isinstance(node, Not):
            raise AssertionError(node)

    walk(parse(query))
    return tuple(found)


class SearchBox:
    """The search box's engine over the papers loaded so far."""

    def __init__(self) -> None:
        self._index: QueryIndex | None = None
        self._other_titles: Mapping[str, str] = {}

    def set_other_titles(self, titles: Mapping[str, str]) -> None:
        """Match these titles too (arXiv id -> title; not changed after): the next
        search builds its index again."""
        self._other_titles = titles
        self._index = None

    def run(self, papers: Sequence[Paper], query: str, states: StateSource | None) -> Found:
        if not query.strip():
            return Found(None)
        index = self._index
        if index is None or len(index) != len(papers):
            # Papers are still arriving: index what is here now.
            snapshot, titles = list(papers), self._other_titles
            index = self._index = QueryIndex(snapshot, SearchIndex(snapshot, titles), titles)
        notice = ""
        try:
            try:
                hits = index.search(query, states)
            except UnclosedQuote as unclosed:
                notice = (
                    f'the " at column {unclosed.column} is not closed yet: searched as if '
                    "it were closed at the end"
                )
                query = query + '"'
                hits = index.search(query, states)
            terms = highlight_terms(query)
        except QueryError as error:
            return Found(None, error=str(error))
        return Found(hits, terms, notice=notice)
