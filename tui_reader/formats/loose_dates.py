"""Dates as pages write them, found anywhere in a line.

``loose_date(text) -> datetime.date | None``: the first date in ``text``, written ISO
(also with ``.`` or ``/``: ``2025.09.12``), ``12 Sep 2025`` or ``Sep 12, 2025``
(months in English, short or long, any case); None when there is none or it is not a
real day. Used by the generic reader (``arxiv_links``) for a page's date and a
``Date:`` label's value.
"""

from __future__ import annotations

import datetime as dt
import re

_ISO_DATE_RE = re.compile(r"(?<!\d)(\d{4})[-./](\d{2})[-./](\d{2})(?!\d)")
_DAY_MONTH_RE = re.compile(
    r"(\d{1,2})[ \t]+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?,?[ \t]+(\d{4})",
    re.I,
)
_MONTH_DAY_RE = re.compile(
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?[ \t]+(\d{1,2}),?[ \t]+(\d{4})",
    re.I,
)
_MONTHS = {m: n for n, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


def loose_date(text: str) -> dt.date | None:
    """The first date in ``text``: ISO (also with ``.`` or ``/``), ``12 Sep 2025`` or
    ``Sep 12, 2025``."""
    try:
        if found := _ISO_DATE_RE.search(text):
            return dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        if found := _DAY_MONTH_RE.search(text):
            month = _MONTHS[found.group(2).lower()[:3]]
            return dt.date(int(found.group(3)), month, int(found.group(1)))
        if found := _MONTH_DAY_RE.search(text):
            month = _MONTHS[found.group(1).lower()[:3]]
            return dt.date(int(found.group(3)), month, int(found.group(2)))
    except ValueError:
        return None
    return None
