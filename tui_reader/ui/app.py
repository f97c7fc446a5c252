"""The triage app: table of contents, detail pane, one key per judgement.

``make_app`` is the one way to build it (the CLI, the tests and the screenshot script
all call it). The app owns no rules: ``Triage`` decides, the store remembers, the
widgets draw and post messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from textual import events, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from ..clock import Clock
from ..digest import DigestWarning
from ..model import Paper
from ..sanitize import printable
from ..search_box import PLACEHOLDER, SearchBox
from ..store import StateStore
from ..triage import Triage
from .app_clock import AppClock
from .digest_watch import DigestWatch
from .enrichment import EnrichmentWorker, OnlineMetadata
from .footer import KeysFooter
from .for_you import ForYouActions
from .header import FILTER_NAMES, header_for
from .loader import read_digests
from .narrow import NarrowLayout
from .note_editing import NoteActions
from .organising import ORGANISE_BINDINGS, OrganiseActions
from .outside import OutsideActions
from .paper_detail import DetailModel, PaperDetail
from .paper_list import PaperList
from .quiet_timer import QuietTimer
from .rendering import display_title
from .screens.digest_picker import DigestPickerScreen
from .screens.help import HelpScreen
from .screens.unsaved import UnsavedGuard
from .screens.warnings import WarningsScreen, loading_report
from .searching import SearchActions
from .session import Session, load_session, save_session
from .state_banner import StateBanner
from .summary_bar import SummaryBar
from .watching import DIGEST_WATCH_BINDINGS, DigestWatchActions

RANK_AFTER = 0.5  # seconds after loading before the "for you" ranking starts
READ_AFTER = 2.0  # seconds a paper stays on screen before it counts as read
SESSION_SAVE_DELAY = 1.0  # seconds you stay before where you are is written


class TriageScreen(
    OnlineMetadata,
    NoteActions,
    DigestWatchActions,
    ForYouActions,
    SearchActions,
    OrganiseActions,
    OutsideActions,
    NarrowLayout,
    Screen[None],
):
    """The main screen. Owns the view state; the list and detail pane only show it."""

    BINDINGS = [
        Binding("space", "page_or_next", "Page/next", id="triage.page"),
        Binding("J", "next_unread", "Next unread", show=False, id="triage.next_unread"),
        Binding("K", "previous_unread", "Previous unread", show=False, id="triage.prev_unread"),
        Binding("r", "toggle_read", "Read", id="triage.read"),
        Binding("s", "toggle_star", "Star", id="triage.star"),
        Binding(
            "S",
            "star_and_next",
            "Star+next",
            tooltip="Star, mark read, go to next unread",
            id="triage.star_next",
        ),
        Binding("n", "edit_note", "Note", id="triage.note"),
        Binding("u", "undo", "Undo", show=False, id="triage.undo"),
        Binding("R", "mark_view_read", "Mark all in view read", show=False, id="triage.all_read"),
        Binding("slash", "search", "Search", id="triage.search"),
        Binding("f", "cycle_filter", "Filter", id="triage.filter"),
        Binding("D", "pick_digest", "Go to digest", show=False, id="triage.digests"),
        Binding(
            "y",
            "sort_for_you",
            "For you",
            tooltip="For you: papers not yet judged, likeliest first (again: digest order)",
            show=False,
            id="triage.for_you",
        ),
        Binding(
            "L",
            "like_this",
            "Like this",
            tooltip="Papers like this one, from every open digest",
            show=False,
            id="triage.like_this",
        ),
        Binding("o", "open_abstract", "Open arXiv page", show=False, id="triage.open"),
        Binding("p", "open_pdf", "Open PDF", show=False, id="triage.pdf"),
        Binding("c", "copy_bibtex", "Copy BibTeX entry", show=False, id="triage.copy"),
        Binding(
            "b",
            "export_bibtex",
            "Export",
            tooltip="Export the selection, else the starred papers",
            id="triage.export",
        ),
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
        Binding("escape", "escape", "Clear search, then selection", show=False, id="triage.clear"),
        Binding("W", "show_warnings", "Digest warnings", show=False, id="triage.warnings"),
        *ORGANISE_BINDINGS,
        *DIGEST_WATCH_BINDINGS,
    ]

    def __init__(
        self,
        triage: Triage,
        *,
        words: Sequence[str],
        read_after: float | None,
        session: Session | None = None,
        on_session: Callable[[Session], None] | None = None,
        online: dict[str, Any] | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__()
        # Every timer that decides something reads this clock (tests pass a FakeClock).
        self.clock: Clock = clock or AppClock(self)
        self.triage = triage
        # online: EnrichmentWorker's cache, online and where (None: no metadata at all).
        self.enrichment = EnrichmentWorker(self, triage, **(online or {"cache": None}))
        self.words = tuple(words)
        self.read_after = read_after  # None: never mark read on its own
        self.reading_digests = True
        self._shown: Paper | None = None
        self._dwell = QuietTimer(self.clock, read_after or 0.0, self._dwelt)
        self._dwelling: Paper | None = None  # the paper the dwell clock runs for
        self._restore = session or Session()
        if self._restore.filter in FILTER_NAMES:
            # Now, before any paper arrives (the loader may finish before on_mount).
            triage.set_filter(self._restore.filter)
        self._on_session = on_session
        self._session_pending: Session | None = None  # where you are, not yet written
        self._session_timer = QuietTimer(self.clock, SESSION_SAVE_DELAY, self.save_session)
        self._restore_paper = ""
        self._user_moved = False
        self._awaiting_unread = True  # no unread paper has been loaded yet
        self._search_box = SearchBox()
        self._search_query = ""
        self.skipped_files: list[DigestWarning] = []
        self.digest_warnings: list[DigestWarning] = []

    # -- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SummaryBar(id="summary")
        yield StateBanner(id="state-banner")  # hidden unless the state was not read whole
        with Horizontal(id="body"):
            paper_list = PaperList(self.triage, display_title, id="papers")
            # Now, not on mount: the loader's first papers may arrive before that.
            self.watch(paper_list, "cursor", self.cursor_moved, init=False)
            yield paper_list
            yield PaperDetail(id="detail")
        yield Static(id="search-error", markup=False)
        yield Input(placeholder=PLACEHOLDER, id="search")
        yield KeysFooter()

    def on_mount(self) -> None:
        # Choose the layout before the first frame, so the list is never laid out twice.
        self.fit_layout(self.app.size.width)
        self.query_one(PaperList).focus()
        self.update_summary()
        self.announce_note_drafts()

    def on_resize(self) -> None:
        self.fit_layout(self.size.width)

    def on_summary_bar_rows(self, message: SummaryBar.Rows) -> None:
        self.set_class(message.rows > 1, "-tall-header")  # toasts go below it (app.tcss)

    def on_unmount(self) -> None:
        self.ranking.stop()
        self.enrichment.stop()
        self.digest_watch.stop()
        self.save_session()

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
        if first:
            # check_action greys out the paper keys while there is no paper: ask the
            # footer, help and palette to look again now that there is one.
            self.refresh_bindings()

    def loading_finished(self, warnings: list[DigestWarning], skipped: list[DigestWarning]) -> None:
        """Every digest is read: ``skipped`` files gave no paper, ``warnings`` are the
        rest. One toast says how many; W lists them."""
        self.reading_digests = False
        # The ranking's import and counting hold the interpreter: not while loading,
        # nor under the first keys pressed as the last papers arrive (y and L start it
        # at once).
        self.clock.call_later(RANK_AFTER, self.ranking_start)
        self.enrichment.start()  # the metadata cache, then (when online) the services
        self.skipped_files, self.digest_warnings = list(skipped), list(warnings)
        report = loading_report(self.skipped_files, self.digest_warnings)
        if report:
            self.notify(report, title="Digests", severity="warning", timeout=10)
        if not self.triage.papers:
            self.notify("No papers could be loaded.", severity="error")
        self.update_summary()
        self.refresh_bindings()  # W, [ and ] depend on the loading and the digests read
        self._restore_session()
        self.resort_after_loading()
        self.digest_watch.loading_finished(self.triage.papers, self.triage.digests)

    def _restore_session(self) -> None:
        """Back where the last session on these digests ended, unless the user moved."""
        restore, self._restore = self._restore, Session()
        if self._user_moved or not self.triage.papers:
            return
        if restore.sort != self.triage.sort:  # sorted off the UI thread, the cursor kept
            self._next_sort = restore.sort
            self._prepare_sort(restore.sort)
        if restore.search:
            search = self.query_one("#search", Input)
            search.display = True
            self._restore_paper = restore.paper
            search.value = restore.search  # runs the search; apply_search moves the cursor
        else:
            self._move_to_paper(restore.paper)

    def _move_to_paper(self, arxiv_id: str) -> None:
        position = self.triage.position_of(arxiv_id) if arxiv_id else None
        if position is not None:
            self.paper_list.move_to(position)

    def remember_session(self) -> None:
        """Note where you are; it is written once you have stayed ``SESSION_SAVE_DELAY``
        seconds (or on leaving), not on every key: a write per move cost a journal line
        and an fsync per ``j``."""
        if self._on_session is None or self._restore != Session():
            return  # nothing to save, or the last session is not restored yet
        paper = self.current_paper()
        self._session_pending = Session(
            paper.arxiv_id if paper else "", self.triage.filter, self._search_query,
            self.triage.sort,
        )  # fmt: skip
        self._session_timer.restart()

    def save_session(self) -> None:
        self._session_timer.stop()
        pending, self._session_pending = self._session_pending, None
        if pending is not None and self._on_session is not None:
            self._on_session(pending)

    # -- showing --------------------------------------------------------------------

    def update_summary(self) -> None:
        header = header_for(self.triage, self.paper_list.cursor, self._search_query,
                            self.reading_digests, self.enrichment.progress)  # fmt: skip
        self.query_one(SummaryBar).show(header)

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
            metadata=self.enrichment.get(paper.arxiv_id),
        )

    def refresh_all(self) -> None:
        """State changed: redraw the visible rows, the detail pane and the counts."""
        self.paper_list.refresh()
        self.show_current()
        self.update_summary()

    def refresh_current(self) -> None:
        """The current paper's state changed: redraw its row (every row when digest
        dividers show: they count unread papers), the detail pane and the counts."""
        papers = self.paper_list
        if self.triage.row_count() == len(self.triage.view):
            papers.refresh_line(self.triage.row_of(papers.cursor))
        else:
            papers.refresh()
        self.show_current()
        self.update_summary()

    def cursor_moved(self, position: int) -> None:
        """The list's cursor moved: show its paper. A watcher rather than a message, so
        the list's rows and the pane are drawn in one frame, not two (about a fifth of
        a ``j``'s cost at 160x50)."""
        paper = self.current_paper()
        previous = self._shown
        self._shown = paper
        self.show_current()
        if paper is not previous and (
            paper is None or previous is None or paper.arxiv_id != previous.arxiv_id
        ):
            self._start_dwell(paper)
            if len(self.triage.digests) > 1:
                self.update_summary()
            self.remember_session()

    def _start_dwell(self, paper: Paper | None) -> None:
        """A paper that stays on screen ``read_after`` seconds becomes read; passing it
        (held j, jumps, filter and search changes) restarts the clock, so marks nothing."""
        if paper is None or self.read_after is None:
            self._stop_dwell()
        elif self.read_after <= 0:
            self._stop_dwell()
            self._mark_read(paper)
        else:
            self._dwelling = paper
            self._dwell.restart()

    def _dwelt(self) -> None:
        paper, self._dwelling = self._dwelling, None
        current = self.current_paper()
        if paper is None or current is None or current.arxiv_id != paper.arxiv_id:
            return
        if self.query_one("#search", Input).has_focus:
            self._start_dwell(paper)  # typing a search is not reading: wait for the list
        else:
            self._mark_read(paper)

    def _mark_read(self, paper: Paper) -> bool:
        if self.triage.mark_read([paper]):
            if paper is self.current_paper():
                self.refresh_current()
            else:
                self.refresh_all()
            return True
        return False

    def on_key(self, event: events.Key) -> None:
        # Any key the user presses on this screen means the cursor is theirs now.
        self._user_moved = True
        self.layout_key(event.key)

    # -- moving -----------------------------------------------------------------------

    def action_page_or_next(self) -> None:
        """Page down the paper; at its end it has been read: on to the next unread."""
        detail = self.detail
        if not detail.at_end():
            detail.scroll_page_down(animate=False)
            self.start_reading()
            return
        paper = self.current_paper()
        if paper is not None:
            self._stop_dwell()
            self._mark_read(paper)
        self._next_unread(1)
        self.start_reading()

    def action_next_unread(self) -> None:
        self._next_unread(1)
        self.start_reading()

    def action_previous_unread(self) -> None:
        self._next_unread(-1)
        self.start_reading()

    def _stop_dwell(self) -> None:
        self._dwell.stop()
        self._dwelling = None

    def _next_unread(self, step: int) -> None:
        """The nearest unread paper that way, going round the end of the view."""
        position, went_round = self.triage.next_unread_round(self.paper_list.cursor, step)
        if position is None:
            unread = self.triage.unread_in_view()
            current = self.current_paper()
            if unread and current is not None:
                self.notify("This is the only unread paper here.", timeout=2)
            else:
                self.notify(f"All {len(self.triage.view):,} read.", timeout=3)
            return
        if went_round:
            where = "top" if step > 0 else "bottom"
            self.notify(f"Went round to the {where}: unread papers are only that way.",
                        timeout=2)  # fmt: skip
        self.paper_list.move_to(position)

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
        if action in ("previous_digest", "next_digest", "pick_digest"):
            return len(self.triage.digests) > 1 or None
        if action in ("toggle_read", "toggle_star", "edit_note", "open_abstract", "open_pdf",
                      "copy_bibtex", "page_or_next", "next_unread", "previous_unread",
                      "star_and_next", "mark_view_read", "edit_tags",
                      "toggle_selected", "like_this"):  # fmt: skip
            return self.current_paper() is not None or None
        if action in ("show_warnings", "reload_digests"):
            return not self.reading_digests or None
        if action == "clear_search":
            return self.triage.search_hits is not None or self.query_one("#search").display
        if action == "clear_selection":
            return bool(self.triage.selection) or None
        return True

    # -- judging --------------------------------------------------------------------

    def action_toggle_read(self) -> None:
        paper = self.current_paper()
        if paper is None or self.act_on_selection("read"):
            return
        self._stop_dwell()  # the user chose; the clock must not undo an "unread"
        self.triage.toggle_read(paper)
        self.refresh_current()

    def action_star_and_next(self) -> None:
        """Keep it and move on: star, mark read, go to the next unread paper."""
        paper = self.current_paper()
        if paper is None:
            return
        self._stop_dwell()
        self.triage.star_and_read(paper)
        self.refresh_current()
        self.ranking_judged()
        self._next_unread(1)
        self.start_reading()

    def action_toggle_star(self) -> None:
        paper = self.current_paper()
        if paper is None or self.act_on_selection("star"):
            return
        self.triage.toggle_star(paper)
        self.refresh_current()  # the row's and the pane's star say it: no toast to lay out
        self.ranking_judged()

    def action_undo(self) -> None:
        changed = self.triage.undo()
        if not changed:
            self.notify("Nothing to undo.", timeout=2)
            return
        self.refresh_all()
        self.ranking_judged()
        self.notify(f"Undone: {self._titles(changed)}.", timeout=3)

    def _titles(self, ids: set[str], shown: int = 2) -> str:
        """Papers named by title (the first few, in list order), then how many more."""
        titles = sorted(
            (self.triage.position_of(i) or 0, display_title(self.triage.title_of(i) or i))
            for i in ids
        )
        names = [f"“{title}”" for _, title in titles[:shown]]
        if len(titles) > shown:
            more = len(titles) - shown
            names.append(f"{more:,} more {'paper' if more == 1 else 'papers'}")
        return ", ".join(names)

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
        self._start_dwell(self.current_paper())  # a new view: the clock starts again
        self.update_summary()
        self.remember_session()

    # -- digests ----------------------------------------------------------------------

    @work(exclusive=True, group="digests")
    async def action_pick_digest(self) -> None:
        current = self.current_paper()
        here = self.triage.home(current) if current is not None else None
        digest = await self.app.push_screen_wait(
            DigestPickerScreen(self.triage.digest_table(), here)
        )
        if digest is None:
            return
        position = self.triage.digest_position(digest)
        if position is None:
            label = self.triage.digests[digest].label
            self.notify(f"No paper of {label} is in this view.", timeout=3)
            return
        self.paper_list.move_to(position)

    def action_show_warnings(self) -> None:
        self.app.push_screen(WarningsScreen(self.skipped_files, self.digest_warnings,
                                            self.enrichment.warnings))  # fmt: skip

    # -- another copy of the app changed the state file ------------------------------

    def state_changed_elsewhere(self, ids: set[str]) -> None:
        self.triage.recount()
        self.refresh_all()
        self.ranking_judged()
        self.notes_changed_elsewhere(ids)


class DigestApp(App[None]):
    """Triage arXiv digests. Build it with ``make_app``."""

    CSS_PATH = "app.tcss"
    TITLE = "digest-reader"
    BINDINGS = [
        Binding("q", "quit", "Quit", priority=True, id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

    def __init__(
        self,
        paths: Sequence[Path],
        store: StateStore,
        *,
        words: Sequence[str] = (),
        auto_read: bool = True,
        read_after: float = READ_AFTER,
        restore: bool = True,
        layout: str | None = None,
        online: dict[str, Any] | None = None,
        roots: Sequence[Path] | None = None,
        watch: bool = False,
        clock: Clock | None = None,
    ) -> None:
        super().__init__()
        self.paths = list(paths)
        self.layout = layout  # a digest layout's NAME read into every file; None: detect
        self.store = store
        self.triage = Triage(store)
        # The session is the opened folders', not their files': a digest that arrives
        # must not lose where you were.
        opened = list(roots) if roots else self.paths
        session = load_session(store, opened) if restore else Session()
        self.triage_screen = TriageScreen(
            self.triage,
            words=words,
            read_after=read_after if auto_read else None,
            session=session,
            on_session=lambda session: save_session(store, opened, session),
            online=online,
            clock=clock,
        )
        self.triage_screen.digest_watch = DigestWatch(
            self.triage_screen, opened, layout=layout, watching=watch
        )
        self.unsaved_guard = UnsavedGuard(self, store)

    async def action_quit(self) -> None:
        self.unsaved_guard.request_quit()  # saves first; asks when that fails

    def on_mount(self) -> None:
        self.unsaved_guard.start()
        theme = self.store.get_setting("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        for notice in self.store.notices:
            self.notify(notice, title="State file", severity="warning", timeout=10)
        self.bind("exclamation_mark", "dismiss_state_banner", description="Dismiss the "
                  "state file warning", show=False)  # fmt: skip
        self.call_after_refresh(self.show_state_damage)  # once the screen is mounted
        self.load_digests()

    def get_default_screen(self) -> Screen:
        return self.triage_screen

    def watch_theme(self, theme: str) -> None:
        if self.store.get_setting("theme") != theme:
            self.store.set_setting("theme", theme)

    @work(thread=True, exclusive=True, group="load")
    def load_digests(self) -> None:
        """Read the digests off the UI thread, handing over papers as they are read."""
        screen = self.triage_screen
        screen.digest_watch.loading_started()  # before any file is read: changes count
        read_digests(
            self.paths,
            get_current_worker(),
            lambda new, replaced: self.call_from_thread(screen.add_batch, new, replaced),
            lambda warnings, skipped: self.call_from_thread(
                screen.loading_finished, warnings, skipped
            ),
            before_hand_over=self.store.wait_loaded,  # so the UI thread never waits in state()
            layout=self.layout,
            on_batch=screen.digest_watch.loaded_batch,
        )

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
                keys = " or ".join(
                    self.get_key_display(Binding(key, binding.action))
                    for key in binding.key.split(",")
                )
                yield SystemCommand(
                    binding.tooltip or binding.description,
                    f"key: {keys}",
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
        which must never be read as markup or reach the terminal as control codes.
        A toast saying the same as one on screen replaces it rather than stacking."""
        message, title = printable(message, keep_newlines=True), printable(title)
        for shown in list(self._notifications):
            if shown.message == message and shown.title == title:
                self._unnotify(shown, refresh=False)
        super().notify(
            message,
            title=title,
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def keep_note_drafts(self) -> None:
        """Leaving (any thread): the text of an open note editor becomes a draft."""
        self.triage_screen.keep_open_note()

    def store_notice(self, message: str) -> None:
        """The store reports a problem (read-only folder, corrupt file moved aside)."""
        self.notify(message, title="State file", severity="warning", timeout=10)
        self.show_state_damage()

    def show_state_damage(self) -> None:
        """A lasting banner while the state was not read whole (``StateStore.damage``)."""
        if self.store.damage:
            for banner in self.triage_screen.query(StateBanner):  # none before it mounts
                banner.show_damage(self.store.damage)

    def action_dismiss_state_banner(self) -> None:
        for banner in self.triage_screen.query(StateBanner):
            banner.dismiss()


def make_app(paths: Sequence[Path], store: StateStore, **options: Any) -> DigestApp:
    """The app on ``paths`` (digest files, oldest first) over ``store``.

    Options (``DigestApp``'s keywords): ``words`` to highlight; a paper becomes read
    after ``read_after`` seconds on screen (0: at once), never on its own when
    ``auto_read`` is False; ``restore`` brings back the paper, filter, search and sort
    of the last session on the same paths; ``layout`` names the digest layout of every file
    (``formats``), None detects it per file; ``online`` (``EnrichmentWorker``'s
    ``cache``, ``online`` and ``where``) shows fetched metadata, and fetches more in
    the background when ``online["online"]``. ``roots`` are the folders and files the user
    opened (default: ``paths``): ``ctrl+r`` looks there for new, changed and removed
    digests, with ``watch`` the app watches them (``digest_watch``), and the session is
    kept for them (so a digest arriving in an opened folder does not lose it). ``clock`` (a
    ``tui_reader.clock.Clock``) drives every timer that decides something, the app's own
    timers when None.
    """
    return DigestApp(paths, store, **options)
