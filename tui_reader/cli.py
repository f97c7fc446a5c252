"""The ``digest-reader`` command: the app, and subcommands for scripts.

Every user error ends in one line on stderr and exit code 2, never a traceback.
The UI is imported only when the app is started, so scripting commands stay fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .config import Config, ConfigError, load_config
from .digest import DigestError, Library, load_library
from .locations import config_path, sample_digest_path
from .model import Paper

EXIT_USAGE = 2

EPILOG = """\
examples:
  digest-reader                          open the configured digests (or the sample)
  digest-reader ~/digests/2025-01-03.md  open one digest
  digest-reader ~/digests                open every *.md below a folder
  digest-reader list ~/digests --json    list papers as JSON
  digest-reader list --starred --json    starred papers, from the state file alone

state:  --db PATH, or $DIGEST_READER_DB, else state.json in your user data folder
config: $DIGEST_READER_CONFIG, else config.toml in your user config folder
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

    open_cmd = commands.add_parser(
        "open",
        parents=[common],
        help="open the app (the default command)",
        description="Open digests in the app. This is what `digest-reader [PATH ...]` runs.",
    )
    open_cmd.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="digest file or folder"
    )
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
        help="do not mark a paper read when you move on from it",
    )

    list_cmd = commands.add_parser(
        "list",
        parents=[common],
        help="list papers (text or --json)",
        description="List the papers of digests, one per line, or as a JSON array.",
    )
    list_cmd.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="digest file or folder"
    )
    list_cmd.add_argument("--json", action="store_true", help="print one JSON array")
    return parser


def split_default_command(argv: Sequence[str], commands: Sequence[str]) -> list[str]:
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
    commands = ("open", "list")
    args = parser.parse_args(
        split_default_command(sys.argv[1:] if argv is None else argv, commands)
    )
    try:
        if args.command == "list":
            return run_list(args)
        return run_open(args)
    except (CommandError, DigestError, ConfigError) as error:
        print(f"digest-reader: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `digest-reader list | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return 0


def load_config_or_default() -> Config:
    return load_config(config_path())


def digest_paths(paths: Sequence[Path], config: Config) -> list[Path]:
    """What to open: the paths given, else the configured digests, else the sample."""
    if paths:
        return list(paths)
    if config.digests:
        return list(config.digests)
    return [sample_digest_path()]


def load(paths: Sequence[Path], config: Config) -> Library:
    library = load_library(digest_paths(paths, config))
    for warning in library.warnings:
        print(f"digest-reader: warning: {warning}", file=sys.stderr)
    return library


def run_open(args: argparse.Namespace) -> int:
    config = load_config_or_default()
    library = load(args.paths, config)
    for paper in library.papers:
        print(f"{paper.arxiv_id:>16}  {paper.title}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    config = load_config_or_default()
    library = load(args.paths, config)
    papers = library.papers
    if args.json:
        json.dump([paper_json(paper) for paper in papers], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for paper in papers:
            print(f"{paper.arxiv_id}v{paper.version}\t{paper.title}")
    return 0


def paper_json(paper: Paper) -> dict[str, object]:
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
    }
