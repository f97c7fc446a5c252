"""The triage app: table of contents, detail pane, one key per judgement.

``make_app`` is the one way to build it (the CLI, the tests and the screenshot script
all call it). The app owns no rules: ``Triage`` decides, the store remembers, the
widgets draw and post messages.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from ..digest import DigestLoader, LibraryBuilder
from ..export import bibtex_entry, export_bibtex, write_export
from ..model import Paper
from ..sanitize import printable
from ..search import SearchIndex, query_terms
from ..store import StateStore
from ..triage import Triage
from .for_you import ForYouActions
from .paper_detail import DetailModel, PaperDetail
from .paper_list import PaperList
from .rendering import display_title
from .screens.confirm import ConfirmScreen
from .screens.export_path import ExportPathScreen
from .screens.help import HelpScreen
from .screens.note import NoteScreen
from .summary_bar import SummaryBar

NARROW_WIDTH = 100
HANDOVER_INTERVAL = 0.15  # seconds between hand-overs of loaded papers to the screen
SEARCH_DELAY = 0.08  # seconds of typing pause before a search over many papers runs
FILTER_NAMES = {"all": "all papers", "unread": "unread", "starred": "starred", "noted": "noted"}


class TriageScreen(ForYouActions, Screen[None]):
    """The main screen. Owns the view state; the list and detail pane only show it."""

    BINDINGS = [
        Binding("space", "page_or_next", "Page/next", id="triage.page"),
        Binding("J", "next_unread", "Next unread", id="triage.next_unread"),
        Binding("K", "previous_unread", "Previous unread", show=False, id="triage.prev_unread"),
        Binding("r", "toggle_read", "Read", id="triage.read"),
        Binding("s", "toggle_star", "Star", id="triage.star"),
        Binding("n", "edit_note", "Note", id="triage.note"),
        Binding("u", "undo", "Undo", id="triage.undo"),
        Binding("R", "mark_view_read", "Mark all in view read", show=False, id="triage.all_read"),
        Binding("slash", "search", "Search", id="triage.search"),
        Binding("f", "cycle_filter", "Filter", id="triage.filter"),
        Binding(
            "y",
            "sort_for_you",
            "For you",
            tooltip="Sort by what you starred (again: digest order)",
            show=False,
            id="triage.for_you",
        ),
        Binding("L", "like_this", "Papers like this", show=False, id="triage.like_this"),
        Binding("o", "open_abstract", "Open arXiv page", show=False, id="triage.open"),
        Binding("p", "open_pdf", "Open PDF", show=False, id="triage.pdf"),
        Binding("c", "copy_bibtex", "Copy BibTeX entry", show=False, id="triage.copy"),
        Binding("b", "export_bibtex", "Export starred", id="triage.export"),
        Binding(
            "left_square_bracket",
            "previous_digest",
            "Previous digest",
            show=False,
            id="triage.prev_digest",
        ),
        Binding(
            "right_square_bracket",
            "next_digest",
            "Next digest",
            show=False,
            id="triage.next_digest",
        ),
        Binding("escape", "clear_search", "Clear search", show=False, id="triage.clear"),
    ]

    def __init__(self, triage: Triage, *, words: Sequence[str], auto_read: bool) -> None:
        super().__init__()
        self.triage = triage
        self.words = tuple(words)
        self.auto_read = auto_read
        self.reading_digests = True
        self._shown: Paper | None = None
        self._read_chosen = False  # the user pressed r on the shown paper
        self._user_moved = False
        self._awaiting_unread = True  # no unread paper has been loaded yet
        self._search_index: tuple[SearchIndex | None, int] = (None, 0)
        self._search_query = ""

    # -- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SummaryBar(id="summary")
        with Horizontal(id="body"):
            yield PaperList(self.triage, display_title, id="papers")
            yield PaperDetail(id="detail")
        yield Input(placeholder="search title, authors, abstract, id — all words must match",
                    id="search")  # fmt: skip
        yield Footer()

    def on_mount(self) -> None:
        # Choose the layout before the first frame, so the list is never laid out twice.
        self._fit_layout(self.app.size.width)
        self.query_one(PaperList).focus()
        self.update_summary()

    def on_resize(self) -> None:
        self._fit_layout(self.size.width)

    def on_unmount(self) -> None:
        self.ranking.stop()

    def _fit_layout(self, width: int) -> None:
        narrow = width < NARROW_WIDTH
        self.set_class(narrow, "-narrow")
        # A compact footer fits the main keys into 80 columns.
        self.query_one(Footer).compact = narrow

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> PaperDetail:
        return self.query_one(PaperDetail)

    # -- loading --------------------------------------------------------------------

    def add_batch(self, papers: list[Paper], replaced: list[tuple[int, Paper]]) -> None:
        """Papers read by the loader: show them at once, the rest is on its way."""
        first = not self.triage.papers
        seen = len(self.triage.view)
        self.triage.add_papers(papers, replaced)
        self.ranking_papers_added(papers, replaced)
        if first:
            self.call_after_refresh(self.ranking_start)  # counting starts after first paint
        cursor = None
        if first or (self._awaiting_unread and not self._user_moved):
            # Until the user moves, the cursor waits on the first unread paper.
            unread = self.triage.next_unread(seen - 1, 1)
            self._awaiting_unread = unread is None
            if unread is not None or first:
                cursor = unread or 0
        self.paper_list.view_changed(cursor=cursor)
        if replaced:
            self.show_current()
        self.update_summary()

    def loading_finished(self, warnings: list[str], errors: list[str]) -> None:
        self.reading_digests = False
        for error in errors:
            self.notify(error, title="Digest skipped", severity="error", timeout=10)
        if warnings:
            shown = "\n".join(warnings[:3])
            more = f"\n… and {len(warnings) - 3} more" if len(warnings) > 3 else ""
            self.notify(f"{shown}{more}", title=f"{len(warnings)} digest warnings",
                        severity="warning", timeout=8)  # fmt: skip
        if not self.triage.papers:
            self.notify("No papers could be loaded.", severity="error")
        self.update_summary()

    # -- showing --------------------------------------------------------------------

    def update_summary(self) -> None:
        counts = self.triage.counts()
        parts = [self.triage.date_range() or "digest-reader"]
        parts.append(f"{counts.papers:,} papers")
        parts.append(f"{counts.unread:,} unread")
        parts.append(f"{counts.starred:,} starred")
        if counts.noted:
            parts.append(f"{counts.noted:,} noted")
        if self.triage.filter != "all":
            parts.append(f"filter: {FILTER_NAMES[self.triage.filter]}")
        if self.triage.search_hits is not None:
            parts.append(f"search: {self._search_query} ({len(self.triage.view):,})")
        elif self.triage.filter != "all":
            parts.append(f"{len(self.triage.view):,} shown")
        if self.reading_digests:
            parts.append("loading…")
        self.query_one(SummaryBar).show(" · ".join(parts))

    def current_paper(self) -> Paper | None:
        return self.triage.paper_at(self.paper_list.cursor)

    def show_current(self) -> None:
        paper = self.current_paper()
        if paper is None:
            self.detail.model = None
            return
        self.detail.model = DetailModel(
            paper=paper,
            state=self.triage.store.state(paper.arxiv_id),
            words=self.words,
            search=self.triage.search_terms,
            why=self.why_line(paper),
        )

    def refresh_all(self) -> None:
        """State changed: redraw the visible rows, the detail pane and the counts."""
        self.paper_list.refresh()
        self.show_current()
        self.update_summary()

    @on(PaperList.CursorMoved)
    def cursor_moved(self, message: PaperList.CursorMoved) -> None:
        paper = self.current_paper()
        previous = self._shown
        if previous is not None and (paper is None or paper.arxiv_id != previous.arxiv_id):
            if self.auto_read and not self._read_chosen and self.triage.mark_read([previous]):
                self.paper_list.refresh_line(message.previous)
                self.update_summary()
            self._read_chosen = False
        self._shown = paper
        self.show_current()

    def on_key(self) -> None:
        # Any key the user presses on this screen means the cursor is theirs now.
        self._user_moved = True

    # -- moving -----------------------------------------------------------------------

    def action_page_or_next(self) -> None:
        detail = self.detail
        if not detail.at_end():
            detail.scroll_page_down(animate=False)
            return
        self.action_next_unread()

    def action_next_unread(self) -> None:
        self._jump(self.triage.next_unread(self.paper_list.cursor, 1), "No unread papers below.")

    def action_previous_unread(self) -> None:
        self._jump(self.triage.next_unread(self.paper_list.cursor, -1), "No unread papers above.")

    def action_next_digest(self) -> None:
        self._jump(self.triage.digest_start(self.paper_list.cursor, 1), "This is the last digest.")

    def action_previous_digest(self) -> None:
        self._jump(self.triage.digest_start(self.paper_list.cursor, -1),
                   "This is the first digest.")  # fmt: skip

    def _jump(self, position: int | None, otherwise: str) -> None:
        if position is None:
            self.notify(otherwise, timeout=2)
        else:
            self.paper_list.move_to(position)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("previous_digest", "next_digest"):
            return len(self.triage.digests) > 1 or None
        if action in ("toggle_read", "toggle_star", "edit_note", "open_abstract", "open_pdf",
                      "copy_bibtex", "page_or_next", "next_unread", "previous_unread",
                      "mark_view_read", "like_this"):  # fmt: skip
            return self.current_paper() is not None or None
        if action == "clear_search":
            return self.triage.search_hits is not None or self.query_one("#search").display
        return True

    # -- judging --------------------------------------------------------------------

    def action_toggle_read(self) -> None:
        paper = self.current_paper()
        if paper is None:
            return
        self._read_chosen = True
        self.triage.toggle_read(paper)
        self.refresh_all()

    def action_toggle_star(self) -> None:
        paper = self.current_paper()
        if paper is None:
            return
        starred = self.triage.toggle_star(paper)
        self.refresh_all()
        self.ranking_judged()
        self.notify("Starred." if starred else "Star removed.", timeout=1.5)

    @work(exclusive=True, group="note")
    async def action_edit_note(self) -> None:
        paper = self.current_paper()
        if paper is None:
            return
        old = self.triage.store.state(paper.arxiv_id).note
        note = await self.app.push_screen_wait(NoteScreen(display_title(paper.title), old))
        if note is None or note == old:
            return
        self.triage.set_note(paper, note)
        self.refresh_all()
        self.notify("Note saved." if note.strip() else "Note deleted.", timeout=1.5)

    def action_undo(self) -> None:
        changed = self.triage.undo()
        if not changed:
            self.notify("Nothing to undo.", timeout=2)
            return
        self.refresh_all()
        self.ranking_judged()
        noun = "paper" if len(changed) == 1 else "papers"
        self.notify(f"Undone ({len(changed)} {noun}).", timeout=2)

    def action_mark_view_read(self) -> None:
        count = self.triage.mark_read(self.triage.papers_in_view())
        self.refresh_all()
        noun = "paper" if count == 1 else "papers"
        self.notify(f"Marked {count:,} {noun} read. u undoes it." if count
                    else "Every paper here is already read.", timeout=3)  # fmt: skip

    # -- filter and search --------------------------------------------------------------

    def action_cycle_filter(self) -> None:
        current = self.current_paper()
        name = self.triage.cycle_filter()
        self._view_rebuilt(current)
        self.notify(f"Showing {FILTER_NAMES[name]} ({len(self.triage.view):,}).", timeout=2)

    def _view_rebuilt(self, keep: Paper | None) -> None:
        position = self.triage.position_of(keep.arxiv_id) if keep is not None else None
        self.paper_list.view_changed(cursor=0 if position is None else position)
        if not self.triage.view:
            self.show_current()
        self.update_summary()

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        had_search = self.triage.search_hits is not None
        search.display = False
        self.workers.cancel_group(self, "search")
        self._search_query = ""
        if search.value:
            with search.prevent(Input.Changed):
                search.value = ""
        self.paper_list.focus()
        if had_search:
            current = self.current_paper()
            self.triage.set_search(None)
            self._view_rebuilt(current)

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.paper_list.focus()

    def on_descendant_blur(self) -> None:
        search = self.query_one("#search", Input)
        if not search.has_focus and not search.value:
            search.display = False

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        worker = get_current_worker()
        papers = self.triage.papers
        if len(papers) > 2000:
            # Let a fast typist finish a word before searching 100,000 abstracts.
            time.sleep(SEARCH_DELAY)
            if worker.is_cancelled:
                return
        index, size = self._search_index
        if index is None or size != len(papers):
            # Papers are still arriving: index what is here now.
            index = SearchIndex(list(papers))
            self._search_index = (index, len(papers))
        terms = query_terms(query)
        hits = index.search(query) if terms else None
        if not worker.is_cancelled:
            self.app.call_from_thread(self.apply_search, query, hits, terms)

    def apply_search(self, query: str, hits: list[int] | None, terms: list[str]) -> None:
        current = self.current_paper()
        self._search_query = query.strip()
        self.triage.set_search(hits, terms)
        self._view_rebuilt(current)
        self.show_current()

    # -- out of the app ---------------------------------------------------------------

    def action_open_abstract(self) -> None:
        self._open(lambda paper: paper.abs_url)

    def action_open_pdf(self) -> None:
        self._open(lambda paper: paper.pdf_url)

    def _open(self, url_of) -> None:
        paper = self.current_paper()
        if paper is None:
            return
        url = url_of(paper)  # built from the arXiv id, never a string from the digest
        self.app.open_url(url)
        self.notify(f"Opening {url}", timeout=2)

    def action_copy_bibtex(self) -> None:
        paper = self.current_paper()
        if paper is None:
            return
        entry, key = bibtex_entry(self.triage.store, paper)
        self.app.copy_to_clipboard(entry)
        self.notify(f"Copied the BibTeX entry {key} to the clipboard.", timeout=3)

    @work(exclusive=True, group="export")
    async def action_export_bibtex(self) -> None:
        store = self.triage.store
        starred = store.ids(starred=True)
        if not starred:
            self.notify("No starred papers to export yet: star papers with s.",
                        severity="warning")  # fmt: skip
            return
        suggestion = store.get_setting("export_path") or str(Path.home() / "starred.bib")
        answer = await self.app.push_screen_wait(ExportPathScreen(suggestion, len(starred)))
        if answer is None:
            return
        path = Path(answer).expanduser()
        if path.is_dir():
            self.notify(f"{path} is a folder; give a file name.", severity="error")
            return
        if path.exists() and not await self.app.push_screen_wait(
            ConfirmScreen(f"{path} exists. Overwrite it?", yes="Overwrite", no="Cancel")
        ):
            return
        try:
            export = await asyncio.to_thread(export_bibtex, store, None, "starred")
            await asyncio.to_thread(write_export, path, export.text, overwrite=True)
        except OSError as error:
            self.notify(f"Cannot write {path}: {error.strerror or error}", severity="error")
            return
        store.set_setting("export_path", str(path))
        count = len(export.papers)
        noun = "paper" if count == 1 else "papers"
        self.notify(f"Exported {count} starred {noun} to {path}.", timeout=4)

    # -- another copy of the app changed the state file ------------------------------

    def state_changed_elsewhere(self, ids: set[str]) -> None:
        self.triage.recount()
        self.refresh_all()
        self.ranking_judged()


class DigestApp(App[None]):
    """Triage arXiv digests. Build it with ``make_app``."""

    CSS_PATH = "app.tcss"
    TITLE = "digest-reader"
    BINDINGS = [
        Binding("q", "quit", "Quit", priority=True, id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

    def __init__(self, paths: Sequence[Path], store: StateStore, *,
                 words: Sequence[str] = (), auto_read: bool = True) -> None:  # fmt: skip
        super().__init__()
        self.paths = list(paths)
        self.store = store
        self.triage = Triage(store)
        self.triage_screen = TriageScreen(self.triage, words=words, auto_read=auto_read)

    def on_mount(self) -> None:
        theme = self.store.get_setting("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        for notice in self.store.notices:
            self.notify(notice, title="State file", severity="warning", timeout=10)
        self.load_digests()

    def get_default_screen(self) -> Screen:
        return self.triage_screen

    def watch_theme(self, theme: str) -> None:
        if self.store.get_setting("theme") != theme:
            self.store.set_setting("theme", theme)

    @work(thread=True, exclusive=True, group="load")
    def load_digests(self) -> None:
        """Read the digests off the UI thread, handing over papers as they are read."""
        worker = get_current_worker()
        builder = LibraryBuilder()
        handed_over = 0  # papers the screen already has
        replaced: set[int] = set()
        last_handover = 0.0

        def hand_over() -> None:
            nonlocal handed_over, last_handover
            new = builder.papers[handed_over:]
            updated = [(i, builder.papers[i]) for i in sorted(replaced) if i < handed_over]
            handed_over = len(builder.papers)
            replaced.clear()
            self.call_from_thread(self.triage_screen.add_batch, new, updated)
            last_handover = time.monotonic()

        # The CLI's loader: a file that is not a digest is skipped with a warning.
        loader = DigestLoader(self.paths)
        for batch in loader.batches():
            if worker.is_cancelled:
                return
            replaced.update(builder.add(batch))
            # The first papers go to the screen at once; after that, every
            # HANDOVER_INTERVAL, as each hand-over waits for the UI thread.
            if not handed_over or time.monotonic() - last_handover > HANDOVER_INTERVAL:
                hand_over()
        hand_over()
        skipped = set(loader.skipped)
        errors = [str(warning) for warning in loader.skipped]
        warnings = [str(w) for w in [*loader.warnings, *builder.warnings] if w not in skipped]
        self.call_from_thread(self.triage_screen.loading_finished, warnings, errors)

    def action_help(self) -> None:
        self.push_screen(
            HelpScreen(
                [
                    ("Triage", TriageScreen.BINDINGS),
                    ("Moving in the list", PaperList.BINDINGS),
                    ("App", self.BINDINGS),
                ]
            )
        )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, TriageScreen):
            for binding in TriageScreen.BINDINGS:
                yield SystemCommand(
                    binding.description,
                    f"key: {binding.key}",
                    lambda action=binding.action: screen.run_action(action),
                )
        yield SystemCommand("Help", "Show every key (?)", self.action_help)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is plain text: messages quote digest titles and file names,
        which must never be read as markup or reach the terminal as control codes."""
        super().notify(
            printable(message, keep_newlines=True),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def store_notice(self, message: str) -> None:
        """The store reports a problem (read-only folder, corrupt file moved aside)."""
        self.notify(message, title="State file", severity="warning", timeout=10)


def make_app(paths: Sequence[Path], store: StateStore, *, words: Sequence[str] = (),
             auto_read: bool = True) -> DigestApp:  # fmt: skip
    """The app on ``paths`` (digest files, oldest first) over ``store``."""
    return DigestApp(paths, store, words=words, auto_read=auto_read)
