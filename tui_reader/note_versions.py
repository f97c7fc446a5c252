"""Two versions of one note: the reader's in the editor, and the one saved meanwhile.

The note editor remembers the saved note it opened on (its *base*). When the note on
disk is no longer the base (the CLI's ``mark ID --note``, another running copy), saving
over it must not be silent: the reader chooses. Nothing here imports Textual.

API
---
``same_note(a, b) -> bool``
    Whether two texts are the same note as the store keeps it (surrounding whitespace
    does not count: the store strips it).
``needs_choice(base, saved, mine) -> bool``
    Saving ``mine`` over ``saved`` asks the reader: ``saved`` changed since the editor
    opened on ``base``, and is not already what the reader wrote.
``resolve(choice, mine, saved) -> str``
    The note to save for ``choice``: ``"mine"``, ``"theirs"`` (the saved one) or
    ``"both"`` (``keep_both``).
``keep_both(mine, saved) -> str``
    Mine first, then ``BOTH_SEPARATOR`` on a line of its own (with a blank line before
    it), then the saved note; when either is blank, just the other.
"""

from __future__ import annotations

from typing import Literal

Choice = Literal["mine", "theirs", "both"]

BOTH_SEPARATOR = "----- the note saved elsewhere -----"


def same_note(a: str, b: str) -> bool:
    return a.strip() == b.strip()


def needs_choice(base: str, saved: str, mine: str) -> bool:
    return not same_note(saved, base) and not same_note(saved, mine)


def keep_both(mine: str, saved: str) -> str:
    mine, saved = mine.strip(), saved.strip()
    if not mine or not saved:
        return mine or saved
    return f"{mine}\n\n{BOTH_SEPARATOR}\n{saved}"


def resolve(choice: Choice, mine: str, saved: str) -> str:
    if choice == "mine":
        return mine
    if choice == "theirs":
        return saved
    if choice == "both":
        return keep_both(mine, saved)
    raise ValueError(f"unknown choice {choice!r}")
