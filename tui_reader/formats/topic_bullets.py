"""Topic lists: one bullet per paper under ``## Topic`` headings, no abstracts.

    > Updated on 2025.06.06

    ## SLAM

    - 2025-06-05, **Loop Closure, Revisited**, Hana Novak et.al., Paper: [http://arxiv.org/
      abs/2506.04410v1](http://arxiv.org/abs/2506.04410v1), Code: **[https://github.com/x/y]
      (https://github.com/x/y)**          (one line)

The page of the topic tables (``topic_table``) as a list. The title is the bold span
before the authors (it may hold commas), never the code link; the date is the
paper's; only the first author is known (``et.al.``: the list is cut short). A paper
under several topics is one paper with all of them (as ``topics`` and ``keywords``).
``Updated on`` is the digest's date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

from ..model import DigestRef, Paper
from .common import DigestWarning, LinePattern, Reading, default_ref, make_paper, parse_date
from .ids import mentions
from .parts import author_names, title_text

NAME = "topic-bullets"
DESCRIPTION = "topic lists: - date, **Title**, First Author et.al., Paper: [url](url), Code: ..."

_ITEM = r"[-*+][ \t]+(\d{4}-\d{2}-\d{2}),[ \t]*\*\*(.+)\*\*,[ \t]*(.*?),[ \t]*Paper:[ \t]*"
_ITEM_RE = re.compile(_ITEM + r"(.*?)(?:,[ \t]*Code:[ \t]*(.*?))?[ \t]*$")
_DETECT = LinePattern(_ITEM)
_UPDATED_RE = re.compile(r"^[>#\s]*Updated on[ \t]+(\d{4})[.\-/](\d{2})[.\-/](\d{2})", re.I | re.M)
_HEADING_RE = re.compile(r"#{1,6}[ \t]+(.*?)[ \t#]*$")
_URL_RE = re.compile(r"https://[^\s)\]*]+")


def detect(head: str) -> bool:
    """A ``- YYYY-MM-DD, **Title**, Author, Paper:`` line."""
    return _DETECT.search(head) is not None


def head_date(head: str) -> dt.date | None:
    match = _UPDATED_RE.search(head)
    return parse_date("-".join(match.groups())) if match else None


def read(text: str, path: Path, ref: DigestRef | None = None) -> Reading:
    date = head_date(text[:65536])
    ref = ref or default_ref(path, date)
    reading = Reading([], [], date)
    papers: dict[str, Paper] = {}
    topic = ""
    for number, line in enumerate(text.split("\n"), 1):
        first = line[:1]
        if first == "#":
            heading = _HEADING_RE.match(line)
            if heading and not heading.group(1).lower().startswith("updated on"):
                topic = title_text(heading.group(1))
            continue
        if first not in "-*+" or "Paper:" not in line:
            continue
        item = _ITEM_RE.match(line)
        found = mentions(item.group(4)) if item else []
        if not item or not found:
            reading.warnings.append(
                DigestWarning(path, number, "a list item that names no arXiv paper")
            )
            continue
        arxiv_id = found[0].arxiv_id
        known = papers.get(arxiv_id)
        if known is not None:
            if topic and topic not in known.topics:
                topics = (*known.topics, topic)
                papers[arxiv_id] = _with_topics(known, topics)
            continue
        names, cut_short = author_names(item.group(3))
        code = _URL_RE.search(item.group(5) or "")
        topics = (topic,) if topic else ()
        papers[arxiv_id] = make_paper(
            ref,
            arxiv_id,
            found[0].version,
            title_text(item.group(2)),
            names,
            parse_date(item.group(1)),
            line=number,
            keywords=topics,
            topics=topics,
            code_url=code.group(0) if code else "",
            authors_cut_short=cut_short,
        )
    reading.papers.extend(papers.values())
    return reading


def _with_topics(paper: Paper, topics: tuple[str, ...]) -> Paper:
    return replace(paper, topics=topics, keywords=topics)
