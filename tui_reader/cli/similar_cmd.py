"""``digest-reader similar`` and the order of ``list --sort relevance``.

API: ``run_similar(args) -> int``; ``sort_by_relevance(shown, every, store)``.

Rules: ``tui_reader.ranking`` (and so scikit-learn) is imported inside the functions,
only when a command needs it, never when the CLI starts. ``similar`` lists only papers
at ``SIMILAR_MIN`` cosine or more; when none is (or fewer than ``-n``), it says so in
one line on stderr, and the output holds what is close (``[]`` with ``--json``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..config import load_config
from ..locations import config_path
from ..model import Paper
from ..store import StateStore
from .common import (
    CommandError,
    arxiv_id_argument,
    load_given_or_default,
    open_store,
    paper_json,
    print_row,
    write_json_indented,
)


def sort_by_relevance(
    shown: Sequence[Paper], every: Sequence[Paper], store: StateStore
) -> tuple[list[Paper], dict[str, float]]:
    """``shown`` likeliest-to-be-starred first, and each one's score, by arXiv id.
    Ranking is for the papers not judged yet: the starred and read ones (the model's
    training examples) follow them (``Ranking.for_reader``).

    The model learns from the judgements of ``every`` loaded paper and of the starred
    papers the state file remembers from other digests; the user's highlight words
    count while there are too few judgements to learn from.
    """
    from ..ranking import RelevanceModel, collect_judgements

    loaded = {paper.arxiv_id for paper in every}
    remembered = [
        paper
        for arxiv_id in store.ids(starred=True)
        if arxiv_id not in loaded and (paper := store.snapshot(arxiv_id)) is not None
    ]
    corpus = [*every, *remembered]
    words = load_config(config_path()).highlight
    ranking = RelevanceModel().fit(corpus, collect_judgements(corpus, store.state), words)
    print(f"digest-reader: {ranking.detail}", file=sys.stderr)
    position = {paper.arxiv_id: index for index, paper in enumerate(corpus)}
    order = ranking.for_reader(position[paper.arxiv_id] for paper in shown)
    ranked = [corpus[index] for index in order]
    return ranked, {corpus[i].arxiv_id: round(ranking.score(i), 4) for i in order}


def run_similar(args: argparse.Namespace) -> int:
    arxiv_id = arxiv_id_argument(args.id)
    if args.n < 1:
        raise CommandError(f"-n must be 1 or more, not {args.n}")
    papers = load_given_or_default(args.paths, args)
    index = next((i for i, paper in enumerate(papers) if paper.arxiv_id == arxiv_id), None)
    if index is None:
        raise CommandError(f"{arxiv_id}: not in the digests (name them as PATH)")
    from ..ranking import TextFeatures
    from ..ranking.text import SIMILAR_MIN

    nearest = TextFeatures.build(papers).similar(index, args.n)
    if len(nearest) < args.n:
        found = {0: "no paper", 1: "only 1 paper"}.get(len(nearest), f"only {len(nearest)} papers")
        verb = "are" if len(nearest) > 1 else "is"
        print(f"digest-reader: {arxiv_id}: {found} in these digests {verb} close to it "
              f"(cosine {SIMILAR_MIN} or more)", file=sys.stderr)  # fmt: skip
    with open_store(args) as store:
        if args.json:
            rows = [
                paper_json(papers[i], store.state(papers[i].arxiv_id)) | {"similarity": round(s, 4)}
                for i, s in nearest
            ]
            write_json_indented(rows)
            return 0
        for i, similarity in nearest:
            paper = papers[i]
            score = f"{similarity:.3f}"
            print_row(paper.versioned_id, store.state(paper.arxiv_id), score, paper.source.label,
                      paper.title)  # fmt: skip
    return 0
