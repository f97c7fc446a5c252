"""Steps every command shares: errors, warnings, digests, the state file, output rows.

API: ``CommandError`` (exit 2) and ``NotSavedError`` (exit 1) with ``EXIT_USAGE`` and
``EXIT_NOT_SAVED``; ``EXIT_DAMAGED`` (3) and ``damaged_exit(args, code)`` for a command
that read a damaged state (``StateStore.damage``) and still wrote its output; ``warn``;
``digest_paths``, ``load``, ``load_given_or_default`` (digests, with one warning summary
line unless --verbose); ``chosen_state_path`` (exit 2 for a path that is not ours),
``open_store`` and ``save`` (the state file for a scripting command);
``arxiv_id_argument`` (an ID argument, or exit 2); ``flags``, ``print_row``,
``paper_json`` and ``write_json`` (a paper as a line of text or a JSON row; ``stored_row``
the row of stored details; ``store.rows.row_json`` is the one definition of its fields);
``write_json_rows`` and ``write_json_indented`` (JSON on standard output).

Rules: messages go to stderr as ``digest-reader: warning: ...``; a store opened
read-only creates, moves and writes nothing; a change that did not reach the disk is
never reported as done. Text from digests and the state reaches the terminal only
through ``sanitize``: rows and messages through ``printable``, JSON through
``escaped_json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..locations import config_path, sample_digest_path, state_path
from ..model import Paper, parse_arxiv_id
from ..sanitize import escaped_json, printable
from ..store import PaperState, StateStore
from ..store.ours import refusal
from ..store.paper_details import details_of, digest_labels, plain_details
from ..store.rows import encode as _encode
from ..store.rows import row_json

if TYPE_CHECKING:  # the digest readers and the config parser load where they are used
    from ..config import Config
    from ..digest import DigestWarning, Library

EXIT_USAGE = 2
EXIT_NOT_SAVED = 1  # a change that did not reach the disk
EXIT_DAMAGED = 3  # list, export: the output is written, but the state was not read whole


class CommandError(Exception):
    """A user error: printed as one line, exit code 2."""


class NotSavedError(Exception):
    """A change that did not reach the disk: printed as one line, exit code 1."""


def digest_paths(paths: Sequence[Path], config: Config) -> list[Path]:
    """What to open: the paths given, else the configured digests, else the sample."""
    if paths:
        return list(paths)
    if config.digests:
        return list(config.digests)
    return [sample_digest_path()]


def load(paths: Sequence[Path], args: argparse.Namespace) -> Library:
    """Every digest below ``paths`` (load_library finds and orders them), warnings shown.

    A file that is not a digest is skipped with a warning; DigestError (exit 2) only
    when no paper at all was found.
    """
    from ..digest import load_library

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
    from ..config import load_config

    return load(digest_paths(paths, load_config(config_path())), args).papers


def warn(message: str) -> None:
    print(f"digest-reader: warning: {printable(message)}", file=sys.stderr)


def chosen_state_path(args: argparse.Namespace) -> Path:
    """The state file (``--db``, ``$DIGEST_READER_DB`` or the default), or exit 2 when it
    is not ours to use (``store.ours.refusal``): a folder, a device, another program's
    file, one that cannot be read... It is then left exactly as it is."""
    path = state_path(getattr(args, "db", None))
    reason = refusal(path)
    if reason is None:
        return path
    if reason.startswith("a folder"):
        hint = f"name a file, such as {path / 'state.json'}"
    else:
        hint = "it is left untouched; name another with --db PATH"
    raise CommandError(f"the state file {path} is {reason}; {hint}")


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
        if not read_only:
            save(store)
    except NotSavedError as error:
        said = str(error)
        raise
    finally:
        store.close()
        args.state_damaged = bool(store.damage)  # for damaged_exit
        for notice in store.notices:
            # The error said it already, without "will be retried": the command exits.
            if not (said and store.save_problem and notice.startswith(store.save_problem)):
                warn(notice)


def damaged_exit(args: argparse.Namespace, code: int) -> int:
    """``code``, or EXIT_DAMAGED when it is 0 and the state was not read whole (a warning
    said what): a script can tell that its output may lack judgements."""
    return EXIT_DAMAGED if code == 0 and getattr(args, "state_damaged", False) else code


def save(store: StateStore, what: str = "the changes of this command") -> None:
    """Flush ``store`` to disk, or raise NotSavedError (exit 1) naming why not and that
    ``what`` was not saved (the command exits: nothing is retried)."""
    if not store.flush():
        problem = store.save_problem or f"Cannot save reading state to {store.path}"
        raise NotSavedError(f"{problem}; {what} were not saved")


def arxiv_id_argument(text: str) -> str:
    """The arXiv id in ``text`` (an id, a versioned id or an arXiv URL); else exit 2."""
    try:
        return parse_arxiv_id(text)[0]
    except ValueError as error:
        raise CommandError(str(error)) from None


def flags(state: PaperState) -> str:
    return "".join(
        (
            "." if state.read else "N",
            "*" if state.starred else ".",
            "+" if state.note else ".",
        )
    )


def print_row(label: str, state: PaperState, *columns: str) -> None:
    """A line of text output: the paper's id, its state ``flags``, then ``columns``, by tabs
    (each ``printable``: a tab or line break in a title cannot make another column)."""
    print("\t".join((printable(label), flags(state), *map(printable, columns))))


def write_json(
    papers: Sequence[Paper], store: StateStore, scores: Mapping[str, float] | None = None
) -> None:
    """A JSON array, one paper per line (``scores``, by id, add a ``score`` key)."""
    state = store.state

    def row(paper: Paper) -> str:
        text = paper_row(paper, state(paper.arxiv_id))
        if scores:
            text = f'{text[:-1]}, "score": {_encode(scores[paper.arxiv_id])}}}'
        return text

    write_json_rows(row(paper) for paper in papers)


JSON_BATCH = 1000  # rows encoded before they are written: memory stays flat


def write_json_rows(rows: Iterable[str | Mapping[str, object]]) -> None:
    """A JSON array, one row per line (a row given as text is JSON already); ``[]``
    when there is none. Rows are written a batch at a time, so a generator of rows is
    never held whole."""
    opening = "[\n"
    lines: list[str] = []
    for row in rows:  # each row escaped alone: most are ASCII, which costs nothing
        lines.append(escaped_json(row if type(row) is str else _encode(row)))
        if len(lines) == JSON_BATCH:
            sys.stdout.write(opening + ",\n".join(lines))
            opening, lines = ",\n", []
    if lines:
        sys.stdout.write(opening + ",\n".join(lines))
        opening = ""
    sys.stdout.write("[]\n" if opening == "[\n" else "\n]\n")


def write_json_indented(value: object) -> None:
    """``value`` as indented JSON (the pure-Python encoder: for short outputs only)."""
    sys.stdout.write(escaped_json(json.dumps(value, ensure_ascii=False, indent=1)))
    sys.stdout.write("\n")


def paper_json(paper: Paper, state: PaperState) -> dict[str, object]:
    """The fields of ``list --json``; a field a digest does not give is null or empty."""
    return json.loads(paper_row(paper, state))


def paper_row(paper: Paper, state: PaperState) -> str:
    """``paper_json`` as JSON text."""
    return row_json(paper.arxiv_id, details_of(paper), [d.label for d in paper.digests], state)


def stored_row(arxiv_id: str, details: dict, state: PaperState) -> str | None:
    """``paper_row`` of stored details without making the ``Paper``; None unless they
    are exactly as the store writes them (``plain_details``): use the ``Paper`` then."""
    if not plain_details(details):
        return None
    try:
        labels = digest_labels(details)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return row_json(arxiv_id, details, labels, state)
