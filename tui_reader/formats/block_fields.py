"""What one block of a page offers for each field, in every way the pages write it.

``Block(unit, page, found, mention_line)`` is one block (``lines.Unit``) of a page
(``lines.Lines``) with its own id mentions and the page's labelled lines that fall
in it. Its methods give the *candidate* for a field found one way, so that the
reader can learn which way the page uses and read every block the same way; a block
remembers what it was asked (the reader asks the sample's blocks twice):

* ``title(kind, mention)``, kinds ``TITLE_KINDS``: ``heading``, ``label``
  (``Title:``), ``link`` (the text of the link that shows the id), ``bold`` (the
  first bold span of the first line), ``anchor`` (the first other link near the
  top), ``line`` (the first line itself);
* ``author(kind, title_line)``: ``label`` (``Authors:``, ``作者``, ..., which wins
  whatever the kind), ``italic`` (a line that is all ``_..._``), ``plain:N`` (the
  N-th line of text after the title that reads as names; both from
  ``author_line``), ``cell`` (a table cell of names, ``author_cell``; none where
  ``has_cells()`` is false);
* ``abstract(kind, exclude)``: ``details`` (a ``<details>`` body), ``label``
  (``Abstract:`` at a line's start or, ``inline``, in its middle; these three from
  ``marked(kind)``; no ``<details>`` where ``may_have_details()`` is false),
  ``longest`` (the longest paragraph, ``longest_abstract``);
* ``field(name)``: a labelled value (``comments``, ``categories``, ``date``, ``type``,
  ``summary``, ``code``) and ``codes()``: the categories written as `` `cs.CV` ``.

Labels are recognised in any of the usual markups (``**Authors**:``, ``**Authors:**``,
``- **分类: cs.CL**``, ``> **作者:**``, ``<b>Authors:</b>``) and several languages.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from .ids import Mention, mentions
from .lines import Lines, Unit
from .parts import CJK_RE, looks_like_names, strip_links, strip_tags

_INLINE_ABSTRACT_RE = re.compile(r"(?<![\w-])(?:Abstract|摘要)[ \t]*[:：][ \t]*(\S.*)$")
_SUMMARY_TAG_RE = re.compile(r"<summary\b[^>]*>.*?</summary\s*>", re.I | re.S)
_MD_LINK_RE = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^)\s>]*)>?\s*\)")
_HTML_LINK_RE = re.compile(r"<a\b[^>]*?href=[\"']([^\"']*)[\"'][^>]*>(.*?)</a\s*>", re.I | re.S)
_BOLD_RE = re.compile(r"\*\*(?!\s)(.+?)(?<!\s)\*\*|__(?!\s)(.+?)(?<!\s)__|<(b|strong)>(.+?)</\3>")
_BACKTICK_RE = re.compile(r"`([^`\n]{1,40})`")
_ITEM_MARK_RE = re.compile(r"^[ \t>]*(?:(?:[-*+]|\d{1,3}[.)])[ \t]+)?")
# What a stripped line that _ITEM_MARK_RE cuts starts with (or a digit not ASCII).
_MARK_STARTS = ">-*+0123456789"
# A line that starts with such a mark (a digit of any script: what \\d takes).
_MARKED_LINE_RE = re.compile(r"\n[^\S\n]*[>\-*+\d]")
_PLACEHOLDER_RE = re.compile(
    r"(?:arxiv|pdf|abs|paper|papers|link|links|html|code|tweet|x|website|project|project page"
    r"|github|here|download|read|read more|read note|abstract|hf|huggingface|hugging face"
    r"|alphaxiv|demo|video|blog|dataset|model|models|page|slides|poster|openreview|view"
    r"|arxiv ?(?:id)?:? ?\S+|https?://\S+|[\d.v/ -]+|)",
    re.IGNORECASE,
)
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co/datasets",
               "huggingface.co/spaces", "img.shields.io", "colab.research")  # fmt: skip
_MD_HEADING_RE = re.compile(r"#{1,6}[ \t]+(.*?)[ \t#]*$")
_HTML_HEADING_RE = re.compile(r"<h[1-6][^>]*>(.*?)(?:</h[1-6]\s*>|$)", re.I)
_LINE_TITLE_END_RE = re.compile(r"\s+[-–—]\s+|\s{2,}|\s+\|\s+")
_CELL_RE = re.compile(r"\||</?td[^>]*>")
_MARKED_KINDS = ("details", "label", "inline")  # the abstracts a block marks
TITLE_KINDS = ("heading", "label", "link", "bold", "anchor", "line")
_BARE_LINE_RE = re.compile(r"^[\s\[\]()|·•,;:!>*_\-]*$")
_CELL_BREAK_RE = re.compile(r"</?(?:td|th|p|li|div)\b[^>]*>|<br\s*/?>", re.I)
_PARAGRAPH_RE = re.compile(r"\n[ \t>]*\n")


class Block:
    """One block's lines, its id mentions and its labelled lines (see the module)."""

    def __init__(self, unit: Unit, page: Lines, found: list[Mention],
                 mention_line: list[int]) -> None:  # fmt: skip
        """``found``: the block's mentions, their offsets counted from its first line;
        ``mention_line``: the line of each in the block."""
        self.unit = unit
        first, end = unit.first, unit.end
        self.lines = page.lines[first:end]
        self.text = page.text[page.offsets[first] : page.offsets[end] - 1]
        self.found = found
        self.mention_line = mention_line
        # (line, field or "other", value): the page's labels (a label's colon comes
        # early in its line: a name, and markup around it) that fall in the block.
        label_of, label_lines = page.label_of, page.label_lines
        low = bisect_left(label_lines, first)
        inside = label_lines[low : bisect_left(label_lines, end, low)] if label_lines else ()
        self.labels: list[tuple[int, str, str]] = [
            (number - first, *label_of[number])  # type: ignore[misc]
            for number in inside
        ]
        self.label_lines = {number for number, _, _ in self.labels} if inside else set()
        self.fields: dict[str, tuple[str, int]] = {}  # each field's first non-empty value
        for number, field, value in self.labels:
            if value and field not in self.fields:
                self.fields[field] = (value, number)
        lines = self.lines
        self.first_line = (
            0
            if lines and lines[0].strip()
            else next((n for n, line in enumerate(lines) if line.strip()), 0)
        )
        self._details: list[tuple[int, int, int, int]] | None = None
        self._inside: set[int] | None = None
        self._known: dict[tuple[str, object], object] = {}  # (way, argument) -> candidate

    # -- titles --------------------------------------------------------------------

    def title(self, kind: str, shown: Mention) -> tuple[str, int] | None:
        """The title candidate of one kind (remembered: the reader asks again)."""
        key = (kind, shown.start)
        if key not in self._known:
            self._known[key] = getattr(self, f"_title_{kind}")(shown)
        return self._known[key]  # type: ignore[return-value]

    def _title_heading(self, shown: Mention) -> tuple[str, int] | None:
        if self.unit.heading:
            return self.unit.heading, 0
        text = self.text
        if "#" not in text and "<h" not in text and "<H" not in text:
            return None  # (no line can start with a heading)
        for number, line in enumerate(self.lines):
            stripped = line.lstrip(" \t")
            if stripped[:1] == "#" or stripped[:2].lower() == "<h":
                heading = _MD_HEADING_RE.match(stripped) or _HTML_HEADING_RE.match(stripped)
                if heading:
                    return heading.group(1), number
        return None

    def _title_label(self, shown: Mention) -> tuple[str, int] | None:
        return self.field("title")

    def _title_link(self, shown: Mention) -> tuple[str, int] | None:
        return self._link_showing(shown)

    def _title_bold(self, shown: Mention) -> tuple[str, int] | None:
        first = self.first_line
        line = self.lines[first] if self.lines else ""
        if "*" not in line and "_" not in line and "<" not in line:
            return None
        for bold in _BOLD_RE.finditer(line):
            inner = bold.group(1) or bold.group(2) or bold.group(4) or ""
            after = line[bold.end() : bold.end() + 2].lstrip()
            if after.startswith((":", "：")) or inner.rstrip().endswith((":", "：")):
                continue
            target = _MD_LINK_RE.search(inner) if "](" in inner else None
            if target and any(host in target.group(2) for host in _CODE_HOSTS):
                continue
            return inner, first
        return None

    def _title_anchor(self, shown: Mention) -> tuple[str, int] | None:
        first = self.first_line
        for number in range(first, min(first + 3, len(self.lines))):
            anchor = self._anchor(self.lines[number])
            if anchor:
                return anchor, number
        return None

    def _title_line(self, shown: Mention) -> tuple[str, int] | None:
        first = self.first_line
        line = self.lines[first] if self.lines else ""
        plain = _ITEM_MARK_RE.sub("", strip_tags(line)).strip()
        if plain and not plain.startswith(("[", "!", "<")) and first not in self.label_lines:
            cut = _LINE_TITLE_END_RE.split(plain, maxsplit=1)[0]
            if "](" not in cut and not mentions(cut):
                return cut, first
        return None

    def _link_showing(self, shown: Mention) -> tuple[str, int] | None:
        """The text of the link (on the id's line) whose target shows the id."""
        text = self.text
        start = text.rfind("\n", 0, shown.start) + 1
        end = text.find("\n", shown.end)
        end = end if end >= 0 else len(text)
        for pattern, text_group, url_group in ((_MD_LINK_RE, 1, 2), (_HTML_LINK_RE, 2, 1)):
            for link in pattern.finditer(text, start, end):
                if link.start(url_group) <= shown.start < link.end(url_group) + 1:
                    shown_text = link.group(text_group)
                    if not _placeholder(shown_text):
                        return shown_text, text.count("\n", 0, link.start())
                    return None
        return None

    def _anchor(self, line: str) -> str:
        for pattern, text_group, url_group in ((_MD_LINK_RE, 1, 2), (_HTML_LINK_RE, 2, 1)):
            for link in pattern.finditer(line):
                url, text = link.group(url_group), link.group(text_group)
                if link.group(0).startswith("!") or any(host in url for host in _CODE_HOSTS):
                    continue
                if url.startswith("#") or _placeholder(text) or len(strip_tags(text)) < 8:
                    continue
                return text
        return ""

    # -- authors -------------------------------------------------------------------

    def author(self, kind: str, title_line: int) -> tuple[str, int] | None:
        """The authors the way ``kind`` finds them; a label wins whatever the kind."""
        labelled = self.field("authors")
        if labelled is not None:
            return labelled
        if kind == "cell":
            return self.author_cell()
        named = self.author_line(title_line) if kind not in ("", "label") else None
        return named[1] if named is not None and named[0] == kind else None

    def author_line(self, title_line: int) -> tuple[str, tuple[str, int]] | None:
        """The first line after the title that reads as names: ``italic`` (all
        ``_..._``) or ``plain:N`` (the N-th line of text after the title, N < 3)."""
        key = ("line", title_line)
        if key in self._known:
            return self._known[key]  # type: ignore[return-value]
        found = None
        position = 0
        inside = self._inside_details()
        for number in range(title_line + 1, len(self.lines)):
            if number in inside or number in self.label_lines:
                continue
            raw = self.lines[number]
            text = _ITEM_MARK_RE.sub("", raw).strip()
            if not text or text.startswith(("<", "!")) or _BARE_LINE_RE.match(_no_links(text)):
                continue  # blank, HTML, a badge, or only links: [[code](...)] | [PDF](...)
            if text[0] in "_*" and text[-1] == text[0] and len(text) > 2 and text[1] != text[0]:
                inner = text.strip("_*").strip()
                if looks_like_names(inner):
                    found = ("italic", (inner, number))
                    break
            plain = strip_tags(text)
            if position < 3 and looks_like_names(plain):
                found = (f"plain:{position}", (plain, number))
                break
            position += 1
            if position >= 3:
                break
        self._known[key] = found
        return found

    def author_cell(self) -> tuple[str, int] | None:
        """A table cell of names (not the title's cell nor the links')."""
        key = ("cell", None)
        if key in self._known:
            return self._known[key]  # type: ignore[return-value]
        found = None
        if self.has_cells():
            for raw in _CELL_RE.split(self.text):
                if "<a" in raw or "](" in raw or "<button" in raw:
                    continue  # the title's cell, or the links'
                cell = strip_tags(raw).strip()
                if cell and looks_like_names(cell):
                    found = (cell, 0)
                    break
        self._known[key] = found
        return found

    def has_cells(self) -> bool:
        """Whether the block has table cells (``|`` or ``<td``): else no ``author_cell``."""
        return "|" in self.text or "<td" in self.text

    # -- abstracts -----------------------------------------------------------------

    def may_have_details(self) -> bool:
        """False when the block cannot hold a ``<details>`` (no ``<d`` in any case)."""
        text = self.text
        return "<d" in text or "<D" in text

    def details(self) -> list[tuple[int, int, int, int]]:
        """Each ``<details>`` element: (start, body start, body end, end) offsets."""
        if self._details is None:
            self._details = []
            text = self.text
            if "<details" in text:
                lowered = text
            elif "<d" in text or "<D" in text:  # (else no "<details" in any case)
                lowered = text.lower()
            else:
                return self._details
            at = lowered.find("<details")
            while at >= 0:
                body = lowered.find(">", at) + 1
                close = lowered.find("</details", body)
                body_end = close if close >= 0 else len(text)
                end = lowered.find(">", close) + 1 if close >= 0 else len(text)
                self._details.append((at, body, body_end, end or len(text)))
                at = lowered.find("<details", end or len(text))
        return self._details

    def _inside_details(self) -> set[int]:
        if self._inside is None:
            self._inside = set()
            for start, _, _, end in self.details():
                first = self.text.count("\n", 0, start)
                self._inside.update(range(first, first + self.text.count("\n", start, end) + 1))
        return self._inside

    def abstract(self, kind: str, exclude: tuple[str, ...]) -> str:
        """The abstract the way ``kind`` finds it, else a marked one (``details``,
        ``label``, ``inline``, in that order), else ""."""
        if kind == "longest":
            longest = self.longest_abstract(exclude)
            if longest:
                return longest
        elif kind in _MARKED_KINDS:
            found = self.marked(kind)
            if found:
                return found
        for other in _MARKED_KINDS:
            found = self.marked(other)
            if found is not None:
                return found
        return ""

    def marked(self, kind: str) -> str | None:
        """The abstract the block marks one way (``_MARKED_KINDS``: a ``<details>`` body,
        an ``Abstract:`` label at a line's start, else one in a line's middle,
        ``inline``), None if it has none (remembered: each is looked for only when
        asked)."""
        key = ("marked", kind)
        if key in self._known:
            return self._known[key]  # type: ignore[return-value]
        found = None
        if kind == "details":
            for _, body_start, body_end, _ in self.details():
                body = _SUMMARY_TAG_RE.sub("", self.text[body_start:body_end]).strip()
                if body:
                    found = body
                    break
        elif kind == "label":
            for number, field, value in self.labels:
                if field == "abstract":
                    found = self.labelled_block(number, value)
                    break
        elif self.marked("label") is None and ("Abstract" in self.text or "摘要" in self.text):
            for line in self.lines:  # (inline: only where no line is labelled so)
                if ("Abstract" in line or "摘要" in line) and (
                    inline := _INLINE_ABSTRACT_RE.search(line)
                ):
                    found = inline.group(1)
                    break
        self._known[key] = found
        return found

    def longest_abstract(self, exclude: tuple[str, ...]) -> str:
        """The longest paragraph, when it is long enough to be an abstract, else ""."""
        key = ("longest", exclude)
        if key in self._known:
            return self._known[key]  # type: ignore[return-value]
        longest = self._longest_paragraph(exclude)
        plain = strip_tags(strip_links(longest))
        if not (
            len(plain) >= 200
            or (len(plain) >= 80 and len(plain.split()) >= 12)
            or (len(plain) >= 40 and CJK_RE.search(plain))
        ):
            longest = ""
        self._known[key] = longest
        return longest

    def _longest_paragraph(self, exclude: tuple[str, ...]) -> str:
        """The longest paragraph or table cell outside details, labels and headings."""
        text = self.text
        blanked = self._inside_details() | self.label_lines
        if blanked or "#" in text:  # (else the lines joined are the block's text)
            lines = list(self.lines)
            for number in blanked:
                lines[number] = ""
            if "#" in text:
                for number, line in enumerate(lines):
                    if "#" in line and line.lstrip(" \t>").startswith("#"):
                        lines[number] = ""
            text = "\n".join(lines)
        if "<" in text:
            text = _CELL_BREAK_RE.sub("\n\n", text)
        longest = ""
        for chunk in _PARAGRAPH_RE.split(text):
            if len(chunk) <= len(longest) or any(part and part in chunk for part in exclude):
                continue
            unmarked = _unmarked if _MARKED_LINE_RE.search("\n" + chunk) else str.strip
            chunk = " ".join(map(unmarked, chunk.split("\n")))
            if len(chunk) > len(longest):
                longest = chunk.strip()
        return longest

    def labelled_block(self, number: int, value: str) -> str:
        """A label's value and the lines after it, up to a blank line or another label."""
        parts = [value]
        for following in range(number + 1, len(self.lines)):
            line = self.lines[following].strip()
            text = line.lstrip(">").strip()
            if not text or following in self.label_lines or line.startswith(("#", "</", "---")):
                break
            parts.append(text)
        return "\n".join(parts)

    # -- the other fields ------------------------------------------------------------

    def field(self, name: str) -> tuple[str, int] | None:
        """The first non-empty value of a label for field ``name``, and its line."""
        return self.fields.get(name)

    def codes(self) -> list[str]:
        """The texts in backticks on the block's first lines (categories, often)."""
        if "`" not in self.text:
            return []
        head = "\n".join(self.lines[self.first_line : self.first_line + 3])
        return _BACKTICK_RE.findall(head) if "`" in head else []

    def code_url(self) -> str:
        text = self.text
        if "github.com" not in text and "gitlab.com" not in text and "bitbucket.org" not in text:
            return ""  # (_CODE_HOSTS[:3]; three substring tests are quicker than a pattern)
        for link in _MD_LINK_RE.finditer(text):
            url = link.group(2)
            if url.startswith("https://") and any(host in url for host in _CODE_HOSTS[:3]):
                return url
        return ""


def _unmarked(line: str) -> str:
    """A line stripped, without the quote or list mark it starts with."""
    line = line.strip()
    head = line[:1]
    return _ITEM_MARK_RE.sub("", line) if head in _MARK_STARTS or not head.isascii() else line


def _no_links(text: str) -> str:
    """``text`` without its links (text and target)."""
    if "](" in text:
        text = _MD_LINK_RE.sub("", text)
    return _HTML_LINK_RE.sub("", text) if "<a" in text else text


def _placeholder(text: str) -> bool:
    plain = strip_tags(text).strip().strip("[]()*_`'\"📄🔗📝⬇️↗ ·:").strip()
    return bool(_PLACEHOLDER_RE.fullmatch(plain)) or "arxiv.org" in plain.lower()
