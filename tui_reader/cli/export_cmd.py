"""``digest-reader export``: papers as BibTeX, RIS, CSL-JSON, CSV or Markdown.

API: ``run_export(args) -> int``.

Rules: the state file is opened read-only; an existing FILE is overwritten only with
``--force``; nothing to export writes nothing and says so on stderr (exit 0). Whether
FILE may be written at all is ``exporters.destination``'s rule (never the state file or
a file beside it, a device, FIFO, socket or folder, ``--force`` or not), asked before
the digests are read and again when writing; a refusal is one line, exit 2. Fetched
metadata (``enrich_cmd.metadata_for``: the cache, filled first with ``--online`` or
``online = true``; ``--offline`` never touches the network) give arXiv's titles and
the published venues.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..export import export_papers
from ..exporters.destination import DestinationError, export_destination, write_export
from ..query import QueryError
from ..sanitize import printable
from .common import (
    CommandError,
    chosen_state_path,
    damaged_exit,
    load_given_or_default,
    open_store,
    warn,
)


def run_export(args: argparse.Namespace) -> int:
    return damaged_exit(args, _export(args))  # 3: the state was not read whole


def _export(args: argparse.Namespace) -> int:
    which = args.which or ("all" if args.query.strip() else "starred")
    output: Path | None = args.output
    state = chosen_state_path(args)
    if output is not None:
        try:
            destination = export_destination(output, state)
        except DestinationError as error:
            raise CommandError(str(error)) from None
        if destination.exists and not args.force:
            raise CommandError(f"{output}: exists; add --force to overwrite it")
    loaded = None
    if args.paths or which == "all":
        loaded = load_given_or_default(args.paths, args)
    with open_store(args, read_only=True) as store:
        metadata = exported_metadata(args, store, loaded, which)
        try:
            export = export_papers(
                store, loaded, which, fmt=args.format, query=args.query, sort=args.sort,
                utf8=args.utf8, metadata=metadata,
            )  # fmt: skip
        except QueryError as error:
            raise CommandError(f"--query: {error}") from None
        store.keep_in_journal()  # keys it assigned never change; the file is never rewritten
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
        write_export(output, export.text, state=state, overwrite=args.force)
    except DestinationError as error:
        raise CommandError(str(error)) from None
    except FileExistsError:
        raise CommandError(f"{output}: exists; add --force to overwrite it") from None
    except OSError as error:
        raise CommandError(f"{output}: cannot write ({error.strerror or error})") from None
    count = len(export.papers)
    print(f"digest-reader: wrote {count} {'paper' if count == 1 else 'papers'} "
          f"({args.format}) to {printable(str(output))}", file=sys.stderr)  # fmt: skip
    return 0


def exported_metadata(args: argparse.Namespace, store, loaded, which: str) -> dict:
    """The fetched metadata of the papers ``export`` may write (``enrich_cmd``)."""
    from ..config import load_config
    from ..export import select_papers
    from ..locations import config_path
    from .enrich_cmd import metadata_for

    papers, _ = select_papers(store, loaded, which)
    return metadata_for(args, load_config(config_path()), papers, store.ids(starred=True))
