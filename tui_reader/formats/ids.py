"""arXiv ids wherever a digest shows them to its readers.

``MENTION_RE`` finds an id with the way it is shown in front of it (group 1 is the
id, group 2 its version):

* a link to arXiv (``arxiv.org/abs|pdf|html|format/``, also ``export.``/``www.``
  and ``ar5iv``), to ``huggingface.co/papers/`` or to ``alphaxiv.org``;
* an ``arXiv:ID`` or ``arXiv ID`` written as text (``arXiv 2507.01234``, ``arXiv ID:
  2507.01234``, ``**ArXiv ID**: 2507.01234v2``);
* an HTML attribute ``data-arxiv-id="2507.01234v2"``.

Ids are new-style (``2507.01234``, ``0704.0001``) or old-style (``hep-th/9901001``,
``math.GT/0309136``). A new-style id whose month is not 01-12 is not an id.
``mentions(text)`` gives ``Mention`` values in text order; ``normal_id`` writes an
old-style id as arXiv does (archive lower case, subject class upper case).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..model import (  # _ID_BODY: the one definition of an id's shape
    _ID_BODY,
    absurd_version,
    version_number,
)

# The way an id is shown, before it. Alternatives that start with "arxiv" come first,
# so that a link is a link and not "arXiv" followed by text.
_SHOWN = (
    r"(?:(?:ar5iv(?:\.labs)?\.)?arxiv\.org/(?:abs|pdf|html|format|ps)/"
    r"|ar5iv\.org/(?:abs|html)/"
    r"|huggingface\.co/papers/"
    r"|alphaxiv\.org/(?:abs/|overview/|pdf/)?"
    r"|data-arxiv-id[ \t]*=[ \t]*[\"']?"
    r"|\barxiv(?:[ \t]*id)?(?:\*\*|__)?[ \t]*[:：]?[ \t]*(?:\*\*|__)?[ \t]*)"
)
MENTION_RE = re.compile(rf"{_SHOWN}({_ID_BODY})(?:v(\d+))?(?!\d)", re.IGNORECASE)
KIND_LINK, KIND_TEXT, KIND_ATTRIBUTE = "link", "text", "attribute"


class Mention(NamedTuple):
    """An id shown at ``text[start:end]``; ``kind`` is how (link, text, attribute).
    (A named tuple: a page makes one or two for each of its papers.)"""

    start: int
    end: int
    arxiv_id: str
    version: int | None
    kind: str
    odd_version: str | None = None  # why a version shown was dropped (``absurd_version``)


def normal_id(raw: str) -> str | None:
    """The id as arXiv writes it, or None when a new-style id has no valid month."""
    if "/" in raw:
        archive, number = raw.split("/", 1)
        head, _, subject = archive.partition(".")
        return f"{head.lower()}{'.' + subject.upper() if subject else ''}/{number}"
    if "01" <= raw[2:4] <= "12":
        return raw
    return None


def mentions(text: str) -> list[Mention]:
    """Every id shown in ``text``, in order.

    Quick on long text: only the places that can start a mention are looked at (the
    ``xiv`` of arXiv and alphaXiv, the ``5iv`` of ar5iv, the ``co/papers`` of Hugging
    Face), found by plain substring search in the letter cases pages use; the form is told by
    the letters around them and the pattern matched right where it must start,
    rather than tried at every character.
    """
    found: list[Mention] = []
    done = 0
    for hint in sorted(_hints(text)):
        if hint < done:
            continue
        match = _at_hint(text, hint)
        if match is not None and match.start() >= done:
            done = match.end()
            arxiv_id = normal_id(match.group(1))
            if arxiv_id is not None:
                found.append(_mention(match, arxiv_id))
    return found


# arxiv, arXiv, ARXIV, ArXiv, alphaxiv, alphaXiv; ar5iv; huggingface.co/papers.
_HINTS = ("xiv", "Xiv", "XIV", "5iv", "co/papers")


def _hints(text: str) -> list[int]:
    hints = []
    for needle in _HINTS:
        at = text.find(needle)
        while at >= 0:
            hints.append(at)
            at = text.find(needle, at + 1)
    return hints


def _at_hint(text: str, hint: int) -> re.Match[str] | None:
    """The mention whose form holds the hint at ``hint``, or None."""
    around = text[max(hint - 16, 0) : hint + 3].lower()  # ends with the hint's letters
    if around.endswith("arxiv"):
        start = hint - 2 - (5 if around.endswith("data-arxiv") else 0)
        return MENTION_RE.match(text, start)  # (its \b sees the letter before start)
    if around.endswith("alphaxiv"):
        return MENTION_RE.match(text, hint - 5)
    if around.endswith("ar5iv"):
        return MENTION_RE.match(text, hint - 2)
    if text[max(hint - 12, 0) : hint].lower() == "huggingface.":
        return MENTION_RE.match(text, hint - 12)
    return None


def _mention(match: re.Match[str], arxiv_id: str) -> Mention:
    """The mention ``match`` found; ``arxiv_id`` is its id as arXiv writes it."""
    start, end = match.span()
    shown = match.string[start : start + 6].lower()
    if shown.startswith("data-"):
        kind = KIND_ATTRIBUTE
    elif shown.startswith("arxiv") and not shown.startswith("arxiv."):
        kind = KIND_TEXT
    else:
        kind = KIND_LINK
    version = match.group(2)
    if version is None:  # (the usual: no version, nothing to check)
        return Mention(start, end, arxiv_id, None, kind)
    return Mention(start, end, arxiv_id, version_number(version), kind, absurd_version(version))
