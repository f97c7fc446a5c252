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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from . import __version__
from .config import Config, ConfigError, load_config
from .digest import DigestError, Library, check_digest_file, load_library, ordered_digest_files
from .export import export_bibtex, write_export
from .locations import config_path, sample_digest_path, state_path
from .model import Paper, parse_arxiv_id
from .store import PaperState, StateStore

EXIT_USAGE = 2
COMMANDS = ("open", "list", "mark", "export")

EPILOG = """\
examples:
  digest-reader                          open the configured digests (or the sample)
  digest-reader ~/digests/2025-01-03.md  open one digest
  digest-reader ~/digests                open every *.md below a folder
  digest-reader list ~/digests --json    list papers as JSON
  digest-reader list --starred --json    starred papers, from the state file alone
  digest-reader mark 2412.21188 --star --note "read section 3"
  digest-reader export -o refs.bib       starred papers as BibTeX

state:  --db PATH, or $DIGEST_READER_DB, else state.json in your user data folder
config: $DIGEST_READER_CONFIG, else config.toml in your user config folder, e.g.
          digests = "~/arxiv-digests"   # opened when no PATH is given
          highlight = ["sparse"]        # extra words to highlight
          read_after = 2                # seconds on screen before a paper is read
"""


class CommandError(Exception):
    """A user error: printed as one line, exit code 2."""


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
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def paths_argument(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "paths", nargs="*", type=Path, metavar="PATH", help="digest file or folder"
        )

    open_cmd = commands.add_parser(
        "open",
        parents=[common],
        help="open the app (the default command)",
        description="Open digests in the app. This is what `digest-reader [PATH ...]` runs.",
    )
    paths_argument(open_cmd)
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
    note.add_argument("--note", metavar="TEXT")
    note.add_argument("--clear-note", action="store_true")
    mark_cmd.add_argument(
        "--digest",
        action="append",
        default=[],
        type=Path,
        metavar="PATH",
        help="digest file or folder that supplies the papers' metadata (repeatable)",
    )

    export_cmd = commands.add_parser(
        "export",
        parents=[common],
        help="export papers as BibTeX",
        description="Write BibTeX for the starred (default), noted or all papers. Starred "
        "and noted papers come from the state file, so no digest is needed; with PATH, only "
        "papers of those digests are exported.",
    )
    paths_argument(export_cmd)
    which = export_cmd.add_mutually_exclusive_group()
    which.add_argument("--starred", dest="which", action="store_const", const="starred")
    which.add_argument("--noted", dest="which", action="store_const", const="noted")
    which.add_argument("--all", dest="which", action="store_const", const="all",
                       help="every paper of the digests")  # fmt: skip
    export_cmd.add_argument("-o", "--output", type=Path, metavar="FILE",
                            help="write to FILE (default: standard output)")  # fmt: skip
    export_cmd.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    export_cmd.add_argument("--utf8", action="store_true",
                            help="keep non-ASCII characters instead of LaTeX commands")  # fmt: skip
    return parser


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
    runners = {"list": run_list, "mark": run_mark, "export": run_export, "open": run_open}
    try:
        return runners[args.command](args)
    except (CommandError, DigestError, ConfigError) as error:
        print(f"digest-reader: error: {error}", file=sys.stderr)
        return EXIT_USAGE
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


def load(paths: Sequence[Path]) -> Library:
    """Every digest below ``paths`` (load_library finds and orders them), warnings shown."""
    library = load_library(paths)
    for warning in library.warnings:
        warn(warning)
    return library


def load_given_or_default(paths: Sequence[Path]) -> list[Paper]:
    """The papers of ``paths``, else of the configured digests, else of the sample."""
    return load(digest_paths(paths, load_config(config_path()))).papers


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
def open_store(args: argparse.Namespace) -> Iterator[StateStore]:
    """The state file for a scripting command: read now, written once at the end."""
    store = StateStore.open(chosen_state_path(args), background=False)
    try:
        yield store
    finally:
        store.close()
        for notice in store.notices:
            warn(notice)


# -- commands -------------------------------------------------------------------------


def run_open(args: argparse.Namespace) -> int:
    config = load_config(config_path())
    files = ordered_digest_files(digest_paths(args.paths, config))
    for path in files:
        check_digest_file(path)
    words = [*config.highlight, *(w for w in args.highlight if w.strip())]
    auto_read = config.auto_read and not args.no_auto_read

    from .ui.app import make_app  # the UI only when the app runs

    store = StateStore.open(chosen_state_path(args))
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
    return 0


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


@contextmanager
def exit_cleanly_on_signals(app, store: StateStore) -> Iterator[None]:
    """SIGTERM or a closed terminal (SIGHUP): save the state first, then leave the app."""

    def handler(signum: int, frame: object) -> None:
        # Save from another thread: the interrupted main thread may be inside the store.
        threading.Thread(target=store.flush, name="save-on-signal").start()
        app.exit(return_code=128 + signum)

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None:
            previous[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def run_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        if not args.paths and (args.starred or args.noted) and not args.unread:
            papers = [
                paper
                for arxiv_id in store.ids(starred=args.starred or None, noted=args.noted or None)
                if (paper := store.snapshot(arxiv_id)) is not None
            ]
        else:
            papers = load_given_or_default(args.paths)
            papers = [p for p in papers if wanted(store.state(p.arxiv_id), args)]
        if args.json:
            rows = [paper_json(paper, store.state(paper.arxiv_id)) for paper in papers]
            json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        else:
            for paper in papers:
                print(f"{paper.arxiv_id}v{paper.version}\t{flags(store.state(paper.arxiv_id))}"
                      f"\t{paper.title}")  # fmt: skip
    return 0


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


def paper_json(paper: Paper, state: PaperState) -> dict[str, object]:
    return {
        "id": paper.arxiv_id,
        "version": paper.version,
        "title": paper.title,
        "authors": list(paper.authors),
        "date": paper.date.isoformat() if paper.date else None,
        "url": paper.url,
        "abstract": paper.abstract,
        "keywords": list(paper.keywords),
        "digests": [digest.label for digest in paper.digests],
        "read": state.read,
        "starred": state.starred,
        "note": state.note or None,
    }


def run_mark(args: argparse.Namespace) -> int:
    if args.read is None and args.star is None and args.note is None and not args.clear_note:
        raise CommandError(
            "mark needs something to do: --read, --unread, --star, --unstar, --note or --clear-note"
        )
    ids = []
    for text in args.ids:
        try:
            ids.append(parse_arxiv_id(text)[0])
        except ValueError as error:
            raise CommandError(str(error)) from None
    known: dict[str, Paper] = {}
    if args.digest:
        known = {paper.arxiv_id: paper for paper in load(args.digest).papers}
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
        if args.note is not None or args.clear_note:
            note = "" if args.clear_note else args.note
            for target in targets:
                store.set_note(target, note)
        for arxiv_id in ids:
            print(f"{arxiv_id}\t{flags(store.state(arxiv_id))}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    which = args.which or "starred"
    output: Path | None = args.output
    if output is not None:
        if output.is_dir():
            raise CommandError(f"{output}: is a folder; give a file name")
        if output.exists() and not args.force:
            raise CommandError(f"{output}: exists; add --force to overwrite it")
    loaded = None
    if args.paths or which == "all":
        loaded = load_given_or_default(args.paths)
    with open_store(args) as store:
        export = export_bibtex(store, loaded, which, utf8=args.utf8)
    for arxiv_id in export.missing:
        warn(f"{arxiv_id} is {which} but the state file has no details of it; skipped")
    if not export.papers:
        print(f"digest-reader: no {which} papers to export; nothing written.", file=sys.stderr)
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
    print(f"digest-reader: wrote {count} {'entry' if count == 1 else 'entries'} to {output}",
          file=sys.stderr)  # fmt: skip
    return 0
