"""Digest files that change while the app is open -> the new library, and what changed.

The app shows one record per arXiv id, by index (``Triage.papers``: an index names one
paper for the whole session, so a selection, search hits and scores stay valid).
``OpenDigests`` keeps, beside those records, every open digest file as it was read,
and merges them again when files come, change or go.

API
---
``FileReading(path, papers, warnings=(), date_guessed=False)``
    One digest file as read: its papers in file order (each with ``source`` its
    digest). ``FileReading.parsed(ParsedDigest)`` from ``digest.parse_digest``;
    ``readings_by_file(papers)`` regroups the loader's papers (as each file gave them)
    per file.
``OpenDigests(readings, papers, digests=())``
    The files read at start-up, the records the app shows (by index) and its digests.
    ``update(read=(), removed=()) -> LibraryUpdate`` puts in files read again or for the
    first time and takes out removed ones. ``files`` maps each open file's path to its
    reading; ``records`` mirrors ``Triage.papers`` once the update is applied.
``LibraryUpdate``
    ``added`` (new records, at the next indices), ``replaced`` ((index, record)),
    ``gone`` (every index in no open digest), ``entering`` (indices back or new),
    ``leaving`` (indices gone with this update), ``place`` (each index's rank in
    digest order; None while index order is digest order), ``digests`` (oldest first),
    ``changes`` (a ``FileChange`` per file worth a word). ``empty`` when nothing the
    app holds changed (a file touched, or written again the same).
``describe(changes) -> str``
    The toast: a line per file ("2025-01-10: 38 new papers"), or for many files one
    line per kind ("50 new digests: 1,900 new papers").

Rules
-----
* The merge is the loader's (``digest.LibraryBuilder``): digests oldest first (the
  order ``DigestLoader`` reads them in), a paper sits where it first appeared, the
  newest version wins, and its record names every open digest it is in.
* A record never changes index. A paper in no open digest any more is *gone*: out of
  the view and the counts, its read / star / note / tag state untouched in the store;
  a digest that brings it back brings back its index.
* A digest's label names its file where another open digest has its date, or its
  date was guessed from its papers; a file arriving with an open digest's date
  relabels both. (For files read at start-up a shared date is taken to explain the
  name: a guessed date that is also shared counts as not guessed.)
* A file and a file that is gone in the same update with the same papers is a rename.
* ``updated`` counts records whose content changed, not those whose line numbers or
  digest moved.

Nothing here imports Textual; ``update`` runs in a worker thread, which alone touches
the ``OpenDigests`` while the UI thread applies the result to its ``Triage``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .digest import LibraryBuilder, ParsedDigest, _ordered
from .formats.common import DigestWarning
from .model import DigestRef, Paper

__all__ = [
    "FileChange",
    "FileReading",
    "LibraryUpdate",
    "OpenDigests",
    "describe",
    "readings_by_file",
]

SAID_ONE_BY_ONE = 3  # files in one update named one by one; more are summed up


@dataclass(frozen=True, slots=True)
class FileReading:
    """One digest file as read: papers in file order, its own warnings."""

    path: Path
    papers: tuple[Paper, ...]
    warnings: tuple[DigestWarning, ...] = ()
    date_guessed: bool = False  # the date came from the papers (no date line, none in the name)

    @property
    def date(self) -> dt.date | None:
        return self.papers[0].source.date if self.papers else None

    @classmethod
    def parsed(cls, parsed: ParsedDigest) -> FileReading:
        """From ``parse_digest``: read alone, a digest names its file only when its date
        was guessed."""
        return cls(parsed.ref.path, tuple(parsed.papers), tuple(parsed.warnings),
                   parsed.ref.named)  # fmt: skip

    def ids(self) -> list[str]:
        return [paper.arxiv_id for paper in self.papers]


def readings_by_file(papers: Iterable[Paper]) -> list[FileReading]:
    """Papers as the loader read them (each file's papers together) -> one reading per
    file, under its absolute path. A label naming its file with no other file of that
    date counts as guessed."""
    grouped: dict[Path, list[Paper]] = {}
    for paper in papers:
        grouped.setdefault(paper.source.path, []).append(paper)
    shared = Counter(group[0].source.date for group in grouped.values())
    return [
        FileReading(Path(os.path.abspath(path)), tuple(group),
                    date_guessed=group[0].source.named and shared[group[0].source.date] < 2)
        for path, group in grouped.items()
    ]  # fmt: skip


@dataclass(frozen=True, slots=True)
class FileChange:
    """What one file brought or took away, for the toast."""

    kind: str  # "new", "changed", "removed" or "renamed"
    label: str  # the digest's label (its date, with its file name where needed)
    new: int = 0  # papers that came into the library with it
    gone: int = 0  # papers that left the library with it
    updated: int = 0  # papers whose record changed (a new version, a corrected abstract)
    kept: int = 0  # new: papers that were open already; removed: papers other digests keep
    renamed_from: str = ""  # renamed: the file's old name


@dataclass(frozen=True, slots=True)
class LibraryUpdate:
    added: tuple[Paper, ...] = ()
    replaced: tuple[tuple[int, Paper], ...] = ()
    gone: frozenset[int] = frozenset()
    entering: tuple[int, ...] = ()
    leaving: tuple[int, ...] = ()
    place: list[int] | None = None
    digests: tuple[DigestRef, ...] = ()
    changes: tuple[FileChange, ...] = ()
    digests_changed: bool = False

    @property
    def empty(self) -> bool:
        return not (self.added or self.replaced or self.entering or self.leaving
                    or self.digests_changed)  # fmt: skip


class OpenDigests:
    """The open digest files and the records shown for them, by index."""

    def __init__(self, readings: Iterable[FileReading], papers: Sequence[Paper],
                 digests: Sequence[DigestRef] = ()) -> None:  # fmt: skip
        self.files: dict[Path, FileReading] = {reading.path: reading for reading in readings}
        self.records: list[Paper] = list(papers)
        self._index_of = {paper.arxiv_id: index for index, paper in enumerate(self.records)}
        self.gone: frozenset[int] = frozenset()
        self.digests: tuple[DigestRef, ...] = tuple(digests)

    def update(self, read: Iterable[FileReading] = (), removed: Iterable[Path] = ()
               ) -> LibraryUpdate:  # fmt: skip
        before = dict(self.files)
        for path in removed:
            self.files.pop(path, None)
        for reading in read:
            self.files[reading.path] = reading
        merged, digests = self._merge()
        records, index_of = self.records, self._index_of
        added: list[Paper] = []
        replaced: list[tuple[int, Paper]] = []
        ranks = [-1] * len(records)  # each index's rank in the merge; -1: in no digest
        for rank, paper in enumerate(merged):
            index = index_of.get(paper.arxiv_id)
            if index is None:
                index_of[paper.arxiv_id] = len(records)
                records.append(paper)
                added.append(paper)
                ranks.append(rank)
                continue
            record = records[index]
            if record is not paper and record != paper:
                replaced.append((index, paper))
                records[index] = paper
            ranks[index] = rank
        first_new = len(records) - len(added)
        old_gone = self.gone
        gone = frozenset(index for index in range(first_new) if ranks[index] < 0)
        entering = (*sorted(old_gone - gone), *range(first_new, len(records)))
        leaving = tuple(sorted(gone - old_gone))
        self.gone = gone
        place: list[int] | None = None
        present = [rank for rank in ranks if rank >= 0]
        if present != sorted(present):
            # An older digest came (or a paper's home went): digest order is not index order.
            place = [rank if rank >= 0 else len(merged) + index
                     for index, rank in enumerate(ranks)]  # fmt: skip
        changed_ids = {paper.arxiv_id for _, paper in replaced}
        changes = _changes(before, self.files, changed_ids, index_of, set(entering),
                           set(leaving))  # fmt: skip
        old_digests, self.digests = self.digests, tuple(digests)
        return LibraryUpdate(
            added=tuple(added),
            replaced=tuple(replaced),
            gone=gone,
            entering=entering,
            leaving=leaving,
            place=place,
            digests=self.digests,
            changes=tuple(changes),
            digests_changed=old_digests != self.digests,
        )

    def _merge(self) -> tuple[list[Paper], list[DigestRef]]:
        """Every open file's papers merged as the loader merges them."""
        files = self.files
        shared = Counter(reading.date for reading in files.values() if reading.date)
        for path, reading in files.items():
            if not reading.papers:
                continue
            date, source = reading.date, reading.papers[0].source
            ref = DigestRef(date, source.path, named=reading.date_guessed or shared[date] > 1)
            if source != ref:  # relabelled: another file has (or no longer has) its date
                files[path] = replace(reading, papers=tuple(
                    replace(paper, source=ref, digests=(ref,)) for paper in reading.papers
                ))  # fmt: skip
        builder = LibraryBuilder()
        for path in _ordered({path: reading.date for path, reading in files.items()}):
            builder.add(files[path].papers)
        return builder.papers, list(dict.fromkeys(builder.digests))


def _changes(
    before: dict[Path, FileReading],
    after: dict[Path, FileReading],
    replaced: set[str],
    index_of: dict[str, int],
    entering: set[int],
    leaving: set[int],
) -> list[FileChange]:
    """A ``FileChange`` per file worth a word; each paper counted for one file only."""
    told: set[int] = set()

    def label_of(reading: FileReading) -> str:
        return reading.papers[0].source.label if reading.papers else reading.path.name

    def count(ids: Iterable[str], among: set[int]) -> int:
        found = 0
        for arxiv_id in ids:
            index = index_of[arxiv_id]
            if index in among and index not in told:
                told.add(index)
                found += 1
        return found

    removed = [path for path in before if path not in after]
    arrived = [path for path in after if path not in before]
    changes: list[FileChange] = []
    renamed: set[Path] = set()
    for path in arrived:
        old = next((gone for gone in removed if gone not in renamed
                    and before[gone].ids() == after[path].ids()), None)  # fmt: skip
        if old is not None:
            renamed.add(old)
            count(after[path].ids(), entering)
            changes.append(FileChange("renamed", label_of(after[path]), renamed_from=old.name))
            continue
        ids = after[path].ids()
        new = count(ids, entering)
        changes.append(FileChange("new", label_of(after[path]), new=new,
                                  kept=len(set(ids)) - new))  # fmt: skip
    for path in after:
        if path in before and before[path] is not after[path]:
            old_ids, ids = before[path].ids(), after[path].ids()
            dropped = set(old_ids) - set(ids)
            change = FileChange("changed", label_of(after[path]),
                                new=count(ids, entering), gone=count(dropped, leaving),
                                updated=_updated(before[path], after[path], replaced, told,
                                                 index_of))  # fmt: skip
            if change.new or change.gone or change.updated:
                changes.append(change)
    for path in removed:
        if path in renamed:
            continue
        ids = set(before[path].ids())
        gone = count(ids, leaving)
        changes.append(FileChange("removed", label_of(before[path]), gone=gone,
                                  kept=len(ids) - gone))  # fmt: skip
    return changes


def _updated(old: FileReading, new: FileReading, replaced: set[str], told: set[int],
             index_of: dict[str, int]) -> int:  # fmt: skip
    """Papers of a file read again whose content changed (not only their line)."""
    was = {paper.arxiv_id: paper for paper in old.papers}
    updated = 0
    for paper in new.papers:
        earlier = was.get(paper.arxiv_id)
        index = index_of[paper.arxiv_id]
        if earlier is None or paper.arxiv_id not in replaced or index in told:
            continue
        if replace(earlier, line=paper.line, source=paper.source, digests=paper.digests) != paper:
            told.add(index)
            updated += 1
    return updated


def _papers(count: int, adjective: str = "") -> str:
    noun = "paper" if count == 1 else "papers"
    return f"{count:,} {adjective + ' ' if adjective else ''}{noun}"


def _line(change: FileChange) -> str:
    if change.kind == "renamed":
        return f"{change.renamed_from} renamed: now {change.label}"
    if change.kind == "new":
        if not change.new:
            return f"{change.label}: no new papers ({change.kept:,} already open)"
        also = f" ({change.kept:,} already open)" if change.kept else ""
        return f"{change.label}: {_papers(change.new, 'new')}{also}"
    if change.kind == "removed":
        kept = f"; {change.kept:,} stay, in other digests" if change.kept else ""
        return f"{change.label} removed: {_papers(change.gone)} left the view{kept}"
    parts = [_papers(change.new, "new")] if change.new else []
    if change.updated:
        parts.append(f"{change.updated:,} updated")
    if change.gone:
        parts.append(f"{change.gone:,} removed")
    return f"{change.label} changed: {', '.join(parts)}"


def describe(changes: Sequence[FileChange]) -> str:
    """What arrived, changed or left, for one toast."""
    if len(changes) <= SAID_ONE_BY_ONE:
        return "\n".join(_line(change) for change in changes)
    lines = []
    by_kind: dict[str, list[FileChange]] = {}
    for change in changes:
        by_kind.setdefault(change.kind, []).append(change)
    for kind, group in by_kind.items():
        files = f"{len(group):,} digest{'s' if len(group) > 1 else ''}"
        new, gone = sum(c.new for c in group), sum(c.gone for c in group)
        updated = sum(c.updated for c in group)
        if kind == "new":
            lines.append(f"{len(group):,} new digests: {_papers(new, 'new')}")
        elif kind == "removed":
            lines.append(f"{files} removed: {_papers(gone)} left the view")
        elif kind == "renamed":
            lines.append(f"{files} renamed")
        else:
            said = [_papers(new, "new")] if new else []
            said += [f"{updated:,} updated"] if updated else []
            said += [f"{gone:,} removed"] if gone else []
            lines.append(f"{files} changed: {', '.join(said)}")
    return "\n".join(lines)
