"""The digest generator's layout (current form, ``**keyword**`` or shields.io badges).

A digest of this layout (see ``data/sample-2025-01-03.md``)::

    # 2025-01-03

    # Table of Contents
    * [Title](#anchor)

    ## Title

    >Authors: First Author, Second Author

    >2024-12-30

    > http://arxiv.org/abs/2412.21188v1          (or  > [url](url)  since 2025-07)

    Abstract, hard-wrapped, with **bold** keywords (or ![key](https://img.shields.io/
    badge/<kw>-<colour>) badges), paragraphs indented or separated by a blank line.

A badge becomes its keyword in the abstract, bold like ``**kw**``: the keyword is the
badge path before its last ``-``, with shields' escapes decoded (``--`` is ``-``,
``__`` is ``_``, a lone ``_`` a space). ``**`` and ``*`` in a title are emphasis and
dropped; in an abstract ``*italic*`` becomes ``\\emph{italic}`` (``common.markdown_emphasis``).

The parser is a line scanner, not a Markdown parser: running markdown-it-py over a year
of digests takes seconds. Sections are the truth; the table of contents is only
cross-checked (entries for the date or the TOC itself, and anchors with ``( )``, are
fine). ``SectionParser`` consumes text in pieces that end at section boundaries, so the
loader can stream a large file; ``read(text, path)`` reads a whole text at once.
``generator_2024`` reuses ``SectionParser`` with ``# `` headings.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from urllib.parse import unquote

from ..model import ARXIV_ID_RE, DigestRef, Paper, absurd_version, version_number
from .common import (
    NO_SPANS,
    DigestWarning,
    Reading,
    default_ref,
    make_paper,
    markdown_emphasis,
    parse_date,
    plain_title,
    split_authors,
)

NAME = "generator"
DESCRIPTION = "the digest generator: # date, TOC, ## Title, >Authors:, **keyword** or badges"

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DIGEST_DATE_RE = re.compile(r"^#[ \t]+(\d{4}-\d{2}-\d{2})[ \t]*$", re.MULTILINE)
_URL_HINT_RE = re.compile(r"arxiv\.org/(?:abs|pdf)/", re.IGNORECASE)
_TOC_ENTRY_RE = re.compile(r"^[*\-+][ \t]+\[(.*)\]\(#.*\)[ \t]*$")
_URL_ID_RE = re.compile(rf"arxiv\.org/(?:abs|pdf)/{ARXIV_ID_RE.pattern}", re.IGNORECASE)
_LINK_TARGET_RE = re.compile(r"\]\(\s*(\S+?)\s*\)")
# Title, then the three metadata lines in the order every digest writes them.
_STANDARD_HEADER_RE = re.compile(
    r"([^\n]*)\n\s*>[ \t]*Authors:[ \t]*([^\n]*)\n"
    r"\s*>[ \t]*(\d{4}-\d{2}-\d{2})[ \t]*\n"
    r"\s*>[ \t]*(\S*arxiv\.org/(?:abs|pdf)/\S*)[ \t]*(?:\n|$)",
    re.IGNORECASE,
)
_BADGE_RE = re.compile(
    r"!\[[^\]\n]*\]\(\s*https?://img\.shields\.io/badge/([^)\s?#]*)[^)\s]*\s*\)", re.IGNORECASE
)
_DATE_LINE_RE = re.compile(r"#[ \t]+\d{4}-\d{2}-\d{2}[ \t]*$", re.MULTILINE)
_SECTION_RE = re.compile(r"##[ \t][^\n]*\n\s*>[ \t]*Authors:", re.IGNORECASE)


def detect(head: str) -> bool:
    """A ``# YYYY-MM-DD`` first line, a table of contents, or a ``## `` + ``>Authors:``."""
    if _DATE_LINE_RE.match(head.lstrip()) or "# Table of Contents" in head:
        return True
    start = 0 if head.startswith("## ") else head.find("\n## ") + 1
    for _ in range(5):  # the first sections say it; a 64 KiB regex scan costs milliseconds
        if start <= 0 and not head.startswith("## "):
            return False
        if _SECTION_RE.match(head, start):
            return True
        start = head.find("\n## ", start + 1) + 1
    return False


def head_date(head: str) -> dt.date | None:
    """The ``# YYYY-MM-DD`` line before the first section, if any."""
    match = _DIGEST_DATE_RE.search(head.split("\n## ", 1)[0])
    return parse_date(match.group(1)) if match else None


def read(text: str, path: Path, ref: DigestRef | None = None) -> Reading:
    parser = SectionParser(path, "## ", ref)
    papers = parser.feed(text)
    parser.finish()
    return Reading(papers, parser.warnings, parser.text_date)


class SectionParser:
    """Consumes a digest as text pieces that end at section boundaries.

    ``marker`` is the heading that starts a paper (``"## "``, or ``"# "`` in the 2024
    form). ``ref`` is the digest's identity; when None it is made from the date line
    (or the file name) once the preamble has been read.
    """

    def __init__(self, path: Path, marker: str = "## ", ref: DigestRef | None = None) -> None:
        self.path = path
        self.marker = marker
        self.ref = ref
        self.text_date: dt.date | None = None
        self._preamble: list[str] = []
        self._preamble_done = False
        self.warnings: list[DigestWarning] = []
        self.section_titles: list[str] = []
        self.line_number = 1

    def feed(self, text: str) -> list[Paper]:
        """Parse the sections of one piece; returns their papers in order."""
        papers: list[Paper] = []
        marker = self.marker
        position = _find_section(text, 0, marker)
        if not self._preamble_done:
            preamble_end = position if position >= 0 else len(text)
            self._preamble.append(text[:preamble_end])
            self.line_number += text.count("\n", 0, preamble_end)
            if position < 0:
                return papers
            self._preamble_done = True
            preamble = "".join(self._preamble)
            self._preamble = [preamble]
            match = _DIGEST_DATE_RE.search(preamble) if marker == "## " else None
            self.text_date = parse_date(match.group(1)) if match else None
            if self.ref is None:
                self.ref = default_ref(self.path, self.text_date)
        ref = self.ref
        assert ref is not None
        skip = len(marker)
        while position >= 0:
            next_section = _find_section(text, position + skip, marker)
            end = next_section if next_section >= 0 else len(text)
            paper, title, problems = _parse_section(
                text, position + skip, end, ref, self.line_number
            )
            self.section_titles.append(title)
            if problems:
                line, path = self.line_number, self.path
                self.warnings.extend(DigestWarning(path, line, problem) for problem in problems)
            if paper is not None:
                papers.append(paper)
            self.line_number += text.count("\n", position, end)
            position = next_section
        return papers

    def finish(self) -> None:
        """Cross-check the table of contents against the sections read."""
        preamble = "".join(self._preamble)
        self.warnings.extend(_check_table_of_contents(preamble, self.section_titles, self.path))


def _find_section(text: str, start: int, marker: str) -> int:
    """Offset of the next line starting with ``marker`` at or after ``start``, or -1."""
    if start == 0 and text.startswith(marker):
        return 0
    found = text.find("\n" + marker, max(start - 1, 0))
    return found + 1 if found >= 0 else -1


def _parse_section(
    text: str, start: int, end: int, ref: DigestRef, line_number: int
) -> tuple[Paper | None, str, list[str]]:
    """``text[start:end]``, one section after its heading, -> its paper, title, problems."""
    problems: list[str] = []
    header = _STANDARD_HEADER_RE.match(text, start, end)
    if header is not None:
        # The shape every well-formed entry has: one regex instead of a line loop.
        title = header.group(1).rstrip()
        authors = split_authors(header.group(2), "," if ", " not in header.group(2) else ", ")
        has_authors = has_date = True
        date = _checked_date(header.group(3), problems)
        url = header.group(4)
        abstract_block = text[header.end() : end]
    else:
        title, authors, has_authors, date, has_date, url, abstract_block = _scan_header(
            text[start:end], problems
        )
    if "**" in title:
        title = plain_title(title)
    if not title:
        problems.append("a section without a title was skipped")
        return None, title, problems
    if not url:
        problems.append(f"{title!r} has no arXiv URL line and was skipped")
        return None, title, problems
    if url[0] in "[<":
        target = _LINK_TARGET_RE.search(url)
        url = target.group(1) if target else url.strip("<>")
    id_match = _URL_ID_RE.search(url)
    if id_match is None:
        problems.append(f"{title!r}: no arXiv id in {url!r}; skipped")
        return None, title, problems
    if not has_authors or not authors:
        problems.append(f"{title!r} has no authors")
    if not has_date:
        problems.append(f"{title!r} has no submission date")

    abstract, bold_spans = abstract_text(abstract_block)
    if not abstract:
        problems.append(f"{title!r} has no abstract")
    version = id_match.group(2)
    if absurd := absurd_version(version):
        problems.append(f"{title!r}: {absurd}")
    paper = make_paper(
        ref,
        id_match.group(1),
        version_number(version),
        title,
        authors,
        date,
        abstract,
        bold_spans,
        url=url,
        line=line_number,
    )
    return paper, title, problems


def _scan_header(chunk: str, problems: list[str]) -> tuple:
    """The careful, line-by-line reading of a section header that is not standard.

    The metadata block is the blank and ``>`` lines after the title, up to the first
    line of text.
    """
    title, _, rest = chunk.partition("\n")
    title = title.rstrip()
    authors: tuple[str, ...] = ()
    date: dt.date | None = None
    url = ""
    has_authors = has_date = False
    offset = 0
    length = len(rest)
    while offset < length:
        line_end = rest.find("\n", offset)
        if line_end < 0:
            line_end = length
        line = rest[offset:line_end].strip()
        if line and not line.startswith(">"):
            break
        offset = line_end + 1
        value = line[1:].strip()
        if not value:
            continue
        if value[:8].lower() == "authors:":
            names = value[8:]
            authors = split_authors(names, "," if ", " not in names else ", ")
            has_authors = True
        elif _DATE_RE.fullmatch(value):
            has_date = True
            date = _checked_date(value, problems)
        elif _URL_HINT_RE.search(value):
            url = value
        else:
            problems.append(f"unexpected line {value!r}")
    abstract_block = rest[offset:] if offset < length else ""
    return title, authors, has_authors, date, has_date, url, abstract_block


def _checked_date(text: str, problems: list[str]) -> dt.date | None:
    date = parse_date(text)
    if date is None:
        problems.append(f"{text!r} is not a valid date")
    return date


def abstract_text(block: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Join hard-wrapped lines, keep paragraph breaks, strip ``**`` and remember spans.

    A paragraph ends at a blank line or where the next line is indented (the digests
    mark a new paragraph with two leading spaces, without a blank line). Badges become
    ``**keyword**`` first.
    """
    block = block.strip()
    if not block:
        return "", NO_SPANS
    # Single-character searches are memchr-fast; multi-character ones are not. A line
    # break next to a space, tab or another break shows up as a double space here.
    text = block.replace("\n", " ")
    if "  " in text or "\t" in block:
        paragraphs: list[list[str]] = [[]]
        for raw_line in block.split("\n"):
            line = raw_line.strip()
            if not line:
                if paragraphs[-1]:
                    paragraphs.append([])
                continue
            if raw_line[:1] in (" ", "\t") and paragraphs[-1]:
                paragraphs.append([])
            paragraphs[-1].append(line)
        text = "\n\n".join(" ".join(lines) for lines in paragraphs if lines)
    if "!" in text and "![" in text:
        parts = _BADGE_RE.split(text)  # text, badge path, text, ...: as sub(), no callback
        if "*" not in text:  # the badges are the only bold: their spans straight away
            parts[1::2] = map(_badge_text, parts[1::2])
            if "\n" not in "".join(parts[1::2]):
                ends = list(accumulate(map(len, parts)))
                spans = [(ends[i - 1], ends[i]) for i in range(1, len(parts), 2) if parts[i]]
                return "".join(parts), tuple(spans)
            parts[1::2] = [f"**{keyword}**" if keyword else "" for keyword in parts[1::2]]
        else:
            parts[1::2] = map(_badge_as_bold, parts[1::2])
        text = "".join(parts)
    if "*" not in text:
        return text, NO_SPANS
    return markdown_emphasis(text)  # ***KV** cache*: italic "KV cache", bold "KV"


def badge_keyword(path: str) -> str:
    """The keyword of a shields.io badge path ``<kw>-<colour>``, escapes decoded."""
    label = unquote(path.rsplit("-", 1)[0] if "-" in path else path)
    return (
        label.replace("--", "\x00")
        .replace("__", "\x01")
        .replace("_", " ")
        .replace("\x00", "-")
        .replace("\x01", "_")
        .strip()
    )


@lru_cache(maxsize=4096)  # a digest's badges repeat its few keywords
def _badge_text(path: str) -> str:
    """What a badge becomes in the abstract: its keyword, without ``*``."""
    return badge_keyword(path).replace("*", "")


def _badge_as_bold(path: str) -> str:
    keyword = _badge_text(path)
    return f"**{keyword}**" if keyword else ""


_NOT_SECTIONS = re.compile(r"\d{4}-\d{2}-\d{2}|table of contents", re.IGNORECASE)


def _check_table_of_contents(
    preamble: str, section_titles: list[str], path: Path
) -> list[DigestWarning]:
    """Warnings for TOC entries without a section and sections missing from the TOC."""
    marker = preamble.find("# Table of Contents")
    if marker < 0:
        return []
    listed: list[tuple[str, int]] = []
    base_line = preamble.count("\n", 0, marker) + 1
    for offset, line in enumerate(preamble[marker:].split("\n")):
        match = _TOC_ENTRY_RE.match(line.strip())
        if match:
            title = match.group(1).strip()
            if "**" in title:
                title = plain_title(title)
            if not _NOT_SECTIONS.fullmatch(title):
                listed.append((title, base_line + offset))
    if not listed:
        return []
    sections = set(section_titles)
    listed_titles = {title for title, _ in listed}
    warnings = [
        DigestWarning(path, line, f"the table of contents lists {title!r}, which has no section")
        for title, line in listed
        if title not in sections
    ]
    warnings.extend(
        DigestWarning(path, None, f"section {title!r} is missing from the table of contents")
        for title in section_titles
        if title not in listed_titles
    )
    return warnings
