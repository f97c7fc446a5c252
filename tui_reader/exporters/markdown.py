"""Entries -> a Markdown reading list: one item per paper, its tags and the user's note.

    # Reading list

    1. **Sparse chaos in cortical circuits**
       Rainer Engelken, Michael Monteforte, Fred Wolf · 2024-12-30 ·
       [arXiv:2412.21188](https://arxiv.org/abs/2412.21188) · `[@engelken2024sparse]`
       Tags: to\\-cite, chaos

       > the note, line by line

Digest text is untrusted, so every piece of it is escaped: Markdown's punctuation
(``\\ ` * _ { } [ ] ( ) # + - . ! | < > ~ $``) gets a backslash, so a title cannot
become a link, an HTML tag or a heading, and a ``**bold**`` title word stays literal
text in the list's own bold. The only links are built from the arXiv id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .common import authors, plain

if TYPE_CHECKING:
    from . import Entry

__all__ = ["escape", "format_markdown"]

_SPECIAL_RE = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&])")


def escape(text: str) -> str:
    """Plain text that Markdown shows as written (one line)."""
    return _SPECIAL_RE.sub(r"\\\1", " ".join(text.split()))


def format_markdown(entries: Sequence[Entry], title: str = "Reading list") -> str:
    lines = [f"# {title}", ""]
    for number, entry in enumerate(entries, 1):
        paper = entry.paper
        lead = f"{number}. "
        indent = " " * len(lead)
        lines.append(f"{lead}**{escape(plain(paper.title))}**")
        details = []
        names = authors(paper)
        if names:
            details.append(escape(", ".join(names)))
        if paper.date is not None:
            details.append(paper.date.isoformat())
        details.append(f"[arXiv:{paper.arxiv_id}]({paper.abs_url})")
        details.append(f"`[@{entry.key}]`")
        lines.append(indent + " · ".join(details) + "  ")
        tags = [plain(tag) for tag in entry.tags if plain(tag)]
        if tags:
            lines.append(indent + "Tags: " + ", ".join(escape(tag) for tag in tags))
        note_lines = entry.note.strip().splitlines()
        if note_lines:
            lines.append("")
            lines.extend(
                f"{indent}> {escape(line)}" if line.strip() else f"{indent}>" for line in note_lines
            )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
