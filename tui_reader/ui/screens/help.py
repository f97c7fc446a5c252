"""Every key, from the bindings themselves, so help never drifts from behaviour."""

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


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close help", id="help.close")]

    def __init__(self, sections: Iterable[tuple[str, Iterable[Binding]]]) -> None:
        super().__init__()
        self.sections = [(name, list(bindings)) for name, bindings in sections]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help-dialog"):
            yield Label("digest-reader — keys", classes="dialog-title")
            with VerticalScroll():
                yield Static(self.keys_table(), id="help-keys", markup=False)
            yield Label("escape close · ctrl+p every action by name", classes="dialog-hint")

    def keys_table(self) -> Table:
        """The first section on the left, the others stacked on the right."""
        first, *others = [self._section(name, bindings) for name, bindings in self.sections]
        layout = Table.grid(padding=(0, 4))
        layout.add_column(vertical="top")
        layout.add_column(vertical="top")
        layout.add_row(first, Group(*(item for table in others for item in (table, ""))))
        return layout

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
