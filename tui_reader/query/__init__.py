"""The query language of the search box and of ``list --query`` / ``export --query``.

Lucene / arXiv / Gmail syntax::

    author:han title:"sparse attention" -is:read
    (kw:quantization OR abs:pruning) date:2025-01..2025-03 tag:to-cite
    attention NOT cat:cs.CV

Public API
----------
``QueryIndex(papers, search_index=None)``
    ``.search(query, states=None) -> list[int]``: indices of the matching papers, in
    paper order. ``states`` is the store (``ids()``, ``state(id)``).
``QueryError``
    A malformed query: ``str(error)`` is one line ending ``(column N)``; a value its
    field cannot take (``values.py``), and a field no open digest carries, are
    errors too. ``UnclosedQuote`` is the one the app forgives while the user types.
``SORTS``, ``sort_indices(papers, indices, sort)``
    The orders papers can be listed in (``sort.py``).

Fields (``parse.FIELDS``): ``author: title: abs: kw: id: cat: tag: note: digest:
date: is:`` (``is:read|unread|starred|unstarred|noted|tagged``); ``field:=value``
matches whole words (``author:=han``: Han, not Hanning). Bare words and
phrases match exactly as the plain search does (``search.SearchIndex``). The rules of
each field are in ``fields.py``, what its values may be in ``values.py``; evaluation
in ``evaluate.py``; the syntax in ``parse.py``. luqum is imported only when a query
has syntax beyond plain words. Nothing here imports Textual.
"""

from __future__ import annotations

from .evaluate import QueryIndex, StateSource
from .parse import FIELDS, QueryError, is_plain
from .sort import SORTS, sort_indices
from .values import UnclosedQuote

__all__ = [
    "FIELDS",
    "SORTS",
    "QueryError",
    "QueryIndex",
    "StateSource",
    "UnclosedQuote",
    "is_plain",
    "sort_indices",
]
