"""What the non-BibTeX exporters share: names split for reference managers, plain text.

``person(name) -> dict``: CSL's ``{"family", "given"}`` for a person, the family name
as BibTeX finds it (``Jean de La Fontaine`` -> given ``Jean``, particle ``de``, family
``La Fontaine``; ``Jr.`` a suffix), ``{"literal": name}`` for a group or a single word
(``Gemma Team``, ``DeepSeek-AI``). ``authors(paper)`` drops junk names (``:``).
``plain(text)`` is one line without ``**`` emphasis markers; ``eprint`` and ``doi``
come from the id, never from digest text.
"""

from __future__ import annotations

import datetime as dt
import re

from ..model import Paper
from .names import family_name, is_group_name, usable_name

__all__ = ["authors", "doi", "first_date", "person", "plain"]

_BOLD_RE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def plain(text: str) -> str:
    """``text`` on one line, control characters removed, ``**word**`` -> ``word``."""
    return _BOLD_RE.sub(r"\1", " ".join(_CONTROL_RE.sub(" ", text).split()))


def authors(paper: Paper) -> list[str]:
    names = (" ".join(_CONTROL_RE.sub(" ", name).split()) for name in paper.authors)
    return [name for name in names if usable_name(name)]


def person(name: str) -> dict[str, str]:
    if is_group_name(name):
        return {"literal": name}
    tokens = name.split()
    family = family_name(name).split()
    start = max(
        (i for i in range(len(tokens) - len(family) + 1) if tokens[i : i + len(family)] == family),
        default=len(tokens) - 1,
    )
    before, after = tokens[:start], tokens[start + len(family) :]
    particle: list[str] = []
    while len(before) > 1 and before[-1][:1].islower():
        particle.insert(0, before.pop())
    result = {"family": " ".join(family), "given": " ".join(before)}
    if particle:
        result["non-dropping-particle"] = " ".join(particle)
    if after:
        result["suffix"] = " ".join(after)
    return result


def doi(paper: Paper) -> str:
    return f"10.48550/arXiv.{paper.arxiv_id}"


def first_date(paper: Paper) -> dt.date | None:
    """The date to cite: ``paper.date`` (the digest's submission date)."""
    return paper.date
