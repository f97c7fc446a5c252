"""A paper's details as the store keeps them: a JSON object per paper, and back.

The details (``details_of``) are the ``Paper`` fields, dates as ISO text and digests as
``{"date", "path"}`` objects (``authors_cut_short`` only when true, so that older
details and older programs read the same); ``snapshot_of`` is the same repaired so
that it can always be written, ``paper_from_snapshot`` reads it back (tolerating what
older programs or a hand wrote; ``paper_or_none`` gives None for what it cannot read).
``plain_details``
(with ``DETAILS_KEYS``, the fields in the order ``details_of`` gives them) says whether
stored details are exactly as written, so that a listing can use the dict
as it is instead of the ``Paper`` (``digest_labels`` gives their digests' labels).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from itertools import chain
from pathlib import Path
from typing import Any

from tui_reader.model import DigestRef, Paper

from .records import repair_value


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def _ref_to_json(ref: DigestRef) -> dict[str, Any]:
    return {"date": _iso(ref.date), "path": str(ref.path)}


def _ref_from_json(data: Mapping[str, Any]) -> DigestRef:
    date, path = data.get("date"), data["path"]
    try:
        return _refs[(date, path)]
    except (KeyError, TypeError):
        pass
    ref = DigestRef(dt.date.fromisoformat(date) if date else None, Path(path))
    if len(_refs) < 10_000 and type(date) in (str, type(None)) and type(path) is str:
        _refs[(date, path)] = ref  # a few digests are shared by thousands of papers
    return ref


_refs: dict[tuple[str | None, str], DigestRef] = {}


def details_of(paper: Paper) -> dict[str, Any]:
    """A paper's details as stored (the shape ``paper_from_snapshot`` reads)."""
    details = {
        "version": paper.version,
        "title": paper.title,
        "authors": list(paper.authors),
        "date": _iso(paper.date),
        "url": paper.url,
        "abstract": paper.abstract,
        "bold_spans": [list(span) for span in paper.bold_spans],
        "keywords": list(paper.keywords),
        "source": _ref_to_json(paper.source),
        "digests": [_ref_to_json(ref) for ref in paper.digests],
        "line": paper.line,
        "categories": list(paper.categories),
        "comments": paper.comments,
        "journal_ref": paper.journal_ref,
        "summary": paper.summary,
        "code_url": paper.code_url,
        "topics": list(paper.topics),
        "cross_list": paper.cross_list,
        "replacement": paper.replacement,
    }
    if paper.authors_cut_short:  # only when set: the details of other papers are unchanged
        details["authors_cut_short"] = True
    return details


def snapshot_of(paper: Paper) -> dict[str, Any]:
    """A paper's details as JSON (repaired so that it can always be written)."""
    return repair_value(details_of(paper))[0]


_TYPES = {
    "version": int, "title": str, "authors": list, "date": str, "url": str, "abstract": str,
    "bold_spans": list, "keywords": list, "source": dict, "digests": list, "line": int,
    "categories": list, "comments": str, "journal_ref": str, "summary": str,
    "code_url": str, "topics": list, "cross_list": bool, "replacement": bool,
}  # fmt: skip
DETAILS_KEYS = _KEYS = tuple(_TYPES)  # in the order details_of writes them
# A paper whose author list the digest cut short has one more key, last, and true.
_CUT_SHORT_KEYS = (*_KEYS, "authors_cut_short")
# The types of the values in that order: a version or a date may be null.
_SIGNATURES = {
    tuple(type(None) if nulled(key) else kind for key, kind in _TYPES.items())
    for nulled in (
        lambda key: False,
        lambda key: key == "version",
        lambda key: key == "date",
        lambda key: key in ("version", "date"),
    )
}
_SIGNATURE = tuple(_TYPES.values())  # the usual one
_PLAIN_DATES: set[str] = set()


def plain_details(snap: Mapping[str, Any]) -> bool:
    """Whether ``paper_from_snapshot`` reads ``snap`` as it is: every field there, in
    the order and with the type ``details_of`` gives it (its digest references are
    checked when read: ``digest_labels``), so the dict can stand for the ``Paper``.
    False for what a hand or an older program wrote otherwise. C loops: it is asked
    for every paper of a listing."""
    keys = tuple(snap)
    if keys != _KEYS and (keys != _CUT_SHORT_KEYS or snap["authors_cut_short"] is not True):
        return False
    signature = tuple(map(type, snap.values()))[: len(_KEYS)]
    if signature != _SIGNATURE and signature not in _SIGNATURES:  # (hashing costs more)
        return False
    date, spans = snap["date"], snap["bold_spans"]
    lists = chain(snap["authors"], snap["keywords"], snap["categories"], snap["topics"])
    return (
        (date is None or date in _PLAIN_DATES or _plain_date(date))
        and set(map(type, lists)) <= _STR
        and set(map(type, spans)) <= _LIST
        and set(map(len, spans)) <= _PAIR
        and set(map(type, chain.from_iterable(spans))) <= _INT
    )


_STR, _LIST, _INT, _PAIR = {str}, {list}, {int}, {2}


def _plain_date(date: str) -> bool:
    """An ISO date as ``isoformat`` writes it (checked once per distinct date)."""
    try:
        plain = dt.date.fromisoformat(date).isoformat() == date
    except ValueError:
        return False
    if plain and len(_PLAIN_DATES) < 100_000:
        _PLAIN_DATES.add(date)
    return plain


def digest_labels(snap: Mapping[str, Any]) -> list[str]:
    """The labels of the digests in stored details (``DigestRef.label``); raises what
    ``paper_from_snapshot`` raises for references it cannot read."""
    _ref_from_json(snap["source"])
    labels = []
    for data in snap["digests"]:
        key = (data.get("date"), data["path"])
        label = _labels.get(key) if type(key[0]) in (str, type(None)) else None
        if label is None:
            label = _ref_from_json(data).label
            if len(_labels) < 10_000 and type(key[1]) is str:
                _labels[key] = label
        labels.append(label)
    return labels


_labels: dict[tuple[str | None, str], str] = {}


def paper_from_snapshot(arxiv_id: str, snap: Mapping[str, Any]) -> Paper:
    date = snap.get("date")
    digests = tuple(_ref_from_json(ref) for ref in snap.get("digests", ()))
    return Paper(
        arxiv_id=arxiv_id,
        # null: the digest gave no version (arXiv's e-mail, a bare link).
        version=None if snap.get("version") is None else int(snap["version"]),
        title=str(snap["title"]),
        authors=tuple(map(str, snap.get("authors", ()))),
        date=dt.date.fromisoformat(date) if date else None,
        url=str(snap.get("url", "")),
        abstract=str(snap.get("abstract", "")),
        bold_spans=tuple((int(s), int(e)) for s, e in snap.get("bold_spans", ())),
        keywords=tuple(map(str, snap.get("keywords", ()))),
        source=_ref_from_json(snap["source"]),
        digests=digests,
        line=int(snap.get("line", 0)),
        categories=tuple(map(str, snap.get("categories", ()))),
        comments=str(snap.get("comments", "")),
        journal_ref=str(snap.get("journal_ref", "")),
        summary=str(snap.get("summary", "")),
        code_url=str(snap.get("code_url", "")),
        topics=tuple(map(str, snap.get("topics", ()))),
        cross_list=bool(snap.get("cross_list", False)),
        replacement=bool(snap.get("replacement", False)),
        authors_cut_short=snap.get("authors_cut_short") is True,
    )


def paper_or_none(arxiv_id: str, snap: Mapping[str, Any]) -> Paper | None:
    """``paper_from_snapshot``, or None for details it cannot read (a hand-edited file
    is ignored, not fatal)."""
    try:
        return paper_from_snapshot(arxiv_id, snap)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
