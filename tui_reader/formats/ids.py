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
from dataclasses import dataclass

from ..model import _ID_BODY  # the one definition of an id's shape

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


@dataclass(frozen=True, slots=True)
class Mention:
    """An id shown at ``text[start:end]``; ``kind`` is how (link, text, attribute)."""

    start: int
    end: int
    arxiv_id: str
    version: int | None
    kind: str


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
    """Every id shown in ``text``, in order."""
    lowered = text.lower()
    if "arxiv" not in lowered and "alphaxiv" not in lowered and "huggingface" not in lowered:
        return []
    found = []
    for match in MENTION_RE.finditer(text):
        arxiv_id = normal_id(match.group(1))
        if arxiv_id is None:
            continue
        shown = match.group(0)[:6].lower()
        if shown.startswith("data-"):
            kind = KIND_ATTRIBUTE
        elif shown.startswith("arxiv") and not shown.startswith("arxiv."):
            kind = KIND_TEXT
        else:
            kind = KIND_LINK
        version = match.group(2)
        found.append(
            Mention(match.start(), match.end(), arxiv_id, int(version) if version else None, kind)
        )
    return found
