"""Per-field merging of what two copies of the program wrote.

Each field of a paper's record carries the time it last changed (``changed``), so two
copies that changed different fields of one paper both keep their change, and where
both changed the same field the later change wins. An assigned citation key is never
replaced: where two copies assigned different keys, the earlier assignment stays.

The merge is commutative, associative and idempotent (ties are broken by the values
themselves), so replaying a journal entry twice, or in another order than another copy
did, gives the same result everywhere. Nothing is ever deleted, so a merge is a union.

Details still in a snapshot file (a ``details.Details`` handle, not parsed) are never
read to be merged: details with the same change time are the same details (a time is
stamped once, by the copy that made the change), so the other record's are kept.
"""

from __future__ import annotations

from typing import Any

from .details import Details
from .records import FIELDS, dumps

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
    for name in FIELDS:
        mine = ours.get(name, _ABSENT)
        other = theirs.get(name, _ABSENT)
        mine_time = ours_times.get(name, 0.0)
        other_time = theirs_times.get(name, 0.0)
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
    result["updated_at"] = max(result["changed"].values(), default=0.0)
    return result


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
