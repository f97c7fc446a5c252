"""Every key, from the bindings themselves, so help never drifts from behaviour; then
what the list's marks mean and how to search.

``HelpScreen(sections)`` takes ``(title, bindings)`` pairs. The text scrolls (``j``/``k``,
arrows, page keys, the mouse) inside a box that never grows past the screen, with a
scroll bar and a line saying how much is below, so a low terminal (80x24) shows that
there is more.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

# What the list's and the detail pane's marks mean (paper_list.py draws them).
MARKS = (
    ("●", "unread"),
    ("★", "starred"),
    ("✎", "has a note"),
    ("▌", "selected (x)"),
    ("#tag", "your tags"),
    ("▁…█", '"for you" score, low to high'),
    ("✓", '"for you": judged by you, the ranking learned from it'),
)
SEARCH = (
    ("words", "match where a word starts: song han finds Song Han, not Qingsong"),
    ('"a phrase"', "the words in a row"),
    ("author:han", "a name part starting han: Han, Hanning"),
    ("author:=han", "whole name parts only: Han, Han-Lin, not Hanning"),
    ("fields", "title: abs: kw: id: cat: tag: note: digest: date:2025-01..2025-03"),
    ("is:", "read unread starred unstarred noted tagged"),
    ("a OR b, -a", "either; not (also NOT); AND is implicit; ( ) groups"),
)
CHROME_ROWS = 10  # the dialog's border, padding, title, marker and hint around the text


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close help", id="help.close"),
        Binding("j", "scroll('down')", "Scroll down", show=False, id="help.down"),
        Binding("k", "scroll('up')", "Scroll up", show=False, id="help.up"),
    ]

    def __init__(self, sections: Iterable[tuple[str, Iterable[Binding]]]) -> None:
        super().__init__()
        self.sections = [(name, list(bindings)) for name, bindings in sections]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help-dialog"):
            yield Label("digest-reader — keys", classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(self.keys_table(), id="help-keys", markup=False)
                yield Static(self.reference(), id="help-reference", markup=False)
            yield Label("", id="help-more", classes="dialog-hint")
            yield Label("escape close · j/k ↑↓ pgup pgdn scroll · ctrl+p every action",
                        classes="dialog-hint")  # fmt: skip

    def on_mount(self) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.focus()
        self.watch(scroll, "scroll_y", lambda _: self._say_more(), init=False)
        self.watch(scroll, "virtual_size", lambda _: self._say_more(), init=False)
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """The text box takes what the screen has left, so the dialog always fits."""
        room = self.size.height * 9 // 10 - CHROME_ROWS  # the dialog is at most 90% high
        self.query_one(VerticalScroll).styles.max_height = max(3, room)
        self.call_after_refresh(self._say_more)

    def _say_more(self) -> None:
        scroll = self.query_one(VerticalScroll)
        below = max(0, round(scroll.max_scroll_y - scroll.scroll_y))
        more = self.query_one("#help-more", Label)
        more.update(f"↓ {below} more lines below" if below else "")
        more.display = bool(below)

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one(VerticalScroll)
        if direction == "down":
            scroll.scroll_down(animate=False)
        else:
            scroll.scroll_up(animate=False)

    def keys_table(self) -> Table:
        """The first section on the left, the others stacked on the right."""
        first, *others = [self._section(name, bindings) for name, bindings in self.sections]
        layout = Table.grid(padding=(0, 4))
        layout.add_column(vertical="top")
        layout.add_column(vertical="top")
        layout.add_row(first, Group(*(item for table in others for item in (table, ""))))
        return layout

    def reference(self) -> Group:
        """What the marks mean and how to search."""
        return Group(
            "",
            self._pairs("Marks", MARKS),
            "",
            self._pairs("Search (/), and list --query", SEARCH),
        )

    @staticmethod
    def _pairs(name: str, rows: Iterable[tuple[str, str]]) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right", style="bold")
        table.add_column()
        table.add_row("", Text(name, style="bold underline"))
        for left, right in rows:
            table.add_row(Text(left), Text(right))
        return table

    def _section(self, name: str, bindings: list[Binding]) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right", style="bold")
        table.add_column()
        table.add_row("", Text(name, style="bold underline"))
        for binding in bindings:
            keys = " ".join(
                self.app.get_key_display(Binding(key, binding.action))
                for key in binding.key.split(",")
            )
            table.add_row(Text(keys), Text(binding.tooltip or binding.description))
        return table

    def action_close(self) -> None:
        self.dismiss(None)
