"""The detail pane: everything about the paper under the cursor.

A Line-API ``ScrollView`` that lays its text out into lines itself, block by block:
the title, the metadata, the note, the TL;DR and the abstract. Each block is wrapped once for
a paper and a width and kept, so a key press that changes only the paper's state
redraws one small block, and coming back to a paper costs nothing. Setting a new
``model`` repaints this pane only: its size never depends on the paper, so the screen
is never laid out again for it (only a resize or a screen change does that).

Rules of the layout: below ``COMPACT_ROWS`` terminal rows the metadata is a short
block without labels (the authors; the id, dates, digests, state and keywords; the
fields only some layouts carry), wrapped, never cut, so every field can be read at
80x24; taller, one labelled line per field, a long value wrapped under its value
column (``LABEL_WIDTH``). The note comes before the abstract, and a digest's TL;DR
right above it; an empty abstract is said plainly (``paper_fields`` owns the wording
and the fields only some layouts carry); title, note and abstract lines stop near
``MEASURE`` columns on wide terminals, a comfortable reading width.

Digest text arrives here as plain strings and leaves as Rich ``Text`` built span by
span: it is never parsed as markup, and control characters are made visible first.
Every block is bounded (``rendering.shown_part``, ``field_text``): a title, an
abstract, a note or a field of any size costs what its first screens cost, and a line
says how much is not shown.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..model import Paper
from ..sanitize import printable
from ..store import PaperState

if TYPE_CHECKING:
    from ..online.records import Metadata
from . import paper_fields
from .component_styles import ComponentStyles
from .rendering import (
    SHOWN_CHARS,
    abstract_text,
    field_text,
    fitting,
    left_out,
    more_items,
    shown_part,
    title_left_out,
    title_text,
)

COMPACT_ROWS = 30  # terminals lower than this get the two-line metadata block
MEASURE = 100  # columns: the longest line of running text
CACHED_BLOCKS = 256
GUTTER = 2  # columns right of the text: a space and the scroll bar
LABEL_WIDTH = 10  # columns of a metadata label ("Submitted "); values start after it


@dataclass(frozen=True, slots=True)
class DetailModel:
    """What the pane shows; a new model redraws it."""

    paper: Paper
    state: PaperState
    words: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    why: str = ""  # the "for you" order's reason for this paper ('' when not sorted so)
    metadata: Metadata | None = None  # fetched from arXiv and the venue service, if any


class PaperDetail(ScrollView, can_focus=False):
    """Title, authors, dates, ids, digests, keywords, the note and the abstract."""

    COMPONENT_CLASSES = {
        "paper-detail--title",
        "paper-detail--label",
        "paper-detail--keyword",
        "paper-detail--word",
        "paper-detail--search",
        "paper-detail--emphasis",
        "paper-detail--math",
        "paper-detail--note",
        "paper-detail--flag",
        "paper-detail--summary",
        "paper-detail--notice",
        "paper-detail--scrollbar",
        "paper-detail--scrollbar-thumb",
    }

    model: reactive[DetailModel | None] = reactive(None, always_update=True, repaint=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._blocks: OrderedDict[Hashable, list[Strip]] = OrderedDict()
        self._lines: list[Strip] = []
        self._rich_styles = ComponentStyles(self)
        self._blanks: dict[int, Strip] = {}  # width -> an empty row, until the styles change
        self._drawn: dict[int, Strip] = {}  # screen row -> the row as last drawn

    # -- what is shown --------------------------------------------------------------

    def watch_model(self, old: DetailModel | None, new: DetailModel | None) -> None:
        if new is None or old is None or old.paper.arxiv_id != new.paper.arxiv_id:
            self.scroll_to(y=0, animate=False)
        self._lay_out()

    def at_end(self) -> bool:
        return self.scroll_y >= self.max_scroll_y

    @property
    def text(self) -> str:
        """Everything the pane shows, unwrapped into plain text (tests read it)."""
        if self.model is None:
            return "No paper to show."
        compact = self.app.size.height < COMPACT_ROWS
        parts = [self._title(self.model), *self._metadata(self.model, compact, None)]
        if self.model.state.note:
            parts.extend(self._note(self.model))
        parts.extend(self._abstract(self.model))
        return "\n".join(part.plain for part in parts)

    # -- laying the text out into lines ----------------------------------------------

    def on_resize(self) -> None:
        self._lay_out()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._rich_styles.clear()
        self._blanks.clear()
        self._blocks.clear()  # a new theme: every block is drawn again in its colours
        self._lay_out()

    def _lay_out(self) -> None:
        """Assemble the pane's lines from cached blocks and set the scroll range.

        The virtual size is set without a layout request: the pane's own size does not
        depend on its text, only the scroll range does, and the vertical scrollbar is
        always shown (``overflow-y: scroll``), so nothing else on screen can move.
        """
        width = self.scrollable_content_region.width - GUTTER
        if width <= 0:
            return
        model = self.model
        measure = min(width, MEASURE)
        base = self._rich_styles()
        if model is None:
            empty = lambda: [Text("No paper to show.", "italic")]  # noqa: E731
            self._lines = self._block(("empty",), empty, base, width, width)
        else:
            compact = self.app.size.height < COMPACT_ROWS
            paper, state = model.paper, model.state
            key = paper  # frozen: a newer record of the paper (more digests) is a new key
            blank = [self._blank_row(width)]
            # The metadata follows the title at once: the title's colour and weight set it
            # apart, and a row less per paper is a page less for one paper in five.
            lines = self._block(("title", key, model.metadata), lambda: [self._title(model)],
                                base, measure, width)  # fmt: skip
            lines = lines + self._block(("meta", key, state.read, state.starred, state.tags,
                                         model.why, compact, model.metadata),
                                        lambda: self._metadata(model, compact, width), base,
                                        width, width)  # fmt: skip
            if state.note:
                lines += blank
                lines += self._block(("note", state.note), lambda: self._note(model), base,
                                     measure, width)  # fmt: skip
            lines += blank
            lines += self._block(("abstract", key, model.words, model.search),
                                 lambda: self._abstract(model), base, measure, width)  # fmt: skip
            self._lines = lines
        size = Size(width, len(self._lines))
        if size != self.virtual_size:
            self.set_reactive(PaperDetail.virtual_size, size)
            if self.scroll_y > self.max_scroll_y:
                self.scroll_to(y=self.max_scroll_y, animate=False)
        self._refresh_changed_rows()

    def _refresh_changed_rows(self) -> None:
        """Repaint only the screen rows whose content changed.

        Two papers share rows (blank ones below the shorter text, the gaps between
        blocks), and Textual's compositor pays per repainted row: at 160x50 a short
        paper leaves a third of the pane as it was.
        """
        region, width = self.scrollable_content_region, self.size.width
        height = region.height
        if not self._drawn:
            self.refresh()
            return
        start = None  # the first row of a run of changed rows
        for y in range(height + 1):  # the row past the end closes the last run
            changed = y < height and self._drawn.get(y) != self._row(y, region)
            if changed and start is None:
                start = y
            elif not changed and start is not None:
                self.refresh(Region(0, start, width, y - start))
                start = None

    def _block(
        self,
        key: tuple,
        texts: Callable[[], list[Text]],
        base: Style,
        wrap: int,
        width: int,
    ) -> list[Strip]:
        """The rows of ``texts()`` wrapped at ``wrap`` columns, padded to ``width`` and
        ended with the gutter (a gap and the scroll bar's track); made once per key and
        size, then taken from the cache."""
        key = (key, wrap, width)
        lines = self._blocks.get(key)
        if lines is not None:
            self._blocks.move_to_end(key)
            return lines
        console = self.app.console
        options = console.options.update(width=wrap, height=None, highlight=False)
        end = [Segment(" " * (width - wrap + 1), base), self._track()]
        lines = [
            Strip(segments + end, width + GUTTER)
            for text in texts()
            for segments in console.render_lines(text, options, style=base, pad=True)
        ]
        self._blocks[key] = lines
        if len(self._blocks) > CACHED_BLOCKS:
            self._blocks.popitem(last=False)
        return lines

    def render_line(self, y: int) -> Strip:
        row = self._drawn[y] = self._row(y, self.scrollable_content_region)
        return row

    def _row(self, y: int, region: Region) -> Strip:
        """Screen row ``y``: a row of text (or a blank one) whose last cell is the
        scroll bar, drawn here rather than by a ScrollBar widget.

        Textual's ScrollBar redraws its whole column through Rich whenever the scroll
        range changes, which is every paper: 6 ms per key at 160x50 (measured). Rows
        come with the bar's track; only the thumb's few rows are made anew.
        """
        index = self.scroll_offset.y + y
        if 0 <= index < len(self._lines):
            row = self._lines[index]
        else:
            row = self._blank_row(region.width - GUTTER)
        height, total = region.height, len(self._lines)
        if total <= height or height <= 0:
            return row
        thumb = max(1, round(height * height / total))
        start = round(self.scroll_offset.y * (height - thumb) / max(1, total - height))
        if not start <= y < start + thumb:
            return row
        thumb_cell = Segment(" ", self._rich_styles("paper-detail--scrollbar-thumb"))
        return Strip([*list(row)[:-1], thumb_cell], row.cell_length)

    def _track(self) -> Segment:
        return Segment(" ", self._rich_styles("paper-detail--scrollbar"))

    def _blank_row(self, width: int) -> Strip:
        row = self._blanks.get(width)
        if row is None:
            space = Segment(" " * (width + 1), self._rich_styles())
            row = Strip([space, self._track()], width + GUTTER)
            self._blanks[width] = row
        return row

    # -- the blocks -------------------------------------------------------------------

    def _title(self, model: DetailModel) -> Text:
        """The digest's title, or arXiv's where fetched metadata say otherwise (the
        metadata block then says so), and how much of a huge one is left out."""
        title = model.paper.title
        if model.metadata is not None:
            from ..online.view import arxiv_title

            title = arxiv_title(model.paper, model.metadata) or title
        text = title_text(title, self._rich_styles("paper-detail--title"))
        hidden = title_left_out(title)
        if hidden:
            text.append("\n" + left_out(hidden), self._rich_styles("paper-detail--notice"))
        return text

    def _metadata(self, model: DetailModel, compact: bool, width: int | None) -> list[Text]:
        """Compact: the authors, then the id, dates, digests, state and keywords, then
        the layout's own fields, each wrapped by the block. Else one labelled field a
        line, a value wider than ``width`` wrapped under its value column (None: not
        wrapped, for ``text``)."""
        style = self._rich_styles
        paper, state = model.paper, model.state
        label, flag = style("paper-detail--label"), style("paper-detail--flag")
        authors = field_text(paper.authors) if paper.authors else "(none given)"
        if paper.authors and paper.authors_cut_short:
            authors += ", et al."
        submitted = paper.date.isoformat() if paper.date else "(unknown)"
        digests = field_text([ref.label for ref in paper.digests])
        link = paper.abs_url
        flags = "read" if state.read else "unread"
        if state.starred:
            flags += " · ★ starred"
        tags = printable(field_text([f"#{tag}" for tag in state.tags], " "))
        if compact and tags:
            flags += f" · {tags}"
        keywords = Text()
        count = fitting(paper.keywords)
        shown = paper.keywords[:count] if count else [field_text(paper.keywords[:1])]
        for number, keyword in enumerate(shown):
            if number:
                keywords.append(", ")
            keywords.append(printable(keyword), style("paper-detail--keyword"))
        keywords.append(more_items(len(paper.keywords) - len(shown)))
        if compact:
            second = Text.assemble(
                (paper.versioned_id, Style(link=link, underline=True)),
                (f" · {submitted} · {printable(digests)} · ", label), (flags, flag),
            )  # fmt: skip
            if paper.keywords:
                second.append(" · ", label)
                second.append_text(keywords)
            if model.why:
                second.append(" · for you: ", label)
                second.append(printable(model.why), flag)
            online = paper_fields.online_fields(paper, model.metadata)
            return [Text(printable(authors)), second,
                    *paper_fields.compact_fields(paper, {"label": label}, online)]  # fmt: skip
        fields: list[tuple[str, str | Text]] = [
            ("Authors", authors),
            ("Submitted", submitted),
            ("arXiv", paper_fields.identifier(paper, Style(underline=True))),
            ("Digests", digests),
        ]
        if paper.keywords:
            fields.append((paper_fields.keywords_label(paper), keywords))
        fields.extend(paper_fields.extra_fields(paper, {"label": label}))
        fields.extend(paper_fields.online_fields(paper, model.metadata))
        fields.append(("State", Text(flags, flag)))
        if tags:
            fields.append(("Tags", Text(tags, flag)))
        if model.why:
            fields.append(("For you", Text(printable(model.why), flag)))
        lines = []
        indent = Text(" " * LABEL_WIDTH)
        for name, value in fields:
            value = value if isinstance(value, Text) else Text(printable(value))
            if width is None or LABEL_WIDTH + value.cell_len <= width:
                rows = [value]
            else:
                rows = list(value.wrap(self.app.console, max(1, width - LABEL_WIDTH)))
            for number, row in enumerate(rows):
                line = Text(f"{name:<{LABEL_WIDTH}}", label) if number == 0 else indent.copy()
                line.append_text(row)
                lines.append(line)
        return lines

    def _note(self, model: DetailModel) -> list[Text]:
        style = self._rich_styles
        note, hidden = shown_part(model.state.note, SHOWN_CHARS)
        note = printable(note, keep_newlines=True)
        texts = [
            Text("Note", style("paper-detail--label")),
            Text(note, style("paper-detail--note")),
        ]
        if hidden:
            texts.append(Text(left_out(hidden), style("paper-detail--notice")))
        return texts

    def _abstract(self, model: DetailModel) -> list[Text]:
        """The TL;DR (when the digest gives one), then the abstract or why there is none."""
        style = self._rich_styles
        texts = paper_fields.summary_lines(model.paper, {
            "label": style("paper-detail--label"), "summary": style("paper-detail--summary"),
            "notice": style("paper-detail--notice"),
        })  # fmt: skip
        if texts:
            texts.append(Text())
        notice = paper_fields.abstract_notice(model.paper)
        if notice is not None:
            return [*texts, Text(notice, style("paper-detail--notice"))]
        abstract, hidden = abstract_text(
            model.paper,
            words=model.words,
            search=model.search,
            styles={
                "keyword": style("paper-detail--keyword"),
                "word": style("paper-detail--word"),
                "search": style("paper-detail--search"),
                "emphasis": style("paper-detail--emphasis"),
                "math": style("paper-detail--math"),
            },
        )  # fmt: skip
        texts.append(abstract)
        if hidden:
            texts.append(Text(left_out(hidden), style("paper-detail--notice")))
        return texts
