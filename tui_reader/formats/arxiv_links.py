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
  it up to a blank line, a heading or the next label.

A file with arXiv links therefore never gives 0 papers. ``detect`` is always true: this
reader is tried last.

Speed: the text is looked at once (``_Page``). Headings, labelled lines and mentions
are found by searching its bytes for ``#``, ``:`` and ``arxiv`` rather than by testing
every line, and an abstract's lines are taken as one piece of text; each paper then
only looks up what lies in its chunk.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from pathlib import Path
from typing import TypeVar

from ..model import DigestRef, Paper, absurd_version, version_number
from .common import ARXIV_REF_RE, DigestWarning, Reading, default_ref, make_paper, plain_title

NAME = "arxiv-links"
DESCRIPTION = "any Markdown or text with arXiv links or arXiv:IDs (the fallback)"

_HEADING_RE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$")
_LINKED_TITLE_RE = re.compile(r"\[([^\]]{8,})\]\(([^)\s]+)\)")
_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_BOLD_RE = re.compile(r"\*\*([^*]{8,}?)\*\*")
_LABEL = (
    r"^[ \t>*\-+]*(?:\*\*|__)?[ \t]*({})[ \t]*(?:\*\*|__)?[ \t]*[:：][ \t]*(?:\*\*|__)?[ \t]*(.*)$"
)
# The labels this reader uses, in one pattern: group 2, 3 or 4 says which, 5 is the
# value. A label starts with a letter, where the markup before it cannot, so a line
# is at most one of them.
_NAMED_LABEL_RE = re.compile(
    _LABEL.format(r"(Authors?|作者)|(Abstract|Summary|摘要)|(Title|标题|题目)"), re.IGNORECASE
)
_ANY_LABEL_RE = re.compile(_LABEL.format(r"[^\W\d_][\w -]{0,20}"))
_AUTHOR_SPLIT_RE = re.compile(r"\s*[,;，、]\s*(?:and\s+)?|\s+and\s+")
_DOUBLE_UNDERSCORE_RE = re.compile("__")  # quicker than "__" in text on long text
_Found = TypeVar("_Found", bound=tuple)
_PLACEHOLDER_RE = re.compile(
    r"(?:arxiv|pdf|abs|paper|link|html|code|\d{4}\.\d{4,5}(?:v\d+)?)", re.IGNORECASE
)
# Where an abstract's lines stop: a line that is blank (or only ``>``) or a heading.
_BLOCK_END_RE = re.compile(r"\n[^\S\n]*>*[^\S\n]*(?:[#\n]|\Z)")


def detect(head: str) -> bool:
    return True


def head_date(head: str) -> None:
    return None


def read(text: str, path: Path, ref: DigestRef | None = None) -> Reading:
    ref = ref or default_ref(path, None)
    page = _Page(text)
    papers = [page.paper(index, ref) for index in range(len(page.mentions))]
    warnings = [DigestWarning(path, line + 1, f"{match.group(1)}: {absurd}")
                for line, match in page.mentions
                if (absurd := absurd_version(match.group(2)))]  # fmt: skip
    return Reading(papers, warnings, None)


class _Page:
    """One text's lines and, found once, its headings, labelled lines and first mentions.

    Line numbers count from 0. The searches run on the text's UTF-8 bytes, lower-cased
    (ASCII only, as ``"arxiv" in line.lower()`` needs), where a line break is one byte.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = lines = text.split("\n")
        data = text.encode("utf-8", "surrogatepass").lower()
        wide = ("\uff1a".encode(),) if "\uff1a" in text else ()  # the colon of Chinese labels
        hashes, arxiv, colons, *wide_colons = _lines_holding(data, b"#", b"arxiv", b":", *wide)
        self.headings: list[int] = []  # the lines that are headings, and their text
        self.heading_text: dict[int, str] = {}
        for number in hashes:
            line = lines[number]
            if line.lstrip(" \t")[:1] == "#" and (heading := _HEADING_RE.match(line)):
                self.headings.append(number)
                self.heading_text[number] = heading.group(1)
        self.mentions = self._mentions(arxiv)
        self.labels: list[int] = []  # lines that start with a label of any name
        self.titles: list[tuple[int, str]] = []
        self.authors: list[tuple[int, tuple[str, ...]]] = []
        self.abstracts: list[tuple[int, str]] = []
        if wide_colons:
            colons = sorted({*colons, *wide_colons[0]})
        for number in colons:
            self._label(number)

    def _mentions(self, numbers: list[int]) -> list[tuple[int, re.Match[str]]]:
        """``(line, match)`` of each id's first mention, in order."""
        mentions: list[tuple[int, re.Match[str]]] = []
        seen: set[str] = set()
        for number in numbers:
            for match in ARXIV_REF_RE.finditer(self.lines[number]):
                if match.group(1) not in seen:
                    seen.add(match.group(1))
                    mentions.append((number, match))
        return mentions

    def _label(self, number: int) -> None:
        line = self.lines[number]
        start = line.lstrip(" \t>*-+_")[:1]  # where a label's name would start
        if not start.isalnum() or start.isdecimal():  # [^\W\d_]: no label, nothing to match
            return
        found = _NAMED_LABEL_RE.match(line)
        if found is None:
            if _ANY_LABEL_RE.match(line):
                self.labels.append(number)
            return
        self.labels.append(number)  # a named label is also a label of any name
        if found.group(2):
            self.authors.append((number, _names(_strip_markup(found.group(5)))))
        elif found.group(3):
            self.abstracts.append((number, found.group(5)))
        else:
            self.titles.append((number, _strip_markup(found.group(5))))

    def _chunk(self, index: int) -> tuple[int, int, str]:
        """``(first, end, heading)``: the lines that describe mention ``index``."""
        lines, headings, mentions = self.lines, self.headings, self.mentions
        line = mentions[index][0]
        previous = mentions[index - 1][0] if index else -1
        following = mentions[index + 1][0] if index + 1 < len(mentions) else len(lines)
        place = bisect_right(headings, line)  # headings[:place] are at or above the mention
        section_start = headings[place - 1] if place else 0
        section_end = headings[place] if place < len(headings) else len(lines)
        if previous < section_start and following >= section_end:
            return section_start, section_end, self.heading_text[section_start] if place else ""
        first = line
        while first > previous + 1 and first > section_start and lines[first - 1].strip():
            first -= 1
        return first, min(following, section_end), ""

    def paper(self, index: int, ref: DigestRef) -> Paper:
        line, match = self.mentions[index]
        first, end, heading = self._chunk(index)
        arxiv_id = match.group(1)
        title = self._title(line, first, end, heading)
        authors: tuple[str, ...] = ()
        for _, names in _within(self.authors, first, end):
            if names:
                authors = names
                break
        abstract = ""
        for number, value in _within(self.abstracts, first, end):
            if abstract := self._block(number, value, end):
                break
        version = match.group(2)
        return make_paper(
            ref,
            arxiv_id,
            version_number(version),
            title or f"arXiv:{arxiv_id}",
            authors,
            None,
            abstract,
            line=line + 1,
        )

    def _title(self, line: int, first: int, end: int, heading: str) -> str:
        mention_line = self.lines[line]
        for found in _LINKED_TITLE_RE.finditer(mention_line):
            text = _strip_markup(found.group(1))
            if not _PLACEHOLDER_RE.fullmatch(text) and "arxiv.org" not in text.lower():
                return text
        bold = _BOLD_RE.search(mention_line) if "*" in mention_line else None
        if bold and not _ANY_LABEL_RE.match(mention_line[bold.start() :]):
            return _strip_markup(bold.group(1))
        for _, title in _within(self.titles, first, end) if self.titles else ():
            return title
        if heading:
            cleaned = _strip_markup(heading)
            if cleaned and not ARXIV_REF_RE.fullmatch(cleaned):
                return cleaned
        for text in self.lines[first:end]:
            bold = _BOLD_RE.search(text)
            if bold and not _ANY_LABEL_RE.match(text):
                return _strip_markup(bold.group(1))
        return ""

    def _block(self, number: int, value: str, end: int) -> str:
        """The text of the label on line ``number`` (``value``) and of the lines after
        it, up to line ``end``, a blank line, a heading or the next label."""
        following = bisect_right(self.labels, number)
        if following < len(self.labels):
            end = min(end, self.labels[following])
        lines = self.lines
        if end <= number + 1:
            return _strip_markup(value)
        block = "\n".join(lines[number:end])  # from the label line's own break
        found = _BLOCK_END_RE.search(block, len(lines[number]))
        block = block[len(lines[number]) + 1 : found.start() if found else len(block)]
        if ">" in block:
            block = " ".join(line.strip().lstrip(">").strip() for line in block.split("\n"))
        return _strip_markup(f"{value} {block}")


def _lines_holding(data: bytes, *needles: bytes) -> list[list[int]]:
    """For each needle, the numbers of the lines of ``data`` that hold it, in order, each
    once. One pass over ``data`` counts the lines for all of them."""
    places: list[tuple[int, int]] = []  # (offset of a line's first hit, needle)
    for index, needle in enumerate(needles):
        at = data.find(needle)
        while at >= 0:
            places.append((at, index))
            line_end = data.find(b"\n", at)
            if line_end < 0:
                break
            at = data.find(needle, line_end + 1)
    places.sort()
    found: list[list[int]] = [[] for _ in needles]
    line = done = 0
    for at, index in places:
        line += data.count(b"\n", done, at)
        done = at
        found[index].append(line)
    return found


def _within(found: list[_Found], first: int, end: int) -> list[_Found]:
    """The entries of ``found`` (sorted by line) whose line is in ``[first, end)``."""
    return found[bisect_left(found, (first,)) : bisect_left(found, (end,))]


def _names(text: str) -> tuple[str, ...]:
    """Authors from ``text`` as ``_strip_markup`` leaves it (single spaces, none at the ends)."""
    if ";" in text or "，" in text or "、" in text or " and" in text or ",and" in text:
        return tuple(filter(None, _AUTHOR_SPLIT_RE.split(text)))
    return tuple(filter(None, [name.strip(" ") for name in text.split(",")]))  # the usual case


def _strip_markup(text: str) -> str:
    """Link syntax to its text, emphasis markers dropped: the text a reader sees."""
    # A one-character search first: memchr-fast, where "](" in text is not.
    if "]" in text and "](" in text:
        text = _LINK_RE.sub(r"\1", text)
    if "_" in text and _DOUBLE_UNDERSCORE_RE.search(text):
        text = text.replace("__", "")
    return plain_title(text).strip(" *_`>")
