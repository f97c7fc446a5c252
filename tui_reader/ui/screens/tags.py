"""The tag editor: add and remove tags on the current paper or the selection.

``TagScreen(what, on_papers, in_use)`` dismisses with a ``tag_edit.TagEdit`` (tags
to add and to remove) or None (escape, or nothing typed). ``what`` names the papers
("Sparse chaos in ..." or "3 selected papers"), ``on_papers`` counts the tags they
carry now (shown, so ``-tag`` has something to aim at), ``in_use`` every tag in the
store with its count: the last word typed completes to the most used one that fits
(tab or right arrow takes it). Tag names are shown as plain text, never markup.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label

from ...sanitize import printable
from ...tag_edit import TagEdit, complete_last, parse_tag_edit

SHOWN_TAGS = 12  # tags listed under the box; completion knows them all


class TagSuggester(Suggester):
    """Completes the last word typed to a tag in use, most used first."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        return complete_last(value, self.tags)


def _listing(counts: Mapping[str, int], total: int | None = None) -> str:
    parts = []
    for tag, count in list(counts.items())[:SHOWN_TAGS]:
        amount = f"{count}/{total}" if total is not None and total > 1 else f"{count}"
        parts.append(f"{printable(tag)} ({amount})" if total != 1 else printable(tag))
    more = len(counts) - SHOWN_TAGS
    if more > 0:
        parts.append(f"… {more} more")
    return " · ".join(parts)


class TagScreen(ModalScreen[TagEdit | None]):
    """Asks which tags to add (``name``) and remove (``-name``)."""

    BINDINGS = [
        Binding("tab", "complete", "Complete the tag", id="tags.complete"),
        Binding("escape", "cancel", "Cancel", id="tags.cancel"),
    ]

    def __init__(
        self, what: str, on_papers: Mapping[str, int], count: int, in_use: Mapping[str, int]
    ) -> None:
        super().__init__()
        self.what = what
        self.count = count
        self.on_papers = dict(sorted(on_papers.items(), key=lambda item: (-item[1], item[0])))
        self.in_use = dict(sorted(in_use.items(), key=lambda item: (-item[1], item[0])))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog tag-dialog"):
            yield Label(f"Tags of {printable(self.what)}", classes="dialog-title", markup=False)
            now = _listing(self.on_papers, self.count) if self.on_papers else "no tags yet"
            yield Label(f"now: {now}", id="tags-now", markup=False)
            yield Input(
                placeholder='to-read  -old-tag  "two words"',
                suggester=TagSuggester(list(self.in_use)),
                id="tags-input",
            )
            if self.in_use:
                yield Label(f"in use: {_listing(self.in_use)}", id="tags-in-use",
                            classes="dialog-hint", markup=False)  # fmt: skip
            yield Label(
                "name adds · -name removes · tab completes · enter saves · escape cancels",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_complete(self) -> None:
        self.query_one(Input).action_cursor_right()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        edit = parse_tag_edit(event.value)
        self.dismiss(edit if edit else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
