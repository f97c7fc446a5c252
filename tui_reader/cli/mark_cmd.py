"""``digest-reader mark``: set read / starred / note / tags of papers by arXiv id.

API: ``run_mark(args) -> int``.

Rules: an id must be in the state file already or in a ``--digest``; a note is UTF-8
text (from --note, standard input or --note-file) or a one-line error; the changes are
on disk before a line per paper is printed, else exit 1.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

from ..model import Paper
from .common import CommandError, arxiv_id_argument, load, open_store, print_row, save


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
        save(store)  # on disk before "done" is printed
        for arxiv_id in ids:
            print_row(arxiv_id, store.state(arxiv_id))
    return 0
