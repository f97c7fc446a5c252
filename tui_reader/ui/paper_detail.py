"""The detail pane: everything about the paper under the cursor.

Digest text arrives here as plain strings and leaves as Rich ``Text`` built span by
span: it is never parsed as markup, and control characters are made visible first.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from ..model import Paper
from ..sanitize import printable
from ..store import PaperState
from .rendering import abstract_text, title_text


@dataclass(frozen=True, slots=True)
class DetailModel:
    """What the pane shows; a new model redraws it."""

    paper: Paper
    state: PaperState
    words: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    why: str = ""  # the "for you" order's reason for this paper ('' when not sorted so)


class PaperDetail(VerticalScroll, can_focus=False):
    """Title, authors, dates, ids, digests, keywords, the abstract and the note."""

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
    }

    model: reactive[DetailModel | None] = reactive(None, always_update=True)

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body", markup=False)

    def watch_model(self, old: DetailModel | None, new: DetailModel | None) -> None:
        body = self.query_one("#detail-body", Static)
        if new is None:
            body.update(Text("No paper to show.", style="italic"))
            return
        body.update(self.render_model(new))
        if old is None or old.paper.arxiv_id != new.paper.arxiv_id:
            self.scroll_home(animate=False, immediate=True)

    def at_end(self) -> bool:
        return self.scroll_y >= self.max_scroll_y

    def render_model(self, model: DetailModel) -> Text:
        style = self.get_component_rich_style
        paper, state = model.paper, model.state
        label = style("paper-detail--label")
        text = Text()
        text.append_text(title_text(paper.title, style("paper-detail--title")))
        text.append("\n\n")

        def field(name: str, value: str | Text) -> None:
            text.append(f"{name:<10}", label)
            if isinstance(value, Text):
                text.append_text(value)
            else:
                text.append(printable(value))
            text.append("\n")

        field("Authors", ", ".join(paper.authors) if paper.authors else "(none given)")
        field("Submitted", paper.date.isoformat() if paper.date else "(unknown)")
        link = paper.abs_url
        field("arXiv", Text.assemble((f"{paper.arxiv_id}v{paper.version}  ", ""),
                                     (link, Style(link=link, underline=True))))  # fmt: skip
        field("Digests", ", ".join(ref.label for ref in paper.digests))
        if paper.keywords:
            keyword_style = style("paper-detail--keyword")
            keywords = Text()
            for number, keyword in enumerate(paper.keywords):
                if number:
                    keywords.append(", ")
                keywords.append(printable(keyword), keyword_style)
            field("Keywords", keywords)
        flags = []
        flags.append("read" if state.read else "unread")
        if state.starred:
            flags.append("★ starred")
        field("State", Text(" · ".join(flags), style("paper-detail--flag")))
        if model.why:
            field("For you", Text(printable(model.why), style("paper-detail--flag")))
        text.append("\n")
        text.append_text(
            abstract_text(
                paper,
                words=model.words,
                search=model.search,
                styles={
                    "keyword": style("paper-detail--keyword"),
                    "word": style("paper-detail--word"),
                    "search": style("paper-detail--search"),
                    "emphasis": style("paper-detail--emphasis"),
                    "math": style("paper-detail--math"),
                },
            )
        )
        if state.note:
            text.append("\n\n")
            text.append("Note\n", label)
            text.append(printable(state.note, keep_newlines=True), style("paper-detail--note"))
        return text
