"""Evaluate a query over papers (and the reader's state) as sets of paper indices.

``QueryIndex(papers, search_index=None, other_titles=None)`` costs nothing (``title:``
also matches ``other_titles``, arXiv id -> arXiv's title); field indexes are built on
first use (``fields.py``). ``search(query, states=None) -> list[int]`` returns indices
into ``papers`` in paper order and raises ``QueryError`` for a malformed query.

* A plain query (words and phrases only, ``parse.is_plain``) goes straight to
  ``SearchIndex.search``: luqum is not imported and typing stays as fast as before.
* Bare terms in a query with syntax go to ``SearchIndex.search_terms`` too (those of
  one AND together), so bare words match exactly as in plain search.
* ``AND`` intersects, smallest first; a ``NOT`` inside an AND is subtracted, so only a
  query that is all negation pays for the set of every paper.
* A field term whose field no paper carries (``cat:`` over digests without
  categories, ``kw:`` without keywords) is a ``QueryError`` naming that, not an empty
  answer: ``NOT_CARRIED`` says what is missing.
* State terms (``is:``, ``tag:``, ``note:``) read ``states``: any object with
  ``ids()`` (the arXiv ids it knows) and ``state(arxiv_id)`` (an object with ``read``,
  ``starred``, ``note`` and ``tags``). Only known ids are
  looked at: a paper the store does not know is unread, unstarred, without note or
  tags. Without ``states`` every paper is in that default state.

Nothing here imports Textual.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from ..model import Paper
from ..search import SearchIndex
from .fields import (
    DateField,
    IdField,
    ListField,
    TextField,
    find_word_starts,
    line_text,
    list_pattern,
)
from .parse import And, Node, Not, Or, QueryError, Term, is_plain, parse
from .values import check_quotes

__all__ = ["NOT_CARRIED", "QueryIndex", "StateSource", "tags_of"]

_STATE_FIELDS = frozenset({"is", "tag", "note"})
_CACHE = 64
# A field only some digest layouts give: whether a paper has it, and what to say when
# none has.
_CARRIED = {
    "author": lambda paper: bool(paper.authors),
    "abs": lambda paper: bool(paper.abstract.strip()),
    "kw": lambda paper: bool(paper.keywords or paper.topics),
    "cat": lambda paper: bool(paper.categories),
    "date": lambda paper: paper.date is not None,
}
NOT_CARRIED = {
    "author": "no open digest names authors",
    "abs": "no open digest gives abstracts",
    "kw": "no open digest has keywords or topics",
    "cat": "no open digest has categories (arXiv's e-mail and AI-summary digests do)",
    "date": "no open digest gives submission dates",
}


class StateSource(Protocol):
    def ids(self) -> Iterable[str]: ...

    def state(self, arxiv_id: str) -> Any: ...


def tags_of(state: Any) -> tuple[str, ...]:
    """A state's tags (``PaperState.tags``: sorted, distinct)."""
    return state.tags


def _field_index(papers: Sequence[Paper], field: str, other_titles: Mapping[str, str]):
    if field == "author":
        return TextField(papers, lambda paper: " \x1f ".join(paper.authors))
    if field == "title":
        return TextField(
            papers, lambda paper: f"{paper.title} \x1f {other_titles.get(paper.arxiv_id, '')}"
        )
    if field == "abs":
        return TextField(papers, lambda paper: paper.abstract)
    if field == "kw":
        return TextField(papers, lambda paper: " \x1f ".join((*paper.keywords, *paper.topics)))
    if field == "cat":
        return ListField(papers, lambda paper: paper.categories)
    if field == "id":
        return IdField(papers)
    if field == "date":
        return DateField(papers, lambda paper: [paper.date.isoformat()] if paper.date else [])
    if field == "digest":
        return DateField(papers, lambda paper: [digest.label for digest in paper.digests])
    raise AssertionError(field)


class QueryIndex:
    """Query search over ``papers``, which must not change while the index is used."""

    def __init__(
        self,
        papers: Sequence[Paper],
        search_index: SearchIndex | None = None,
        other_titles: Mapping[str, str] | None = None,
    ) -> None:
        self._papers = papers
        self._other_titles = other_titles or {}
        self._search = (
            search_index if search_index is not None else SearchIndex(papers, other_titles)
        )
        self._fields: dict[str, Any] = {}
        self._position: dict[str, int] | None = None
        self._everyone: frozenset[int] | None = None
        self._cache: OrderedDict[Term, frozenset[int]] = OrderedDict()
        self._carried: dict[str, bool] = {}
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._papers)

    def search(self, query: str, states: StateSource | None = None) -> list[int]:
        """Indices of the papers matching ``query``, in paper order."""
        check_quotes(query)
        if is_plain(query):
            return self._search.search(query)
        return self.evaluate(parse(query), states)

    def evaluate(self, node: Node, states: StateSource | None = None) -> list[int]:
        with self._lock:
            self._check_carried(node)
            run = _Run(self, states)
            found = run.positive(node)
            return sorted(found) if found is not None else list(range(len(self._papers)))

    def _check_carried(self, node: Node) -> None:
        """QueryError for a term on a field no paper has (the whole query, before any
        part of it is evaluated: the answer must not depend on the order of terms)."""
        if isinstance(node, Not):
            self._check_carried(node.child)
        elif isinstance(node, (And, Or)):
            for child in node.children:
                self._check_carried(child)
        elif node.field in _CARRIED and self._papers:
            carried = self._carried.get(node.field)
            if carried is None:
                has = _CARRIED[node.field]
                carried = self._carried[node.field] = any(map(has, self._papers))
            if not carried:
                name = f"{node.field}:{'=' if node.exact else ''}{node.value}"
                raise QueryError(f"{name}: {NOT_CARRIED[node.field]}", node.column)

    # -- used by _Run ------------------------------------------------------------------

    def bare(self, terms: list[Term]) -> frozenset[int]:
        return frozenset(self._search.search_terms([term.value for term in terms]))

    def field(self, term: Term) -> frozenset[int]:
        known = self._cache.get(term)
        if known is not None:
            self._cache.move_to_end(term)
            return known
        index = self._fields.get(term.field)
        if index is None:
            index = self._fields[term.field] = _field_index(
                self._papers, term.field, self._other_titles
            )
        found = frozenset(index.find(term))
        self._cache[term] = found
        if len(self._cache) > _CACHE:
            self._cache.popitem(last=False)
        return found

    def everyone(self) -> frozenset[int]:
        """Every paper's index, built once (negation subtracts from it)."""
        if self._everyone is None:
            self._everyone = frozenset(range(len(self._papers)))
        return self._everyone

    def position(self) -> dict[str, int]:
        """Paper index by arXiv id (the first, should an id be listed twice)."""
        if self._position is None:
            position: dict[str, int] = {}
            for index, paper in enumerate(self._papers):
                position.setdefault(paper.arxiv_id, index)
            self._position = position
        return self._position


class _Run:
    """One evaluation: the state of known papers is read once, when first needed."""

    def __init__(self, index: QueryIndex, states: StateSource | None) -> None:
        self._index = index
        self._states_source = states
        self._states: list[tuple[int, Any]] | None = None

    def everyone(self) -> frozenset[int]:
        return self._index.everyone()

    def known_states(self) -> list[tuple[int, Any]]:
        if self._states is None:
            self._states = []
            if self._states_source is not None:
                position = self._index.position()
                for arxiv_id in self._states_source.ids():
                    index = position.get(arxiv_id)
                    if index is not None:
                        self._states.append((index, self._states_source.state(arxiv_id)))
        return self._states

    def positive(self, node: Node) -> frozenset[int] | None:
        """The papers ``node`` matches; None stands for every paper (an empty query)."""
        if isinstance(node, Term):
            return self.term(node)
        if isinstance(node, Not):
            return self.everyone() - self.matched(node.child)
        if isinstance(node, Or):
            found: frozenset[int] = frozenset()
            for child in node.children:
                matched = self.positive(child)
                if matched is None:
                    return None
                found |= matched
            return found
        return self.conjunction(node)

    def matched(self, node: Node) -> frozenset[int]:
        found = self.positive(node)
        return self.everyone() if found is None else found

    def conjunction(self, node: And) -> frozenset[int] | None:
        bare = [c for c in node.children if isinstance(c, Term) and c.field is None]
        negated = [c.child for c in node.children if isinstance(c, Not)]
        others = [c for c in node.children if c not in bare and not isinstance(c, Not)]
        sets = [self._index.bare(bare)] if bare else []
        sets += [found for child in others if (found := self.positive(child)) is not None]
        if not sets:
            if not negated:
                return None
            sets = [self.everyone()]
        sets.sort(key=len)
        found = sets[0]
        for other in sets[1:]:
            if not found:
                break
            found = found & other
        for child in negated:
            if not found:
                break
            found = found - self.matched(child)
        return found

    def term(self, term: Term) -> frozenset[int]:
        if term.field is None:
            return self._index.bare([term])
        if term.field not in _STATE_FIELDS:
            return self._index.field(term)
        states = self.known_states()
        if term.field == "is":
            return self.is_term(term, states)
        if term.field == "tag":
            pattern = list_pattern(term.value)
            return frozenset(
                index
                for index, state in states
                if (tags := tags_of(state))
                and pattern.search("\x1f" + "\x1f".join(tags).casefold() + "\x1f")
            )
        needle = " ".join(term.value.casefold().rstrip("*").split())
        return frozenset(
            index
            for index, state in states
            if state.note and find_word_starts(line_text(state.note), [0], needle, whole=term.exact)
        )

    def is_term(self, term: Term, states: list[tuple[int, Any]]) -> frozenset[int]:
        value = term.value.casefold()  # one of values.IS_VALUES (checked when parsed)
        if value in ("unread", "unstarred"):
            flag = value[2:]
            return self.everyone() - {i for i, state in states if getattr(state, flag)}
        if value == "noted":
            return frozenset(i for i, state in states if state.note)
        if value == "tagged":
            return frozenset(i for i, state in states if tags_of(state))
        return frozenset(i for i, state in states if getattr(state, value))
