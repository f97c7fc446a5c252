"""A widget's Rich styles, worked out once until its styles change.

``ComponentStyles(widget)``: ``styles()`` is the widget's own style (``rich_style``),
``styles("a-component")`` a component class's, ``styles.ink(name, base)`` the
component's colour and weight over ``base`` (a row's background: cursor, selection),
``styles.readable(style)`` the style with a colour that reads on its background;
``contrast_ratio(a, b)`` and ``terminal_rgb(color, palette, foreground=...)`` measure it.
The widget calls ``clear()`` from ``notify_style_update`` (a theme change, new CSS).

Why: Textual works each of these out afresh on every call, walking the widget's
ancestors, and a row drawn per key asks for several.

Contrast: a colour chosen for one background (a read title's muted grey on the list)
can land on another (the cursor's, the selection's), and a tint of a theme's accent
can leave the text on it at 1.1:1. WCAG AA's 4.5:1 (``MINIMUM_CONTRAST``; colours as
the terminal gets them, ANSI ones through the app's ``ansi_theme``) is kept this way:
``readable(style)`` gives a style under it black or white, whichever reads best (a
row's own text on the selection's tint, and on the cursor, whose theme colours can
be as low as 2.4:1); ``ink`` never lets a component's colour read worse than the
row's own text under it: below 4.5:1 it takes the row's colour.
"""

from __future__ import annotations

from rich.color import Color, ColorType
from rich.style import Style
from rich.terminal_theme import TerminalTheme
from textual.widget import Widget

MINIMUM_CONTRAST = 4.5
_BLACK, _WHITE = Color.from_rgb(0, 0, 0), Color.from_rgb(255, 255, 255)


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG's contrast ratio of two RGB colours, 1 to 21."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def terminal_rgb(color: Color, palette: TerminalTheme, *, foreground: bool) -> tuple[int, int, int]:
    """``color`` as the terminal shows it: a theme's ANSI colour through ``palette``,
    the default colour as the palette's foreground or background."""
    if color.type == ColorType.DEFAULT:
        default = palette.foreground_color if foreground else palette.background_color
        return tuple(default)  # type: ignore[return-value]
    return tuple(color.get_truecolor(palette))  # type: ignore[return-value]


class ComponentStyles:
    def __init__(self, widget: Widget) -> None:
        self.widget = widget
        self._styles: dict[str, Style] = {}
        self._inks: dict[tuple[str, Style], Style] = {}
        self._readable: dict[tuple[Style, Color | None], Style] = {}

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
            style = self.readable(style, base.color)
            self._inks[key] = style
        return style

    def readable(self, style: Style, fallback: Color | None = None) -> Style:
        """``style``, its colour replaced when under ``MINIMUM_CONTRAST`` on its
        background: by ``fallback`` (the row's own text colour) when that reads better,
        else, without a ``fallback``, by black or white, whichever reads best."""
        key = (style, fallback)
        known = self._readable.get(key)
        if known is not None:
            return known
        result = style
        if style.color is not None and style.bgcolor is not None:
            palette = self.widget.app.ansi_theme
            background = terminal_rgb(style.bgcolor, palette, foreground=False)

            def ratio(color: Color) -> float:
                return contrast_ratio(terminal_rgb(color, palette, foreground=True), background)

            if ratio(style.color) < MINIMUM_CONTRAST:
                if fallback is None:
                    result = style + Style(color=max((_BLACK, _WHITE), key=ratio))
                elif ratio(fallback) > ratio(style.color):
                    result = style + Style(color=fallback)
        self._readable[key] = result
        return result

    def clear(self) -> None:
        self._styles.clear()
        self._inks.clear()
        self._readable.clear()
