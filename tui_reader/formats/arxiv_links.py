"""The generic reader: any page that shows arXiv ids, read by its own repetition.

A page repeats one block per paper (``blocks.find_units``: sections, list items,
table rows, HTML rows or articles, footnotes...). A block *presents* one id; the
other ids it mentions (in its abstract, its comments, "extended version of
arXiv:...") are citations, not papers, and lend it nothing. Which mention presents
the block's paper is learned: the place (line, label, markup, link or text) where
most blocks show an id.

Each field is then read the same way in every block, the way most blocks offer it
(``block_fields.Block``):

* title: the block's heading, a ``Title:`` label, the text of the link that shows
  the id, the first bold span, the first other link near the top, or the first line
  (only when most blocks' first lines are titles); list numbers (``3.``, ``1)``,
  ``[new 001]``) are not part of it. No title at all: ``arXiv:ID``;
* authors: an ``Authors:``/``作者`` label, an italic line of names, or the line of
  names at the same place after the title in most blocks; ``et al.`` is never a
  name (``Paper.authors_cut_short``);
* abstract: a ``<details>`` body, an ``Abstract:``/``摘要`` label (even mid-line), or
  the block's longest paragraph; an abstract that repeats the title and authors
  first (some pages paste arXiv's whole listing) starts after them;
* labelled comments, categories (also `` `cs.CV` ``), date, type (cross-list,
  replacement), summary, code link; the heading above the blocks as a topic when
  the page has several.

An id presented by several blocks (a paper under two topics) is one paper with all
its topics. Where most blocks have a field and one has not, a warning names the
paper and its line. ``head_date`` is the date of the YAML front matter or of the
page's first heading. ``detect`` is always true: this reader is tried last.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..model import DigestRef, Paper
from .block_fields import TITLE_KINDS, Block
from .blocks import find_units
from .common import DigestWarning, Reading, default_ref, make_paper, squash
from .ids import Mention, mentions
from .lines import Lines, line_numbers
from .loose_dates import loose_date
from .parts import (
    CATEGORY,
    abstract_text,
    author_names,
    category_codes,
    strip_links,
    title_text,
)

NAME = "arxiv-links"
DESCRIPTION = "any page that shows arXiv ids (links, arXiv:ID, data-arxiv-id...): the fallback"

_TITLE_KINDS = TITLE_KINDS
_SAMPLE = 32  # blocks that teach the page's ways
_AUTHOR_KINDS = ("label", "italic", "plain:0", "plain:1", "plain:2", "cell")
_ABSTRACT_KINDS = ("details", "label", "inline", "longest")
_FRONT_DATE_RE = re.compile(r"^date:[ \t]*[\"']?(\d{4}-\d{2}-\d{2})", re.MULTILINE)
_HEAD_LINE_RE = re.compile(r"^(?:#{1,3}[ \t]|<h[1-3]|<title>)|\bupdated\b", re.I)
_SUBJECT_RE = re.compile(rf"\({CATEGORY}\)")  # the "(gr-qc)" that ends a subject's name
_PREFIX_RE = re.compile(r"^\s*\[(new|replaced|cross(?:-list)?|replace-cross)\b", re.I)


def detect(head: str) -> bool:
    return True


def head_date(head: str) -> dt.date | None:
    """The date in YAML front matter, else in one of the page's first headings or its
    "Updated" line."""
    if head.startswith("---"):
        end = head.find("\n---", 3)
        front = _FRONT_DATE_RE.search(head, 0, end if end > 0 else 2000)
        if front:
            return loose_date(front.group(1))
    for line in head[:4000].split("\n")[:40]:
        if _HEAD_LINE_RE.search(line.lstrip("> ")):
            date = loose_date(line)
            if date:
                return date
    return None


def read(text: str, path: Path, ref: DigestRef | None = None) -> Reading:
    date = head_date(text[:65536])
    ref = ref or default_ref(path, date)
    found = mentions(text)
    if not found:
        return Reading([], [], date)
    page = Lines(text)
    lines_of = line_numbers(text, [m.start for m in found])
    blocks = []
    for unit in find_units(text, page, found, lines_of):
        base = page.offsets[unit.first]
        low, high = bisect_left(lines_of, unit.first), bisect_left(lines_of, unit.end)
        moved = [
            Mention(m.start - base, m.end - base, m.arxiv_id, m.version, m.kind, m.odd_version)
            for m in found[low:high]
        ]
        first = unit.first
        blocks.append(Block(unit, page, moved, [line - first for line in lines_of[low:high]]))
    shown = _presented([block for block in blocks if block.found])
    reading = Reading([], [], date)
    _Papers(shown, path, ref, reading).build()
    reading.warnings.extend(_absurd_versions(found, lines_of, path))
    return reading


def _absurd_versions(found: list[Mention], lines_of: list[int], path: Path):
    """A warning for each mention whose version ``version_number`` dropped."""
    for mention, line in zip(found, lines_of, strict=True):
        if mention.odd_version:
            yield DigestWarning(path, line + 1, f"{mention.arxiv_id}: {mention.odd_version}")


def _presented(blocks: list[Block]) -> list[tuple[Block, Mention]]:
    """Each block with a mention of the id it presents (``Unit.arxiv_id``): a link to
    it where there is one (its text may be the title)."""
    shown = []
    for block in blocks:
        own = [m for m in block.found if m.arxiv_id == block.unit.arxiv_id]
        if own:
            shown.append((block, next((m for m in own if m.kind == "link"), own[0])))
    return shown


def _learned(kinds: tuple[str, ...], size: int, least: float, offered: Callable[[str], int],
             most: Callable[[str], int] | None = None) -> str:  # fmt: skip
    """The kind most of the ``size`` sample blocks offer (ties: the first in ``kinds``),
    if at least ``least`` of them do; else "". ``offered(kind)``: how many blocks offer
    it. A kind that cannot beat the best so far (``most(kind)`` blocks at most, else
    ``size``) is not counted: a page whose every block has a heading is not asked for
    its bold spans."""
    best, count = "", 0
    for kind in kinds:
        if count >= (most(kind) if most else size):
            continue  # (a tie goes to the kind before)
        found = offered(kind)
        if found > count:
            best, count = kind, found
    return best if count and count >= least * size else ""


def _title(block: Block, shown: Mention, kind: str) -> tuple[str, int]:
    """The block's title the learned way, else the first way it offers (not its first
    line, which only a page that writes every title so is read by); ("", -1) if none."""
    if kind:
        found = block.title(kind, shown)
        if found is not None:
            return found
    for other in _TITLE_KINDS[:-1]:
        found = block.title(other, shown)
        if found is not None:
            return found
    return "", -1


def _learned_authors(sample: list[tuple[Block, Mention]], lines: list[int], least: float) -> str:
    """How the sample's blocks give their authors (``Block.author``'s kinds): a label,
    else the line of names after the title (its kind), else a cell of names."""
    labelled = [block.field("authors") is not None for block, _ in sample]
    named: list[str] = []

    def offered(kind: str) -> int:
        if kind == "label":
            return sum(labelled)
        if kind == "cell":
            return sum(
                block.author_cell() is not None
                for (block, _), label in zip(sample, labelled, strict=True)
                if not label
            )
        if not named:  # every line of names, asked once
            for (block, _), line, label in zip(sample, lines, labelled, strict=False):
                found = None if label else block.author_line(line)
                named.append(found[0] if found else "")
        return named.count(kind)

    unlabelled = len(sample) - sum(labelled)
    tabled = -1  # the unlabelled blocks that have cells: no more offer a cell of names

    def most(kind: str) -> int:
        nonlocal tabled
        if kind == "label":
            return len(sample)
        if kind == "cell" and tabled < 0:
            tabled = sum(
                block.has_cells()
                for (block, _), label in zip(sample, labelled, strict=True)
                if not label
            )
        return tabled if kind == "cell" else unlabelled

    return _learned(_AUTHOR_KINDS, len(sample), least, offered, most)


class _Papers:
    """The papers of the presented blocks, each field read the way the page writes it."""

    def __init__(self, shown: list[tuple[Block, Mention]], path: Path, ref: DigestRef,
                 reading: Reading) -> None:  # fmt: skip
        self.shown, self.path, self.ref, self.reading = shown, path, ref, reading
        # Learned from a sample of the blocks, spread over the page; then each block is
        # asked for the learned way (and for the others only when it has none). A block
        # remembers what it was asked, so the sample's blocks are not read twice.
        step = max(1, len(shown) // _SAMPLE)
        sample = shown[::step]
        size = len(sample)
        least = 0.3 if size > 2 else 0

        def titled(kind: str) -> int:
            return sum(block.title(kind, mention) is not None for block, mention in sample)

        self.title_kind = kind = _learned(_TITLE_KINDS, size, 0.5, titled)
        self.titles = [_title(block, mention, kind) for block, mention in shown]
        lines = [max(line, 0) for _, line in self.titles]
        self.author_kind = kind = _learned_authors(sample, lines[::step], least)
        self.authors = [
            block.author(kind, line) for (block, _), line in zip(shown, lines, strict=True)
        ]
        excluded = [
            (title, author[0] if author else "")
            for (title, _), author in zip(self.titles, self.authors, strict=True)
        ]

        def abstracted(kind: str) -> int:
            if kind == "longest":
                return sum(
                    bool(block.longest_abstract(exclude))
                    for (block, _), exclude in zip(sample, excluded[::step], strict=False)
                )
            return sum(block.marked(kind) is not None for block, _ in sample)

        def most(kind: str) -> int:  # (only a block with "<d" can have a <details>)
            if kind == "details":
                return sum(block.may_have_details() for block, _ in sample)
            return size

        self.abstract_kind = kind = _learned(_ABSTRACT_KINDS, size, least, abstracted, most)
        self.abstracts = [
            block.abstract(kind, exclude)
            for (block, _), exclude in zip(shown, excluded, strict=True)
        ]
        parents = {block.unit.parent for block, _ in shown if block.unit.parent}
        self.topical = len(parents) >= 2

    def build(self) -> None:
        papers: dict[str, Paper] = {}
        for index, (block, mention) in enumerate(self.shown):
            paper = self._paper(index, block, mention)
            known = papers.get(paper.arxiv_id)
            if known is None:
                papers[paper.arxiv_id] = paper
            else:
                papers[paper.arxiv_id] = _merged(known, paper)
        self.reading.papers.extend(papers.values())

    def _paper(self, index: int, block: Block, mention: Mention) -> Paper:
        arxiv_id = mention.arxiv_id
        line = block.unit.first + 1
        raw_title = self.titles[index][0]
        title = title_text(raw_title) if raw_title else ""
        if not title and self.title_kind:
            self._warn(line, f"no title found for {arxiv_id}; shown as arXiv:{arxiv_id}")
        author = self.authors[index]
        names, cut_short = author_names(author[0]) if author else ((), False)
        if not names and self.author_kind:
            self._warn(line, f"no authors found for {arxiv_id} ({title or 'no title'})")
        raw = self.abstracts[index]
        abstract, bold = abstract_text(raw) if raw else ("", ())
        if abstract and title:
            abstract, bold = _without_preamble(abstract, bold, title, names)
        if not abstract and self.abstract_kind:
            self._warn(line, f"no abstract found for {arxiv_id} ({title or 'no title'})")
        version = mention.version or max(
            (m.version or 0 for m in block.found if m.arxiv_id == arxiv_id), default=0
        )
        kind = (block.field("type") or ("", 0))[0].lower()
        prefix = _PREFIX_RE.match(raw_title)
        if prefix:
            kind += " " + prefix.group(1).lower()
        return make_paper(
            self.ref,
            arxiv_id,
            version or None,
            title or f"arXiv:{arxiv_id}",
            names,
            _date(block),
            abstract,
            bold,
            line=line,
            categories=_categories(block, mention),
            comments=_text(block.field("comments")),
            summary=_summary(block),
            code_url=_code(block),
            # A page listed by announcement ([new 001], [replaced 003]) has no topics.
            topics=(title_text(block.unit.parent),)
            if self.topical and block.unit.parent and not prefix
            else (),
            cross_list="cross" in kind,
            replacement="replace" in kind,
            authors_cut_short=cut_short,
        )

    def _warn(self, line: int, message: str) -> None:
        self.reading.warnings.append(DigestWarning(self.path, line, message))


def _merged(known: Paper, again: Paper) -> Paper:
    """A paper presented twice: the first reading, its gaps filled by the second."""
    topics = tuple(dict.fromkeys(known.topics + again.topics))
    changes: dict[str, object] = {"topics": topics}
    if not known.abstract and again.abstract:
        changes.update(
            abstract=again.abstract, bold_spans=again.bold_spans, keywords=again.keywords
        )
    if not known.authors and again.authors:
        changes.update(authors=again.authors, authors_cut_short=again.authors_cut_short)
    if (again.version or 0) > (known.version or 0):
        changes.update(version=again.version, url=again.url)
    return replace(known, **changes)  # type: ignore[arg-type]


def _without_preamble(abstract: str, bold: tuple, title: str, names: tuple[str, ...]) -> tuple:
    """An abstract that starts with the title and the authors (and the comments and
    subjects, as arXiv's listing page has them) from where the abstract itself starts."""
    joined = ", ".join(names)
    if not names or not abstract.startswith(title):
        return abstract, bold
    rest = abstract[len(title) :].lstrip()
    if not rest.startswith(joined):
        return abstract, bold
    cut = len(abstract) - len(rest) + len(joined)
    subjects = [m.end() for m in _SUBJECT_RE.finditer(abstract, cut, cut + 800)]
    if subjects:
        cut = subjects[-1]
    rest = abstract[cut:].lstrip(" .;:")
    if not rest:
        return abstract, bold
    shift = len(abstract) - len(rest)
    return rest, tuple((s - shift, e - shift) for s, e in bold if s >= shift)


def _text(found: tuple[str, int] | None) -> str:
    return squash(strip_links(found[0])) if found else ""


def _date(block: Block) -> dt.date | None:
    found = block.field("date")
    return loose_date(found[0]) if found else None


def _categories(block: Block, shown: Mention) -> tuple[str, ...]:
    """A ``Categories:`` label's codes, else the `` `cs.CV` `` codes near the top, else
    the codes on the line that shows the id (``arXiv: 2507.11111 · cs.DS``)."""
    found = block.field("categories")
    codes = category_codes(found[0]) if found else ()
    if not codes and (written := block.codes()):
        codes = category_codes(" ".join(written))
    if not codes:
        start = block.text.rfind("\n", 0, shown.start) + 1
        end = block.text.find("\n", shown.end)
        codes = category_codes(strip_links(block.text[start : end if end >= 0 else None]))
    return codes


def _summary(block: Block) -> str:
    found = block.field("summary")
    if not found:
        return ""
    return abstract_text(block.labelled_block(found[1], found[0]))[0].replace("**", "")


def _code(block: Block) -> str:
    found = block.field("code")
    if found:
        url = re.search(r"https://\S+?(?=[)\]\s]|$)", found[0])
        if url:
            return url.group(0)
    return block.code_url()
