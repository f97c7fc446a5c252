"""How close is "close"? Where the cosine of two papers stops meaning a shared subject.

Run from the repository root:  python bench/bench_similar.py [--weeks 57] [--per-week 67]

For every paper of two corpora, its 10 nearest papers by cosine (``TextFeatures``,
as ``similar`` and the app's ``L`` find them) are put in cosine bins, and each bin
says how many of those neighbours are related to the paper:

* the synthetic archive (``bench.synthetic``, WEEKS weekly digests of PER_WEEK papers
  in 8 topics, about 3,800 papers like the real archive): related = the same topic;
  a random pair shares a topic about one time in six (the topics are unequal);
* the bundled sample (30 papers, one digest): related = they share a digest keyword.

It also prints how the nearest neighbour's cosine is spread. The threshold
``SIMILAR_MIN`` (``ranking/text.py``) is chosen from these tables: the cosine below
which a neighbour is about as likely to be related as a random paper. The figures
are in docs/ranking.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_rank import weekly_library  # noqa: E402
from tests.conftest import SEED_DIGEST  # noqa: E402
from tui_reader.digest import load_library  # noqa: E402
from tui_reader.ranking import TextFeatures  # noqa: E402
from tui_reader.ranking.text import SIMILAR_MIN  # noqa: E402

BINS = (0.0, 0.02, 0.04, 0.05, 0.06, 0.07, 0.08, 0.10, 0.15, 0.20, 0.30, 1.01)
NEIGHBOURS = 10


def table(
    name: str,
    features: TextFeatures,
    papers: Sequence[int],
    related: Callable[[int, int], bool],
    base: float,
) -> None:
    counts = [0] * (len(BINS) - 1)
    hits = [0] * (len(BINS) - 1)
    nearest: list[float] = []
    for index in papers:
        found = features.similar(index, NEIGHBOURS, at_least=0.0)
        if found:
            nearest.append(found[0][1])
        for other, cosine in found:
            slot = next(i for i in range(len(BINS) - 1) if cosine < BINS[i + 1])
            counts[slot] += 1
            hits[slot] += related(index, other)
    print(f"\n{name}: {len(papers)} papers, their {NEIGHBOURS} nearest each; "
          f"a random pair is related {base:.0%} of the time")  # fmt: skip
    print("| cosine | neighbours | related |\n|---|---:|---:|")
    for slot, count in enumerate(counts):
        share = f"{hits[slot] / count:.0%}" if count else "-"
        print(f"| {BINS[slot]:.2f}-{min(BINS[slot + 1], 1.0):.2f} | {count:,} | {share} |")
    if nearest:
        quantiles = statistics.quantiles(nearest, n=10)
        print(f"nearest neighbour's cosine: min {min(nearest):.3f}, "
              f"10% {quantiles[0]:.3f}, median {statistics.median(nearest):.3f}, "
              f"max {max(nearest):.3f}; below {SIMILAR_MIN}: "
              f"{sum(c < SIMILAR_MIN for c in nearest)} papers")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weeks", type=int, default=57)
    parser.add_argument("--per-week", type=int, default=67)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--papers", type=int, default=600,
                        help="synthetic papers whose neighbours are looked at")  # fmt: skip
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-similar-") as tmp:
        papers, _, topic = weekly_library(args.weeks, args.per_week, args.seed, Path(tmp))
    features = TextFeatures.build(papers)
    chosen = random.Random(args.seed).sample(range(len(papers)), min(args.papers, len(papers)))
    share = {t: topic.count(t) / len(topic) for t in set(topic)}
    table("Synthetic archive", features, chosen, lambda a, b: topic[a] == topic[b],
          sum(s * s for s in share.values()))  # fmt: skip

    sample = load_library([SEED_DIGEST]).papers
    keywords = [{k.casefold() for k in paper.keywords} for paper in sample]
    pairs = [(a, b) for a in range(len(sample)) for b in range(len(sample)) if a != b]
    base = sum(bool(keywords[a] & keywords[b]) for a, b in pairs) / len(pairs)
    table("The sample", TextFeatures.build(sample), range(len(sample)),
          lambda a, b: bool(keywords[a] & keywords[b]), base)  # fmt: skip


if __name__ == "__main__":
    main()
