"""Markdown arXiv digests -> papers.

A digest is a Markdown file of this shape (see ``data/sample-2025-01-03.md``)::

    # 2025-01-03

    # Table of Contents
    * [Title](#anchor)

    ## Title

    >Authors: First Author, Second Author

    >2024-12-30

    > http://arxiv.org/abs/2412.21188v1

    Abstract, hard-wrapped, with **bold** keywords, paragraphs
      indented or separated by a blank line.

The parser is a line scanner, not a Markdown parser: running markdown-it-py over a
year of digests takes seconds, and the format needs only headings and a few prefixed
lines. Sections (``## ``) are the truth; the table of contents is only cross-checked.
Nothing here imports Textual or touches the screen.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path

from .model import ARXIV_ID_RE, DigestRef, Paper

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DIGEST_DATE_RE = re.compile(r"^#[ \t]+(\d{4}-\d{2}-\d{2})[ \t]*$", re.MULTILINE)
_FILENAME_DATE_RE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
_URL_HINT_RE = re.compile(r"arxiv\.org/(?:abs|pdf)/", re.IGNORECASE)
_TOC_ENTRY_RE = re.compile(r"^[*\-+][ \t]+\[(.*)\]\(#[^)]*\)[ \t]*$")
_URL_ID_RE = re.compile(rf"arxiv\.org/(?:abs|pdf)/{ARXIV_ID_RE.pattern}", re.IGNORECASE)
# Title, then the three metadata lines in the order every digest writes them.
_STANDARD_HEADER_RE = re.compile(
    r"([^\n]*)\n\s*>[ \t]*Authors:[ \t]*([^\n]*)\n"
    r"\s*>[ \t]*(\d{4}-\d{2}-\d{2})[ \t]*\n"
    r"\s*>[ \t]*(\S*arxiv\.org/(?:abs|pdf)/\S*)[ \t]*(?:\n|$)",
    re.IGNORECASE,
)
_NO_SPANS: tuple[tuple[int, int], ...] = ()


class DigestError(Exception):
    """A digest that cannot be read at all. The message names the file and the problem."""


@dataclass(slots=True)
class ParsedDigest:
    """One digest file: its identity, its papers in file order and what looked wrong."""

    ref: DigestRef
    papers: list[Paper]
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Library:
    """Every paper of several digests, each arXiv id once.

    ``papers`` are in digest order (digests sorted by date, papers in file order; a
    paper seen in several digests sits where it first appeared). ``digests`` are the
    loaded digests, oldest first.
    """

    papers: list[Paper]
    digests: list[DigestRef]
    warnings: list[str] = field(default_factory=list)


_BLOCK_SIZE = 1 << 22


def _read_pieces(path: Path) -> Iterator[str]:
    """The decoded text of a digest file in pieces that each end at a section boundary.

    Reading in blocks keeps the whole file from being in memory next to its papers.
    Raises DigestError for files that are not digests: missing, unreadable, empty,
    binary or not UTF-8.
    """
    try:
        handle = path.open("rb")
    except OSError as error:
        raise _read_error(path, error) from None
    with handle:
        pending = bytearray()
        offset = 0
        has_text = False
        while True:
            try:
                block = handle.read(_BLOCK_SIZE)
            except OSError as error:
                raise _read_error(path, error) from None
            if not block:
                break
            _check_binary(block, path)
            has_text = has_text or bool(block.strip())
            pending += block
            cut = pending.rfind(b"\n## ")
            if cut <= 0:
                continue
            piece = bytes(pending[: cut + 1])
            del pending[: cut + 1]
            yield _decode(piece, offset, path)
            offset += len(piece)
        if not has_text:
            raise DigestError(f"{path}: the file is empty")
        if pending:
            yield _decode(bytes(pending), offset, path)


def _read_error(path: Path, error: OSError) -> DigestError:
    """The one-line message for a digest file the system would not let us read."""
    if isinstance(error, FileNotFoundError):
        return DigestError(f"{path}: no such file")
    if isinstance(error, IsADirectoryError):
        return DigestError(f"{path}: is a folder, not a digest file")
    if isinstance(error, PermissionError):
        return DigestError(f"{path}: permission denied")
    return DigestError(f"{path}: cannot be read ({error.strerror or error})")


def _check_binary(block: bytes, path: Path) -> None:
    if b"\x00" in block:
        raise DigestError(f"{path}: is a binary file, not a Markdown digest")


def check_digest_file(path: Path) -> None:
    """Cheap checks before a digest is read in the background: DigestError if it is
    missing, unreadable, empty, binary, not UTF-8 at its start or has no ``## `` section.

    Problems deeper in a large file are found when it is read.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
            _check_binary(head, path)
            if not head.strip():
                raise DigestError(f"{path}: the file is empty")
            # Cut at the last line break so a multi-byte character is never split.
            complete = head if len(head) < 1 << 16 else head[: head.rfind(b"\n") + 1]
            _decode(complete, 0, path)
            found = head.startswith(b"## ") or b"\n## " in head
            tail = head[-3:]
            while not found:
                block = handle.read(1 << 22)
                if not block:
                    break
                found = b"\n## " in tail + block
                tail = block[-3:]
    except OSError as error:
        raise _read_error(path, error) from None
    if not found:
        raise DigestError(f"{path}: no papers found (expected '## Title' sections)")


def _decode(piece: bytes, offset: int, path: Path) -> str:
    try:
        text = piece.decode("utf-8")
    except UnicodeDecodeError as error:
        position = offset + error.start
        raise DigestError(
            f"{path}: is not UTF-8 text (byte 0x{piece[error.start]:02x} at offset {position})"
        ) from None
    if offset == 0 and text.startswith("\ufeff"):
        text = text[1:]
    return _unix_newlines(text)


def _unix_newlines(text: str) -> str:
    if "\r" in text:
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return text


class DigestReader:
    """Reads one digest file as batches of papers, so a caller can show the first
    papers of a large digest while the rest is still being read.

    ``ref`` is known once the first batch is out; ``warnings`` grows as it reads.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._parser = _DigestParser(path)

    @property
    def ref(self) -> DigestRef | None:
        return self._parser.ref

    @property
    def warnings(self) -> list[str]:
        return self._parser.warnings

    def batches(self) -> Iterator[list[Paper]]:
        """Papers in file order, a piece of the file at a time. Raises DigestError."""
        # Parsing allocates many objects and frees almost none: collecting in between
        # only re-walks them.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for piece in _read_pieces(self.path):
                papers = self._parser.feed(piece)
                if papers:
                    yield papers
        finally:
            if collecting:
                gc.enable()
        self._parser.finish()


class LibraryBuilder:
    """Merges papers from several digests, one record per arXiv id.

    Feed digests oldest first. The newest version of a paper wins (on a tie, the
    later digest); the record remembers every digest the paper appeared in and keeps
    the place where it first appeared.
    """

    def __init__(self) -> None:
        self.papers: list[Paper] = []
        self.digests: list[DigestRef] = []
        self.warnings: list[str] = []
        self._index: dict[str, int] = {}

    def add(self, papers: Iterable[Paper]) -> list[int]:
        """Add papers; returns the indices of earlier records that were replaced."""
        replaced: list[int] = []
        index_of = self._index
        records = self.papers
        for paper in papers:
            if not self.digests or self.digests[-1] is not paper.source:
                self.digests.append(paper.source)
            index = index_of.get(paper.arxiv_id)
            if index is None:
                index_of[paper.arxiv_id] = len(records)
                records.append(paper)
                continue
            known = records[index]
            if paper.source in known.digests:
                self.warnings.append(
                    f"{paper.source.path}:{paper.line}: {paper.arxiv_id} appears twice"
                    " in this digest"
                )
                digests = known.digests
            else:
                digests = (*known.digests, paper.source)
            newest = paper if paper.version >= known.version else known
            records[index] = replace(newest, digests=digests)
            replaced.append(index)
        return replaced

    def library(self) -> Library:
        return Library(papers=self.papers, digests=self.digests, warnings=self.warnings)


def parse_digest(path: Path) -> ParsedDigest:
    """Parse one digest file. Raises DigestError when it is not a digest or holds no paper."""
    reader = DigestReader(path)
    builder = LibraryBuilder()
    for batch in reader.batches():
        builder.add(batch)
    assert reader.ref is not None
    return ParsedDigest(reader.ref, builder.papers, reader.warnings + builder.warnings)


def parse_digest_text(text: str, path: Path) -> ParsedDigest:
    """Parse the text of one digest. ``path`` names it in messages and in the papers."""
    parser = _DigestParser(path)
    builder = LibraryBuilder()
    builder.add(parser.feed(_unix_newlines(text)))
    parser.finish()
    assert parser.ref is not None
    return ParsedDigest(parser.ref, builder.papers, parser.warnings + builder.warnings)


class _DigestParser:
    """Consumes a digest as text pieces that end at section boundaries."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ref: DigestRef | None = None
        self.preamble: list[str] = []
        self.warnings: list[str] = []
        self.section_titles: list[str] = []
        self.paper_count = 0
        self.line_number = 1

    def feed(self, text: str) -> list[Paper]:
        """Parse the sections of one piece; returns their papers in order."""
        papers: list[Paper] = []
        position = _find_section(text, 0)
        if self.ref is None:
            preamble_end = position if position >= 0 else len(text)
            self.preamble.append(text[:preamble_end])
            self.line_number += text.count("\n", 0, preamble_end)
            if position < 0:
                return papers
            preamble = "".join(self.preamble)
            self.ref = DigestRef(date=_digest_date(preamble, self.path), path=self.path)
            self.preamble = [preamble]
        ref = self.ref
        while position >= 0:
            next_section = _find_section(text, position + 3)
            end = next_section if next_section >= 0 else len(text)
            paper, title, problems = _parse_section(text, position + 3, end, ref, self.line_number)
            self.section_titles.append(title)
            if problems:
                where = f"{self.path}:{self.line_number}"
                self.warnings.extend(f"{where}: {problem}" for problem in problems)
            if paper is not None:
                papers.append(paper)
            self.line_number += text.count("\n", position, end)
            position = next_section
        self.paper_count += len(papers)
        return papers

    def finish(self) -> None:
        """Check the table of contents; DigestError when the digest held no paper."""
        preamble = "".join(self.preamble)
        self.warnings.extend(_check_table_of_contents(preamble, self.section_titles, self.path))
        if self.ref is None or not self.paper_count:
            raise DigestError(f"{self.path}: no papers found (expected '## Title' sections)")


def _find_section(text: str, start: int) -> int:
    """Offset of the next line starting with ``## `` at or after ``start``, or -1."""
    if start == 0 and text.startswith("## "):
        return 0
    found = text.find("\n## ", max(start - 1, 0))
    return found + 1 if found >= 0 else -1


def _digest_date(preamble: str, path: Path) -> dt.date | None:
    for match in (_DIGEST_DATE_RE.search(preamble), _FILENAME_DATE_RE.search(path.name)):
        if match:
            try:
                return dt.date.fromisoformat(match.group(1))
            except ValueError:
                continue
    return None


def _parse_section(
    text: str, start: int, end: int, ref: DigestRef, line_number: int
) -> tuple[Paper | None, str, list[str]]:
    """``text[start:end]``, one section after its ``## ``, -> its paper, title, problems."""
    problems: list[str] = []
    header = _STANDARD_HEADER_RE.match(text, start, end)
    if header is not None:
        # The shape every well-formed entry has: one regex instead of a line loop.
        title = header.group(1).rstrip()
        authors = _split_authors(header.group(2))
        has_authors = has_date = True
        date = _parse_date(header.group(3), problems)
        url = header.group(4)
        abstract_block = text[header.end() : end]
    else:
        title, authors, has_authors, date, has_date, url, abstract_block = _scan_header(
            text[start:end], problems
        )
    if not title:
        problems.append("a section without a title was skipped")
        return None, title, problems
    if not url:
        problems.append(f"{title!r} has no arXiv URL line and was skipped")
        return None, title, problems
    id_match = _URL_ID_RE.search(url)
    if id_match is None:
        problems.append(f"{title!r}: no arXiv id in {url!r}; skipped")
        return None, title, problems
    if not has_authors or not authors:
        problems.append(f"{title!r} has no authors")
    if not has_date:
        problems.append(f"{title!r} has no submission date")

    abstract, bold_spans = _abstract_text(abstract_block)
    if not abstract:
        problems.append(f"{title!r} has no abstract")
    keywords: tuple[str, ...] = ()
    if bold_spans:
        keywords = tuple(dict.fromkeys([abstract[start:end] for start, end in bold_spans]))
    version = id_match.group(2)
    paper = Paper(
        arxiv_id=id_match.group(1),
        version=int(version) if version else 1,
        title=title,
        authors=authors,
        date=date,
        url=url,
        abstract=abstract,
        bold_spans=bold_spans,
        keywords=keywords,
        source=ref,
        digests=(ref,),
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
            authors = _split_authors(value[8:])
            has_authors = True
        elif _DATE_RE.fullmatch(value):
            has_date = True
            date = _parse_date(value, problems)
        elif _URL_HINT_RE.search(value):
            url = value
        else:
            problems.append(f"unexpected line {value!r}")
    abstract_block = rest[offset:] if offset < length else ""
    return title, authors, has_authors, date, has_date, url, abstract_block


def _split_authors(names: str) -> tuple[str, ...]:
    return tuple(filter(None, map(str.strip, names.split(", "))))


_DATES: dict[str, dt.date] = {}


def _parse_date(text: str, problems: list[str]) -> dt.date | None:
    """ISO date -> date; one shared object per distinct date keeps a year of papers small."""
    date = _DATES.get(text)
    if date is None:
        try:
            date = _DATES.setdefault(text, dt.date.fromisoformat(text))
        except ValueError:
            problems.append(f"{text!r} is not a valid date")
    return date


def _abstract_text(block: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Join hard-wrapped lines, keep paragraph breaks, strip ``**`` and remember spans.

    A paragraph ends at a blank line or where the next line is indented (the digests
    mark a new paragraph with two leading spaces, without a blank line).
    """
    block = block.strip()
    if not block:
        return "", _NO_SPANS
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
    if "*" not in text or "**" not in text:
        return text, _NO_SPANS
    return _strip_bold(text)


def _strip_bold(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Remove ``**`` pairs; the spans they enclosed, as offsets in the result.

    A pair encloses at least one character and no paragraph break; an unpaired
    ``**`` stays in the text as written.
    """
    parts = text.split("**")
    bold = parts[1::2]
    if (
        len(parts) % 2 == 1
        and all(bold)
        and ("\n" not in text or not any("\n" in part for part in bold))
    ):
        # The common case: every ** is paired. Odd-numbered parts are the bold ones,
        # and the running lengths of the parts are the span boundaries.
        ends = list(accumulate(map(len, parts)))
        return "".join(parts), tuple(zip(ends[0::2], ends[1::2], strict=False))
    pieces: list[str] = []
    spans = []
    length = 0
    last = 0
    for match in _BOLD_RE.finditer(text):
        before = text[last : match.start()]
        pieces.append(before)
        length += len(before)
        inner = match.group(1)
        pieces.append(inner)
        spans.append((length, length + len(inner)))
        length += len(inner)
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces), tuple(spans)


def _check_table_of_contents(preamble: str, section_titles: list[str], path: Path) -> list[str]:
    """Warnings for TOC entries without a section and sections missing from the TOC."""
    marker = preamble.find("# Table of Contents")
    if marker < 0:
        return []
    listed: list[tuple[str, int]] = []
    base_line = preamble.count("\n", 0, marker) + 1
    for offset, line in enumerate(preamble[marker:].split("\n")):
        match = _TOC_ENTRY_RE.match(line.strip())
        if match:
            listed.append((match.group(1).strip(), base_line + offset))
    if not listed:
        return []
    sections = set(section_titles)
    listed_titles = {title for title, _ in listed}
    warnings = [
        f"{path}:{line}: the table of contents lists {title!r}, which has no section"
        for title, line in listed
        if title not in sections
    ]
    warnings.extend(
        f"{path}: section {title!r} is missing from the table of contents"
        for title in section_titles
        if title not in listed_titles
    )
    return warnings


def find_digest_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to every ``*.md`` file below them; files are taken as given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.md") if p.is_file())
            if not files:
                raise DigestError(f"{path}: the folder holds no .md digest files")
            found.extend(files)
        elif path.exists():
            found.append(path)
        else:
            raise DigestError(f"{path}: no such file or folder")
    return list(dict.fromkeys(found))


def peek_digest_date(path: Path) -> dt.date | None:
    """The digest's own date from its first lines (or its file name), without parsing it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8192).decode("utf-8", errors="replace")
    except OSError:
        head = ""
    return _digest_date(head.split("\n## ", 1)[0], path)


def ordered_digest_files(paths: Iterable[Path]) -> list[Path]:
    """Every digest below ``paths``, oldest digest first (undated ones last, by name)."""
    files = find_digest_files(paths)
    dates = {path: peek_digest_date(path) for path in files}
    return sorted(files, key=lambda path: (dates[path] is None, dates[path] or dt.date.min,
                                           str(path)))  # fmt: skip


def load_library(paths: Sequence[Path]) -> Library:
    """Parse every digest below ``paths`` and merge them, one record per arXiv id."""
    builder = LibraryBuilder()
    for path in ordered_digest_files(paths):
        reader = DigestReader(path)
        for batch in reader.batches():
            builder.add(batch)
        builder.warnings.extend(reader.warnings)
    return builder.library()
