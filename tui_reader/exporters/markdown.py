"""Entries -> a Markdown reading list: one item per paper, its tags and the user's note.

    # Reading list

    1. **Sparse chaos in cortical circuits**
       Rainer Engelken, Michael Monteforte, Fred Wolf · 2024-12-30 ·
       [arXiv:2412.21188](https://arxiv.org/abs/2412.21188) · `[@engelken2024sparse]`
       Tags: to-cite, chaos

       > the note, line by line

Digest text is untrusted, so every piece of it is escaped: inline punctuation
(``\\ ` * _ { } [ ] < > ! | ~ $ &``) gets a backslash everywhere, and a line that
would start a heading, quote, list or rule (``# > = + -``, ``1.``) gets one at its
start, so neither a title nor a note line can become a link, HTML, a heading or a
list. The only links are built from the arXiv id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .common import authors, plain

if TYPE_CHECKING:
    from . import Entry

__all__ = ["escape", "format_markdown"]

# Inline constructs anywhere; `&` for entities. Block constructs only start a line.
_INLINE_RE = re.compile(r"([\\`*_{}\[\]<>!|~$&])")
_LINE_START_RE = re.compile(r"^(\s*)([#>=+-]|\d+(?=[.)]))")


def escape(text: str) -> str:
    """Plain text that Markdown shows as written (one line), escaped only where needed."""
    text = _INLINE_RE.sub(r"\\\1", " ".join(text.split()))
    return _LINE_START_RE.sub(lambda m: m.group(1) + _escape_start(m.group(2)), text)


def _escape_start(start: str) -> str:
    """``#`` -> ``\\#``; ``12`` (of ``12.``) -> ``12\\`` so the ``.`` that follows is text."""
    return start + "\\" if start.isdigit() else "\\" + start


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
            details.append(
                escape(", ".join(names) + (", et al." if paper.authors_cut_short else ""))
            )
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
            for line, after in zip(note_lines, [*note_lines[1:], ""], strict=True):
                # Two trailing spaces: a line break, as the note was written.
                brk = "  " if line.strip() and after.strip() else ""
                lines.append(f"{indent}> {escape(line)}{brk}" if line.strip() else f"{indent}>")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
