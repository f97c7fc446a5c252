"""The command line's grammar: every command's options, the help text, the default command.

API: ``build_parser() -> ArgumentParser``; ``split_default_command(argv)`` inserts
``open`` when the first word is not a command, so ``digest-reader PATH`` works;
``COMMANDS``, ``EPILOG``; ``query_and_sort_arguments`` and ``add_similar_command``
(pieces of ``build_parser``).

Rules: argparse only, no work: the names of the digest layouts, export formats and
sorts are read from their modules only when an option naming one is given or help is
shown (``LazyChoices``, ``Parser``), so ``list`` does not import every digest reader.
``--db`` is accepted before or after the command and a
command's parser never resets one given before it.

Words that say what they do: ``--layout NAME`` is the layout digests are read in, on
every command; ``export --to FORMAT`` is the format written. The old spellings stay
as hidden aliases so scripts keep working: ``--format NAME`` for the layout (``open``,
``list``, ``mark``, ``similar``) and ``export -f/--format FORMAT`` for the output.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NoReturn

from .. import __version__

COMMANDS = ("open", "list", "mark", "export", "similar", "enrich", "sync")

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
  digest-reader export ~/digests --query 'tag:to-cite' --to ris -o refs.ris

query:  words as in the app's search, field:value (author: title: abs: kw: id: cat: tag:
        note: digest: date:2025-01..2025-03 is:unread|read|starred|noted|tagged),
        field:=value for whole words (author:=han: Han, not Hanning),
        AND (implicit), OR, NOT or -term, (groups), "phrases"; a query that cannot
        match (date:2025-13, an unclosed ", cat: on digests without categories)
        is one line on stderr and exit code 2

state:  --db PATH, or $DIGEST_READER_DB, else state.json in your user data folder
layouts (detected per file; --layout NAME forces one):
{formats}
config: $DIGEST_READER_CONFIG, else config.toml in your user config folder, e.g.
          digests = "~/arxiv-digests"   # opened when no PATH is given
          highlight = ["sparse"]        # extra words to highlight
          read_after = 2                # seconds on screen before a paper is read
"""


def filled(text: str) -> str:
    """A paragraph wrapped as argparse would, for a parser that keeps its text as written
    (``RawDescriptionHelpFormatter``, which the FLAGS table needs)."""
    return textwrap.fill(text, 79)


FLAGS = """\
FLAGS, the second column: three characters, one per state --
  N  unread       (. read)
  *  starred      (. not starred)
  +  has a note   (. no note)
so N.. is an unread paper, .*. a read and starred one, .*+ read, starred, noted."""


class LazyChoices(Sequence[str]):
    """An option's choices, asked of ``names()`` the first time argparse looks at them.

    Also the option's metavar (argparse's own ``{a,b,c}``): given none, argparse would
    list the choices as soon as the option is added."""

    def __init__(self, names: Callable[[], Sequence[str]]) -> None:
        self._names = names
        self._loaded: tuple[str, ...] | None = None

    def _all(self) -> tuple[str, ...]:
        if self._loaded is None:
            self._loaded = tuple(self._names())
        return self._loaded

    def __getitem__(self, index):  # type: ignore[override]
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __contains__(self, value: object) -> bool:
        return value in self._all()

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __str__(self) -> str:
        return "{" + ",".join(self._all()) + "}"


def layout_names() -> list[str]:
    from ..formats import FORMATS

    return [module.NAME for module in FORMATS]


def export_format_names() -> tuple[str, ...]:
    from ..exporters import FORMATS

    return tuple(FORMATS)


def sort_names(*, relevance: bool = False) -> tuple[str, ...]:
    from ..query import SORTS

    return (*SORTS, "relevance") if relevance else SORTS


class Parser(argparse.ArgumentParser):
    """The top parser: its epilog (which lists the digest layouts) is made when help
    is shown."""

    def format_help(self) -> str:
        if self.epilog is None:
            self.epilog = EPILOG.format(formats=format_list())
        return super().format_help()

    def error(self, message: str) -> NoReturn:
        from ..sanitize import printable  # an argument echoed back cannot drive the terminal

        super().error(printable(message))


EXIT_STATUS = (
    "exit status: 0 done; 2 bad input, or a state file that is not ours to read (nothing "
    "is written); 3 the output is written, but the state file is damaged or could not be "
    "read whole, so judgements may be missing (a warning says what)"
)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's parser must not reset a --db given before the subcommand.
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="state file (default: $DIGEST_READER_DB or user data folder)",
    )

    parser = Parser(
        prog="digest-reader",
        description="Triage arXiv Markdown digests: read, star, note, export BibTeX.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=argparse.ArgumentParser
    )

    def paths_argument(
        command: argparse.ArgumentParser, *, layouts: bool = True, format_alias: bool = True
    ) -> None:
        command.add_argument(
            "paths", nargs="*", type=Path, metavar="PATH", help="digest file or folder"
        )
        if layouts:
            format_argument(command, format_alias)

    def format_argument(command: argparse.ArgumentParser, format_alias: bool = True) -> None:
        command.add_argument(
            "-v",
            "--verbose",
            action="store_true",
            help="list every digest warning (default: one summary line)",
        )
        layout_argument(command, format_alias)

    def layout_argument(command: argparse.ArgumentParser, format_alias: bool = True) -> None:
        """``--layout``; ``format_alias``: also the old ``--format``, hidden."""
        choices = LazyChoices(layout_names)
        command.add_argument("--layout", dest="layout", choices=choices, metavar="NAME",
                             help="read every digest in this layout instead of detecting it "
                             "(digest-reader --help lists them)")  # fmt: skip
        if format_alias:
            command.add_argument("--format", dest="layout", choices=choices, metavar="NAME",
                                 default=argparse.SUPPRESS, help=argparse.SUPPRESS)  # fmt: skip

    open_cmd = commands.add_parser(
        "open",
        parents=[common],
        help="open the app (the default command)",
        description="Open digests in the app. This is what `digest-reader [PATH ...]` runs.",
    )
    paths_argument(open_cmd, layouts=False)
    layout_argument(open_cmd)  # no --verbose: the app lists its warnings (W)
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
    online_arguments(open_cmd)
    open_cmd.add_argument(
        "--no-watch",
        action="store_true",
        help="do not watch the folders for digests added, changed or removed while open "
        "(ctrl+r still looks)",
    )
    open_cmd.add_argument(
        "--fresh",
        action="store_true",
        help="start at the top, without the last session's paper, filter, search and sort",
    )

    list_cmd = commands.add_parser(
        "list",
        parents=[common],
        help="list papers (text or --json)",
        description=filled(
            "List papers, one per line or as a JSON array. With no PATH, "
            "--starred and --noted list from the state file alone."
        ),
        epilog=filled(
            "output: one paper a line, by tabs: ID (with its version), FLAGS, the "
            "score (with --sort relevance), the title."
        )
        + "\n\n"
        + FLAGS
        + "\n\n"
        + filled(EXIT_STATUS),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    paths_argument(list_cmd)
    list_cmd.add_argument("--json", action="store_true", help="print one JSON array")
    list_cmd.add_argument("--starred", action="store_true", help="only starred papers")
    list_cmd.add_argument("--unread", action="store_true", help="only unread papers")
    list_cmd.add_argument("--noted", action="store_true", help="only papers with a note")
    list_cmd.add_argument("--tags", action="store_true", help="every tag with its count")
    query_and_sort_arguments(list_cmd, relevance=True)
    add_similar_command(commands, common, paths_argument)

    commands.add_parser(
        "sync",
        parents=[common],
        help="share the state between machines (Syncthing, Dropbox, git)",
        description="Keep this machine's reading state in files of its own in the state "
        "file's folder, so that a sync engine or a git repository can carry the folder "
        "between machines without conflicts: every machine reads all of them. Run once per "
        "machine; the single state file of before is upgraded with a copy kept.",
    )

    mark_cmd = commands.add_parser(
        "mark",
        parents=[common],
        help="mark papers read / starred / noted",
        description=filled(
            "Change the state of papers by arXiv id (2412.21188, 2412.21188v2 or an arXiv "
            "URL). An id must be in the state file already or in a --digest. Once the "
            "change is on disk, each paper's id and FLAGS are printed, one a line."
        ),
        epilog=FLAGS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mark_cmd.add_argument("ids", nargs="+", metavar="ID", help="arXiv ids or arXiv URLs")
    read = mark_cmd.add_mutually_exclusive_group()
    read.add_argument("--read", dest="read", action="store_const", const=True,
                      help="mark them read")  # fmt: skip
    read.add_argument("--unread", dest="read", action="store_const", const=False,
                      help="mark them unread")  # fmt: skip
    star = mark_cmd.add_mutually_exclusive_group()
    star.add_argument("--star", dest="star", action="store_const", const=True,
                      help="star them")  # fmt: skip
    star.add_argument("--unstar", dest="star", action="store_const", const=False,
                      help="take their star away")  # fmt: skip
    note = mark_cmd.add_mutually_exclusive_group()
    note.add_argument("--note", metavar="TEXT",
                      help="set the note to TEXT (- reads it from standard input)")  # fmt: skip
    note.add_argument("--note-file", type=Path, metavar="PATH",
                      help="set the note to the text of a file (UTF-8)")  # fmt: skip
    note.add_argument("--clear-note", action="store_true", help="delete the note")
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
        epilog=EXIT_STATUS,
    )
    # On export, the old --format names the output format (--to): the layout is --layout.
    paths_argument(export_cmd, format_alias=False)
    which = export_cmd.add_mutually_exclusive_group()
    which.add_argument("--starred", dest="which", action="store_const", const="starred",
                       help="the starred papers (the default)")  # fmt: skip
    which.add_argument("--noted", dest="which", action="store_const", const="noted",
                       help="the papers with a note")  # fmt: skip
    which.add_argument("--all", dest="which", action="store_const", const="all",
                       help="every paper of the digests")  # fmt: skip
    export_cmd.add_argument("-o", "--output", type=Path, metavar="FILE",
                            help="write to FILE (default: standard output)")  # fmt: skip
    export_cmd.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    export_cmd.add_argument("--utf8", action="store_true",
                            help="BibTeX: keep non-ASCII characters instead of LaTeX commands "
                            "(for biber with XeLaTeX or LuaLaTeX)")  # fmt: skip
    choice_option(export_cmd, "--to", dest="format", names=export_format_names,
                  default="bibtex", help="the format to write (default: bibtex)")  # fmt: skip
    choice_option(export_cmd, "-f", "--format", dest="format", names=export_format_names,
                  default=argparse.SUPPRESS, help=argparse.SUPPRESS)  # fmt: skip
    query_and_sort_arguments(export_cmd)
    online_arguments(export_cmd)
    add_enrich_command(commands, common, paths_argument)
    return parser


def online_arguments(command: argparse.ArgumentParser) -> None:
    """``--online`` / ``--offline`` (docs/online.md): fetch arXiv's metadata, or never."""
    group = command.add_mutually_exclusive_group()
    group.add_argument("--online", action="store_true",
                       help="fetch arXiv's exact titles and the published venues (only arXiv "
                       "ids are sent; default: the config's online)")  # fmt: skip
    group.add_argument("--offline", action="store_true",
                       help="no network access at all, whatever the config says")  # fmt: skip


def add_enrich_command(
    commands: argparse._SubParsersAction,
    common: argparse.ArgumentParser,
    paths_argument: Callable[..., None],
) -> None:
    """The ``enrich`` command."""
    enrich_cmd = commands.add_parser(
        "enrich",
        parents=[common],
        help="fetch arXiv's metadata and published venues for exports",
        description="Fetch, once, arXiv's exact title, authors and DOI of the papers of the "
        "digests (PATH, else the configured ones; starred papers first) and where they were "
        "published, into a cache beside the state file. Only arXiv ids are sent, to arXiv's "
        "API and to Semantic Scholar (docs/online.md).",
    )
    paths_argument(enrich_cmd, format_alias=False)
    enrich_cmd.add_argument("--starred", action="store_true",
                            help="only the starred papers (from the state file when no PATH "
                            "is given)")  # fmt: skip


def query_and_sort_arguments(command: argparse.ArgumentParser, *, relevance: bool = False) -> None:
    """``--query`` and ``--sort``; ``relevance`` adds the learned order (``list`` only)."""
    command.add_argument("-q", "--query", default="", metavar="Q",
                         help="only papers matching the query Q: author:han -is:read ... "
                         "(digest-reader --help lists the fields)")  # fmt: skip
    extra = ", relevance (likeliest to be starred first, with a score)" if relevance else ""
    choice_option(command, "--sort", names=lambda: sort_names(relevance=relevance),
                  default="digest",
                  help="order: digest (default), date (newest first), title, "
                  f"author (first author's family name){extra}")  # fmt: skip


def choice_option(
    command: argparse.ArgumentParser, *flags: str, names: Callable[[], Sequence[str]], **kwargs
) -> None:
    """An option taking one of ``names()``, asked only when the option is given or help is
    shown. Added to the options group itself: ``ArgumentParser.add_argument`` would
    format its metavar at once to check it, and so ask for the names."""
    choices = LazyChoices(names)
    command._optionals.add_argument(*flags, choices=choices, metavar=choices, **kwargs)


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


def format_list() -> str:
    from ..formats import FORMATS

    return "\n".join(f"  {module.NAME:<16}{module.DESCRIPTION}" for module in FORMATS)


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
        description=filled(
            "List the papers of the digests most similar to paper ID (cosine of TF-IDF over "
            "title, keywords and abstract), nearest first, with their state. Only papers at "
            "cosine 0.06 or more are listed (below it a paper is no closer than one picked "
            "at random); when fewer than N are, standard error says so."
        ),
        epilog=filled(
            "output: one paper a line, by tabs: ID, FLAGS, the cosine, the digest, the title."
        )
        + "\n\n"
        + FLAGS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    similar_cmd.add_argument("id", metavar="ID", help="arXiv id or URL of a paper in the digests")
    paths_argument(similar_cmd)
    similar_cmd.add_argument("-n", type=int, default=10, metavar="N", help="how many (10)")
    similar_cmd.add_argument("--json", action="store_true", help="print one JSON array")
