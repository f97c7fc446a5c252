"""The footer: ``q`` and ``?`` first, then as many keys as fit whole.

Textual's ``Footer`` lays every shown binding out in order and lets the terminal cut
the last ones in half (at 80 columns it dropped ``q`` and ``?``, at 120 it cut
"q Quit"). ``KeysFooter`` puts the ``FIRST`` actions first and, at each width, shows
only the keys whose whole label fits; the command-palette key comes last, when room
is left. ``footer_keys(items, width, compact)`` is that choice, without Textual.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

FIRST = ("quit", "help")  # these are always shown, before the screen's keys
PALETTE = 12  # columns of "▏ ^p palette"


def key_width(key: str, description: str, compact: bool) -> int:
    """Columns a footer key takes: " key desc " (padded) or "key desc" + a gap (compact)."""
    return len(key) + 1 + len(description) + (1 if compact else 2)


def footer_keys(
    items: Sequence[tuple[str, str, str]], width: int, compact: bool
) -> tuple[list[int], bool]:
    """Which ``(action, key, description)`` items to show, in order, and whether the
    palette key fits after them."""
    order = sorted(
        range(len(items)),
        key=lambda i: FIRST.index(items[i][0]) if items[i][0] in FIRST else len(FIRST),
    )
    shown, used = [], 0
    for index in order:
        _, key, description = items[index]
        needed = key_width(key, description, compact)
        if used + needed > width:
            break
        shown.append(index)
        used += needed
    return shown, used + PALETTE <= width


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
        shown, palette = footer_keys(items, self.size.width or self.app.size.width, self.compact)
        self.styles.grid_size_columns = len(shown)
        for index in shown:
            binding, enabled, tooltip = bindings[index]
            yield FooterKey(
                binding.key,
                items[index][1],
                binding.description,
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
