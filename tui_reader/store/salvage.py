"""Recovering what is intact in a damaged snapshot (truncated, overwritten in places).

``salvage_tables(raw)`` gives the members of the hot ``papers`` table and of the
``details`` table that can still be parsed, one member at a time: the writer puts
members on lines of their own, so a damaged stretch costs only the lines it touches.
"""

from __future__ import annotations

import json
from typing import Any

from .migrations import DETAILS, PAPERS

SEPARATOR_TEXT = '\n}, "details": {\n'  # ends the hot table, opens the details table


def salvage_tables(raw: bytes) -> dict[str, Any]:
    text = raw.decode("utf-8", "replace")
    cut = text.find(SEPARATOR_TEXT)
    if cut < 0:
        return {PAPERS: salvage(text)}
    hot = salvage(text[:cut])
    details = salvage(text[cut:], table=DETAILS)
    return {PAPERS: hot, DETAILS: details}


def salvage(text: str, table: str = PAPERS) -> dict[str, Any]:
    """Every member of ``table`` still intact in a damaged snapshot (maybe none)."""
    start = text.find(f'"{table}"')
    if start < 0:
        return {}
    start = text.find("{", start)
    if start < 0:
        return {}
    decoder = json.JSONDecoder()
    papers: dict[str, Any] = {}
    pos, end = start + 1, len(text)
    while pos < end:
        while pos < end and text[pos] in " \t\r\n,":
            pos += 1
        try:
            key, pos = decoder.raw_decode(text, pos)
            while pos < end and text[pos] in " \t\r\n":
                pos += 1
            if type(key) is not str or text[pos : pos + 1] != ":":
                raise ValueError("not a member")
            pos += 1
            while pos < end and text[pos] in " \t\r\n":
                pos += 1
            value, pos = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            # Skip to the next line (the writer puts members on lines): maybe more intact.
            newline = text.find("\n", pos + 1)
            if newline < 0:
                break
            pos = newline + 1
            continue
        papers[key] = value
    return papers
