"""Digests that arrive, change or go while the app is open, shown on the triage screen.

``DigestWatchActions`` is mixed into ``TriageScreen`` (which provides ``triage``,
``paper_list``, ``current_paper``, ``show_current``, ``update_summary``,
``ranking_papers_added``, ``resort_after_loading``, ``run_search`` and the warnings
lists). It shows a merge without moving the cursor or losing the search, filter, sort
or selection: the cursor stays on its paper, on its row of the screen (or goes to the
next paper still shown when its own left); a search is run again over the new papers
in the worker, so newcomers that match join; a sorted view sorts them in. One toast per
batch says what came (``library_update.describe``); a file that cannot be read is one
line in ``W`` (each warning once, however often the file is touched) and a few words in
that toast; a folder that is gone is said once. Nothing is said for a file touched
without change, except after ``ctrl+r``, which always answers.

``DIGEST_WATCH_BINDINGS``: ``ctrl+r`` reloads by hand (also "Reload digests" in the
palette). The watching and reading are ``digest_watch.DigestWatch``'s.
"""

from __future__ import annotations

from textual.binding import Binding

from ..digest import DigestWarning
from ..library_update import describe
from ..model import Paper
from ..search_box import SearchBox
from .digest_watch import DigestWatch, WatchResult
from .screens.warnings import loading_report

DIGEST_WATCH_BINDINGS = [
    Binding(
        "ctrl+r",
        "reload_digests",
        "Reload digests",
        tooltip="Reload digests: new, changed and removed files",
        show=False,
        id="triage.reload",
    ),
]


class DigestWatchActions:
    """The watching half of ``TriageScreen``: the reload key and the merge shown."""

    digest_watch: DigestWatch

    def action_reload_digests(self) -> None:
        self.digest_watch.reload()

    def active_search(self) -> str:
        """The query whose hits the view shows ('' without a search)."""
        return self._search_query if self.triage.search_hits is not None else ""

    def on_digest_watch_changed(self, message: DigestWatch.Changed) -> None:
        self.digest_watch.files_changed(message.paths)

    def on_digest_watch_failed(self, message: DigestWatch.Failed) -> None:
        if message.done:
            self.digest_watch.read_done()
        said = self.digest_watch.said_failures
        if message.text in said:
            return  # once per problem: a watch that keeps breaking is not a toast storm
        said.add(message.text)
        then = "it starts again on its own" if message.restarting else "ctrl+r looks again"
        self.notify(f"Watching the digests stopped: {message.text}; {then}.",
                    title="Digests", severity="warning", timeout=10)  # fmt: skip

    def on_digest_watch_read(self, message: DigestWatch.Read) -> None:
        result = message.result
        try:
            if not result.update.empty:
                self._show_update(result)
            said = [describe(result.update.changes)] if result.update.changes else []
            said += self._new_warnings(result.warnings)
            for root in result.roots_gone:
                if root not in self.digest_watch.said_gone:
                    self.digest_watch.said_gone.add(root)
                    said.append(f"{root} is gone: its papers stay until ctrl+r")
            if result.manual and not said:
                said.append("Digests reloaded: nothing changed.")
            if said:
                self.notify("\n".join(line for line in said if line), title="Digests",
                            timeout=6)  # fmt: skip
        finally:
            self.digest_watch.read_done()

    def _new_warnings(self, warnings: list[DigestWarning]) -> list[str]:
        """Add the warnings not listed yet to ``W``; a line for the toast if any."""
        listed = {(w.path, w.line, w.message) for w in [*self.skipped_files, *self.digest_warnings]}
        skipped, other = [], []
        for warning in warnings:
            key = (warning.path, warning.line, warning.message)
            if key not in listed:
                listed.add(key)
                is_skip = warning.message.startswith(("skipped:", "could not be read again"))
                (skipped if is_skip else other).append(warning)
        self.skipped_files.extend(skipped)
        self.digest_warnings.extend(other)
        report = loading_report(skipped, other)
        return [report] if report else []

    def _show_update(self, result: WatchResult) -> None:
        triage, papers = self.triage, self.paper_list
        update = result.update
        current, cursor = self.current_paper(), papers.cursor
        offset = triage.row_of(cursor) - papers.scroll_offset.y
        old_view = triage.view
        hits = None
        if result.search is not None:
            query, box, found = result.search
            if query == self.active_search() and found.hits is not None:
                hits, self._search_box = found.hits, box
        if hits is None:
            self._search_box = SearchBox()  # records changed: index them afresh
        triage.apply_update(update, search_hits=hits)
        self.ranking_papers_added(list(update.added), list(update.replaced))
        position = self._position_after(current, old_view, cursor)
        papers.view_changed(cursor=position)
        if position is not None and triage.view:
            row = triage.row_of(position)
            papers.scroll_to(y=max(0, row - offset), animate=False, immediate=True)
        self.show_current()
        self.update_summary()
        self.refresh_bindings()  # [ ] and D depend on how many digests are open
        if triage.search_hits is not None and hits is None:
            self.run_search(self.active_search())
        if triage.is_sorted():
            self.resort_after_loading()

    def _position_after(self, current: Paper | None, old_view: list[int], cursor: int
                        ) -> int | None:  # fmt: skip
        """Where the cursor goes: its paper, else the next paper of the old view still
        shown, else the one before."""
        triage = self.triage
        if current is None:
            return 0 if triage.view else None
        where = {index: position for position, index in enumerate(triage.view)}
        for index in [*old_view[cursor:], *reversed(old_view[:cursor])]:
            if index in where:
                return where[index]
        return 0 if triage.view else None
