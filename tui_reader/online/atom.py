"""arXiv API answers (Atom XML) -> ``ArxivRecord``s, read defensively.

``parse_feed(data: bytes) -> Feed``: ``Feed.records`` (one per paper entry, by arXiv
id without version), ``Feed.errors`` (arXiv's error entries: an entry whose ``<id>``
is ``http(s)://arxiv.org/api/errors#...``, as arXiv answers an id of the wrong shape,
with HTTP 200; each is the summary's text, e.g. ``incorrect id format for 1234.1234``).
An id arXiv does not know gives no entry at all: the caller finds it missing.

Raises ``FeedError`` (one line) for anything that is not a whole Atom feed: truncated
XML, HTML, arXiv's plain-text ``Rate exceeded.``, a document with a DTD.

Safety: the XML is parsed with expat directly (the standard library only), and a
document type declaration, any entity declaration or an external entity reference is
refused before it could be expanded (what ``defusedxml`` does), so no entity bomb and
no file or URL is ever read. Titles keep their TeX (``ST$^3$``); only the feed's line
wrapping is undone (whitespace runs become one space). A withdrawn paper (arXiv's
comment or abstract says "This paper has been withdrawn") is marked ``withdrawn``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.parsers import expat

from ..model import parse_arxiv_id
from .records import ArxivRecord

__all__ = ["Feed", "FeedError", "parse_feed"]

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
_ERROR_ID_RE = re.compile(r"^https?://(?:export\.)?arxiv\.org/api/errors", re.IGNORECASE)
_WITHDRAWN_RE = re.compile(
    r"\b(?:this (?:paper|article|submission) (?:has been|is) withdrawn"
    r"|withdrawn by (?:the )?(?:author|arxiv|admin))",
    re.IGNORECASE,
)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")


class FeedError(Exception):
    """Not a whole Atom feed; the message is one line."""


@dataclass
class Feed:
    records: dict[str, ArxivRecord] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class _Refused(Exception):
    pass


def _refuse(*_args: object) -> None:
    raise _Refused


def _tree(data: bytes) -> ET.Element:
    """The document's root, built by expat with DTDs and entities refused."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def name(raw: str) -> str:
        return "{" + raw if "}" in raw else raw

    parser.StartElementHandler = lambda tag, attrs: builder.start(
        name(tag), {name(key): value for key, value in attrs.items()}
    )
    parser.EndElementHandler = lambda tag: builder.end(name(tag))
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
        return builder.close()
    except _Refused:
        raise FeedError("the answer declares a DTD or entities; refused") from None
    except expat.ExpatError as error:
        raise FeedError(f"not whole XML ({expat.ErrorString(error.code)}, "
                        f"line {error.lineno})") from None  # fmt: skip
    except (AssertionError, IndexError):  # TreeBuilder on a document cut short
        raise FeedError("not whole XML (cut short)") from None


def _text(element: ET.Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def parse_feed(data: bytes) -> Feed:
    head = data[:200].lstrip()
    if not head.startswith(b"<"):
        first = data[:60].decode("utf-8", "replace").splitlines()
        raise FeedError(f"not XML: {first[0] if first else 'an empty answer'!r}")
    root = _tree(data)
    if root.tag != f"{ATOM}feed":
        raise FeedError(f"not an Atom feed (the document is <{root.tag.rpartition('}')[2]}>)")
    feed = Feed()
    for entry in root.iterfind(f"{ATOM}entry"):
        raw_id = _text(entry.find(f"{ATOM}id"))
        if _ERROR_ID_RE.match(raw_id):
            feed.errors.append(_text(entry.find(f"{ATOM}summary")) or raw_id)
            continue
        record = _record(entry, raw_id)
        if record is not None:
            feed.records[record.arxiv_id] = record
    return feed


def _record(entry: ET.Element, raw_id: str) -> ArxivRecord | None:
    try:
        arxiv_id, version = parse_arxiv_id(raw_id)
    except ValueError:
        return None  # an entry that is not an arXiv paper: nothing to keep
    title = _text(entry.find(f"{ATOM}title"))
    if not title:
        return None
    authors = tuple(
        name for author in entry.iterfind(f"{ATOM}author")
        if (name := _text(author.find(f"{ATOM}name")))
    )  # fmt: skip
    abstract = _text(entry.find(f"{ATOM}summary"))
    primary = entry.find(f"{ARXIV}primary_category")
    primary_category = (primary.get("term") or "").strip() if primary is not None else ""
    categories = [
        term for category in entry.iterfind(f"{ATOM}category")
        if (term := (category.get("term") or "").strip())
    ]  # fmt: skip
    if primary_category and primary_category in categories:
        categories.remove(primary_category)
    if primary_category:
        categories.insert(0, primary_category)
    comments = _text(entry.find(f"{ARXIV}comment"))
    return ArxivRecord(
        arxiv_id=arxiv_id,
        version=version,
        title=title,
        authors=authors,
        abstract=abstract,
        primary_category=primary_category,
        categories=tuple(dict.fromkeys(categories)),
        comments=comments,
        journal_ref=_text(entry.find(f"{ARXIV}journal_ref")),
        doi=_text(entry.find(f"{ARXIV}doi")),
        published=_date(entry.find(f"{ATOM}published")),
        updated=_date(entry.find(f"{ATOM}updated")),
        withdrawn=bool(_WITHDRAWN_RE.search(comments) or _WITHDRAWN_RE.search(abstract[:300])),
    )


def _date(element: ET.Element | None) -> str:
    text = _text(element)
    match = _DATE_RE.match(text)
    return match.group() if match else ""
