"""The widely forked AI-summary daily page (papers with a TL;DR and labelled sections).

    # cs.CV [[Back]](#toc)

    ### [1] [Seeing Through Fog: Depth Priors for Dehazing at Night](https://arxiv.org/abs/2506.07001)
    *Anouk de Vries,Kenji Mori,Sofia Russo*

    Main category: cs.CV

    **TL;DR**: A night-time dehazing network ...

    <details>
      <summary>Details</summary>
    Motivation: ...
    Abstract: We study dehazing ..., hard-wrapped.
    </details>

The TL;DR goes to ``summary``, ``Main category:`` to ``categories`` (else the ``# cs.XX``
heading above), the ``Abstract:`` section to ``abstract``. The page has no date and
the papers none either.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model import DigestRef, Paper, absurd_version, version_number
from .common import (
    ARXIV_REF_RE,
    DigestWarning,
    LinePattern,
    Reading,
    default_ref,
    join_wrapped,
    make_paper,
    plain_title,
    split_authors,
)

NAME = "ai-summary"
DESCRIPTION = "the AI-summary daily page: ### [n] [Title](url), *authors*, TL;DR, <details>"

_PAPER_RE = re.compile(r"###[ \t]+\[\d+\][ \t]*\[(.+)\]\((\S+)\)[ \t]*$", re.MULTILINE)
_CATEGORY_HEADING_RE = re.compile(r"#[ \t]+([a-z\-]+(?:\.[A-Za-z\-]+)?)\b")
# Searched in a paper's body, which starts with the heading's line break: a literal
# "\n" first (not ^ in MULTILINE mode) lets the regex engine skip from line to line.
_TLDR_RE = re.compile(r"\n\*\*TL;DR\*\*[ \t]*:?[ \t]*(.*)$", re.MULTILINE | re.IGNORECASE)
_MAIN_CATEGORY_RE = re.compile(r"\nMain category:[ \t]*(\S+)", re.IGNORECASE)
_ABSTRACT_RE = re.compile(r"\n[ \t]*Abstract:[ \t]*(.*)$", re.MULTILINE)
_SECTION_END_RE = re.compile(r"\n[ \t]*(?:\n|</details>|[A-Z][a-z]+:[ \t])")
_HEADING_LINE, _PAPER_LINE = LinePattern("#"), LinePattern("###")


def detect(head: str) -> bool:
    """A ``### [n] [Title](arXiv link)`` heading."""
    for start in _PAPER_LINE.starts(head):
        found = _PAPER_RE.match(head, start)
        if found and ARXIV_REF_RE.search(found.group(2)):
            return True
    return False


def head_date(head: str) -> None:
    return None


def read(text: str, path: Path, ref: DigestRef | None = None) -> Reading:
    ref = ref or default_ref(path, None)
    reading = Reading([], [], None)
    headings, categories = _headings(text)
    section: list[str] = []
    line, counted = 1, 0
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        line += text.count("\n", counted, heading.start())
        counted = heading.start()
        while categories and categories[0].start() < heading.start():
            section = [categories.pop(0).group(1)]
        id_match = ARXIV_REF_RE.search(heading.group(2))
        if id_match is None:
            message = f"no arXiv id in {heading.group(2)!r}"
            reading.warnings.append(DigestWarning(path, line, message))
            continue
        paper = _paper(text[heading.end() : end], heading, id_match, section, ref, line)
        reading.papers.append(paper)
        if absurd := absurd_version(id_match.group(2)):
            reading.warnings.append(DigestWarning(path, line, f"{paper.title!r}: {absurd}"))
        if not paper.abstract:
            reading.warnings.append(DigestWarning(path, line, f"{paper.title!r} has no abstract"))
    return reading


def _headings(text: str) -> tuple[list[re.Match[str]], list[re.Match[str]]]:
    """The paper headings and the category headings, found line start by line start."""
    papers, categories = [], []
    for start in _HEADING_LINE.starts(text):
        if text.startswith("###", start):
            if found := _PAPER_RE.match(text, start):
                papers.append(found)
        elif found := _CATEGORY_HEADING_RE.match(text, start):
            categories.append(found)
    return papers, categories


def _paper(
    body: str,
    heading: re.Match[str],
    id_match: re.Match[str],
    section: list[str],
    ref: DigestRef,
    line: int,
) -> Paper:
    authors: tuple[str, ...] = ()
    for raw in body.lstrip("\n").split("\n", 3)[:3]:
        candidate = raw.strip()
        if (
            len(candidate) > 2
            and candidate[0] == "*"
            and candidate[-1] == "*"
            and candidate[1] != "*"
        ):
            authors = split_authors(candidate.strip("*"), ",")
            break
    main = _MAIN_CATEGORY_RE.search(body)
    tldr = _TLDR_RE.search(body)
    summary = _until_blank(body, tldr.start(1)) if tldr else ""
    found = _ABSTRACT_RE.search(body)
    abstract = _until_blank(body, found.start(1)) if found else ""
    version = id_match.group(2)
    return make_paper(
        ref,
        id_match.group(1),
        version_number(version),
        plain_title(heading.group(1)),
        authors,
        None,
        abstract,
        line=line,
        categories=(main.group(1),) if main else tuple(section),
        summary=summary,
    )


def _until_blank(body: str, start: int) -> str:
    """The text from ``start`` to the next blank line, ``</details>`` or labelled line."""
    end = _SECTION_END_RE.search(body, start)
    return join_wrapped(body[start : end.start() if end else len(body)])
