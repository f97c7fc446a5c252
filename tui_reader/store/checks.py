"""Checking records read from a file: completing, repairing, or refusing them.

``valid_paper(doc, stamps=, deep=)`` gives ``(record, repaired)``: the record as the
store keeps it (``records``, format 5), or ``(None, True)`` when it cannot be used at
all (a judgement of the wrong type). Missing fields take their defaults; odd values
are repaired and reported: a stamp that is not a stamp, an absurd one
(``clock.FutureStamps``), a tag that is not text, a string with a lone surrogate
(``deep``). ``valid_setting`` does the same for a setting. Records of older formats are
made current first (``stamped_doc``, ``stamped_setting``: their float seconds become
stamps, their list of tags a tag table at the old time of the ``tags`` field).
``as_written(doc, limit)`` is the cheap test that a record needs none of that (the
common case, taken first; clean tags are remembered, so a year of records does not check
the same tags again).
"""

from __future__ import annotations

from typing import Any

from .clock import FutureStamps, from_seconds
from .records import FIELDS, clean_tags, record_stamp, repair_value

_FIELD_SET, _INT = set(FIELDS), {int}
_DEFAULTS = (("read", False), ("starred", False), ("note", ""), ("citation_key", None))
_OLD_FIELDS = ("read", "starred", "note", "tags", "citation_key", "paper")  # formats 2-4


def stamped_doc(doc: Any) -> Any:
    """A record of format 2-4 (times in seconds, tags a list) as format 5; anything
    else as it is. Values that are not times are left for ``valid_paper`` to judge."""
    if type(doc) is not dict or type(doc.get("tags", [])) is not list:
        return doc
    new = dict(doc)
    changed = doc.get("changed")
    if type(changed) is dict:
        new["changed"] = {
            name: _seconds_or_as_is(changed[name]) for name in _OLD_FIELDS if name in changed
        }
        tags_time = _seconds_or_as_is(changed.get("tags", doc.get("updated_at", 0.0)))
        new["changed"].pop("tags", None)
    else:
        tags_time = _seconds_or_as_is(doc.get("updated_at", 0.0))
    if "updated_at" in doc:
        new["updated_at"] = _seconds_or_as_is(doc["updated_at"])
    new["tags"] = dict.fromkeys(clean_tags(doc.get("tags", [])), tags_time)
    return new


def stamped_setting(doc: Any) -> Any:
    if type(doc) is not dict or "updated_at" not in doc:
        return doc
    return {**doc, "updated_at": _seconds_or_as_is(doc["updated_at"])}


def _seconds_or_as_is(value: Any) -> Any:
    stamp = from_seconds(value)
    return value if stamp is None else stamp


def _stamp_of(value: Any) -> int | None:
    """A stamp read from a record of format 5 (a float: seconds, from a hand edit)."""
    if type(value) is int:
        return value if value >= 0 else None
    return from_seconds(value) if type(value) is float else None


def _tags_newest(table: Any, limit: int) -> int:
    """The newest stamp of a tag table exactly as written (not empty, clean tags
    (``clean_tags``: stripped, not empty, distinct) in order, stamps not absurd: at most
    ``limit``), or -1 for any other. Tags found clean are remembered: a year of records
    holds the same few hundred tags again and again, and checking each one took most of
    the time of reading a large state."""
    if type(table) is not dict or not table:
        return -1
    values = table.values()
    if set(map(type, values)) != _INT or min(values) < 0:
        return -1
    newest = max(values)
    tags = list(table)
    if newest > limit or tags != sorted(tags):
        return -1
    if not _clean_tags_seen.issuperset(tags):
        if not all(type(tag) is str and tag and tag.strip() == tag for tag in tags):
            return -1
        if len(_clean_tags_seen) > _REMEMBERED_AT_MOST:
            _clean_tags_seen.clear()
        _clean_tags_seen.update(tags)
    return newest


_clean_tags_seen: set[str] = set()
_REMEMBERED_AT_MOST = 500_000


def valid_paper(doc: Any, *, stamps: FutureStamps, deep: bool = False) -> tuple[dict | None, bool]:
    """(the record completed and repaired, whether it was repaired), or (None, True).

    ``deep`` walks every value to repair odd strings and numbers (slow; used when the
    raw text holds something suspect).
    """
    if type(doc) is not dict:
        return None, True
    repaired = False
    if deep:
        doc, repaired = repair_value(doc)
    if not repaired and as_written(doc, stamps.limit):
        return doc, False
    return _repaired_paper(stamped_doc(doc), stamps, repaired)


def as_written(doc: dict, limit: int) -> bool:
    """Whether a record is exactly as this program writes it, nothing to repair (no
    stamp past ``limit``); any field it does not know is not looked at. Each check is
    one C call where it can be: it runs for every record of a large state at open."""
    get = doc.get
    changed, tags, untagged, stamp = get("changed"), get("tags"), get("untagged"), get("updated_at")
    if not (
        type(get("read")) is bool
        and type(get("starred")) is bool
        and type(get("note")) is str
        and type(changed) is dict
        and changed.keys() == _FIELD_SET
        and "citation_key" in doc
        and (doc["citation_key"] is None or type(doc["citation_key"]) is str)
        and type(get("paper", {})) is dict
        and type(tags) is dict
        and type(stamp) is int
        and stamp <= limit
    ):
        return False
    values = changed.values()
    if set(map(type, values)) != _INT or min(values) < 0:
        return False
    newest = max(values)  # the record's stamp is its newest (records.record_stamp)
    if tags:
        added = _tags_newest(tags, limit)
        if added < 0:
            return False
        newest = max(newest, added)
    if untagged is not None:
        removed = _tags_newest(untagged, limit)
        if removed < 0 or tags.keys() & untagged.keys():
            return False
        newest = max(newest, removed)
    return stamp == newest


def _repaired_paper(doc: Any, stamps: FutureStamps, repaired: bool) -> tuple[dict | None, bool]:
    if type(doc) is not dict:
        return None, True
    fixed = dict(doc)
    for name, default in (
        ("read", False),
        ("starred", False),
        ("note", ""),
        ("citation_key", None),
    ):
        fixed.setdefault(name, default)
    if not (
        type(fixed["read"]) is bool
        and type(fixed["starred"]) is bool
        and type(fixed["note"]) is str
        and (fixed["citation_key"] is None or type(fixed["citation_key"]) is str)
        and type(fixed.get("paper", {})) is dict
    ):
        return None, True
    before = stamps.count
    base = _stamp_of(fixed.get("updated_at", 0))
    if base is None:
        base, repaired = 0, True
    raw_times = fixed.get("changed") if type(fixed.get("changed")) is dict else {}
    times: dict[str, int] = {}
    for name in FIELDS:
        value = raw_times.get(name, base)
        stamp = _stamp_of(value)
        if stamp is None or type(value) is not int:
            repaired = True
        times[name] = stamps.repair(stamp or 0)
    fixed["changed"] = times
    facts: dict[str, tuple[int, bool]] = {}
    for key, present in (("untagged", False), ("tags", True)):
        table, odd = _tag_table(fixed.get(key, {}), base, stamps)
        repaired = repaired or odd
        for tag, stamp in table.items():
            if tag not in facts or (stamp, present) > facts[tag]:
                facts[tag] = (stamp, present)
    fixed["tags"] = {tag: stamp for tag, (stamp, present) in sorted(facts.items()) if present}
    untagged = {tag: stamp for tag, (stamp, present) in sorted(facts.items()) if not present}
    if untagged:
        fixed["untagged"] = untagged
    else:
        fixed.pop("untagged", None)
    fixed["updated_at"] = record_stamp(fixed)
    if fixed["citation_key"] == "":
        fixed["citation_key"] = None
    return fixed, repaired or stamps.count != before


def _tag_table(raw: Any, base: int, stamps: FutureStamps) -> tuple[dict[str, int], bool]:
    """A tag table made sound: (tag -> stamp, whether anything was odd)."""
    odd = False
    if type(raw) is list:  # a format-5 record with a list: taken at the record's time
        raw, odd = dict.fromkeys(clean_tags(raw), base), True
    if type(raw) is not dict:
        return {}, True
    table: dict[str, int] = {}
    for tag, value in raw.items():
        stamp = _stamp_of(value)
        cleaned = clean_tags([tag])
        if stamp is None or type(value) is not int or cleaned != [tag]:
            odd = True
        if cleaned and stamp is not None:
            table[cleaned[0]] = max(table.get(cleaned[0], 0), stamps.repair(stamp))
    return table, odd


def valid_setting(
    doc: Any, *, stamps: FutureStamps, deep: bool = False
) -> tuple[dict | None, bool]:
    """(the setting, whether it was repaired), or (None, True)."""
    if type(doc) is not dict or "value" not in doc:
        return None, True
    stamp = _stamp_of(doc.get("updated_at"))
    if stamp is None:
        return None, True
    value, odd = repair_value(doc["value"]) if deep else (doc["value"], False)
    fixed = stamps.repair(stamp)
    repaired = odd or fixed != stamp or type(doc["updated_at"]) is not int
    return {"value": value, "updated_at": fixed}, repaired
