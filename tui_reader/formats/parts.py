"""The parts of a paper as digests write them -> the plain fields of a ``Paper``.

``title_text(raw)``
    A title as a reader sees it: HTML tags and entities, link syntax, Markdown
    emphasis and escapes, and a leading list number (``3.``, ``1)``, ``[new 001]``)
    removed.
``author_names(raw) -> (names, cut_short)``
    A line of authors: split at ``,`` ``;`` ``，`` ``、`` and ``and``; parenthesised
    affiliations (nested too) dropped; ``et al.``, ``et.al.``, ``and others``,
    ``(N additional authors not shown)`` are never a name but make ``cut_short``
    true. HTML entities are decoded first (``&amp;`` is not a separator).
``abstract_text(raw) -> (abstract, bold_spans)``
    Hard-wrapped text joined, paragraphs kept; HTML (``<br>``, ``<p>``, ``<ol><li>``)
    to paragraphs; ``**bold**`` removed and remembered (``common.markdown_emphasis``),
    ``*italic*`` written ``\\emph{...}``, which the renderer shows in italics.
``looks_like_names(text)``
    Whether a line reads as a list of people's names (the generic reader's test).
``category_codes(text)``
    The arXiv category codes (``cs.CL``, ``gr-qc``, ``astro-ph.HE``) in a text.

Plain functions; each has a fast path for text without the markup it handles.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from .common import NO_SPANS, join_wrapped, markdown_emphasis, squash

Spans = tuple[tuple[int, int], ...]

_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_BREAK_TAG_RE = re.compile(r"<(?:br|/?p|/?div|/?ol|/?ul|li|/?tr|/?table)\b[^<>]*>", re.I)
_LINK_RE = re.compile(r"!?\[([^\]]*)\]\(\s*[^)\s]*\s*\)")
_HTML_LINK_RE = re.compile(r"<a\b[^>]*>(.*?)</a\s*>", re.I | re.S)
_LIST_NUMBER_RE = re.compile(
    r"^(?:\[(?:new|replaced|cross(?:-list)?|updated?|replace-cross)\s*\d*\]"
    r"|#?\d{1,4}\s*[.)](?=\s)|\(\d{1,4}\)|\[\d{1,4}\]|No\.\s*\d+[.:]?)\s*",
    re.I,
)
_ESCAPED_RE = re.compile(r"\\([$*_`#|])")
# The end of a list cut short. Tried on the last characters only (a slice): anchored
# at the end, a pattern is otherwise tried from every character of the line.
_ET_AL_RE = re.compile(
    r"(?:(?:^|[,;，]|\s)\s*(?:et\.?\s*al(?:ii|\.)?|and\s+others|others"
    r"|\(?(?:\d+\s+)?(?:additional|more)\s+authors?(?:\s+not\s+shown)?\)?)"
    r"|[,;，]?\s*(?:等人?|…|\.\.\.))\s*$",
    re.I,
)
_ALNUM_RE = re.compile(r"[^\W_]")  # a character str.isalnum() takes
# The words _ET_AL_RE's match ends with, white space aside: where the line does not end
# so, that pattern (tried from every character of the tail) cannot match.
_ET_AL_END_RE = re.compile(r"(?:al|al\.|alii|others|authors?|shown|\)|等|人|…|\.\.\.)\Z", re.I)
_AFFILIATION_RE = re.compile(r"\([^()]*\)")
# "&" is not a separator: it joins the parts of one name or affiliation ("Physics &
# Astronomy"); the ";" of "&amp;" is gone once entities are decoded.
_SEPARATOR_RE = re.compile(r"[,;，、；]|: ")
_AND_RE = re.compile(r"(?:^|\s)and\s+|\s+and$")
CATEGORY = (
    r"(?:(?:cs|math|stat|physics|eess|econ|q-bio|q-fin|astro-ph|cond-mat|nlin)"
    r"(?:\.[A-Za-z]{2}(?:-[A-Za-z]{2})?)?|gr-qc|hep-(?:ex|lat|ph|th)|math-ph|nucl-(?:ex|th)"
    r"|quant-ph)"
)
_CATEGORY_RE = re.compile(rf"(?<![\w.-])({CATEGORY})(?![\w-])")
# Every code holds one of these: cs (physics too), mat(h), stat, eess, econ, q-(bio|fin),
# (astro-|math-|quant-)ph, (cond-)mat, nlin, gr-qc, hep-, nucl-.
_CATEGORY_NEEDLES = ("cs", "mat", "stat", "eess", "econ", "q-", "ph", "nlin", "gr-qc", "hep-",
                     "nucl-")  # fmt: skip
_PARTICLES = frozenset(
    "van von de der den da di del della des du la le bin ibn al el dos das ter ten zu y".split()
)
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def decode_html(text: str) -> str:
    """Entities decoded (``&amp;`` -> ``&``), only when the text has any."""
    return html.unescape(text) if "&" in text and ";" in text else text


def strip_tags(text: str) -> str:
    """HTML tags removed (``a < b`` is not a tag and stays)."""
    return _TAG_RE.sub("", text) if "<" in text else text


def strip_links(text: str) -> str:
    """``[text](url)`` and ``<a href>text</a>`` -> ``text``; images dropped."""
    if "](" in text:
        text = _LINK_RE.sub(lambda m: "" if m.group(0)[0] == "!" else m.group(1), text)
    if "<a" in text or "<A" in text:
        text = _HTML_LINK_RE.sub(r"\1", text)
    return text


def unescape_markdown(text: str) -> str:
    """Markdown's backslash escapes of ``$ * _ ` # |`` -> the character."""
    if "\\" not in text or not _ESCAPED_RE.search(text):
        return text  # (TeX's backslashes are no escapes: no call of sub's Python part)
    return _ESCAPED_RE.sub(r"\1", text)


def title_text(raw: str) -> str:
    """A title as shown: no markup, no list number, one line."""
    text = strip_tags(strip_links(raw))
    text = unescape_markdown(decode_html(text)) if "&" in text or "\\" in text else text
    if "*" in text or "_" in text:
        text = markdown_emphasis(text, italic=None)[0]
    text = squash(text.replace("`", "") if "`" in text else text)
    if text[:1] in "[#(0123456789N":
        text = _LIST_NUMBER_RE.sub("", text, count=1)
    return text.strip(" -–—:|")


@lru_cache(maxsize=4096)  # the generic reader asks twice: does it read as names, which
def author_names(raw: str) -> tuple[tuple[str, ...], bool]:
    """``(names, cut_short)`` of an author line (see the module docstring)."""
    text = decode_html(raw)
    if "<" in text or "](" in text:
        text = strip_tags(strip_links(text))
    if "*" in text or "_" in text:
        text = text.replace("**", "").replace("__", "").strip("*_ \t")
    cut_short = False
    while text:
        tail = text[-64:]
        if not _ET_AL_END_RE.search(tail.rstrip()[-12:]):
            break  # (the list does not end as one cut short ends: no need to look)
        found = _ET_AL_RE.search(tail)
        if found is None:
            break
        text = text[: len(text) - len(tail) + found.start()].rstrip(" ,;")
        cut_short = True
    while "(" in text and _AFFILIATION_RE.search(text):
        text = _AFFILIATION_RE.sub(" ", text)
    names = []
    for part in _name_parts(text):
        # (" ".join(split()) is common.squash, quicker on a name's few characters)
        name = " ".join((part.strip(" .") if part.endswith(" .") else part).split())
        name = name.strip(" ,;:")
        if not _ALNUM_RE.search(name):  # (no letter or digit: str.isalnum's characters)
            continue
        lowered = name.lower().rstrip(".")
        if lowered in ("et al", "et.al", "etal", "others", "et al.", "al"):
            cut_short = True
            continue
        names.append(name)
    return tuple(names), cut_short


def _name_parts(text: str) -> list[str]:
    """``text`` split at ``,`` ``;`` ``，`` ``、`` ``: `` and the word ``and``."""
    parts = _SEPARATOR_RE.split(text) if ("," in text or ";" in text or ":" in text
                                           or not text.isascii()) else [text]  # fmt: skip
    if "and" not in text:
        return parts
    return [piece for part in parts for piece in _AND_RE.split(part)]


def abstract_text(raw: str) -> tuple[str, Spans]:
    """An abstract as the ``Paper`` keeps it (see the module docstring)."""
    text = raw
    if "<" in text:
        text = _BREAK_TAG_RE.sub("\n\n", text)
        text = strip_tags(strip_links(text))
    elif "](" in text:
        text = strip_links(text)
    if "&" in text:
        text = decode_html(text)
    if "\\" in text:
        text = unescape_markdown(text)
    text = join_wrapped(text)
    if "*" not in text:
        return text, NO_SPANS
    return markdown_emphasis(text)


def looks_like_names(text: str) -> bool:
    """Whether ``text`` (markup removed) reads as people's names, comma-separated."""
    text = text.strip()
    if not text or len(text) > 4000 or text.endswith(":") or "http" in text:
        return False
    names, cut_short = author_names(text)
    if not names:
        return False
    if CJK_RE.search(text):
        return all(len(name) <= 40 for name in names)
    good = 0
    for name in names:
        words = name.replace(".", ". ").split()
        if not 1 <= len(words) <= 7 or len(name) > 60:
            return False
        if all(word[0].isupper() or word.lower() in _PARTICLES or not word[0].isalpha()
               for word in words) and any(char.isalpha() for char in name):  # fmt: skip
            good += 1
    if len(names) == 1 and not cut_short:
        return good == 1 and 2 <= len(names[0].split()) <= 5 and not text.endswith(".")
    return good >= max(1, 0.8 * len(names))


def category_codes(text: str) -> tuple[str, ...]:
    """The arXiv category codes in ``text``, in order, each once."""
    if not text or not any(needle in text for needle in _CATEGORY_NEEDLES):
        return ()  # (the pattern, which no literal starts, is tried at every character)
    return tuple(dict.fromkeys(_CATEGORY_RE.findall(text)))
