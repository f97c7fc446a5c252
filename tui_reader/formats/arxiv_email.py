"""arXiv's own daily listing e-mail, saved as ``.txt`` or ``.eml``.

    Subject: cs daily Subj-class mailing 20250107 1
    Date: Tue, 7 Jan 2025 01:12:44 GMT
    ------------------------------------------------------------------------------
    \\\\
    arXiv:2501.03117 (*cross-listing*)
    Date: Mon, 6 Jan 2025 17:45:02 GMT   (812kb,D)

    Title: Gradient Echoes: Detecting Memorised Training Examples from Optimiser
      State
    Authors: Farah Haddad, Jonas Lindqvist and Aiko Tanaka
    Categories: cs.LG cs.CR
    Comments: 14 pages, 6 figures
    \\\\
      Abstract, hard-wrapped.
    \\\\ ( https://arxiv.org/abs/2501.03117 ,  812kb)
    ------------------------------------------------------------------------------
    %%--%%--%%--%%   (the replacements follow: no abstract)

Entries sit between lines of dashes; an entry's ``arXiv:`` line follows a ``\\\\``
line (a cited ``arXiv:ID`` at the start of an abstract's line is not an entry).
Fields may wrap onto indented lines. Authors are joined by ``, `` and `` and ``;
parenthesised affiliations (nested ones too) are dropped, TeX accents decoded
(``Gonz\\'alez`` -> ``González``, via pylatexenc), and ``et al. (N additional
authors not shown)`` marks the list as cut short. The mailing's ``Date:``
header (else the ``mailing YYYYMMDD`` subject) is the digest's date. An ``.eml`` that
is MIME (quoted-printable, base64, multipart) is unpacked with the stdlib ``email``
package; line numbers then count in the decoded text part. The e-mail gives no version.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import unicodedata
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from functools import cache, lru_cache
from pathlib import Path

from ..model import DigestRef, Paper, parse_arxiv_id
from .common import (
    DigestWarning,
    LinePattern,
    Reading,
    default_ref,
    join_wrapped,
    make_paper,
)
from .parts import author_names

NAME = "arxiv-email"
DESCRIPTION = "arXiv's daily listing e-mail (.txt or .eml)"

_DETECT = LinePattern(
    r"\\\\[ \t]*\n[ \t]*arXiv:\S+|Subject:.*\bmailing\b|From:.*@arxiv\.org", re.IGNORECASE
)
_HEADER_LINE_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]*:[ \t]")
_MAILING_RE = re.compile(r"^Subject:.*\bmailing (\d{8})\b", re.MULTILINE | re.IGNORECASE)
_DATE_HEADER_RE = re.compile(r"^Date:[ \t]*(.+)$", re.MULTILINE)
# A field line and its indented continuation lines, or a replacement's date line.
_FIELD_RE = re.compile(
    r"^(?:([A-Za-z][A-Za-z-]*):([^\n]*(?:\n[ \t][^\n]*\S[^\n]*)*)"
    r"|replaced with revised version([^\n]*))",
    re.MULTILINE,
)
# A date as arXiv writes it: ``Mon, 6 Jan 2025 17:45:02 GMT``.
_USUAL_DATE_RE = re.compile(
    r"(?:[A-Z][a-z]{2}, )?(\d{1,2}) ([A-Z][a-z]{2}) ((?:19|20)\d\d) "
    r"(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d GMT"
)
_MONTHS = {name: number for number, name in enumerate(
    "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}  # fmt: skip
# A line between two entries: ``%%--%%...`` (the replacements follow) or a line of
# dashes. The match ends at that line's end.
_SEPARATOR = LinePattern(r"(%%--%%)[^\n]*|-----[- \t]*(?=\n|\Z)")


def detect(head: str) -> bool:
    """An ``arXiv:`` entry after a ``\\\\`` line, or arXiv's mailing headers."""
    return _DETECT.search(head) is not None


def head_date(head: str) -> dt.date | None:
    """The mailing's date: its ``Date:`` header, else ``mailing YYYYMMDD`` in the subject."""
    header_end = head.find("\n\n")
    header = head[:header_end] if header_end >= 0 else head
    match = _DATE_HEADER_RE.search(header)
    if match:
        date = _mail_date(match.group(1))
        if date is not None:
            return date
    match = _MAILING_RE.search(header)
    if match:
        digits = match.group(1)
        try:
            return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            return None
    return None


def _mail_date(text: str) -> dt.date | None:
    text = text.split("(")[0].strip()
    if (usual := _USUAL_DATE_RE.fullmatch(text)) and (month := _MONTHS.get(usual.group(2))):
        try:  # what parsedate_to_datetime gives for this form, without its cost
            return dt.date(int(usual.group(3)), month, int(usual.group(1)))
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError, OverflowError):  # a 20-digit year overflows
        return None


def _body(text: str) -> tuple[str, bool]:
    """The listing text and whether it is the file's own text (line numbers hold)."""
    if not _HEADER_LINE_RE.match(text):
        return text, True
    header_end = text.find("\n\n")
    header = (text[:header_end] if header_end >= 0 else text).lower()
    if "content-transfer-encoding" not in header and "multipart" not in header:
        return text, True
    message = email.message_from_string(text, policy=email.policy.default)
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        return text, True
    try:
        content = part.get_content()
    except (LookupError, ValueError):
        return text, True
    return content.replace("\r\n", "\n"), False


def read(text: str, path: Path, ref: DigestRef | None = None) -> Reading:
    date = head_date(text[:8192])
    ref = ref or default_ref(path, date)
    body, own_lines = _body(text)
    reading = Reading([], [], date)
    replacements = False
    start = line = 0  # the entry's first offset; the line number (from 0) at offset ``counted``
    counted = 0
    for end, separator in _separators(body):
        at = _arxiv_line(body, start, end)
        if at >= 0:
            line += body.count("\n", counted, at)
            counted = at
            _entry(body, at, end, line + 1 if own_lines else 0, replacements, ref, reading)
        if separator.group(1):
            replacements = True
        start = separator.end() + 1  # the line after the separator
    at = _arxiv_line(body, start, len(body))
    if at >= 0:
        line += body.count("\n", counted, at)
        _entry(body, at, len(body), line + 1 if own_lines else 0, replacements, ref, reading)
    return reading


def _separators(body: str) -> Iterator[tuple[int, re.Match[str]]]:
    """Each separator line: where it starts and its match (which ends at its end)."""
    if first := _SEPARATOR.first.match(body):
        yield 0, first
    for separator in _SEPARATOR.later.finditer(body):
        yield separator.start() + 1, separator


def _arxiv_line(body: str, start: int, end: int) -> int:
    """The offset of the entry's ``arXiv:`` line in ``body[start:end]``: the first one
    right after a ``\\\\`` line (an abstract may start a line with a cited
    ``arXiv:ID``), else the chunk's first line when it is one; -1 for none."""
    if body.startswith("\\\\\narXiv:", start, end):
        return start + 3
    found = body.find("\n\\\\\narXiv:", start, end)
    if found >= 0:
        return found + 4
    first = start
    while first < end and body[first] == "\n":
        first += 1
    return first if body.startswith("arXiv:", first, end) else -1


def _entry(
    body: str, at: int, end: int, line_number: int, replacement: bool, ref: DigestRef,
    reading: Reading,
) -> None:  # fmt: skip
    """Read the entry whose ``arXiv:`` line starts at ``at`` and which ends at ``end``."""
    line_end = body.find("\n", at, end)
    if line_end < 0:
        line_end = end
    head, _, rest = body[at + 6 : line_end].strip().partition(" ")
    try:
        arxiv_id, _version = parse_arxiv_id(head)
    except ValueError:
        reading.warnings.append(
            DigestWarning(ref.path, line_number or None, f"not an arXiv id: {head!r}; skipped")
        )
        return
    # The fields, up to a line that starts with \\; the abstract, up to the next one.
    close = body.find("\n\\\\", line_end, end) if line_end < end else -1
    header = body[line_end + 1 : close if close >= 0 else end] if line_end < end else ""
    abstract = ""
    if close >= 0 and (begin := body.find("\n", close + 1, end)) >= 0:
        finish = body.find("\n\\\\", begin, end)
        abstract = body[begin + 1 : finish if finish >= 0 else end]
    fields: dict[str, str] = {}
    for name, value, replaced in _FIELD_RE.findall(header):  # tuples: no Match objects
        if not name:
            fields["date"] = replaced
        elif "\n" in value:
            fields[name.lower()] = " ".join(map(str.strip, value.split("\n")))
        else:
            fields[name.lower()] = value.strip()
    reading.papers.append(
        _paper(arxiv_id, fields, abstract, rest, replacement, ref, line_number, reading)
    )


def _paper(
    arxiv_id: str,
    fields: dict[str, str],
    abstract: str,
    rest: str,
    replacement: bool,
    ref: DigestRef,
    line: int,
    reading: Reading,
) -> Paper:
    title = " ".join(fields.get("title", "").split())
    if not title:
        reading.warnings.append(DigestWarning(ref.path, line or None, f"{arxiv_id} has no title"))
    abstract = join_wrapped(abstract)
    if not abstract and not replacement:
        reading.warnings.append(
            DigestWarning(ref.path, line or None, f"{arxiv_id} has no abstract")
        )
    names, cut_short = author_list(fields.get("authors", ""))
    return make_paper(
        ref,
        arxiv_id,
        None,
        title or arxiv_id,
        names,
        _mail_date(fields.get("date", "")),
        abstract,
        line=line,
        categories=tuple(fields.get("categories", "").split()),
        comments=fields.get("comments", ""),
        journal_ref=fields.get("journal-ref", ""),
        cross_list="cross-list" in rest.lower(),
        replacement=replacement,
        authors_cut_short=cut_short,
    )


def authors(text: str) -> tuple[str, ...]:
    """``A, B and C`` (TeX accents, ``(Affiliation)``) -> ``("A", "B", "C")``."""
    return author_list(text)[0]


def author_list(text: str) -> tuple[tuple[str, ...], bool]:
    """``(names, cut_short)``: TeX decoded, then read as ``parts.author_names`` reads
    a line of names (nested affiliations dropped, ``et al. (N additional authors not
    shown)`` is no name but a list cut short)."""
    if "\\" in text or "{" in text:
        text = decode_tex(text)
    return author_names(text)


_COMBINING = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
              "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
              "c": "\u0327", "k": "\u0328", "r": "\u030a"}  # fmt: skip
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
            "l": "ł", "L": "Ł", "aa": "å", "AA": "Å", "i": "ı", "j": "ȷ"}  # fmt: skip
# The accent, its letter, and a closing brace only when there was an opening one's
# place: the space after "Jos\\'e" is the space before "and", not the accent's.
_ACCENT_RE = re.compile(
    r"""\\(['`^"~=.]|[uvHckr](?![A-Za-z]))\s*(?:\{\s*)?(\\[ij]\b|[A-Za-z])(?:\s*\})?"""
)
_LETTER_RE = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|[oOlLij])(?![A-Za-z])\s*(?:\{\})?")


def decode_tex(text: str) -> str:
    """TeX accents and braces -> Unicode (``M\\"uller`` -> ``Müller``).

    The accents names use are decoded here (pylatexenc is a hundred times slower
    and a mailing has thousands of names); pylatexenc reads whatever TeX is left.
    """

    # split() rather than sub() with a function: no Match object, no call per accent.
    parts = _ACCENT_RE.split(text)  # text, accent, letter, text, ...
    if len(parts) > 1:
        texts = parts[0::3]
        pieces = texts + texts[1:]  # room for the texts and, between them, the accents
        pieces[0::2] = texts
        pieces[1::2] = map(_accented, parts[1::3], parts[2::3])
        text = "".join(pieces)
    parts = _LETTER_RE.split(text)  # text, letter command, text, ...
    if len(parts) > 1:
        parts[1::2] = map(_LETTERS.__getitem__, parts[1::2])
        text = "".join(parts)
    if "\\" in text:
        try:
            text = _latex_to_text(text)
        except Exception:
            return text
    return text.replace("{", "").replace("}", "")


@lru_cache(maxsize=1024)
def _accented(accent: str, base: str) -> str:
    base = {"\\i": "i", "\\j": "j"}.get(base, base)
    return unicodedata.normalize("NFC", base + _COMBINING[accent])


@cache
def _latex_converter():
    from pylatexenc.latex2text import LatexNodes2Text  # only when a name needs it

    return LatexNodes2Text()


def _latex_to_text(text: str) -> str:
    return _latex_converter().latex_to_text(text)
