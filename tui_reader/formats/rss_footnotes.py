"""Digests built from arXiv's RSS feed: a summary table, then one footnote per paper.

    # 摘要

    | Ref | Title | Summary |
    | --- | --- | --- |
    | [^1] | [Functional Bilevel Optimization](https://arxiv.org/abs/2403.20233) | 一句话总结 |

    # 详细

    [^1]: 翻译的标题

        Functional Bilevel Optimization

        [https://arxiv.org/abs/2403.20233](https://arxiv.org/abs/2403.20233)

        一句话总结 (the TL;DR)

        翻译的摘要

        arXiv:2403.20233v1 Announce Type: cross  Abstract: The English abstract ...

A footnote's indented lines are its English title, its link, the TL;DR (to
``summary``), a translated abstract and the English abstract: after ``Abstract:`` on
the ``arXiv:ID Announce Type:`` line, or (older files) the last paragraph, with no
label. The announce type says cross-list or replacement; older titles end with
``(arXiv:2401.13009v1 [cs.LG])``, which gives the version and the category. Only the
footnote's own link and the table's say which paper it is: an id cited in an abstract
is not a paper. The translated title and abstract are not kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model import DigestRef, Paper
from .common import DigestWarning, LinePattern, Reading, default_ref, make_paper
from .ids import mentions
from .parts import CJK_RE, abstract_text, category_codes, title_text

NAME = "rss-footnotes"
DESCRIPTION = "RSS-built digests: | [^1] | [Title](url) | summary | table, then [^1]: sections"

_DETECT = LinePattern(r"\|[ \t]*\[\^\d+\][ \t]*\|[ \t]*\[")
_ROW_RE = re.compile(r"\|[ \t]*\[\^(\d+)\][ \t]*\|(.*)\|(.*)\|[ \t]*$")
_NOTE_RE = re.compile(r"\[\^(\d+)\]:[ \t]*(.*)$")
_OLD_TITLE_RE = re.compile(r"^(.*?)\.?[ \t]*\(arXiv:([^\s\[\]]+)[ \t]*\[([^\]]+)\]\)[ \t]*$")
_ANNOUNCE_RE = re.compile(
    r"arXiv:(\S+)[ \t]+Announce Type:[ \t]*(\S+)[ \t]+Abstract:[ \t]*(.*)$", re.S
)


def detect(head: str) -> bool:
    """A ``| [^1] | [Title](url) |`` row."""
    return _DETECT.search(head) is not None


def head_date(head: str) -> None:
    return None


def read(text: str, path: Path, ref: DigestRef | None = None) -> Reading:
    ref = ref or default_ref(path, None)
    lines = text.split("\n")
    rows: dict[str, tuple[int, str, str]] = {}  # footnote -> (line, title cell, summary)
    notes: dict[str, tuple[int, list[str]]] = {}  # footnote -> (line, its indented lines)
    number = 0
    while number < len(lines):
        line = lines[number]
        if line.startswith("|") and (row := _ROW_RE.match(line)):
            rows.setdefault(row.group(1), (number + 1, row.group(2), row.group(3)))
        elif line.startswith("[^") and (note := _NOTE_RE.match(line)):
            body = []
            following = number + 1
            while following < len(lines) and (
                not lines[following].strip() or lines[following][:1] in " \t"
            ):
                body.append(lines[following].strip())
                following += 1
            notes.setdefault(note.group(1), (number + 1, body))
            number = following
            continue
        number += 1
    reading = Reading([], [], None)
    papers: dict[str, Paper] = {}
    for key in [*rows, *(key for key in notes if key not in rows)]:
        paper = _paper(rows.get(key), notes.get(key), ref)
        line = (notes.get(key) or rows.get(key) or (0,))[0]
        if paper is None:
            reading.warnings.append(
                DigestWarning(path, line, f"footnote [^{key}] names no arXiv paper")
            )
        elif paper.arxiv_id not in papers:
            papers[paper.arxiv_id] = paper
            if not paper.abstract and key in notes:
                message = f"no English abstract found for {paper.arxiv_id}"
                reading.warnings.append(DigestWarning(path, line, message))
    reading.papers.extend(papers.values())
    return reading


def _paper(row: tuple[int, str, str] | None, note: tuple[int, list[str]] | None,
           ref: DigestRef) -> Paper | None:  # fmt: skip
    paragraphs = _paragraphs(note[1]) if note else []
    title, categories, version = paragraphs[0] if paragraphs else "", (), None
    if old := _OLD_TITLE_RE.match(title):
        title, categories = old.group(1), category_codes(old.group(3))
        version = _version(old.group(2))
    elif mentions(title):
        title = ""  # not a title: the link, when a footnote has no title line
    found = [m for p in paragraphs[1:3] for m in mentions(p)] if paragraphs else []
    if row is not None and not found:
        found = mentions(row[1])
    if not found:
        return None
    arxiv_id, version = found[0].arxiv_id, found[0].version or version
    if not title and row is not None:
        title = re.sub(r"\]\(.*$", "", row[1].strip().lstrip("[")).rstrip(". ")
    summary = paragraphs[2] if len(paragraphs) > 2 and not mentions(paragraphs[2]) else ""
    if not summary and row is not None:
        summary = row[2].strip()
    abstract, kind = _abstract(paragraphs[3:])
    if kind and (announced := _ANNOUNCE_RE.match(paragraphs[-1])):
        version = version or _version(announced.group(1))
    return make_paper(
        ref,
        arxiv_id,
        version,
        title_text(title) or f"arXiv:{arxiv_id}",
        (),
        None,
        *abstract_text(abstract),
        line=note[0] if note else row[0] if row else 0,
        categories=categories,
        summary=summary,
        cross_list="cross" in kind,
        replacement="replace" in kind,
    )


def _paragraphs(lines: list[str]) -> list[str]:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [" ".join(lines) for lines in paragraphs if lines]


def _abstract(paragraphs: list[str]) -> tuple[str, str]:
    """The English abstract and the announce type ("" for the older, unlabeled form)."""
    for paragraph in reversed(paragraphs):
        if announced := _ANNOUNCE_RE.match(paragraph):
            return announced.group(3), announced.group(2).lower()
    if paragraphs and not CJK_RE.search(paragraphs[-1]):
        return paragraphs[-1], ""
    return "", ""


def _version(versioned: str) -> int | None:
    found = re.search(r"v(\d+)$", versioned)
    return int(found.group(1)) if found else None
