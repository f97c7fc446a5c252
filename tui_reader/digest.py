"""Digest files -> papers: finding files, choosing each one's layout, merging them.

Public API
----------
``find_digest_files(paths) -> (files, warnings)``
    Folders expand to every ``.md``, ``.markdown``, ``.txt`` and ``.eml`` file below
    them (hidden files and folders skipped); files are taken as given. A missing path
    or a folder without such files is a warning, not an error; so is a FIFO, device or
    socket with such a name in a folder (skipped unopened).
``ordered_digest_files(paths) -> list[Path]``
    The same files, oldest digest first by the date their first lines or names give
    (the others last, by name: only reading them tells their date).
``DigestLoader(paths, format=None)``
    Reads the digest files below ``paths`` (as ``find_digest_files``) oldest first, as
    batches of papers. A missing path, a folder without digest files and a file that
    is not a digest, or fails, are skipped with a warning (``skipped``, and also in
    ``warnings``); ``papers_read`` counts what came out. Digests come in order of
    their date as resolved (a digest dated by its papers is read first to place it).
    The app and the CLI both load through it.
``load_library(paths, format=None) -> Library``
    Every paper below ``paths``, one record per arXiv id. DigestError only when the
    paths hold no paper at all.
``parse_digest(path)`` / ``parse_digest_text(text, path)`` -> ``ParsedDigest``
    One file; DigestError when it holds no paper.

Rules: a digest is a file (two files with one date are two digests). Its date is its
own (``# 2025-01-03``, a mailing's ``Date:``), else the one in its file name, else its
newest paper's. Where that date is shared with another file, or was guessed from the
papers, the digest's label adds the file name. A layout is detected per file from its
first 64 KiB (``formats.detect_format``) unless ``format`` names one; when a detected
layout finds no paper in a file that has arXiv links, the fallback reader reads it.
Warnings are ``DigestWarning`` values (file, line or None, message).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType

from . import formats
from .digest_files import (
    check_digest_file,
    not_a_file_reason,
    read_head,
    read_pieces,
    read_text,
    unix_newlines,
)
from .formats import FALLBACK, generator
from .formats.common import DigestError, DigestWarning, filename_date
from .model import DigestRef, Paper

__all__ = [
    "DigestError",
    "DigestLoader",
    "DigestReader",
    "DigestWarning",
    "Library",
    "LibraryBuilder",
    "ParsedDigest",
    "check_digest_file",
    "find_digest_files",
    "load_library",
    "ordered_digest_files",
    "parse_digest",
    "parse_digest_text",
    "peek_digest_date",
]

DIGEST_SUFFIXES = (".md", ".markdown", ".txt", ".eml")


@dataclass(slots=True)
class ParsedDigest:
    """One digest file: its identity, its papers in file order and what looked wrong."""

    ref: DigestRef
    papers: list[Paper]
    warnings: list[DigestWarning] = field(default_factory=list)


@dataclass(slots=True)
class Library:
    """Every paper of several digests, each arXiv id once.

    ``papers`` are in digest order (digests sorted by date, papers in file order; a
    paper seen in several digests sits where it first appeared). ``digests`` are the
    loaded digests, oldest first. ``skipped`` are the files that gave no paper.
    """

    papers: list[Paper]
    digests: list[DigestRef]
    warnings: list[DigestWarning] = field(default_factory=list)
    skipped: list[DigestWarning] = field(default_factory=list)


def _layout(path: Path, head: str, format: str | None) -> ModuleType:
    return formats.format_named(format) if format else formats.detect_format(head)


class DigestReader:
    """Reads one digest file as batches of papers, so a caller can show the first
    papers of a large digest while the rest is still being read.

    ``ref`` is known once the first batch is out; ``warnings`` grows as it reads.
    ``format`` forces a layout by name; ``ref`` gives the digest's identity (its date
    then need not be peeked again).
    """

    def __init__(self, path: Path, *, format: str | None = None, ref: DigestRef | None = None,
                 layout: ModuleType | None = None) -> None:  # fmt: skip
        self.path = path
        self.format = format
        self.ref = ref
        self.warnings: list[DigestWarning] = []
        self.layout = layout

    def batches(self) -> Iterator[list[Paper]]:
        """Papers in file order. Raises DigestError when the file holds none."""
        if self.layout is None:
            self.layout = _layout(self.path, read_head(self.path), self.format)
        layout = self.layout
        # Parsing allocates many objects and frees almost none: collecting in between
        # only re-walks them.
        collecting = gc.isenabled()
        gc.disable()
        try:
            if layout is generator:
                batches = self._stream(self.ref)
            else:
                batches = iter([self._read_whole(layout)])
            count = 0
            for papers in batches:
                count += len(papers)
                if papers:
                    yield papers
        finally:
            if collecting:
                gc.enable()
        if not count:
            if layout is not FALLBACK and not self.format:
                self.warnings = []  # the detected layout's complaints are moot now
                fallback = self._read_whole(FALLBACK)
                if fallback:
                    self.layout = FALLBACK
                    yield fallback
                    return
            raise DigestError(self.path, "no papers found (no arXiv links or arXiv: ids)")

    def _stream(self, ref: DigestRef | None) -> Iterator[list[Paper]]:
        parser = generator.SectionParser(self.path, "## ", ref)
        held: list[Paper] = []
        for piece in read_pieces(self.path):
            papers = parser.feed(piece)
            self.ref = parser.ref
            if self.ref is not None and self.ref.date is None:
                held.extend(papers)  # the date comes from the papers, once all are read
            elif papers:
                yield papers
        parser.finish()
        self.warnings.extend(parser.warnings)
        if held:
            yield self._dated_by_papers(held)

    def _read_whole(self, layout: ModuleType) -> list[Paper]:
        reading = layout.read(read_text(self.path), self.path, self.ref)
        self.warnings.extend(reading.warnings)
        papers = reading.papers
        self.ref = papers[0].source if papers else self.ref
        if papers and (self.ref is None or self.ref.date is None):
            papers = self._dated_by_papers(papers)
        return papers

    def _dated_by_papers(self, papers: list[Paper]) -> list[Paper]:
        papers = dated_by_papers(papers, self.path)
        self.ref = papers[0].source if papers else self.ref
        return papers


def dated_by_papers(papers: list[Paper], path: Path) -> list[Paper]:
    """A digest without a date of its own takes its newest paper's (and shows its name)."""
    dates = [paper.date for paper in papers if paper.date]
    if not dates:
        return papers
    ref = DigestRef(max(dates), path, named=True)
    return [replace(paper, source=ref, digests=(ref,)) for paper in papers]


class LibraryBuilder:
    """Merges papers from several digests, one record per arXiv id.

    Feed digests oldest first. The newest version of a paper wins (on a tie, or where
    a digest does not say the version, the later digest); the record remembers every
    digest the paper appeared in and keeps the place where it first appeared.
    """

    def __init__(self) -> None:
        self.papers: list[Paper] = []
        self.digests: list[DigestRef] = []
        self.warnings: list[DigestWarning] = []
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
                message = f"{paper.arxiv_id} appears twice in this digest"
                self.warnings.append(DigestWarning(paper.source.path, paper.line or None, message))
                digests = known.digests
            else:
                digests = (*known.digests, paper.source)
            newest = paper if (paper.version or 0) >= (known.version or 0) else known
            records[index] = replace(newest, digests=digests)
            replaced.append(index)
        return replaced

    def library(self) -> Library:
        return Library(papers=self.papers, digests=self.digests, warnings=self.warnings)


def parse_digest(path: Path, format: str | None = None) -> ParsedDigest:
    """Parse one digest file. Raises DigestError when it is not a digest or holds no paper."""
    reader = DigestReader(path, format=format)
    builder = LibraryBuilder()
    for batch in reader.batches():
        builder.add(batch)
    assert reader.ref is not None
    return ParsedDigest(reader.ref, builder.papers, reader.warnings + builder.warnings)


def parse_digest_text(text: str, path: Path, format: str | None = None) -> ParsedDigest:
    """Parse the text of one digest. ``path`` names it in messages and in the papers."""
    text = unix_newlines(text)
    layout = _layout(path, text[:65536], format)
    reading = layout.read(text, path)
    if not reading.papers and layout is not FALLBACK and not format:
        reading = FALLBACK.read(text, path)
    if not reading.papers:
        raise DigestError(path, "no papers found (no arXiv links or arXiv: ids)")
    papers = reading.papers
    if papers[0].source.date is None:
        papers = dated_by_papers(papers, path)
    builder = LibraryBuilder()
    builder.add(papers)
    return ParsedDigest(papers[0].source, builder.papers, reading.warnings + builder.warnings)


def find_digest_files(paths: Iterable[Path]) -> tuple[list[Path], list[DigestWarning]]:
    """Folders -> their digest files (by name, below them); files as given."""
    found: list[Path] = []
    warnings: list[DigestWarning] = []
    for path in paths:
        if path.is_dir():
            named = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in DIGEST_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.exists()
                and not p.is_dir()
            )
            files = []
            for p in named:
                reason = not_a_file_reason(p)
                if reason is None:
                    files.append(p)
                else:  # a FIFO, device or socket: skipped, never opened
                    warnings.append(DigestError(p, reason).as_warning())
            if not named:
                suffixes = ", ".join(DIGEST_SUFFIXES)
                warnings.append(DigestWarning(path, None, f"the folder holds no digest files "
                                                          f"({suffixes})"))  # fmt: skip
            found.extend(files)
        elif path.exists():
            found.append(path)
        else:
            warnings.append(DigestWarning(path, None, "no such file or folder"))
    return list(dict.fromkeys(found)), warnings


def peek_digest_date(path: Path, format: str | None = None) -> dt.date | None:
    """The digest's own date from its first lines (or its file name), without parsing it."""
    return _peek(path, format)[0]


def _peek(path: Path, format: str | None) -> tuple[dt.date | None, ModuleType | None]:
    """The digest's date (as ``peek_digest_date``) and its layout (None: unreadable)."""
    try:
        head = read_head(path)
    except DigestError:
        return filename_date(path), None
    layout = _layout(path, head, format)
    return layout.head_date(head) or filename_date(path), layout


def ordered_digest_files(paths: Iterable[Path]) -> list[Path]:
    """Every digest file below ``paths``, oldest digest first (undated ones last, by name)."""
    files, _ = find_digest_files(paths)
    return _ordered({path: peek_digest_date(path) for path in files})


def _ordered(dates: dict[Path, dt.date | None]) -> list[Path]:
    return sorted(dates, key=lambda path: (dates[path] is None, dates[path] or dt.date.min,
                                           str(path)))  # fmt: skip


class DigestLoader:
    """Reads digest files oldest first as batches of papers, skipping bad files.

    ``paths`` are digest files or folders (``find_digest_files``); the files are
    ordered by date here. A missing path or a folder without digest files is a
    ``skipped`` warning from the start, and so is each file that gives no paper;
    ``warnings`` holds those and every file's own warnings, in reading order.
    """

    def __init__(self, paths: Sequence[Path], format: str | None = None) -> None:
        files, problems = find_digest_files(paths)
        self.format = format
        peeked = {path: _peek(path, format) for path in dict.fromkeys(files)}
        dates = {path: date for path, (date, _) in peeked.items()}
        self.layouts = {path: layout for path, (_, layout) in peeked.items()}
        shared = Counter(date for date in dates.values() if date is not None)
        # Named where the date alone does not say which file: a date two files share,
        # or a file named for another date (2024-09-27.md holding 2024-09-29).
        self.refs = {path: DigestRef(date, path, named=shared[date] > 1
                                     or filename_date(path) not in (None, date))
                     if date else None for path, date in dates.items()}  # fmt: skip
        self.files = _ordered(dates)
        self.warnings: list[DigestWarning] = list(problems)
        self.skipped: list[DigestWarning] = list(problems)
        self.papers_read = 0

    def batches(self) -> Iterator[list[Paper]]:
        """Every file's papers, digest by digest, oldest first. A digest whose date only
        its papers give (no date line, none in its name) is read before the others, to
        find its place; ``files`` is then in that order (ties by name)."""
        early = {path: list(self._read(path)) for path in self.files if self.refs[path] is None}
        dates = {path: ref.date if (ref := self.refs[path]) else None for path in self.files}
        dates.update({path: held[0][0].source.date for path, held in early.items() if held})
        self.files = _ordered(dates)
        for path in self.files:
            yield from early[path] if path in early else self._read(path)

    def _read(self, path: Path) -> Iterator[list[Paper]]:
        reader = DigestReader(path, format=self.format, ref=self.refs[path],
                              layout=self.layouts[path])  # fmt: skip
        count = 0
        try:
            for batch in reader.batches():
                count += len(batch)
                yield batch
        except DigestError as error:
            warning = error.as_warning()
            if count:
                warning = DigestWarning(path, None, f"read only in part: {error.reason}")
            self.skipped.append(warning)
            self.warnings.append(warning)
        self.warnings.extend(reader.warnings)
        self.papers_read += count


def load_library(paths: Sequence[Path], format: str | None = None) -> Library:
    """Parse every digest below ``paths`` and merge them, one record per arXiv id.

    Raises DigestError only when the paths hold no paper at all: with the one problem
    when there was one, else a count.
    """
    loader = DigestLoader(paths, format)
    builder = LibraryBuilder()
    for batch in loader.batches():
        builder.add(batch)
    library = builder.library()
    library.skipped = loader.skipped
    library.warnings = loader.warnings + builder.warnings
    if not library.papers:
        raise no_papers_error(paths, library.skipped)
    return library


def no_papers_error(paths: Sequence[Path], skipped: Sequence[DigestWarning]) -> DigestError:
    """The one-line error for paths that hold no paper at all."""
    if len(skipped) == 1:
        only = skipped[0]
        return DigestError(only.path, only.message.removeprefix("skipped: "))
    where = ", ".join(str(path) for path in paths)
    return DigestError(where, f"no papers found ({len(skipped)} files skipped, e.g. {skipped[0]})"
                       if skipped else "no papers found")  # fmt: skip
