"""``digest-reader mark``: set read / starred / note / tags of papers by arXiv id.

API: ``run_mark(args) -> int``.

Rules: an id must be in the state file already or in a ``--digest``; a note is UTF-8
text (from --note, standard input or --note-file) or a one-line error; the changes are
on disk, and still hold once what other running copies wrote since is read, before a
line per paper is printed; else one line says what was not saved, and exit 1.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

from ..model import Paper
from ..store import PaperState
from ..store.records import clean_tags, repair_text
from .common import (
    CommandError,
    NotSavedError,
    arxiv_id_argument,
    load,
    open_store,
    print_row,
    save,
)


def note_text(args: argparse.Namespace) -> str | None:
    """The note given by --note TEXT, --note - (standard input) or --note-file PATH."""
    if args.clear_note:
        return ""
    if args.note_file is not None:
        path: Path = args.note_file
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                raise CommandError(f"--note-file {path}: not a regular file")
            raw = path.read_bytes()
        except OSError as error:  # missing, or a folder on the way cannot be searched
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
    ids = [arxiv_id_argument(text) for text in args.ids]
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
        save(store, f"the changes to {', '.join(ids)}")  # on disk before "done" is printed
        store.reload()  # another copy may have changed the same fields again since
        for arxiv_id in ids:
            replaced = replaced_fields(store.state(arxiv_id), args, note)
            if replaced:
                raise NotSavedError(
                    f"{arxiv_id}: saved, but another running copy changed {replaced} again "
                    "right after; it no longer holds (run mark again to set it)"
                )
        for arxiv_id in ids:
            print_row(arxiv_id, store.state(arxiv_id))
    return 0


def replaced_fields(state: PaperState, args: argparse.Namespace, note: str | None) -> str:
    """Which of the changes asked for do not hold in ``state`` ('' when all do)."""
    wrong = []
    if args.read is not None and state.read != args.read:
        wrong.append("read")
    if args.star is not None and state.starred != args.star:
        wrong.append("starred")
    if note is not None and state.note != repair_text(note).strip():
        wrong.append("the note")
    added = set(clean_tags(args.tag))
    gone = set(clean_tags(args.untag)) - added
    if not added <= set(state.tags) or gone & set(state.tags):
        wrong.append("the tags")
    return ", ".join(wrong)
