"""The paper as the rest of the program sees it, and arXiv identifiers.

Plain dataclasses and functions: no Textual, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

# New-style ids (0704.0001 onwards: YYMM.NNNN, YYMM.NNNNN since 2015) and old-style
# ids (archive[.SUBJECT-CLASS]/YYMMNNN, e.g. hep-th/9901001, math.GT/0309136).
_ID_BODY = r"(?:\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})"
ARXIV_ID_RE = re.compile(rf"({_ID_BODY})(?:v(\d+))?")
_ID_ONLY_RE = re.compile(rf"(?:arxiv:)?({_ID_BODY})(?:v(\d+))?", re.IGNORECASE)
_URL_RE = re.compile(
    rf"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/({_ID_BODY})(?:v(\d+))?"
    r"(?:\.pdf)?/?$",
    re.IGNORECASE,
)


MAX_VERSION_DIGITS = 6  # no arXiv paper has a millionth version; Python will not even
# turn more than 4,300 digits into a number


def version_number(digits: str | None) -> int | None:
    """The version a digest's ``v2`` gives (``digits`` is ``"2"``); None when there is
    none or it has more than ``MAX_VERSION_DIGITS`` digits (the paper is then kept
    without a version: ``absurd_version`` says so for a warning)."""
    if not digits or len(digits) > MAX_VERSION_DIGITS:
        return None
    return int(digits)


def absurd_version(digits: str | None) -> str | None:
    """The warning for a version ``version_number`` drops, or None."""
    if not digits or len(digits) <= MAX_VERSION_DIGITS:
        return None
    return (
        f"version v{digits[:6]}… ({len(digits):,} digits) is not a version; "
        "the paper is kept without one"
    )


def parse_arxiv_id(text: str) -> tuple[str, int | None]:
    """Return ``(id_without_version, version)`` for an id, ``arXiv:`` id or arXiv URL.

    Raises ValueError with a message fit for the user when ``text`` is none of those.
    """
    candidate = text.strip()
    match = _URL_RE.match(candidate) or _ID_ONLY_RE.fullmatch(candidate)
    if match is None:
        raise ValueError(f"not an arXiv id or arXiv URL: {text!r}")
    arxiv_id, version = match.group(1), match.group(2)
    if "/" in arxiv_id:
        # The archive part of an old-style id is lower case; the subject class upper.
        archive, number = arxiv_id.split("/")
        head, _, subject = archive.partition(".")
        arxiv_id = f"{head.lower()}{'.' + subject.upper() if subject else ''}/{number}"
    return arxiv_id, version_number(version)


def abs_url(arxiv_id: str) -> str:
    """The arXiv abstract page of a paper, built from its id (never from digest text)."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def pdf_url(arxiv_id: str) -> str:
    """The arXiv PDF of the newest version of a paper, built from its id."""
    return f"https://arxiv.org/pdf/{arxiv_id}"


@dataclass(frozen=True, slots=True)
class DigestRef:
    """One digest file: its date and where it was read from. A digest is a file: two
    files with the same date are two digests.

    ``date`` is the digest's own date (``# 2025-01-03``, a mailing's ``Date:``), else
    the date in its file name, else the newest paper's date.
    """

    date: dt.date | None
    path: Path
    named: bool = False

    @property
    def label(self) -> str:
        """The date; with the file name too where the date alone does not say which file
        (``named``: another digest has the same date, or the date was guessed)."""
        if self.date is None:
            return self.path.stem
        if self.named:
            return f"{self.date.isoformat()} ({self.path.name})"
        return self.date.isoformat()


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper of a digest.

    ``abstract`` is plain text: hard-wrapped lines joined with spaces, paragraphs
    separated by ``"\\n\\n"``, the digest's ``**`` markers removed. ``bold_spans`` are
    the ``(start, end)`` offsets in ``abstract`` that the digest set in bold, and
    ``keywords`` the distinct bolded terms in order of appearance.

    ``source`` is the digest this record was taken from (the one holding the newest
    version); ``digests`` is every digest the paper appeared in, oldest first.
    ``line`` is the 1-based line of the paper's ``## `` heading in ``source``.
    ``version`` is None where the digest does not say it (arXiv's e-mails, bare links).

    The fields after ``line`` are filled only by the layouts that carry them (empty
    otherwise): arXiv ``categories`` (primary first), the author ``comments``, the
    ``journal_ref``, an AI-written ``summary`` (TL;DR), a ``code_url``, the digest's
    ``topics`` (topic-table headings), ``cross_list`` (listed from another archive) and
    ``replacement`` (a listing of a revised version, without an abstract).
    ``authors_cut_short`` says the digest listed only the first authors (``et al.``,
    ``et.al.``, ``N additional authors not shown``): ``authors`` never holds such words.
    """

    arxiv_id: str
    version: int | None
    title: str
    authors: tuple[str, ...]
    date: dt.date | None
    url: str
    abstract: str
    bold_spans: tuple[tuple[int, int], ...]
    keywords: tuple[str, ...]
    source: DigestRef
    digests: tuple[DigestRef, ...]
    line: int = 0
    categories: tuple[str, ...] = ()
    comments: str = ""
    journal_ref: str = ""
    summary: str = ""
    code_url: str = ""
    topics: tuple[str, ...] = ()
    cross_list: bool = False
    replacement: bool = False
    authors_cut_short: bool = False

    @property
    def versioned_id(self) -> str:
        """``2412.21188v2``, or the bare id when the digest does not say the version."""
        return f"{self.arxiv_id}v{self.version}" if self.version else self.arxiv_id

    @property
    def abs_url(self) -> str:
        return abs_url(self.arxiv_id)

    @property
    def pdf_url(self) -> str:
        return pdf_url(self.arxiv_id)

    @property
    def digest_date(self) -> dt.date | None:
        return self.source.date
