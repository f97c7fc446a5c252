"""What the reader types in the tag editor, read as tags to add and to remove.

``parse_tag_edit(text) -> TagEdit``: words separated by spaces; ``-name`` removes
a tag, ``name`` or ``+name`` adds it; ``"two words"`` (or ``-"two words"``) is one
tag with a space. An unclosed quote is closed at the end. A tag both added and
removed is added (the last word wins, as typed later).

``complete_last(text, tags) -> str | None``: ``text`` with its last word completed
to the first of ``tags`` (most used first) that starts with it, keeping a ``+``/``-``
in front; None when nothing fits. ``tags_on(states) -> Counter`` counts the tags the
given paper states carry. Nothing here imports Textual.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["TagEdit", "complete_last", "parse_tag_edit", "tags_on"]

_WORD_RE = re.compile(r'([+-]?)(?:"([^"]*)"?|(\S+))')


@dataclass(frozen=True, slots=True)
class TagEdit:
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.add or self.remove)


def parse_tag_edit(text: str) -> TagEdit:
    wanted: dict[str, bool] = {}
    for sign, quoted, word in _WORD_RE.findall(text):
        tag = " ".join((quoted if quoted else word).split())
        if tag and (quoted or set(tag) - {"+", "-"}):  # a lone sign is no tag
            wanted.pop(tag, None)
            wanted[tag] = sign != "-"
    add = tuple(tag for tag, keep in wanted.items() if keep)
    remove = tuple(tag for tag, keep in wanted.items() if not keep)
    return TagEdit(add, remove)


def complete_last(text: str, tags: Sequence[str]) -> str | None:
    if not text or text[-1].isspace():
        return None
    match = re.search(r'([+-]?)"?([^\s"]*)$', text)
    if match is None or not match.group(2):
        return None
    stem = match.group(2)
    folded = stem.casefold()
    for tag in tags:
        if tag.casefold().startswith(folded) and tag != stem and " " not in tag:
            return text[: match.start(2)] + tag
    return None


def tags_on(states: Iterable[Any]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for state in states:
        counts.update(state.tags)
    return counts
