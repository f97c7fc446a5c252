"""Papers (+ the user's notes) -> BibTeX text that drops straight into a LaTeX project.

Plain functions: no Textual, no I/O. The caller reads and writes files, the clipboard
and the store; this module only turns :class:`~tui_reader.model.Paper` records into
text and chooses citation keys. Escaping text and math to LaTeX lives in
``exporters/latex.py``, author-name rules (family name, groups, junk) in
``exporters/names.py``.

Public API
----------
``citation_key_base(paper) -> str``
    The key a paper would get before clash handling: ``engelken2024sparse``.
``assign_citation_keys(papers, existing) -> dict[str, str]``
    ``existing`` maps ``arxiv_id -> key`` for every key already assigned anywhere in the
    store. Returns a key for every paper in ``papers``: existing keys are reused
    unchanged (even if the store holds a duplicate); new keys are unique
    (case-insensitively) against all existing keys and each other and are handed out
    in the order of ``papers``, so the result is deterministic. The caller persists
    the new keys; a key never changes once assigned.
``format_entry(paper, key, note="", *, utf8=False, published=None) -> str``
    One ``@misc`` entry, ending with ``"}\\n"``. Raises ValueError for a key BibTeX
    cannot hold (empty, whitespace, ``, { } ( ) = " # % ' ~ \\``). With ``published``
    (``online.records.Publication``) a paper that appeared at a conference is an
    ``@inproceedings`` with ``booktitle``, in a journal an ``@article`` with
    ``journal`` and ``volume``; both get the venue's ``year`` and ``pages`` (``--``
    between page numbers) and keep ``eprint``/``archivePrefix``/``primaryClass``. The
    published DOI replaces arXiv's; arXiv's free-text journal_ref alone is a ``note``.
``format_bibliography(papers, keys, notes=None, *, utf8=False) -> str``
    Entries for ``papers`` (a paper listed twice is written once), separated by a
    blank line, ending with a newline; ``""`` for no papers. ``keys`` and ``notes`` map
    ``arxiv_id`` to the key / note; a missing key raises ValueError.

The entry (arXiv's own export, with Better BibTeX's conventions)::

    @misc{engelken2024sparse,
      author        = {Rainer Engelken and Michael Monteforte and Fred Wolf},
      title         = {Sparse chaos in cortical circuits},
      year          = {2024},
      eprint        = {2412.21188},
      archivePrefix = {arXiv},
      doi           = {10.48550/arXiv.2412.21188},
      url           = {https://arxiv.org/abs/2412.21188},
      annote        = {the user's note},
    }

Rules worth knowing:

* Authors are joined with `` and `` in the given order, never inverted; a list the
  digest cut short (``Paper.authors_cut_short``: ``et al.``) ends with ``and others``,
  BibTeX's own way of saying so. A name that
  BibTeX would split or misread (it contains a comma, the word "and", or is exactly
  "others") is wrapped in braces as a whole, and so is a group author (``{Gemma
  Team}``, ``{DeepSeek-AI}``: ``exporters/names.py``). Junk names (``:``, empty) are
  dropped with a warning; an entry left without authors gets a ``key`` field.
* ``year`` is the year of ``paper.date``; when the arXiv id says the paper was first
  submitted earlier (``date`` then belongs to a later version) or ``date`` is missing,
  the id's year is used. ``eprint``/``url``/``doi`` carry no version. ``primaryClass`` is,
  for old-style ids, the archive in the id (``hep-th/9901001``, ``math.GT/0309136`` ->
  eprint ``math/0309136``, primaryClass ``math.GT``), else the paper's first category
  when the digest lists categories (``cs.LG``), as arXiv's own export writes it; a
  category that is not of arXiv's shape is not written.
* Text is plain text except ``$...$`` (and ``$$...$$``, written inline): a ``$`` pair
  whose opener is followed by a non-space, whose closer follows a non-space and is not
  followed by a digit, and whose content has balanced braces, is copied verbatim
  (``% # &`` in it get a backslash, so they cannot comment out or break the line).
  Any other ``$`` is a dollar sign, ``\\$``.
* Outside math, ``\\ { } $ & % # _ ~ ^ < > |`` are escaped. Braces become
  ``\\textbraceleft{}``/``\\textbraceright{}``, not ``\\{``/``\\}``: BibTeX counts an
  escaped brace like any other, so ``\\{`` alone would unbalance the field. Every
  field therefore has balanced braces whether braces are counted literally (BibTeX,
  biber), skipping ``\\{`` (bibtexparser) or by TeX's rules.
* Title words with an acronym or inner capital (``{LLM}``, ``{KeyGS}``, ``{LoL-PIM}``,
  ``{3D}``, ``{T5}``, ``{non-Hermitian}``, ``{ST$^3$}``) are wrapped in braces so styles
  that lowercase titles keep them. ``Keyframe-Centric`` (each part only capitalised) is
  left alone.
* By default non-ASCII becomes LaTeX (``{\\L}ukasz``, ``M{\\"u}ller``, via pylatexenc);
  a character with no LaTeX spelling (emoji, CJK) is kept as UTF-8, as Better BibTeX
  does. ``utf8=True`` keeps all Unicode (NFC) and still escapes the specials.
* The note goes to ``annote``, line breaks kept; a line starting with ``@`` gets
  ``{@}`` so no BibTeX reader mistakes it for a new entry.

Citation keys: ASCII-lowercase family name of the first author + year + first
significant title word, e.g. ``engelken2024sparse``. The family name is BibTeX's "Last"
part: the last word, or the words after a lowercase particle (``Jean de La Fontaine``
-> ``lafontaine``, ``Ludwig van Beethoven`` -> ``beethoven``), ignoring ``Jr./Sr./II/
III/IV``. Title words are whitespace-separated with math removed; stop words
(:data:`STOP_WORDS`) and words without a letter are skipped. Everything is
transliterated (NFKD + a small table: ``Łukasz`` -> ``lukasz``, ``ß`` -> ``ss``) and
only ``[a-z0-9]`` kept. Fallbacks: ``anon`` for no usable author, no year part, and
``paper`` for no usable title word. On a clash the suffixes ``a`` .. ``z``, ``aa`` ..
``az``, ``ba`` .. ``zz``, ``aaa`` ... are tried in order and the first free one is taken.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from tui_reader.exporters.latex import (
    clean_line,
    escape_text,
    one_line,
    render,
    split_math,
    without_math,
)
from tui_reader.exporters.names import family_name, is_group_name, usable_name
from tui_reader.model import Paper

if TYPE_CHECKING:
    from tui_reader.exporters import Entry
    from tui_reader.online.records import Publication

__all__ = [
    "STOP_WORDS",
    "assign_citation_keys",
    "citation_key_base",
    "format_bibliography",
    "format_entries",
    "format_entry",
    "is_group_name",
    "usable_name",
]

# ---------------------------------------------------------------------------------------
# Fields


_WORD_PART_RE = re.compile(r"[-/\u2010-\u2015]")


_FIRST_ALNUM_RE = re.compile(r"[^\W_]")
_DIGIT_RE = re.compile(r"\d")


def _needs_case_protection(word: str) -> bool:
    """True for acronyms and mixed-case words, which title-lowercasing styles would mangle."""
    if word == word.lower():
        return False
    first = _FIRST_ALNUM_RE.search(word)
    if first is None:
        return False
    word = word[first.start() :]  # leading quotes and brackets do not count
    if not word[0].isupper():  # iPhone, mRNA, non-Hermitian
        return True
    if _DIGIT_RE.search(word):  # T5, 3D, LLaMA2-7B
        return True
    # An upper-case letter past the first of a part: LLM, KeyGS, LoL-PIM; not Open-Sora.
    return any(part[1:] != part[1:].lower() for part in _WORD_PART_RE.split(word))


@lru_cache(maxsize=1 << 16)
def _format_title_word(word: str, utf8: bool) -> str:
    """A title word without math; cached, as titles share most of their words."""
    if not _needs_case_protection(word):
        return escape_text(word, utf8)
    # Punctuation after the word stays outside the braces: {QAHAN}: as Better BibTeX.
    core = word.rstrip(":;,.!?")
    return f"{{{escape_text(core, utf8)}}}{escape_text(word[len(core) :], utf8)}"


_BOLD_RE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


def _plain_title(title: str) -> str:
    """The title without Markdown ``**`` emphasis markers, on one line."""
    return _BOLD_RE.sub(r"\1", one_line(title))


def _format_plain(text: str, utf8: bool) -> str:
    return render(split_math(one_line(text)), utf8)


def _format_title(title: str, utf8: bool) -> str:
    """The title; ``**words**`` (Markdown emphasis in a digest) become ``\\emph{words}``."""
    title = one_line(title)
    if "**" not in title or not _BOLD_RE.search(title):
        return _format_title_words(title, utf8)
    out = []
    last = 0
    for match in _BOLD_RE.finditer(title):
        out.append(_spaced(title[last : match.start()], utf8))
        out.append(f"\\emph{{{_format_title_words(match.group(1), utf8)}}}")
        last = match.end()
    out.append(_spaced(title[last:], utf8))
    return "".join(out)


def _spaced(text: str, utf8: bool) -> str:
    """A piece of title between emphases, its outer spaces kept."""
    if not text.strip():
        return " " if text else ""
    lead = " " if text[0] == " " else ""
    trail = " " if text[-1] == " " else ""
    return f"{lead}{_format_title_words(text.strip(), utf8)}{trail}"


def _format_title_words(title: str, utf8: bool) -> str:
    if "$" not in title:
        return " ".join([_format_title_word(word, utf8) for word in title.split(" ") if word])
    pieces = split_math(title)
    # Words are whitespace-separated runs of text; a math span belongs to the word it
    # touches (and may itself hold spaces).
    words: list[list[tuple[bool, str]]] = [[]]
    for is_math, piece in pieces:
        if is_math:
            words[-1].append((True, piece))
            continue
        first, *rest = piece.split(" ")
        if first:
            words[-1].append((False, first))
        for part in rest:
            words.append([(False, part)] if part else [])
    out = []
    for word in words:
        if not word:
            continue
        text = " ".join(piece for is_math, piece in word if not is_math)
        protect = _needs_case_protection(text) or any(
            is_math and piece != piece.lower() for is_math, piece in word
        )
        trail = ""
        if protect and not word[-1][0]:  # {ST$^3$}: -- punctuation outside the braces
            core = word[-1][1].rstrip(":;,.!?")
            trail = escape_text(word[-1][1][len(core) :], utf8)
            word = word[:-1] + ([(False, core)] if core else [])
        latex = render(word, utf8)
        out.append(f"{{{latex}}}{trail}" if protect else latex)
    return " ".join(out)


def _needs_name_protection(name: str) -> bool:
    if "," in name:
        return True
    if is_group_name(name):
        # One plain word is a family name to BibTeX already; DeepSeek-AI is not.
        parts = name.replace("-", " ").split()
        if len(name.split()) > 1 or (len(parts) > 1 and is_group_name(" ".join(parts))):
            return True
    tokens = name.lower().split()
    return "and" in tokens or tokens == ["others"]


@lru_cache(maxsize=1 << 16)
def _format_author(name: str, utf8: bool) -> str:
    latex = escape_text(name, utf8)
    return f"{{{latex}}}" if _needs_name_protection(name) else latex


def _format_note(note: str, utf8: bool) -> str:
    lines = [clean_line(line).rstrip() for line in note.splitlines()]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    out = []
    for line in lines:
        latex = render(split_math(line), utf8)
        stripped = latex.lstrip()
        if stripped.startswith("@"):
            # bibtexparser and some editors take a line-initial @ for a new entry.
            latex = latex[: len(latex) - len(stripped)] + "{@}" + stripped[1:]
        out.append(latex)
    return "\n".join(out)


def _split_id(arxiv_id: str) -> tuple[str, str | None]:
    """``(eprint, primary_class)``: ``math.GT/0309136`` -> ``("math/0309136", "math.GT")``."""
    if "/" not in arxiv_id:
        return arxiv_id, None
    archive, number = arxiv_id.split("/", 1)
    return f"{archive.partition('.')[0]}/{number}", archive


def _id_year(arxiv_id: str) -> int | None:
    """Year of first submission encoded in the id (YYMM.NNNNN or archive/YYMMNNN)."""
    digits = arxiv_id.rpartition("/")[2]
    if len(digits) < 4 or not digits[:2].isdigit():
        return None
    yy = int(digits[:2])
    return 1900 + yy if "/" in arxiv_id and yy >= 91 else 2000 + yy


def _year(paper: Paper) -> int | None:
    id_year = _id_year(paper.arxiv_id)
    if paper.date is None:
        return id_year
    if id_year is not None and id_year < paper.date.year:
        return id_year  # the date belongs to a later version
    return paper.date.year


_BAD_KEY_RE = re.compile(r"[\s,{}()=\"#%'~\\]")
_CATEGORY_RE = re.compile(r"[a-z][a-z\-]*(?:\.[A-Za-z][A-Za-z\-]*)?")
_FIELD_WIDTH = len("archivePrefix")


def format_entry(
    paper: Paper,
    key: str,
    note: str = "",
    *,
    utf8: bool = False,
    tags: Sequence[str] = (),
    warnings: list[str] | None = None,
    published: Publication | None = None,
) -> str:
    """One entry for ``paper`` cited as ``key``, with ``note`` as ``annote``: ``@misc``,
    or where ``published`` says so ``@inproceedings`` / ``@article``.

    ``tags`` go to ``keywords``. Problems the reader should know of (a junk author
    dropped, a character written as UTF-8 in an ASCII file) are appended to
    ``warnings``, each naming the entry.
    """
    if not key or _BAD_KEY_RE.search(key):
        raise ValueError(f"not a usable BibTeX citation key: {key!r}")
    eprint, primary_class = _split_id(paper.arxiv_id)
    if primary_class is None and paper.categories and _CATEGORY_RE.fullmatch(paper.categories[0]):
        primary_class = paper.categories[0]  # as arXiv's own export writes it
    year = _year(paper)
    venue = _venue_fields(published, utf8)
    if published is not None and published.kind and published.year is not None:
        year = published.year
    authors = []
    for name in (one_line(a) for a in paper.authors):
        if usable_name(name):
            authors.append(name)
        elif warnings is not None:
            warnings.append(f"{key}: dropped the author {name!r}, which is not a name")
    title = _format_title(paper.title, utf8)
    annote = _format_note(note, utf8) if note else ""
    keywords = [escape_text(" ".join(t.replace(",", " ").split()), utf8) for t in tags]

    fields: list[tuple[str, str]] = []
    if authors:
        names = " and ".join(_format_author(a, utf8) for a in authors)
        # BibTeX's own "et al.": the styles print it, biber reads it as more names.
        fields.append(("author", f"{names} and others" if paper.authors_cut_short else names))
    elif title:
        # Styles sort and label an entry without author by its key field.
        fields.append(("key", _format_plain(_plain_title(paper.title), utf8)))
    if title:
        fields.append(("title", title))
    fields.extend(venue[:1])  # booktitle or journal
    if year is not None:
        fields.append(("year", str(year)))
    fields.extend(venue[1:])  # volume, pages
    fields.append(("eprint", eprint))
    fields.append(("archivePrefix", "arXiv"))
    if primary_class:
        fields.append(("primaryClass", primary_class))
    doi = _published_doi(published)
    fields.append(("doi", doi or f"10.48550/arXiv.{eprint}"))
    fields.append(("url", f"https://arxiv.org/abs/{eprint}"))
    if published is not None and not published.kind and published.journal_ref.strip():
        fields.append(("note", _format_plain(published.journal_ref, utf8)))
    if keywords:
        fields.append(("keywords", ", ".join(k for k in keywords if k)))
    if annote:
        fields.append(("annote", annote))
    body = "".join(f"  {name:<{_FIELD_WIDTH}} = {{{value}}},\n" for name, value in fields)
    kind = {"conference": "inproceedings", "journal": "article"}.get(
        published.kind if published is not None and venue else "", "misc"
    )
    entry = f"@{kind}{{{key},\n{body}}}\n"
    if not utf8 and warnings is not None and not entry.isascii():
        unspelled = sorted({c for c in entry if ord(c) > 127})
        shown = " ".join(f"{c} (U+{ord(c):04X})" for c in unspelled[:5])
        more = f" and {len(unspelled) - 5} more" if len(unspelled) > 5 else ""
        warnings.append(
            f"{key}: no ASCII LaTeX for {shown}{more}; kept as UTF-8 (biber, XeLaTeX and "
            "LuaLaTeX read it; export with --utf8 to say so)"
        )
    return entry


_PAGE_RANGE_RE = re.compile(r"(?<=\w)\s*(?:-+|\u2013|\u2014)\s*(?=\w)")
_DOI_RE = re.compile(r"10\.\d{4,9}/\S+")


def _venue_fields(published: Publication | None, utf8: bool) -> list[tuple[str, str]]:
    """``booktitle`` or ``journal`` first, then ``volume`` and ``pages``; [] for none."""
    if published is None or published.kind not in ("conference", "journal"):
        return []
    name = _format_plain(published.name, utf8)
    if not name:
        return []
    fields = [("booktitle" if published.kind == "conference" else "journal", name)]
    if published.kind == "journal" and published.volume.strip():
        fields.append(("volume", _format_plain(published.volume, utf8)))
    if published.pages.strip():
        pages = _PAGE_RANGE_RE.sub("--", one_line(published.pages))
        fields.append(("pages", _format_plain(pages, utf8)))
    return fields


def _published_doi(published: Publication | None) -> str:
    """The published DOI when it has a DOI's shape (it goes into the file unescaped)."""
    if published is None or not _DOI_RE.fullmatch(published.doi.strip()):
        return ""
    doi = published.doi.strip()
    return doi if not any(c in doi for c in "{}%\\#") else ""


def format_entries(
    entries: Sequence[Entry], *, utf8: bool = False, warnings: list[str] | None = None
) -> str:
    """Entries (``exporters.Entry``: paper, key, note, tags), separated by blank lines."""
    seen: set[str] = set()
    out = []
    for entry in entries:
        if entry.paper.arxiv_id in seen:
            continue
        seen.add(entry.paper.arxiv_id)
        out.append(
            format_entry(
                entry.paper,
                entry.key,
                entry.note,
                utf8=utf8,
                tags=entry.tags,
                warnings=warnings,
                published=entry.published,
            )
        )
    return "\n".join(out)


def format_bibliography(
    papers: Sequence[Paper],
    keys: Mapping[str, str],
    notes: Mapping[str, str] | None = None,
    *,
    utf8: bool = False,
) -> str:
    """Entries for ``papers`` in order, separated by blank lines; keys/notes by arxiv_id."""
    from tui_reader.exporters import Entry

    notes = notes or {}
    entries = []
    for paper in papers:
        try:
            key = keys[paper.arxiv_id]
        except KeyError:
            raise ValueError(f"no citation key for arXiv:{paper.arxiv_id}") from None
        entries.append(Entry(paper, key, notes.get(paper.arxiv_id, "")))
    return format_entries(entries, utf8=utf8)


# ---------------------------------------------------------------------------------------
# Citation keys


# Words skipped when picking the title word of a key.
STOP_WORDS = frozenset(
    """a an the on of for in to and or with via from towards toward into onto at by as
    is are be do does can about over under upon within without beyond through using
    versus vs not no its their our your we you how what why when which who""".split()
)
# Letters NFKD does not reduce to ASCII.
_TRANSLITERATION = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŋ": "n",
        "ĸ": "k",
        "ſ": "s",
    }
)
_NOT_KEY_CHAR_RE = re.compile(r"[^a-z0-9]")


def _key_part(text: str) -> str:
    """``text`` transliterated to ASCII lowercase, only ``[a-z0-9]`` kept."""
    text = text.lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION))
        text = text.translate(_TRANSLITERATION)  # NFKD may expose more (e.g. from ligatures)
    return _NOT_KEY_CHAR_RE.sub("", text)


def _title_word(title: str) -> str:
    for word in without_math(one_line(title)).split():
        part = _key_part(word)
        if part and not part.isdigit() and part not in STOP_WORDS:
            return part
    return "paper"


def citation_key_base(paper: Paper) -> str:
    """The key ``paper`` gets unless it is taken: author + year + title word."""
    authors = [name for name in (one_line(a) for a in paper.authors) if name]
    author = _key_part(family_name(authors[0])) if authors else ""
    year = _year(paper)
    return f"{author or 'anon'}{year if year is not None else ''}{_title_word(paper.title)}"


def _suffix(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa, 27 -> ab, ... (bijective base 26)."""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def assign_citation_keys(papers: Sequence[Paper], existing: Mapping[str, str]) -> dict[str, str]:
    """Keys for all ``papers``: existing ones unchanged, new ones unique, in order."""
    taken = {key.casefold() for key in existing.values()}
    next_suffix: dict[str, int] = {}  # base -> first suffix index not yet tried
    keys: dict[str, str] = {}
    for paper in papers:
        if paper.arxiv_id in keys:
            continue
        key = existing.get(paper.arxiv_id)
        if key is None:
            base = citation_key_base(paper)
            key = base
            if key in taken:
                n = next_suffix.get(base, 0)
                while (key := base + _suffix(n)) in taken:
                    n += 1
                next_suffix[base] = n + 1
            taken.add(key)
        keys[paper.arxiv_id] = key
    return keys
