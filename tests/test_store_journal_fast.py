"""The journal's fast reader of plain lines (``journal_lines._plain_paper``) takes a line
only when the full reader would take it unchanged: same id, same record, nothing
repaired, no stamp moved. Anything unusual is left to the full reader."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.store.clock import Clock, FutureStamps, stamp
from tui_reader.store.journal_lines import _plain_paper, paper_line, read_line, read_line_fully
from tui_reader.store.records import FIELDS

NOW_MS = 1_796_684_000_000
CLOCK = Clock(copy=17, wall=lambda: NOW_MS / 1000)


def written(tags: dict, untagged: dict | None = None, at: int = 0, **fields) -> bytes:
    changed = dict.fromkeys(FIELDS, at or stamp(NOW_MS - 5000, 1, 17))
    doc = {"read": True, "starred": True, "note": "n", "tags": tags, "citation_key": None}
    doc.update(fields)
    if untagged is not None:
        doc["untagged"] = untagged
    doc["changed"] = changed
    doc["updated_at"] = max([*changed.values(), *tags.values(), *(untagged or {}).values()])
    return paper_line("2501.00001", doc).rstrip(b"\n")


def agrees(line: bytes) -> bool:
    """Whether the fast reader's answer (if any) is the full reader's; True if it took it."""
    fast = _plain_paper(line, FutureStamps(CLOCK).limit)
    stamps = FutureStamps(CLOCK)
    full = read_line_fully(line, stamps)
    if fast is None:
        again = read_line(line, FutureStamps(CLOCK))  # a stamp moved to now may differ
        assert (again.kind, again.key, again.problem) == (full.kind, full.key, full.problem)
        return False
    assert (full.kind, full.key, full.doc, full.repaired, stamps.count) == (
        "p",
        fast[0],
        fast[1],
        False,
        0,
    )
    return True


def test_a_plain_line_is_taken_fast_and_an_unusual_one_left_to_the_full_reader():
    tag_stamp = stamp(NOW_MS - 100, 0, 17)
    plain = written({"a": tag_stamp, "b c": tag_stamp}, {"d": tag_stamp})
    assert agrees(plain)
    unusual = [
        plain.replace(b'"v": 5', b'"v": 6'),  # newer
        plain.replace(b'"v": 5, ', b""),  # format 4
        plain.replace(b'"2501.00001"', b'"2501.00001v2"'),  # versioned id
        plain.replace(b'"2501.00001"', b'"arXiv:2501.00001"'),
        plain.replace(b'"note": "n"', b'"note": "\\ud800"'),  # lone surrogate
        plain.replace(b'"note": "n"', b'"note": NaN'),
        plain.replace(b'"note": "n"', b'"note": "\xed\xa0\x80"'),
        plain.replace(b'"note": "n"', b'"note": "\xff"'),  # not UTF-8
        plain.replace(b'"b c"', b'" b"'),  # a tag needing a repair
        plain.replace(b'"b c"', b'"0"'),  # tags out of order
        plain.replace(b'"read": true', b'"read": 1'),
        plain.replace(b'"citation_key": null', b'"citation_key": 3'),
        plain.replace(b'"starred": true', b'"starred": true, "extra": 1'),
        plain[:-3],  # torn
        written({"a": stamp(NOW_MS + 2 * 86_400_000)}),  # a stamp far ahead
        written({"a": tag_stamp}, at=stamp(NOW_MS + 2 * 86_400_000)),
        written({"a": tag_stamp}, at=-1),
        written({"a": tag_stamp}, {}),  # an empty untagged table
        written({"a": tag_stamp}, {"a": tag_stamp}),  # a tag both added and removed
        written({"a": tag_stamp}).replace(b'"updated_at": ', b'"updated_at": 1'),
    ]
    for line in unusual:
        assert not agrees(line), line


@settings(max_examples=300, deadline=None)
@given(
    tags=st.dictionaries(st.text(max_size=4), st.integers(-1, 2**90), max_size=4),
    untagged=st.none() | st.dictionaries(st.text(max_size=4), st.integers(0, 2**90), max_size=3),
    note=st.text(max_size=6),
    key=st.none() | st.text(max_size=3) | st.integers(),
    at=st.integers(-1, 2**90),
    cut=st.integers(0, 400),
    byte=st.integers(0, 255),
)
def test_any_line_the_fast_reader_takes_the_full_reader_takes_unchanged(
    tags, untagged, note, key, at, cut, byte
):
    line = written(dict(sorted(tags.items())), untagged, at, note=note, citation_key=key)
    agrees(line)
    agrees(written(tags, untagged, note=note))  # tags possibly out of order
    if cut < len(line):
        agrees(line[:cut] + bytes([byte]) + line[cut + 1 :])  # one byte changed
    agrees(json.dumps(json.loads(line), indent=None, separators=(",", ":")).encode())


def test_a_new_style_id_taken_as_written_is_its_own_normal_form():
    from tui_reader.store.journal_lines import _PLAIN_ID
    from tui_reader.store.records import normalize_id

    for arxiv_id in ("2501.00001", "0704.0001", "1412.99999", "2501.12345"):
        assert _PLAIN_ID.fullmatch(arxiv_id) and normalize_id(arxiv_id) == arxiv_id
    for odd in ("2501.00001v2", " 2501.00001", "2501.0001x", "٢٥٠١.٠٠٠٠١", "hep-th/9901001"):
        assert not _PLAIN_ID.fullmatch(odd)
