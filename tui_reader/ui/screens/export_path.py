"""Asks where to export, and in which format.

``ExportPathScreen(suggestion, count, what="starred", fmt="bibtex")`` dismisses with
an ``ExportChoice(path, fmt)`` (the path as typed, not yet checked) or None on escape.
``what`` says which papers go ("starred" or "selected"). The format list is the
exporters' ``FORMATS``; choosing a format changes the file's suffix, and typing a
known suffix (``refs.ris``) chooses its format, so the two never disagree. Enter in
the path or on a format exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ...exporters import FORMATS

FORMAT_LABELS = {
    "bibtex": "BibTeX (.bib): LaTeX, JabRef",
    "ris": "RIS (.ris): Zotero, Mendeley, EndNote",
    "csl-json": "CSL-JSON (.json): pandoc, Zotero",
    "csv": "CSV (.csv): one row per paper, for spreadsheets",
    "markdown": "Markdown (.md): a reading list with your notes",
}
_FORMAT_OF_SUFFIX = {suffix: name for name, (_, suffix) in FORMATS.items()}


@dataclass(frozen=True, slots=True)
class ExportChoice:
    path: str
    fmt: str


def with_suffix(path: str, fmt: str) -> str:
    """``path`` with the suffix of ``fmt`` in place of a known one (or added)."""
    suffix = FORMATS[fmt][1]
    if not path.strip() or path.endswith(("/", "\\")):
        return path
    name = PurePath(path).name
    current = PurePath(name).suffix
    if current == suffix:
        return path
    if current.lower() in _FORMAT_OF_SUFFIX:
        return path[: -len(current)] + suffix
    return path + suffix


class ExportPathScreen(ModalScreen[ExportChoice | None]):
    """The path and the format of an export."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, suggestion: str, count: int, what: str = "starred",
                 fmt: str = "bibtex") -> None:  # fmt: skip
        super().__init__()
        self.fmt = fmt if fmt in FORMATS else "bibtex"
        self.suggestion = with_suffix(suggestion, self.fmt)
        self.count = count
        self.what = what

    def compose(self) -> ComposeResult:
        noun = "paper" if self.count == 1 else "papers"
        with Vertical(classes="dialog export-dialog"):
            yield Label(f"Export {self.count:,} {self.what} {noun} to:",
                        id="export-title", classes="dialog-title")  # fmt: skip
            yield Input(self.suggestion, id="export-path")
            yield OptionList(
                *(Option(FORMAT_LABELS[name], id=name) for name in FORMATS), id="export-format"
            )
            yield Label("tab: format · enter exports · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        formats = self.query_one(OptionList)
        formats.highlighted = list(FORMATS).index(self.fmt)
        self.query_one(Input).focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        fmt = event.option.id
        if fmt is None or fmt == self.fmt:
            return
        self.fmt = fmt
        path = self.query_one(Input)
        with path.prevent(Input.Changed):
            path.value = with_suffix(path.value, fmt)

    def on_input_changed(self, event: Input.Changed) -> None:
        fmt = _FORMAT_OF_SUFFIX.get(PurePath(event.value.strip()).suffix.lower())
        if fmt is not None and fmt != self.fmt:
            self.fmt = fmt
            formats = self.query_one(OptionList)
            with formats.prevent(OptionList.OptionHighlighted):
                formats.highlighted = list(FORMATS).index(fmt)

    def on_input_submitted(self) -> None:
        self._export()

    def on_option_list_option_selected(self) -> None:
        self._export()

    def _export(self) -> None:
        value = self.query_one(Input).value.strip()
        self.dismiss(ExportChoice(value, self.fmt) if value else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
