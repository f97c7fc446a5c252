"""The footer: ``q`` and ``?`` first, then the keys most used, as many as fit whole.

Textual's ``Footer`` lays every shown binding out in order and lets the terminal cut
the last ones in half (at 80 columns it dropped ``q`` and ``?``, at 120 it cut
"q Quit"), and at 80 the keys past ``/`` (``f``, ``b``, ``t``, ``O``) never showed.
``KeysFooter`` chooses by use: it takes the actions in ``PRIORITY`` order (``FIRST``,
then reading, starring, notes, search, filter, tags, sort, export...), keeps each
whose whole label still fits, and shows those in the bindings' order, ``FIRST``
first; the command-palette key comes last, when room is left. A compact footer (a
narrow terminal) uses the shorter ``COMPACT_LABELS``. The rest are in ``?`` and the
palette. ``footer_keys(items, width, compact)`` is that choice, without Textual.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

FIRST = ("quit", "help")  # these are always shown, before the screen's keys
# The order keys earn their place in the footer: by how often a triage uses them.
PRIORITY = (
    *FIRST,
    "page_or_next",
    "toggle_star",
    "edit_note",
    "search",
    "cycle_filter",
    "edit_tags",
    "cycle_sort",
    "export_bibtex",
    "star_and_next",
    "toggle_read",
    "toggle_selected",
)
COMPACT_LABELS = {"page_or_next": "Page"}  # "space Page/next" is too wide at 80
PALETTE = 12  # columns of "▏ ^p palette"


def key_width(key: str, description: str, compact: bool) -> int:
    """Columns a footer key takes: " key desc " (padded) or "key desc" + a gap (compact)."""
    return len(key) + 1 + len(description) + (1 if compact else 2)


def footer_keys(
    items: Sequence[tuple[str, str, str]], width: int, compact: bool
) -> tuple[list[int], bool]:
    """Which ``(action, key, description)`` items to show, in display order, and
    whether the palette key fits after them."""

    def rank(index: int) -> int:
        action = items[index][0]
        return PRIORITY.index(action) if action in PRIORITY else len(PRIORITY)

    chosen, used = set(), 0
    for index in sorted(range(len(items)), key=rank):
        _, key, description = items[index]
        needed = key_width(key, label(items[index][0], description, compact), compact)
        if used + needed <= width:
            chosen.add(index)
            used += needed
    first = sorted((i for i in chosen if items[i][0] in FIRST), key=rank)
    return first + [i for i in range(len(items)) if i in chosen and i not in first], (
        used + PALETTE <= width
    )


def label(action: str, description: str, compact: bool) -> str:
    """The words a footer key shows."""
    return COMPACT_LABELS.get(action, description) if compact else description


class KeysFooter(Footer):
    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        active = self.screen.active_bindings
        bindings = []
        seen = set()
        for _, binding, enabled, tooltip in active.values():
            action = binding.action.removeprefix("app.")
            if binding.show and action not in seen:
                seen.add(action)
                bindings.append((binding, enabled, tooltip))
        items = [
            (b.action.removeprefix("app."), self.app.get_key_display(b), b.description)
            for b, _, _ in bindings
        ]
        compact = self.compact
        shown, palette = footer_keys(items, self.size.width or self.app.size.width, compact)
        self.styles.grid_size_columns = len(shown)
        for index in shown:
            binding, enabled, tooltip = bindings[index]
            yield FooterKey(
                binding.key,
                items[index][1],
                label(items[index][0], binding.description, compact),
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
        if palette and self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            try:
                _, binding, enabled, tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            except KeyError:
                return
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=binding.tooltip or binding.description,
            )

    def on_resize(self, event: events.Resize) -> None:
        self.refresh(recompose=True)  # another width fits other keys
