"""Labelled lines: ``Authors: ...`` in the markups and languages digests use.

``labelled(line) -> (field, value) | None``: the field a label names (``title``,
``authors``, ``abstract``, ``summary``, ``comments``, ``categories``, ``date``,
``type``, ``code``; ``other`` for any other label) and the value after it. Labels are
recognised as ``Authors: ...``, ``**Authors**: ...``, ``**Authors:** ...``,
``- **分类: cs.CL**``, ``> **作者：** ...``, ``<b>Authors:</b> ...``; a label is a
short name (at most four words) that starts the line, so ``https:`` and the
``arXiv:`` of a sentence are not labels. The pattern is tried once per label head (the
line up to its first colon and the marks after it), which a page repeats.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Label names -> the field they hold. Names are compared lower-cased, spaces squashed.
_NAMES = {
    "title": "title|标题|题目|titre|titel|タイトル|제목",
    "authors": "authors|author|作者|著者|저자|autores|auteurs|autoren|authors list|by",
    "abstract": "abstract|摘要|要旨|초록|résumé|zusammenfassung|аннотация|paper abstract"
    "|原文摘要|英文摘要",
    # (Not TL;DR: the AI-summary page has its own reader, and a forced generic reading
    # of it is told apart by giving none.)
    "summary": "summary|简介|概要|요약|要約|一句话总结|一句话要点|one-line summary|ai summary|总结",
    "comments": "comments|comment|备注|注释|note|notes|remarks",
    "categories": "categories|category|subjects|subject|分类|类别|primary category"
    "|main category|primary|arxiv category",
    "date": "date|published|submitted|publish date|发布日期|日期|发表日期|published date"
    "|submission date",
    "type": "type|announce type|类型|announcement",
    "code": "code|代码|github|repo|repository",
}
FIELD_OF_LABEL = {name: field for field, names in _NAMES.items() for name in names.split("|")}
_MARK = r"(?:\*\*|__|\*|_|<(?:b|strong)>|</(?:b|strong)>)"
# The label and the markup after its colon; the value is the rest of the line.
LABEL_RE = re.compile(
    rf"[ \t>*+\-]*(?:{_MARK}[ \t]*)?([^\W\d_](?:[^\W_]|[ ;'-]){{0,30}}?)[ \t]*"
    rf"(?:{_MARK}[ \t]*)?[:：][ \t]*(?:{_MARK}(?![^\s*_<]))?[ \t]*"
)


def labelled(line: str) -> tuple[str, str] | None:
    """``(field, value)`` when ``line`` starts with a label, else None."""
    colon = line.find(":")
    wide = line.find("：", 0, colon if colon >= 0 else len(line))
    colon = wide if wide >= 0 else colon
    if colon < 0:
        return None
    # LABEL_RE's match holds no colon before the line's first one, and after it only
    # blanks and a mark then one character more: the head up to there decides.
    after = line[colon + 1 : colon + 40]
    run = len(after) - len(after.lstrip(_AFTER_COLON))
    head = line[: colon + 2 + run] if run < len(after) else line
    found = _label_head(head)
    if found is None:
        return None
    end, field = found
    value = line[end:].rstrip(" \t")
    if value.endswith(("**", "__")):
        value = value[:-2].rstrip()
    return field, value


_AFTER_COLON = " \t*_</>bstrong"  # what LABEL_RE may take after the colon


@lru_cache(maxsize=1024)  # a page repeats a few label heads in every block
def _label_head(head: str) -> tuple[int, str] | None:
    """Where a label's value starts in a line that starts with ``head``, and its field."""
    label = LABEL_RE.match(head)
    if label is None:
        return None
    name = " ".join(label.group(1).lower().split())
    if name in ("http", "https") or name.count(" ") > 3:
        return None
    return label.end(), FIELD_OF_LABEL.get(name, "other")
