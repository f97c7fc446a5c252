"""One paper's record and one setting's record: their fields, and repairs of odd values.

A paper's document (format 5, in the snapshot file and in the journal alike)::

    {"read": bool, "starred": bool, "note": str, "citation_key": str | None,
     "tags": {tag: stamp, ...},               # the tags it has, each with its stamp
     "untagged": {tag: stamp, ...},           # optional: tags removed, and when
     "updated_at": stamp,                     # the newest stamp of the record
     "changed": {field: stamp, ...},          # when each field of FIELDS last changed
     "paper": {...}}                          # optional: the paper's details

Stamps are integers (``clock``). Each field of ``FIELDS`` has its own stamp, and so
has each tag: adding a tag and removing one are facts of their own, so copies that
add different tags to one paper all keep theirs (``merge``). Both tag tables are kept
sorted by tag. ``checks.valid_paper`` completes and repairs a document read from a
file. Documents are never mutated once built: a change makes a new dict.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tui_reader.model import parse_arxiv_id

from .clock import seconds

# Fields merged one by one, each with its own stamp in ``changed`` (tags: one per tag).
FIELDS = ("read", "starred", "note", "citation_key", "paper")
JUDGEMENTS = ("read", "starred", "note", "tags")  # what undo restores

EMPTY_DOC: dict[str, Any] = {
    "read": False,
    "starred": False,
    "note": "",
    "tags": {},
    "citation_key": None,
    "updated_at": 0,
    "changed": dict.fromkeys(FIELDS, 0),
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
    """A folder, device, FIFO or socket where the state file should be, a file that is
    not recognisably a state file, or one that cannot be read: never touched."""


class SaveError(Exception):
    """Saving failed; the message is fit for the user. ``problem`` is what went wrong
    without what happens next (for a command that is about to exit)."""

    def __init__(self, message: str, problem: str | None = None) -> None:
        super().__init__(message)
        self.problem = problem or message


def state_of(doc: Mapping[str, Any] | None) -> PaperState:
    if doc is None:
        return DEFAULT_STATE
    return PaperState(
        doc["read"],
        doc["starred"],
        doc["note"],
        doc["citation_key"],
        seconds(doc["updated_at"]),
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


def record_stamp(doc: Mapping[str, Any]) -> int:
    """The newest stamp of a record: of its fields and of its tags, added or removed."""
    newest = max(doc["changed"].values(), default=0)
    if doc["tags"]:
        newest = max(newest, max(doc["tags"].values()))
    untagged = doc.get("untagged")
    if untagged:
        newest = max(newest, max(untagged.values()))
    return newest


def retagged(doc: Mapping[str, Any], wanted: Iterable[str], stamp: int) -> dict[str, Any]:
    """``doc``'s tag tables once its tags are ``wanted``: each tag added or removed gets
    ``stamp``, the others keep theirs."""
    present: dict[str, int] = doc["tags"]
    wanted = set(wanted)
    untagged = {t: s for t, s in doc.get("untagged", {}).items() if t not in wanted}
    untagged.update((tag, stamp) for tag in present if tag not in wanted)
    tags = {tag: present.get(tag, stamp) for tag in sorted(wanted)}
    return {"tags": tags, "untagged": dict(sorted(untagged.items()))}


# --------------------------------------------------------------------------- repairs


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
    caught by the parser's ``parse_constant`` hook, odd stamps by ``checks``, and any
    other odd value when it is written (``encode_repaired``).
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
