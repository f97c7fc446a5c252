"""One reader per digest layout, behind one interface; the registry in trial order.

Every layout module has:

``NAME``, ``DESCRIPTION``
    What ``--format NAME`` calls it, and one line for ``--help`` and the docs.
``detect(head: str) -> bool``
    Cheap: whether a file whose first characters are ``head`` is this layout.
``head_date(head: str) -> datetime.date | None``
    The digest's own date, if its first lines give one.
``read(text: str, path: Path, ref: DigestRef | None = None) -> Reading``
    The papers in file order, ``DigestWarning`` values and the text's own date.
    ``ref`` is the digest's identity when the caller already knows it.

``FORMATS`` lists them in the order ``detect_format`` tries them; ``arxiv_links`` (the
fallback, which takes anything) is last. Adding a layout is one new module and one line
here. Nothing in this package imports Textual or touches the screen.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    ai_summary,
    arxiv_email,
    arxiv_links,
    generator,
    generator_2024,
    rss_footnotes,
    topic_bullets,
    topic_table,
    weekly_table,
)
from .common import DigestError, DigestWarning, Reading

__all__ = ["FORMATS", "DigestError", "DigestWarning", "Reading", "detect_format", "format_named"]

FORMATS: tuple[ModuleType, ...] = (
    arxiv_email,
    topic_table,
    topic_bullets,
    weekly_table,
    rss_footnotes,
    ai_summary,
    generator,
    generator_2024,
    arxiv_links,
)
FALLBACK = arxiv_links


def format_named(name: str) -> ModuleType:
    """The layout called ``name``; ValueError naming the known ones otherwise."""
    for module in FORMATS:
        if name == module.NAME:
            return module
    known = ", ".join(module.NAME for module in FORMATS)
    raise ValueError(f"unknown digest format {name!r} (known: {known})")


def detect_format(head: str) -> ModuleType:
    """The first layout in ``FORMATS`` that recognises ``head``."""
    for module in FORMATS:
        if module.detect(head):
            return module
    return FALLBACK
