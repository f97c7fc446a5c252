"""The layout of the triage screen by width, and the reading layout of narrow terminals.

``NarrowLayout`` is mixed into ``TriageScreen`` (which provides the ``KeysFooter``).
``fit_layout(width)`` chooses the layout: below ``NARROW_WIDTH`` columns the list sits
above the paper (class ``-narrow``) and the footer is compact. The reading actions
call ``start_reading()`` once they have paged or moved; ``layout_key(key)`` is called
with every key the screen sees.

The reading layout (class ``-reading``, narrow terminals only): at 80x24 the paper
below a list of 40% of the rows had 13 rows, and reading the sample took 2.4 pages
a paper. The keys that read -- ``space`` (page, then the next unread paper), ``J``,
``K``, ``S`` -- hand the list's rows to the paper, as a mail reader's pager does; the
keys that browse the list -- ``j``/``k``, arrows, ``g``/``G``, home/end, page up/down
-- bring the list back. The header (counts, the digest you are in) and the paper's
own title stay on screen. Only the switch lays the screen out, never a page turned.
The switch comes after the action: the first ``space`` pages by the rows you saw,
and the taller pane then shows what follows them, so no line is skipped unseen.
"""

from __future__ import annotations

from .footer import KeysFooter

NARROW_WIDTH = 100
BROWSING_KEYS = frozenset({"j", "k", "up", "down", "g", "G", "home", "end", "pageup", "pagedown"})


class NarrowLayout:
    """The width's layout and the narrow reading layout of ``TriageScreen``."""

    def fit_layout(self, width: int) -> None:
        narrow = width < NARROW_WIDTH
        self.set_class(narrow, "-narrow")
        if not narrow:
            self.set_class(False, "-reading")
        # A compact footer fits the main keys into 80 columns.
        self.query_one(KeysFooter).compact = narrow

    def start_reading(self) -> None:
        """A reading key was pressed: on a narrow terminal the paper takes the list's rows."""
        if self.has_class("-narrow"):
            self.set_class(True, "-reading")

    def layout_key(self, key: str) -> None:
        """Browsing keys give the list its rows back."""
        if key in BROWSING_KEYS:
            self.set_class(False, "-reading")

    @property
    def reading_layout(self) -> bool:
        return self.has_class("-reading")
