"""The digest generator's 2024 form: ``# Title`` sections, no date line, no TOC.

    # Tidal Attention: Linear-Time Sequence Mixing with Periodic Kernels

    >Authors: Olu Adeyemi,Clara Voss,Rahul Menon

    >2024-09-12

    > http://arxiv.org/abs/2409.07001v1

    Abstract with **bold** keywords.

Authors are joined by a bare ``,``. Sections are read by the current form's
``SectionParser`` with ``# `` headings; the text has no date of its own.
"""

from __future__ import annotations

from pathlib import Path

from ..model import DigestRef
from .common import LinePattern, Reading
from .generator import SectionParser

NAME = "generator-2024"
DESCRIPTION = "the generator's 2024 form: # Title sections, no date line, no TOC"

_DETECT = LinePattern(r"#[ \t]+(?!Table of Contents)\S.*\n\s*>[ \t]*Authors:")


def detect(head: str) -> bool:
    """A ``# Title`` heading followed by an ``>Authors:`` line."""
    return _DETECT.search(head) is not None


def head_date(head: str) -> None:
    return None


def read(text: str, path: Path, ref: DigestRef | None = None) -> Reading:
    parser = SectionParser(path, "# ", ref)
    papers = parser.feed(text)
    parser.finish()
    return Reading(papers, parser.warnings, None)
