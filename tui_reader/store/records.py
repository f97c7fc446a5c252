"""One paper's record and one setting's record: their fields, checks and repairs.

A paper's document (in the snapshot file and in the journal alike)::

    {"read": bool, "starred": bool, "note": str, "tags": [str, ...] (sorted, distinct),
     "citation_key": str | None, "updated_at": float,
     "changed": {field: time, ...},           # when each field last changed
     "paper": {...}}                          # optional: the paper's details

``changed`` holds one time per field of ``FIELDS``; ``updated_at`` is the newest of
them. ``valid_paper`` completes a document with defaults and repairs odd values (a
time that is not a finite number, a string with a lone surrogate, a tag that is not a
string) or returns None when it cannot be used at all. Documents are never mutated once
built: a change makes a new dict.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tui_reader.model import parse_arxiv_id

# Fields merged one by one, each with its own change time.
FIELDS = ("read", "starred", "note", "tags", "citation_key", "paper")
JUDGEMENTS = ("read", "starred", "note", "tags")  # what undo restores

EMPTY_DOC: dict[str, Any] = {
    "read": False,
    "starred": False,
    "note": "",
    "tags": [],
    "citation_key": None,
    "updated_at": 0.0,
    "changed": dict.fromkeys(FIELDS, 0.0),
}

dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


@dataclass(frozen=True, slots=True)
class PaperState:
    """What the reader decided about one paper."""

    read: bool = False
    starred: bool = False
    note: str = ""
    citation_key: str | None = None
    updated_at: float = 0.0
    tags: tuple[str, ...] = ()


DEFAULT_STATE = PaperState()


class StateFileError(ValueError):
    """The state file cannot be used as it is; ``reason`` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NewerSchemaError(StateFileError):
    """Written by a newer program: never touched."""


class NotOursError(StateFileError):
    """A folder, device, FIFO or socket where the state file should be: never touched."""


class SaveError(Exception):
    """Saving failed; the message is fit for the user."""


def state_of(doc: Mapping[str, Any] | None) -> PaperState:
    if doc is None:
        return DEFAULT_STATE
    return PaperState(
        doc["read"],
        doc["starred"],
        doc["note"],
        doc["citation_key"],
        doc["updated_at"],
        tuple(doc["tags"]),
    )


def visible(doc: Mapping[str, Any] | None) -> tuple:
    if doc is None:
        return (False, False, "", None, ())
    return (doc["read"], doc["starred"], doc["note"], doc["citation_key"], tuple(doc["tags"]))


def judgements(doc: Mapping[str, Any]) -> tuple:
    return (doc["read"], doc["starred"], doc["note"], tuple(doc["tags"]))


def normalize_id(arxiv_id: str) -> str:
    return parse_arxiv_id(arxiv_id)[0]


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags as stored: stripped, non-empty, distinct, sorted."""
    return sorted({tag.strip() for tag in tags if isinstance(tag, str) and tag.strip()})


# --------------------------------------------------------------------------- repairs


def _finite_time(value: Any) -> float | None:
    if type(value) is float or type(value) is int:
        try:
            value = float(value)
        except OverflowError:  # an integer beyond any float
            return None
        if math.isfinite(value) and value >= 0:
            return value
    return None


def repair_text(text: str) -> str:
    """The text with lone surrogates (which UTF-8 cannot hold) replaced by U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")


def repair_value(value: Any) -> tuple[Any, bool]:
    """Any loaded JSON value made writable again: (value, whether it was changed).

    Strings lose lone surrogates; numbers that are not finite are dropped (from lists
    and objects) or become None.
    """
    kind = type(value)
    if kind is str:
        fixed = repair_text(value)
        return fixed, fixed is not value
    if kind is float:
        return (value, False) if math.isfinite(value) else (None, True)
    if kind is list:
        changed = False
        items = []
        for item in value:
            fixed, bad = repair_value(item)
            changed |= bad
            if not (bad and fixed is None):
                items.append(fixed)
        return (items, True) if changed else (value, False)
    if kind is dict:
        changed = False
        result = {}
        for key, item in value.items():
            fixed_key, bad_key = repair_value(key)
            fixed, bad = repair_value(item)
            changed |= bad or bad_key
            if not (bad and fixed is None):
                result[fixed_key] = fixed
        return (result, True) if changed else (value, False)
    return value, False


def suspect(raw: bytes, end: int | None = None) -> bool:
    """Whether raw JSON may hold a lone surrogate (an escape, or the bytes of one, which
    the parser lets through); only then is every value walked. NaN and Infinity are
    caught by the parser's ``parse_constant`` hook, numbers beyond a float in times by
    ``valid_paper``, and any other odd value when it is written (``encode_repaired``).
    Substring searches: a regular expression over a 180 MB file took seconds."""
    if end is None:
        return b"\\u" in raw or b"\xed" in raw  # 0xED starts a surrogate's UTF-8 bytes
    return raw.find(b"\\u", 0, end) >= 0 or raw.find(b"\xed", 0, end) >= 0


class ConstantSpotter:
    """A ``parse_constant`` hook that notes whether NaN or Infinity was seen."""

    def __init__(self) -> None:
        self.seen = False

    def __call__(self, name: str) -> float:
        self.seen = True
        return float(name)


def encode_repaired(value: Any) -> str:
    """``dumps(value)``, repairing what cannot be written (a last line of defence for
    odd values that reading did not catch): saving never fails because of a value."""
    try:
        text = dumps(value)
        text.encode("utf-8")
        return text
    except ValueError:  # NaN or infinity; UnicodeEncodeError: a lone surrogate
        return dumps(repair_value(value)[0])


_FIELD_SET, _FLOAT, _STR = set(FIELDS), {float}, {str}


def valid_paper(doc: Any, *, deep: bool = False) -> tuple[dict | None, bool]:
    """(the document completed and repaired, whether it was repaired), or (None, True).

    ``deep`` walks every value to repair odd strings and numbers (slow; used when the
    raw text holds something suspect).
    """
    if type(doc) is not dict:
        return None, True
    repaired = False
    if deep:
        doc, repaired = repair_value(doc)
    get = doc.get
    changed = get("changed")
    if (
        not repaired
        and type(get("read")) is bool
        and type(get("starred")) is bool
        and type(get("note")) is str
        and type(get("tags")) is list
        and type(get("updated_at")) is float
        and type(changed) is dict
        and changed.keys() == _FIELD_SET
        and "citation_key" in doc
        and (doc["citation_key"] is None or type(doc["citation_key"]) is str)
        and type(get("paper", {})) is dict
        and set(map(type, changed.values())) == _FLOAT  # C loops: 100,000 records at open
        and math.isfinite(sum(changed.values()))
        and math.isfinite(doc["updated_at"])
        and set(map(type, doc["tags"])) <= _STR
    ):
        return doc, False
    fixed = dict(doc)
    for name, default in EMPTY_DOC.items():
        fixed.setdefault(name, {} if name == "changed" else default)
    if not (
        type(fixed["read"]) is bool
        and type(fixed["starred"]) is bool
        and type(fixed["note"]) is str
        and (fixed["citation_key"] is None or type(fixed["citation_key"]) is str)
        and type(fixed.get("paper", {})) is dict
    ):
        return None, True
    updated = _finite_time(fixed["updated_at"])
    if updated is None:
        updated, repaired = 0.0, True
    if type(fixed["tags"]) is not list:
        fixed["tags"], repaired = [], True
    tags = clean_tags(fixed["tags"])
    if tags != fixed["tags"]:
        fixed["tags"] = tags
        repaired = repaired or any(type(t) is not str for t in doc.get("tags", []))
    times: dict[str, float] = {}
    raw_times = fixed["changed"] if type(fixed["changed"]) is dict else {}
    for name in FIELDS:
        time = _finite_time(raw_times.get(name, updated))
        if time is None:
            time, repaired = 0.0, True
        times[name] = time
    fixed["changed"] = times
    fixed["updated_at"] = max(times.values(), default=updated)
    if fixed["citation_key"] == "":
        fixed["citation_key"] = None
    return fixed, repaired


def valid_setting(doc: Any, *, deep: bool = False) -> dict | None:
    if type(doc) is not dict or "value" not in doc:
        return None
    time = _finite_time(doc.get("updated_at"))
    if time is None:
        return None
    value, _ = repair_value(doc["value"]) if deep else (doc["value"], False)
    return {"value": value, "updated_at": time}
