"""Query text -> a small tree of :class:`And`, :class:`Or`, :class:`Not` and :class:`Term`.

``parse(text) -> Node`` parses the Lucene-like syntax with luqum (imported here, so
only when a query needs it: ``is_plain`` says when it does not). ``QueryError`` carries
a one-line message with the 1-based column of the problem.

Syntax: words and ``"quoted phrases"`` (bare terms, matched by the search index),
``field:value`` and ``field:"a phrase"`` (fields in :data:`FIELDS`), ``field:=value``
and ``field:="a phrase"`` (whole words: ``Term.exact``), implicit AND, ``AND``,
``OR``, ``NOT``, ``-term``, ``+term`` and parentheses. ``field:(a OR b)`` applies the
field to every term inside; ``id:arXiv:2501.00001`` is one value. Every field term's
value is checked for its field as it is read (``values.checked``), so a value that
cannot match (``date:2025-13``) is an error, never an empty answer. An unclosed ``"``
is an ``UnclosedQuote`` error (the app closes it while the user types, and says so).
What else luqum knows is refused with its name: boosts (``word^2``), fuzzy and
proximity (``word~``), regular expressions (``/regex/``), and ranges ``[a TO b]``
outside ``date:`` and ``digest:``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["FIELDS", "And", "Node", "Not", "Or", "QueryError", "Term", "is_plain", "parse"]

FIELDS = ("author", "title", "abs", "kw", "id", "cat", "tag", "note", "digest", "date", "is")
# Other spellings people bring from arXiv, Gmail or Lucene.
_ALIASES = {
    "au": "author",
    "authors": "author",
    "ti": "title",
    "abstract": "abs",
    "keyword": "kw",
    "keywords": "kw",
    "category": "cat",
    "tags": "tag",
    "label": "tag",
    "notes": "note",
    "arxiv": "id",
}


class QueryError(ValueError):
    """A query that cannot be read; ``str()`` is one line naming the problem's column."""

    def __init__(self, message: str, column: int | None = None) -> None:
        self.column = column
        where = f" (column {column})" if column is not None else ""
        super().__init__(f"{message}{where}")


@dataclass(frozen=True, slots=True)
class Term:
    """``field`` is None for a bare term; ``column`` is 1-based, for messages;
    ``exact``: whole words only (``author:=han``)."""

    field: str | None
    value: str
    phrase: bool = False
    column: int = 1
    exact: bool = False


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


Node = Term | And | Or | Not

_OPERATOR_RE = re.compile(r"(?:^|\s)(?:AND|OR|NOT|&&|\|\|)(?:\s|$)")
_SYNTAX_CHARS = frozenset(":()^~")


def is_plain(text: str) -> bool:
    """True when ``text`` is words and phrases only: the search index answers it alone."""
    if _SYNTAX_CHARS.intersection(text) or _OPERATOR_RE.search(text):
        return False
    return not any(word[0] in "-+!=/" for word in text.split())


# ``field:="a phrase"``: luqum reads ``="a`` as a word; ``field:"=a phrase"`` is the
# same request in a form it parses (the two characters swap: columns stay true).
_EXACT_PHRASE_RE = re.compile(r'(?<=:)="')


_POSITION_RE = re.compile(r"position (\d+)")


def parse(text: str) -> Node:
    """The tree of ``text``; raises QueryError for a malformed query."""
    from luqum.exceptions import IllegalCharacterError, ParseError
    from luqum.thread import parse as luqum_parse

    from .values import check_quotes

    source = text.strip()
    check_quotes(source)
    source = _EXACT_PHRASE_RE.sub('"=', source)
    if not source:
        return And(())
    try:
        tree = luqum_parse(source)
    except IllegalCharacterError as error:
        match = _POSITION_RE.search(str(error))
        column = int(match.group(1)) + 1 if match else None
        raise QueryError("this character cannot start a term here", column) from None
    except ParseError as error:
        message = str(error)
        match = _POSITION_RE.search(message)
        if match:
            offset = int(match.group(1))
            token = source[offset:].split(None, 1)[0] if source[offset:].strip() else ""
            raise QueryError(f"unexpected {token!r}", offset + 1) from None
        raise QueryError(
            "the query ends too early (an unclosed parenthesis, or an operator or "
            "field without a term after it)",
            len(source) + 1,
        ) from None
    except ArithmeticError:  # luqum's Decimal() of what follows ^ or ~
        position = min((i for i in (source.find("^"), source.find("~")) if i >= 0), default=0)
        raise QueryError("a number must follow ^ or ~", position + 1) from None
    except RecursionError:
        raise QueryError("the query nests too deeply") from None
    try:
        return _convert(tree, None)
    except RecursionError:
        raise QueryError("the query nests too deeply") from None


def _field_name(name: str, column: int) -> str:
    field = name.lower()
    field = _ALIASES.get(field, field)
    if field not in FIELDS:
        known = ", ".join(f"{name}:" for name in FIELDS)
        raise QueryError(f"unknown field '{name}:'; the fields are {known}", column)
    return field


def _term(field: str | None, value: str, phrase: bool, column: int) -> Term:
    from .values import checked

    return checked(Term(field, value, phrase, column))


_REFUSED = {
    "Boost": "boosting (^) is not supported",
    "Fuzzy": "fuzzy matching (~) is not supported; a word matches every word it starts",
    "Proximity": "proximity (~) is not supported; a phrase matches its words in a row",
    "Regex": "regular expressions (/.../) are not supported",
}


def _convert(node, field: str | None) -> Node:
    from luqum import tree

    column = (node.pos or 0) + 1
    if isinstance(node, tree.SearchField):
        if field is not None:
            raise QueryError(f"a field inside '{field}:' is not allowed", column)
        if isinstance(node.expr, tree.SearchField):  # id:arXiv:2501.00001 -- a value
            value = str(node.expr)
            name = _field_name(node.name, column)
            return _term(name, value, False, node.expr.pos + 1)
        return _convert(node.expr, _field_name(node.name, column))
    if isinstance(node, (tree.Group, tree.FieldGroup)):
        return _convert(node.expr, field)
    if isinstance(node, tree.Word):
        return _term(field, node.value, False, column)
    if isinstance(node, tree.Phrase):
        value = node.value[1:-1].replace('\\"', '"')
        exact = "=" if value.startswith("=") else ""
        return _term(field, exact + " ".join(value[len(exact) :].split()), True, column)
    if isinstance(node, tree.Range):
        if field not in ("date", "digest"):
            raise QueryError("a range [a TO b] works only with date: and digest:", column)
        low = "" if str(node.low) == "*" else str(node.low)
        high = "" if str(node.high) == "*" else str(node.high)
        return _term(field, f"{low}..{high}", False, column)
    if isinstance(node, (tree.Prohibit, tree.Not)):
        return Not(_convert(node.a, field))
    if isinstance(node, tree.Plus):
        return _convert(node.a, field)
    if isinstance(node, tree.OrOperation):
        return Or(tuple(_convert(child, field) for child in node.children))
    if isinstance(node, (tree.AndOperation, tree.UnknownOperation, tree.BoolOperation)):
        return And(tuple(_convert(child, field) for child in node.children))
    refused = _REFUSED.get(type(node).__name__)
    if refused is not None:
        raise QueryError(f"{str(node).strip()!r}: {refused}", column)
    return _term(field, str(node).strip(), False, column)
