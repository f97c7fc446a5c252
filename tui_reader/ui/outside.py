"""What leaves the app: opening arXiv links, copying BibTeX, exporting the selection or
the starred papers in a format the user picks.

``OutsideActions`` is mixed into ``TriageScreen`` (which provides ``triage`` and
``current_paper``). Links are built from the arXiv id, never taken from the digest;
``o``/``p`` ask ``browser.open_link`` in a worker thread and, when no browser could be
started, say so, show the link and put it on the clipboard. Exporting asks for a path,
refuses what ``exporters.destination`` refuses (the state file and its side files, a
folder, device, FIFO or socket) with a notification, asks before overwriting and
writes off the UI thread.

The path it suggests (``suggested_export_path``): the starred papers go where they
went last time; otherwise the file is named after what is exported
(``starred.bib``, ``selection-2-papers.bib``) in the folder of the last export, else
the folder the app was started in, shown as ``./name``. The format's suffix follows
the format chosen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from pathlib import Path

from textual import work

from ..export import bibtex_entry, export_papers
from ..exporters.destination import DestinationError, export_destination, write_export
from ..model import Paper
from ..sanitize import printable
from . import browser
from .screens.confirm import ConfirmScreen
from .screens.export_path import ExportChoice, ExportPathScreen


class OutsideActions:
    """The out-of-the-app half of ``TriageScreen``."""

    def action_open_abstract(self) -> None:
        self._open(lambda paper: paper.abs_url)

    def action_open_pdf(self) -> None:
        self._open(lambda paper: paper.pdf_url)

    def _open(self, url_of: Callable[[Paper], str]) -> None:
        paper = self.current_paper()
        if paper is not None:
            # Built from the arXiv id, never a string from the digest.
            self._open_url(url_of(paper))

    @work(thread=True, group="open")
    def _open_url(self, url: str) -> None:
        opened = browser.open_link(url)
        self.app.call_from_thread(self._opened, url, opened)

    def _opened(self, url: str, opened: bool) -> None:
        if opened:
            self.notify(f"Opened {url} in the browser.", timeout=2)
            return
        self.app.copy_to_clipboard(url)
        self.notify(f"No browser could be started. The link, sent to the clipboard:\n{url}",
                    severity="warning", timeout=8)  # fmt: skip

    def action_copy_bibtex(self) -> None:
        paper = self.current_paper()
        if paper is None:
            return
        entry, key = bibtex_entry(self.triage.store, paper, metadata=self.enrichment.metadata)
        self.app.copy_to_clipboard(entry)
        self.notify(f"Copied the BibTeX entry {key} to the clipboard.", timeout=3)

    @work(exclusive=True, group="export")
    async def action_export_bibtex(self) -> None:
        """Export the selection, else the starred papers, in a format the user picks."""
        store = self.triage.store
        selected = self.triage.targets(None)
        count = len(selected) if selected else len(store.ids(starred=True))
        if not count:
            self.notify("No starred papers to export yet: star papers with s "
                        "(or select some with x).", severity="warning")  # fmt: skip
            return
        what = "selected" if selected else "starred"
        last, last_what = store.get_setting("export_path"), store.get_setting("export_what")
        suggestion = suggested_export_path(
            last if isinstance(last, str) else None,
            last_what if isinstance(last_what, str) else None,
            what,
            count,
        )
        fmt = store.get_setting("export_format")
        answer: ExportChoice | None = await self.app.push_screen_wait(
            ExportPathScreen(suggestion, count, what, fmt if isinstance(fmt, str) else "bibtex")
        )
        if answer is None:
            return
        path = Path(answer.path).expanduser()
        try:
            destination = export_destination(path, store.path)
        except DestinationError as error:
            self.notify(f"Not exported: {printable(str(error))}", severity="error", markup=False)
            return
        question = f"{printable(str(path))} exists. Overwrite it?"
        if destination.exists and not await self.app.push_screen_wait(
            ConfirmScreen(question, yes="Overwrite", no="Cancel")
        ):
            return
        missing: list[str] = []
        if not selected:
            selected, missing = self.triage.starred_papers()
        try:
            metadata = dict(self.enrichment.metadata)
            export = await asyncio.to_thread(
                partial(export_papers, store, selected, "all", fmt=answer.fmt, metadata=metadata)
            )
            await asyncio.to_thread(
                partial(write_export, path, export.text, state=store.path, overwrite=True)
            )
        except DestinationError as error:
            self.notify(f"Not exported: {printable(str(error))}", severity="error", markup=False)
            return
        except OSError as error:
            self.notify(f"Cannot write {printable(str(path))}: {error.strerror or error}",
                        severity="error", markup=False)  # fmt: skip
            return
        store.set_setting("export_path", str(path.absolute()))  # the same file from anywhere
        store.set_setting("export_what", what)
        store.set_setting("export_format", answer.fmt)
        count = len(export.papers)
        noun = "paper" if count == 1 else "papers"
        lost = f" {len(missing)} starred without details (not in these digests)." if missing else ""
        self.notify(f"Exported {count} {what} {noun} to {printable(str(path))}.{lost}", timeout=4,
                    markup=False)  # fmt: skip


def suggested_export_path(last: str | None, last_what: str | None, what: str, count: int) -> str:
    """Where to suggest exporting ``count`` papers (``what``: "starred" or "selected"),
    given the last export's path and what it held (None: no export yet; an export made
    before ``export_what`` was kept held the starred papers)."""
    name = "starred.bib" if what == "starred" else (
        f"selection-{count}-paper.bib" if count == 1 else f"selection-{count}-papers.bib"
    )  # fmt: skip
    if what == "starred" and last and last_what in (None, "starred"):
        folder, name = Path(last).expanduser().parent, Path(last).name
    elif last:
        folder = Path(last).expanduser().parent
    else:
        return f"./{name}"
    if folder.absolute() == Path.cwd().absolute():
        return f"./{name}"
    return str(folder / name)
