"""The ``digest-reader`` command: the app, and subcommands for scripts.

Every user error ends in one line on stderr and exit code 2, never a traceback.
The UI is imported only when the app is started, so scripting commands stay fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from . import __version__
from .config import Config, ConfigError, load_config
from .digest import (
    DigestError,
    DigestWarning,
    Library,
    check_digest_file,
    find_digest_files,
    load_library,
    no_papers_error,
    ordered_digest_files,
)
from .export import export_papers, filter_papers, write_export
from .exporters import FORMATS as EXPORT_FORMATS
from .formats import FORMATS as LAYOUTS
from .locations import config_path, sample_digest_path, state_path
from .model import Paper, parse_arxiv_id
from .query import SORTS, QueryError
from .store import LOCK_TIMEOUT, PaperState, StateStore

EXIT_USAGE = 2
EXIT_NOT_SAVED = 1  # a change that did not reach the disk
COMMANDS = ("open", "list", "mark", "export", "similar")

EPILOG = """\
examples:
  digest-reader                          open the configured digests (or the sample)
  digest-reader ~/digests/2025-01-03.md  open one digest
  digest-reader ~/digests                open every digest below a folder
  digest-reader list ~/mail -v           list, naming every file skipped
  digest-reader list ~/digests --json    list papers as JSON
  digest-reader list --starred --json    starred papers, from the state file alone
  digest-reader list --unread --sort relevance   unread papers, likeliest to be starred first
  digest-reader similar 2412.21188       the papers most like this one
  digest-reader mark 2412.21188 --star --note "read section 3"
  digest-reader export -o refs.bib       starred papers as BibTeX
  digest-reader list ~/digests --query 'author:han title:"sparse attention" -is:read'
  digest-reader export ~/digests --query 'tag:to-cite' --format ris -o refs.ris

query:  words as in the app's search, field:value (author: title: abs: kw: id: cat: tag:
        note: digest: date:2025-01..2025-03 is:unread|read|starred|noted|tagged),
        AND (implicit), OR, NOT or -term, (groups), "phrases"

state:  --db PATH, or $DIGEST_READER_DB, else state.json in your user data folder
formats (detected per file; --format NAME forces one):
{formats}
config: $DIGEST_READER_CONFIG, else config.toml in your user config folder, e.g.
          digests = "~/arxiv-digests"   # opened when no PATH is given
          highlight = ["sparse"]        # extra words to highlight
          read_after = 2                # seconds on screen before a paper is read
"""


class CommandError(Exception):
    """A user error: printed as one line, exit code 2."""


class NotSavedError(Exception):
    """A change that did not reach the disk: printed as one line, exit code 1."""


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's parser must not reset a --db given before the subcommand.
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="state file (default: $DIGEST_READER_DB or user data folder)",
    )

    parser = argparse.ArgumentParser(
        prog="digest-reader",
        description="Triage arXiv Markdown digests: read, star, note, export BibTeX.",
        epilog=EPILOG.format(formats=format_list()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def paths_argument(
        command: argparse.ArgumentParser,
        *,
        layouts: bool = True,
        layout_flags: tuple[str, ...] = ("--format", "--layout"),
    ) -> None:
        command.add_argument(
            "paths", nargs="*", type=Path, metavar="PATH", help="digest file or folder"
        )
        if layouts:
            format_argument(command, layout_flags)

    def format_argument(
        command: argparse.ArgumentParser, flags: tuple[str, ...] = ("--format", "--layout")
    ) -> None:
        command.add_argument(
            "-v",
            "--verbose",
            action="store_true",
            help="list every digest warning (default: one summary line)",
        )
        command.add_argument(
            *flags,
            dest="layout",
            choices=[module.NAME for module in LAYOUTS],
            metavar="NAME",
            help="read every digest as this layout instead of detecting it",
        )

    open_cmd = commands.add_parser(
        "open",
        parents=[common],
        help="open the app (the default command)",
        description="Open digests in the app. This is what `digest-reader [PATH ...]` runs.",
    )
    paths_argument(open_cmd, layouts=False)  # the app detects layouts itself
    open_cmd.add_argument(
        "--highlight",
        action="append",
        default=[],
        metavar="WORD",
        help="also highlight WORD in abstracts (repeatable)",
    )
    open_cmd.add_argument(
        "--no-auto-read",
        action="store_true",
        help="never mark a paper read on its own (only r and space at its end do)",
    )
    open_cmd.add_argument(
        "--fresh",
        action="store_true",
        help="start at the top, without the last session's paper, filter and search",
    )

    list_cmd = commands.add_parser(
        "list",
        parents=[common],
        help="list papers (text or --json)",
        description="List papers, one per line or as a JSON array. With no PATH, --starred "
        "and --noted list from the state file alone.",
    )
    paths_argument(list_cmd)
    list_cmd.add_argument("--json", action="store_true", help="print one JSON array")
    list_cmd.add_argument("--starred", action="store_true", help="only starred papers")
    list_cmd.add_argument("--unread", action="store_true", help="only unread papers")
    list_cmd.add_argument("--noted", action="store_true", help="only papers with a note")
    list_cmd.add_argument("--tags", action="store_true", help="every tag with its count")
    query_and_sort_arguments(list_cmd, relevance=True)
    add_similar_command(commands, common, paths_argument)

    mark_cmd = commands.add_parser(
        "mark",
        parents=[common],
        help="mark papers read / starred / noted",
        description="Change the state of papers by arXiv id (2412.21188, 2412.21188v2 or an "
        "arXiv URL). An id must be in the state file already or in a --digest.",
    )
    mark_cmd.add_argument("ids", nargs="+", metavar="ID")
    read = mark_cmd.add_mutually_exclusive_group()
    read.add_argument("--read", dest="read", action="store_const", const=True)
    read.add_argument("--unread", dest="read", action="store_const", const=False)
    star = mark_cmd.add_mutually_exclusive_group()
    star.add_argument("--star", dest="star", action="store_const", const=True)
    star.add_argument("--unstar", dest="star", action="store_const", const=False)
    note = mark_cmd.add_mutually_exclusive_group()
    note.add_argument("--note", metavar="TEXT", help="set the note (- reads standard input)")
    note.add_argument("--note-file", type=Path, metavar="PATH", help="set the note from a file")
    note.add_argument("--clear-note", action="store_true")
    mark_cmd.add_argument("--tag", action="append", default=[], metavar="TAG",
                          help="add a tag (repeatable)")  # fmt: skip
    mark_cmd.add_argument("--untag", action="append", default=[], metavar="TAG",
                          help="remove a tag (repeatable)")  # fmt: skip
    mark_cmd.add_argument(
        "--digest",
        action="append",
        default=[],
        type=Path,
        metavar="PATH",
        help="digest file or folder that supplies the papers' metadata (repeatable)",
    )
    format_argument(mark_cmd)

    export_cmd = commands.add_parser(
        "export",
        parents=[common],
        help="export papers as BibTeX, RIS, CSL-JSON, CSV or Markdown",
        description="Write the starred (default), noted or all papers as BibTeX, RIS, "
        "CSL-JSON, CSV or a Markdown reading list. Starred and noted papers come from the "
        "state file, so no digest is needed; with PATH, only papers of those digests are "
        "exported. With --query alone, the papers of the digests (PATH, else the configured "
        "ones) that match it are exported.",
    )
    # On export, --format names the output format: the digest layout is --layout there.
    paths_argument(export_cmd, layout_flags=("--layout",))
    which = export_cmd.add_mutually_exclusive_group()
    which.add_argument("--starred", dest="which", action="store_const", const="starred")
    which.add_argument("--noted", dest="which", action="store_const", const="noted")
    which.add_argument("--all", dest="which", action="store_const", const="all",
                       help="every paper of the digests")  # fmt: skip
    export_cmd.add_argument("-o", "--output", type=Path, metavar="FILE",
                            help="write to FILE (default: standard output)")  # fmt: skip
    export_cmd.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    export_cmd.add_argument("--utf8", action="store_true",
                            help="BibTeX: keep non-ASCII characters instead of LaTeX commands "
                            "(for biber with XeLaTeX or LuaLaTeX)")  # fmt: skip
    export_cmd.add_argument("-f", "--format", choices=tuple(EXPORT_FORMATS), default="bibtex",
                            help="output format (default: bibtex)")  # fmt: skip
    query_and_sort_arguments(export_cmd)
    return parser


def query_and_sort_arguments(command: argparse.ArgumentParser, *, relevance: bool = False) -> None:
    """``--query`` and ``--sort``; ``relevance`` adds the learned order (``list`` only)."""
    command.add_argument("-q", "--query", default="", metavar="Q",
                         help="only papers matching the query Q: author:han -is:read ... "
                         "(digest-reader --help lists the fields)")  # fmt: skip
    extra = ", relevance (likeliest to be starred first, with a score)" if relevance else ""
    command.add_argument("--sort", choices=(*SORTS, "relevance") if relevance else SORTS,
                         default="digest",
                         help="order: digest (default), date (newest first), title, "
                         f"author (first author's family name){extra}")  # fmt: skip


def split_default_command(argv: Sequence[str], commands: Sequence[str] = COMMANDS) -> list[str]:
    """Insert ``open`` when the first word is not a subcommand, so paths work bare."""
    args = list(argv)
    index = 0
    while index < len(args):
        word = args[index]
        if word == "--db":
            index += 2
            continue
        if word.startswith("--db="):
            index += 1
            continue
        if word in ("-h", "--help", "--version"):
            return args
        break
    if index < len(args) and args[index] in commands:
        return args
    return [*args[:index], "open", *args[index:]]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(split_default_command(sys.argv[1:] if argv is None else argv))
    runners = {"list": run_list, "mark": run_mark, "export": run_export, "open": run_open,
               "similar": run_similar}  # fmt: skip
    try:
        return runners[args.command](args)
    except (CommandError, DigestError, ConfigError) as error:
        print(f"digest-reader: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except NotSavedError as error:
        print(f"digest-reader: error: not saved: {error}", file=sys.stderr)
        return EXIT_NOT_SAVED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `digest-reader list | head`: the reader went away; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


# -- shared steps ---------------------------------------------------------------------


def digest_paths(paths: Sequence[Path], config: Config) -> list[Path]:
    """What to open: the paths given, else the configured digests, else the sample."""
    if paths:
        return list(paths)
    if config.digests:
        return list(config.digests)
    return [sample_digest_path()]


def format_list() -> str:
    return "\n".join(f"  {module.NAME:<16}{module.DESCRIPTION}" for module in LAYOUTS)


def load(paths: Sequence[Path], args: argparse.Namespace) -> Library:
    """Every digest below ``paths`` (load_library finds and orders them), warnings shown.

    A file that is not a digest is skipped with a warning; DigestError (exit 2) only
    when no paper at all was found.
    """
    library = load_library(paths, getattr(args, "layout", None))
    report_warnings(library.warnings, library.skipped, getattr(args, "verbose", False))
    return library


def report_warnings(warnings: Sequence[DigestWarning], skipped: Sequence[DigestWarning],
                    verbose: bool) -> None:  # fmt: skip
    """Every warning with --verbose; else one line that counts them."""
    if verbose:
        for warning in warnings:
            warn(str(warning))
        return
    others = len(warnings) - len(skipped)
    parts = []
    if skipped:
        names = ", ".join(warning.path.name for warning in skipped[:3])
        more = ", ..." if len(skipped) > 3 else ""
        parts.append(f"{plural(len(skipped), 'file')} skipped ({names}{more})")
    if others:
        parts.append(f"{plural(others, 'warning')} in digests")
    if parts:
        warn(f"{'; '.join(parts)}; --verbose lists them")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def load_given_or_default(paths: Sequence[Path], args: argparse.Namespace) -> list[Paper]:
    """The papers of ``paths``, else of the configured digests, else of the sample."""
    return load(digest_paths(paths, load_config(config_path())), args).papers


def warn(message: str) -> None:
    print(f"digest-reader: warning: {message}", file=sys.stderr)


def chosen_state_path(args: argparse.Namespace) -> Path:
    path = state_path(getattr(args, "db", None))
    if path.is_dir():
        raise CommandError(
            f"the state file {path} is a folder; name a file, such as {path / 'state.json'}"
        )
    return path


@contextmanager
def open_store(args: argparse.Namespace, *, read_only: bool = False) -> Iterator[StateStore]:
    """The state file for a scripting command: read now, written once at the end.

    ``read_only`` (list, export): nothing on disk is created, moved or written. Otherwise
    a change that does not reach the disk raises NotSavedError (exit 1) naming why.
    """
    store = StateStore.open(chosen_state_path(args), background=False, read_only=read_only)
    said: str | None = None
    try:
        yield store
        if not read_only and not store.flush():
            raise NotSavedError(
                store.notices[-1] if store.notices else f"cannot write {store.path}"
            )
    except NotSavedError as error:
        said = str(error)
        raise
    finally:
        store.close()
        for notice in store.notices:
            if notice != said:
                warn(notice)


# -- commands -------------------------------------------------------------------------


def run_open(args: argparse.Namespace) -> int:
    config = load_config(config_path())
    paths = digest_paths(args.paths, config)
    files, problems = find_digest_files(paths)
    readable = []
    for path in files:
        try:
            check_digest_file(path)
            readable.append(path)
        except DigestError as error:
            problems.append(error.as_warning())
    if not readable:
        raise no_papers_error(paths, problems)
    # The app reads every file again and lists what it skipped among its warnings.
    files = ordered_digest_files(paths)
    words = [*config.highlight, *(w for w in args.highlight if w.strip())]
    auto_read = config.auto_read and not args.no_auto_read

    from .ui.app import make_app  # the UI only when the app runs

    store = StateStore.open(chosen_state_path(args), lazy=True)  # read behind the screen
    try:
        app = make_app(files, store, words=words, auto_read=auto_read,
                       read_after=config.read_after, restore=not args.fresh)  # fmt: skip
        connect_store(app, store)
        with exit_cleanly_on_signals(app, store):
            app.run()
    finally:
        store.close()
    for notice in store.notices:
        warn(notice)
    code = app.return_code or 0
    if store.unsaved and code == 0:  # never exit 0 with changes not on disk
        warn(f"changes were NOT saved to {store.path}")
        code = EXIT_NOT_SAVED
    return code


def connect_store(app, store: StateStore) -> None:
    """Route the store's news (from its own thread) to the app's thread."""

    def on_thread(callback):
        def deliver(*args: object) -> None:
            # RuntimeError: the app is closing, there is nothing left to show it on.
            with contextlib.suppress(RuntimeError):
                if app.is_running:
                    app.call_from_thread(callback, *args)

        return deliver

    store.on_external_change = on_thread(app.triage_screen.state_changed_elsewhere)
    store.on_notice = on_thread(app.store_notice)


# How long the app may take to leave after a signal or a lost terminal; past it the
# process ends itself (after the save), whatever the UI's threads are stuck in.
LEAVE_WITHIN = 1.5
LEAVING_SIGNALS = ("SIGTERM", "SIGHUP", "SIGQUIT")


@contextmanager
def exit_cleanly_on_signals(app, store: StateStore, *, grace: float = LEAVE_WITHIN,
                            terminal_fd: int | None = None) -> Iterator[None]:  # fmt: skip
    """SIGTERM, SIGHUP, SIGQUIT or a terminal that went away: save, then leave.

    The store is flushed from a thread (the interrupted main thread may be inside it) and
    the app asked to exit with code 128 + the signal's number. A watchdog then ends the
    process with ``os._exit`` once the save is done if it is still running ``grace``
    seconds later: with the terminal gone, Textual's output thread dies on EIO and its
    bounded queue blocks the shutdown forever, and its input thread spins on EOF. A
    thread polls the terminal (``terminal_fd``, default stdin) and treats a hang-up that
    came without SIGHUP the same way.
    """
    leaving = threading.Event()

    def leave(code: int) -> None:
        if leaving.is_set():
            return
        leaving.set()
        saved = threading.Event()

        def save() -> None:
            try:
                store.flush()
            finally:
                saved.set()

        def watchdog(deadline: float) -> None:
            time.sleep(max(0.0, deadline - time.monotonic()))
            # Still here: the UI is stuck. Leave once the save is done (it waits for
            # another copy's lock at most that long; saving matters more than speed).
            saved.wait(LOCK_TIMEOUT + 1.0)
            os._exit(code)

        threading.Thread(target=save, name="save-on-signal", daemon=True).start()
        deadline = time.monotonic() + grace
        threading.Thread(target=watchdog, args=(deadline,), name="exit-watchdog",
                         daemon=True).start()  # fmt: skip
        with contextlib.suppress(Exception):
            app.exit(return_code=code)

    def handler(signum: int, frame: object) -> None:
        leave(128 + signum)

    def watch_terminal(fd: int) -> None:
        import termios

        while not leaving.wait(0.25):
            try:
                termios.tcgetattr(fd)
            except termios.error:
                leave(128 + signal.SIGHUP)  # app.exit is safe from another thread
                return
            except (OSError, RuntimeError):
                return

    previous = {}
    for name in LEAVING_SIGNALS:
        signum = getattr(signal, name, None)
        if signum is not None:
            previous[signum] = signal.signal(signum, handler)
    fd = sys.stdin.fileno() if terminal_fd is None and sys.stdin.isatty() else terminal_fd
    if fd is not None and os.name == "posix":
        threading.Thread(target=watch_terminal, args=(fd,), name="terminal-watch",
                         daemon=True).start()  # fmt: skip
    try:
        yield
    finally:
        leaving.set()  # stops the terminal watch; a running watchdog still ends us
        for signum, old in previous.items():
            signal.signal(signum, old)


def run_list(args: argparse.Namespace) -> int:
    with open_store(args, read_only=True) as store:
        if args.tags:
            return list_tags(store, args)
        if not args.paths and (args.starred or args.noted) and not args.unread:
            if not args.query.strip() and args.sort == "digest":
                return list_from_state(store, args)
            papers = every = [
                paper
                for arxiv_id in store.ids(starred=args.starred or None, noted=args.noted or None)
                if (paper := store.snapshot(arxiv_id)) is not None
            ]
        else:
            every = load_given_or_default(args.paths, args)
            papers = [p for p in every if wanted(store.state(p.arxiv_id), args)]
        scores: dict[str, float] = {}
        if args.sort == "relevance":
            papers = queried(papers, store, args, sort="digest")
            papers, scores = sort_by_relevance(papers, every, store)
        else:
            papers = queried(papers, store, args)
        if args.json:
            write_json(papers, store, scores)
        else:
            for paper in papers:
                score = f"\t{scores[paper.arxiv_id]:+.3f}" if scores else ""
                print(f"{paper.versioned_id}\t{flags(store.state(paper.arxiv_id))}"
                      f"{score}\t{paper.title}")  # fmt: skip
    return 0


def queried(
    papers: list[Paper], store: StateStore, args: argparse.Namespace, sort: str | None = None
) -> list[Paper]:
    """``papers`` matching ``--query``, in ``--sort`` order (or ``sort``); a bad query is
    exit 2."""
    sort = sort or args.sort
    if not args.query.strip() and sort == "digest":
        return papers
    try:
        return filter_papers(papers, store, args.query, sort)
    except QueryError as error:
        raise CommandError(f"--query: {error}") from None


def list_tags(store: StateStore, args: argparse.Namespace) -> int:
    counts = store.tag_counts()
    if args.json:
        json.dump(counts, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for tag, count in counts.items():
            print(f"{tag}\t{count}")
    return 0


def list_from_state(store: StateStore, args: argparse.Namespace) -> int:
    """Starred / noted papers from the state file alone; those without details by id."""
    ids = store.ids(starred=args.starred or None, noted=args.noted or None)
    unknown = 0
    rows: list[dict[str, object]] = []
    for arxiv_id in ids:
        state = store.state(arxiv_id)
        paper = store.snapshot(arxiv_id)
        if paper is None:
            unknown += 1
        if args.json:
            rows.append(paper_json(paper, state) if paper else unknown_paper_json(arxiv_id, state))
        elif paper is not None:
            print(f"{paper.versioned_id}\t{flags(state)}\t{paper.title}")
        else:
            print(f"{arxiv_id}\t{flags(state)}\t(details unknown)")
    if args.json:  # one paper per line: the C encoder, 20 times faster than indent=1
        encode = json.JSONEncoder(ensure_ascii=False).encode
        sys.stdout.write("[\n" + ",\n".join(map(encode, rows)) + "\n]\n" if rows else "[]\n")
    if unknown:
        warn(
            f"{unknown} of these papers were marked by id without a digest; their details "
            "are unknown (mark them again with --digest PATH to store them)"
        )
    return 0


def unknown_paper_json(arxiv_id: str, state: PaperState) -> dict[str, object]:
    """A row for a paper whose details were never stored: its id and state only."""
    return {
        "id": arxiv_id,
        "version": None,
        "title": None,
        "authors": [],
        "date": None,
        "url": f"https://arxiv.org/abs/{arxiv_id}",
        "abstract": None,
        "keywords": [],
        "digests": [],
        "read": state.read,
        "starred": state.starred,
        "note": state.note or None,
        "details_unknown": True,
    }


def wanted(state: PaperState, args: argparse.Namespace) -> bool:
    if args.starred and not state.starred:
        return False
    if args.unread and state.read:
        return False
    return not (args.noted and not state.note)


def flags(state: PaperState) -> str:
    return "".join(
        (
            "." if state.read else "N",
            "*" if state.starred else ".",
            "+" if state.note else ".",
        )
    )


def write_json(
    papers: Sequence[Paper], store: StateStore, scores: Mapping[str, float] | None = None
) -> None:
    """A JSON array, one paper per line (``scores``, by id, add a ``score`` key).

    ``json.dumps`` without ``indent`` runs the C encoder; ``indent`` (or ``json.dump``)
    would run the pure-Python one, several times slower on a year of papers."""
    state = store.state

    def row(paper: Paper) -> dict[str, object]:
        fields = paper_json(paper, state(paper.arxiv_id))
        if scores:
            fields["score"] = scores[paper.arxiv_id]
        return fields

    rows = [json.dumps(row(paper), ensure_ascii=False) for paper in papers]
    sys.stdout.write("[\n" + ",\n".join(rows) + "\n]\n" if rows else "[]\n")


def paper_json(paper: Paper, state: PaperState) -> dict[str, object]:
    """The fields of ``list --json``; a field a digest does not give is null or empty."""
    return {
        "id": paper.arxiv_id,
        "version": paper.version,
        "title": paper.title,
        "authors": list(paper.authors),
        "date": paper.date.isoformat() if paper.date else None,
        "url": paper.url,
        "abstract": paper.abstract or None,
        "keywords": list(paper.keywords),
        "categories": list(paper.categories),
        "comments": paper.comments or None,
        "journal_ref": paper.journal_ref or None,
        "summary": paper.summary or None,
        "code": paper.code_url or None,
        "topics": list(paper.topics),
        "cross_list": paper.cross_list,
        "replacement": paper.replacement,
        "digests": [digest.label for digest in paper.digests],
        "read": state.read,
        "starred": state.starred,
        "note": state.note or None,
    }


def note_text(args: argparse.Namespace) -> str | None:
    """The note given by --note TEXT, --note - (standard input) or --note-file PATH."""
    if args.clear_note:
        return ""
    if args.note_file is not None:
        path: Path = args.note_file
        if path.exists() and not path.is_file():
            raise CommandError(f"--note-file {path}: not a regular file")
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(
                f"--note-file {path}: cannot read ({error.strerror or error})"
            ) from None
        return utf8(raw, f"--note-file {path}")
    if args.note == "-":
        return utf8(sys.stdin.buffer.read(), "--note - (standard input)")
    if args.note is not None:
        return utf8(os.fsencode(args.note), "--note")
    return None


def utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CommandError(f"{what}: not valid UTF-8 text (byte {error.start})") from None


def run_mark(args: argparse.Namespace) -> int:
    note = note_text(args)
    if args.read is None and args.star is None and note is None and not (args.tag or args.untag):
        raise CommandError(
            "mark needs something to do: --read, --unread, --star, --unstar, --note, "
            "--note-file, --clear-note, --tag or --untag"
        )
    ids = []
    for text in args.ids:
        try:
            ids.append(parse_arxiv_id(text)[0])
        except ValueError as error:
            raise CommandError(str(error)) from None
    known: dict[str, Paper] = {}
    if args.digest:
        known = {paper.arxiv_id: paper for paper in load(args.digest, args).papers}
    with open_store(args) as store:
        unknown = [i for i in ids if i not in known and not store.known(i)]
        if unknown:
            where = "the state file or the given digests" if args.digest else "the state file"
            hint = "" if args.digest else " (name the digest with --digest PATH)"
            raise CommandError(f"{unknown[0]}: not in {where}{hint}")
        targets: list[Paper | str] = [known.get(arxiv_id, arxiv_id) for arxiv_id in ids]
        if args.read is not None:
            store.set_read(targets, args.read)
        if args.star is not None:
            store.set_starred(targets, args.star)
        if note is not None:
            for target in targets:
                store.set_note(target, note)
        if args.tag or args.untag:
            store.set_tags(targets, add=args.tag, remove=args.untag)
        if not store.flush():  # on disk before "done" is printed
            raise NotSavedError(
                store.notices[-1] if store.notices else f"cannot write {store.path}"
            )
        for arxiv_id in ids:
            print(f"{arxiv_id}\t{flags(store.state(arxiv_id))}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    which = args.which or ("all" if args.query.strip() else "starred")
    output: Path | None = args.output
    if output is not None:
        if output.is_dir():
            raise CommandError(f"{output}: is a folder; give a file name")
        if output.exists() and not args.force:
            raise CommandError(f"{output}: exists; add --force to overwrite it")
    loaded = None
    if args.paths or which == "all":
        loaded = load_given_or_default(args.paths, args)
    with open_store(args, read_only=True) as store:
        try:
            export = export_papers(
                store, loaded, which, fmt=args.format, query=args.query, sort=args.sort,
                utf8=args.utf8,
            )  # fmt: skip
        except QueryError as error:
            raise CommandError(f"--query: {error}") from None
    for arxiv_id in export.missing:
        warn(f"{arxiv_id} is {which} but the state file has no details of it; skipped")
    for message in export.warnings:
        warn(message)
    if not export.papers:
        which_papers = "papers" if which == "all" else f"{which} papers"
        matching = " matching the query" if args.query.strip() else ""
        print(f"digest-reader: no {which_papers}{matching} to export; nothing written.",
              file=sys.stderr)  # fmt: skip
        return 0
    if output is None:
        sys.stdout.write(export.text)
        return 0
    try:
        write_export(output, export.text, overwrite=args.force)
    except FileExistsError:
        raise CommandError(f"{output}: exists; add --force to overwrite it") from None
    except OSError as error:
        raise CommandError(f"{output}: cannot write ({error.strerror or error})") from None
    count = len(export.papers)
    print(f"digest-reader: wrote {count} {'paper' if count == 1 else 'papers'} "
          f"({args.format}) to {output}", file=sys.stderr)  # fmt: skip
    return 0


# -- relevance and similarity (tui_reader.ranking) ---------------------------------------


def add_similar_command(
    commands: argparse._SubParsersAction,
    common: argparse.ArgumentParser,
    paths_argument: Callable[[argparse.ArgumentParser], None],
) -> None:
    """The ``similar`` command."""
    similar_cmd = commands.add_parser(
        "similar",
        parents=[common],
        help="the papers most like one paper",
        description="List the papers of the digests most similar to paper ID (cosine of "
        "TF-IDF over title, keywords and abstract), nearest first, with their state.",
    )
    similar_cmd.add_argument("id", metavar="ID", help="arXiv id or URL of a paper in the digests")
    paths_argument(similar_cmd)
    similar_cmd.add_argument("-n", type=int, default=10, metavar="N", help="how many (10)")
    similar_cmd.add_argument("--json", action="store_true", help="print one JSON array")


def sort_by_relevance(
    shown: Sequence[Paper], every: Sequence[Paper], store: StateStore
) -> tuple[list[Paper], dict[str, float]]:
    """``shown`` likeliest-to-be-starred first, and each one's score, by arXiv id.

    The model learns from the judgements of ``every`` loaded paper and of the starred
    papers the state file remembers from other digests; the user's highlight words
    count while there are too few judgements to learn from.
    """
    from .ranking import RelevanceModel, collect_judgements

    loaded = {paper.arxiv_id for paper in every}
    remembered = [
        paper
        for arxiv_id in store.ids(starred=True)
        if arxiv_id not in loaded and (paper := store.snapshot(arxiv_id)) is not None
    ]
    corpus = [*every, *remembered]
    words = load_config(config_path()).highlight
    ranking = RelevanceModel().fit(corpus, collect_judgements(corpus, store.state), words)
    print(f"digest-reader: {ranking.detail}", file=sys.stderr)
    position = {paper.arxiv_id: index for index, paper in enumerate(corpus)}
    order = ranking.order(position[paper.arxiv_id] for paper in shown)
    ranked = [corpus[index] for index in order]
    return ranked, {corpus[i].arxiv_id: round(ranking.score(i), 4) for i in order}


def run_similar(args: argparse.Namespace) -> int:
    try:
        arxiv_id = parse_arxiv_id(args.id)[0]
    except ValueError as error:
        raise CommandError(str(error)) from None
    if args.n < 1:
        raise CommandError(f"-n must be 1 or more, not {args.n}")
    papers = load_given_or_default(args.paths, args)
    index = next((i for i, paper in enumerate(papers) if paper.arxiv_id == arxiv_id), None)
    if index is None:
        raise CommandError(f"{arxiv_id}: not in the digests (name them as PATH)")
    from .ranking import TextFeatures

    nearest = TextFeatures.build(papers).similar(index, args.n)
    with open_store(args) as store:
        if args.json:
            rows = [
                paper_json(papers[i], store.state(papers[i].arxiv_id)) | {"similarity": round(s, 4)}
                for i, s in nearest
            ]
            json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
            return 0
        for i, similarity in nearest:
            paper = papers[i]
            print(f"{paper.versioned_id}\t{flags(store.state(paper.arxiv_id))}"
                  f"\t{similarity:.3f}\t{paper.source.label}\t{paper.title}")  # fmt: skip
    return 0
