"""Per-field and per-tag merging of what copies of the program wrote.

Each field of a paper's record carries the stamp of its last change (``changed``), so
two copies that changed different fields of one paper both keep their change, and
where both changed the same field the later change wins (stamps are ordered exactly:
``clock``). Each tag is a field of its own: a tag's last change, an add (in ``tags``)
or a remove (in ``untagged``), wins; so copies that add different tags to one paper
all keep theirs, and a remove takes away only the tag it names, when it is later than
that tag's add (a copy removes only a tag it has, so after the add it saw). An assigned
citation key is never replaced: where two copies assigned different keys, the earlier
assignment stays.

The merge is a pure function of the two records: commutative, associative and
idempotent (ties, which only a stamp made twice could give, are broken by the values
themselves; on a tag by the add), so replaying a journal entry twice, or in another
order than another copy did, gives the same result everywhere, and so does merging
the logs of several devices. Nothing is ever deleted, so a merge is a union.

Details still in a snapshot file (a ``details.Details`` handle, not parsed) are never
read to be merged: details with the same change time are the same details (a time is
stamped once, by the copy that made the change), so the other record's are kept.
"""

from __future__ import annotations

from typing import Any

from .details import Details
from .records import FIELDS, dumps, record_stamp

_ABSENT = object()


def _rank(name: str, value: Any, time: float) -> tuple:
    """The order in which values of a field win: the largest rank is kept.

    Later changes win; the details of a paper beat none; a citation key beats none and
    the earliest assignment beats later ones. Ties are broken by the value's JSON, so the
    order is total and taking the largest is a merge that any replay order agrees on.
    """
    if name == "citation_key":
        return (value is not None, -time if value is not None else time, _order(value))
    if name == "paper":
        return (value is not _ABSENT, time, _order(value))
    return (time, _order(value))


def _order(value: Any) -> str:
    return "" if value is _ABSENT or isinstance(value, Details) else dumps(value)


def merge_docs(ours: dict | None, theirs: dict | None) -> dict | None:
    """The merge of two records of one paper (either may be None: unknown)."""
    if theirs is None or ours is theirs:
        return ours
    if ours is None:
        return theirs
    ours_times, theirs_times = ours["changed"], theirs["changed"]
    result: dict | None = None
    tags = _merged_tags(ours, theirs)
    if tags is not None:
        result = dict(theirs)
        result["changed"] = dict(theirs_times)
        result["tags"], untagged = tags
        if untagged:
            result["untagged"] = untagged
        else:
            result.pop("untagged", None)
    for name in FIELDS:
        mine = ours.get(name, _ABSENT)
        other = theirs.get(name, _ABSENT)
        mine_time = ours_times.get(name, 0)
        other_time = theirs_times.get(name, 0)
        if mine_time == other_time and (
            mine is other
            or (name == "paper" and _lazy_pair(mine, other))
            or (mine == other and not isinstance(mine, Details))
        ):
            continue
        if _rank(name, mine, mine_time) > _rank(name, other, other_time):
            if result is None:
                result = dict(theirs)
                result["changed"] = dict(theirs_times)
            if mine is _ABSENT:
                result.pop(name, None)
            else:
                result[name] = mine
            result["changed"][name] = mine_time
    if result is None:
        return theirs
    result["updated_at"] = record_stamp(result)
    return result


_NONE: dict[str, int] = {}


def _merged_tags(ours: dict, theirs: dict) -> tuple[dict, dict] | None:
    """The merged tag tables (tags, untagged), or None when they are ``theirs``."""
    ours_tags, theirs_tags = ours["tags"], theirs["tags"]
    ours_gone, theirs_gone = ours.get("untagged", _NONE), theirs.get("untagged", _NONE)
    if (ours_tags is theirs_tags or ours_tags == theirs_tags) and ours_gone == theirs_gone:
        return None
    if not ours_tags and not ours_gone:
        return None
    facts = {tag: (stamp, False) for tag, stamp in theirs_gone.items()}
    facts.update((tag, (stamp, True)) for tag, stamp in theirs_tags.items())
    changed = False
    for table, present in ((ours_gone, False), (ours_tags, True)):
        for tag, stamp in table.items():
            fact = (stamp, present)
            if tag not in facts or fact > facts[tag]:
                facts[tag] = fact
                changed = True
    if not changed:
        return None
    ordered = sorted(facts.items())
    return (
        {tag: stamp for tag, (stamp, present) in ordered if present},
        {tag: stamp for tag, (stamp, present) in ordered if not present},
    )


def _lazy_pair(mine: Any, other: Any) -> bool:
    """Both present, one at least still in a file: the same details (see above)."""
    if mine is _ABSENT or other is _ABSENT:
        return False
    return isinstance(mine, Details) or isinstance(other, Details)


def merge_setting(ours: dict | None, theirs: dict | None) -> dict | None:
    """The later of two records of one setting (ties broken by value)."""
    if theirs is None or ours is theirs:
        return ours
    if ours is None:
        return theirs
    mine = (ours["updated_at"], dumps(ours["value"]))
    other = (theirs["updated_at"], dumps(theirs["value"]))
    return ours if mine > other else theirs
