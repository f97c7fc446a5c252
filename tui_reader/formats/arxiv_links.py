"""The fallback for any other Markdown or text: one paper per arXiv id it names.

An arXiv id counts where the text links to ``arxiv.org/abs/`` or ``/pdf/`` or writes
``arXiv:ID``. Each id's paper is built from its first mention and the text around it
(its *chunk*: the section under a heading when the section names no other new id,
else the lines from the start of the mention's paragraph to the next id's mention):

* title: a linked title on the mention's line (``[Title](link)``), else a bold one
  there, else a ``Title:``/``标题`` line, else the heading of a one-paper section,
  else the first bold line of the chunk, else ``arXiv:ID``;
* authors: an ``Authors:``/``**Authors**:``/``作者：`` line, split at ``,`` ``;`` ``and``;
* abstract: an ``Abstract:``/``> **Abstract:**``/``摘要：`` line and the lines after
  it up to a blank line or the next label.

A file with arXiv links therefore never gives 0 papers. ``detect`` is always true: this
reader is tried last.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path

from ..model import DigestRef, Paper
from .common import ARXIV_REF_RE, Reading, default_ref, join_wrapped, make_paper, plain_title

NAME = "arxiv-links"
DESCRIPTION = "any Markdown or text with arXiv links or arXiv:IDs (the fallback)"

_HEADING_RE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$")
_LINKED_TITLE_RE = re.compile(r"\[([^\]]{8,})\]\(([^)\s]+)\)")
_BOLD_RE = re.compile(r"\*\*([^*]{8,}?)\*\*")
_LABEL = (
    r"^[ \t>*\-+]*(?:\*\*|__)?[ \t]*({})[ \t]*(?:\*\*|__)?[ \t]*[:：][ \t]*(?:\*\*|__)?[ \t]*(.*)$"
)
_AUTHORS_RE = re.compile(_LABEL.format(r"Authors?|作者"), re.IGNORECASE)
_ABSTRACT_RE = re.compile(_LABEL.format(r"Abstract|Summary|摘要"), re.IGNORECASE)
_TITLE_RE = re.compile(_LABEL.format(r"Title|标题|题目"), re.IGNORECASE)
_ANY_LABEL_RE = re.compile(_LABEL.format(r"[^\W\d_][\w -]{0,20}"))
_AUTHOR_SPLIT_RE = re.compile(r"\s*[,;，、]\s*(?:and\s+)?|\s+and\s+")
_PLACEHOLDER_RE = re.compile(
    r"(?:arxiv|pdf|abs|paper|link|html|code|\d{4}\.\d{4,5}(?:v\d+)?)", re.IGNORECASE
)


def detect(head: str) -> bool:
    return True


def head_date(head: str) -> None:
    return None


def read(text: str, path: Path, ref: DigestRef | None = None) -> Reading:
    ref = ref or default_ref(path, None)
    lines = text.split("\n")
    mentions: list[tuple[int, re.Match[str]]] = []  # first mention of each id
    seen: set[str] = set()
    headings: list[int] = []
    for number, line in enumerate(lines):
        if _HEADING_RE.match(line):
            headings.append(number)
        if "arxiv" not in line.lower():
            continue
        for match in ARXIV_REF_RE.finditer(line):
            if match.group(1) not in seen:
                seen.add(match.group(1))
                mentions.append((number, match))
    papers = [_paper(lines, index, mentions, headings, ref) for index in range(len(mentions))]
    return Reading(papers, [], None)


def _chunk(
    lines: list[str], index: int, mentions: list[tuple[int, re.Match[str]]], headings: list[int]
) -> tuple[int, int, str]:
    """``(first, end, heading)``: the lines that describe mention ``index``."""
    line = mentions[index][0]
    previous = mentions[index - 1][0] if index else -1
    following = mentions[index + 1][0] if index + 1 < len(mentions) else len(lines)
    place = bisect_right(headings, line)  # headings[:place] are at or above the mention
    section_start = headings[place - 1] if place else 0
    section_end = headings[place] if place < len(headings) else len(lines)
    if previous < section_start and following >= section_end:
        heading = _HEADING_RE.match(lines[section_start]) if place else None
        return section_start, section_end, heading.group(1) if heading else ""
    first = line
    while first > previous + 1 and first > section_start and lines[first - 1].strip():
        first -= 1
    return first, min(following, section_end), ""


def _paper(
    lines: list[str],
    index: int,
    mentions: list[tuple[int, re.Match[str]]],
    headings: list[int],
    ref: DigestRef,
) -> Paper:
    line, match = mentions[index]
    first, end, heading = _chunk(lines, index, mentions, headings)
    chunk = lines[first:end]
    arxiv_id = match.group(1)
    title = _title(lines[line], chunk, heading)
    authors: tuple[str, ...] = ()
    abstract = ""
    for offset, text in enumerate(chunk):
        if ":" not in text and "：" not in text:
            continue
        if not authors and (found := _AUTHORS_RE.match(text)):
            names = _strip_markup(found.group(2))
            authors = tuple(
                n for n in (" ".join(n.split()) for n in _AUTHOR_SPLIT_RE.split(names)) if n
            )
        elif not abstract and (found := _ABSTRACT_RE.match(text)):
            abstract = _labelled_block(found.group(2), chunk[offset + 1 :])
    version = match.group(2)
    return make_paper(
        ref,
        arxiv_id,
        int(version) if version else None,
        title or f"arXiv:{arxiv_id}",
        authors,
        None,
        abstract,
        line=line + 1,
    )


def _title(mention_line: str, chunk: list[str], heading: str) -> str:
    for found in _LINKED_TITLE_RE.finditer(mention_line):
        text = _strip_markup(found.group(1))
        if not _PLACEHOLDER_RE.fullmatch(text) and "arxiv.org" not in text.lower():
            return text
    bold = _BOLD_RE.search(mention_line)
    if bold and not _ANY_LABEL_RE.match(mention_line[bold.start() :]):
        return _strip_markup(bold.group(1))
    for text in chunk:
        if (":" in text or "：" in text) and (found := _TITLE_RE.match(text)):
            return _strip_markup(found.group(2))
    if heading:
        cleaned = _strip_markup(heading)
        if cleaned and not ARXIV_REF_RE.fullmatch(cleaned):
            return cleaned
    for text in chunk:
        bold = _BOLD_RE.search(text)
        if bold and not _ANY_LABEL_RE.match(text):
            return _strip_markup(bold.group(1))
    return ""


def _labelled_block(first: str, after: list[str]) -> str:
    parts = [first]
    for text in after:
        stripped = text.strip().lstrip(">").strip()
        if not stripped or stripped[0] == "#":
            break
        if (":" in text or "：" in text) and _ANY_LABEL_RE.match(text):
            break
        parts.append(stripped)
    return join_wrapped(_strip_markup(" ".join(parts)))


def _strip_markup(text: str) -> str:
    """Link syntax to its text, emphasis markers dropped: the text a reader sees."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return plain_title(text.replace("__", "")).strip(" *_`>")
