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
  enrich_cmd   ``enrich``, and the metadata ``export --online/--offline`` use

Rules: every user error ends in one line on stderr and exit code 2, never a traceback;
a change that did not reach the disk ends in exit code 1. Each command's module is
imported only when that command runs (``RUNNERS``), and each module imports what only
some of its paths need (digest readers, config, exporters, query parser) where those
paths start, so ``list --starred --json`` loads none of them; the UI only when the app
is started, the ranking (scikit-learn) only by the command that needs it (tests check
that importing this package loads no Textual, scikit-learn or numpy).

Errors pass through ``sanitize.printable``: a file name or digest text in one cannot
drive the terminal.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from ..sanitize import printable
from .common import EXIT_NOT_SAVED, EXIT_USAGE, CommandError, NotSavedError
from .parser import build_parser, split_default_command

__all__ = [
    "CommandError",
    "NotSavedError",
    "build_parser",
    "connect_store",
    "exit_cleanly_on_signals",
    "main",
    "split_default_command",
]

# command -> (module, function): a command's module is imported when it runs.
RUNNERS = {"list": ("list_cmd", "run_list"), "mark": ("mark_cmd", "run_mark"),
           "export": ("export_cmd", "run_export"), "open": ("open_cmd", "run_open"),
           "similar": ("similar_cmd", "run_similar"),
           "enrich": ("enrich_cmd", "run_enrich"), "sync": ("sync_cmd", "run_sync")}  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in ("connect_store", "exit_cleanly_on_signals"):
        return getattr(importlib.import_module(".open_cmd", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def user_errors() -> tuple[type[Exception], ...]:
    """The errors that are the user's (exit 2): ``CommandError``, and the digest and
    config errors once their modules are loaded (they cannot be raised before)."""
    errors: list[type[Exception]] = [CommandError]
    for module, name in (
        ("tui_reader.formats.common", "DigestError"),
        ("tui_reader.config", "ConfigError"),
    ):
        if module in sys.modules:
            errors.append(getattr(sys.modules[module], name))
    return tuple(errors)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(split_default_command(sys.argv[1:] if argv is None else argv))
    module, function = RUNNERS[args.command]
    try:
        run = getattr(importlib.import_module(f".{module}", __name__), function)
        return run(args)
    except user_errors() as error:
        print(f"digest-reader: error: {printable(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except NotSavedError as error:
        print(f"digest-reader: error: not saved: {printable(str(error))}", file=sys.stderr)
        return EXIT_NOT_SAVED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `digest-reader list | head`: the reader went away; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
