"""``digest-reader list``: papers as text lines or one JSON array; ``--tags``.

API: ``run_list(args) -> int``.

Rules: the state file is opened read-only. With no PATH, ``--starred`` / ``--noted``
list from the state file alone (papers marked by id only show as ``(details unknown)``);
their JSON rows are the rows the state file holds (format 4: ``store.rows``), spliced
with the state unparsed, else made from the stored details as they are
(``common.stored_row``): the same text a ``Paper`` would give. ``--sort relevance`` ranks with
``similar_cmd.sort_by_relevance`` and adds a score. A text row is the id, the state
FLAGS (``common.flags``: ``N`` unread or ``.``, ``*`` starred or ``.``, ``+`` noted or
``.``; explained in ``--help``), the score, the title. The cyclic collector is paused for
the whole command (``store.paused_gc``). The query parser and the ranking are imported
only when ``--query`` or ``--sort`` asks for them.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..sanitize import printable
from ..store import PaperState, StateStore, paused_gc
from ..store.paper_details import paper_or_none
from .common import (
    CommandError,
    damaged_exit,
    load_given_or_default,
    open_store,
    paper_json,
    print_row,
    stored_row,
    warn,
    write_json,
    write_json_indented,
    write_json_rows,
)

if TYPE_CHECKING:
    from ..model import Paper


def run_list(args: argparse.Namespace) -> int:
    # A large state is millions of objects (none in a cycle): with the collector on,
    # reading and listing them would walk them all over and over. The store is let go
    # before it is back on.
    with paused_gc():
        return damaged_exit(args, list_papers(args))  # 3: the state was not read whole


def list_papers(args: argparse.Namespace) -> int:
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
            from .similar_cmd import sort_by_relevance

            papers = queried(papers, store, args, sort="digest")
            papers, scores = sort_by_relevance(papers, every, store)
        else:
            papers = queried(papers, store, args)
        if args.json:
            write_json(papers, store, scores)
        else:
            for paper in papers:
                score = (f"{scores[paper.arxiv_id]:+.3f}",) if scores else ()
                print_row(paper.versioned_id, store.state(paper.arxiv_id), *score, paper.title)
    return 0


def queried(
    papers: list[Paper], store: StateStore, args: argparse.Namespace, sort: str | None = None
) -> list[Paper]:
    """``papers`` matching ``--query``, in ``--sort`` order (or ``sort``); a bad query is
    exit 2."""
    sort = sort or args.sort
    if not args.query.strip() and sort == "digest":
        return papers
    from ..export import filter_papers  # the query parser, only when there is a query
    from ..query import QueryError

    try:
        return filter_papers(papers, store, args.query, sort)
    except QueryError as error:
        raise CommandError(f"--query: {error}") from None


def list_tags(store: StateStore, args: argparse.Namespace) -> int:
    counts = store.tag_counts()
    if args.json:
        write_json_indented(counts)
    else:
        for tag, count in counts.items():
            print(f"{printable(tag)}\t{count}")
    return 0


def list_from_state(store: StateStore, args: argparse.Namespace) -> int:
    """Starred / noted papers from the state file alone; those without details by id.

    Rows come from the file as they are where it holds them (format 4, ``store.rows``),
    else from the stored details as they are (``stored_row``), read in runs of
    adjacent lines; details a hand or an older program wrote otherwise go through the
    ``Paper`` as before."""
    unknown = 0

    def rows() -> Iterator[dict[str, object]]:
        nonlocal unknown
        ids = store.ids(starred=args.starred or None, noted=args.noted or None)
        for arxiv_id, state, details in store.states_and_details(ids, rows=args.json):
            if type(details) is str:  # the row as the file holds it, with the state
                yield details
                continue
            row = stored_row(arxiv_id, details, state) if args.json and details else None
            if row is not None:
                yield row
                continue
            paper = paper_or_none(arxiv_id, details) if details else None
            if paper is None:
                unknown += 1
            if args.json:
                yield paper_json(paper, state) if paper else unknown_paper_json(arxiv_id, state)
            elif paper is not None:
                print_row(paper.versioned_id, state, paper.title)
            else:
                print_row(arxiv_id, state, "(details unknown)")

    if args.json:
        write_json_rows(rows())  # streamed a batch at a time
    else:
        for _ in rows():
            pass
    if unknown:
        these = "1 of these papers was" if unknown == 1 else f"{unknown} of these papers were"
        them = "it" if unknown == 1 else "them"
        warn(
            f"{these} marked by id without a digest; {'its' if unknown == 1 else 'their'} "
            f"details are unknown (mark {them} again with --digest PATH to store them)"
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
