"""Every digest warning of the last load, with its file and line.

``loading_report(skipped, warnings)`` is the one toast after loading, pointing at the
screen. ``WarningsScreen(skipped, warnings, online=())`` is a modal over the triage
screen: the files that were skipped first (they cost the user papers), then every other
warning in reading order, then what the metadata services said (``online``: each
``OnlineWarning`` says where, an ``arXiv:ID`` or a service, and what). Escape (or ``W``
again) closes it.

The list is a ``WarningList``, a Line-API ``ScrollView``: one line per warning,
rendered only while on screen, so a year of digests with thousands of warnings opens
at once. Lines longer than the dialog scroll sideways.

Warning messages quote digest text (titles, file names): every line goes to the
screen as a plain ``Segment`` after ``printable``, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Label

from ...digest import DigestWarning
from ...online.records import OnlineWarning
from ...sanitize import printable

INDENT = "  "
GAP = "  "


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def warnings_summary(skipped: int, warnings: int) -> str:
    """``"3 files skipped, 2 warnings"`` (either part left out when it is zero)."""
    parts = []
    if skipped:
        parts.append(f"{plural(skipped, 'file')} skipped")
    if warnings:
        parts.append(plural(warnings, "warning"))
    return ", ".join(parts) or "no warnings"


def loading_report(skipped: Sequence[DigestWarning], warnings: Sequence[DigestWarning]) -> str:
    """The one toast after loading: ``"3 files skipped (a.md, b.md, c.md), 2 warnings —
    W lists them"``; the files are named when there are three or fewer. Empty when
    there is nothing to say."""
    if not skipped and not warnings:
        return ""
    summary = warnings_summary(len(skipped), len(warnings))
    if 0 < len(skipped) <= 3:
        names = ", ".join(warning.path.name for warning in skipped)
        head, _, rest = summary.partition(" skipped")
        summary = f"{head} skipped ({names}){rest}"
    return f"{summary} — W lists them"


@dataclass(frozen=True, slots=True)
class WarningRow:
    """One line of the list: a heading (``where`` only) or a warning."""

    where: str
    message: str = ""
    heading: bool = False

    @classmethod
    def of(cls, warning: DigestWarning) -> WarningRow:
        where = str(warning.path) if warning.line is None else f"{warning.path}:{warning.line}"
        return cls(printable(where), printable(warning.message))

    @property
    def cell_length(self) -> int:
        if self.heading:
            return cell_len(self.where)
        return len(INDENT) + cell_len(self.where) + len(GAP) + cell_len(self.message)


def warning_rows(
    skipped: Sequence[DigestWarning],
    warnings: Sequence[DigestWarning],
    online: Sequence[OnlineWarning] = (),
) -> list[WarningRow]:
    """Skipped files under one heading, the other warnings under another, then the
    metadata services' under a third."""
    rows: list[WarningRow] = []
    if skipped:
        rows.append(WarningRow(f"Skipped files ({len(skipped):,})", heading=True))
        rows.extend(WarningRow.of(warning) for warning in skipped)
    if warnings:
        if rows:
            rows.append(WarningRow(""))
        rows.append(WarningRow(f"Warnings ({len(warnings):,})", heading=True))
        rows.extend(WarningRow.of(warning) for warning in warnings)
    if online:
        if rows:
            rows.append(WarningRow(""))
        rows.append(WarningRow(f"Online metadata ({len(online):,})", heading=True))
        rows.extend(WarningRow(printable(w.where), printable(w.message)) for w in online)
    if not rows:
        rows.append(WarningRow("No warnings: every digest file was read without a problem."))
    return rows


class WarningList(ScrollView, can_focus=True):
    """The warning lines, drawn on demand."""

    BINDINGS = [
        Binding("j", "scroll_down", "Scroll down", show=False, id="warnings.down"),
        Binding("k", "scroll_up", "Scroll up", show=False, id="warnings.up"),
        Binding("g", "scroll_home", "Top", show=False, id="warnings.top"),
        Binding("G", "scroll_end", "Bottom", show=False, id="warnings.bottom"),
    ]

    COMPONENT_CLASSES = {"warning-list--heading", "warning-list--where"}

    DEFAULT_CSS = """
    WarningList {
        height: 1fr;
    }
    WarningList > .warning-list--heading {
        text-style: bold;
    }
    WarningList > .warning-list--where {
        color: $text-accent;
    }
    """

    def __init__(self, rows: Sequence[WarningRow], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = list(rows)
        width = max((row.cell_length for row in self.rows), default=0)
        self.virtual_size = Size(width, len(self.rows))

    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False)  # a jump, not a slide through thousands of lines

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = self.scroll_offset.y + y
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        if row.heading:
            segments = [Segment(row.where, base + self.get_component_rich_style(
                "warning-list--heading"))]  # fmt: skip
        elif not row.message:
            segments = [Segment(row.where, base)]
        else:
            where = base + self.get_component_rich_style("warning-list--where")
            segments = [Segment(INDENT, base), Segment(row.where, where),
                        Segment(GAP + row.message, base)]  # fmt: skip
        left = self.scroll_offset.x
        return Strip(segments).crop(left, left + width).adjust_cell_length(width, base)


class WarningsScreen(ModalScreen[None]):
    """The skipped files and the warnings of the digests read, one per line."""

    BINDINGS = [Binding("escape,W", "close", "Close", id="warnings.close")]

    def __init__(
        self,
        skipped: Sequence[DigestWarning],
        warnings: Sequence[DigestWarning],
        online: Sequence[OnlineWarning] = (),
    ) -> None:
        super().__init__()
        self.skipped = list(skipped)
        self.warnings = list(warnings)
        self.online = list(online)

    def compose(self) -> ComposeResult:
        title = f"Digest warnings — {warnings_summary(len(self.skipped), len(self.warnings))}"
        if self.online:
            title += f", {plural(len(self.online), 'online warning')}"
        with Vertical(classes="dialog warnings-dialog"):
            yield Label(title, classes="dialog-title", markup=False)
            rows = warning_rows(self.skipped, self.warnings, self.online)
            yield WarningList(rows, id="warning-list")
            yield Label("escape close · ↑ ↓ PgUp PgDn scroll · ← → long lines",
                        classes="dialog-hint", markup=False)  # fmt: skip

    def on_mount(self) -> None:
        self.query_one(WarningList).focus()

    def action_close(self) -> None:
        self.dismiss(None)
