"""Opening a link in the user's browser, and saying when none could be started.

``open_link(url) -> bool`` asks ``webbrowser`` (which may block while it starts a
browser: call it from a worker thread) and returns whether a browser took the URL.
Textual's ``App.open_url`` ignores that answer; we report it.
"""

from __future__ import annotations

import webbrowser


def open_link(url: str) -> bool:
    try:
        return bool(webbrowser.open(url))
    except (webbrowser.Error, OSError):
        return False
