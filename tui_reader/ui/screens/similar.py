"""Papers like this one: the nearest papers of every open digest, best first.

``SimilarScreen(title)`` opens at once saying it is looking; the caller hands it the
answer with ``show(rows, at_least)`` (only papers at that cosine or more: none says
that nothing is close) (``SimilarRow``: id, title as the list shows it, digest
label, state marks, cosine) or ``failed(message)``. Enter dismisses with the chosen
paper's arXiv id, escape with None. The rows are at most a few dozen, so an
``OptionList`` is fine. Titles and labels are digest text: plain ``Text``, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ...sanitize import printable
from ..rendering import shortened

TITLE_CELLS = 56  # "Papers like “…”" then fits an 80-column terminal's dialog


@dataclass(frozen=True, slots=True)
class SimilarRow:
    arxiv_id: str
    title: str  # as the list shows it (``display_title``)
    digest: str  # the label of the digest it first appeared in
    marks: str  # three cells: unread, star, note (as the list draws them)
    similarity: float  # cosine, 0..1


class SimilarScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Close", id="similar.cancel")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.paper_title = title
        self._answer: tuple[list[SimilarRow], float] | str | None = None  # until mounted
        self._ready = False  # on_mount ran: the widgets are there

    def compose(self) -> ComposeResult:
        title = shortened(printable(self.paper_title), TITLE_CELLS)
        with Vertical(classes="dialog similar-dialog"):
            yield Label(Text(f"Papers like “{title}”"), classes="dialog-title")
            yield Label("Looking for papers like this one…", id="similar-status")
            options = OptionList(id="similar-options")
            options.display = False
            yield options
            yield Label("enter go to the paper · escape close", classes="dialog-hint")

    def on_mount(self) -> None:
        self._ready = True
        answer, self._answer = self._answer, None
        if isinstance(answer, str):
            self.failed(answer)
        elif answer is not None:
            self.show(*answer)

    def show(self, rows: Sequence[SimilarRow], at_least: float = 0.0) -> None:
        """The answer arrived: list ``rows`` (nearest first, each at ``at_least`` cosine
        or more) and focus them."""
        if not self._ready:
            self._answer = (list(rows), at_least)  # it came before the screen was up
            return
        status = self.query_one("#similar-status", Label)
        options = self.query_one(OptionList)
        if not rows:
            status.update(
                f"Nothing in the open digests is close to this paper: no paper at cosine "
                f"{at_least:.2f} or more, where papers start to share a subject."
            )
            return
        noun = "paper" if len(rows) == 1 else "papers"
        status.update(f"The {len(rows)} nearest {noun} of every open digest, by shared words:")
        digest_cells = max(cell_len(printable(row.digest)) for row in rows)
        options.add_options(Option(self._line(row, digest_cells), id=row.arxiv_id) for row in rows)
        options.display = True
        options.highlighted = 0
        options.focus()

    def failed(self, message: str) -> None:
        if not self._ready:
            self._answer = message
            return
        self.query_one("#similar-status", Label).update(Text(printable(message)))

    @staticmethod
    def _line(row: SimilarRow, digest_cells: int) -> Text:
        line = Text(f"{row.similarity:4.2f} ", style="dim")
        line.append(row.marks)
        line.append(" ")
        title = printable(row.title)
        if cell_len(title) > TITLE_CELLS:
            title = set_cell_size(title, TITLE_CELLS - 1) + "…"
        line.append(set_cell_size(title, TITLE_CELLS))
        line.append("  ")
        line.append(printable(row.digest).ljust(digest_cells), style="italic")
        return line

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
