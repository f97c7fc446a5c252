"""The detail pane's lines for what only some digest layouts carry.

Pure functions from a ``Paper`` to Rich ``Text``: no widget, no Textual. The pane
asks for them and places them; the rules of what is shown live here.

Public API
----------
``identifier(paper, link)``
    ``2412.21188v2  https://arxiv.org/abs/2412.21188``: the id as the digest gave it
    (``Paper.versioned_id``: no ``vNone`` for e-mail papers) and the abstract page as a
    link. The link is built from the id, so only ``https://arxiv.org`` links ever open.
``keywords_label(paper)``
    ``"Topics"`` when the keywords are a topic table's topics, else ``"Keywords"``.
``extra_fields(paper, styles)``
    ``(label, value)`` pairs for the metadata block, in this order: ``Subjects``
    (arXiv categories, primary first, a cross-list marked), ``Comments``, ``Journal``,
    ``Code`` and ``Topics`` (only when they are not already the keywords). Empty
    fields are left out.
``compact_fields(paper, styles)``
    The same fields on one line, for the compact metadata block (terminals under 30
    rows): ``Subjects cs.CL · Comments Accepted at ECIR 2025 · Journal ...``; the pane
    cuts it to its width. ``[]`` when the paper has none of them.
``online_fields(paper, metadata)``
    What fetched metadata (``online.records.Metadata``) add: ``Title`` -- a small
    line saying the title shown is arXiv's and what the digest has -- when arXiv's
    title says something else (``online.view.arxiv_title``), and ``Published`` (the
    venue, year, pages and DOI, or arXiv's journal_ref) when the paper was published.
    ``[]`` without metadata.
``summary_lines(paper, styles)``
    The TL;DR an AI-summary digest gives, as a label line and a text, to be shown
    above the abstract; ``[]`` without one.
``abstract_notice(paper)``
    What to say in place of an empty abstract (a replacement in arXiv's e-mail, a
    topic table's row), or None when there is an abstract.

Rules: digest text is untrusted. Every string from a digest goes through
``printable`` and into ``Text`` as plain text, never markup; each field is bounded
(``rendering.field_text``, and the TL;DR by ``shown_part`` with a line saying how
much is not shown), so no field of any size holds the screen up. A code link is
shown as text, not as a link: only arXiv pages open from this program.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from ..mathtext import render_latex
from ..model import Paper
from ..sanitize import printable
from .rendering import SHOWN_CHARS, field_text, left_out, shown_part

if TYPE_CHECKING:
    from ..online.records import Metadata

NO_ABSTRACT = "This digest gives no abstract."
REPLACEMENT_NO_ABSTRACT = "Replacement: no abstract in this listing."
CROSS_LIST_MARK = "cross-listed here"

_NO_STYLE = Style()


def identifier(paper: Paper, link: Style = _NO_STYLE) -> Text:
    """The id as the digest gave it, then the arXiv abstract page as a link."""
    url = paper.abs_url  # built from the id: never a URL taken from the digest
    text = Text(f"{paper.versioned_id}  ")
    text.append(url, link + Style(link=url))
    return text


def keywords_label(paper: Paper) -> str:
    if paper.topics and set(paper.keywords) == set(paper.topics):
        return "Topics"
    return "Keywords"


def extra_fields(paper: Paper, styles: Mapping[str, Style]) -> list[tuple[str, Text]]:
    """The layout-specific metadata lines, each a label and its value."""
    label = styles.get("label", _NO_STYLE)
    fields: list[tuple[str, Text]] = []
    if paper.categories:
        subjects = Text(printable(field_text(paper.categories)))
        if paper.cross_list:
            subjects.append(f"  ({CROSS_LIST_MARK})", label)
        fields.append(("Subjects", subjects))
    if paper.comments:
        fields.append(("Comments", Text(printable(field_text([paper.comments])))))
    if paper.journal_ref:
        fields.append(("Journal", Text(printable(field_text([paper.journal_ref])))))
    if paper.code_url:
        # Shown, never linked: a digest could point it anywhere.
        code = printable(field_text([paper.code_url]))
        fields.append(("Code", Text(code, styles.get("code", _NO_STYLE))))
    if paper.topics and keywords_label(paper) != "Topics":
        fields.append(("Topics", Text(printable(field_text(paper.topics)))))
    return fields


def online_fields(paper: Paper, metadata: Metadata | None) -> list[tuple[str, Text]]:
    """The lines fetched metadata add: arXiv's title noted, the published version."""
    if metadata is None:
        return []
    from ..online.view import arxiv_title, publication

    fields: list[tuple[str, Text]] = []
    if arxiv_title(paper, metadata) is not None:
        said = f"as on arXiv; the digest has “{printable(' '.join(paper.title.split()))}”"
        fields.append(("Title", Text(said)))
    published = publication(metadata)
    if published is not None:
        parts = []
        if published.kind and published.name:
            year = f" {published.year}" if published.year else ""
            parts.append(f"{published.name}{year}")
            if published.pages:
                parts.append(f"pp. {published.pages}")
        elif published.journal_ref:
            parts.append(published.journal_ref)
        if published.doi:
            parts.append(f"doi:{published.doi}")
        fields.append(("Published", Text(printable(" · ".join(parts)))))
    return fields


def compact_fields(
    paper: Paper, styles: Mapping[str, Style], more: Sequence[tuple[str, Text]] = ()
) -> list[Text]:
    """``extra_fields`` (and ``more``) as one line (labels in the label style), or nothing."""
    label = styles.get("label", _NO_STYLE)
    line = Text()
    for name, value in [*extra_fields(paper, styles), *more]:
        line.append(f"{' · ' if line else ''}{name} ", label)
        line.append_text(value)
    return [line] if line else []


def summary_lines(paper: Paper, styles: Mapping[str, Style]) -> list[Text]:
    """The TL;DR block (a label, then the summary), or nothing."""
    summary = paper.summary.strip()
    if not summary:
        return []
    summary, hidden = shown_part(summary, SHOWN_CHARS)
    shown = printable(render_latex(summary).text, keep_newlines=True)
    lines = [Text("TL;DR", styles.get("label", _NO_STYLE)),
             Text(shown, styles.get("summary", _NO_STYLE))]  # fmt: skip
    if hidden:
        lines.append(Text(left_out(hidden), styles.get("notice", _NO_STYLE)))
    return lines


def abstract_notice(paper: Paper) -> str | None:
    """Why there is no abstract, said plainly; None when there is one."""
    if paper.abstract.strip():
        return None
    return REPLACEMENT_NO_ABSTRACT if paper.replacement else NO_ABSTRACT
