"""Papers (+ the user's notes) -> BibTeX text that drops straight into a LaTeX project.

Plain functions: no Textual, no I/O. The caller reads and writes files, the clipboard
and the store; this module only turns :class:`~tui_reader.model.Paper` records into
text and chooses citation keys.

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
``format_entry(paper, key, note="", *, utf8=False) -> str``
    One ``@misc`` entry, ending with ``"}\\n"``. Raises ValueError for a key BibTeX
    cannot hold (empty, whitespace, ``, { } ( ) = " # % ' ~ \\``).
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

* Authors are joined with `` and `` in the given order, never inverted. A name that
  BibTeX would split or misread (it contains a comma, the word "and", or is exactly
  "others") is wrapped in braces as a whole.
* ``year`` is the year of ``paper.date``; when the arXiv id says the paper was first
  submitted earlier (``date`` then belongs to a later version) or ``date`` is missing,
  the id's year is used. ``eprint``/``url``/``doi`` carry no version. ``primaryClass`` is
  the paper's first arXiv category when its digest lists categories (``cs.LG``), else,
  for old-style ids, the archive (``hep-th/9901001``, ``math.GT/0309136`` -> eprint
  ``math/0309136``, primaryClass ``math.GT``); a category that is not of arXiv's shape
  is not written.
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
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from pylatexenc.latexencode import UnicodeToLatexEncoder

from tui_reader.model import Paper

__all__ = [
    "STOP_WORDS",
    "assign_citation_keys",
    "citation_key_base",
    "format_bibliography",
    "format_entry",
]

# ---------------------------------------------------------------------------------------
# Escaping text


# Plain-text characters LaTeX (or BibTeX) would misread. Braces are spelled as commands
# because BibTeX counts `\{` as an opening brace. `< > |` print other glyphs in the
# default OT1 font encoding.
_TEXT_SPECIALS = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "$": r"\$",
        "&": r"\&",
        "%": r"\%",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
        "<": r"\textless{}",
        ">": r"\textgreater{}",
        "|": r"\textbar{}",
    }
)
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
# Control characters (C0 except tab/newline, DEL, C1) and lone surrogates, which
# cannot even be written as UTF-8.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")

_ENCODER = UnicodeToLatexEncoder(
    non_ascii_only=True,
    replacement_latex_protection="braces-all",
    unknown_char_policy="keep",
    unknown_char_warning=False,
)


def _braces_balanced(latex: str) -> bool:
    """True when braces balance under all three ways of counting them.

    BibTeX and biber count every brace; bibtexparser skips a brace right after a
    backslash; TeX skips the control symbols ``\\{`` ``\\}`` but not ``\\\\{``.
    """
    literal = naive = tex = 0
    escaped = False  # previous character starts a TeX control sequence
    previous = ""
    for char in latex:
        if char in "{}":
            step = 1 if char == "{" else -1
            literal += step
            if previous != "\\":
                naive += step
            if not escaped:
                tex += step
            if literal < 0 or naive < 0 or tex < 0:
                return False
        escaped = char == "\\" and not escaped
        previous = char
    return literal == naive == tex == 0


@lru_cache(maxsize=4096)
def _latex_for_char(char: str) -> str:
    """LaTeX for one non-ASCII character, or the character itself when there is none."""
    latex = _ENCODER.unicode_to_latex(char)
    if latex == char or not latex.isascii() or not _braces_balanced(latex):
        return char
    return latex


@lru_cache(maxsize=4096)
def _latex_for_math_char(char: str) -> str:
    latex = _latex_for_char(char)
    if latex == char or latex.startswith("{\\ensuremath"):
        return latex
    # Text accents such as {\"u} are errors in math mode.
    return rf"\mbox{{{latex}}}"


def _encode_non_ascii(text: str) -> str:
    if text.isascii():
        return text
    return _NON_ASCII_RE.sub(lambda m: _latex_for_char(m.group()), text)


def _escape_text(text: str, utf8: bool) -> str:
    text = text.translate(_TEXT_SPECIALS)
    return text if utf8 else _encode_non_ascii(text)


_MATH_FIX_RE = re.compile(r"\\.|[%#&]", re.DOTALL)


def _render_math(content: str, utf8: bool) -> str:
    """Math content verbatim, except characters that would break the line or the file."""
    content = _MATH_FIX_RE.sub(
        lambda m: m.group() if len(m.group()) == 2 else "\\" + m.group(), content
    )
    if not utf8 and not content.isascii():
        content = _NON_ASCII_RE.sub(lambda m: _latex_for_math_char(m.group()), content)
    return content


def _clean_line(text: str) -> str:
    """NFC, without control characters or lone surrogates (each becomes a space / U+FFFD)."""
    if text.isprintable() and (text.isascii() or unicodedata.is_normalized("NFC", text)):
        return text
    if not text.isascii():
        text = _SURROGATE_RE.sub("\ufffd", unicodedata.normalize("NFC", text))
    return _CONTROL_RE.sub(" ", text).replace("\t", " ")


def _one_line(text: str) -> str:
    """``text`` on one line with runs of whitespace collapsed to one space."""
    return " ".join(_clean_line(text).split())


# ---------------------------------------------------------------------------------------
# Math spans


_BACKSLASH_NON_ASCII_RE = re.compile(r"\\[^\x00-\x7f]")


def _math_close(text: str, start: int, display: bool) -> int | None:
    """Index of the ``$`` closing a span whose content starts at ``start``, or None."""
    i, n = start, len(text)
    while i < n:
        char = text[i]
        if char == "\\":
            i += 2
        elif char == "$":
            if not display:
                return i
            return i if text.startswith("$$", i) else None
        else:
            i += 1
    return None


def _split_math(text: str) -> list[tuple[bool, str]]:
    """``text`` as ``(is_math, piece)`` pieces; math pieces are the content only."""
    if "$" not in text:
        return [(False, text)]
    pieces: list[tuple[bool, str]] = []
    text_start = i = 0
    while (i := text.find("$", i)) >= 0:
        delim = 2 if text.startswith("$$", i) else 1
        start = i + delim
        end = _math_close(text, start, delim == 2)
        if end is not None:
            content = text[start:end]
            after = text[end + delim : end + delim + 1]
            if (
                content
                and not content[0].isspace()
                and not content[-1].isspace()
                and not (delim == 1 and after.isdigit())
                and "\n" not in content
                and _braces_balanced(content)
                and not _BACKSLASH_NON_ASCII_RE.search(content)
            ):
                if i > text_start:
                    pieces.append((False, text[text_start:i]))
                pieces.append((True, content))
                i = text_start = end + delim
                continue
        i += 1  # a dollar sign, not math
    if text_start < len(text):
        pieces.append((False, text[text_start:]))
    return pieces


def _render(pieces: Iterable[tuple[bool, str]], utf8: bool) -> str:
    return "".join(
        f"${_render_math(piece, utf8)}$" if is_math else _escape_text(piece, utf8)
        for is_math, piece in pieces
    )


def _without_math(text: str) -> str:
    return " ".join(piece for is_math, piece in _split_math(text) if not is_math)


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
    latex = _escape_text(word, utf8)
    return f"{{{latex}}}" if _needs_case_protection(word) else latex


def _format_title(title: str, utf8: bool) -> str:
    title = _one_line(title)
    if "$" not in title:
        return " ".join([_format_title_word(word, utf8) for word in title.split(" ") if word])
    pieces = _split_math(title)
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
        latex = _render(word, utf8)
        text = " ".join(piece for is_math, piece in word if not is_math)
        protect = _needs_case_protection(text) or any(
            is_math and piece != piece.lower() for is_math, piece in word
        )
        out.append(f"{{{latex}}}" if protect else latex)
    return " ".join(out)


def _needs_name_protection(name: str) -> bool:
    if "," in name:
        return True
    tokens = name.lower().split()
    return "and" in tokens or tokens == ["others"]


@lru_cache(maxsize=1 << 16)
def _format_author(name: str, utf8: bool) -> str:
    latex = _escape_text(name, utf8)
    return f"{{{latex}}}" if _needs_name_protection(name) else latex


def _format_note(note: str, utf8: bool) -> str:
    lines = [_clean_line(line).rstrip() for line in note.splitlines()]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    out = []
    for line in lines:
        latex = _render(_split_math(line), utf8)
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


def format_entry(paper: Paper, key: str, note: str = "", *, utf8: bool = False) -> str:
    """One ``@misc`` entry for ``paper`` cited as ``key``, with ``note`` as ``annote``."""
    if not key or _BAD_KEY_RE.search(key):
        raise ValueError(f"not a usable BibTeX citation key: {key!r}")
    eprint, primary_class = _split_id(paper.arxiv_id)
    if paper.categories and _CATEGORY_RE.fullmatch(paper.categories[0]):
        primary_class = paper.categories[0]
    year = _year(paper)
    authors = [name for name in (_one_line(a) for a in paper.authors) if name]
    title = _format_title(paper.title, utf8)
    annote = _format_note(note, utf8) if note else ""

    fields: list[tuple[str, str]] = []
    if authors:
        fields.append(("author", " and ".join(_format_author(a, utf8) for a in authors)))
    if title:
        fields.append(("title", title))
    if year is not None:
        fields.append(("year", str(year)))
    fields.append(("eprint", eprint))
    fields.append(("archivePrefix", "arXiv"))
    if primary_class:
        fields.append(("primaryClass", primary_class))
    fields.append(("doi", f"10.48550/arXiv.{eprint}"))
    fields.append(("url", f"https://arxiv.org/abs/{eprint}"))
    if annote:
        fields.append(("annote", annote))
    body = "".join(f"  {name:<{_FIELD_WIDTH}} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{key},\n{body}}}\n"


def format_bibliography(
    papers: Sequence[Paper],
    keys: Mapping[str, str],
    notes: Mapping[str, str] | None = None,
    *,
    utf8: bool = False,
) -> str:
    """Entries for ``papers`` in order, separated by blank lines; keys/notes by arxiv_id."""
    notes = notes or {}
    entries = []
    seen: set[str] = set()
    for paper in papers:
        if paper.arxiv_id in seen:
            continue
        seen.add(paper.arxiv_id)
        try:
            key = keys[paper.arxiv_id]
        except KeyError:
            raise ValueError(f"no citation key for arXiv:{paper.arxiv_id}") from None
        entries.append(format_entry(paper, key, notes.get(paper.arxiv_id, ""), utf8=utf8))
    return "\n".join(entries)


# ---------------------------------------------------------------------------------------
# Citation keys


# Words skipped when picking the title word of a key.
STOP_WORDS = frozenset(
    """a an the on of for in to and or with via from towards toward into onto at by as
    is are be do does can about over under upon within without beyond through using
    versus vs not no its their our your we you how what why when which who""".split()
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
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


def _starts_lowercase(token: str) -> bool:
    for char in token:
        if char.isalpha():
            return char.islower()
    return False


def _family_name(name: str) -> str:
    """BibTeX's "Last" part of a "First von Last" name, without Jr./III suffixes."""
    tokens = name.split()
    while len(tokens) > 1 and tokens[-1].lower().rstrip(".,") in _SUFFIXES:
        tokens.pop()
    if tokens:
        tokens[-1] = tokens[-1].rstrip(",")
    particles = [i for i in range(1, len(tokens) - 1) if _starts_lowercase(tokens[i])]
    start = particles[-1] + 1 if particles else len(tokens) - 1
    return " ".join(tokens[start:])


def _title_word(title: str) -> str:
    for word in _without_math(_one_line(title)).split():
        part = _key_part(word)
        if part and not part.isdigit() and part not in STOP_WORDS:
            return part
    return "paper"


def citation_key_base(paper: Paper) -> str:
    """The key ``paper`` gets unless it is taken: author + year + title word."""
    authors = [name for name in (_one_line(a) for a in paper.authors) if name]
    author = _key_part(_family_name(authors[0])) if authors else ""
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
