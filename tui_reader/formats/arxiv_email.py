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

Entries sit between lines of dashes. Fields may wrap onto indented lines. Authors are
joined by ``, `` and `` and ``; parenthesised affiliations are dropped and TeX accents
decoded (``Gonz\\'alez`` -> ``González``, via pylatexenc). The mailing's ``Date:``
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
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path

from ..model import DigestRef, Paper, parse_arxiv_id
from .common import DigestWarning, Reading, default_ref, join_wrapped, make_paper

NAME = "arxiv-email"
DESCRIPTION = "arXiv's daily listing e-mail (.txt or .eml)"

# Searched in "\n" + head: a pattern that starts with a literal "\n" (rather than ^ in
# MULTILINE mode) lets the regex engine skip to line breaks, ten times quicker on 64 KiB.
_DETECT_RE = re.compile(
    r"\n(?:\\\\[ \t]*\n[ \t]*arXiv:\S+|Subject:.*\bmailing\b|From:.*@arxiv\.org)",
    re.IGNORECASE,
)
_HEADER_LINE_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]*:[ \t]")
_MAILING_RE = re.compile(r"^Subject:.*\bmailing (\d{8})\b", re.MULTILINE | re.IGNORECASE)
_DATE_HEADER_RE = re.compile(r"^Date:[ \t]*(.+)$", re.MULTILINE)
_FIELD_RE = re.compile(r"([A-Za-z][A-Za-z-]*):[ \t]*(.*)")
_AUTHOR_SPLIT_RE = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_AFFILIATION_RE = re.compile(r"\([^()]*\)")


def detect(head: str) -> bool:
    """An ``arXiv:`` entry after a ``\\\\`` line, or arXiv's mailing headers."""
    return _DETECT_RE.search("\n" + head) is not None


def head_date(head: str) -> dt.date | None:
    """The mailing's date: its ``Date:`` header, else ``mailing YYYYMMDD`` in the subject."""
    header = head.split("\n\n", 1)[0]
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
    try:
        return parsedate_to_datetime(text.split("(")[0].strip()).date()
    except (TypeError, ValueError, IndexError):
        return None


def _body(text: str) -> tuple[str, bool]:
    """The listing text and whether it is the file's own text (line numbers hold)."""
    if not _HEADER_LINE_RE.match(text):
        return text, True
    header = text.split("\n\n", 1)[0].lower()
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
    entry: list[str] = []
    start = 1
    for number, line in enumerate(body.split("\n"), 1):
        if line.startswith("%%--%%"):
            _flush(entry, start if own_lines else 0, replacements, ref, reading)
            entry, replacements = [], True
        elif line.startswith("-----") and not line.strip("- \t"):
            _flush(entry, start if own_lines else 0, replacements, ref, reading)
            entry = []
        else:
            if not entry:
                start = number
            entry.append(line)
    _flush(entry, start if own_lines else 0, replacements, ref, reading)
    return reading


def _flush(
    lines: list[str], start: int, replacement: bool, ref: DigestRef, reading: Reading
) -> None:
    """Read one entry (the lines between two dash lines) into ``reading``."""
    offset = next((i for i, line in enumerate(lines) if line.startswith("arXiv:")), -1)
    if offset < 0:
        return  # the mailing's preamble, not an entry
    line = lines[offset]
    line_number = start + offset if start else 0
    head, _, rest = line[6:].strip().partition(" ")
    try:
        arxiv_id, _version = parse_arxiv_id(head)
    except ValueError:
        reading.warnings.append(
            DigestWarning(ref.path, line_number or None, f"not an arXiv id: {head!r}; skipped")
        )
        return
    fields: dict[str, str] = {}
    current = ""
    index = offset + 1
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.startswith("\\\\"):
            break
        if line[:1] in (" ", "\t") and current and line.strip():
            fields[current] += " " + line.strip()
        elif line.startswith("replaced with revised version"):
            fields["date"] = line[len("replaced with revised version") :]
            current = ""
        elif match := _FIELD_RE.fullmatch(line.rstrip()):
            current = match.group(1).lower()
            fields[current] = match.group(2).strip()
        else:
            current = ""
    abstract_lines = []
    while index < len(lines) and not lines[index].startswith("\\\\"):
        abstract_lines.append(lines[index])
        index += 1
    reading.papers.append(
        _paper(
            arxiv_id,
            fields,
            "\n".join(abstract_lines),
            rest,
            replacement,
            ref,
            line_number,
            reading,
        )
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
    return make_paper(
        ref,
        arxiv_id,
        None,
        title or arxiv_id,
        authors(fields.get("authors", "")),
        _mail_date(fields.get("date", "")),
        abstract,
        line=line,
        categories=tuple(fields.get("categories", "").split()),
        comments=fields.get("comments", ""),
        journal_ref=fields.get("journal-ref", ""),
        cross_list="cross-list" in rest.lower(),
        replacement=replacement,
    )


def authors(text: str) -> tuple[str, ...]:
    """``A, B and C`` (TeX accents, ``(Affiliation)``) -> ``("A", "B", "C")``."""
    if "(" in text:
        text = _AFFILIATION_RE.sub(" ", text)
    if "\\" in text or "{" in text:
        text = decode_tex(text)
    return tuple(
        name for name in (" ".join(n.split()) for n in _AUTHOR_SPLIT_RE.split(text)) if name
    )


_COMBINING = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
              "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
              "c": "\u0327", "k": "\u0328", "r": "\u030a"}  # fmt: skip
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
            "l": "ł", "L": "Ł", "aa": "å", "AA": "Å", "i": "ı", "j": "ȷ"}  # fmt: skip
_ACCENT_RE = re.compile(
    r"""\\(['`^"~=.]|[uvHckr](?![A-Za-z]))\s*(?:\{\s*)?(\\[ij]\b|[A-Za-z])\s*\}?"""
)
_LETTER_RE = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|[oOlLij])(?![A-Za-z])\s*(?:\{\})?")


def decode_tex(text: str) -> str:
    """TeX accents and braces -> Unicode (``M\\"uller`` -> ``Müller``).

    The accents names use are decoded here (pylatexenc is a hundred times slower
    and a mailing has thousands of names); pylatexenc reads whatever TeX is left.
    """

    def accent(match: re.Match[str]) -> str:
        base = match.group(2)
        base = {"\\i": "i", "\\j": "j"}.get(base, base)
        return unicodedata.normalize("NFC", base + _COMBINING[match.group(1)])

    text = _ACCENT_RE.sub(accent, text)
    text = _LETTER_RE.sub(lambda match: _LETTERS[match.group(1)], text)
    if "\\" in text:
        try:
            text = _latex_to_text(text)
        except Exception:
            return text
    return text.replace("{", "").replace("}", "")


@cache
def _latex_converter():
    from pylatexenc.latex2text import LatexNodes2Text  # only when a name needs it

    return LatexNodes2Text()


def _latex_to_text(text: str) -> str:
    return _latex_converter().latex_to_text(text)
