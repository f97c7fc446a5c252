"""Entries -> CSL-JSON, as Zotero exports a preprint and pandoc / citeproc read it.

One object per paper, in a JSON array::

    {"id": "engelken2024sparse",            the citation key ([@engelken2024sparse])
     "type": "article",                     CSL's type for a preprint (Zotero's mapping)
     "title": "Sparse chaos ...",           ``**word**`` -> ``<i>word</i>`` (CSL markup)
     "author": [{"family": "Engelken", "given": "Rainer"}, {"literal": "Gemma Team"}],
                                            (a list cut short ends with {"literal": "others"})
     "issued": {"date-parts": [[2024, 12, 30]]},
     "publisher": "arXiv", "number": "arXiv:2412.21188",
     "DOI": "10.48550/arXiv.2412.21188", "URL": "https://arxiv.org/abs/2412.21188",
     "abstract": "...", "keyword": "tag one, tag two", "note": "the user's note"}

A paper published at a conference (``Entry.published``) is ``paper-conference``, in
a journal ``article-journal``, with ``container-title``, ``volume``, ``page``, the
venue's year as ``issued`` and the published ``DOI``; the arXiv id stays as
``archive: arXiv`` and ``archive_location`` (``publisher``/``number`` are a
preprint's).

Text other than the title is plain (no CSL markup): ``<``, ``>`` and ``&`` in a title
are written as entities so that citeproc does not read them as markup.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .common import authors, doi, person

if TYPE_CHECKING:
    from . import Entry

__all__ = ["csl_item", "format_csl_json"]

_BOLD_RE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _one_line(text: str) -> str:
    return " ".join(_CONTROL_RE.sub(" ", text).split())


def _title(title: str) -> str:
    escaped = html.escape(_one_line(title), quote=False)
    return _BOLD_RE.sub(r"<i>\1</i>", escaped)


def csl_item(entry: Entry) -> dict[str, object]:
    paper = entry.paper
    item: dict[str, object] = {
        "id": entry.key,
        "type": "article",
        "title": _title(paper.title),
    }
    names = [person(name) for name in authors(paper)]
    if names and paper.authors_cut_short:
        # pandoc's reading of BibTeX's "and others"; citeproc prints it as "et al."
        names.append({"literal": "others"})
    if names:
        item["author"] = names
    if paper.date is not None:
        item["issued"] = {"date-parts": [[paper.date.year, paper.date.month, paper.date.day]]}
    published = entry.published
    if published is not None and published.kind in ("conference", "journal") and published.name:
        kind = published.kind
        item["type"] = "paper-conference" if kind == "conference" else "article-journal"
        item["container-title"] = _one_line(published.name)
        if kind == "journal" and _one_line(published.volume):
            item["volume"] = _one_line(published.volume)
        if _one_line(published.pages):
            item["page"] = _one_line(published.pages).replace("--", "-")
        if published.year is not None:
            item["issued"] = {"date-parts": [[published.year]]}
        item["archive"] = "arXiv"
        item["archive_location"] = f"arXiv:{paper.arxiv_id}"
    else:
        item["publisher"] = "arXiv"
        item["number"] = f"arXiv:{paper.arxiv_id}"
    has_doi = published is not None and published.doi
    item["DOI"] = _one_line(published.doi) if has_doi else doi(paper)
    item["URL"] = paper.abs_url
    if paper.abstract.strip():
        item["abstract"] = paper.abstract.strip()
    tags = [_one_line(tag) for tag in entry.tags if _one_line(tag)]
    if tags:
        item["keyword"] = ", ".join(tags)
    if entry.note.strip():
        item["note"] = entry.note.strip()
    return item


def format_csl_json(entries: Sequence[Entry]) -> str:
    items = [csl_item(entry) for entry in entries]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
