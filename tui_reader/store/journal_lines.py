"""The lines of the journal: writing them, and reading one only when its whole shape is known.

API: ``paper_line(arxiv_id, doc)`` and ``setting_line(name, doc)`` are the lines a
flush appends; ``read_line(line, stamps) -> Line`` reads one back. A line is used only
when every part of it has the shape this program writes (format 5) or wrote (format 4
and before: no ``v``), checked before anything in it is merged::

    {"v": 5, "p": "<arXiv id>", "d": {<record: records.py, every field of its type>}}
    {"v": 5, "s": "<setting name>", "d": {"value": <JSON>, "updated_at": <stamp>}}
    {"journal": "<generation>"}    (the header: no change)

Anything else is unusable and its ``Line.problem`` says why in a few words: not JSON
(a torn or damaged line), a newer format, a key or a type this program does not know
(``"starred": "very"``), an id that is not an arXiv id. An unusable line is never half
merged. A usable line may still have odd values repaired (a lone surrogate, a stamp
absurdly far ahead: ``checks``), which ``Line.repaired`` says.

Most lines are exactly as this program writes them, and a year of changes is a
million of them: ``_plain_paper`` takes such a line in one pass of cheap checks (the
same rules, each as strict) and hands anything else, however slightly unusual (NaN, an
escape that may be a lone surrogate, a format-4 line, a tag needing a repair, a stamp
ahead), to the full reader, which says what is wrong or repairs it.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from .checks import as_written, stamped_doc, stamped_setting, valid_paper, valid_setting
from .clock import FutureStamps
from .records import FIELDS, ConstantSpotter, encode_repaired, normalize_id, suspect

LINE_FORMAT = 5  # the record format of the lines written (snapshot.SCHEMA_VERSION)

_REQUIRED = {"read", "starred", "note", "tags", "citation_key", "updated_at", "changed"}
_ALLOWED = {*_REQUIRED, "untagged", "paper"}
_OLD_FIELDS = {"read", "starred", "note", "tags", "citation_key", "paper"}  # formats 2-4
_LINE_KEYS = ({"v", "p", "d"}, {"v", "s", "d"}, {"p", "d"}, {"s", "d"}, {"journal"})


@dataclass
class Line:
    """One journal line read: a paper's record or a setting (``kind`` "p" or "s"),
    the header (``kind`` "header"), or unusable (``problem`` says why)."""

    kind: str = ""
    key: str = ""
    doc: dict | None = None
    problem: str = ""
    repaired: bool = False


def paper_line(arxiv_id: str, doc: dict) -> bytes:
    return (encode_repaired({"v": LINE_FORMAT, "p": arxiv_id, "d": doc}) + "\n").encode()


def setting_line(name: str, doc: dict) -> bytes:
    return (encode_repaired({"v": LINE_FORMAT, "s": name, "d": doc}) + "\n").encode()


def read_line(line: bytes, stamps: FutureStamps) -> Line:
    plain = _plain_paper(line, stamps.limit)
    if plain is not None:
        return Line("p", plain[0], plain[1])
    return read_line_fully(line, stamps)


def read_line_fully(line: bytes, stamps: FutureStamps) -> Line:
    """``read_line`` without the fast path: every line judged and repaired in full."""
    spotter = ConstantSpotter()
    try:
        entry = json.loads(line, parse_constant=spotter)
    except (ValueError, RecursionError):
        return Line(problem="not JSON (torn or damaged)")
    if type(entry) is not dict or set(entry) not in _LINE_KEYS:
        return Line(problem="a shape this program does not know")
    if "journal" in entry:
        return Line("header") if type(entry["journal"]) is str else Line(problem="a bad header")
    version = entry.get("v", 4)
    if type(version) is not int or version > LINE_FORMAT:
        return Line(problem=f"a newer format ({version!r}) than this program reads")
    if version not in (4, LINE_FORMAT):
        return Line(problem=f"an unknown format ({version!r})")
    old, data = version == 4, entry["d"]
    deep = spotter.seen or suspect(line)
    if "p" in entry:
        arxiv_id = entry["p"]
        if type(arxiv_id) is not str or _normal(arxiv_id) != arxiv_id:
            return Line(problem="a paper id that is not an arXiv id")
        problem = _old_record_problem(data) if old else _record_problem(data)
        if problem:
            return Line(problem=problem)
        doc, repaired = valid_paper(stamped_doc(data) if old else data, stamps=stamps, deep=deep)
        if doc is None:  # pragma: no cover - the shape was checked above
            return Line(problem="a record that cannot be used")
        return Line("p", arxiv_id, doc, repaired=repaired and not old)
    name = entry["s"]
    if type(name) is not str or type(data) is not dict or set(data) != {"value", "updated_at"}:
        return Line(problem="a setting of a shape this program does not know")
    if not _is_time(data["updated_at"], old):
        return Line(problem="a setting whose time is not a time")
    setting, repaired = valid_setting(
        stamped_setting(data) if old else data, stamps=stamps, deep=deep
    )
    if setting is None:  # pragma: no cover - the shape was checked above
        return Line(problem="a setting that cannot be used")
    return Line("s", name, setting, repaired=repaired and not old)


def _normal(arxiv_id: str) -> str | None:
    try:
        return normalize_id(arxiv_id)
    except ValueError:
        return None


def _is_time(value: Any, old: bool) -> bool:
    """A stamp (format 5: an integer), or seconds (format 4: any finite number)."""
    if type(value) is int:
        return value >= 0
    return old and type(value) is float and math.isfinite(value) and value >= 0


def _record_problem(doc: Any) -> str:
    """Why a record of format 5 is not of the shape this program writes ('' if it is)."""
    if type(doc) is not dict or not _REQUIRED <= doc.keys() <= _ALLOWED:
        return "a record with fields this program does not know, or without its fields"
    problem = _judgements_problem(doc)
    if problem:
        return problem
    changed = doc["changed"]
    if type(changed) is not dict or changed.keys() != set(FIELDS):
        return "a record whose change stamps are not those of its fields"
    if not all(_is_time(value, False) for value in (*changed.values(), doc["updated_at"])):
        return "a record whose change stamps are not stamps"
    for table in ("tags", "untagged"):
        tags = doc.get(table, {})
        if type(tags) is not dict or not all(
            type(tag) is str and _is_time(value, False) for tag, value in tags.items()
        ):
            return f"a record whose {table} are not tags with stamps"
    return ""


def _old_record_problem(doc: Any) -> str:
    """The same for a record of format 4 or before (times in seconds, a list of tags)."""
    if type(doc) is not dict or not _REQUIRED <= doc.keys() <= _ALLOWED - {"untagged"}:
        return "a record with fields this program does not know, or without its fields"
    problem = _judgements_problem(doc)
    if problem:
        return problem
    changed = doc["changed"]
    if type(changed) is not dict or not changed.keys() <= _OLD_FIELDS:
        return "a record whose change times are not those of its fields"
    if not all(_is_time(value, True) for value in (*changed.values(), doc["updated_at"])):
        return "a record whose change times are not times"
    if type(doc["tags"]) is not list or not all(type(tag) is str for tag in doc["tags"]):
        return "a record whose tags are not a list of text"
    return ""


def _judgements_problem(doc: dict) -> str:
    for name, kind in (("read", bool), ("starred", bool), ("note", str)):
        if type(doc[name]) is not kind:
            return f"a record whose {name} is not {'true or false' if kind is bool else 'text'}"
    if doc["citation_key"] is not None and type(doc["citation_key"]) is not str:
        return "a record whose citation key is not text"
    if type(doc.get("paper", {})) is not dict:
        return "a record whose details are not an object"
    return ""


# ---------------------------------------------------------------- the plain line, fast

_V5_KEYS = {"v", "p", "d"}
_PLAIN_ID = re.compile(r"\d{4}\.\d{4,5}", re.ASCII)  # a new-style id: its own normal form


class _Constant(ValueError):
    """NaN or Infinity in a line: left to the full reader, which repairs it."""


def _no_constant(name: str) -> float:
    raise _Constant(name)


_decode = json.JSONDecoder(parse_constant=_no_constant).decode


def _plain_paper(line: bytes, limit: int) -> tuple[str, dict] | None:
    """(id, record) of a format-5 paper line exactly as this program writes it, with
    nothing to repair (no stamp past ``limit``); None for anything else, which the full
    reader then judges. Every check here is at least as strict as the full reader's."""
    if b"\\u" in line or b"\xed" in line:  # records.suspect: maybe a lone surrogate
        return None
    try:
        entry = _decode(line.decode())  # strict UTF-8: no surrogates either
    except (ValueError, RecursionError):  # _Constant, damaged or not UTF-8
        return None
    if type(entry) is not dict or entry.keys() != _V5_KEYS or type(entry["v"]) is not int:
        return None
    arxiv_id, doc = entry["p"], entry["d"]
    if entry["v"] != LINE_FORMAT or type(arxiv_id) is not str or type(doc) is not dict:
        return None
    if not _PLAIN_ID.fullmatch(arxiv_id) and _normal(arxiv_id) != arxiv_id:
        return None
    if not (doc.keys() <= _ALLOWED and as_written(doc, limit)):
        return None
    return arxiv_id, doc
