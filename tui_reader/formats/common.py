"""What every layout reader shares: the result type, warnings, errors and small helpers.

``Reading`` is what ``read(text, path)`` returns: the papers in file order, the
``DigestWarning`` values for what looked wrong, and the date the text itself gives
(``None`` when it has none; the loader then falls back to the file name, then to the
newest paper). ``make_paper`` is the one place a reader builds a ``Paper``: keywords
come from the bold spans, and the URL is always a plain URL. ``LinePattern`` finds a
pattern at line starts without ``^`` in MULTILINE mode (which tries every character);
``squash`` is ``" ".join(text.split())``, quicker on the usual text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from ..model import ARXIV_ID_RE, DigestRef, Paper

Spans = tuple[tuple[int, int], ...]
NO_SPANS: Spans = ()
FILENAME_DATE_RE = re.compile(r"(\d{4}-\d{2}-\d{2})")
# An arXiv paper named in text: a link to its abstract or PDF, or an ``arXiv:`` id.
ARXIV_REF_RE = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf)/|arxiv:[ \t]?){ARXIV_ID_RE.pattern}", re.IGNORECASE
)
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
_PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t]*\n")
_DOUBLE_SPACE_RE = re.compile("  ")


class LinePattern:
    """A pattern that matches only at the start of a line, searched quickly.

    ``^`` in MULTILINE mode makes the regex engine try the pattern at every character;
    a pattern that starts with a literal line break lets it skip from break to break
    (about ten times quicker on 64 KiB). The first line, which no break precedes, is
    tried on its own. ``search`` gives the first match (a later one includes the break).
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.first = re.compile(pattern, flags)
        self.later = re.compile(f"\n(?:{pattern})", flags)

    def search(self, text: str) -> re.Match[str] | None:
        return self.first.match(text) or self.later.search(text)

    def starts(self, text: str) -> Iterator[int]:
        """The offset of each line where the pattern matches (matches do not overlap)."""
        if self.first.match(text):
            yield 0
        for found in self.later.finditer(text):
            yield found.start() + 1


@dataclass(frozen=True, slots=True)
class DigestWarning:
    """Something in a digest file that looked wrong: where (``line`` may be None) and what."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.message}"


class DigestError(Exception):
    """A file that cannot be read as a digest at all. ``str()`` is ``"path: reason"``."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def as_warning(self) -> DigestWarning:
        return DigestWarning(self.path, None, f"skipped: {self.reason}")


@dataclass(slots=True)
class Reading:
    """One file read by one layout: papers in file order, warnings, the text's own date."""

    papers: list[Paper]
    warnings: list[DigestWarning] = field(default_factory=list)
    date: dt.date | None = None


def filename_date(path: Path) -> dt.date | None:
    match = FILENAME_DATE_RE.search(path.name)
    if match:
        try:
            return dt.date.fromisoformat(match.group(1))
        except ValueError:
            return None
    return None


def default_ref(path: Path, text_date: dt.date | None) -> DigestRef:
    """The digest's identity when the caller gave none: its own date, else its file name's."""
    return DigestRef(text_date or filename_date(path), path)


_DATES: dict[str, dt.date] = {}


def parse_date(text: str) -> dt.date | None:
    """ISO date -> date (None if invalid); one shared object per distinct date."""
    date = _DATES.get(text)
    if date is None:
        try:
            date = _DATES.setdefault(text, dt.date.fromisoformat(text))
        except ValueError:
            return None
    return date


def split_authors(names: str, separator: str = ", ") -> tuple[str, ...]:
    return tuple(filter(None, map(str.strip, names.split(separator))))


def make_paper(
    ref: DigestRef,
    arxiv_id: str,
    version: int | None,
    title: str,
    authors: tuple[str, ...],
    date: dt.date | None,
    abstract: str = "",
    bold_spans: tuple[tuple[int, int], ...] = NO_SPANS,
    *,
    url: str = "",
    line: int = 0,
    keywords: tuple[str, ...] = (),
    **extra: object,
) -> Paper:
    """A Paper of digest ``ref``; ``url`` defaults to the abstract page, ``keywords`` to
    the distinct bold terms. ``extra`` are the optional fields (categories, comments...)."""
    if bold_spans and not keywords:
        keywords = tuple(dict.fromkeys([abstract[start:end] for start, end in bold_spans]))
    if not url:
        url = f"https://arxiv.org/abs/{arxiv_id}" + (f"v{version}" if version else "")
    return Paper(
        arxiv_id=arxiv_id,
        version=version,
        title=title,
        authors=authors,
        date=date,
        url=url,
        abstract=abstract,
        bold_spans=bold_spans,
        keywords=keywords,
        source=ref,
        digests=(ref,),
        line=line,
        **extra,  # type: ignore[arg-type]
    )


def join_wrapped(block: str) -> str:
    """Hard-wrapped lines -> one line per paragraph, paragraphs split by a blank line."""
    parts = _PARAGRAPH_BREAK_RE.split(block.strip())
    if len(parts) == 1:  # the usual single paragraph
        return squash(parts[0])
    return "\n\n".join(filter(None, map(squash, parts)))


def strip_bold(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Remove ``**`` pairs; the spans they enclosed, as offsets in the result.

    A pair encloses at least one character and no paragraph break; an unpaired
    ``**`` stays in the text as written.
    """
    if "**" not in text:
        return text, NO_SPANS
    parts = text.split("**")
    bold = parts[1::2]
    if (
        len(parts) % 2 == 1
        and all(bold)
        and ("\n" not in text or not any("\n" in part for part in bold))
    ):
        # The common case: every ** is paired. Odd-numbered parts are the bold ones,
        # and the running lengths of the parts are the span boundaries.
        ends = list(accumulate(map(len, parts)))
        return "".join(parts), tuple(zip(ends[0::2], ends[1::2], strict=False))
    pieces: list[str] = []
    spans = []
    length = 0
    last = 0
    for match in _BOLD_RE.finditer(text):
        before = text[last : match.start()]
        pieces.append(before)
        length += len(before)
        inner = match.group(1)
        pieces.append(inner)
        spans.append((length, length + len(inner)))
        length += len(inner)
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces), tuple(spans)


_STAR_RUN_RE = re.compile(r"\*+")


def markdown_emphasis(text: str, italic: str | None = "emph") -> tuple[str, Spans]:
    """Markdown ``*`` emphasis removed: ``**bold**`` spans remembered (as ``strip_bold``),
    ``*italic*`` written ``\\emph{...}`` (``italic=None``: just removed).

    Delimiter runs pair as CommonMark pairs them, nearest first, so ``***KV** cache*``
    is an italic ``KV cache`` holding a bold ``KV``. A single ``*`` opens only after a
    space or punctuation and closes only before one (``A* search``, ``2*3*4`` stay as
    written); a run that pairs with nothing stays as written. Pairs never cross a
    paragraph break.
    """
    if "*" not in text:
        return text, NO_SPANS
    if "***" not in text and text.count("*") == 2 * text.count("**"):
        return strip_bold(text)  # only bold: the quick way
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    for number, paragraph in enumerate(text.split("\n\n")):
        if number:
            pieces.append("\n\n")
            length += 2
        out, found = _emphasis(paragraph, italic)
        pieces.append(out)
        spans.extend((start + length, end + length) for start, end in found)
        length += len(out)
    return "".join(pieces), tuple(spans)


def _emphasis(text: str, italic: str | None) -> tuple[str, list[tuple[int, int]]]:
    """One paragraph of ``markdown_emphasis``."""
    edits: dict[int, str] = {}  # offset of a delimiter character -> its replacement
    bold: list[tuple[int, int]] = []  # (first content offset, closer offset) in ``text``
    openers: list[list[int]] = []  # [end of the unused part of the run, unused count]
    size = len(text)
    for run in _STAR_RUN_RE.finditer(text):
        start, end = run.span()
        before = text[start - 1] if start else " "
        after = text[end] if end < size else " "
        count = end - start
        can_close = not before.isspace() and (count > 1 or not after.isalnum())
        can_open = not after.isspace() and (count > 1 or not before.isalnum())
        at = start  # the closer uses its run from the left
        while can_close and count and openers:
            opener = openers[-1]
            use = 2 if count >= 2 and opener[1] >= 2 else 1
            content = opener[0]
            for offset in range(content - use, content):
                edits[offset] = "" if use == 2 or italic is None else "\\emph{"
            for offset in range(at, at + use):
                edits[offset] = "" if use == 2 or italic is None else "}"
            if use == 2:
                bold.append((content, at))
            opener[0] -= use
            opener[1] -= use
            at += use
            count -= use
            if not opener[1]:
                openers.pop()
        if count and can_open:
            openers.append([end, count])
    if not edits:
        return text, []
    ends = {}
    pieces = []
    length = last = 0
    for offset in sorted(edits):
        pieces.append(text[last:offset])
        length += offset - last
        ends[offset] = length
        pieces.append(edits[offset])
        length += len(edits[offset])
        last = offset + 1
    pieces.append(text[last:])

    def position(offset: int) -> int:  # where text[offset] lands in the result
        before = [edited for edited in ends if edited < offset]
        if not before:
            return offset
        nearest = max(before)
        return ends[nearest] + len(edits[nearest]) + (offset - nearest - 1)

    return "".join(pieces), sorted(
        (position(start), ends[closer]) for start, closer in bold if closer > start
    )


def plain_title(title: str) -> str:
    """A title as text: Markdown emphasis (``**bold**``, ``*italic*``) is not part of it."""
    if "*" not in title:
        return squash(title)
    return squash(markdown_emphasis(title, italic=None)[0].replace("**", ""))


def squash(text: str) -> str:
    """``" ".join(text.split())``: every run of white space one space, none at the ends.

    Quicker for the usual case, ASCII text whose only white space is single spaces and
    line breaks (single-character searches are memchr-fast; ``split`` makes a list).
    The double-space test is a compiled pattern: on text full of spaces it is twice
    as quick as ``"  " in text``.
    """
    flat = text.replace("\n", " ")
    if (
        flat.isascii()
        and not _DOUBLE_SPACE_RE.search(flat)
        and "\t" not in flat
        and "\r" not in flat
        and "\x0b" not in flat
        and "\x0c" not in flat
        and "\x1c" not in flat
        and "\x1d" not in flat
        and "\x1e" not in flat
        and "\x1f" not in flat
    ):
        return flat.strip(" ")
    return " ".join(text.split())
