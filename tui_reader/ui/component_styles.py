"""A widget's Rich styles, worked out once until its styles change.

``ComponentStyles(widget)``: ``styles()`` is the widget's own style (``rich_style``),
``styles("a-component")`` a component class's, ``styles.ink(name, base)`` the
component's colour and weight over ``base`` (a row's background: cursor, selection).
The widget calls ``clear()`` from ``notify_style_update`` (a theme change, new CSS).

Why: Textual works each of these out afresh on every call, walking the widget's
ancestors, and a row drawn per key asks for several.
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


class ComponentStyles:
    def __init__(self, widget: Widget) -> None:
        self.widget = widget
        self._styles: dict[str, Style] = {}
        self._inks: dict[tuple[str, Style], Style] = {}

    def __call__(self, name: str = "") -> Style:
        style = self._styles.get(name)
        if style is None:
            widget = self.widget
            style = widget.rich_style if not name else widget.get_component_rich_style(name)
            self._styles[name] = style
        return style

    def ink(self, name: str, base: Style) -> Style:
        key = (name, base)
        style = self._inks.get(key)
        if style is None:
            component = self(name)
            style = base + Style(color=component.color, bold=component.bold,
                                 italic=component.italic)  # fmt: skip
            self._inks[key] = style
        return style

    def clear(self) -> None:
        self._styles.clear()
        self._inks.clear()
