"""The ``digest-reader`` command: the app, and subcommands for scripts.

API: ``main(argv=None) -> int``, the console script (``tui_reader.cli:main``) and
``python -m tui_reader``. Also importable from here, for tests and tools:
``build_parser``, ``split_default_command`` (from parser), ``connect_store``,
``exit_cleanly_on_signals`` (from open_cmd), ``CommandError`` and ``NotSavedError``
(from common).

One module per concern:
  parser       argparse: every command's options, the help epilog, bare PATH -> ``open``
  common       the errors, warnings, loading digests, opening the state file, JSON rows
  open_cmd     ``open``: runs the app; a signal or a lost terminal saves, then leaves
  list_cmd     ``list``
  mark_cmd     ``mark``
  export_cmd   ``export``
  similar_cmd  ``similar``, and the order of ``list --sort relevance``

Rules: every user error ends in one line on stderr and exit code 2, never a traceback;
a change that did not reach the disk ends in exit code 1. The UI is imported only when
the app is started, and the ranking (scikit-learn) only by the command that needs it, so
importing this package stays light (tests check it imports no Textual, scikit-learn or
numpy).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from ..config import ConfigError
from ..digest import DigestError
from .common import EXIT_NOT_SAVED, EXIT_USAGE, CommandError, NotSavedError
from .export_cmd import run_export
from .list_cmd import run_list
from .mark_cmd import run_mark
from .open_cmd import connect_store, exit_cleanly_on_signals, run_open
from .parser import build_parser, split_default_command
from .similar_cmd import run_similar

__all__ = [
    "CommandError",
    "NotSavedError",
    "build_parser",
    "connect_store",
    "exit_cleanly_on_signals",
    "main",
    "split_default_command",
]


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
